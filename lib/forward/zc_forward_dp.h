/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_FORWARD_DP_H
#define ZC_FORWARD_DP_H

/**
 * @file
 * The cross-connect's data path for other stages: the [forward] map as a
 * forward stage instance applies it on its lcore, for a later stage of
 * the same lcore that has new packets to send on (act, after
 * decapsulation).
 */

#include <stdint.h>

#include <rte_mbuf.h>

/** A forward stage instance: the cross-connect as it runs on one lcore. */
struct zc_forward_dp;

/**
 * The forward stage instance that runs on an lcore.
 *
 * @return
 *   The instance, or NULL if no forward stage runs on lcore_id (or none
 *   was set up before the caller's own init).
 */
struct zc_forward_dp *zc_forward_dp_lcore(unsigned int lcore_id);

/**
 * Cross-connect a burst as the instance does in the pipeline: packets
 * without an egress get their ingress port's peer and are kept in
 * pkts[0 .. ret-1], in order; those of an unmapped port are freed and
 * counted by the instance (no_xconnect). The burst counts as the
 * instance's input and output. On the instance's own lcore only.
 *
 * @return
 *   Packets kept.
 */
uint16_t zc_forward_dp_rerun(struct zc_forward_dp *dp, struct rte_mbuf **pkts,
			     uint16_t n);

#endif /* ZC_FORWARD_DP_H */
