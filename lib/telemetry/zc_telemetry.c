/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * /zcpipe/... telemetry commands. They run on DPDK's telemetry thread and
 * only read: the workers' single-writer counters (summed here), ring and
 * pool occupancy, port counters from the driver, and the low-water marks the
 * main lcore samples. See docs/telemetry.md for every field.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "acl/zc_acl.h"
#include "core/zc_config.h"
#include "core/zc_counter.h"
#include "core/zc_drop.h"
#include "core/zc_kif.h"
#include "core/zc_latency.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "core/zc_stats.h"
#include "route/zc_route.h"
#include "telemetry/zc_telemetry.h"

/* ---- reply builder -------------------------------------------------------- */

/* JSON: "key": plus a comma. */
static size_t
key_len(const char *key)
{
	return strlen(key) + 4;
}

/* A string value in JSON: quotes, and the library's escapes of '"' and
 * '\\' (tel_clean() has replaced everything else that needs one).
 */
static size_t
str_len(const char *v)
{
	size_t n = 2, i;

	for (i = 0; v[i] != '\0' && i < RTE_TEL_MAX_STRING_LEN - 1; i++) {
		unsigned char c = (unsigned char)v[i];

		n += c == '"' || c == '\\' ? 2 : 1;
	}
	return n;
}

/*
 * A string as a reply may carry it: DPDK 22.11 escapes '"' and '\\' but
 * writes control characters and bytes from 0x80 up in ways that are not
 * valid JSON (a UTF-8 'e' with an acute accent came out as "\1\2"). Those
 * become '?', so that whatever reaches a reply (a parameter, a file name
 * from the configuration) leaves valid JSON. buf holds
 * RTE_TEL_MAX_STRING_LEN bytes.
 */
static const char *
tel_clean(const char *v, char *buf)
{
	size_t i;

	for (i = 0; v[i] != '\0' && i < RTE_TEL_MAX_STRING_LEN - 1; i++) {
		unsigned char c = (unsigned char)v[i];

		buf[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

const char *
zc_tel_quote(const char *in, char *buf, size_t len)
{
	size_t i, max = RTE_MIN(len, (size_t)ZC_TEL_QUOTE_LEN) - 1;

	for (i = 0; in[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)in[i];

		buf[i] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\' ?
			 '?' : (char)c;
	}
	buf[i] = '\0';
	if (in[i] != '\0' && i >= 3)
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

/* Decimal digits of a value. */
static size_t
num_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

void
zc_tel_start(struct zc_tel *t, struct rte_tel_data *d)
{
	t->d = d;
	t->len = 2;
	t->nb = 0;
	t->nb_sub = 0;
	rte_tel_data_start_dict(d);
}

int
zc_tel_open(struct zc_tel *child)
{
	struct rte_tel_data *d = rte_tel_data_alloc();

	if (d == NULL)
		return -ENOMEM;
	zc_tel_start(child, d);
	return 0;
}

/* Note a container now inside t, so that discarding t frees it too. */
static void
sub_add(struct zc_tel *t, struct rte_tel_data *c)
{
	if (t->nb_sub < ZC_TEL_SUBS)
		t->sub[t->nb_sub++] = c;
}

void
zc_tel_discard(struct zc_tel *child)
{
	unsigned int i;

	/* Its containers first: freeing the dict does not free them. */
	for (i = 0; i < child->nb_sub; i++)
		rte_tel_data_free(child->sub[i]);
	child->nb_sub = 0;
	rte_tel_data_free(child->d);
	child->d = NULL;
}

bool
zc_tel_fits(const struct zc_tel *t, const struct zc_tel *child, size_t used)
{
	return t->nb < RTE_TEL_MAX_DICT_ENTRIES &&
	       used + t->len + child->len + 16 <= ZC_TEL_BUDGET;
}

int
zc_tel_close(struct zc_tel *t, const char *key, struct zc_tel *child)
{
	unsigned int i;
	int ret;

	if (t->nb >= RTE_TEL_MAX_DICT_ENTRIES) {
		zc_tel_discard(child);
		return -ENOSPC;
	}
	ret = rte_tel_data_add_dict_container(t->d, key, child->d, 0);
	if (ret < 0) {
		zc_tel_discard(child);
		return ret;
	}
	t->len += key_len(key) + child->len;
	t->nb++;
	sub_add(t, child->d);
	for (i = 0; i < child->nb_sub; i++)
		sub_add(t, child->sub[i]);
	child->nb_sub = 0;
	child->d = NULL;
	return 0;
}

/*
 * Add one entry of a paged list under the key "id", if the reply still
 * has room for it; otherwise drop it, tell the reader where the next page
 * starts (top[next_key] = next) and return false.
 */
static bool
page_add(struct zc_tel *top, struct zc_tel *list, struct zc_tel *child,
	 unsigned int id, unsigned int next, const char *next_key)
{
	char key[16];

	if (!zc_tel_fits(list, child, top->len + 64)) {
		zc_tel_discard(child);
		zc_tel_u64(top, next_key, next);
		return false;
	}
	snprintf(key, sizeof(key), "%u", id);
	zc_tel_close(list, key, child);
	return true;
}

int
zc_tel_u64(struct zc_tel *t, const char *key, uint64_t v)
{
	int ret;

	if (t->nb >= RTE_TEL_MAX_DICT_ENTRIES)
		return -ENOSPC;
	ret = rte_tel_data_add_dict_u64(t->d, key, v);
	if (ret < 0)
		return ret;
	t->len += key_len(key) + num_len(v);
	t->nb++;
	return 0;
}

int
zc_tel_int(struct zc_tel *t, const char *key, int v)
{
	int ret;

	if (t->nb >= RTE_TEL_MAX_DICT_ENTRIES)
		return -ENOSPC;
	ret = rte_tel_data_add_dict_int(t->d, key, v);
	if (ret < 0)
		return ret;
	t->len += key_len(key) + 11;
	t->nb++;
	return 0;
}

int
zc_tel_str(struct zc_tel *t, const char *key, const char *v)
{
	char buf[RTE_TEL_MAX_STRING_LEN];
	int ret;

	if (t->nb >= RTE_TEL_MAX_DICT_ENTRIES)
		return -ENOSPC;
	v = tel_clean(v, buf);
	ret = rte_tel_data_add_dict_string(t->d, key, v);
	if (ret < 0)
		return ret;
	t->len += key_len(key) + str_len(v);
	t->nb++;
	return 0;
}

int
zc_tel_str_list(struct zc_tel *t, const char *key, const char *list)
{
	struct rte_tel_data *a;
	char buf[1024], *tok, *save = NULL;
	size_t len = 2;
	int ret;

	if (t->nb >= RTE_TEL_MAX_DICT_ENTRIES)
		return -ENOSPC;
	a = rte_tel_data_alloc();
	if (a == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	strlcpy(buf, list, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char clean[RTE_TEL_MAX_STRING_LEN];

		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;
		tok = (char *)(uintptr_t)tel_clean(tok, clean);
		if (rte_tel_data_add_array_string(a, tok) < 0)
			break;
		len += str_len(tok) + 1;
	}
	ret = rte_tel_data_add_dict_container(t->d, key, a, 0);
	if (ret < 0) {
		rte_tel_data_free(a);
		return ret;
	}
	sub_add(t, a);
	t->len += key_len(key) + len;
	t->nb++;
	return 0;
}

/* ---- helpers -------------------------------------------------------------- */

/* Mempool low-water marks, written by the main lcore only. */
static unsigned int pool_min[RTE_MAX_NUMA_NODES];
static uint64_t pool_samples;

void
zc_telemetry_sample(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		struct rte_mempool *mp = zc_rt.pools[i];
		unsigned int avail;

		if (mp == NULL)
			continue;
		avail = rte_mempool_avail_count(mp);
		if (pool_samples == 0 || avail < pool_min[i])
			pool_min[i] = avail;
	}
	pool_samples++;
}

/* The configuration, or NULL before the pipeline is built. */
static const struct zc_config *
running_cfg(struct zc_tel *t)
{
	const struct zc_config *cfg = zc_rt.cfg;

	if (cfg == NULL)
		zc_tel_str(t, "error", "zcpipe is starting: no pipeline yet");
	return cfg;
}

static uint64_t
elapsed_cycles(void)
{
	uint64_t end;

	if (zc_rt.start_tsc == 0)
		return 0;
	end = zc_rt.stop_tsc != 0 ? zc_rt.stop_tsc : rte_rdtsc();
	return end - zc_rt.start_tsc;
}

static const char *
run_state(void)
{
	if (zc_rt.start_tsc == 0)
		return "starting";
	if (zc_stop)
		return "stopping";
	return "running";
}

/* Parse an optional page start: a decimal number, as in the
 * configuration.
 */
static int
page_start(const char *params, unsigned int *start)
{
	uint64_t v;

	*start = 0;
	if (params == NULL || *params == '\0')
		return 0;
	if (zc_parse_uint(params, 0, 1000000, &v) < 0)
		return -EINVAL;
	*start = (unsigned int)v;
	return 0;
}

/* A command that takes no parameter refuses one. */
static int
no_params(const char *params)
{
	return params == NULL || *params == '\0' ? 0 : -EINVAL;
}

/* One stage instance, in pipeline, group and stage order. */
struct inst {
	struct zc_lcore_ctx *lc;
	unsigned int s;
	char key[48];
};

static unsigned int
collect_instances(struct inst *out, unsigned int max)
{
	unsigned int p, l, s, n = 0;

	for (p = 0; p < ZC_PIPELINES_MAX; p++)
		for (l = 0; l < RTE_MAX_LCORE; l++) {
			struct zc_lcore_ctx *lc = zc_rt.lcores[l];

			if (lc == NULL || lc->pipeline_id != p)
				continue;
			for (s = 0; s < lc->nb_stages && n < max; s++) {
				const char *name = lc->stages[s]->ops->name;
				unsigned int k, dup = 0;

				for (k = 0; k < s; k++)
					dup += strcmp(lc->stages[k]->ops->name,
						      name) == 0;
				out[n].lc = lc;
				out[n].s = s;
				if (dup == 0)
					snprintf(out[n].key, sizeof(out[n].key),
						 "p%u/l%u/%s", p, l, name);
				else
					snprintf(out[n].key, sizeof(out[n].key),
						 "p%u/l%u/%s_%u", p, l, name,
						 dup + 1);
				n++;
			}
		}
	return n;
}

#define MAX_INST (ZC_PIPELINES_MAX * ZC_STAGES_MAX)

/* ---- /zcpipe/stats -------------------------------------------------------- */

static int
cmd_stats(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	struct zc_tel t;
	const struct zc_config *cfg;
	uint64_t rx = 0, rx_bytes = 0, tx = 0, tx_bytes = 0, clones = 0;
	uint64_t drops = 0, el, hz = rte_get_tsc_hz();
	struct inst in[MAX_INST];
	unsigned int i, n;

	if (no_params(params) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	cfg = running_cfg(&t);
	if (cfg == NULL)
		return 0;
	/* Downstream counters first, then upstream ones: in_flight is then
	 * never negative (counters only grow).
	 */
	for (i = 0; i < cfg->nb_ports; i++) {
		struct zc_port_counters c;

		zc_stats_port_sum(cfg->port[i].port_id, &c);
		tx += c.tx_pkts;
		tx_bytes += c.tx_bytes;
	}
	n = collect_instances(in, RTE_DIM(in));
	for (i = 0; i < n; i++)
		drops += zc_stage_drops_total(in[i].lc->stages[in[i].s]);
	for (i = 0; i < cfg->nb_ports; i++) {
		struct zc_port_counters c;

		zc_stats_port_sum(cfg->port[i].port_id, &c);
		rx += c.rx_pkts;
		rx_bytes += c.rx_bytes;
		clones += c.clones;
	}
	el = elapsed_cycles();
	zc_tel_str(&t, "state", run_state());
	zc_tel_str(&t, "mode", zc_mode_name(cfg->mode));
	zc_tel_str(&t, "placement", zc_pipeline_placement(cfg));
	zc_tel_u64(&t, "uptime_s", hz ? el / hz : 0);
	zc_tel_u64(&t, "uptime_ms", zc_lat_cycles_to_ns(el) / 1000000);
	zc_tel_u64(&t, "ports", cfg->nb_ports);
	zc_tel_u64(&t, "pipelines", cfg->nb_pipelines);
	zc_tel_u64(&t, "workers", zc_rt.nb_workers);
	zc_tel_u64(&t, "rx", rx);
	zc_tel_u64(&t, "rx_bytes", rx_bytes);
	zc_tel_u64(&t, "tx", tx);
	zc_tel_u64(&t, "tx_bytes", tx_bytes);
	zc_tel_u64(&t, "clones", clones);
	zc_tel_u64(&t, "drops", drops);
	zc_tel_u64(&t, "in_flight", rx + clones >= tx + drops ?
		   rx + clones - tx - drops : 0);
	return 0;
}

/* Kernel ring drops (zc_kif.h) of one port, or summed over the running
 * configuration's ports (pid UINT16_MAX), by reason.
 */
static void
zc_tel_kif_drops(struct zc_tel *t, uint16_t pid, const struct zc_config *cfg)
{
	const char *names[ZC_KIF_DROP_MAX], *sum_name[2 * ZC_KIF_DROP_MAX];
	uint64_t counts[ZC_KIF_DROP_MAX], sum[2 * ZC_KIF_DROP_MAX];
	unsigned int i, k, j, nk, ns = 0;

	for (i = 0; cfg != NULL ? i < cfg->nb_ports : i < 1; i++) {
		nk = zc_kif_drops(cfg != NULL ? cfg->port[i].port_id : pid,
				  names, counts);
		for (k = 0; k < nk; k++) {
			for (j = 0; j < ns; j++)
				if (strcmp(sum_name[j], names[k]) == 0)
					break;
			if (j == ns) {
				if (ns == RTE_DIM(sum))
					continue;
				sum_name[ns] = names[k];
				sum[ns++] = 0;
			}
			sum[j] += counts[k];
		}
	}
	for (j = 0; j < ns; j++)
		zc_tel_u64(t, sum_name[j], sum[j]);
}

/* ---- /zcpipe/ports -------------------------------------------------------- */

static int
port_add(struct zc_tel *pt, const struct zc_config *cfg, unsigned int idx)
{
	uint16_t pid = cfg->port[idx].port_id;
	const struct zc_port *p = &zc_ports[pid];
	struct zc_port_counters c;
	struct rte_eth_stats es;
	struct rte_eth_link link;
	struct zc_tel dr;
	char buf[1024];

	zc_stats_port_sum(pid, &c);
	zc_tel_str(pt, "name", p->name);
	zc_tel_u64(pt, "port_id", pid);
	zc_tel_u64(pt, "rx_pkts", c.rx_pkts);
	zc_tel_u64(pt, "rx_bytes", c.rx_bytes);
	zc_tel_u64(pt, "tx_pkts", c.tx_pkts);
	zc_tel_u64(pt, "tx_bytes", c.tx_bytes);
	zc_tel_u64(pt, "clones", c.clones);
	memset(&es, 0, sizeof(es));
	if (p->started)
		rte_eth_stats_get(pid, &es);
	zc_tel_u64(pt, "nic_ipackets", es.ipackets);
	zc_tel_u64(pt, "nic_opackets", es.opackets);
	zc_tel_u64(pt, "nic_ibytes", es.ibytes);
	zc_tel_u64(pt, "nic_obytes", es.obytes);
	if (zc_tel_open(&dr) == 0) {
		zc_tel_u64(&dr, "imissed", es.imissed);
		zc_tel_u64(&dr, "ierrors", es.ierrors);
		zc_tel_u64(&dr, "rx_nombuf", es.rx_nombuf);
		zc_tel_u64(&dr, "oerrors", es.oerrors);
		zc_tel_kif_drops(&dr, pid, NULL);
		zc_tel_close(pt, "drops", &dr);
	}
	memset(&link, 0, sizeof(link));
	if (p->started)
		rte_eth_link_get_nowait(pid, &link);
	zc_tel_str(pt, "link", link.link_status ? "up" : "down");
	zc_tel_u64(pt, "link_speed_mbps", link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ?
		   0 : link.link_speed);
	zc_tel_str(pt, "link_duplex", link.link_duplex ? "full" : "half");
	zc_tel_u64(pt, "started", p->started);
	zc_tel_u64(pt, "mtu", p->mtu);
	zc_tel_int(pt, "socket", p->socket_id);
	zc_tel_u64(pt, "rx_queues", p->nb_rxq);
	zc_tel_u64(pt, "tx_queues", p->nb_txq);
	zc_tel_u64(pt, "rx_desc", p->rx_desc);
	zc_tel_u64(pt, "tx_desc", p->tx_desc);
	zc_offloads_format(p->rx_offloads, 1, buf, sizeof(buf));
	zc_tel_str_list(pt, "rx_offloads", buf);
	zc_offloads_format(p->tx_offloads, 0, buf, sizeof(buf));
	zc_tel_str_list(pt, "tx_offloads", buf);
	return 0;
}

static int
cmd_ports(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	struct zc_tel t, ports;
	const struct zc_config *cfg;
	unsigned int i, start;

	if (page_start(params, &start) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	cfg = running_cfg(&t);
	if (cfg == NULL)
		return 0;
	zc_tel_u64(&t, "nb_ports", cfg->nb_ports);
	zc_tel_u64(&t, "from", start);
	if (zc_tel_open(&ports) < 0)
		return -ENOMEM;
	for (i = start; i < cfg->nb_ports; i++) {
		struct zc_tel pt;

		if (zc_tel_open(&pt) < 0)
			break;
		port_add(&pt, cfg, i);
		if (!page_add(&t, &ports, &pt, i, i, "next"))
			break;
	}
	zc_tel_close(&t, "ports", &ports);
	return 0;
}

/* ---- /zcpipe/stages ------------------------------------------------------- */

static void
stage_add(struct zc_tel *st_t, const struct inst *in, uint64_t el)
{
	const struct zc_lcore_ctx *lc = in->lc;
	const struct zc_stage *st = lc->stages[in->s];
	const volatile struct zc_stage_stats *ss = &st->stats;
	uint64_t pkts_in = ss->pkts_in, pkts_out = ss->pkts_out;
	uint64_t calls = ss->calls, cycles = ss->cycles, empty = ss->empty;
	uint64_t handled, dropped = 0;
	struct zc_tel dr;
	unsigned int r;
	bool src = st->ops->flags & ZC_STAGE_F_SOURCE;

	/* A source is "handed" what it produces. */
	handled = src ? pkts_out : pkts_in;
	zc_tel_str(st_t, "stage", st->ops->name);
	zc_tel_u64(st_t, "pipeline", lc->pipeline_id);
	zc_tel_u64(st_t, "group", lc->group);
	zc_tel_u64(st_t, "lcore", lc->lcore_id);
	zc_tel_u64(st_t, "pkts_in", pkts_in);
	zc_tel_u64(st_t, "pkts_out", pkts_out);
	zc_tel_u64(st_t, "bursts", calls);
	zc_tel_u64(st_t, "empty_polls", empty);
	zc_tel_u64(st_t, "cycles", cycles);
	zc_tel_u64(st_t, "avg_burst_x100", calls ? handled * 100 / calls : 0);
	zc_tel_u64(st_t, "cycles_per_pkt", handled ?
		   (cycles + handled / 2) / handled : 0);
	zc_tel_u64(st_t, "busy_pct_x100", el ? cycles * 10000 / el : 0);
	if (zc_tel_open(&dr) < 0)
		return;
	for (r = 0; r < ZC_DROP_MAX; r++) {
		uint64_t v = ss->drops[r];

		dropped += v;
		if (v != 0)
			zc_tel_u64(&dr, zc_drop_name(r), v);
	}
	zc_tel_u64(st_t, "dropped", dropped);
	zc_tel_close(st_t, "drops", &dr);
}

static int
cmd_stages(const char *cmd __rte_unused, const char *params,
	   struct rte_tel_data *d)
{
	struct zc_tel t, stages, lcores;
	struct inst in[MAX_INST];
	unsigned int i, n, l, start;
	uint64_t el = elapsed_cycles();

	if (page_start(params, &start) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	if (running_cfg(&t) == NULL)
		return 0;
	n = collect_instances(in, RTE_DIM(in));
	zc_tel_u64(&t, "nb_stages", n);
	zc_tel_u64(&t, "from", start);
	zc_tel_u64(&t, "elapsed_cycles", el);
	zc_tel_u64(&t, "tsc_hz", rte_get_tsc_hz());

	/* Busy share of each worker lcore: cycles in stages over time. */
	if (zc_tel_open(&lcores) < 0)
		return -ENOMEM;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_lcore_ctx *lc = zc_rt.lcores[l];
		struct zc_tel lt;
		uint64_t cyc = 0;
		unsigned int s;
		char key[16], names[256] = "";

		if (lc == NULL || zc_tel_open(&lt) < 0)
			continue;
		for (s = 0; s < lc->nb_stages; s++) {
			cyc += lc->stages[s]->stats.cycles;
			if (s != 0)
				strlcat(names, ",", sizeof(names));
			strlcat(names, lc->stages[s]->ops->name, sizeof(names));
		}
		zc_tel_u64(&lt, "pipeline", lc->pipeline_id);
		zc_tel_u64(&lt, "group", lc->group);
		zc_tel_str(&lt, "stages", names);
		zc_tel_u64(&lt, "busy_cycles", cyc);
		zc_tel_u64(&lt, "busy_pct_x100", el ? cyc * 10000 / el : 0);
		snprintf(key, sizeof(key), "%u", l);
		zc_tel_close(&lcores, key, &lt);
	}
	zc_tel_close(&t, "lcores", &lcores);

	if (zc_tel_open(&stages) < 0)
		return -ENOMEM;
	for (i = start; i < n; i++) {
		struct zc_tel st;

		if (zc_tel_open(&st) < 0)
			break;
		stage_add(&st, &in[i], el);
		if (!zc_tel_fits(&stages, &st, t.len + 64)) {
			zc_tel_discard(&st);
			zc_tel_u64(&t, "next", i);
			break;
		}
		zc_tel_close(&stages, in[i].key, &st);
	}
	zc_tel_close(&t, "stages", &stages);
	return 0;
}

/* ---- /zcpipe/drops -------------------------------------------------------- */

static int
cmd_drops(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	struct zc_tel t, reasons, nic;
	const struct zc_config *cfg;
	struct inst in[MAX_INST];
	uint64_t sum[ZC_DROP_MAX] = { 0 }, total = 0;
	uint64_t imissed = 0, ierrors = 0, nombuf = 0, oerrors = 0;
	unsigned int i, n, r;

	if (no_params(params) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	cfg = running_cfg(&t);
	if (cfg == NULL)
		return 0;
	n = collect_instances(in, RTE_DIM(in));
	for (i = 0; i < n; i++) {
		const volatile struct zc_stage_stats *ss =
			&in[i].lc->stages[in[i].s]->stats;

		for (r = 0; r < ZC_DROP_MAX; r++)
			sum[r] += ss->drops[r];
	}
	if (zc_tel_open(&reasons) < 0)
		return -ENOMEM;
	for (r = 0; r < ZC_DROP_MAX; r++) {
		zc_tel_u64(&reasons, zc_drop_name(r), sum[r]);
		total += sum[r];
	}
	for (i = 0; i < cfg->nb_ports; i++) {
		struct rte_eth_stats es;
		uint16_t pid = cfg->port[i].port_id;

		if (!zc_ports[pid].started || rte_eth_stats_get(pid, &es) != 0)
			continue;
		imissed += es.imissed;
		ierrors += es.ierrors;
		nombuf += es.rx_nombuf;
		oerrors += es.oerrors;
	}
	zc_tel_u64(&t, "total", total);
	zc_tel_close(&t, "reasons", &reasons);
	if (zc_tel_open(&nic) < 0)
		return -ENOMEM;
	zc_tel_u64(&nic, "imissed", imissed);
	zc_tel_u64(&nic, "ierrors", ierrors);
	zc_tel_u64(&nic, "rx_nombuf", nombuf);
	zc_tel_u64(&nic, "oerrors", oerrors);
	zc_tel_kif_drops(&nic, UINT16_MAX, cfg);
	zc_tel_close(&t, "nic", &nic);
	return 0;
}

/* ---- /zcpipe/rings -------------------------------------------------------- */

static int
cmd_rings(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	struct zc_tel t, rings;
	unsigned int l, nb = 0, used;

	if (no_params(params) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	if (running_cfg(&t) == NULL)
		return 0;
	if (zc_tel_open(&rings) < 0)
		return -ENOMEM;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_lcore_ctx *lc = zc_rt.lcores[l];
		const volatile struct zc_ring_stats *rs;
		struct zc_tel rt;
		unsigned int to = RTE_MAX_LCORE, k;

		if (lc == NULL || lc->out == NULL || zc_tel_open(&rt) < 0)
			continue;
		for (k = 0; k < RTE_MAX_LCORE; k++)
			if (zc_rt.lcores[k] != NULL &&
			    zc_rt.lcores[k]->in == lc->out)
				to = k;
		rs = &lc->out_stats;
		zc_tel_u64(&rt, "pipeline", lc->pipeline_id);
		zc_tel_u64(&rt, "from_lcore", l);
		zc_tel_u64(&rt, "to_lcore", to);
		/* One reading of a live ring: count and free add up. */
		used = rte_ring_count(lc->out);
		zc_tel_u64(&rt, "size", rte_ring_get_capacity(lc->out));
		zc_tel_u64(&rt, "count", used);
		zc_tel_u64(&rt, "free",
			   rte_ring_get_capacity(lc->out) - used);
		zc_tel_u64(&rt, "high_water", rs->hwm);
		zc_tel_u64(&rt, "enqueued", rs->enq_pkts);
		zc_tel_u64(&rt, "enqueue_failed", rs->enq_fail);
		zc_tel_close(&rings, lc->out->name, &rt);
		nb++;
	}
	zc_tel_u64(&t, "nb_rings", nb);
	zc_tel_close(&t, "rings", &rings);
	return 0;
}

/* ---- /zcpipe/pools -------------------------------------------------------- */

static int
cmd_pools(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	struct zc_tel t, pools;
	unsigned int i;

	if (no_params(params) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	if (running_cfg(&t) == NULL)
		return 0;
	zc_tel_u64(&t, "samples", pool_samples);
	if (zc_tel_open(&pools) < 0)
		return -ENOMEM;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		struct rte_mempool *mp = zc_rt.pools[i];
		struct zc_tel pt;
		unsigned int avail, low;

		if (mp == NULL || zc_tel_open(&pt) < 0)
			continue;
		avail = rte_mempool_avail_count(mp);
		low = pool_samples ? RTE_MIN(pool_min[i], avail) : avail;
		zc_tel_u64(&pt, "socket", i);
		zc_tel_u64(&pt, "size", mp->size);
		zc_tel_u64(&pt, "in_use", mp->size - RTE_MIN(avail, mp->size));
		zc_tel_u64(&pt, "available", avail);
		zc_tel_u64(&pt, "min_available", low);
		zc_tel_u64(&pt, "cache_size", mp->cache_size);
		zc_tel_u64(&pt, "elt_size", mp->elt_size);
		zc_tel_close(&pools, mp->name, &pt);
	}
	zc_tel_close(&t, "pools", &pools);
	return 0;
}

/* ---- /zcpipe/latency ------------------------------------------------------ */

static const char *
hop_name(const struct inst *in, char *buf, size_t len)
{
	snprintf(buf, len, "rx->%s", in->lc->stages[in->s]->ops->name);
	return buf;
}

static void
lat_fields(struct zc_tel *lt, const struct zc_lat_hist *h)
{
	struct zc_lat_summary s;

	zc_lat_summarize(h, &s);
	zc_tel_u64(lt, "count", s.count);
	zc_tel_u64(lt, "sum_ns", zc_lat_cycles_to_ns(s.sum));
	zc_tel_u64(lt, "mean_ns", s.count ?
		   zc_lat_cycles_to_ns(s.sum / s.count) : 0);
	zc_tel_u64(lt, "min_ns", zc_lat_cycles_to_ns(s.min));
	zc_tel_u64(lt, "p50_ns", zc_lat_cycles_to_ns(s.p50));
	zc_tel_u64(lt, "p90_ns", zc_lat_cycles_to_ns(s.p90));
	zc_tel_u64(lt, "p99_ns", zc_lat_cycles_to_ns(s.p99));
	zc_tel_u64(lt, "p999_ns", zc_lat_cycles_to_ns(s.p999));
	zc_tel_u64(lt, "max_ns", zc_lat_cycles_to_ns(s.max));
}

/* Nonzero buckets of one histogram: high edges in ns and counts. */
static int
lat_buckets(struct zc_tel *t, const struct zc_lat_hist *h)
{
	struct rte_tel_data *le, *cnt;
	unsigned int b, nb = 0;

	le = rte_tel_data_alloc();
	cnt = rte_tel_data_alloc();
	if (le == NULL || cnt == NULL) {
		rte_tel_data_free(le);
		rte_tel_data_free(cnt);
		return -ENOMEM;
	}
	rte_tel_data_start_array(le, RTE_TEL_U64_VAL);
	rte_tel_data_start_array(cnt, RTE_TEL_U64_VAL);
	for (b = 0; b < ZC_LAT_BUCKETS; b++) {
		uint64_t ns = zc_lat_cycles_to_ns(zc_lat_bucket_high(b));
		char num[48];
		int w;

		if (h->bucket[b] == 0)
			continue;
		/* Both numbers and their commas, exactly. */
		w = snprintf(num, sizeof(num), "%" PRIu64 ",%" PRIu64 ",", ns,
			     h->bucket[b]);
		if (t->len + w + 64 > ZC_TEL_BUDGET) {
			zc_tel_u64(t, "truncated", 1);
			break;
		}
		rte_tel_data_add_array_u64(le, ns);
		rte_tel_data_add_array_u64(cnt, h->bucket[b]);
		t->len += w;
		nb++;
	}
	zc_tel_u64(t, "nb_buckets", nb);
	rte_tel_data_add_dict_container(t->d, "le_ns", le, 0);
	rte_tel_data_add_dict_container(t->d, "counts", cnt, 0);
	sub_add(t, le);
	sub_add(t, cnt);
	t->nb += 2;
	t->len += 40;
	return 0;
}

static int
cmd_latency(const char *cmd __rte_unused, const char *params,
	    struct rte_tel_data *d)
{
	struct zc_tel t, hops, total;
	struct inst in[MAX_INST];
	struct zc_lat_hist *h, *sum;
	unsigned int i, n, start = 0, nb_sinks = 0;
	const char *key = NULL;
	char name[64];

	if (params != NULL && *params != '\0' &&
	    page_start(params, &start) < 0)
		key = params;	/* Not a number: a hop key, for buckets. */
	zc_tel_start(&t, d);
	if (running_cfg(&t) == NULL)
		return 0;
	h = malloc(sizeof(*h));
	sum = calloc(1, sizeof(*sum));
	if (h == NULL || sum == NULL) {
		free(h);
		free(sum);
		return -ENOMEM;
	}
	n = collect_instances(in, RTE_DIM(in));
	zc_tel_str(&t, "unit", "ns");
	zc_tel_u64(&t, "tsc_hz", rte_get_tsc_hz());
	zc_tel_u64(&t, "enabled", zc_rx_tsc_offset >= 0);

	/* RX to TX over every sink. */
	for (i = 0; i < n; i++) {
		const struct zc_lat_hist *src = in[i].lc->lat[in[i].s];

		if (src == NULL || !(in[i].lc->stages[in[i].s]->ops->flags &
				     ZC_STAGE_F_SINK))
			continue;
		zc_lat_snapshot(h, src);
		zc_lat_merge(sum, h);
		nb_sinks++;
	}

	if (key != NULL) {
		/* Buckets of one hop, or of rx_to_tx. The key is echoed only
		 * once it is known to be one of ours.
		 */
		if (strcmp(key, "rx_to_tx") == 0) {
			zc_tel_str(&t, "hop", "rx_to_tx");
			lat_fields(&t, sum);
			lat_buckets(&t, sum);
			goto out;
		}
		for (i = 0; i < n; i++)
			if (strcmp(in[i].key, key) == 0 &&
			    in[i].lc->lat[in[i].s] != NULL)
				break;
		if (i == n) {
			zc_tel_str(&t, "error",
				   "no such hop: use a key of /zcpipe/latency hops, or rx_to_tx");
			goto out;
		}
		zc_tel_str(&t, "hop", in[i].key);
		zc_lat_snapshot(h, in[i].lc->lat[in[i].s]);
		lat_fields(&t, h);
		lat_buckets(&t, h);
		goto out;
	}

	if (zc_tel_open(&total) == 0) {
		zc_tel_u64(&total, "sinks", nb_sinks);
		lat_fields(&total, sum);
		zc_tel_close(&t, "rx_to_tx", &total);
	}
	zc_tel_u64(&t, "from", start);
	if (zc_tel_open(&hops) < 0)
		goto out;
	for (i = start; i < n; i++) {
		const struct zc_lat_hist *src = in[i].lc->lat[in[i].s];
		struct zc_tel lt;

		if (src == NULL || zc_tel_open(&lt) < 0)
			continue;
		zc_tel_str(&lt, "stage", in[i].lc->stages[in[i].s]->ops->name);
		zc_tel_str(&lt, "hop", hop_name(&in[i], name, sizeof(name)));
		zc_tel_u64(&lt, "pipeline", in[i].lc->pipeline_id);
		zc_tel_u64(&lt, "lcore", in[i].lc->lcore_id);
		zc_lat_snapshot(h, src);
		lat_fields(&lt, h);
		if (!zc_tel_fits(&hops, &lt, t.len + 64)) {
			zc_tel_discard(&lt);
			zc_tel_u64(&t, "next", i);
			break;
		}
		zc_tel_close(&hops, in[i].key, &lt);
	}
	zc_tel_close(&t, "hops", &hops);
out:
	free(h);
	free(sum);
	return 0;
}

/* ---- /zcpipe/config ------------------------------------------------------- */

static void
pipeline_add(struct zc_tel *pt, const struct zc_pipeline_conf *pl)
{
	char buf[512] = "", item[64];
	unsigned int s, q, g;

	for (s = 0; s < pl->nb_stages; s++) {
		if (s != 0)
			strlcat(buf, pl->group[s] != pl->group[s - 1] ?
				" | " : " ", sizeof(buf));
		strlcat(buf, pl->stage[s], sizeof(buf));
	}
	zc_tel_str(pt, "stages", buf);
	buf[0] = '\0';
	for (q = 0; q < pl->nb_rxq; q++) {
		snprintf(item, sizeof(item), "%s%u:%u", q ? ", " : "",
			 pl->rxq[q].port, pl->rxq[q].queue);
		strlcat(buf, item, sizeof(buf));
	}
	zc_tel_str(pt, "rx", buf);
	buf[0] = '\0';
	for (g = 0; g < pl->nb_groups; g++) {
		if (pl->lcore[g] == ZC_LCORE_AUTO)
			snprintf(item, sizeof(item), "%sauto", g ? ", " : "");
		else
			snprintf(item, sizeof(item), "%s%u", g ? ", " : "",
				 pl->lcore[g]);
		strlcat(buf, item, sizeof(buf));
	}
	zc_tel_str(pt, "lcores", buf);
}

static void
port_conf_add(struct zc_tel *pt, const struct zc_port_conf *pc)
{
	char buf[INET6_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN];

	zc_tel_str_list(pt, "dev", pc->dev);
	zc_tel_str(pt, "driver", pc->driver);
	zc_tel_u64(pt, "rx_queues", pc->rx_queues);
	zc_tel_u64(pt, "tx_queues", pc->tx_queues);
	zc_tel_u64(pt, "rx_desc", pc->rx_desc);
	zc_tel_u64(pt, "tx_desc", pc->tx_desc);
	zc_tel_u64(pt, "mtu", pc->mtu);
	zc_tel_u64(pt, "promisc", pc->promisc);
	zc_tel_u64(pt, "rss", pc->rss);
	if (pc->has_mac) {
		rte_ether_format_addr(buf, sizeof(buf), &pc->mac);
		zc_tel_str(pt, "mac", buf);
	}
	if (pc->has_ipv4) {
		inet_ntop(AF_INET, &pc->ipv4, a, sizeof(a));
		snprintf(buf, sizeof(buf), "%s/%u", a, pc->ipv4_len);
		zc_tel_str(pt, "ipv4", buf);
	}
	if (pc->has_ipv6) {
		inet_ntop(AF_INET6, pc->ipv6, a, sizeof(a));
		snprintf(buf, sizeof(buf), "%s/%u", a, pc->ipv6_len);
		zc_tel_str(pt, "ipv6", buf);
	}
}

static void
out_u64(void *arg, const char *key, uint64_t v)
{
	zc_tel_u64(arg, key, v);
}

static void
out_str(void *arg, const char *key, const char *v)
{
	zc_tel_str(arg, key, v);
}

/* The settings of every registered section with a dump() hook, each
 * under its name ("vxlan" for [vxlan.NAME]).
 */
static void
sections_add(struct zc_tel *t, const struct zc_config *cfg)
{
	const struct zc_config_section *s = NULL;

	while ((s = zc_config_section_next(s)) != NULL) {
		struct zc_tel sec;
		const struct zc_config_out out = {
			.arg = &sec, .u64 = out_u64, .str = out_str,
		};
		char key[64];

		if (s->dump == NULL || zc_tel_open(&sec) < 0)
			continue;
		s->dump(cfg, &out);
		snprintf(key, sizeof(key), "%.*s",
			 (int)strcspn(s->prefix, "."), s->prefix);
		zc_tel_close(t, key, &sec);
	}
}

static int
cmd_config(const char *cmd __rte_unused, const char *params,
	   struct rte_tel_data *d)
{
	struct zc_tel t, g, ports, pls;
	const struct zc_config *cfg;
	unsigned int i, start;
	char key[16];

	if (page_start(params, &start) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	cfg = running_cfg(&t);
	if (cfg == NULL)
		return 0;
	zc_tel_str(&t, "file", cfg->path);
	if (zc_tel_open(&g) == 0) {
		zc_tel_str(&g, "mode", zc_mode_name(cfg->mode));
		zc_tel_u64(&g, "burst", cfg->burst);
		zc_tel_u64(&g, "ring_size", cfg->ring_size);
		zc_tel_u64(&g, "pool_size", cfg->pool_size);
		zc_tel_u64(&g, "pool_cache", cfg->pool_cache);
		zc_tel_u64(&g, "mbuf_size", cfg->mbuf_size);
		zc_tel_u64(&g, "stats_period", cfg->stats_period);
		zc_tel_u64(&g, "replay_timeout", cfg->replay_timeout);
		zc_tel_str(&g, "drivers_config", cfg->drivers_config);
		zc_tel_close(&t, "general", &g);
	}
	sections_add(&t, cfg);
	if (zc_tel_open(&pls) == 0) {
		for (i = 0; i < cfg->nb_pipelines; i++) {
			struct zc_tel pt;

			if (zc_tel_open(&pt) < 0)
				break;
			pipeline_add(&pt, &cfg->pipeline[i]);
			snprintf(key, sizeof(key), "%u", i);
			zc_tel_close(&pls, key, &pt);
		}
		zc_tel_close(&t, "pipelines", &pls);
	}
	zc_tel_u64(&t, "nb_ports", cfg->nb_ports);
	zc_tel_u64(&t, "ports_from", start);
	if (zc_tel_open(&ports) < 0)
		return -ENOMEM;
	for (i = start; i < cfg->nb_ports; i++) {
		struct zc_tel pt;

		if (zc_tel_open(&pt) < 0)
			break;
		port_conf_add(&pt, &cfg->port[i]);
		if (!page_add(&t, &ports, &pt, i, i, "ports_next"))
			break;
	}
	zc_tel_close(&t, "ports", &ports);
	return 0;
}

/* ---- /zcpipe/acl ---------------------------------------------------------- */

static void
ctr_add(struct zc_tel *t, const char *key, const struct zc_acl_ctr *c)
{
	struct zc_tel ct;

	if (zc_tel_open(&ct) < 0)
		return;
	zc_tel_u64(&ct, "pkts", c->pkts);
	zc_tel_u64(&ct, "bytes", c->bytes);
	zc_tel_close(t, key, &ct);
}

/* "hits=START": packet counts only, as one array, for large rule sets. */
static int
acl_hits(struct zc_tel *t, unsigned int start, unsigned int n)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int i;
	size_t len = 2;

	if (a == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = start; i < n; i++) {
		struct zc_acl_rule_stats rs;
		char num[24];

		if (i - start == RTE_TEL_MAX_ARRAY_ENTRIES ||
		    zc_acl_rule_stats(i, &rs) < 0)
			break;
		len += snprintf(num, sizeof(num), "%" PRIu64 ",", rs.pkts);
		if (t->len + len + 64 > ZC_TEL_BUDGET)
			break;
		rte_tel_data_add_array_u64(a, rs.pkts);
	}
	if (i < n)
		zc_tel_u64(t, "next", i);
	rte_tel_data_add_dict_container(t->d, "pkts", a, 0);
	sub_add(t, a);
	t->len += len + 8;
	t->nb++;
	return 0;
}

static int
acl_locked(const char *params, struct rte_tel_data *d)
{
	struct zc_tel t, rules;
	struct zc_acl_ctr no_match, bypass;
	unsigned int i, n, start;
	bool hits = false;

	if (params != NULL && strncmp(params, "hits=", 5) == 0) {
		hits = true;
		params += 5;
	}
	if (page_start(params, &start) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	n = zc_acl_rule_count();
	zc_tel_str(&t, "state", zc_acl_active() != NULL ? "active" :
		   "no ACL in the pipeline");
	zc_tel_u64(&t, "nb_rules", n);
	zc_tel_u64(&t, "from", start);
	zc_acl_other_stats(&no_match, &bypass);
	ctr_add(&t, "no_match", &no_match);
	ctr_add(&t, "not_ip", &bypass);
	if (hits)
		return acl_hits(&t, start, n);
	if (zc_tel_open(&rules) < 0)
		return -ENOMEM;
	for (i = start; i < n; i++) {
		struct zc_acl_rule_stats rs;
		struct zc_tel rt;

		if (zc_acl_rule_stats(i, &rs) < 0 || zc_tel_open(&rt) < 0)
			break;
		zc_tel_u64(&rt, "line", rs.line);
		zc_tel_u64(&rt, "priority", rs.priority);
		zc_tel_str(&rt, "family", rs.family == 4 ? "ipv4" :
			   rs.family == 6 ? "ipv6" : "any");
		zc_tel_str(&rt, "action", zc_acl_action_name(rs.action));
		if (rs.action == ZC_ACL_FORWARD || rs.action == ZC_ACL_MIRROR)
			zc_tel_u64(&rt, "port", rs.port);
		zc_tel_str(&rt, "rule", rs.text != NULL ? rs.text : "");
		zc_tel_u64(&rt, "pkts", rs.pkts);
		zc_tel_u64(&rt, "bytes", rs.bytes);
		if (!page_add(&t, &rules, &rt, rs.id, i, "next"))
			break;
	}
	zc_tel_close(&t, "rules", &rules);
	return 0;
}

/* The control thread may replace the rule set (zcctl acl load): it waits
 * for this reader before it frees the old one.
 */
static int
cmd_acl(const char *cmd __rte_unused, const char *params,
	struct rte_tel_data *d)
{
	int ret;

	zc_acl_read_lock();
	ret = acl_locked(params, d);
	zc_acl_read_unlock();
	return ret;
}

/* ---- /zcpipe/counters ----------------------------------------------------- */

/* A group's counters, "name": value, summed over lcores. */
static void
group_values(struct zc_tel *t, const struct zc_counter_group *g)
{
	uint64_t sum[ZC_COUNTER_GROUP_MAX];
	unsigned int i;

	if (g == NULL)
		return;
	zc_counter_group_read(g, sum);
	for (i = 0; i < g->nb_desc; i++)
		zc_tel_u64(t, g->desc[i].name, sum[i]);
}

/* One counter: its descriptor and its value. */
static void
counter_add(struct zc_tel *ct, const struct zc_counter_group *g,
	    unsigned int i, uint64_t v)
{
	const struct zc_counter_desc *d = &g->desc[i];

	zc_tel_str(ct, "group", g->name);
	zc_tel_str(ct, "name", d->name);
	zc_tel_str(ct, "kind", zc_counter_kind_name(d->kind));
	zc_tel_str(ct, "unit", d->unit);
	zc_tel_str(ct, "help", d->help);
	zc_tel_u64(ct, "value", v);
}

/*
 * Parameters: none or FIRST (every group), GROUP or GROUP,FIRST (one).
 * FIRST counts counters of the selection, from 0. A name that is not a
 * group's is answered with an error, never echoed.
 */
static int
cmd_counters(const char *cmd __rte_unused, const char *params,
	     struct rte_tel_data *d)
{
	const struct zc_counter_group *g, *only = NULL;
	struct zc_tel t, groups, list;
	unsigned int i, idx = 0, nb = 0, start = 0;
	bool full = false;

	if (params != NULL && *params != '\0' &&
	    page_start(params, &start) < 0) {
		const char *comma = strchr(params, ',');
		size_t len = comma != NULL ? (size_t)(comma - params) :
			     strlen(params);
		char name[ZC_COUNTER_NAME_LEN + 1];

		if (comma != NULL && page_start(comma + 1, &start) < 0)
			return -EINVAL;
		if (len < sizeof(name)) {
			memcpy(name, params, len);
			name[len] = '\0';
			only = zc_counter_group_find(name);
		}
		if (only == NULL) {
			zc_tel_start(&t, d);
			zc_tel_str(&t, "error",
				   "no such counter group: use a name of /zcpipe/counters groups");
			return 0;
		}
	}
	zc_tel_start(&t, d);
	if (zc_tel_open(&groups) < 0)
		return -ENOMEM;
	for (g = zc_counter_group_next(NULL); g != NULL;
	     g = zc_counter_group_next(g)) {
		if (only != NULL && g != only)
			continue;
		zc_tel_str(&groups, g->name, g->help);
		nb += g->nb_desc;
	}
	zc_tel_u64(&t, "nb_counters", nb);
	zc_tel_u64(&t, "from", start);
	zc_tel_close(&t, "groups", &groups);
	if (zc_tel_open(&list) < 0)
		return -ENOMEM;
	for (g = zc_counter_group_next(NULL); g != NULL && !full;
	     g = zc_counter_group_next(g)) {
		uint64_t sum[ZC_COUNTER_GROUP_MAX];

		if (only != NULL && g != only)
			continue;
		if (idx + g->nb_desc <= start) {
			idx += g->nb_desc;
			continue;
		}
		zc_counter_group_read(g, sum);
		for (i = 0; i < g->nb_desc; i++, idx++) {
			char key[2 * ZC_COUNTER_NAME_LEN + 2];
			struct zc_tel ct;

			if (idx < start)
				continue;
			if (zc_tel_open(&ct) < 0) {
				full = true;
				break;
			}
			counter_add(&ct, g, i, sum[i]);
			if (!zc_tel_fits(&list, &ct, t.len + 64)) {
				zc_tel_discard(&ct);
				zc_tel_u64(&t, "next", idx);
				full = true;
				break;
			}
			snprintf(key, sizeof(key), "%s/%s", g->name,
				 g->desc[i].name);
			zc_tel_close(&list, key, &ct);
		}
	}
	zc_tel_close(&t, "counters", &list);
	return 0;
}

/* ---- /zcpipe/routes ------------------------------------------------------- */

static int
cmd_routes(const char *cmd __rte_unused, const char *params,
	   struct rte_tel_data *d)
{
	struct zc_tel t, routes, ctr;
	unsigned int i, n, start;

	if (page_start(params, &start) < 0)
		return -EINVAL;
	zc_tel_start(&t, d);
	n = zc_route_count();
	zc_tel_u64(&t, "nb_routes", n);
	zc_tel_u64(&t, "from", start);
	if (zc_tel_open(&ctr) == 0) {
		group_values(&ctr, zc_counter_group_find("route"));
		zc_tel_close(&t, "counters", &ctr);
	}
	if (zc_tel_open(&routes) < 0)
		return -ENOMEM;
	for (i = start; i < n; i++) {
		struct zc_tel rt;
		char text[ZC_ROUTE_TEXT_LEN];
		uint64_t hits;
		int ret = zc_route_info(i, text, sizeof(text), &hits);

		if (ret > 0)
			continue; /* an index freed by zcctl route del */
		if (ret < 0 || zc_tel_open(&rt) < 0)
			break;
		zc_tel_str(&rt, "route", text);
		zc_tel_u64(&rt, "hits", hits);
		if (!page_add(&t, &routes, &rt, i, i, "next"))
			break;
	}
	zc_tel_close(&t, "routes", &routes);
	return 0;
}

/* ---- gate and registration ---------------------------------------------- */

/*
 * The commands run on DPDK's telemetry threads (one per client), which keep
 * running while main() tears the pipeline down and even during exit(), and
 * a command cannot be unregistered in 22.11. So every command passes this
 * gate: a reader count, and a state the main lcore moves from starting to
 * running (pipeline built) to stopped (about to be freed). A reader counts
 * itself in, then checks the state; the main lcore sets the state, then
 * waits for the count to drain. With sequentially consistent operations on
 * both sides, either the reader sees "stopped" and backs out, or the main
 * lcore sees the reader and waits for it: no reader is inside once
 * zc_telemetry_close() returns.
 */
enum tel_state {
	TEL_STARTING = 0,
	TEL_RUNNING,
	TEL_STOPPED,
};

static uint32_t tel_state = TEL_STARTING;
static uint32_t tel_readers;

void
zc_telemetry_open(void)
{
	__atomic_store_n(&tel_state, TEL_RUNNING, __ATOMIC_SEQ_CST);
}

void
zc_telemetry_close(void)
{
	__atomic_store_n(&tel_state, TEL_STOPPED, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&tel_readers, __ATOMIC_SEQ_CST) != 0)
		rte_delay_us_sleep(100);
}

static const struct {
	const char *name;
	telemetry_cb fn;
	const char *help;
} tel_cmds[] = {
	{ "/zcpipe/stats", cmd_stats,
	  "Totals: rx, tx, drops, bytes, uptime, mode, placement. No parameters." },
	{ "/zcpipe/ports", cmd_ports,
	  "Per port counters, NIC drops, link, offloads. Parameter: first port (pages; see 'next')." },
	{ "/zcpipe/stages", cmd_stages,
	  "Per stage and lcore: packets, bursts, empty polls, cycles/pkt, busy %. Parameter: first stage." },
	{ "/zcpipe/drops", cmd_drops,
	  "Every drop reason with its count, zero included, and the NIC's drops. No parameters." },
	{ "/zcpipe/rings", cmd_rings,
	  "Per ring: size, occupancy, high-water mark, enqueue failures. No parameters." },
	{ "/zcpipe/pools", cmd_pools,
	  "Per mempool: in use, available, lowest available seen. No parameters." },
	{ "/zcpipe/latency", cmd_latency,
	  "RX-to-stage latency percentiles (ns) per hop. Parameter: first hop, or a hop key for buckets." },
	{ "/zcpipe/config", cmd_config,
	  "The running configuration. Parameter: first port (pages; see 'ports_next')." },
	{ "/zcpipe/acl", cmd_acl,
	  "ACL rules with their hits. Parameter: first rule (pages; see 'next'), or hits=FIRST for counts only." },
	{ "/zcpipe/routes", cmd_routes,
	  "Routes with their hits, and the route stage's counters. Parameter: first route (pages)." },
	{ "/zcpipe/counters", cmd_counters,
	  "Module counters with name, unit, kind, help, value. Parameter: first counter, or GROUP[,FIRST]." },
};

/*
 * Commands other modules register with zc_telemetry_register_cmd(), from
 * RTE_INIT constructors: written before any telemetry thread exists, read
 * only afterwards.
 */
static struct {
	const char *name;
	telemetry_cb fn;
} ext_cmds[ZC_TEL_EXT_MAX];
static unsigned int nb_ext_cmds;

/* Every /zcpipe/ command: run it only while the pipeline is up. */
static int
cmd_gated(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct zc_tel t;
	unsigned int i;
	uint32_t state;
	int ret;

	__atomic_fetch_add(&tel_readers, 1, __ATOMIC_SEQ_CST);
	state = __atomic_load_n(&tel_state, __ATOMIC_SEQ_CST);
	if (state != TEL_RUNNING) {
		__atomic_fetch_sub(&tel_readers, 1, __ATOMIC_SEQ_CST);
		zc_tel_start(&t, d);
		if (state == TEL_STARTING) {
			zc_tel_str(&t, "state", "starting");
			zc_tel_str(&t, "error",
				   "zcpipe is starting: no pipeline yet");
		} else {
			zc_tel_str(&t, "state", "stopped");
			zc_tel_str(&t, "error",
				   "zcpipe is shutting down: the pipeline is being freed");
		}
		return 0;
	}
	ret = -EINVAL;
	for (i = 0; i < RTE_DIM(tel_cmds); i++)
		if (strcmp(cmd, tel_cmds[i].name) == 0) {
			ret = tel_cmds[i].fn(cmd, params, d);
			break;
		}
	for (i = 0; i < nb_ext_cmds && ret == -EINVAL; i++)
		if (strcmp(cmd, ext_cmds[i].name) == 0)
			ret = ext_cmds[i].fn(cmd, params, d);
	__atomic_fetch_sub(&tel_readers, 1, __ATOMIC_SEQ_CST);
	return ret;
}

RTE_INIT(zc_telemetry_register)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(tel_cmds); i++)
		rte_telemetry_register_cmd(tel_cmds[i].name, cmd_gated,
					   tel_cmds[i].help);
}

int
zc_telemetry_register_cmd(const char *name, telemetry_cb fn, const char *help)
{
	if (nb_ext_cmds == RTE_DIM(ext_cmds))
		return -ENOSPC;
	ext_cmds[nb_ext_cmds].name = name;
	ext_cmds[nb_ext_cmds].fn = fn;
	nb_ext_cmds++;
	return rte_telemetry_register_cmd(name, cmd_gated, help);
}
