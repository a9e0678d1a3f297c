/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_ACL_H
#define ZC_ACL_H

/**
 * @file
 * Access control lists on rte_acl: the rule-file parser, the build of the
 * IPv4 and IPv6 classifier contexts, and the per-rule counters.
 *
 * A rule file (syntax in docs/acl.md) is read once at start-up into a
 * struct zc_acl: one line, one rule. A bad line is refused with
 * "FILE:LINE: reason". The rules are then compiled into one rte_acl context
 * per address family and NUMA socket; lookups on it are read-only and may
 * run on any number of lcores at once.
 *
 * Every rule has a packet and a byte counter per lcore, written only by the
 * lcore that classified the packet; readers (summary, telemetry) sum the
 * lcores' rows without locks.
 *
 * The fast-path part of this header (the key layouts, struct zc_acl and
 * struct zc_acl_ctr) is what the classify stage (lib/acl/classify.c)
 * works with; everything else is control path.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_memory.h>

struct rte_acl_ctx;

/** Most rules in one file. */
#define ZC_ACL_MAX_RULES (1u << 20)

/** Longest rule line, comment included. */
#define ZC_ACL_LINE_MAX 1024

/** Key value of the VLAN field for an untagged packet (vlan=none). */
#define ZC_ACL_VLAN_NONE 0xffff

/** The [acl] section, as loaded (lib/acl/config.c). */
struct zc_acl_conf {
	char rules[PATH_MAX]; /**< Rule file, "" for none. */
	uint8_t deny_default; /**< default = deny. */
};

/** The loaded configuration; filled by zc_config_load(). */
extern struct zc_acl_conf zc_acl_conf;

/** What a matching rule does. */
enum zc_acl_action {
	ZC_ACL_PERMIT = 0, /**< Let the packet go on. */
	ZC_ACL_DENY,       /**< Free it, counted as acl_deny. */
	ZC_ACL_COUNT,      /**< Count it and let it go on, as permit. */
	ZC_ACL_FORWARD,    /**< Send it out of a port (zc_meta.out_port). */
	ZC_ACL_MIRROR,     /**< Let it go on and copy it to a port. */
	ZC_ACL_VLAN_PUSH,  /**< Let it go on with a VLAN tag pushed (act). */
	ZC_ACL_VLAN_POP,   /**< Let it go on with its outer tag popped (act). */
	ZC_ACL_VXLAN,      /**< Encapsulate it into a VXLAN tunnel (act). */
	/** Free it with an ICMP administratively prohibited error (route). */
	ZC_ACL_REJECT,
};

/**
 * Lookup key of an IPv4 packet, every field in network byte order.
 * Only headers are gathered here: the payload is never copied.
 * rte_acl wants the first field to be one byte and the others in groups
 * of four bytes, hence the padding.
 */
struct zc_acl_key4 {
	uint8_t proto;    /**< IP protocol (L4 protocol if parsed). */
	uint8_t pad[3];   /**< Zero. */
	uint32_t src;     /**< Source address. */
	uint32_t dst;     /**< Destination address. */
	uint16_t sport;   /**< TCP/UDP/SCTP source port, else 0. */
	uint16_t dport;   /**< TCP/UDP/SCTP destination port, else 0. */
	uint16_t vlan;    /**< Outer VLAN id, ZC_ACL_VLAN_NONE if untagged. */
	uint16_t in_port; /**< Ingress ethdev port id. */
};

/** Lookup key of an IPv6 packet; same rules as struct zc_acl_key4. */
struct zc_acl_key6 {
	uint8_t proto;    /**< L4 protocol if parsed, else next header. */
	uint8_t pad[3];   /**< Zero. */
	uint8_t src[16];  /**< Source address. */
	uint8_t dst[16];  /**< Destination address. */
	uint16_t sport;   /**< TCP/UDP/SCTP source port, else 0. */
	uint16_t dport;   /**< TCP/UDP/SCTP destination port, else 0. */
	uint16_t vlan;    /**< Outer VLAN id, ZC_ACL_VLAN_NONE if untagged. */
	uint16_t in_port; /**< Ingress ethdev port id. */
};

/**
 * What the fast path does with a classification result. Results index
 * this table: 0 is "no rule matched", 1..nb_rules the rules in file order,
 * nb_rules + 1 a packet the ACL does not apply to (not IPv4 or IPv6).
 */
struct zc_acl_verdict {
	uint8_t action; /**< enum zc_acl_action. */
	uint8_t pad;    /**< Zero. */
	/** ethdev port id for forward and mirror, the TCI for vlan-push,
	 * the tunnel's virtual port (ZC_VXLAN_VPORT) for vxlan.
	 */
	uint16_t port;
};

/** One counter pair; rows of them are written by a single lcore. */
struct zc_acl_ctr {
	uint64_t pkts;  /**< Packets. */
	uint64_t bytes; /**< Bytes (pkt_len). */
};

struct zc_acl_rule;

/**
 * A loaded rule set. Read-only once built, except the counter rows, each
 * of which belongs to one lcore.
 */
struct zc_acl {
	uint32_t nb_rules;         /**< Rules in the file. */
	uint32_t nb_rules4;        /**< Rules in the IPv4 context. */
	uint32_t nb_rules6;        /**< Rules in the IPv6 context. */
	uint32_t bypass;           /**< Result index of non-IP packets. */
	struct zc_acl_verdict *verdict; /**< nb_rules + 2 entries. */
	/** IPv4 context per socket; NULL if not built or no IPv4 rule. */
	struct rte_acl_ctx *ctx4[RTE_MAX_NUMA_NODES];
	/** IPv6 context per socket; NULL if not built or no IPv6 rule. */
	struct rte_acl_ctx *ctx6[RTE_MAX_NUMA_NODES];
	uint8_t built[RTE_MAX_NUMA_NODES]; /**< zc_acl_build() done there. */
	/** Counter row per lcore (nb_rules + 2 entries), NULL if unused. */
	struct zc_acl_ctr *ctr[RTE_MAX_LCORE];
	struct zc_acl_rule *rules; /**< Parsed rules, in file order. */
	char path[256];            /**< File the rules came from. */
};

/** How to load a rule file. */
struct zc_acl_params {
	const char *path;          /**< Rule file. */
	uint16_t nb_ports;         /**< Configured ports: PORT must be below. */
	/** ethdev port id of each configured port; NULL means the same. */
	const uint16_t *port_ids;
	uint8_t deny_default;      /**< A packet no rule matches is denied. */
};

/** One rule with its counters summed over the lcores. */
struct zc_acl_rule_stats {
	uint32_t id;          /**< Index in the file, from 0. */
	uint32_t line;        /**< Line in the file. */
	uint32_t priority;    /**< priority= as written (0 if absent). */
	uint8_t family;       /**< 4, 6, or 0 for a rule applying to both. */
	uint8_t action;       /**< enum zc_acl_action. */
	/** Configured port of forward/mirror, TCI of vlan-push, tunnel
	 * index of vxlan.
	 */
	uint16_t port;
	const char *text;     /**< The rule as written, without comment. */
	uint64_t pkts;        /**< Packets it matched. */
	uint64_t bytes;       /**< Bytes it matched. */
};

/**
 * Read and check a rule file. Builds nothing yet.
 *
 * @param p
 *   What to load.
 * @param err
 *   Filled with "FILE:LINE: reason" (or "FILE: reason") on failure.
 * @param errlen
 *   Size of err.
 * @return
 *   The rule set, or NULL with err set.
 */
struct zc_acl *zc_acl_load(const struct zc_acl_params *p, char *err,
			   size_t errlen);

/**
 * Build the rte_acl contexts of a rule set for a NUMA socket, once; later
 * calls for the same socket do nothing.
 *
 * @return
 *   0, or a negative errno value with err filled.
 */
int zc_acl_build(struct zc_acl *acl, int socket_id, char *err, size_t errlen);

/**
 * The counter row of an lcore, allocated (zeroed) on first use.
 * Control path: call from stage init.
 *
 * @return
 *   The row, or NULL if out of memory.
 */
struct zc_acl_ctr *zc_acl_counters(struct zc_acl *acl, unsigned int lcore_id);

/** Free a rule set with its contexts and counters. NULL is fine. */
void zc_acl_free(struct zc_acl *acl);

/** Name of an action ("permit", "deny", ...). */
const char *zc_acl_action_name(enum zc_acl_action a);

/**
 * Make a rule set the one the accessors below report on (the classify
 * stage does this); NULL for none.
 */
void zc_acl_set_active(struct zc_acl *acl);

/** The rule set the accessors report on, or NULL. */
struct zc_acl *zc_acl_active(void);

/**
 * Number of rules of the active rule set (0 if there is none).
 * For telemetry (/zcpipe/acl) and summaries.
 */
unsigned int zc_acl_rule_count(void);

/**
 * One rule of the active rule set with its counters summed over lcores.
 * The text pointer stays valid while the rule set is active.
 *
 * @return
 *   0, or -1 if there is no rule i.
 */
int zc_acl_rule_stats(unsigned int i, struct zc_acl_rule_stats *out);

/**
 * Same for a given rule set (tests, tools).
 */
int zc_acl_rule_stats_of(const struct zc_acl *acl, unsigned int i,
			 struct zc_acl_rule_stats *out);

/**
 * Packets of the active rule set that matched no rule (and got the default
 * action) and packets the ACL did not apply to (not IPv4/IPv6), summed.
 *
 * @return
 *   0, or -1 if there is no active rule set (outputs zeroed).
 */
int zc_acl_other_stats(struct zc_acl_ctr *no_match, struct zc_acl_ctr *bypass);

/** Same for a given rule set. */
void zc_acl_other_stats_of(const struct zc_acl *acl,
			   struct zc_acl_ctr *no_match,
			   struct zc_acl_ctr *bypass);

/**
 * Load and build a rule file, measuring the build, then free it. For the
 * benchmark and the scale test. Any port number below ZC_MAX_PORTS is
 * accepted in the file.
 *
 * @param path
 *   Rule file.
 * @param ns
 *   Wall-clock nanoseconds of rte_acl_create + add_rules + build, both
 *   families together.
 * @param bytes
 *   rte_malloc heap bytes the built contexts hold (rules and run-time
 *   tries).
 * @param nb_rules
 *   Rules read; may be NULL.
 * @param err
 *   Filled on failure.
 * @return
 *   0, or -1 with err filled.
 */
int zc_acl_build_stats(const char *path, uint64_t *ns, uint64_t *bytes,
		       uint32_t *nb_rules, char *err, size_t errlen);

/**
 * Whether classify stage instances run (a rule set can be replaced).
 */
bool zc_classify_running(void);

/**
 * Load a rule file for the running classify stages and build it for
 * every NUMA socket they run on, with a counter row for each of their
 * lcores, but do not put it in force. Control thread only. Refused if a
 * rule needs the act stage where it does not run.
 *
 * @param path
 *   Rule file; NULL for the one [acl] rules names ("" for none: every
 *   packet gets the default).
 * @return
 *   The rule set, or NULL with err filled ("FILE:LINE: reason").
 */
struct zc_acl *zc_classify_prepare(const char *path, char *err,
				   size_t errlen);

/**
 * Put a rule set from zc_classify_prepare() in force: every classify
 * instance takes it at its next burst. Control thread only.
 *
 * @return
 *   The rule set it replaces, to be freed with zc_acl_free() only after
 *   an RCU grace period (core/zc_rcu.h).
 */
struct zc_acl *zc_classify_commit(struct zc_acl *acl);

/**
 * Take the lock that keeps the active rule set (zc_acl_active() and the
 * accessors on it) from being replaced, for readers outside the workers
 * (telemetry). Short sections only.
 */
void zc_acl_read_lock(void);

/** Release zc_acl_read_lock(). */
void zc_acl_read_unlock(void);

/**
 * Whether the rule set the classify stages share asks for an action the
 * act stage carries out (vlan-push, vlan-pop, vxlan). true until a
 * classify stage has loaded it.
 */
bool zc_classify_acts(void);

#endif /* ZC_ACL_H */
