/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ACL_DP_H
#define ZC_ACL_DP_H

/**
 * @file
 * The ACL's data path for other stages: the classification a classify
 * stage instance runs on its lcore (gather keys, one rte_acl lookup per
 * family, verdicts with their per-rule counters and action requests),
 * for a later stage of the same lcore that has new packets to classify
 * (act, after decapsulation). What the verdicts do: docs/acl.md.
 */

#include <stdint.h>

#include <rte_mbuf.h>

/** A classify stage instance: the ACL as it runs on one lcore. */
struct zc_acl_dp;

/**
 * The classify stage instance that runs on an lcore.
 *
 * @return
 *   The instance, or NULL if no classify stage runs on lcore_id (or none
 *   was set up before the caller's own init).
 */
struct zc_acl_dp *zc_acl_dp_lcore(unsigned int lcore_id);

/**
 * Classify a burst as the instance does in the pipeline: packets that go
 * on are kept in pkts[0 .. ret-1], in order, with their verdicts applied
 * (egress, mirror, VLAN requests, tunnels to open); denied ones are freed
 * and counted by the instance, as are rule hits. The burst counts as the
 * instance's input and output. On the instance's own lcore only.
 *
 * @return
 *   Packets kept.
 */
uint16_t zc_acl_dp_rerun(struct zc_acl_dp *dp, struct rte_mbuf **pkts,
			 uint16_t n);

#endif /* ZC_ACL_DP_H */
