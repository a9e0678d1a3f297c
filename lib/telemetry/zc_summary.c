/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "core/zc_counter.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "telemetry/zc_summary.h"

static void
sum_drops(struct zc_stage *st, void *arg)
{
	struct zc_summary *s = arg;
	unsigned int r;

	for (r = 0; r < ZC_DROP_MAX; r++)
		s->drops[r] += st->stats.drops[r];
}

void
zc_summary_collect(const struct zc_config *cfg, struct zc_summary *s)
{
	unsigned int i, r;

	memset(s, 0, sizeof(*s));
	zc_kif_sample_now(cfg);
	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;

		zc_stats_port_sum(pid, &s->port[i]);
		if (zc_ports[pid].started)
			rte_eth_stats_get(pid, &s->eth[i]);
		s->nb_kdrops[i] = zc_kif_drops(pid, s->kdrop_name[i],
					       s->kdrops[i]);
		s->rx += s->port[i].rx_pkts;
		s->tx += s->port[i].tx_pkts;
		s->clones += s->port[i].clones;
	}
	zc_pipeline_foreach_stage(sum_drops, s);
	for (r = 0; r < ZC_DROP_MAX; r++)
		s->dropped += s->drops[r];
	s->balanced = s->rx + s->clones == s->tx + s->dropped;
}

struct stage_print {
	FILE *out;
	bool json;
	bool first;
};

static void
print_stage(struct zc_stage *st, void *arg)
{
	struct stage_print *sp = arg;
	uint64_t dropped = zc_stage_drops_total(st);
	uint64_t handled = st->ops->flags & ZC_STAGE_F_SOURCE ?
			   st->stats.pkts_out : st->stats.pkts_in;
	double cpp = handled ? (double)st->stats.cycles / handled : 0.0;
	unsigned int r;

	if (!sp->json) {
		fprintf(sp->out,
			"  %-8s pipeline %u lcore %-3u in %12" PRIu64 " out %12" PRIu64 " dropped %10" PRIu64 " cycles/pkt %8.1f\n",
			st->ops->name, st->pipeline_id, st->lcore_id,
			st->stats.pkts_in, st->stats.pkts_out, dropped, cpp);
		return;
	}
	fprintf(sp->out,
		"%s\n    {\"stage\": \"%s\", \"pipeline\": %u, \"lcore\": %u, \"pkts_in\": %" PRIu64 ", \"pkts_out\": %" PRIu64 ", \"bytes_in\": %" PRIu64 ", \"calls\": %" PRIu64 ", \"cycles\": %" PRIu64 ", \"dropped\": %" PRIu64 ", \"drops\": {",
		sp->first ? "" : ",", st->ops->name, st->pipeline_id,
		st->lcore_id, st->stats.pkts_in, st->stats.pkts_out,
		st->stats.bytes_in, st->stats.calls, st->stats.cycles,
		dropped);
	sp->first = false;
	for (r = 0; r < ZC_DROP_MAX; r++)
		fprintf(sp->out, "%s\"%s\": %" PRIu64, r ? ", " : "",
			zc_drop_name(r), st->stats.drops[r]);
	fprintf(sp->out, "}}");
}

/* The summary object's own members: no counter group may take one. */
static const char *const summary_keys[] = {
	"mode", "placement", "ports", "stages", "drops", "rx", "tx", "clones",
	"dropped", "balanced", "leaked_mbufs", "driver_kept_mbufs",
};

bool
zc_summary_key_taken(const char *key)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(summary_keys); i++)
		if (strcmp(summary_keys[i], key) == 0)
			return true;
	return false;
}

/*
 * The registered counter groups (core/zc_counter.h), in name order: each
 * prints its own section if it has a printer, else one line of its
 * counters that are not zero ("actions: encap 6 cksum_sw 6"), nothing if
 * all are.
 */
static void
counters_print(FILE *out)
{
	const struct zc_counter_group *g;

	for (g = zc_counter_group_next(NULL); g != NULL;
	     g = zc_counter_group_next(g)) {
		uint64_t sum[ZC_COUNTER_GROUP_MAX];
		unsigned int i;
		bool any = false;

		if (g->flags & ZC_COUNTER_F_NO_TEXT)
			continue;
		zc_counter_group_read(g, sum);
		if (g->print != NULL) {
			g->print(out, g, sum);
			continue;
		}
		for (i = 0; i < g->nb_desc; i++) {
			if (sum[i] == 0)
				continue;
			if (!any)
				fprintf(out, "%s:", g->name);
			any = true;
			fprintf(out, " %s %" PRIu64, g->desc[i].name, sum[i]);
		}
		if (any)
			fprintf(out, "\n");
	}
}

/*
 * The counter groups as members of the summary object, each followed by
 * ",\n": "GROUP": {"COUNTER": value, ...}, every counter, zero included;
 * before it "TOTAL": sum, for a group that names a total.
 */
static void
counters_json(FILE *out)
{
	const struct zc_counter_group *g;

	for (g = zc_counter_group_next(NULL); g != NULL;
	     g = zc_counter_group_next(g)) {
		uint64_t sum[ZC_COUNTER_GROUP_MAX], total = 0;
		unsigned int i;

		zc_counter_group_read(g, sum);
		for (i = 0; i < g->nb_desc; i++)
			total += sum[i];
		if (g->total != NULL)
			fprintf(out, "  \"%s\": %" PRIu64 ",\n", g->total, total);
		fprintf(out, "  \"%s\": {", g->name);
		for (i = 0; i < g->nb_desc; i++)
			fprintf(out, "%s\"%s\": %" PRIu64, i ? ", " : "",
				g->desc[i].name, sum[i]);
		fprintf(out, "},\n");
	}
}

void
zc_summary_print(FILE *out, const struct zc_config *cfg,
		 const struct zc_summary *s)
{
	struct stage_print sp = { .out = out, .json = false };
	double secs = 0;
	unsigned int i, r, l;

	if (zc_rt.start_tsc != 0)
		secs = (double)(rte_rdtsc() - zc_rt.start_tsc) /
		       rte_get_tsc_hz();
	fprintf(out, "\n=== zcpipe summary (%s, %s, %.2f s) ===\n",
		zc_mode_name(cfg->mode), zc_pipeline_placement(cfg), secs);
	fprintf(out, "ports:\n");
	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port_counters *c = &s->port[i];
		const struct rte_eth_stats *e = &s->eth[i];
		unsigned int k;

		fprintf(out,
			"  port %u %-24s rx %12" PRIu64 " pkts %14" PRIu64 " B | tx %12" PRIu64 " pkts %14" PRIu64 " B | nic imissed %" PRIu64 " ierrors %" PRIu64 " rx_nombuf %" PRIu64 " oerrors %" PRIu64,
			i, zc_ports[cfg->port[i].port_id].name, c->rx_pkts,
			c->rx_bytes, c->tx_pkts, c->tx_bytes, e->imissed,
			e->ierrors, e->rx_nombuf, e->oerrors);
		for (k = 0; k < s->nb_kdrops[i]; k++)
			fprintf(out, " %s %" PRIu64, s->kdrop_name[i][k],
				s->kdrops[i][k]);
		fprintf(out, "\n");
	}
	fprintf(out, "stages:\n");
	zc_pipeline_foreach_stage(print_stage, &sp);
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct zc_lcore_ctx *lc = zc_rt.lcores[l];

		if (lc == NULL || lc->out == NULL)
			continue;
		fprintf(out, "  ring %-12s lcore %u -> next: enqueued %" PRIu64 " full %" PRIu64 " high-water %u/%u\n",
			lc->out->name, l, lc->out_stats.enq_pkts,
			lc->out_stats.enq_fail, lc->out_stats.hwm,
			lc->out->capacity);
	}
	fprintf(out, "drops:\n");
	for (r = 0; r < ZC_DROP_MAX; r++)
		if (s->drops[r] != 0)
			fprintf(out, "  %-24s %12" PRIu64 "  (%s)\n",
				zc_drop_name(r), s->drops[r], zc_drop_desc(r));
	if (s->dropped == 0)
		fprintf(out, "  none\n");
	counters_print(out);
	fprintf(out,
		"accounting: rx %" PRIu64 " + clones %" PRIu64 " = tx %" PRIu64 " + dropped %" PRIu64 ": %s\n",
		s->rx, s->clones, s->tx, s->dropped,
		s->balanced ? "balanced" : "UNBALANCED");
	if (s->leaked_mbufs != 0)
		fprintf(out, "mbufs: LEAKED (see above)\n");
	else if (s->driver_kept_mbufs != 0)
		fprintf(out, "mbufs: all returned to their pools, but for %u that drivers keep after close (see above)\n",
			s->driver_kept_mbufs);
	else
		fprintf(out, "mbufs: all returned to their pools\n");
}

int
zc_summary_json(const char *path, const struct zc_config *cfg,
		const struct zc_summary *s)
{
	struct stage_print sp = { .json = true, .first = true };
	unsigned int i, r;
	FILE *out;

	out = fopen(path, "w");
	if (out == NULL)
		return -1;
	sp.out = out;
	fprintf(out, "{\n  \"mode\": \"%s\",\n  \"placement\": \"%s\",\n  \"ports\": [",
		zc_mode_name(cfg->mode), zc_pipeline_placement(cfg));
	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port_counters *c = &s->port[i];
		const struct rte_eth_stats *e = &s->eth[i];

		fprintf(out,
			"%s\n    {\"port\": %u, \"name\": \"%s\", \"rx_pkts\": %" PRIu64 ", \"rx_bytes\": %" PRIu64 ", \"tx_pkts\": %" PRIu64 ", \"tx_bytes\": %" PRIu64 ", \"clones\": %" PRIu64 ", \"nic_ipackets\": %" PRIu64 ", \"nic_opackets\": %" PRIu64 ", \"nic_imissed\": %" PRIu64 ", \"nic_ierrors\": %" PRIu64 ", \"nic_rx_nombuf\": %" PRIu64 ", \"nic_oerrors\": %" PRIu64,
			i ? "," : "", i, zc_ports[cfg->port[i].port_id].name,
			c->rx_pkts, c->rx_bytes, c->tx_pkts, c->tx_bytes,
			c->clones, e->ipackets, e->opackets, e->imissed,
			e->ierrors, e->rx_nombuf, e->oerrors);
		if (s->nb_kdrops[i] != 0) {
			unsigned int k;

			fprintf(out, ", \"kernel_drops\": {");
			for (k = 0; k < s->nb_kdrops[i]; k++)
				fprintf(out, "%s\"%s\": %" PRIu64, k ? ", " : "",
					s->kdrop_name[i][k], s->kdrops[i][k]);
			fprintf(out, "}");
		}
		fprintf(out, "}");
	}
	fprintf(out, "\n  ],\n  \"stages\": [");
	zc_pipeline_foreach_stage(print_stage, &sp);
	fprintf(out, "\n  ],\n  \"drops\": {");
	for (r = 0; r < ZC_DROP_MAX; r++)
		fprintf(out, "%s\"%s\": %" PRIu64, r ? ", " : "",
			zc_drop_name(r), s->drops[r]);
	fprintf(out, "},\n");
	counters_json(out);
	fprintf(out,
		"  \"rx\": %" PRIu64 ",\n  \"tx\": %" PRIu64 ",\n  \"clones\": %" PRIu64 ",\n  \"dropped\": %" PRIu64 ",\n  \"balanced\": %s,\n  \"leaked_mbufs\": %u,\n  \"driver_kept_mbufs\": %u\n}\n",
		s->rx, s->tx, s->clones, s->dropped,
		s->balanced ? "true" : "false", s->leaked_mbufs,
		s->driver_kept_mbufs);
	return fclose(out);
}

/* "1.23M" for 1230000: three significant digits and an SI prefix. */
static const char *
si(double v, char *buf, size_t len)
{
	static const char *const pfx[] = { "", "k", "M", "G", "T" };
	unsigned int i = 0;

	while (v >= 1000.0 && i < RTE_DIM(pfx) - 1) {
		v /= 1000.0;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.*f%s", v < 10 ? 2 : v < 100 ? 1 : 0, v,
			 pfx[i]);
	return buf;
}

/* What the previous line saw, to print rates over the period. */
static struct {
	uint64_t tsc;
	struct zc_summary s;
} line_prev;

static uint64_t
delta(uint64_t cur, uint64_t prev)
{
	return cur > prev ? cur - prev : 0;
}

void
zc_summary_line(FILE *out, const struct zc_config *cfg)
{
	static struct zc_summary cur;
	const struct zc_summary *prev = &line_prev.s;
	uint64_t now = rte_rdtsc(), dropped;
	char a[16], b[16], c[16], d[16];
	unsigned int i, r, shown = 0;
	double dt;

	zc_summary_collect(cfg, &cur);
	if (line_prev.tsc == 0)
		line_prev.tsc = zc_rt.start_tsc != 0 ? zc_rt.start_tsc : now;
	dt = (double)(now - line_prev.tsc) / rte_get_tsc_hz();
	if (dt <= 0)
		dt = 1e-9;

	/* Rates over the period since the previous line (the first: since
	 * start): packets and bits per second per port, then drops.
	 */
	fprintf(out, "zcpipe:");
	for (i = 0; i < cfg->nb_ports; i++) {
		const struct zc_port_counters *pc = &cur.port[i];
		const struct zc_port_counters *pp = &prev->port[i];
		uint64_t nic = delta(cur.eth[i].imissed + cur.eth[i].ierrors +
				     cur.eth[i].rx_nombuf + cur.eth[i].oerrors,
				     prev->eth[i].imissed + prev->eth[i].ierrors +
				     prev->eth[i].rx_nombuf + prev->eth[i].oerrors);
		unsigned int k;

		for (k = 0; k < cur.nb_kdrops[i]; k++)
			nic += delta(cur.kdrops[i][k],
				     k < prev->nb_kdrops[i] ?
				     prev->kdrops[i][k] : 0);

		fprintf(out, "%s port%u rx %s pps %s bit/s tx %s pps %s bit/s",
			i ? " |" : "", i,
			si(delta(pc->rx_pkts, pp->rx_pkts) / dt, a, sizeof(a)),
			si(delta(pc->rx_bytes, pp->rx_bytes) * 8 / dt, b,
			   sizeof(b)),
			si(delta(pc->tx_pkts, pp->tx_pkts) / dt, c, sizeof(c)),
			si(delta(pc->tx_bytes, pp->tx_bytes) * 8 / dt, d,
			   sizeof(d)));
		if (nic != 0)
			fprintf(out, " nic drops %s/s", si(nic / dt, a, sizeof(a)));
	}
	dropped = delta(cur.dropped, prev->dropped);
	fprintf(out, " | drops %s/s", si(dropped / dt, a, sizeof(a)));
	for (r = 0; r < ZC_DROP_MAX && dropped != 0; r++) {
		uint64_t n = delta(cur.drops[r], prev->drops[r]);

		if (n == 0)
			continue;
		if (shown++ == 3) {
			fprintf(out, ", ...");
			break;
		}
		fprintf(out, "%s%s %s/s", shown == 1 ? " (" : ", ",
			zc_drop_name(r), si(n / dt, a, sizeof(a)));
	}
	fprintf(out, "%s over %.1f s\n", shown ? ")" : "", dt);
	fflush(out);
	line_prev.tsc = now;
	line_prev.s = cur;
}
