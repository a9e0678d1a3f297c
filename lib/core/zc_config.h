/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_CONFIG_H
#define ZC_CONFIG_H

/**
 * @file
 * The zcpipe configuration: an INI file read with rte_cfgfile.
 *
 * zc_config_load() reads and checks the file on its own, before anything
 * touches a device: unknown sections and keys, bad values and impossible
 * combinations are refused with a message naming the file, the line, the
 * section, the key and what was expected. Checks that need the EAL (does the
 * device exist, are there enough lcores) happen in zc_port.c and
 * zc_pipeline.c with the same message format, still before any port starts.
 *
 * Every key is documented in docs/configuration.md.
 */

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>

#include <rte_ether.h>

#include "core/zc_stage.h"

struct rte_cfgfile;

/** Most [pipeline.N] sections. */
#define ZC_PIPELINES_MAX 8

/** Most lcore groups in one pipeline. */
#define ZC_GROUPS_MAX ZC_STAGES_MAX

/** Longest device string (rte_cfgfile keeps values under 256 bytes). */
#define ZC_DEV_LEN 256

/** Most rx_pcap files behind one net_pcap port. */
#define ZC_PCAP_MAX 4

/** Longest stage name. */
#define ZC_STAGE_NAME_LEN 32

/** lcore to be chosen automatically. */
#define ZC_LCORE_AUTO UINT32_MAX

/** What the default pipeline does. */
enum zc_mode {
	ZC_MODE_XCONNECT = 0, /**< l2-xconnect: [forward] map between ports. */
	ZC_MODE_ROUTER,       /**< router: ACL, then LPM routing. */
	ZC_MODE_FILTER,       /**< filter: ACL, then cross-connect. */
};

/** Every mode, as a ZC_MODE_BIT() mask. */
#define ZC_MODES_ALL (ZC_MODE_BIT(ZC_MODE_XCONNECT) | \
		      ZC_MODE_BIT(ZC_MODE_ROUTER) | \
		      ZC_MODE_BIT(ZC_MODE_FILTER))

/** One [port.N] section. */
struct zc_port_conf {
	char dev[ZC_DEV_LEN];  /**< PCI address or vdev devargs string. */
	char driver[64];       /**< Driver family: "net_pcap", "pci", ... */
	uint16_t rx_queues;    /**< RX queues asked for. */
	uint16_t tx_queues;    /**< TX queues asked for (0 = one per tx lcore). */
	uint16_t rx_desc;      /**< RX descriptors per queue (0 = driver default). */
	uint16_t tx_desc;      /**< TX descriptors per queue (0 = driver default). */
	uint16_t mtu;          /**< MTU (0 = leave the port's). */
	uint8_t promisc;       /**< Promiscuous mode wanted. */
	uint8_t rss;           /**< Spread RX over queues with RSS. */
	uint8_t has_mac;       /**< mac was given. */
	uint8_t has_ipv4;      /**< ipv4 was given. */
	uint8_t has_ipv6;      /**< ipv6 was given. */
	uint8_t ipv4_len;      /**< Prefix length of ipv4. */
	uint8_t ipv6_len;      /**< Prefix length of ipv6. */
	/** kernel_offloads = keep: leave a kernel interface's offloads. */
	uint8_t kernel_offloads_keep;
	/** The kernel interface whose routes and neighbours are this port's
	 *  ([route] source = kernel); "" for the port's own interface.
	 */
	char kernel_iface[IF_NAMESIZE];
	struct rte_ether_addr mac; /**< MAC to use instead of the port's. */
	uint32_t ipv4;         /**< Port address, network byte order. */
	uint8_t ipv6[16];      /**< Port IPv6 address. */
	uint16_t nb_pcaps;     /**< rx_pcap files found in dev. */
	char pcap[ZC_PCAP_MAX][ZC_DEV_LEN]; /**< Their paths. */
	uint16_t port_id;      /**< ethdev port id, filled by zc_port_setup(). */
};

/** One [pipeline.N] section. */
struct zc_pipeline_conf {
	uint16_t nb_rxq;                 /**< Entries in rxq. */
	struct zc_portq rxq[ZC_RXQ_MAX]; /**< Config port index and queue. */
	uint8_t nb_stages;               /**< Stages in the chain. */
	uint8_t nb_groups;               /**< lcore groups (1 = run to completion). */
	char stage[ZC_STAGES_MAX][ZC_STAGE_NAME_LEN]; /**< Stage names, in order. */
	uint8_t group[ZC_STAGES_MAX];    /**< Group index of each stage. */
	uint32_t lcore[ZC_GROUPS_MAX];   /**< lcore of each group, or ZC_LCORE_AUTO. */
	/** The chain is the mode's default (no stages key): stages that are
	 * idle under the configuration are left out when it is built.
	 */
	uint8_t default_chain;
};

/** The whole configuration. */
struct zc_config {
	char path[PATH_MAX];       /**< File the configuration came from. */
	enum zc_mode mode;         /**< [general] mode. */
	uint16_t burst;            /**< [general] burst. */
	uint32_t ring_size;        /**< [general] ring_size. */
	uint32_t pool_size;        /**< [general] pool_size (0 = computed). */
	uint32_t pool_cache;       /**< [general] pool_cache. */
	uint16_t mbuf_size;        /**< [general] mbuf_size: data room per mbuf. */
	uint32_t stats_period;     /**< [general] stats_period, seconds (0 = off). */
	uint32_t replay_timeout;   /**< [general] replay_timeout, seconds. */
	char drivers_config[PATH_MAX]; /**< [general] drivers_config folder. */
	/** --replay (command line): rings between lcores wait instead of
	 * dropping, so that every placement gives the same output.
	 */
	uint8_t replay;

	uint16_t nb_ports;                       /**< [port.N] sections. */
	struct zc_port_conf port[ZC_MAX_PORTS];  /**< By config index. */

	uint16_t nb_pipelines;                              /**< [pipeline.N]. */
	struct zc_pipeline_conf pipeline[ZC_PIPELINES_MAX]; /**< By index. */

	/** Where each [section] key was found, for error messages. */
	struct zc_config_lines *lines;
};

/**
 * Where a section's dump() hook writes its settings, key by key: for
 * /zcpipe/config, telemetry gives each section a dict of the reply. Write
 * through zc_config_out_u64() and zc_config_out_str().
 */
struct zc_config_out {
	void *arg; /**< The writer's own (telemetry: the section's dict). */
	/** Write an unsigned value under key. */
	void (*u64)(void *arg, const char *key, uint64_t v);
	/** Write a string under key. */
	void (*str)(void *arg, const char *key, const char *v);
};

/** Write an unsigned setting (key: letters, digits, '_' and '/'). */
static inline void
zc_config_out_u64(const struct zc_config_out *out, const char *key,
		  uint64_t v)
{
	out->u64(out->arg, key, v);
}

/** Write a string setting (key: letters, digits, '_' and '/'). */
static inline void
zc_config_out_str(const struct zc_config_out *out, const char *key,
		  const char *v)
{
	out->str(out->arg, key, v);
}

/**
 * A configuration section that a feature owns ([forward], [parse], [acl],
 * [route], [actions], [vxlan.NAME] ...): the feature registers it with
 * ZC_CONFIG_SECTION() from its own folder and keeps what it parses in its
 * own structure, declared in its header. The core reads only [general],
 * [port.N] and [pipeline.N] itself.
 *
 * zc_config_load() calls, in this order: every section's reset(); the
 * core's sections; parse() for each section of the file that the
 * registration matches, registrations in ascending order, sections of a
 * family in file order; the core's cross-section checks; then every
 * registration's check(), in ascending order.
 */
struct zc_config_section {
	const char *prefix; /**< Section name, or prefix ending in '.'. */
	/**
	 * Where the section stands among the others, lower first: the order
	 * of the hooks' calls, and of the list of known sections in the
	 * "unknown section" error. The core's own sections stand at
	 * ZC_CONFIG_ORDER_GENERAL, ZC_CONFIG_ORDER_PORT and
	 * ZC_CONFIG_ORDER_PIPELINE in that list (and are parsed before
	 * every registered one). 0: after every numbered section.
	 */
	unsigned int order;
	/** Parse one section of the file that prefix matches. Return 0, or
	 * -1 after zc_config_error().
	 */
	int (*parse)(struct zc_config *cfg, struct rte_cfgfile *f,
		     const char *section);
	/** Optional: forget what an earlier load parsed, back to the
	 * defaults (called by zc_config_defaults(), so first by every
	 * zc_config_load(), whether or not the section is present).
	 */
	void (*reset)(void);
	/**
	 * Optional: called once the whole file is parsed, whether or not
	 * the section is present: defaults that depend on other sections
	 * (the mode, the chains) and checks across sections. Return 0, or
	 * -1 after zc_config_error().
	 */
	int (*check)(const struct zc_config *cfg);
	/**
	 * Optional: write the settings in force, defaults included, whether
	 * or not the section is in the file. /zcpipe/config shows them as
	 * a dict under the section's name ("vxlan" for "vxlan."). Runs on a
	 * telemetry thread while the pipeline is up: it only reads.
	 */
	void (*dump)(const struct zc_config *cfg,
		     const struct zc_config_out *out);
	/**
	 * Optional, for zcpipe --check: build what the section names the
	 * way start-up would (an ACL from its rule file, the route table),
	 * on a configuration zc_config_load() accepted, and free it again.
	 * The EAL is up, without devices or hugepages. note (len bytes,
	 * empty on entry) takes one line saying what was found, which
	 * --check prints. Return 0, or -1 after zc_config_error().
	 */
	int (*verify)(const struct zc_config *cfg, char *note, size_t len);
	STAILQ_ENTRY(zc_config_section) next; /**< Registry link. */
};

/** zc_config_section.order of the core's sections, in the known list. */
#define ZC_CONFIG_ORDER_GENERAL  10 /**< [general] */
#define ZC_CONFIG_ORDER_PORT     20 /**< [port.N] */
#define ZC_CONFIG_ORDER_PIPELINE 40 /**< [pipeline.N] */

/** Register a module's section parser (use ZC_CONFIG_SECTION). */
void zc_config_section_register(struct zc_config_section *s);

/**
 * Walk the registered sections in order: the first with NULL, then the
 * one after s; NULL after the last.
 */
const struct zc_config_section *
zc_config_section_next(const struct zc_config_section *s);

/** Register a section parser at start-up. */
#define ZC_CONFIG_SECTION(sec) \
	RTE_INIT(zc_config_section_register_##sec) \
	{ \
		zc_config_section_register(&(sec)); \
	}

/**
 * Fill cfg with the defaults (what an empty file means), and reset every
 * registered section's own settings.
 */
void zc_config_defaults(struct zc_config *cfg);

/**
 * The kernel interfaces that ports name may be on another machine: a
 * missing one is not an error of zc_config_load() (zcpipe --check, which
 * warns about them itself). false by default.
 */
extern bool zc_config_ifaces_elsewhere;

/**
 * Read and check a configuration file.
 *
 * @param path
 *   INI file.
 * @param cfg
 *   Filled on success.
 * @return
 *   0 on success; -1 with the reason in zc_config_strerror().
 */
int zc_config_load(const char *path, struct zc_config *cfg);

/**
 * Check an INI file line by line (syntax, empty values, duplicates; see
 * zc_config_load()) and open it with rte_cfgfile. cfg->path names the
 * file; cfg->lines records where each key is, for zc_config_error().
 * @return the file, or NULL with the reason in zc_config_strerror().
 */
struct rte_cfgfile *zc_config_open(struct zc_config *cfg);

/** Release what zc_config_load() or zc_config_open() allocated. */
void zc_config_free(struct zc_config *cfg);

/**
 * Record an error about a key, formatted as
 * "FILE:LINE: [SECTION] KEY: message". section or key may be NULL.
 * Always returns -1.
 */
int zc_config_error(const struct zc_config *cfg, const char *section,
		    const char *key, const char *fmt, ...)
	__rte_format_printf(4, 5);

/** The last configuration error message. */
const char *zc_config_strerror(void);

/** Name of a mode as written in the file. */
const char *zc_mode_name(enum zc_mode mode);

/**
 * Shared value parsers: every section, the side files and the telemetry
 * parameters read values through these, so that a value means the same
 * everywhere. Each returns 0, or -1 if the text is not a valid value.
 */

/**
 * A decimal integer from min to max: digits only, no sign, no blank, no
 * "0x" and no leading zero (C would read "010" as octal 8).
 */
int zc_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/** zc_parse_uint_ext() flags. */
#define ZC_UINT_HEX   (1u << 0) /**< "0x1f" is hexadecimal. */
#define ZC_UINT_ZEROS (1u << 1) /**< "010" is ten: leading zeros allowed. */

/**
 * zc_parse_uint() with the exceptions a file format documents (an ACL
 * rule's "proto=0x80/0x80", a kernel file's "0x8086"): ZC_UINT_* flags.
 */
int zc_parse_uint_ext(const char *s, uint64_t min, uint64_t max,
		      unsigned int flags, uint64_t *out);

/**
 * The integer on the first line of a file (blanks around it ignored), read
 * with zc_parse_uint_ext(): for /sys and /proc files. 0 or -1.
 */
int zc_read_uint_file(const char *path, unsigned int flags, uint64_t *out);

/** A hint to append to an integer error: why "010" or "0x40" is refused. */
const char *zc_uint_hint(const char *s);

/** yes/no, on/off, true/false, 1/0, in any case. */
int zc_parse_bool(const char *s, uint8_t *out);

/** "aa:bb:cc:dd:ee:ff", any address. */
int zc_parse_mac(const char *s, struct rte_ether_addr *mac);

/** A MAC a port or tunnel can own: unicast and not all zeros. */
int zc_parse_unicast_mac(const char *s, struct rte_ether_addr *mac);

/**
 * Check that path names a readable regular file (dir false) or a readable
 * folder (dir true). On error, err says why, starting with the path.
 */
int zc_check_path(const char *path, bool dir, char *err, size_t len);

/**
 * fopen(path, "r") for a file that must be a regular file (a folder
 * would read as an empty file). NULL with err set to "cannot open: ..."
 * or "is a folder, not a file".
 */
FILE *zc_open_file(const char *path, char *err, size_t len);

/**
 * The same parsers on a key of a section. Each leaves *out alone if the
 * key is absent, and returns -1 after zc_config_error() (file, line,
 * section, key, what was expected) on a bad value.
 */
int zc_config_get_uint(const struct zc_config *cfg, struct rte_cfgfile *f,
		       const char *section, const char *key, uint64_t min,
		       uint64_t max, uint64_t *out);
/** The same, for narrower integers: *out is left alone on error. */
int zc_config_get_u8(const struct zc_config *cfg, struct rte_cfgfile *f,
		     const char *section, const char *key, uint64_t min,
		     uint64_t max, uint8_t *out);
int zc_config_get_u16(const struct zc_config *cfg, struct rte_cfgfile *f,
		      const char *section, const char *key, uint64_t min,
		      uint64_t max, uint16_t *out);
int zc_config_get_u32(const struct zc_config *cfg, struct rte_cfgfile *f,
		      const char *section, const char *key, uint64_t min,
		      uint64_t max, uint32_t *out);
int zc_config_get_bool(const struct zc_config *cfg, struct rte_cfgfile *f,
		       const char *section, const char *key, uint8_t *out);
/**
 * One word of a NULL-terminated list: *out is its index. The error says
 * "expected a, b or c, got 'x'". *has (if not NULL) is set to 1 when the
 * key is given.
 */
int zc_config_get_choice(const struct zc_config *cfg, struct rte_cfgfile *f,
			 const char *section, const char *key,
			 const char *const *words, unsigned int *out,
			 uint8_t *has);
/** Unicast MAC; *has (if not NULL) is set to 1 when the key is given. */
int zc_config_get_mac(const struct zc_config *cfg, struct rte_cfgfile *f,
		      const char *section, const char *key,
		      struct rte_ether_addr *mac, uint8_t *has);
/** A path that must name a regular file (dir false) or a folder. */
int zc_config_get_path(const struct zc_config *cfg, struct rte_cfgfile *f,
		       const char *section, const char *key, bool dir,
		       char *out, size_t len);

/**
 * Check that every key of a section is in a NULL-terminated list.
 * @return 0, or -1 naming the first unknown key.
 */
int zc_config_check_keys(const struct zc_config *cfg, struct rte_cfgfile *f,
			 const char *section, const char *const *known);

/**
 * A configured port index: "N" from 0 to cfg->nb_ports - 1 (zc_parse_uint
 * rules). 0, or -1 if it is not one.
 */
int zc_parse_port_ref(const struct zc_config *cfg, const char *s,
		      uint16_t *port);

/** Blanks off both ends of s, in place; returns the first non-blank. */
char *zc_str_trim(char *s);

/** Whether the file has the section (for a section's check() hook). */
bool zc_config_has_section(const struct zc_config *cfg, const char *section);

/**
 * Whether some pipeline's chain (written, or the mode's default) names the
 * stage ops.
 */
bool zc_config_has_stage(const struct zc_config *cfg,
			 const struct zc_stage_ops *ops);

/**
 * Check the stage contract (core/zc_stage.h) for each place a chain gives
 * the stage ops: the mode is one it may run in, and every metadata group
 * it reads is written by a stage before it. zc_config_load() checks every
 * stage of every chain; a stage started some other way (a unit test) may
 * check itself.
 * @return 0, or -1 after zc_config_error() ("[pipeline.N] stages: ...").
 */
int zc_config_check_stage(const struct zc_config *cfg,
			  unsigned int pipeline_id,
			  const struct zc_stage_ops *ops);

/**
 * Metadata written by the stages before the first ops of pipeline
 * pipeline_id's chain (ZC_MD_* groups); 0 if ops is not in it.
 */
uint32_t zc_config_written_before(const struct zc_config *cfg,
				  unsigned int pipeline_id,
				  const struct zc_stage_ops *ops);

/**
 * Metadata read (reads or may_read) by the stages after the first ops of
 * pipeline pipeline_id's chain; 0 if ops is not in it.
 */
uint32_t zc_config_read_after(const struct zc_config *cfg,
			      unsigned int pipeline_id,
			      const struct zc_stage_ops *ops);

/**
 * Which groups of mask some stage of some chain reads (reads or
 * may_read). *who and *pipeline_id (each may be NULL) name the first
 * such stage and its pipeline.
 */
uint32_t zc_config_chains_read(const struct zc_config *cfg,
			       const struct zc_stage_ops **who,
			       unsigned int *pipeline_id, uint32_t mask);

/** Parse "a.b.c.d/len" (len optional: 32). Network byte order. 0 or -1. */
int zc_parse_ipv4_prefix(const char *s, uint32_t *addr, uint8_t *len);

/** Parse "x::y/len" (len optional: 128). 0 or -1. */
int zc_parse_ipv6_prefix(const char *s, uint8_t addr[16], uint8_t *len);

/**
 * Parse an IPv4 or IPv6 address with an optional "/len" (default: the
 * whole address), the family told by the text (':' is IPv6). addr is
 * zeroed first; an IPv4 address takes its first 4 bytes, network order.
 * 0, or -1 (*family is set either way).
 */
int zc_parse_ip_prefix(const char *s, uint8_t *family, uint8_t addr[16],
		       uint8_t *len);

#endif /* ZC_CONFIG_H */
