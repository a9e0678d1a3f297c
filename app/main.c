/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * zcpipe: EAL options, "--", then zcpipe's own options.
 *
 * The main lcore only controls: it loads the configuration, builds and
 * launches the pipeline, watches for signals and for the end of replayed
 * captures, then drains, prints the summary and checks that every mbuf came
 * back to its pool.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_pdump.h>
#include <rte_string_fns.h>

#include "actions/zc_actions.h"
#include "control/zc_control.h"
#include "zc_app.h"
#include "core/zc_config.h"
#include "core/zc_kif.h"
#include "core/zc_log.h"
#include "core/zc_meta.h"
#include "core/zc_pipeline.h"
#include "core/zc_port.h"
#include "core/zc_stage.h"
#include "core/zc_stats.h"
#include "telemetry/zc_summary.h"
#include "telemetry/zc_telemetry.h"

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	/* SIGHUP re-reads the tables' files on the control thread. */
	if (sig == SIGHUP) {
		zc_ctl_reload_signal();
		return;
	}
	got_signal = sig;
}

struct app_opts {
	const char *config;
	const char *summary_json;
	bool replay;
	bool list_stages;
};

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- -f FILE [--replay] [--summary-json FILE]\n"
	       "       %s [EAL lcore options --] --check -f FILE\n"
	       "       %s --version\n"
	       "  -f, --config FILE      configuration (INI), see docs/configuration.md\n"
	       "      --check            validate FILE and the files it names, touch no device, exit 0/1\n"
	       "      --version          print the zcpipe and DPDK versions\n"
	       "      --replay           stop once every rx_pcap capture has been processed\n"
	       "      --summary-json F   also write the final summary as JSON to F\n"
	       "      --list-stages      list the registered stages and exit\n"
	       "  -h, --help             this text\n", prog, prog, prog);
}

static int
parse_opts(int argc, char **argv, struct app_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "replay", no_argument, NULL, 'r' },
		{ "summary-json", required_argument, NULL, 'j' },
		{ "list-stages", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->config = optarg;
			break;
		case 'r':
			o->replay = true;
			break;
		case 'j':
			o->summary_json = optarg;
			break;
		case 'L':
			o->list_stages = true;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			usage(argv[0]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "zcpipe: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (o->config == NULL && !o->list_stages) {
		fprintf(stderr, "zcpipe: no configuration: give one with -f FILE (after '--')\n");
		return -1;
	}
	return 0;
}

/* "router", "l2-xconnect, router, filter"; none: "-". */
static const char *
modes_list(uint32_t modes, char *buf, size_t len)
{
	unsigned int m;

	buf[0] = '\0';
	for (m = 0; m <= ZC_MODE_FILTER; m++) {
		if (!(modes & ZC_MODE_BIT(m)))
			continue;
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, zc_mode_name(m), len);
	}
	if (buf[0] == '\0')
		strlcpy(buf, "-", len);
	return buf;
}

/* Each stage and its contract (core/zc_stage.h). */
static void
list_stages(void)
{
	const struct zc_stage_ops *ops;
	char a[128], b[128], c[128];

	for (ops = zc_stage_next(NULL); ops != NULL; ops = zc_stage_next(ops)) {
		printf("%-10s %s\n", ops->name, ops->desc);
		printf("%-10s %s%sreads: %s; may read: %s; writes: %s\n", "",
		       ops->flags & ZC_STAGE_F_SOURCE ? "source; " : "",
		       ops->flags & ZC_STAGE_F_SINK ? "sink; " : "",
		       zc_md_format(ops->reads, a, sizeof(a)),
		       zc_md_format(ops->may_read, b, sizeof(b)),
		       zc_md_format(ops->writes, c, sizeof(c)));
		printf("%-10s modes: %s; default chain of: %s (rank %u)\n", "",
		       modes_list(ops->modes != 0 ? ops->modes : ZC_MODES_ALL,
				  a, sizeof(a)),
		       modes_list(ops->default_modes, b, sizeof(b)),
		       ops->rank);
	}
}

/* Replay progress: packets each replayed port has taken in (received or
 * dropped by the port itself), summed.
 */
static uint64_t
replay_seen(const struct zc_config *cfg, uint64_t *want)
{
	uint64_t seen = 0;
	unsigned int i;

	*want = 0;
	for (i = 0; i < cfg->nb_ports; i++) {
		uint16_t pid = cfg->port[i].port_id;
		struct zc_port_counters c;
		struct rte_eth_stats es;
		uint64_t n;

		if (zc_ports[pid].replay_pkts == 0)
			continue;
		zc_stats_port_sum(pid, &c);
		n = c.rx_pkts;
		if (rte_eth_stats_get(pid, &es) == 0)
			n += es.imissed + es.ierrors + es.rx_nombuf;
		*want += zc_ports[pid].replay_pkts;
		seen += RTE_MIN(n, zc_ports[pid].replay_pkts);
	}
	return seen;
}

/* Control loop of the main lcore. Returns 0, or 1 if a replay stalled. */
static int
control_loop(const struct zc_config *cfg, bool replay)
{
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t last_seen = 0, last_progress = rte_rdtsc();
	uint64_t last_stats = last_progress;

	while (!got_signal) {
		uint64_t now;

		rte_delay_us_sleep(10 * 1000);
		zc_telemetry_sample();
		zc_kif_sample(cfg);
		now = rte_rdtsc();
		if (cfg->stats_period != 0 &&
		    now - last_stats >= cfg->stats_period * hz) {
			zc_summary_line(stdout, cfg);
			last_stats = now;
		}
		if (replay) {
			uint64_t want, seen = replay_seen(cfg, &want);

			if (seen >= want)
				return 0;
			if (seen != last_seen) {
				last_seen = seen;
				last_progress = now;
			} else if (now - last_progress >
				   cfg->replay_timeout * hz) {
				fprintf(stderr,
					"zcpipe: replay stalled: %" PRIu64 " of %" PRIu64 " packets received in the last %u s ([general] replay_timeout)\n",
					seen, want, cfg->replay_timeout);
				return 1;
			}
		}
	}
	ZC_LOG(NOTICE, "%s: stopping", strsignal(got_signal));
	return 0;
}

/*
 * rte_eal_init() failed. A second primary with the same --file-prefix
 * fails in 22.11 without setting rte_errno ("Success"): find that case by
 * looking for the lock the running primary holds on its config file.
 */
static void
eal_init_failed(int argc, char **argv)
{
	const char *prefix = "rte", *base;
	char path[PATH_MAX];
	struct flock fl;
	int i, fd;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--file-prefix") == 0 && i + 1 < argc)
			prefix = argv[++i];
		else if (strncmp(argv[i], "--file-prefix=", 14) == 0)
			prefix = argv[i] + 14;
	}
	/* Where the EAL keeps its runtime files (eal_get_runtime_dir()). */
	base = getuid() == 0 ? "/var/run" : getenv("XDG_RUNTIME_DIR");
	snprintf(path, sizeof(path), "%s/dpdk/%s/config",
		 base != NULL ? base : "/tmp", prefix);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
			char pid[32] = "";

			close(fd);
			if (fl.l_pid > 0)
				snprintf(pid, sizeof(pid), " (pid %d)",
					 (int)fl.l_pid);
			fprintf(stderr, "zcpipe: EAL initialisation failed: another DPDK process%s already uses --file-prefix %s (%s is locked); give this one its own --file-prefix\n",
				pid, prefix, path);
			return;
		}
		close(fd);
	}
	if (rte_errno != 0)
		fprintf(stderr, "zcpipe: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
	else
		fprintf(stderr, "zcpipe: EAL initialisation failed (the EAL's messages above say why)\n");
}

int
main(int argc, char **argv)
{
	static struct zc_config cfg;
	struct zc_summary sum;
	struct app_opts opts;
	int ret, status = 0;
	unsigned int leaked;

	ret = zc_app_early(argc, argv); /* --version, --check */
	if (ret >= 0)
		return ret;
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		eal_init_failed(argc, argv);
		return 1;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"zcpipe";
	if (parse_opts(argc, argv, &opts) < 0) {
		rte_eal_cleanup();
		return 2;
	}
	if (opts.list_stages) {
		list_stages();
		rte_eal_cleanup();
		return 0;
	}
	if (!rte_eal_has_hugepages())
		fprintf(stderr, "zcpipe: WARNING: running without hugepages (--no-huge): mbufs are in ordinary pages, fine for tests, slow for traffic\n");

	ret = zc_meta_register();
	if (ret < 0) {
		fprintf(stderr, "zcpipe: cannot register the mbuf metadata field: %s\n",
			strerror(-ret));
		rte_eal_cleanup();
		return 1;
	}
	if (zc_config_load(opts.config, &cfg) < 0) {
		fprintf(stderr, "zcpipe: configuration error: %s\n",
			zc_config_strerror());
		rte_eal_cleanup();
		return 1;
	}
	zc_app_find_drivers_config(&cfg);
	cfg.replay = opts.replay;
	if (opts.replay) {
		unsigned int i, n = 0;

		for (i = 0; i < cfg.nb_ports; i++)
			n += cfg.port[i].nb_pcaps;
		if (n == 0) {
			fprintf(stderr, "zcpipe: --replay needs at least one port with rx_pcap=FILE in %s\n",
				cfg.path);
			zc_config_free(&cfg);
			rte_eal_cleanup();
			return 1;
		}
	}

	if (zc_pipeline_build(&cfg) < 0) {
		fprintf(stderr, "zcpipe: configuration error: %s\n",
			zc_config_strerror());
		zc_telemetry_close();
		zc_pipeline_destroy();
		zc_config_free(&cfg);
		rte_eal_cleanup();
		return 1;
	}
	/* Telemetry may read the pipeline from now until it is closed. */
	zc_telemetry_open();
	ZC_LOG(INFO, "%s placement, %u worker lcore(s), mode %s%s",
	       zc_pipeline_placement(&cfg), zc_rt.nb_workers,
	       zc_mode_name(cfg.mode), opts.replay ? ", replay" : "");

	/* Live capture with dpdk-dumpcap (docs/telemetry.md). */
	if (rte_pdump_init() < 0)
		ZC_LOG(WARNING, "rte_pdump_init failed: %s: dpdk-dumpcap cannot capture",
		       rte_strerror(rte_errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (zc_pipeline_launch() == 0) {
		/* Runtime changes (zcctl, SIGHUP): docs/control.md. */
		zc_ctl_start(&cfg);
		status = control_loop(&cfg, opts.replay);
	} else {
		status = 1;
	}
	/* No table changes from here on; its socket is gone. */
	zc_ctl_stop();
	zc_pipeline_stop();
	zc_pipeline_wait();

	zc_summary_collect(&cfg, &sum);
	/* Telemetry clients may be reading right now: let them finish, and
	 * answer the next ones with an error, before anything is freed.
	 */
	zc_telemetry_close();
	zc_pipeline_destroy();
	leaked = zc_pipeline_check_pools(stderr);
	leaked += zc_actions_check_pools(stderr); /* header and clone pools */
	zc_actions_release();
	sum.leaked_mbufs = leaked;
	sum.driver_kept_mbufs = zc_rt.driver_kept;
	zc_summary_print(stdout, &cfg, &sum);
	if (opts.summary_json != NULL &&
	    zc_summary_json(opts.summary_json, &cfg, &sum) < 0) {
		fprintf(stderr, "zcpipe: cannot write %s: %s\n",
			opts.summary_json, strerror(errno));
		status = 1;
	}
	if (leaked != 0)
		status = 3;
	else if (!sum.balanced)
		status = 4;
	zc_config_free(&cfg);
	rte_pdump_uninit();
	rte_eal_cleanup();
	return status;
}
