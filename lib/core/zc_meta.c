/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>
#include <rte_string_fns.h>

#include "core/zc_meta.h"

int zc_meta_offset = -1;
int zc_rx_tsc_offset = -1;

static const char *const md_names[ZC_MD_NB] = {
	"l2", "l3", "l4", "tunnel", "flow_hash", "egress", "actions",
};

char *
zc_md_format(uint32_t mask, char *buf, size_t len)
{
	unsigned int i;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < ZC_MD_NB; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, md_names[i], len);
	}
	if (buf[0] == '\0')
		strlcpy(buf, "-", len);
	return buf;
}

int
zc_meta_register(void)
{
	static const struct rte_mbuf_dynfield meta_desc = {
		.name = "zcpipe_meta",
		.size = sizeof(struct zc_meta),
		.align = __alignof__(uint32_t),
	};

	RTE_BUILD_BUG_ON(sizeof(struct zc_meta) != 24);

	zc_meta_offset = rte_mbuf_dynfield_register(&meta_desc);
	if (zc_meta_offset < 0)
		return -rte_errno;
	return 0;
}

int
zc_rx_tsc_register(void)
{
	static const struct rte_mbuf_dynfield tsc_desc = {
		.name = "zcpipe_rx_tsc",
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};

	zc_rx_tsc_offset = rte_mbuf_dynfield_register(&tsc_desc);
	if (zc_rx_tsc_offset < 0)
		return -rte_errno;
	return 0;
}
