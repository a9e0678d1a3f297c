/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_TELEMETRY_H
#define ZC_TELEMETRY_H

/**
 * @file
 * zcpipe's telemetry commands (/zcpipe/...), served by DPDK's telemetry
 * thread on /var/run/dpdk/<file-prefix>/dpdk_telemetry.v2. Every command and
 * field is described in docs/telemetry.md.
 *
 * The commands are registered by a constructor, before rte_eal_init(), as
 * DPDK's own libraries do. They read the single-writer counters of the
 * workers and sum them; they never write anything a worker writes, and never
 * wait for a worker. They read the pipeline only between
 * zc_telemetry_open() and zc_telemetry_close(); outside, they answer an
 * error.
 *
 * DPDK 22.11 bounds a reply to 16 KiB, a dict to 256 entries and an array to
 * 512; past those, entries are silently lost. The struct zc_tel helpers keep
 * an upper bound of the JSON size of what was added, so that commands whose
 * lists can grow stop at ZC_TEL_BUDGET and say where the next page starts.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_telemetry.h>

/** JSON bytes a reply may use (16 KiB minus the command name and margin). */
#define ZC_TEL_BUDGET (16384 - 512)

/** Containers inside one zc_tel that zc_tel_discard() can free. */
#define ZC_TEL_SUBS 32

/** A telemetry dict being built, with its size bound. */
struct zc_tel {
	struct rte_tel_data *d; /**< The dict. */
	size_t len;             /**< Upper bound of its JSON size, bytes. */
	unsigned int nb;        /**< Entries in it. */
	unsigned int nb_sub;    /**< Containers listed in sub[]. */
	/**
	 * The containers in d, at any depth (the first ZC_TEL_SUBS):
	 * rte_tel_data_free() frees a dict, not what it holds.
	 */
	struct rte_tel_data *sub[ZC_TEL_SUBS];
};

/** Start the dict d (a reply, or a child from zc_tel_open()). */
void zc_tel_start(struct zc_tel *t, struct rte_tel_data *d);

/**
 * Allocate and start a child dict.
 * @return 0, or -ENOMEM.
 */
int zc_tel_open(struct zc_tel *child);

/**
 * Add a child dict under key to t, which takes it over.
 * @return 0, or a negative errno value (the child is freed).
 */
int zc_tel_close(struct zc_tel *t, const char *key, struct zc_tel *child);

/** Free a child that will not be added. */
void zc_tel_discard(struct zc_tel *child);

/**
 * Would adding child under key keep t's whole reply within budget?
 *
 * @param t
 *   Dict the child would go into.
 * @param child
 *   The child.
 * @param used
 *   Bytes used by everything outside t in the reply (0 if t is the reply).
 */
bool zc_tel_fits(const struct zc_tel *t, const struct zc_tel *child,
		 size_t used);

/** Add an unsigned value. */
int zc_tel_u64(struct zc_tel *t, const char *key, uint64_t v);

/** Add a signed value. */
int zc_tel_int(struct zc_tel *t, const char *key, int v);

/**
 * Add a string (at most 127 characters are kept). Control characters and
 * bytes from 0x80 up become '?': DPDK 22.11 would write them as invalid
 * JSON.
 */
int zc_tel_str(struct zc_tel *t, const char *key, const char *v);

/** Longest text zc_tel_quote() gives back, its NUL included. */
#define ZC_TEL_QUOTE_LEN 33

/**
 * Text of a client's parameter that an error message may show: printable
 * ASCII only (anything else, '"' and '\\' become '?'), cut to 32 characters
 * with "..." at the end if longer. Returns buf.
 */
const char *zc_tel_quote(const char *in, char *buf, size_t len);

/** Add a comma-separated list as an array of strings. */
int zc_tel_str_list(struct zc_tel *t, const char *key, const char *list);

/**
 * Main lcore: let the /zcpipe/ commands read the pipeline, once
 * zc_pipeline_build() has succeeded. Before this, every command answers
 * {"state": "starting", "error": ...} and reads nothing.
 */
void zc_telemetry_open(void);

/**
 * Main lcore: stop the /zcpipe/ commands from reading the pipeline, and
 * wait until no command is still reading it. Call before anything they
 * read is freed (zc_pipeline_destroy(), rte_eal_cleanup()). From then on,
 * every command answers {"state": "stopped", "error": ...}: DPDK 22.11
 * cannot unregister a command, and its telemetry threads outlive main().
 */
void zc_telemetry_close(void);

/**
 * Main lcore: sample what only a poll can see (pool low-water marks). Call
 * from the control loop, e.g. every 10 ms.
 */
void zc_telemetry_sample(void);

/** Most commands zc_telemetry_register_cmd() takes. */
#define ZC_TEL_EXT_MAX 16

/**
 * Register a /zcpipe/ command of another module (e.g. /zcpipe/trace, in
 * lib/telemetry/zc_trace_cmd.c) behind the same gate as the built-in ones:
 * fn runs only while the pipeline is up. Call from an RTE_INIT
 * constructor, before any telemetry client can connect.
 *
 * @param name
 *   The command, e.g. "/zcpipe/trace" (static string).
 * @param fn
 *   Its handler.
 * @param help
 *   One line of help, under 128 characters.
 * @return
 *   0, or a negative errno value (-ENOSPC: ZC_TEL_EXT_MAX reached).
 */
int zc_telemetry_register_cmd(const char *name, telemetry_cb fn,
			      const char *help);

#endif /* ZC_TELEMETRY_H */
