/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * EAL start-up and scratch files for the fuzz targets. The EAL is started
 * once, on anonymous memory (--no-huge; --in-memory is refused with it),
 * without PCI or telemetry, with a file prefix of its own: zcfuzz-PID, or
 * zcfuzz-PID-ID under tests/fuzz/run.sh (ZC_TEST_ID), whose leftover
 * check then sees it. Its runtime folder and the scratch folder are
 * removed at exit.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "fuzz.h"

static char prefix[64];
static char scratch[64];

static void
rm_tree(const char *path)
{
	char cmd[160];

	if (path[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", path);
}

static void
cleanup(void)
{
	char run[128];

	rte_eal_cleanup();
	snprintf(run, sizeof(run), "/var/run/dpdk/%s", prefix);
	rm_tree(run);
	rm_tree(scratch);
}

const char *
zc_fuzz_write(const char *name, const void *data, size_t size)
{
	static char path[2][96];
	static unsigned int k;
	char *p = path[k++ & 1];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", scratch, name);
	f = fopen(p, "w");
	if (f == NULL || (size != 0 && fwrite(data, 1, size, f) != size)) {
		perror(p);
		abort();
	}
	fclose(f);
	return p;
}

const char *
zc_fuzz_file(const uint8_t *data, size_t size)
{
	return zc_fuzz_write("input", data, size);
}

/* Set-up of a target that needs none (a target's own definition wins). */
__attribute__((weak)) int
zc_fuzz_init(void)
{
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *id = getenv("ZC_TEST_ID");
	char *eal_argv[] = {
		(*argv)[0], "--no-huge", "-m", "256", "--no-pci", "-l", "0",
		"--no-telemetry", "--log-level", "*:error",
		"--file-prefix", prefix, NULL
	};

	RTE_SET_USED(argc);
	if (id != NULL)
		snprintf(prefix, sizeof(prefix), "zcfuzz-%d-%s", (int)getpid(),
			 id);
	else
		snprintf(prefix, sizeof(prefix), "zcfuzz-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "fuzz: EAL init failed\n");
		exit(2);
	}
	snprintf(scratch, sizeof(scratch), "/tmp/zcfuzz.XXXXXX");
	if (mkdtemp(scratch) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	atexit(cleanup);
	if (zc_fuzz_init() < 0) {
		fprintf(stderr, "fuzz: set-up failed\n");
		exit(2);
	}
	return 0;
}
