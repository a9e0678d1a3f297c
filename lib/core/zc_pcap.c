/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "core/zc_pcap.h"

int
zc_pcap_check(const char *path, uint64_t *count, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint64_t n = 0;
	pcap_t *p;
	int link, ret;

	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "rx_pcap '%s': cannot read: %s", path,
			 strerror(errno));
		return -1;
	}
	p = pcap_open_offline(path, perr);
	if (p == NULL) {
		snprintf(err, errlen, "rx_pcap '%s': not a pcap capture: %s",
			 path, perr);
		return -1;
	}
	link = pcap_datalink(p);
	if (link != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(link);

		snprintf(err, errlen,
			 "rx_pcap '%s': link type %d (%s) is not Ethernet; zcpipe replays Ethernet (DLT_EN10MB) captures only",
			 path, link, name != NULL ? name : "unknown");
		pcap_close(p);
		return -1;
	}
	while ((ret = pcap_next_ex(p, &hdr, &data)) == 1)
		n++;
	if (ret == PCAP_ERROR) {
		snprintf(err, errlen,
			 "rx_pcap '%s': unreadable after packet %" PRIu64 ": %s",
			 path, n, pcap_geterr(p));
		pcap_close(p);
		if (count != NULL)
			*count = n;
		return 1;
	}
	pcap_close(p);
	if (count != NULL)
		*count = n;
	return 0;
}
