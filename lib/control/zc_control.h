/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_CONTROL_H
#define ZC_CONTROL_H

/**
 * @file
 * The runtime control plane: a socket of its own in the instance's DPDK
 * runtime folder (zcpipe_control, mode 0600), served by one control
 * thread that is the single writer of every table changed at run time.
 * Protocol, commands and the RCU design: docs/control.md.
 *
 * Commands live in files of lib/control/ (acl_cmd.c ...), each of which
 * registers its descriptors with ZC_CTL_REGISTER(). A handler runs on the
 * control thread, reads its words, and either adds members to the reply
 * object or fails with zc_ctl_error(), in which case it must have changed
 * nothing.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_common.h>

#include "control/zc_json.h"

struct zc_config;

/** File name of the socket in the runtime folder. */
#define ZC_CTL_SOCKET "zcpipe_control"

/** Longest request line, newline included. */
#define ZC_CTL_REQ_MAX 4096

/** Most words in a request. */
#define ZC_CTL_ARGS_MAX 64

/** Most clients connected at once; more are answered an error. */
#define ZC_CTL_CLIENTS_MAX 64

/** Default seconds a client may take to send a request or read a reply. */
#define ZC_CTL_TIMEOUT_S 10

/** The [control] section. */
struct zc_ctl_conf {
	uint8_t socket;     /**< socket = on: serve the control socket. */
	uint32_t timeout_s; /**< timeout: client request/reply deadline. */
};

/** The [control] section of the configuration loaded last. */
extern struct zc_ctl_conf zc_ctl_conf;

/** Largest reply. */
#define ZC_CTL_REPLY_MAX (64u << 20)

/** One request being answered. */
struct zc_ctl_req {
	struct zc_json *out;   /**< The reply object, open. */
	const struct zc_config *cfg; /**< Configuration in force. */
	char err[1024];        /**< Set by zc_ctl_error(). */
	bool from_signal;      /**< A SIGHUP reload, not a client. */
};

/** A command: the first word of a request. */
struct zc_ctl_cmd {
	const char *name;  /**< First word ("acl", "route" ...). */
	const char *usage; /**< Grammar, one line per form, for help. */
	/**
	 * Run the command; argv[0] is the name. 0, or -1 after
	 * zc_ctl_error() with nothing changed.
	 */
	int (*fn)(struct zc_ctl_req *req, int argc, char **argv);
	/**
	 * reload and SIGHUP, in two steps so that a bad file of one table
	 * changes no table: prepare() re-reads what the configuration
	 * names for this table and builds what would replace it (0, or -1
	 * after zc_ctl_error()); once every table is prepared, commit()
	 * puts each in force and adds its members under an object named
	 * after the command; if any prepare() failed, abort() drops what
	 * the others built. All three NULL: nothing to reload.
	 */
	int (*prepare)(struct zc_ctl_req *req, void **state);
	void (*commit)(struct zc_ctl_req *req, void *state);
	void (*abort)(void *state);
	/**
	 * A source of changes the control thread watches besides its clients
	 * (the kernel's routes): open() runs on the thread when it starts and
	 * returns a file descriptor to poll, or -1; input() runs whenever it
	 * is readable; close() when the thread stops. All NULL: none.
	 */
	int (*open)(const struct zc_config *cfg);
	void (*input)(void);
	void (*close)(void);
	STAILQ_ENTRY(zc_ctl_cmd) next; /**< Registry link. */
};

/** Add a command (use ZC_CTL_REGISTER). */
void zc_ctl_register(struct zc_ctl_cmd *cmd);

/** Register a command at start-up, before main(). */
#define ZC_CTL_REGISTER(cmd) \
	RTE_INIT(zc_ctl_register_##cmd) \
	{ \
		zc_ctl_register(&(cmd)); \
	}

/** Fail a request with a message; returns -1. */
int zc_ctl_error(struct zc_ctl_req *req, const char *fmt, ...)
	__rte_format_printf(2, 3);

/**
 * Create the socket and start the control thread. Call once the workers
 * run. Errors are logged; zcpipe then runs without runtime control.
 * With [control] socket = off, does nothing.
 *
 * @return
 *   0, or a negative errno value.
 */
int zc_ctl_start(const struct zc_config *cfg);

/**
 * Stop the control thread (after the command it is running, if any),
 * close every client and remove the socket. Safe to call if it did not
 * start.
 */
void zc_ctl_stop(void);

/**
 * Ask the control thread to reload (SIGHUP). Async-signal-safe; does
 * nothing if the thread does not run.
 */
void zc_ctl_reload_signal(void);

/**
 * Answer one request line (len bytes, no newline needed) as a client of
 * the socket would be answered, on the calling thread: for tests and
 * fuzzing. Not while the control thread runs.
 *
 * @return
 *   The reply's JSON text, valid until the next call; NULL without
 *   memory.
 */
const char *zc_ctl_answer(const char *line, size_t len);

/** Path of the socket, "" if there is none. */
const char *zc_ctl_path(void);

#endif /* ZC_CONTROL_H */
