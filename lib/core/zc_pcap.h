/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_PCAP_H
#define ZC_PCAP_H

/**
 * @file
 * Capture-file checks for replay: net_pcap returns 0 packets forever at the
 * end of a file, so zcpipe reads each rx_pcap itself (libpcap) to learn how
 * many packets it holds, and refuses files it cannot replay.
 */

#include <stddef.h>
#include <stdint.h>

/**
 * Check that a capture can be replayed and count its packets.
 *
 * Refuses a missing or unreadable file, a file that is not pcap, and a link
 * type other than Ethernet. A file cut short after its last whole record is
 * accepted: the whole records are counted (net_pcap stops at the same place)
 * and *truncated is set.
 *
 * @param path
 *   Capture file.
 * @param count
 *   If not NULL, set to the number of whole packets.
 * @param err
 *   Message on failure: "FILE: what is wrong".
 * @return
 *   0 if the file can be replayed, 1 if it can but was cut short, -1 if not.
 */
int zc_pcap_check(const char *path, uint64_t *count, char *err, size_t errlen);

#endif /* ZC_PCAP_H */
