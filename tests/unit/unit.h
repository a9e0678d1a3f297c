/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_UNIT_H
#define ZC_UNIT_H

/*
 * Every tests/unit/test_NAME.c is linked with unit_main.c into
 * build/tests/test_NAME. unit_main.c starts the EAL once (--no-huge
 * --no-pci, a file prefix unique to the process), registers the mbuf
 * metadata, creates a small packet pool (zc_unit_pool) and runs the suite
 * the test file returns from zc_unit_suite() in Check's no-fork mode (the
 * EAL cannot be shared across fork()).
 */

#include <check.h>

#include <rte_mempool.h>

/**
 * EAL --lcores of the test binary, "0" unless the test file defines it,
 * e.g. "0@0,1@0,2@1" for two workers on a 2-core machine.
 */
extern const char *zc_unit_lcores;

/** Defined by each test file. */
Suite *zc_unit_suite(void);

/** A 2047-mbuf packet pool of RTE_MBUF_DEFAULT_BUF_SIZE, for tests. */
extern struct rte_mempool *zc_unit_pool;

/** Write a config file with the given text; returns its path (static). */
const char *zc_unit_write_file(const char *name, const char *text);

#endif /* ZC_UNIT_H */
