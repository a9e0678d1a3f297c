/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The control socket and the control thread (zc_control.h, protocol in
 * docs/control.md).
 *
 * One thread, created with rte_ctrl_thread_create() once the workers run,
 * serves every client with poll() on non-blocking sockets: a client that
 * connects and sends nothing, sends garbage or never reads its reply holds
 * a slot until its timeout and nothing else, and commands run one at a
 * time. That thread is also the only writer of the tables commands change,
 * and runs the RCU deferred frees (core/zc_rcu.h) between requests. A pipe
 * wakes it for SIGHUP (reload) and for shutdown.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "control/zc_control.h"
#include "control/zc_json.h"
#include "core/zc_log.h"
#include "core/zc_rcu.h"

/* How often the thread wakes without anything to do: deferred frees and
 * client timeouts are looked at this often.
 */
#define CTL_TICK_MS 50

/* A client's reply is flushed before its next request is read. */
struct ctl_client {
	int fd;                       /* -1: free slot. */
	size_t in_len;                /* Bytes in in[]. */
	char *out;                    /* Reply bytes not yet sent. */
	size_t out_len;               /* Bytes in out. */
	size_t out_off;               /* Bytes of out already sent. */
	uint64_t deadline_ms;         /* Next request or reply due by then. */
	bool eof;                     /* The client will send no more. */
	bool closing;                 /* Close once out is sent. */
	char in[ZC_CTL_REQ_MAX];      /* Request bytes received. */
};

static STAILQ_HEAD(, zc_ctl_cmd) cmds = STAILQ_HEAD_INITIALIZER(cmds);

static struct {
	pthread_t tid;
	bool running;
	int listen_fd;
	int wake[2];               /* Pipe: 'r' reload, 'q' quit. */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct zc_config *cfg;
	struct ctl_client cl[ZC_CTL_CLIENTS_MAX];
	struct zc_json reply;
	uint64_t start_ms;
	uint64_t requests;         /* Requests answered. */
	uint64_t errors;           /* Of which answered with an error. */
	uint64_t refused;          /* Clients refused (too many, uid). */
	uint64_t reloads;          /* Reloads done (SIGHUP or command). */
} ctl = {
	.listen_fd = -1,
	.wake = { -1, -1 },
};

/* The write end of the wake pipe, for the signal handler. */
static volatile int wake_wr = -1;

void
zc_ctl_register(struct zc_ctl_cmd *cmd)
{
	STAILQ_INSERT_TAIL(&cmds, cmd, next);
}

int
zc_ctl_error(struct zc_ctl_req *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->err, sizeof(req->err), fmt, ap);
	va_end(ap);
	return -1;
}

const char *
zc_ctl_path(void)
{
	return ctl.running ? ctl.path : "";
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const struct zc_ctl_cmd *
cmd_find(const char *name)
{
	const struct zc_ctl_cmd *c;

	STAILQ_FOREACH(c, &cmds, next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* ---- built-in commands ---------------------------------------------- */

static int
cmd_status(struct zc_ctl_req *req, int argc, char **argv)
{
	struct zc_rcu_stats rs;

	RTE_SET_USED(argv);
	if (argc != 1)
		return zc_ctl_error(req, "status takes no argument");
	zc_rcu_stats(&rs);
	zc_json_u64(req->out, "pid", (uint64_t)getpid());
	zc_json_str(req->out, "socket", ctl.path);
	zc_json_u64(req->out, "uptime_ms", now_ms() - ctl.start_ms);
	zc_json_u64(req->out, "requests", ctl.requests);
	zc_json_u64(req->out, "errors", ctl.errors);
	zc_json_u64(req->out, "refused", ctl.refused);
	zc_json_u64(req->out, "reloads", ctl.reloads);
	zc_json_obj_open(req->out, "rcu");
	zc_json_u64(req->out, "grace_periods", rs.syncs);
	zc_json_u64(req->out, "deferred", rs.deferred);
	zc_json_u64(req->out, "freed", rs.freed);
	zc_json_u64(req->out, "pending", rs.deferred - rs.freed);
	zc_json_obj_close(req->out);
	return 0;
}

static int
cmd_help(struct zc_ctl_req *req, int argc, char **argv)
{
	const struct zc_ctl_cmd *c;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	zc_json_arr_open(req->out, "commands");
	STAILQ_FOREACH(c, &cmds, next)
		zc_json_str(req->out, NULL, c->usage);
	zc_json_arr_close(req->out);
	return 0;
}

/* Every table at once: all prepared, then all committed, or none. */
static int
do_reload(struct zc_ctl_req *req)
{
	const struct zc_ctl_cmd *c, *failed = NULL;
	void *state[64] = { NULL };
	unsigned int i = 0, n;

	STAILQ_FOREACH(c, &cmds, next) {
		if (c->prepare == NULL)
			continue;
		if (i == RTE_DIM(state))
			break;
		if (c->prepare(req, &state[i]) < 0) {
			failed = c;
			break;
		}
		i++;
	}
	n = i;
	i = 0;
	STAILQ_FOREACH(c, &cmds, next) {
		if (c->prepare == NULL)
			continue;
		if (i == n)
			break;
		if (failed != NULL)
			c->abort(state[i]);
		else
			c->commit(req, state[i]);
		i++;
	}
	if (failed != NULL)
		return -1;
	ctl.reloads++;
	return 0;
}

static int
cmd_reload(struct zc_ctl_req *req, int argc, char **argv)
{
	RTE_SET_USED(argv);
	if (argc != 1)
		return zc_ctl_error(req, "reload takes no argument (it re-reads the files the configuration names)");
	return do_reload(req);
}

static struct zc_ctl_cmd status_cmd = {
	.name = "status",
	.usage = "status",
	.fn = cmd_status,
};
ZC_CTL_REGISTER(status_cmd);

static struct zc_ctl_cmd help_cmd = {
	.name = "help",
	.usage = "help",
	.fn = cmd_help,
};
ZC_CTL_REGISTER(help_cmd);

static struct zc_ctl_cmd reload_cmd = {
	.name = "reload",
	.usage = "reload",
	.fn = cmd_reload,
};
ZC_CTL_REGISTER(reload_cmd);

/* ---- requests ------------------------------------------------------- */

/*
 * Split a request into words, in place: blanks separate words, "..."
 * quotes a word (with \" and \\ inside). 0, or -1 with req->err set.
 */
static int
split(struct zc_ctl_req *req, char *s, int *argc, char **argv)
{
	char *w = s;
	int n = 0;

	for (;;) {
		char *start;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == ZC_CTL_ARGS_MAX)
			return zc_ctl_error(req, "more than %d words",
					    ZC_CTL_ARGS_MAX);
		start = w;
		if (*s == '"') {
			for (s++; *s != '"'; s++) {
				if (*s == '\0')
					return zc_ctl_error(req, "unterminated quote");
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*w++ = *s;
			}
			s++;
			if (*s != '\0' && *s != ' ' && *s != '\t')
				return zc_ctl_error(req, "a quoted word must end at a blank");
		} else {
			while (*s != '\0' && *s != ' ' && *s != '\t')
				*w++ = *s++;
		}
		/* w never passes s: the terminator fits. */
		if (*s != '\0')
			s++;
		*w++ = '\0';
		argv[n++] = start;
	}
	*argc = n;
	return 0;
}

/* Every byte a request may hold: printable, blanks, and UTF-8. */
static int
check_bytes(struct zc_ctl_req *req, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return zc_ctl_error(req, "byte %zu of the request is a control character (0x%02x); a request is one line of text",
					    i + 1, c);
	}
	return 0;
}

/* Run one request line (without its newline) into ctl.reply. */
static void
run_request(char *line, size_t len, bool from_signal)
{
	struct zc_ctl_req req = {
		.out = &ctl.reply,
		.cfg = ctl.cfg,
		.from_signal = from_signal,
	};
	char *argv[ZC_CTL_ARGS_MAX + 1];
	const struct zc_ctl_cmd *c;
	int argc = 0, ret;

	zc_json_reset(&ctl.reply);
	zc_json_obj_open(&ctl.reply, NULL);
	zc_json_bool(&ctl.reply, "ok", true);
	if (check_bytes(&req, line, len) < 0 ||
	    split(&req, line, &argc, argv) < 0) {
		ret = -1;
	} else if (argc == 0) {
		ret = zc_ctl_error(&req, "empty request (try: help)");
	} else {
		argv[argc] = NULL;
		c = cmd_find(argv[0]);
		if (c == NULL)
			ret = zc_ctl_error(&req, "unknown command '%.64s' (try: help)",
					   argv[0]);
		else
			ret = c->fn(&req, argc, argv);
	}
	zc_json_obj_close(&ctl.reply);
	if (ret == 0 && zc_json_failed(&ctl.reply))
		ret = zc_ctl_error(&req, "the reply is larger than %u bytes",
				   ZC_CTL_REPLY_MAX);
	ctl.requests++;
	if (ret != 0) {
		ctl.errors++;
		if (req.err[0] == '\0')
			snprintf(req.err, sizeof(req.err), "failed");
		zc_json_reset(&ctl.reply);
		zc_json_obj_open(&ctl.reply, NULL);
		zc_json_bool(&ctl.reply, "ok", false);
		zc_json_str(&ctl.reply, "error", req.err);
		zc_json_obj_close(&ctl.reply);
	}
}

/* ---- clients -------------------------------------------------------- */

static void
client_close(struct ctl_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	c->in_len = 0;
	c->fd = -1;
	c->eof = false;
	c->closing = false;
}

/* Queue bytes for a client; false if out of memory. */
static bool
client_queue(struct ctl_client *c, const char *s, size_t len)
{
	char *b = realloc(c->out, c->out_len + len);

	if (b == NULL)
		return false;
	memcpy(b + c->out_len, s, len);
	c->out = b;
	c->out_len += len;
	return true;
}

/* Queue the reply in ctl.reply, with its newline. */
static void
client_reply(struct ctl_client *c)
{
	if (ctl.reply.buf == NULL ||
	    !client_queue(c, ctl.reply.buf, ctl.reply.len) ||
	    !client_queue(c, "\n", 1))
		c->closing = true;
	c->deadline_ms = now_ms() + (uint64_t)zc_ctl_conf.timeout_s * 1000;
}

/* An error reply, then close. */
static void
client_fail(struct ctl_client *c, const char *fmt, ...)
	__rte_format_printf(2, 3);

static void
client_fail(struct ctl_client *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zc_json_reset(&ctl.reply);
	zc_json_obj_open(&ctl.reply, NULL);
	zc_json_bool(&ctl.reply, "ok", false);
	zc_json_str(&ctl.reply, "error", msg);
	zc_json_obj_close(&ctl.reply);
	client_reply(c);
	c->closing = true;
	c->in_len = 0;
	ctl.errors++;
}

/* Send what can be sent of a client's reply. */
static void
client_flush(struct ctl_client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			c->out_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		client_close(c); /* Gone. */
		return;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
}

/*
 * Move a client on as far as it goes without waiting: send its reply,
 * then answer its next complete request, and so on; close it once it is
 * done. A request is read only after the previous reply is sent.
 */
static void
client_serve(struct ctl_client *c)
{
	while (c->fd >= 0) {
		char *nl;
		size_t len, used;

		if (c->out_len != 0) {
			client_flush(c);
			if (c->fd < 0 || c->out_len != 0)
				return; /* Wait for POLLOUT. */
		}
		if (c->closing) {
			client_close(c);
			return;
		}
		nl = memchr(c->in, '\n', c->in_len);
		if (nl == NULL) {
			if (c->in_len == sizeof(c->in)) {
				client_fail(c, "request longer than %u bytes",
					    ZC_CTL_REQ_MAX - 1);
				continue;
			}
			if (!c->eof)
				return; /* Wait for the rest. */
			if (c->in_len == 0) {
				client_close(c);
				return;
			}
			/* A last request without its newline. */
			nl = c->in + c->in_len;
			used = c->in_len;
		} else {
			used = (size_t)(nl - c->in) + 1;
		}
		*nl = '\0';
		len = (size_t)(nl - c->in);
		if (len > 0 && c->in[len - 1] == '\r')
			c->in[--len] = '\0';
		/* A blank line asks nothing. */
		if (len != 0) {
			run_request(c->in, len, false);
			client_reply(c);
		}
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
	}
}

static void
client_read(struct ctl_client *c)
{
	for (;;) {
		ssize_t n;

		if (c->in_len == sizeof(c->in))
			break;
		n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len,
			 MSG_DONTWAIT);
		if (n > 0) {
			c->in_len += (size_t)n;
			continue;
		}
		if (n == 0) {
			c->eof = true;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			c->closing = true;
		break;
	}
	client_serve(c);
}

/* Only root and the user zcpipe runs as may talk to it. */
static bool
peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0)
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

static void
accept_clients(void)
{
	for (;;) {
		struct ctl_client *c = NULL;
		unsigned int i;
		int fd;

		fd = accept4(ctl.listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				ZC_LOG(WARNING, "control: accept: %s",
				       strerror(errno));
			return;
		}
		for (i = 0; i < ZC_CTL_CLIENTS_MAX; i++)
			if (ctl.cl[i].fd < 0) {
				c = &ctl.cl[i];
				break;
			}
		if (c == NULL || !peer_allowed(fd)) {
			static const char full[] =
				"{\"ok\":false,\"error\":\"too many control clients connected (at most 64); try again\"}\n";
			static const char denied[] =
				"{\"ok\":false,\"error\":\"permission denied: only root and the user zcpipe runs as may use its control socket\"}\n";
			const char *msg = c == NULL ? full : denied;
			ssize_t n;

			n = send(fd, msg, strlen(msg),
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			RTE_SET_USED(n);
			close(fd);
			ctl.refused++;
			continue;
		}
		c->fd = fd;
		c->in_len = 0;
		c->eof = false;
		c->closing = false;
		c->deadline_ms = now_ms() + (uint64_t)zc_ctl_conf.timeout_s * 1000;
	}
}

static void
check_timeouts(void)
{
	uint64_t now = now_ms();
	unsigned int i;

	for (i = 0; i < ZC_CTL_CLIENTS_MAX; i++) {
		struct ctl_client *c = &ctl.cl[i];

		if (c->fd < 0 || now < c->deadline_ms)
			continue;
		if (c->out_len != 0 || c->closing) {
			/* It does not read its reply. */
			client_close(c);
			continue;
		}
		client_fail(c, "timeout: no complete request within %u s",
			    zc_ctl_conf.timeout_s);
		client_serve(c);
	}
}

/* SIGHUP: the same as the reload command, logged. */
static void
signal_reload(void)
{
	char line[] = "reload";

	run_request(line, strlen(line), true);
	if (ctl.reply.buf != NULL &&
	    strncmp(ctl.reply.buf, "{\"ok\":true", 10) == 0)
		ZC_LOG(NOTICE, "SIGHUP: reloaded: %s", ctl.reply.buf);
	else
		ZC_LOG(ERR, "SIGHUP: reload refused, nothing changed: %s",
		       ctl.reply.buf != NULL ? ctl.reply.buf : "out of memory");
}

/* Sources of changes besides the clients (zc_ctl_cmd.open). */
#define CTL_SOURCES_MAX 4

static void *
ctl_main(void *arg)
{
	struct pollfd pfd[ZC_CTL_CLIENTS_MAX + 2 + CTL_SOURCES_MAX];
	struct ctl_client *who[ZC_CTL_CLIENTS_MAX + 2 + CTL_SOURCES_MAX];
	const struct zc_ctl_cmd *src[CTL_SOURCES_MAX], *c;
	int src_fd[CTL_SOURCES_MAX];
	unsigned int k, nb_src = 0;

	RTE_SET_USED(arg);
	STAILQ_FOREACH(c, &cmds, next) {
		int fd;

		if (c->open == NULL || nb_src == CTL_SOURCES_MAX)
			continue;
		fd = c->open(ctl.cfg);
		if (fd < 0)
			continue;
		src[nb_src] = c;
		src_fd[nb_src++] = fd;
	}
	for (;;) {
		unsigned int i, n = 0;
		int ret;

		pfd[n].fd = ctl.wake[0];
		pfd[n].events = POLLIN;
		who[n++] = NULL;
		pfd[n].fd = ctl.listen_fd;
		pfd[n].events = POLLIN;
		who[n++] = NULL;
		for (k = 0; k < nb_src; k++) {
			pfd[n].fd = src_fd[k];
			pfd[n].events = POLLIN;
			who[n++] = NULL;
		}
		for (i = 0; i < ZC_CTL_CLIENTS_MAX; i++) {
			struct ctl_client *c = &ctl.cl[i];

			if (c->fd < 0)
				continue;
			pfd[n].fd = c->fd;
			pfd[n].events = c->out_len != 0 ? POLLOUT :
					c->eof ? 0 : POLLIN;
			who[n++] = c;
		}
		ret = poll(pfd, n, CTL_TICK_MS);
		if (ret < 0 && errno != EINTR) {
			ZC_LOG(ERR, "control: poll: %s", strerror(errno));
			break;
		}
		if (ret > 0 && (pfd[0].revents & POLLIN)) {
			char b[16];
			ssize_t k = read(ctl.wake[0], b, sizeof(b));
			bool quit = false, reload = false;

			for (i = 0; k > 0 && i < (unsigned int)k; i++) {
				quit |= b[i] == 'q';
				reload |= b[i] == 'r';
			}
			if (quit)
				break;
			if (reload)
				signal_reload();
		}
		if (ret > 0 && (pfd[1].revents & POLLIN))
			accept_clients();
		for (k = 0; ret > 0 && k < nb_src; k++)
			if (pfd[2 + k].revents & POLLIN)
				src[k]->input();
		for (i = 2 + nb_src; ret > 0 && i < n; i++) {
			struct ctl_client *c = who[i];

			if (c->fd < 0 || pfd[i].revents == 0)
				continue;
			if (pfd[i].revents & POLLOUT) {
				client_serve(c);
			} else if (pfd[i].revents & (POLLIN | POLLHUP)) {
				client_read(c);
			} else {
				client_close(c); /* POLLERR, POLLNVAL */
			}
		}
		check_timeouts();
		zc_rcu_reclaim();
	}
	for (k = 0; k < ZC_CTL_CLIENTS_MAX; k++)
		if (ctl.cl[k].fd >= 0)
			client_close(&ctl.cl[k]);
	for (k = 0; k < nb_src; k++)
		if (src[k]->close != NULL)
			src[k]->close();
	return NULL;
}

const char *
zc_ctl_answer(const char *line, size_t len)
{
	char buf[ZC_CTL_REQ_MAX];

	if (ctl.running)
		return NULL;
	if (ctl.reply.max == 0)
		zc_json_init(&ctl.reply, ZC_CTL_REPLY_MAX);
	if (len >= sizeof(buf)) {
		zc_json_reset(&ctl.reply);
		zc_json_obj_open(&ctl.reply, NULL);
		zc_json_bool(&ctl.reply, "ok", false);
		zc_json_strf(&ctl.reply, "error", "request longer than %u bytes",
			     ZC_CTL_REQ_MAX - 1);
		zc_json_obj_close(&ctl.reply);
		return ctl.reply.buf;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	run_request(buf, len, false);
	return ctl.reply.buf;
}

/* ---- start and stop ------------------------------------------------- */

static int
open_socket(void)
{
	struct sockaddr_un sa;
	int fd, n;

	n = snprintf(ctl.path, sizeof(ctl.path), "%s/%s",
		     rte_eal_get_runtime_dir(), ZC_CTL_SOCKET);
	if (n < 0 || (size_t)n >= sizeof(ctl.path)) {
		ZC_LOG(ERR, "control: socket path %s/%s is too long for a Unix socket",
		       rte_eal_get_runtime_dir(), ZC_CTL_SOCKET);
		return -ENAMETOOLONG;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, ctl.path, (size_t)n + 1);
	/* A full backlog makes a Unix socket's connect() fail with EAGAIN
	 * rather than wait: take the system's largest.
	 *
	 * A socket left by a process that died: the EAL's lock on the
	 * runtime folder says no other primary uses this prefix.
	 */
	unlink(ctl.path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(ctl.path, 0600) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;

		ZC_LOG(ERR, "control: cannot listen on %s: %s", ctl.path,
		       strerror(e));
		close(fd);
		unlink(ctl.path);
		return -e;
	}
	ctl.listen_fd = fd;
	return 0;
}

static void
close_all(void)
{
	if (ctl.listen_fd >= 0) {
		close(ctl.listen_fd);
		unlink(ctl.path);
		ctl.listen_fd = -1;
	}
	wake_wr = -1;
	if (ctl.wake[0] >= 0)
		close(ctl.wake[0]);
	if (ctl.wake[1] >= 0)
		close(ctl.wake[1]);
	ctl.wake[0] = ctl.wake[1] = -1;
	zc_json_free(&ctl.reply);
}

int
zc_ctl_start(const struct zc_config *cfg)
{
	unsigned int i;
	int ret;

	if (ctl.running || !zc_ctl_conf.socket)
		return 0;
	ctl.cfg = cfg;
	ctl.start_ms = now_ms();
	ctl.requests = ctl.errors = ctl.refused = ctl.reloads = 0;
	for (i = 0; i < ZC_CTL_CLIENTS_MAX; i++) {
		ctl.cl[i].fd = -1;
		ctl.cl[i].out = NULL;
		ctl.cl[i].out_len = ctl.cl[i].out_off = 0;
	}
	zc_json_init(&ctl.reply, ZC_CTL_REPLY_MAX);
	if (pipe2(ctl.wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		ret = -errno;
		ZC_LOG(ERR, "control: pipe: %s", strerror(errno));
		return ret;
	}
	ret = open_socket();
	if (ret < 0) {
		close_all();
		return ret;
	}
	ret = rte_ctrl_thread_create(&ctl.tid, "zc-control", NULL, ctl_main,
				     NULL);
	if (ret != 0) {
		ZC_LOG(ERR, "control: cannot create the control thread: %s",
		       strerror(ret > 0 ? ret : -ret));
		close_all();
		return ret > 0 ? -ret : ret;
	}
	wake_wr = ctl.wake[1];
	ctl.running = true;
	ZC_LOG(INFO, "control socket %s", ctl.path);
	return 0;
}

void
zc_ctl_reload_signal(void)
{
	int fd = wake_wr;
	ssize_t n;

	if (fd < 0)
		return;
	n = write(fd, "r", 1);
	RTE_SET_USED(n);
}

void
zc_ctl_stop(void)
{
	ssize_t n;

	if (!ctl.running)
		return;
	wake_wr = -1;
	/* The pipe may be full of SIGHUPs: the thread empties it. */
	for (;;) {
		n = write(ctl.wake[1], "q", 1);
		if (n == 1 || (errno != EINTR && errno != EAGAIN))
			break;
		usleep(1000);
	}
	pthread_join(ctl.tid, NULL);
	ctl.running = false;
	close_all();
}
