/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "unit.h"
#include "core/zc_meta.h"

struct rte_mempool *zc_unit_pool;

/* A suite that needs worker lcores defines its own (see unit.h). */
__rte_weak const char *zc_unit_lcores = "0";

static char tmpdir[64];

const char *
zc_unit_write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static void
cleanup_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal_argv[] = {
		argv[0], "--no-huge", "-m", "256", "--no-pci", "--lcores",
		(char *)(uintptr_t)zc_unit_lcores,
		"--log-level", "*:error", "--file-prefix", prefix, NULL
	};
	SRunner *sr;
	int failed;

	RTE_SET_USED(argc);
	snprintf(prefix, sizeof(prefix), "zcunit-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	if (zc_meta_register() < 0 || zc_rx_tsc_register() < 0) {
		fprintf(stderr, "cannot register the mbuf fields\n");
		return 2;
	}
	zc_unit_pool = rte_pktmbuf_pool_create("zc_unit", 2047, 0, 0,
					       RTE_MBUF_DEFAULT_BUF_SIZE,
					       SOCKET_ID_ANY);
	if (zc_unit_pool == NULL) {
		fprintf(stderr, "cannot create the test pool\n");
		return 2;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/zcunit.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}

	sr = srunner_create(zc_unit_suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	cleanup_tmp();
	rte_mempool_free(zc_unit_pool);
	rte_eal_cleanup();
	/* The EAL leaves its runtime folder behind; tests must not. */
	snprintf(tmpdir, sizeof(tmpdir), "/var/run/dpdk/%s", prefix);
	cleanup_tmp();
	return failed == 0 ? 0 : 1;
}
