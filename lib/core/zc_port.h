/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_PORT_H
#define ZC_PORT_H

/**
 * @file
 * Ports: probe the devices named in the configuration, apply the driver
 * family's defaults from drivers-config/, ask each port for what it can do
 * (and never more), start it, and stop and close it at exit.
 */

#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "core/zc_config.h"
#include "core/zc_stage.h"

/** Driver family defaults read from drivers-config/<family>.ini. */
struct zc_driver_conf {
	char family[64];      /**< File name without .ini. */
	uint16_t rx_desc;     /**< Default RX descriptors per queue. */
	uint16_t tx_desc;     /**< Default TX descriptors per queue. */
	uint16_t rx_queues;   /**< Default RX queues. */
	uint64_t rx_offloads; /**< RX offloads zcpipe may request. */
	uint64_t tx_offloads; /**< TX offloads zcpipe may request. */
	uint8_t multi_seg_tx; /**< Family can transmit mbuf chains. */
	uint8_t tx_prepare;   /**< Call rte_eth_tx_prepare before TX. */
	uint32_t max_frame;   /**< Longest frame TX sends whole; 0: ask the device. */
	/** The driver never gives back, even at close, the mbufs it takes for
	 * its RX ring at start (net_af_xdp's fill queue).
	 */
	uint8_t keeps_rx_mbufs;
	char devargs[128];    /**< Devargs appended when probing by PCI address. */
};

/** Run-time state of one ethdev port used by zcpipe (read-only once up). */
struct zc_port {
	uint8_t used;         /**< Port is in the configuration. */
	uint8_t started;      /**< rte_eth_dev_start() succeeded. */
	uint8_t multi_seg_tx; /**< Chains may be handed to TX. */
	uint8_t tx_prepare;   /**< TX must call rte_eth_tx_prepare. */
	uint16_t cfg_idx;     /**< Index of its [port.N] section. */
	uint16_t nb_rxq;      /**< RX queues granted. */
	uint16_t nb_txq;      /**< TX queues granted. */
	uint16_t rx_desc;     /**< RX descriptors granted. */
	uint16_t tx_desc;     /**< TX descriptors granted. */
	uint16_t next_txq;    /**< Next TX queue to hand to a tx lcore. */
	uint16_t mtu;         /**< MTU in force. */
	uint32_t max_frame;   /**< Longest frame (no CRC) the port can send. */
	int socket_id;        /**< NUMA socket of the device. */
	uint64_t rx_offloads; /**< RX offloads granted. */
	uint64_t tx_offloads; /**< TX offloads granted. */
	uint64_t replay_pkts; /**< Packets its rx_pcap files hold; 0 if none. */
	/** mbufs its RX queues took from the pool at setup and start. */
	uint32_t rx_held;
	struct rte_ether_addr mac; /**< Source MAC used for this port. */
	char name[RTE_ETH_NAME_MAX_LEN]; /**< ethdev name. */
	struct zc_driver_conf drv;  /**< Family defaults applied. */
};

/** Ports by ethdev port id. */
extern struct zc_port zc_ports[RTE_MAX_ETHPORTS];

/**
 * Probe every configured device and fill cfg->port[i].port_id.
 * @return 0, or -1 with zc_config_strerror() naming the [port.N] section.
 */
int zc_port_probe_all(struct zc_config *cfg);

/**
 * Configure every port: queues (nb_txq TX queues wanted per port, from the
 * pipeline placement), descriptors, offloads, MTU. Logs what was asked for
 * and what was granted.
 * @return 0, or -1 with zc_config_strerror() set.
 */
int zc_port_configure_all(struct zc_config *cfg, const uint16_t *nb_txq);

/**
 * Set up queues on their pools and start every port.
 * @param pools
 *   Packet pool per NUMA socket (index = socket id).
 */
int zc_port_start_all(struct zc_config *cfg, struct rte_mempool **pools);

/** Stop and close every port zcpipe started; releases queue mbufs. */
void zc_port_close_all(const struct zc_config *cfg);

/** Load a driver family file; 0, or -1 with zc_config_strerror() set. */
int zc_driver_conf_load(const char *dir, const char *family,
			struct zc_driver_conf *dc);

/** Parse a list of offload names into RX (rx = 1) or TX flags. */
int zc_offloads_parse(const char *list, int rx, uint64_t *flags,
		      char *bad, size_t badlen);

/** Write offload names of flags into buf, comma separated. */
void zc_offloads_format(uint64_t flags, int rx, char *buf, size_t len);

#endif /* ZC_PORT_H */
