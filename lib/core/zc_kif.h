/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_KIF_H
#define ZC_KIF_H

/**
 * @file
 * Kernel interfaces behind zcpipe's ports (net_af_packet, net_af_xdp,
 * net_pcap on an interface): control path only.
 *
 * Offloads. A kernel interface hands its packet taps and XDP what the
 * stack built: frames coalesced by GRO/LRO up to 64 KiB and, across a
 * veth, TSO super-frames with a partial (not yet computed) TCP/UDP
 * checksum. Ping works, TCP does not. zc_kif_offloads() finds those
 * features with the SIOCETHTOOL ioctl (ETHTOOL_GFEATURES) on the port's
 * interface (receive coalescing) and, for a veth, on its peer, in
 * whatever network namespace it is (transmit checksum and segmentation
 * offloads); with [port.N] kernel_offloads = fix it turns them off and
 * logs what it changed, with keep it logs the ethtool command to run.
 *
 * Kernel ring drops. The AF_PACKET ring (PACKET_STATISTICS) and the AF_XDP
 * RX ring (XDP_STATISTICS) drop what arrives while they are full; the
 * 22.11 PMDs report none of it (af_packet) or only part of it in imissed
 * (af_xdp). zc_kif_sample() reads those counters from this process's own
 * sockets and zc_kif_drops() reports them per port under named reasons.
 */

#include <stddef.h>
#include <stdint.h>

struct zc_config;

struct zc_port_conf;

/**
 * The kernel interface whose routes and neighbours stand for a port
 * ([route] source = kernel): [port.N] kernel_iface, else the interface a
 * kernel-backed port (net_af_packet, net_af_xdp, net_pcap) uses, else "".
 */
void zc_kif_iface(const struct zc_port_conf *pc, char *out, size_t len);

/** Most kernel drop reasons reported per port. */
#define ZC_KIF_DROP_MAX 2

/**
 * Check, and with kernel_offloads = fix turn off, the offloads that hand
 * the port oversize or partially checksummed frames. For kernel-backed
 * ports only; does nothing for the others. Never fails the start-up:
 * what cannot be changed is logged as a warning with the command to run.
 *
 * @param cfg
 *   The configuration.
 * @param idx
 *   Configured port index ([port.N]).
 */
void zc_kif_offloads(const struct zc_config *cfg, unsigned int idx);

/**
 * Read the kernel ring counters of every AF_PACKET and AF_XDP socket of
 * this process. Main lcore only (single writer); rate-limited to one read
 * per 100 ms.
 *
 * @param cfg
 *   The running configuration.
 */
void zc_kif_sample(const struct zc_config *cfg);

/** Same, now, whatever the time since the last read. */
void zc_kif_sample_now(const struct zc_config *cfg);

/**
 * Kernel ring drops of a port since start, by reason.
 *
 * @param port_id
 *   ethdev port id.
 * @param names
 *   Filled with up to ZC_KIF_DROP_MAX reason names.
 * @param counts
 *   Filled with their counts.
 * @return
 *   Number of reasons filled (0 for a port without a kernel ring).
 */
unsigned int zc_kif_drops(uint16_t port_id, const char **names,
			  uint64_t *counts);

/**
 * Why a port's device may be busy, for start-up errors: another process
 * holding a PCI device's VFIO group, an XDP program already attached to
 * a kernel interface, a PCI device on a kernel driver.
 *
 * @param cfg
 *   The configuration.
 * @param idx
 *   Configured port index.
 * @param buf
 *   Filled with "; " and the cause and fix, or "" if none was found.
 * @return
 *   buf.
 */
const char *zc_kif_busy_hint(const struct zc_config *cfg, unsigned int idx,
			     char *buf, size_t len);

#endif /* ZC_KIF_H */
