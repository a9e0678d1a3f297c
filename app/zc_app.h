/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_APP_H
#define ZC_APP_H

/**
 * @file
 * Operator-facing parts of the zcpipe executable that run before (or
 * instead of) the normal start-up: --version and --check.
 */

/**
 * zcpipe's version, from `git describe` at build time ("unknown" outside
 * a git checkout unless ZC_VERSION was given to make).
 */
const char *zc_version(void);

/**
 * Handle the options that do not start the pipeline, before the EAL is
 * initialised: --version prints the zcpipe and DPDK versions; --check
 * validates a configuration and the files it names without touching any
 * device. Both may be given with or without EAL options and "--".
 *
 * @return
 *   -1 if neither option is present (start normally), else the exit
 *   status: 0 (valid), 1 (invalid configuration), 2 (command-line error).
 */
int zc_app_early(int argc, char **argv);

struct zc_config;

/**
 * Where to find drivers-config when [general] drivers_config is left at
 * its default and there is none in the working folder: beside the binary
 * (build/../drivers-config), then where `make install` puts it
 * (BINDIR/../share/zcpipe/drivers-config).
 */
void zc_app_find_drivers_config(struct zc_config *cfg);

#endif /* ZC_APP_H */
