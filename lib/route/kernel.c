/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * [route] source = kernel: the main routing table and the neighbours of
 * zcpipe's network namespace, mirrored over rtnetlink with libmnl, on the
 * control thread (docs/control.md).
 *
 * A kernel interface stands for a port ([port.N] kernel_iface, else the
 * port's own af_packet/af_xdp/pcap interface); routes and neighbours on
 * other interfaces are not the router's and are left out. At start one
 * dump (RTM_GETROUTE, RTM_GETNEIGH) is applied as the kernel's whole
 * share of the tables; then every RTM_NEWROUTE, RTM_DELROUTE,
 * RTM_NEWNEIGH and RTM_DELNEIGH read is applied, all that is waiting at
 * once as one batch (lib/route/update.c). If the kernel drops
 * notifications (ENOBUFS), a new dump puts things right.
 *
 * Each kernel route becomes a line in the routes file's syntax
 * ("P via G port N via G2 port M", "P port N") and goes through the same
 * checks; one the tables refuse (a next hop outside the port's subnet, a
 * port's own prefix) is logged and left out, the others go in. Connected
 * routes (proto kernel) are not mirrored: the ports' addresses come from
 * the configuration.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "core/zc_config.h"
#include "core/zc_kif.h"
#include "core/zc_log.h"
#include "route/zc_route.h"

/* Changes read before they are applied, at most. */
#define KERNEL_BATCH_MAX 65536

/* Receive buffer asked for: ip -batch sends fast. */
#define KERNEL_RCVBUF (32 << 20)

static struct {
	struct mnl_socket *ev;   /* Notifications. */
	const struct zc_config *cfg;
	unsigned int nb_map;     /* Entries in ifindex / port. */
	unsigned int ifindex[ZC_MAX_PORTS];
	unsigned int port[ZC_MAX_PORTS]; /* Configuration index. */
	uint64_t changes;        /* Changes read. */
	uint64_t dumps;          /* Dumps applied. */
	uint32_t seq;            /* Of the last dump request. */
	char buf[1 << 16];       /* Receive buffer. */
} kn;

/* The port an interface stands for, or -1. */
static int
port_of(unsigned int ifindex)
{
	unsigned int i;

	for (i = 0; i < kn.nb_map; i++)
		if (kn.ifindex[i] == ifindex)
			return (int)kn.port[i];
	return -1;
}

/* What a message callback fills. */
struct kn_ctx {
	struct zc_route_batch *b;
	uint32_t n;              /* Changes added. */
};

static int
attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, RTA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int
nattr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, NDA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static void
addr_text(int family, const void *a, char *buf, size_t len)
{
	if (inet_ntop(family, a, buf, len) == NULL)
		snprintf(buf, len, "?");
}

/* " via G port N" (or " port N" without a gateway) for one next hop;
 * -1 if its interface is not a port's.
 */
static int
nh_text(int family, const struct nlattr *gw, unsigned int ifindex,
	char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int p = port_of(ifindex);

	if (p < 0)
		return -1;
	if (gw == NULL)
		return snprintf(out, len, " port %d", p) < (int)len ? 0 : -1;
	addr_text(family, mnl_attr_get_payload(gw), a, sizeof(a));
	return snprintf(out, len, " via %s port %d", a, p) < (int)len ? 0 : -1;
}

static void
route_msg(const struct nlmsghdr *nlh, struct kn_ctx *c)
{
	const struct rtmsg *rm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { NULL };
	char line[1024], pfx[INET6_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN];
	char err[512];
	uint8_t zero[16] = { 0 };
	uint32_t table;
	size_t n;

	if (rm->rtm_family != AF_INET && rm->rtm_family != AF_INET6)
		return;
	mnl_attr_parse(nlh, sizeof(*rm), attr_cb, tb);
	table = tb[RTA_TABLE] != NULL ? mnl_attr_get_u32(tb[RTA_TABLE]) :
		rm->rtm_table;
	if (table != RT_TABLE_MAIN || (rm->rtm_flags & RTM_F_CLONED))
		return;
	addr_text(rm->rtm_family, tb[RTA_DST] != NULL ?
		  mnl_attr_get_payload(tb[RTA_DST]) : zero, a, sizeof(a));
	snprintf(pfx, sizeof(pfx), "%s/%u", a, rm->rtm_dst_len);
	if (nlh->nlmsg_type == RTM_DELROUTE) {
		if (zc_route_batch_del_src(c->b, "kernel", pfx, err,
					   sizeof(err)) == 0)
			c->n++;
		return;
	}
	/* Unicast routes the kernel was told of; not its own connected
	 * ones, which the ports' addresses give.
	 */
	if (rm->rtm_type != RTN_UNICAST || rm->rtm_protocol == RTPROT_KERNEL)
		return;
	n = (size_t)snprintf(line, sizeof(line), "%s", pfx);
	if (tb[RTA_MULTIPATH] != NULL) {
		const struct rtnexthop *nh =
			mnl_attr_get_payload(tb[RTA_MULTIPATH]);
		int left = (int)mnl_attr_get_payload_len(tb[RTA_MULTIPATH]);

		for (; RTNH_OK(nh, left);
		     left -= RTNH_ALIGN(nh->rtnh_len), nh = RTNH_NEXT(nh)) {
			const struct nlattr *ntb[RTA_MAX + 1] = { NULL };
			const struct nlattr *at = (const struct nlattr *)
						  RTNH_DATA(nh);
			int alen = nh->rtnh_len - (int)sizeof(*nh);

			for (; mnl_attr_ok(at, alen);
			     alen -= (int)MNL_ALIGN(at->nla_len),
			     at = mnl_attr_next(at))
				if (mnl_attr_type_valid(at, RTA_MAX) >= 0)
					ntb[mnl_attr_get_type(at)] = at;
			if (nh_text(rm->rtm_family, ntb[RTA_GATEWAY],
				    (unsigned int)nh->rtnh_ifindex, line + n,
				    sizeof(line) - n) < 0)
				return; /* A next hop on no port of ours. */
			n = strlen(line);
		}
	} else if (tb[RTA_OIF] != NULL) {
		if (nh_text(rm->rtm_family, tb[RTA_GATEWAY],
			    mnl_attr_get_u32(tb[RTA_OIF]), line + n,
			    sizeof(line) - n) < 0)
			return;
	} else {
		return;
	}
	if (zc_route_batch_route(c->b, ZC_BATCH_PUT, "kernel", line, err,
				 sizeof(err)) < 0) {
		ZC_LOG(WARNING, "control: kernel route %s left out: %s", line,
		       err);
		return;
	}
	c->n++;
}

static void
neigh_msg(const struct nlmsghdr *nlh, struct kn_ctx *c)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = { NULL };
	char line[256], a[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	char err[512];
	int p = port_of((unsigned int)nd->ndm_ifindex);
	int gone;

	if (p < 0 || (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6))
		return;
	mnl_attr_parse(nlh, sizeof(*nd), nattr_cb, tb);
	if (tb[NDA_DST] == NULL)
		return;
	addr_text(nd->ndm_family, mnl_attr_get_payload(tb[NDA_DST]), a,
		  sizeof(a));
	gone = nlh->nlmsg_type == RTM_DELNEIGH ||
	       (nd->ndm_state & (NUD_INCOMPLETE | NUD_FAILED)) != 0 ||
	       nd->ndm_state == NUD_NONE || tb[NDA_LLADDR] == NULL ||
	       mnl_attr_get_payload_len(tb[NDA_LLADDR]) != RTE_ETHER_ADDR_LEN;
	if (gone) {
		if (zc_route_batch_neigh_del_src(c->b, "kernel", a, p, err,
						 sizeof(err)) == 0)
			c->n++;
		return;
	}
	/* Multicast and broadcast entries (NOARP) are no neighbours. */
	if (nd->ndm_state & NUD_NOARP)
		return;
	rte_ether_format_addr(mac, sizeof(mac),
			      mnl_attr_get_payload(tb[NDA_LLADDR]));
	snprintf(line, sizeof(line), "%s %s port %d", a, mac, p);
	if (zc_route_batch_neigh(c->b, "kernel", line, err, sizeof(err)) < 0) {
		ZC_LOG(WARNING, "control: kernel neighbour %s left out: %s",
		       line, err);
		return;
	}
	c->n++;
}

static int
msg_cb(const struct nlmsghdr *nlh, void *data)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		route_msg(nlh, data);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		neigh_msg(nlh, data);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* Prepare and commit what was read. */
static void
apply(struct zc_route_batch *b, uint32_t n, const char *what)
{
	const struct zc_route_batch_stats *st;
	char err[512];

	if (zc_route_batch_prepare(b, err, sizeof(err)) < 0) {
		ZC_LOG(ERR, "control: kernel %s of %u change(s) refused: %s",
		       what, n, err);
		return;
	}
	zc_route_batch_commit(b);
	st = zc_route_batch_stats(b);
	ZC_LOG(INFO, "control: kernel %s: routes %u added, %u replaced, %u deleted; neighbours %u set, %u deleted; %u unchanged, %" PRIu64 " left out",
	       what, st->added, st->replaced, st->deleted, st->neigh_set,
	       st->neigh_deleted, st->unchanged, st->skipped);
}

/* One dump request on its own socket, read to its end. */
static int
dump_one(struct mnl_socket *nl, uint16_t type, uint8_t family,
	 struct kn_ctx *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(kn.buf);
	unsigned int portid = mnl_socket_get_portid(nl);
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++kn.seq;
	if (type == RTM_GETROUTE) {
		struct rtmsg *rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));

		rm->rtm_family = family;
	} else {
		struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

		nd->ndm_family = family;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ret = (int)mnl_socket_recvfrom(nl, kn.buf, sizeof(kn.buf));
		if (ret <= 0)
			return ret < 0 ? -errno : -EIO;
		ret = mnl_cb_run(kn.buf, (size_t)ret, kn.seq, portid, msg_cb,
				 c);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -errno : 0;
	}
}

/* The kernel's whole share of the tables, again. */
static int
dump(void)
{
	static const struct {
		uint16_t type;
		uint8_t family;
	} what[] = {
		{ RTM_GETNEIGH, AF_INET }, { RTM_GETNEIGH, AF_INET6 },
		{ RTM_GETROUTE, AF_INET }, { RTM_GETROUTE, AF_INET6 },
	};
	struct kn_ctx c = { .b = zc_route_batch_new(kn.cfg) };
	struct mnl_socket *nl;
	unsigned int i;
	int ret = 0;

	if (c.b == NULL)
		return -ENOMEM;
	zc_route_batch_mode(c.b, ZC_SRC_KERNEL, 1, 1);
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < RTE_DIM(what) && ret == 0; i++)
		ret = dump_one(nl, what[i].type, what[i].family, &c);
	if (ret == 0) {
		apply(c.b, c.n, "dump");
		kn.dumps++;
	}
out:
	if (nl != NULL)
		mnl_socket_close(nl);
	zc_route_batch_free(c.b);
	return ret;
}

int
zc_route_kernel_open(const struct zc_config *cfg)
{
	unsigned int i, groups = RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE |
				 RTMGRP_NEIGH;
	int fd, sz = KERNEL_RCVBUF, ret;

	if (!zc_route_conf.source_kernel || zc_route_count() == 0)
		return -1;
	kn.cfg = cfg;
	kn.nb_map = 0;
	for (i = 0; i < cfg->nb_ports; i++) {
		char name[IF_NAMESIZE];
		unsigned int ifindex;

		zc_kif_iface(&cfg->port[i], name, sizeof(name));
		if (name[0] == '\0')
			continue;
		ifindex = if_nametoindex(name);
		if (ifindex == 0) {
			ZC_LOG(WARNING, "control: [port.%u]: kernel interface %s not found: its routes are not mirrored",
			       i, name);
			continue;
		}
		kn.ifindex[kn.nb_map] = ifindex;
		kn.port[kn.nb_map++] = i;
	}
	if (kn.nb_map == 0)
		ZC_LOG(WARNING, "control: [route] source = kernel, but no port has a kernel interface (kernel_iface)");
	/* Subscribe first, so that nothing falls between dump and events. */
	kn.ev = mnl_socket_open(NETLINK_ROUTE);
	if (kn.ev == NULL || mnl_socket_bind(kn.ev, groups,
					     MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		ZC_LOG(ERR, "control: rtnetlink: %s: routes are not mirrored",
		       strerror(-ret));
		zc_route_kernel_close();
		return -1;
	}
	fd = mnl_socket_get_fd(kn.ev);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	ret = dump();
	if (ret < 0)
		ZC_LOG(ERR, "control: rtnetlink dump: %s", strerror(-ret));
	ZC_LOG(INFO, "control: mirroring the kernel's routes and neighbours of %u interface(s)",
	       kn.nb_map);
	return fd;
}

void
zc_route_kernel_input(void)
{
	struct kn_ctx c = { .b = zc_route_batch_new(kn.cfg) };
	int resync = 0;

	if (c.b == NULL || kn.ev == NULL) {
		zc_route_batch_free(c.b);
		return;
	}
	zc_route_batch_mode(c.b, ZC_SRC_KERNEL, 1, 0);
	while (c.n < KERNEL_BATCH_MAX) {
		ssize_t n = recv(mnl_socket_get_fd(kn.ev), kn.buf,
				 sizeof(kn.buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			resync = errno == ENOBUFS;
			break;
		}
		if (n == 0)
			break;
		mnl_cb_run(kn.buf, (size_t)n, 0, 0, msg_cb, &c);
	}
	kn.changes += c.n;
	if (c.n != 0)
		apply(c.b, c.n, "change");
	zc_route_batch_free(c.b);
	if (resync) {
		ZC_LOG(WARNING, "control: the kernel dropped route notifications (ENOBUFS): reading its tables again");
		dump();
	}
}

void
zc_route_kernel_stats(uint64_t *changes, uint64_t *dumps)
{
	*changes = kn.changes;
	*dumps = kn.dumps;
}

void
zc_route_kernel_close(void)
{
	if (kn.ev != NULL)
		mnl_socket_close(kn.ev);
	kn.ev = NULL;
}
