/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The packet parser (zc_parse_packet()). Input: 3 control bytes, then the
 * frame. Control byte 0 picks the configuration (bit 0 strict (router)
 * or lenient (l2-xconnect), bit 1 drop bad IPv4 checksums, bit 2 depth
 * l2, bits 3-5 max_vlan) and bit 6 an RSS hash from the "NIC", bit 7 an
 * IP checksum already verified good; bytes 1 and 2 place one or two cuts.
 * The frame is parsed in one mbuf, then in a chain cut there (and every
 * 2,048 bytes); both must give the same verdict, metadata and mbuf
 * fields, and every mbuf must be back in its pool.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "fuzz.h"
#include "core/zc_config.h"
#include "core/zc_drop.h"
#include "core/zc_meta.h"
#include "parse/zc_parse.h"

/* Data room of a chain's segments, and of the one-mbuf copy. */
#define SEG_ROOM   2048
#define WHOLE_ROOM 16384
#define NB_MBUFS   63

static struct rte_mempool *whole_pool, *seg_pool;
static struct zc_config cfg;

int
zc_fuzz_init(void)
{
	if (zc_meta_register() < 0)
		return -1;
	whole_pool = rte_pktmbuf_pool_create("fz_whole", NB_MBUFS, 0, 0,
					     WHOLE_ROOM + RTE_PKTMBUF_HEADROOM,
					     SOCKET_ID_ANY);
	seg_pool = rte_pktmbuf_pool_create("fz_seg", 2 * NB_MBUFS, 0, 0,
					   SEG_ROOM + RTE_PKTMBUF_HEADROOM,
					   SOCKET_ID_ANY);
	return whole_pool != NULL && seg_pool != NULL ? 0 : -1;
}

static void
rx_flags(struct rte_mbuf *m, uint8_t ctl)
{
	if (ctl & 0x40) {
		m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
		m->hash.rss = 0x12345678;
	}
	if (ctl & 0x80)
		m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	zc_meta_reset(zc_meta(m));
}

/* The frame as a chain cut at cut[] and at least every SEG_ROOM bytes. */
static struct rte_mbuf *
mk_chain(const uint8_t *b, uint32_t len, const uint32_t *cut,
	 unsigned int nb_cut)
{
	struct rte_mbuf *head = NULL;
	uint32_t start = 0;
	unsigned int i;

	for (i = 0; i <= nb_cut; i++) {
		uint32_t stop = i < nb_cut ? cut[i] : len;

		while (start < stop || head == NULL) {
			uint32_t n = RTE_MIN(stop - start, (uint32_t)SEG_ROOM);
			struct rte_mbuf *m = rte_pktmbuf_alloc(seg_pool);
			char *d;

			if (m == NULL)
				abort();
			d = rte_pktmbuf_append(m, (uint16_t)n);
			if (d == NULL)
				abort();
			memcpy(d, b + start, n);
			if (head == NULL)
				head = m;
			else if (rte_pktmbuf_chain(head, m) != 0)
				abort();
			start += n;
			if (n == 0)
				break;
		}
	}
	return head;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zc_parse_conf pc;
	struct rte_mbuf *w, *c;
	struct zc_meta mw, mc;
	enum zc_drop_reason rw, rc;
	uint32_t len, cut[2];
	unsigned int nb_cut = 0;
	uint8_t ctl;

	if (size < 3 || size - 3 > WHOLE_ROOM)
		return 0;
	ctl = data[0];
	len = (uint32_t)(size - 3);
	zc_config_defaults(&cfg);
	cfg.mode = (ctl & 1) ? ZC_MODE_ROUTER : ZC_MODE_XCONNECT;
	zc_parse_opts.drop_bad_csum = (ctl >> 1) & 1;
	zc_parse_opts.l2_only = (ctl >> 2) & 1;
	zc_parse_opts.max_vlan = (ctl >> 3) & 7;
	zc_parse_conf_init(&pc, &cfg);
	if (len >= 2)
		cut[nb_cut++] = 1 + data[1] * (len - 1) / 256;
	if (data[2] != 0 && nb_cut == 1 && len - cut[0] >= 2) {
		cut[nb_cut] = cut[0] + 1 + data[2] * (len - cut[0] - 1) / 256;
		nb_cut++;
	}
	data += 3;

	w = rte_pktmbuf_alloc(whole_pool);
	if (w == NULL || rte_pktmbuf_append(w, (uint16_t)len) == NULL)
		abort();
	memcpy(rte_pktmbuf_mtod(w, void *), data, len);
	rx_flags(w, ctl);
	rw = zc_parse_packet(&pc, w);
	c = mk_chain(data, len, cut, nb_cut);
	rx_flags(c, ctl);
	rc = zc_parse_packet(&pc, c);

	mw = *zc_meta(w);
	mc = *zc_meta(c);
	if (rw != rc || memcmp(&mw, &mc, sizeof(mw)) != 0 ||
	    w->packet_type != c->packet_type ||
	    w->tx_offload != c->tx_offload) {
		fprintf(stderr,
			"parse: one mbuf and %u segments differ: %s/%s, ptype %#x/%#x, l3 %u/%u l4 %u/%u\n",
			c->nb_segs, zc_drop_name(rw), zc_drop_name(rc),
			w->packet_type, c->packet_type, mw.l3_off, mc.l3_off,
			mw.l4_off, mc.l4_off);
		abort();
	}
	/* A verdict is a reason from the list, or none. */
	if ((unsigned int)rw > ZC_DROP_MAX)
		abort();
	rte_pktmbuf_free(w);
	rte_pktmbuf_free(c);
	if (rte_mempool_avail_count(whole_pool) != NB_MBUFS ||
	    rte_mempool_avail_count(seg_pool) != 2 * NB_MBUFS)
		abort();
	return 0;
}
