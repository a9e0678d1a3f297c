/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * zcpipe --version and zcpipe --check.
 *
 * --check validates a configuration the way start-up does, up to the point
 * where devices would be probed: the file itself, the captures, ACL rules,
 * routes and neighbours it names, the drivers-config folder, and (when EAL
 * lcore options are given) the stage placement. It probes no device: the
 * EAL is initialised with --no-pci --no-huge --in-memory --no-telemetry and
 * no vdev, only so that the route tables can be built in its memory.
 * Interfaces and PCI addresses are looked up in /sys and reported as
 * warnings when absent, since a configuration may be checked on another
 * machine than the one it is meant for.
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_string_fns.h>
#include <rte_version.h>

#include "acl/zc_acl.h"
#include "zc_app.h"
#include "core/zc_config.h"
#include "core/zc_port.h"
#include "route/zc_route.h"

/* EAL options that are kept from the command line for --check: only
 * those that say which lcores exist, so that the placement can be checked.
 */
static bool
is_lcore_opt(const char *a, bool *takes_arg)
{
	static const char *const with_arg[] = {
		"-l", "-c", "--lcores", "--main-lcore",
	};
	unsigned int i;

	*takes_arg = false;
	for (i = 0; i < RTE_DIM(with_arg); i++) {
		size_t n = strlen(with_arg[i]);

		if (strcmp(a, with_arg[i]) == 0) {
			*takes_arg = true;
			return true;
		}
		/* --lcores=0-1, -l0-1 */
		if (strncmp(a, with_arg[i], n) == 0 &&
		    (a[n] == '=' || (with_arg[i][1] != '-' && a[n] != '\0')))
			return true;
	}
	return false;
}

static int nb_warnings;

static void __rte_format_printf(1, 2)
warn(const char *fmt, ...)
{
	va_list ap;

	fputs("zcpipe: check: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	nb_warnings++;
}

/* Value of key=... in a devargs string, or "" if absent. */
static void
devarg(const char *dev, const char *key, char *out, size_t len)
{
	const char *p = dev;
	size_t k = strlen(key);

	out[0] = '\0';
	while ((p = strchr(p, ',')) != NULL) {
		p++;
		if (strncmp(p, key, k) == 0 && p[k] == '=') {
			size_t n = strcspn(p + k + 1, ",");

			if (n >= len)
				n = len - 1;
			memcpy(out, p + k + 1, n);
			out[n] = '\0';
			return;
		}
	}
}

/* The device a port names: a kernel interface, a PCI address, a capture
 * file to write. Nothing is opened but /sys and the file's folder.
 */
static int
check_port_device(struct zc_config *cfg, unsigned int i)
{
	const struct zc_port_conf *pc = &cfg->port[i];
	static const char *const iface_keys[] = {
		"iface", "rx_iface", "tx_iface", "rx_iface_in",
	};
	char sec[CFG_NAME_LEN], v[ZC_DEV_LEN], path[PATH_MAX];
	unsigned int k;

	snprintf(sec, sizeof(sec), "port.%u", i);
	if (strcmp(pc->driver, "pci") == 0) {
		char link[PATH_MAX];
		ssize_t n;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.*s",
			 (int)strcspn(pc->dev, ","), pc->dev);
		if (access(path, F_OK) != 0) {
			warn("[port.%u] dev: no PCI device %.*s on this machine",
			     i, (int)strcspn(pc->dev, ","), pc->dev);
			return 0;
		}
		strlcat(path, "/driver", sizeof(path));
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		if (n <= 0 || (strcmp(basename(link), "vfio-pci") != 0 &&
			       strcmp(basename(link), "uio_pci_generic") != 0 &&
			       strcmp(basename(link), "igb_uio") != 0 &&
			       strcmp(basename(link), "mlx5_core") != 0))
			warn("[port.%u] dev: %.*s is bound to %s, not vfio-pci (scripts/bind-nic.sh)",
			     i, (int)strcspn(pc->dev, ","), pc->dev,
			     n > 0 ? basename(link) : "no driver");
		return 0;
	}
	if (strcmp(pc->driver, "net_tap") != 0 &&
	    strcmp(pc->driver, "net_memif") != 0)
		for (k = 0; k < RTE_DIM(iface_keys); k++) {
			devarg(pc->dev, iface_keys[k], v, sizeof(v));
			if (v[0] != '\0' && if_nametoindex(v) == 0)
				warn("[port.%u] dev: no interface '%s' on this machine",
				     i, v);
		}
	devarg(pc->dev, "tx_pcap", v, sizeof(v));
	if (v[0] != '\0') {
		char dir[PATH_MAX];

		strlcpy(dir, v, sizeof(dir));
		if (access(dirname(dir), W_OK) != 0)
			return zc_config_error(cfg, sec, "dev",
					       "tx_pcap '%s': cannot write in its folder: %s",
					       v, strerror(errno));
	}
	return 0;
}

/* Every family file in the drivers-config folder must load. */
static int
check_drivers_config(struct zc_config *cfg)
{
	struct zc_driver_conf dc;
	struct dirent *e;
	unsigned int n = 0, i;
	DIR *d;

	d = opendir(cfg->drivers_config);
	if (d == NULL)
		return zc_config_error(cfg, "general", "drivers_config",
				       "cannot open folder '%s': %s",
				       cfg->drivers_config, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char family[64];

		if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0 ||
		    len - 4 >= sizeof(family))
			continue;
		memcpy(family, e->d_name, len - 4);
		family[len - 4] = '\0';
		if (zc_driver_conf_load(cfg->drivers_config, family, &dc) < 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	printf("  drivers-config: %s (%u families)\n", cfg->drivers_config, n);
	for (i = 0; i < cfg->nb_ports; i++) {
		const char *fam = cfg->port[i].driver;

		if (strcmp(fam, "pci") != 0 &&
		    zc_driver_conf_load(cfg->drivers_config, fam, &dc) > 0)
			warn("[port.%u] dev: no %s/%s.ini: zcpipe will use what the port reports",
			     i, cfg->drivers_config, fam);
	}
	return 0;
}

/* The placement against the lcores the EAL options give. */
static int
check_lcores(struct zc_config *cfg)
{
	unsigned int i, g, need = 0, have = rte_lcore_count() - 1;

	for (i = 0; i < cfg->nb_pipelines; i++)
		need += cfg->pipeline[i].nb_groups;
	if (need > have)
		return zc_config_error(cfg, NULL, NULL,
				       "the stage placement needs %u worker lcore(s) but the EAL options give %u (main lcore %u excluded)",
				       need, have, rte_get_main_lcore());
	for (i = 0; i < cfg->nb_pipelines; i++) {
		char sec[CFG_NAME_LEN];

		snprintf(sec, sizeof(sec), "pipeline.%u", i);
		for (g = 0; g < cfg->pipeline[i].nb_groups; g++) {
			uint32_t l = cfg->pipeline[i].lcore[g];

			if (l == ZC_LCORE_AUTO)
				continue;
			if (!rte_lcore_is_enabled(l) ||
			    l == rte_get_main_lcore())
				return zc_config_error(cfg, sec, "lcores",
						       "lcore %u is not a worker lcore of the EAL options given",
						       l);
		}
	}
	return 0;
}

static int
check_files(struct zc_config *cfg)
{
	char err[640];
	unsigned int i;

	for (i = 0; i < cfg->nb_ports; i++) {
		cfg->port[i].port_id = i; /* as if probed in order */
		if (check_port_device(cfg, i) < 0)
			return -1;
	}
	if (check_drivers_config(cfg) < 0)
		return -1;
	if (zc_acl_conf.rules[0] != '\0') {
		struct zc_acl_params ap = {
			.path = zc_acl_conf.rules,
			.nb_ports = cfg->nb_ports,
			.deny_default = zc_acl_conf.deny_default,
		};
		struct zc_acl *acl = zc_acl_load(&ap, err, sizeof(err));

		if (acl == NULL)
			return zc_config_error(cfg, "acl", "rules", "%s", err);
		printf("  acl: %u rule(s) in %s\n", acl->nb_rules,
		       zc_acl_conf.rules);
		zc_acl_free(acl);
	}
	if (cfg->mode == ZC_MODE_ROUTER) {
		struct zc_route_table *rt;

		rt = zc_route_table_create(cfg, SOCKET_ID_ANY);
		if (rt == NULL)
			return -1;
		printf("  routes: %u (connected and local ones included), %u static neighbour(s)\n",
		       rt->nb_routes, rt->nb_neigh);
		zc_route_table_free(rt);
	}
	return 0;
}

void
zc_app_find_drivers_config(struct zc_config *cfg)
{
	static const char *const rel[] = {
		"../drivers-config", "../share/zcpipe/drivers-config",
	};
	char exe[PATH_MAX], alt[PATH_MAX];
	unsigned int i;
	ssize_t n;

	if (strcmp(cfg->drivers_config, "drivers-config") != 0 ||
	    access(cfg->drivers_config, R_OK | X_OK) == 0)
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	for (i = 0; i < RTE_DIM(rel); i++) {
		char tmp[PATH_MAX];

		strlcpy(tmp, exe, sizeof(tmp));
		snprintf(alt, sizeof(alt), "%s/%s", dirname(tmp), rel[i]);
		if (access(alt, R_OK | X_OK) == 0) {
			if (realpath(alt, exe) != NULL)
				strlcpy(alt, exe, sizeof(alt));
			strlcpy(cfg->drivers_config, alt,
				sizeof(cfg->drivers_config));
			return;
		}
	}
}

static int
run_check(const char *file, bool replay, int nb_lcore_args,
	  char **lcore_args)
{
	static struct zc_config cfg;
	char prefix[64], rundir[PATH_MAX], *eal[32];
	int n = 0, i, ret = 1;

	snprintf(prefix, sizeof(prefix), "zccheck-%d", (int)getpid());
	eal[n++] = (char *)"zcpipe";
	for (i = 0; i < nb_lcore_args && n < (int)RTE_DIM(eal) - 12; i++)
		eal[n++] = lcore_args[i];
	eal[n++] = (char *)"--no-pci";
	eal[n++] = (char *)"--no-huge";
	eal[n++] = (char *)"-m";
	eal[n++] = (char *)"128";
	eal[n++] = (char *)"--no-shconf";
	eal[n++] = (char *)"--no-telemetry";
	eal[n++] = (char *)"--file-prefix";
	eal[n++] = prefix;
	eal[n++] = (char *)"--log-level=lib.eal:error";
	eal[n] = NULL;
	if (rte_eal_init(n, eal) < 0) {
		fprintf(stderr, "zcpipe: check: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	/* Nothing is shared: the runtime folder stays empty; removed below. */
	strlcpy(rundir, rte_eal_get_runtime_dir(), sizeof(rundir));
	printf("zcpipe: checking %s\n", file);
	zc_config_ifaces_elsewhere = true;
	if (zc_config_load(file, &cfg) < 0)
		goto out;
	zc_app_find_drivers_config(&cfg);
	if (replay) {
		unsigned int p, np = 0;

		for (p = 0; p < cfg.nb_ports; p++)
			np += cfg.port[p].nb_pcaps;
		if (np == 0) {
			zc_config_error(&cfg, NULL, NULL,
					"--replay needs at least one port with rx_pcap=FILE");
			goto out;
		}
	}
	if (check_files(&cfg) < 0)
		goto out;
	if (nb_lcore_args > 0) {
		if (check_lcores(&cfg) < 0)
			goto out;
	} else {
		printf("  placement not checked: give the EAL's -l/--lcores before '--' to check it\n");
	}
	printf("zcpipe: %s: OK: mode %s, %u port(s), %u pipeline(s)%s\n",
	       file, zc_mode_name(cfg.mode), cfg.nb_ports, cfg.nb_pipelines,
	       nb_warnings != 0 ? ", with warnings" : "");
	ret = 0;
out:
	if (ret != 0)
		fprintf(stderr, "zcpipe: configuration error: %s\n",
			zc_config_strerror());
	zc_config_free(&cfg);
	rte_eal_cleanup();
	rmdir(rundir);
	return ret;
}

/*
 * Before the EAL tries: hugepages wanted (no --no-huge) but none free, or
 * no hugetlbfs mounted, or fewer than -m asks for. The EAL's own messages
 * ("Cannot get hugepage information") name neither the cause nor the fix.
 */
static bool
hugepages_ok(int nb_eal, char **argv)
{
	uint64_t free_mb = 0, want_mb = 0;
	bool mounted = false;
	struct dirent *e;
	char line[512];
	DIR *d;
	FILE *f;
	int i;

	for (i = 1; i < nb_eal; i++) {
		if (strcmp(argv[i], "--no-huge") == 0 ||
		    strncmp(argv[i], "--proc-type", 11) == 0 ||
		    strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
		/* A value the EAL would refuse is its to report. */
		if (strcmp(argv[i], "-m") == 0 && i + 1 < nb_eal &&
		    zc_parse_uint(argv[i + 1], 0, UINT32_MAX, &want_mb) < 0)
			want_mb = 0;
		/* In memory, the EAL maps hugepages with memfd: no mount. */
		if (strcmp(argv[i], "--in-memory") == 0)
			mounted = true;
	}
	f = mounted ? NULL : fopen("/proc/mounts", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			mounted |= strstr(line, " hugetlbfs ") != NULL;
		fclose(f);
	}
	d = opendir("/sys/kernel/mm/hugepages");
	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[PATH_MAX], size[32];
		uint64_t kb, n = 0;
		size_t len;

		/* "hugepages-2048kB" */
		if (strncmp(e->d_name, "hugepages-", 10) != 0 ||
		    strlcpy(size, e->d_name + 10, sizeof(size)) >= sizeof(size))
			continue;
		len = strlen(size);
		if (len < 3 || strcmp(size + len - 2, "kB") != 0)
			continue;
		size[len - 2] = '\0';
		if (zc_parse_uint(size, 1, UINT32_MAX, &kb) < 0)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/kernel/mm/hugepages/%s/free_hugepages",
			 e->d_name);
		if (zc_read_uint_file(path, 0, &n) < 0 || n > UINT32_MAX)
			n = 0;
		free_mb += n * kb / 1024;
	}
	if (d != NULL)
		closedir(d);
	if (mounted && free_mb != 0 && free_mb >= want_mb)
		return true;
	if (!mounted)
		fprintf(stderr, "zcpipe: no hugepages: hugetlbfs is not mounted.");
	else if (free_mb == 0)
		fprintf(stderr, "zcpipe: no hugepages: none is free (/proc/meminfo HugePages_Free).");
	else
		fprintf(stderr, "zcpipe: not enough hugepages: -m asks for %" PRIu64 " MiB, %" PRIu64 " MiB are free.",
			want_mb, free_mb);
	fprintf(stderr, " Reserve and mount them as root: scripts/hugepages.sh PAGES (installed as zcpipe-hugepages; the zcpipe@ service runs it), or echo PAGES > /proc/sys/vm/nr_hugepages; mount -t hugetlbfs nodev /dev/hugepages (2 MiB pages). For tests only: --no-huge -m 512 in the EAL options. See docs/deployment.md\n");
	return false;
}

int
zc_app_early(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "replay", no_argument, NULL, 'r' },
		{ "summary-json", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	static char lcore_list[256];
	char *lcore_args[8];
	int dd = -1, app = 1, nb_lcore = 0, i, c;
	bool check = false, version = false, replay = false;
	const char *file = NULL;

	/* A service writes to the journal through a pipe: one line at a
	 * time, so that periodic statistics show up when printed.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			dd = i;
			app = i + 1;
			break;
		}
	for (i = app; i < argc; i++) {
		check |= strcmp(argv[i], "--check") == 0;
		version |= strcmp(argv[i], "--version") == 0;
	}
	if (!check && !version)
		return hugepages_ok(dd > 0 ? dd : argc, argv) ? -1 : 1;
	if (version) {
		printf("zcpipe %s\n%s\n", zc_version(), rte_version());
		return 0;
	}
	for (i = 1; i < dd; i++) {
		bool arg;

		if (!is_lcore_opt(argv[i], &arg))
			continue;
		if (nb_lcore + 2 > (int)RTE_DIM(lcore_args))
			break;
		if (strcmp(argv[i], "-l") == 0 && i + 1 < dd) {
			/* The lcores, all on CPU 0: the list is checked
			 * whatever CPUs this machine has.
			 */
			snprintf(lcore_list, sizeof(lcore_list),
				 "--lcores=(%s)@0", argv[++i]);
			lcore_args[nb_lcore++] = lcore_list;
			continue;
		}
		lcore_args[nb_lcore++] = argv[i];
		if (arg && i + 1 < dd)
			lcore_args[nb_lcore++] = argv[++i];
	}
	/* getopt on the application part only. */
	argv[app - 1] = argv[0];
	argc -= app - 1;
	argv += app - 1;
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'r':
			replay = true;
			break;
		case 'C':
		case 'j':
			break;
		default:
			fprintf(stderr, "Usage: zcpipe [EAL options --] --check -f FILE\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "zcpipe: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (file == NULL) {
		fprintf(stderr, "zcpipe: --check needs a configuration: -f FILE\n");
		return 2;
	}
	return run_check(file, replay, nb_lcore, lcore_args);
}
