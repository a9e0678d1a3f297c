/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * IP protocol names: one list for every text that names a protocol (ACL
 * rules, the /zcpipe/trace filter and its display).
 */

#include <netinet/in.h>
#include <string.h>

#include <rte_common.h>

#include "parse/zc_parse.h"

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	/* The first name of a protocol is the one shown. */
	{ "icmp", IPPROTO_ICMP }, { "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP }, { "gre", IPPROTO_GRE },
	{ "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH },
	{ "icmpv6", IPPROTO_ICMPV6 }, { "sctp", IPPROTO_SCTP },
	/* Accepted, never shown: what the trace filter used to call it. */
	{ "icmp6", IPPROTO_ICMPV6 },
};

int
zc_proto_by_name(const char *name, uint8_t *proto)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(proto_names); i++)
		if (strcmp(name, proto_names[i].name) == 0) {
			*proto = proto_names[i].proto;
			return 0;
		}
	return -1;
}

const char *
zc_proto_name(uint8_t proto)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(proto_names); i++)
		if (proto_names[i].proto == proto)
			return proto_names[i].name;
	return NULL;
}
