/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Kernel interfaces behind ports: offloads (SIOCETHTOOL) and kernel ring
 * drops (PACKET_STATISTICS, AF_XDP sock_diag). See zc_kif.h.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/xdp_diag.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "core/zc_config.h"
#include "core/zc_kif.h"
#include "core/zc_log.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif

/* ---- which ports are kernel interfaces ---------------------------------- */

static void port_iface(const struct zc_port_conf *pc, char *out, size_t len);

void
zc_kif_iface(const struct zc_port_conf *pc, char *out, size_t len)
{
	if (pc->kernel_iface[0] != '\0')
		snprintf(out, len, "%s", pc->kernel_iface);
	else
		port_iface(pc, out, len);
}

/* The interface a kernel-backed port uses, or "" for other drivers. */
static void
port_iface(const struct zc_port_conf *pc, char *out, size_t len)
{
	static const char *const keys[] = { ",iface=", ",rx_iface=" };
	unsigned int k;

	out[0] = '\0';
	if (strcmp(pc->driver, "net_af_packet") != 0 &&
	    strcmp(pc->driver, "net_af_xdp") != 0 &&
	    strcmp(pc->driver, "net_pcap") != 0)
		return;
	for (k = 0; k < RTE_DIM(keys); k++) {
		const char *p = strstr(pc->dev, keys[k]);
		size_t n;

		if (p == NULL)
			continue;
		p += strlen(keys[k]);
		n = strcspn(p, ",");
		if (n == 0 || n >= len || n >= IFNAMSIZ)
			continue;
		memcpy(out, p, n);
		out[n] = '\0';
		return;
	}
}

/* ---- ethtool features ------------------------------------------------------ */

struct features {
	unsigned int n;                        /* Feature count. */
	char (*name)[ETH_GSTRING_LEN];         /* Their names. */
	struct ethtool_gfeatures *g;           /* Their state. */
};

static int
ethtool(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

static void
features_free(struct features *f)
{
	free(f->name);
	free(f->g);
	memset(f, 0, sizeof(*f));
}

static int
features_read(int fd, const char *ifname, struct features *f)
{
	/* One set asked for: one count in the flexible data[] after it. */
	struct ethtool_sset_info *ss;
	struct ethtool_gstrings *gs = NULL;
	unsigned int blocks;
	int ret;

	memset(f, 0, sizeof(*f));
	ss = calloc(1, sizeof(*ss) + sizeof(ss->data[0]));
	if (ss == NULL)
		return -1;
	ss->cmd = ETHTOOL_GSSET_INFO;
	ss->sset_mask = 1ULL << ETH_SS_FEATURES;
	ret = ethtool(fd, ifname, ss);
	f->n = ret < 0 || ss->sset_mask == 0 ? 0 : ss->data[0];
	free(ss);
	if (f->n == 0)
		return -1;
	blocks = (f->n + 31) / 32;
	gs = calloc(1, sizeof(*gs) + f->n * ETH_GSTRING_LEN);
	f->name = calloc(f->n, ETH_GSTRING_LEN);
	f->g = calloc(1, sizeof(*f->g) + blocks * sizeof(f->g->features[0]));
	if (gs == NULL || f->name == NULL || f->g == NULL)
		goto fail;
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = f->n;
	if (ethtool(fd, ifname, gs) < 0)
		goto fail;
	memcpy(f->name, gs->data, f->n * ETH_GSTRING_LEN);
	f->g->cmd = ETHTOOL_GFEATURES;
	f->g->size = blocks;
	if (ethtool(fd, ifname, f->g) < 0)
		goto fail;
	free(gs);
	return 0;
fail:
	free(gs);
	features_free(f);
	return -1;
}

static bool
feature_bit(const struct features *f, unsigned int i, unsigned int what)
{
	const struct ethtool_get_features_block *b = &f->g->features[i / 32];
	uint32_t m = 1u << (i % 32);

	switch (what) {
	case 0:
		return b->active & m;
	default:
		return (b->available & m) && !(b->never_changed & m);
	}
}

/* Turn off the features flagged in off[]; 0 or -1. */
static int
features_off(int fd, const char *ifname, const struct features *f,
	     const bool *off)
{
	unsigned int blocks = (f->n + 31) / 32, i;
	struct ethtool_sfeatures *s;
	int ret;

	s = calloc(1, sizeof(*s) + blocks * sizeof(s->features[0]));
	if (s == NULL)
		return -1;
	s->cmd = ETHTOOL_SFEATURES;
	s->size = blocks;
	for (i = 0; i < f->n; i++)
		if (off[i])
			s->features[i / 32].valid |= 1u << (i % 32);
	ret = ethtool(fd, ifname, s);
	free(s);
	return ret < 0 ? -1 : 0;
}

/* Receive coalescing: GRO, LRO and their kin make frames larger than the
 * MTU, which the AF_PACKET ring truncates and AF_XDP cannot take.
 */
static bool
is_rx_coalescing(const char *name)
{
	return strcmp(name, "rx-gro") == 0 || strcmp(name, "rx-lro") == 0 ||
	       strcmp(name, "rx-gro-hw") == 0 ||
	       strcmp(name, "rx-gro-list") == 0 ||
	       strcmp(name, "rx-udp-gro-forwarding") == 0;
}

/* On a veth peer: the transmit checksum offloads. While one is on, the
 * peer's stack leaves TCP/UDP checksums to the "device" and, with TSO,
 * builds 64 KiB frames; the veth passes both on as they are. With them
 * off, the kernel checksums and segments in software before the veth
 * (segmentation offloads need checksum offload), and "ethtool -K PEER tx
 * on" brings everything back.
 */
static bool
is_tx_checksum(const char *name)
{
	return strncmp(name, "tx-checksum-", 12) == 0;
}

static void
add_word(char *list, size_t len, const char *w)
{
	strlcat(list, list[0] ? " " : "", len);
	strlcat(list, w, len);
}

static void
feature_name(const struct features *f, unsigned int i, char *out)
{
	memcpy(out, f->name[i], ETH_GSTRING_LEN);
	out[ETH_GSTRING_LEN] = '\0';
}

/*
 * Check one interface (through fd, a socket in its network namespace).
 * Active features matching want() are the offending ones; with fix, those
 * matching turn() are asked off. changed/stuck get the names of the
 * offending features now off, and of those still on; returns how many
 * offending features were on.
 */
static unsigned int
check_iface(int fd, const char *ifname, bool (*want)(const char *),
	    bool (*turn)(const char *), bool fix, char *changed, char *stuck,
	    size_t len)
{
	struct features f, after;
	char name[ETH_GSTRING_LEN + 1];
	unsigned int i, found = 0, asked = 0;
	bool *bad, *off, reread = false;

	changed[0] = stuck[0] = '\0';
	if (features_read(fd, ifname, &f) < 0)
		return 0;
	bad = calloc(f.n, sizeof(*bad));
	off = calloc(f.n, sizeof(*off));
	if (bad == NULL || off == NULL)
		goto out;
	for (i = 0; i < f.n; i++) {
		feature_name(&f, i, name);
		if (!feature_bit(&f, i, 0) || !want(name))
			continue;
		bad[i] = true;
		found++;
		if (turn(name) && feature_bit(&f, i, 1)) {
			off[i] = true;
			asked++;
		}
	}
	if (fix && asked != 0 && features_off(fd, ifname, &f, off) == 0 &&
	    features_read(fd, ifname, &after) == 0) {
		reread = after.n == f.n;
		for (i = 0; reread && i < f.n; i++) {
			if (!bad[i])
				continue;
			feature_name(&f, i, name);
			add_word(feature_bit(&after, i, 0) ? stuck : changed,
				 len, name);
		}
		features_free(&after);
	}
	for (i = 0; !reread && i < f.n; i++) {
		if (!bad[i])
			continue;
		feature_name(&f, i, name);
		add_word(stuck, len, name);
	}
out:
	free(bad);
	free(off);
	features_free(&f);
	return found;
}

/* virtio-net hands over frames with the checksum left to do
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM) while its receive checksum offload is on.
 */
static bool
is_rx_bad_virtio(const char *name)
{
	return is_rx_coalescing(name) || strcmp(name, "rx-checksum") == 0;
}

static void
driver_name(int fd, const char *ifname, char *out, size_t len)
{
	struct ethtool_drvinfo di;

	memset(&di, 0, sizeof(di));
	di.cmd = ETHTOOL_GDRVINFO;
	if (ethtool(fd, ifname, &di) < 0)
		strlcpy(out, "", len);
	else
		strlcpy(out, di.driver, len);
}

/* ---- a veth's peer, wherever it lives -------------------------------------- */

static int
nl_talk(int fd, void *req, size_t len, void *buf, size_t buflen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	if (sendto(fd, req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	n = recv(fd, buf, buflen, 0);
	return n < 0 ? -1 : (int)n;
}

/*
 * RTM_GETLINK for one interface, the reply in buf: the length of its
 * attributes from IFLA_RTA(NLMSG_DATA(buf)), or -1.
 */
static int
link_get(unsigned int ifindex, char *buf, size_t buflen)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req;
	const struct nlmsghdr *nh = (const struct nlmsghdr *)buf;
	int fd, n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)ifindex;
	n = nl_talk(fd, &req, sizeof(req), buf, buflen);
	close(fd);
	if (n < (int)NLMSG_LENGTH(sizeof(struct ifinfomsg)) ||
	    nh->nlmsg_type != RTM_NEWLINK)
		return -1;
	return (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(struct ifinfomsg));
}

/* IFLA_LINK (the peer's ifindex) and IFLA_LINK_NETNSID of an interface. */
static int
link_peer(unsigned int ifindex, unsigned int *peer, int *nsid)
{
	char buf[16384];
	struct rtattr *a;
	int alen;

	*peer = 0;
	*nsid = -1;
	alen = link_get(ifindex, buf, sizeof(buf));
	if (alen < 0)
		return -1;
	for (a = IFLA_RTA(NLMSG_DATA((struct nlmsghdr *)buf)); RTA_OK(a, alen);
	     a = RTA_NEXT(a, alen)) {
		if (a->rta_type == IFLA_LINK)
			*peer = *(uint32_t *)RTA_DATA(a);
		else if (a->rta_type == IFLA_LINK_NETNSID)
			*nsid = *(int32_t *)RTA_DATA(a);
	}
	return 0;
}

/* The id our namespace gives the namespace behind fd, or -1. */
static int
nsid_of_fd(int nlfd, int nsfd)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		char pad[3];
		struct rtattr a;
		uint32_t fd;
	} req;
	char buf[512];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *a;
	int n, alen;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNSID;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.g.rtgen_family = AF_UNSPEC;
	req.a.rta_len = RTA_LENGTH(sizeof(uint32_t));
	req.a.rta_type = NETNSA_FD;
	req.fd = (uint32_t)nsfd;
	n = nl_talk(nlfd, &req, sizeof(req), buf, sizeof(buf));
	if (n < (int)NLMSG_LENGTH(sizeof(struct rtgenmsg)) ||
	    nh->nlmsg_type != RTM_NEWNSID)
		return -1;
	alen = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(struct rtgenmsg));
	for (a = (struct rtattr *)((char *)NLMSG_DATA(nh) +
				   NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	     RTA_OK(a, alen); a = RTA_NEXT(a, alen))
		if (a->rta_type == NETNSA_NSID)
			return *(int32_t *)RTA_DATA(a);
	return -1;
}

/*
 * Find the namespace our namespace calls nsid among the named ones
 * (/run/netns) and those of running processes. Returns an open fd, with
 * how to enter it from a shell in where, or -1.
 */
static int
netns_open(int nsid, char *where, size_t len)
{
	static const char *const dirs[] = { "/run/netns", "/proc" };
	unsigned int d;
	int nlfd;

	nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nlfd < 0)
		return -1;
	for (d = 0; d < RTE_DIM(dirs); d++) {
		struct dirent *e;
		DIR *dir = opendir(dirs[d]);

		if (dir == NULL)
			continue;
		while ((e = readdir(dir)) != NULL) {
			char path[PATH_MAX];
			int fd;

			if (e->d_name[0] == '.')
				continue;
			if (d == 0)
				snprintf(path, sizeof(path), "/run/netns/%s",
					 e->d_name);
			else if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
				snprintf(path, sizeof(path),
					 "/proc/%s/ns/net", e->d_name);
			else
				continue;
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (nsid_of_fd(nlfd, fd) == nsid) {
				if (d == 0)
					snprintf(where, len, "ip netns exec %s ",
						 e->d_name);
				else
					snprintf(where, len, "nsenter --net=%s ",
						 path);
				closedir(dir);
				close(nlfd);
				return fd;
			}
			close(fd);
		}
		closedir(dir);
	}
	close(nlfd);
	return -1;
}

/* A datagram socket in the namespace behind nsfd (for ioctls there). */
static int
socket_in_netns(int nsfd)
{
	int self, s = -1;

	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	if (setns(nsfd, CLONE_NEWNET) == 0) {
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (setns(self, CLONE_NEWNET) != 0) {
			/* Cannot come back: this thread is lost. */
			ZC_LOG(ERR, "cannot return to the original network namespace: %s",
			       strerror(errno));
			abort();
		}
	}
	close(self);
	return s;
}

/* ---- kernel_offloads ------------------------------------------------------- */

/* "a b c d e" -> "a b c and 2 more", for messages. */
static const char *
shorten(const char *list, char *buf, size_t len)
{
	const char *p = list;
	unsigned int n = 0, words = 0;

	for (p = list; *p != '\0'; p++)
		words += (p == list || p[-1] == ' ') && *p != ' ';
	buf[0] = '\0';
	for (p = list; *p != '\0' && n < 3; n++) {
		size_t w = strcspn(p, " ");
		char word[ETH_GSTRING_LEN + 1];

		snprintf(word, sizeof(word), "%.*s", (int)w, p);
		strlcat(buf, n ? ", " : "", len);
		strlcat(buf, word, len);
		p += w + (p[w] == ' ');
	}
	if (words > n) {
		char more[32];

		snprintf(more, sizeof(more), " and %u more", words - n);
		strlcat(buf, more, len);
	}
	return buf;
}

/*
 * The ethtool -K arguments that turn a list of kernel feature names off,
 * in ethtool's own words where it has them. "tx off" turns off every
 * tx-checksum-* feature, and the kernel then drops the segmentation
 * offloads that need them.
 */
static const char *
ethtool_args(const char *list, const char *state, char *buf, size_t len)
{
	bool tx = strstr(list, "tx-checksum-") != NULL;
	const char *p = list;

	buf[0] = '\0';
	while (*p != '\0') {
		size_t w = strcspn(p, " ");
		char word[ETH_GSTRING_LEN + 1];
		const char *arg = word;

		snprintf(word, sizeof(word), "%.*s", (int)w, p);
		p += w + (p[w] == ' ');
		if (strcmp(word, "rx-gro") == 0)
			arg = "gro";
		else if (strcmp(word, "rx-lro") == 0)
			arg = "lro";
		else if (strcmp(word, "rx-checksum") == 0)
			arg = "rx";
		else if (strncmp(word, "tx-checksum-", 12) == 0)
			arg = "tx";
		else if (tx && strstr(word, "-segmentation") != NULL)
			continue; /* follows tx, both ways */
		{
			char one[64];

			snprintf(one, sizeof(one), " %s %s", arg, state);
			if (strstr(buf, one) == NULL)
				strlcat(buf, one, len);
		}
	}
	return buf;
}

static void
report(unsigned int idx, const char *role, const char *ifname,
       const char *where, bool fix, const char *changed, const char *stuck)
{
	char shown[256], args[256];

	if (changed[0] != '\0')
		ZC_LOG(NOTICE, "port %u: kernel_offloads = fix: turned off on %s %s: %s (oversize or partially checksummed frames otherwise; to undo: %sethtool -K %s%s)",
		       idx, role, ifname, shorten(changed, shown, sizeof(shown)),
		       where, ifname, ethtool_args(changed, "on", args,
						   sizeof(args)));
	if (stuck[0] != '\0')
		ZC_LOG(WARNING, "port %u: %s %s has %s on: TCP through zcpipe will fail (oversize or partially checksummed frames)%s; run: %sethtool -K %s%s",
		       idx, role, ifname, shorten(stuck, shown, sizeof(shown)),
		       fix ? " and zcpipe could not turn them off" :
		       ", and [port.N] kernel_offloads = keep leaves them",
		       where, ifname, ethtool_args(stuck, "off", args,
						   sizeof(args)));
}

void
zc_kif_offloads(const struct zc_config *cfg, unsigned int idx)
{
	const struct zc_port_conf *pc = &cfg->port[idx];
	bool fix = !pc->kernel_offloads_keep;
	char ifname[IFNAMSIZ], drv[32], changed[512], stuck[512];
	unsigned int ifindex, peer;
	int fd, nsid;

	port_iface(pc, ifname, sizeof(ifname));
	if (ifname[0] == '\0')
		return;
	ifindex = if_nametoindex(ifname);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ifindex == 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	driver_name(fd, ifname, drv, sizeof(drv));
	if (strcmp(drv, "virtio_net") == 0)
		check_iface(fd, ifname, is_rx_bad_virtio, is_rx_bad_virtio,
			    fix, changed, stuck, sizeof(changed));
	else
		check_iface(fd, ifname, is_rx_coalescing, is_rx_coalescing,
			    fix, changed, stuck, sizeof(changed));
	report(idx, "interface", ifname, "", fix, changed, stuck);
	if (strcmp(drv, "veth") != 0 || link_peer(ifindex, &peer, &nsid) < 0 ||
	    peer == 0) {
		close(fd);
		return;
	}

	/* The veth's other end transmits what we receive. */
	{
		char where[PATH_MAX + 32] = "", pname[IFNAMSIZ] = "";
		struct ifreq ifr;
		int pfd = fd, nsfd = -1;

		if (nsid >= 0) {
			nsfd = netns_open(nsid, where, sizeof(where));
			pfd = nsfd >= 0 ? socket_in_netns(nsfd) : -1;
			if (nsfd >= 0)
				close(nsfd);
			if (pfd < 0) {
				ZC_LOG(WARNING, "port %u: cannot reach the veth peer of %s (another network namespace): if it has tx checksum or segmentation offloads on, TCP through zcpipe fails; run 'ethtool -K PEER tx off' in its namespace",
				       idx, ifname);
				close(fd);
				return;
			}
		}
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_ifindex = (int)peer;
		if (ioctl(pfd, SIOCGIFNAME, &ifr) == 0)
			strlcpy(pname, ifr.ifr_name, sizeof(pname));
		if (pname[0] != '\0') {
			check_iface(pfd, pname, is_tx_checksum, is_tx_checksum,
				    fix, changed, stuck, sizeof(changed));
			report(idx, "its veth peer", pname, where, fix, changed,
			       stuck);
		}
		if (pfd != fd)
			close(pfd);
	}
	close(fd);
}

/* ---- kernel ring drops ----------------------------------------------------- */

/* Per ethdev port: drops since start, by reason (single writer: main). */
static struct {
	unsigned int ifindex;
	uint8_t xdp;
	uint64_t ring_full;       /* AF_PACKET tp_drops, summed. */
	uint64_t xdp_rx_full;     /* AF_XDP RX ring full. */
} kif_port[RTE_MAX_ETHPORTS];

static uint64_t kif_last_tsc;

/* Inodes of this process's sockets. */
static unsigned int
own_sockets(unsigned long *ino, unsigned int max, int *fds)
{
	struct dirent *e;
	unsigned int n = 0;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		char path[64], link[64];
		uint64_t v, fd;
		ssize_t l;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		l = readlink(path, link, sizeof(link) - 1);
		if (l <= 0)
			continue;
		link[l] = '\0';
		/* "socket:[INODE]" */
		if (strncmp(link, "socket:[", 8) != 0 ||
		    link[l - 1] != ']')
			continue;
		link[l - 1] = '\0';
		if (zc_parse_uint(link + 8, 0, ULONG_MAX, &v) < 0 ||
		    zc_parse_uint(e->d_name, 0, INT_MAX, &fd) < 0)
			continue;
		ino[n] = (unsigned long)v;
		fds[n++] = (int)fd;
	}
	closedir(d);
	return n;
}

/* AF_XDP sockets of ours: RX ring full counts, by ifindex. */
static void
sample_xdp(const unsigned long *ino, unsigned int nb_ino)
{
	struct {
		struct nlmsghdr nh;
		struct xdp_diag_req r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static char buf[32768];
	static uint64_t full[RTE_MAX_ETHPORTS];
	unsigned int p;
	int fd;
	bool done = false;

	memset(full, 0, sizeof(full));
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = AF_XDP;
	req.r.xdiag_show = XDP_SHOW_INFO | XDP_SHOW_STATS;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		close(fd);
		return;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n <= 0)
			break;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			struct xdp_diag_msg *m = NLMSG_DATA(nh);
			struct xdp_diag_info *info = NULL;
			struct xdp_diag_stats *st = NULL;
			struct rtattr *a;
			unsigned int i;
			int alen;

			if (nh->nlmsg_type == NLMSG_DONE ||
			    nh->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			for (i = 0; i < nb_ino; i++)
				if (ino[i] == m->xdiag_ino)
					break;
			if (i == nb_ino)
				continue;
			alen = (int)nh->nlmsg_len -
			       (int)NLMSG_LENGTH(sizeof(*m));
			for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen);
			     a = RTA_NEXT(a, alen)) {
				if (a->rta_type == XDP_DIAG_INFO)
					info = RTA_DATA(a);
				else if (a->rta_type == XDP_DIAG_STATS)
					st = RTA_DATA(a);
			}
			if (info == NULL || st == NULL)
				continue;
			for (p = 0; p < RTE_MAX_ETHPORTS; p++)
				if (kif_port[p].xdp &&
				    kif_port[p].ifindex == info->ifindex)
					full[p] += st->n_rx_full;
		}
	}
	close(fd);
	/* One store per port: readers never see a partial sum. */
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (kif_port[p].xdp && done)
			kif_port[p].xdp_rx_full = full[p];
}

void
zc_kif_sample(const struct zc_config *cfg)
{
	uint64_t now = rte_rdtsc();

	if (now - kif_last_tsc < rte_get_tsc_hz() / 10)
		return;
	kif_last_tsc = now;
	zc_kif_sample_now(cfg);
}

void
zc_kif_sample_now(const struct zc_config *cfg)
{
	unsigned long ino[256];
	int fds[256];
	unsigned int i, n, any_xdp = 0, any_packet = 0;

	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port_conf *pc = &cfg->port[i];
		char ifname[IFNAMSIZ];
		uint16_t pid = pc->port_id;

		port_iface(pc, ifname, sizeof(ifname));
		if (ifname[0] == '\0' || strcmp(pc->driver, "net_pcap") == 0)
			continue;
		if (kif_port[pid].ifindex == 0)
			kif_port[pid].ifindex = if_nametoindex(ifname);
		kif_port[pid].xdp = strcmp(pc->driver, "net_af_xdp") == 0;
		any_xdp |= kif_port[pid].xdp;
		any_packet |= !kif_port[pid].xdp;
	}
	if (!any_xdp && !any_packet)
		return;
	n = own_sockets(ino, RTE_DIM(ino), fds);
	/* PACKET_STATISTICS returns the drops since the last read and
	 * resets them; nothing else in zcpipe or the PMD reads them.
	 */
	for (i = 0; i < n && any_packet; i++) {
		struct sockaddr_ll sll;
		struct tpacket_stats ts;
		socklen_t len = sizeof(int);
		unsigned int p;
		int dom = 0;

		if (getsockopt(fds[i], SOL_SOCKET, SO_DOMAIN, &dom, &len) < 0 ||
		    dom != AF_PACKET)
			continue;
		len = sizeof(sll);
		if (getsockname(fds[i], (struct sockaddr *)&sll, &len) < 0)
			continue;
		len = sizeof(ts);
		if (getsockopt(fds[i], SOL_PACKET, PACKET_STATISTICS, &ts,
			       &len) < 0)
			continue;
		for (p = 0; p < RTE_MAX_ETHPORTS; p++)
			if (!kif_port[p].xdp && kif_port[p].ifindex != 0 &&
			    kif_port[p].ifindex == (unsigned int)sll.sll_ifindex)
				kif_port[p].ring_full += ts.tp_drops;
	}
	if (any_xdp)
		sample_xdp(ino, n);
}

unsigned int
zc_kif_drops(uint16_t port_id, const char **names, uint64_t *counts)
{
	if (port_id >= RTE_MAX_ETHPORTS || kif_port[port_id].ifindex == 0)
		return 0;
	if (kif_port[port_id].xdp) {
		names[0] = "xdp_rx_ring_full";
		counts[0] = kif_port[port_id].xdp_rx_full;
	} else {
		names[0] = "kernel_ring_full";
		counts[0] = kif_port[port_id].ring_full;
	}
	return 1;
}

/* ---- busy ports ------------------------------------------------------------ */

/* The XDP program id attached to an interface, 0 if none. */
static unsigned int
xdp_prog_id(unsigned int ifindex)
{
	char buf[16384];
	struct rtattr *a, *x;
	unsigned int id = 0;
	int alen, xlen;

	alen = link_get(ifindex, buf, sizeof(buf));
	if (alen < 0)
		return 0;
	for (a = IFLA_RTA(NLMSG_DATA((struct nlmsghdr *)buf)); RTA_OK(a, alen);
	     a = RTA_NEXT(a, alen)) {
		if ((a->rta_type & ~NLA_F_NESTED) != IFLA_XDP)
			continue;
		xlen = (int)RTA_PAYLOAD(a);
		for (x = RTA_DATA(a); RTA_OK(x, xlen); x = RTA_NEXT(x, xlen))
			if (x->rta_type == IFLA_XDP_PROG_ID)
				id = *(uint32_t *)RTA_DATA(x);
	}
	return id;
}

/* The first other process with path open, as "PID (COMM)", or "". */
static void
holder_of(const char *path, char *out, size_t len)
{
	struct dirent *p;
	DIR *proc = opendir("/proc");
	char self[16];

	out[0] = '\0';
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (proc == NULL)
		return;
	while ((p = readdir(proc)) != NULL && out[0] == '\0') {
		char dir[64], link[PATH_MAX];
		struct dirent *f;
		DIR *fds;

		if (p->d_name[0] < '0' || p->d_name[0] > '9' ||
		    strcmp(p->d_name, self) == 0)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%s/fd", p->d_name);
		fds = opendir(dir);
		if (fds == NULL)
			continue;
		while ((f = readdir(fds)) != NULL) {
			char fp[128];
			ssize_t l;

			snprintf(fp, sizeof(fp), "%s/%s", dir, f->d_name);
			l = readlink(fp, link, sizeof(link) - 1);
			if (l <= 0)
				continue;
			link[l] = '\0';
			if (strcmp(link, path) == 0) {
				char cp[64], comm[32] = "?";
				FILE *c;

				snprintf(cp, sizeof(cp), "/proc/%s/comm",
					 p->d_name);
				c = fopen(cp, "r");
				if (c != NULL) {
					if (fgets(comm, sizeof(comm), c) != NULL)
						comm[strcspn(comm, "\n")] = '\0';
					fclose(c);
				}
				snprintf(out, len, "%s (%s)", p->d_name, comm);
				break;
			}
		}
		closedir(fds);
	}
	closedir(proc);
}

const char *
zc_kif_busy_hint(const struct zc_config *cfg, unsigned int idx, char *buf,
		 size_t len)
{
	const struct zc_port_conf *pc = &cfg->port[idx];
	char ifname[IFNAMSIZ], who[128];

	buf[0] = '\0';
	if (strcmp(pc->driver, "pci") == 0) {
		char path[PATH_MAX], link[PATH_MAX], *drv;
		int n = (int)strcspn(pc->dev, ",");
		ssize_t l;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.*s/driver",
			 n, pc->dev);
		l = readlink(path, link, sizeof(link) - 1);
		if (l <= 0) {
			snprintf(buf, len, "; %.*s has no driver: bind it with scripts/bind-nic.sh %.*s",
				 n, pc->dev, n, pc->dev);
			return buf;
		}
		link[l] = '\0';
		drv = strrchr(link, '/') != NULL ? strrchr(link, '/') + 1 : link;
		if (strcmp(drv, "vfio-pci") != 0 && strcmp(drv, "mlx5_core") != 0) {
			snprintf(buf, len, "; %.*s is on the kernel driver %s: bind it to vfio-pci with scripts/bind-nic.sh %.*s",
				 n, pc->dev, drv, n, pc->dev);
			return buf;
		}
		/* The device's VFIO group, open in another process. */
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.*s/iommu_group",
			 n, pc->dev);
		l = readlink(path, link, sizeof(link) - 1);
		if (l > 0) {
			char dev[64];

			link[l] = '\0';
			snprintf(dev, sizeof(dev), "/dev/vfio/%s",
				 strrchr(link, '/') + 1);
			holder_of(dev, who, sizeof(who));
			if (who[0] == '\0') {
				snprintf(dev, sizeof(dev), "/dev/vfio/noiommu-%s",
					 strrchr(link, '/') + 1);
				holder_of(dev, who, sizeof(who));
			}
			if (who[0] != '\0')
				snprintf(buf, len, "; the device is busy: process %s holds %s; stop it, or give the device to one instance only",
					 who, dev);
		}
		return buf;
	}
	port_iface(pc, ifname, sizeof(ifname));
	if (ifname[0] == '\0')
		return buf;
	if (if_nametoindex(ifname) == 0) {
		snprintf(buf, len, "; there is no interface '%s' (ip link show)",
			 ifname);
		return buf;
	}
	if (strcmp(pc->driver, "net_af_xdp") == 0) {
		unsigned int id = xdp_prog_id(if_nametoindex(ifname));

		if (id != 0)
			snprintf(buf, len, "; the interface is busy: %s already has an XDP program (id %u), from another zcpipe or XDP user; stop it, or detach a stale one with 'ip link set dev %s xdp off'",
				 ifname, id, ifname);
	}
	return buf;
}
