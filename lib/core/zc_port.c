/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "core/zc_config.h"
#include "core/zc_kif.h"
#include "core/zc_log.h"
#include "core/zc_pcap.h"
#include "core/zc_port.h"

RTE_LOG_REGISTER(zc_logtype, zcpipe, INFO);

struct zc_port zc_ports[RTE_MAX_ETHPORTS];

static int
offload_name_to_flag(const char *name, int rx, uint64_t *flag)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		uint64_t f = RTE_BIT64(bit);
		const char *n = rx ? rte_eth_dev_rx_offload_name(f) :
				     rte_eth_dev_tx_offload_name(f);

		if (n != NULL && strcmp(n, "UNKNOWN") != 0 &&
		    strcasecmp(n, name) == 0) {
			*flag = f;
			return 0;
		}
	}
	return -1;
}

int
zc_offloads_parse(const char *list, int rx, uint64_t *flags, char *bad,
		  size_t badlen)
{
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;

	*flags = 0;
	strlcpy(buf, list, sizeof(buf));
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save)) {
		uint64_t f;

		if (offload_name_to_flag(tok, rx, &f) < 0) {
			strlcpy(bad, tok, badlen);
			return -1;
		}
		*flags |= f;
	}
	return 0;
}

void
zc_offloads_format(uint64_t flags, int rx, char *buf, size_t len)
{
	unsigned int bit;

	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		uint64_t f = RTE_BIT64(bit);
		const char *n;

		if (!(flags & f))
			continue;
		n = rx ? rte_eth_dev_rx_offload_name(f) :
			 rte_eth_dev_tx_offload_name(f);
		if (buf[0] != '\0')
			strlcat(buf, ",", len);
		strlcat(buf, n, len);
	}
	if (buf[0] == '\0')
		strlcpy(buf, "none", len);
}

int
zc_driver_conf_load(const char *dir, const char *family,
		    struct zc_driver_conf *dc)
{
	static const char *const keys[] = {
		"rx_desc", "tx_desc", "rx_queues", "rx_offloads",
		"tx_offloads", "multi_seg_tx", "tx_prepare", "devargs",
		"pci_ids", "max_frame", "keeps_rx_mbufs", NULL
	};
	struct zc_config ecfg;
	struct rte_cfgfile *f;
	const char *v;
	char path[PATH_MAX];
	char bad[64];
	uint64_t x;

	memset(dc, 0, sizeof(*dc));
	strlcpy(dc->family, family, sizeof(dc->family));
	snprintf(path, sizeof(path), "%s/%s.ini", dir, family);
	if (access(path, R_OK) != 0)
		return 1;

	/* Report errors in this file the way config errors are reported,
	 * with its line numbers.
	 */
	memset(&ecfg, 0, sizeof(ecfg));
	strlcpy(ecfg.path, path, sizeof(ecfg.path));
	f = zc_config_open(&ecfg);
	if (f == NULL)
		goto fail;
	if (!rte_cfgfile_has_section(f, "driver")) {
		zc_config_error(&ecfg, NULL, NULL,
				"needs a [driver] section");
		goto fail;
	}
	if (zc_config_check_keys(&ecfg, f, "driver", keys) < 0)
		goto fail;
	x = 0;
	if (zc_config_get_uint(&ecfg, f, "driver", "rx_desc", 0, 32768,
			       &x) < 0)
		goto fail;
	dc->rx_desc = x;
	x = 0;
	if (zc_config_get_uint(&ecfg, f, "driver", "tx_desc", 0, 32768,
			       &x) < 0)
		goto fail;
	dc->tx_desc = x;
	x = 0;
	if (zc_config_get_uint(&ecfg, f, "driver", "rx_queues", 0, 64,
			       &x) < 0)
		goto fail;
	dc->rx_queues = x;
	x = 0;
	if (zc_config_get_uint(&ecfg, f, "driver", "max_frame", 64, UINT32_MAX,
			       &x) < 0)
		goto fail;
	dc->max_frame = x;
	if (zc_config_get_bool(&ecfg, f, "driver", "multi_seg_tx",
			       &dc->multi_seg_tx) < 0 ||
	    zc_config_get_bool(&ecfg, f, "driver", "tx_prepare",
			       &dc->tx_prepare) < 0 ||
	    zc_config_get_bool(&ecfg, f, "driver", "keeps_rx_mbufs",
			       &dc->keeps_rx_mbufs) < 0)
		goto fail;
	v = rte_cfgfile_get_entry(f, "driver", "rx_offloads");
	if (v != NULL && zc_offloads_parse(v, 1, &dc->rx_offloads, bad,
					   sizeof(bad)) < 0) {
		zc_config_error(&ecfg, "driver", "rx_offloads",
				"unknown RX offload '%s' (use DPDK names such as SCATTER, IPV4_CKSUM)",
				bad);
		goto fail;
	}
	v = rte_cfgfile_get_entry(f, "driver", "tx_offloads");
	if (v != NULL && zc_offloads_parse(v, 0, &dc->tx_offloads, bad,
					   sizeof(bad)) < 0) {
		zc_config_error(&ecfg, "driver", "tx_offloads",
				"unknown TX offload '%s' (use DPDK names such as MULTI_SEGS, IPV4_CKSUM)",
				bad);
		goto fail;
	}
	v = rte_cfgfile_get_entry(f, "driver", "devargs");
	if (v != NULL)
		strlcpy(dc->devargs, v, sizeof(dc->devargs));
	rte_cfgfile_close(f);
	zc_config_free(&ecfg);
	return 0;
fail:
	if (f != NULL)
		rte_cfgfile_close(f);
	zc_config_free(&ecfg);
	return -1;
}

static int
read_sysfs_hex(const char *addr, const char *file, unsigned int *out)
{
	char path[PATH_MAX];
	uint64_t v;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, file);
	if (zc_read_uint_file(path, ZC_UINT_HEX, &v) < 0 || v > UINT_MAX)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/*
 * Devargs a PCI device gets from its family file: find the family whose
 * pci_ids lists the device's vendor:device.
 */
static void
pci_family_devargs(const struct zc_config *cfg, const char *addr, char *out,
		   size_t len)
{
	static const char *const families[] = {
		"net_ixgbe", "net_i40e", "net_ice", "mlx5_pci", "net_virtio"
	};
	unsigned int vendor, device, i;
	char id[16];

	out[0] = '\0';
	if (read_sysfs_hex(addr, "vendor", &vendor) < 0 ||
	    read_sysfs_hex(addr, "device", &device) < 0)
		return;
	snprintf(id, sizeof(id), "%04x:%04x", vendor, device);
	for (i = 0; i < RTE_DIM(families); i++) {
		char path[PATH_MAX];
		struct rte_cfgfile *f;
		const char *ids, *da;

		snprintf(path, sizeof(path), "%s/%s.ini", cfg->drivers_config,
			 families[i]);
		f = rte_cfgfile_load(path, 0);
		if (f == NULL)
			continue;
		ids = rte_cfgfile_get_entry(f, "driver", "pci_ids");
		da = rte_cfgfile_get_entry(f, "driver", "devargs");
		if (ids != NULL && da != NULL && strcasestr(ids, id) != NULL)
			strlcpy(out, da, len);
		rte_cfgfile_close(f);
		if (out[0] != '\0')
			return;
	}
}

int
zc_port_probe_all(struct zc_config *cfg)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nb_ports; i++) {
		struct zc_port_conf *pc = &cfg->port[i];
		char sec[CFG_NAME_LEN], name[RTE_DEV_NAME_MAX_LEN];
		char probe[ZC_DEV_LEN + 160];
		uint16_t pid;
		size_t n;
		int ret;

		snprintf(sec, sizeof(sec), "port.%u", i);
		n = strcspn(pc->dev, ",");
		if (n >= sizeof(name))
			return zc_config_error(cfg, sec, "dev",
					       "device name too long");
		memcpy(name, pc->dev, n);
		name[n] = '\0';

		if (rte_eth_dev_get_port_by_name(name, &pid) != 0) {
			strlcpy(probe, pc->dev, sizeof(probe));
			if (strcmp(pc->driver, "pci") == 0 &&
			    strchr(pc->dev, ',') == NULL) {
				char da[128];

				pci_family_devargs(cfg, name, da, sizeof(da));
				if (da[0] != '\0') {
					strlcat(probe, ",", sizeof(probe));
					strlcat(probe, da, sizeof(probe));
				}
			}
			ret = rte_dev_probe(probe);
			if (ret < 0) {
				char hint[512];

				if (zc_kif_busy_hint(cfg, i, hint,
						     sizeof(hint))[0] != '\0')
					return zc_config_error(cfg, sec, "dev",
							       "cannot probe '%s': %s%s",
							       pc->dev, strerror(-ret),
							       hint);
				return zc_config_error(cfg, sec, "dev",
						       "cannot probe '%s': %s%s",
						       pc->dev, strerror(-ret),
						       strcmp(pc->driver, "pci") == 0 ?
						       " (is it bound to vfio-pci, and was the EAL started without --no-pci?)" :
						       " (no driver matches that name, or its devargs are wrong)");
			}
			if (rte_eth_dev_get_port_by_name(name, &pid) != 0)
				return zc_config_error(cfg, sec, "dev",
						       "'%s' probed but is not an ethdev port",
						       name);
		}
		for (j = 0; j < i; j++)
			if (cfg->port[j].port_id == pid)
				return zc_config_error(cfg, sec, "dev",
						       "same device as [port.%u]",
						       j);
		pc->port_id = pid;
		zc_ports[pid].rx_held = 0;
		zc_kif_offloads(cfg, i); /* kernel interfaces: GRO, TSO, ... */
		zc_ports[pid].used = 1;
		zc_ports[pid].cfg_idx = i;
		strlcpy(zc_ports[pid].name, name, sizeof(zc_ports[pid].name));
	}
	return 0;
}

static uint16_t
pick_desc(uint16_t asked, uint16_t family, uint16_t dflt)
{
	if (asked != 0)
		return asked;
	if (family != 0)
		return family;
	if (dflt != 0)
		return dflt;
	return 1024;
}

static int
port_configure(struct zc_config *cfg, unsigned int idx, uint16_t want_txq)
{
	struct zc_port_conf *pc = &cfg->port[idx];
	uint16_t pid = pc->port_id;
	struct zc_port *p = &zc_ports[pid];
	struct rte_eth_conf conf;
	struct rte_eth_dev_info di;
	char sec[CFG_NAME_LEN], asked[512], granted[512];
	uint16_t rx_desc, tx_desc;
	uint64_t rx_off, tx_off;
	int ret;

	snprintf(sec, sizeof(sec), "port.%u", idx);
	ret = rte_eth_dev_info_get(pid, &di);
	if (ret != 0)
		return zc_config_error(cfg, sec, "dev",
				       "cannot read device info: %s",
				       strerror(-ret));

	ret = zc_driver_conf_load(cfg->drivers_config, di.driver_name,
				  &p->drv);
	if (ret < 0)
		return -1;
	if (ret > 0) {
		ZC_LOG(WARNING,
		       "port %u (%s): no %s/%s.ini; using what the port reports",
		       idx, p->name, cfg->drivers_config, di.driver_name);
		p->drv.rx_offloads = di.rx_offload_capa;
		p->drv.tx_offloads = di.tx_offload_capa;
		p->drv.multi_seg_tx =
			!!(di.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	}

	/* Queues: what was asked, capped by the device. */
	p->nb_rxq = RTE_MIN(pc->rx_queues, di.max_rx_queues);
	if (p->nb_rxq < pc->rx_queues)
		ZC_LOG(WARNING, "port %u: asked for %u rx queues, device has %u",
		       idx, pc->rx_queues, di.max_rx_queues);
	{
		unsigned int i, k;

		for (i = 0; i < cfg->nb_pipelines; i++)
			for (k = 0; k < cfg->pipeline[i].nb_rxq; k++) {
				const struct zc_portq *q =
					&cfg->pipeline[i].rxq[k];
				char psec[CFG_NAME_LEN];

				if (q->port != idx || q->queue < p->nb_rxq)
					continue;
				snprintf(psec, sizeof(psec), "pipeline.%u", i);
				return zc_config_error(cfg, psec, "rx",
						       "port %u queue %u: the device grants only %u rx queue(s)",
						       idx, q->queue, p->nb_rxq);
			}
	}
	p->nb_txq = RTE_MAX(pc->tx_queues, want_txq);
	if (p->nb_txq == 0)
		p->nb_txq = 1;
	if (p->nb_txq > di.max_tx_queues) {
		if (want_txq > di.max_tx_queues)
			return zc_config_error(cfg, sec, "tx_queues",
					       "%u lcores transmit on this port but the device has %u tx queue(s); each tx lcore needs its own",
					       want_txq, di.max_tx_queues);
		p->nb_txq = di.max_tx_queues;
	}

	/* Offloads: the family's list, only where the port has them. */
	rx_off = p->drv.rx_offloads & di.rx_offload_capa;
	tx_off = p->drv.tx_offloads & di.tx_offload_capa;
	if (di.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		tx_off &= ~RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE; /* clones */
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = rx_off;
	conf.txmode.offloads = tx_off;
	if (pc->rss && p->nb_rxq > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
			di.flow_type_rss_offloads;
		if (conf.rx_adv_conf.rss_conf.rss_hf == 0) {
			ZC_LOG(WARNING, "port %u: rss asked for, device has none; one queue gets everything",
			       idx);
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
		} else if (di.rx_offload_capa & RTE_ETH_RX_OFFLOAD_RSS_HASH) {
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
		}
	}
	if (pc->mtu != 0) {
		if (pc->mtu < di.min_mtu || pc->mtu > di.max_mtu)
			return zc_config_error(cfg, sec, "mtu",
					       "%u is outside what the device accepts (%u to %u)",
					       pc->mtu, di.min_mtu, di.max_mtu);
		conf.rxmode.mtu = pc->mtu;
	}

	ret = rte_eth_dev_configure(pid, p->nb_rxq, p->nb_txq, &conf);
	if (ret < 0)
		return zc_config_error(cfg, sec, NULL,
				       "rte_eth_dev_configure failed: %s",
				       strerror(-ret));
	rx_desc = pick_desc(pc->rx_desc, p->drv.rx_desc,
			    di.default_rxportconf.ring_size);
	tx_desc = pick_desc(pc->tx_desc, p->drv.tx_desc,
			    di.default_txportconf.ring_size);
	p->rx_desc = rx_desc;
	p->tx_desc = tx_desc;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &p->rx_desc, &p->tx_desc);
	if (ret < 0)
		return zc_config_error(cfg, sec, NULL,
				       "cannot fit descriptor counts: %s",
				       strerror(-ret));
	p->rx_offloads = conf.rxmode.offloads;
	p->tx_offloads = tx_off;
	p->multi_seg_tx = !!(tx_off & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) ||
			  p->drv.multi_seg_tx;
	p->tx_prepare = p->drv.tx_prepare;
	p->socket_id = rte_eth_dev_socket_id(pid);
	if (p->socket_id < 0)
		p->socket_id = 0;
	rte_eth_dev_get_mtu(pid, &p->mtu);
	/* The MAC the port will have once started (set then), known now to
	 * the stages that are set up before the ports start.
	 */
	if (pc->has_mac)
		p->mac = pc->mac;
	else
		rte_eth_macaddr_get(pid, &p->mac);
	/*
	 * The longest frame the port sends whole: the family's figure where
	 * the device misreports it (net_pcap cuts longer chains, af_packet
	 * drops what exceeds its ring frame), else the device's own limit
	 * less the CRC; and a configured MTU plus an Ethernet header and two
	 * VLAN tags. The tx stage drops longer frames as too_big_for_port.
	 */
	if (p->drv.max_frame != 0)
		p->max_frame = p->drv.max_frame;
	else
		p->max_frame = di.max_rx_pktlen > RTE_ETHER_CRC_LEN ?
			       di.max_rx_pktlen - RTE_ETHER_CRC_LEN :
			       di.max_rx_pktlen;
	if (pc->mtu != 0)
		p->max_frame = RTE_MIN(p->max_frame, (uint32_t)pc->mtu +
				       RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN);

	/* Say what was asked and what was granted. */
	zc_offloads_format(p->drv.rx_offloads, 1, asked, sizeof(asked));
	zc_offloads_format(p->rx_offloads, 1, granted, sizeof(granted));
	ZC_LOG(INFO,
	       "port %u (%s, %s, socket %d): rxq %u/%u txq %u/%u rx_desc %u/%u tx_desc %u/%u mtu %u max_frame %u",
	       idx, p->name, di.driver_name, p->socket_id, pc->rx_queues,
	       p->nb_rxq, RTE_MAX(pc->tx_queues, want_txq), p->nb_txq,
	       rx_desc, p->rx_desc, tx_desc, p->tx_desc, p->mtu,
	       p->max_frame);
	ZC_LOG(INFO, "port %u: rx offloads asked %s, granted %s", idx, asked,
	       granted);
	zc_offloads_format(p->drv.tx_offloads, 0, asked, sizeof(asked));
	zc_offloads_format(p->tx_offloads, 0, granted, sizeof(granted));
	ZC_LOG(INFO, "port %u: tx offloads asked %s, granted %s%s", idx, asked,
	       granted, p->multi_seg_tx ? "" : " (chains are linearised)");
	return 0;
}

int
zc_port_configure_all(struct zc_config *cfg, const uint16_t *nb_txq)
{
	unsigned int i, k;

	for (i = 0; i < cfg->nb_ports; i++) {
		struct zc_port *p = &zc_ports[cfg->port[i].port_id];

		if (port_configure(cfg, i, nb_txq[i]) < 0)
			return -1;
		p->replay_pkts = 0;
		for (k = 0; k < cfg->port[i].nb_pcaps; k++) {
			char err[512];
			uint64_t n = 0;

			if (zc_pcap_check(cfg->port[i].pcap[k], &n, err,
					  sizeof(err)) > 0)
				ZC_LOG(WARNING, "port %u: %s; replaying the %" PRIu64 " whole packets",
				       i, err, n);
			p->replay_pkts += n;
		}
	}
	return 0;
}

int
zc_port_start_all(struct zc_config *cfg, struct rte_mempool **pools)
{
	unsigned int i;
	uint16_t q;
	int ret;

	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;
		struct zc_port *p = &zc_ports[pid];
		struct rte_eth_dev_info di;
		struct rte_eth_rxconf rxc;
		struct rte_eth_txconf txc;
		char sec[CFG_NAME_LEN];

		unsigned int avail;

		snprintf(sec, sizeof(sec), "port.%u", i);
		/* What the driver takes for its RX rings: a driver that keeps
		 * it after close (keeps_rx_mbufs) is not a zcpipe leak.
		 */
		avail = rte_mempool_avail_count(pools[p->socket_id]);
		rte_eth_dev_info_get(pid, &di);
		rxc = di.default_rxconf;
		rxc.offloads = p->rx_offloads;
		txc = di.default_txconf;
		txc.offloads = p->tx_offloads;
		for (q = 0; q < p->nb_rxq; q++) {
			ret = rte_eth_rx_queue_setup(pid, q, p->rx_desc,
						     p->socket_id, &rxc,
						     pools[p->socket_id]);
			if (ret < 0) {
				char hint[512];

				return zc_config_error(cfg, sec, NULL,
						       "rx queue %u setup failed: %s%s",
						       q, strerror(-ret),
						       zc_kif_busy_hint(cfg, i, hint,
									sizeof(hint)));
			}
		}
		for (q = 0; q < p->nb_txq; q++) {
			ret = rte_eth_tx_queue_setup(pid, q, p->tx_desc,
						     p->socket_id, &txc);
			if (ret < 0)
				return zc_config_error(cfg, sec, NULL,
						       "tx queue %u setup failed: %s",
						       q, strerror(-ret));
		}
		ret = rte_eth_dev_start(pid);
		if (ret < 0) {
			char hint[512];

			return zc_config_error(cfg, sec, NULL,
					       "cannot start: %s%s",
					       strerror(-ret),
					       zc_kif_busy_hint(cfg, i, hint,
								sizeof(hint)));
		}
		p->started = 1;
		p->rx_held = avail - RTE_MIN(avail,
			rte_mempool_avail_count(pools[p->socket_id]));
		ZC_LOG(DEBUG, "port %u: the driver took %u mbufs at start",
		       i, p->rx_held);
		if (cfg->port[i].promisc) {
			ret = rte_eth_promiscuous_enable(pid);
			if (ret != 0)
				ZC_LOG(WARNING, "port %u: promiscuous mode not available: %s",
				       i, strerror(-ret));
		}
		if (cfg->port[i].has_mac) {
			ret = rte_eth_dev_default_mac_addr_set(pid,
							       &cfg->port[i].mac);
			if (ret != 0)
				ZC_LOG(WARNING, "port %u: cannot set MAC (%s); using it as the source MAC only",
				       i, strerror(-ret));
			p->mac = cfg->port[i].mac;
		} else {
			rte_eth_macaddr_get(pid, &p->mac);
		}
	}
	return 0;
}

void
zc_port_close_all(const struct zc_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;
		struct zc_port *p = &zc_ports[pid];

		if (!p->used)
			continue;
		if (p->started) {
			struct rte_mbuf *none[1];
			uint16_t q;

			/* The workers are gone: an empty burst on each TX
			 * queue lets a driver reap what it has sent (net_af_xdp
			 * frees transmitted mbufs only from its completion
			 * queue, which close does not drain).
			 */
			for (q = 0; q < p->nb_txq; q++)
				rte_eth_tx_burst(pid, q, none, 0);
			rte_eth_dev_stop(pid);
			p->started = 0;
		}
		rte_eth_dev_close(pid);
		p->used = 0;
	}
}
