/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_FUZZ_H
#define ZC_FUZZ_H

/*
 * Shared by the libFuzzer targets in tests/fuzz/ (docs/testing.md). Each
 * target is linked with common.c and every lib/ object, and defines
 * LLVMFuzzerTestOneInput(); common.c defines LLVMFuzzerInitialize().
 */

#include <stddef.h>
#include <stdint.h>

/**
 * Called once by LLVMFuzzerInitialize() after the EAL is up. A target
 * defines it only if it has set-up to do (common.c has an empty default).
 */
int zc_fuzz_init(void);

/** libFuzzer's entry point, which every target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * Write an input to this process's scratch file, for the parsers that
 * read files. Returns its path (static).
 */
const char *zc_fuzz_file(const uint8_t *data, size_t size);

/** Write a named scratch file; its path (static, the last two kept). */
const char *zc_fuzz_write(const char *name, const void *data, size_t size);

#endif /* ZC_FUZZ_H */
