/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/* The static neighbour-file parser: fuzz_routes.c on the other file. */
#define FUZZ_NEIGHBOURS
#include "fuzz_routes.c"
