/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The configuration checker (zc_config_load()): any bytes as the INI
 * file. It must accept them or refuse them with a message that names the
 * file, and free what it allocated either way.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "core/zc_config.h"

static struct zc_config cfg;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = zc_fuzz_file(data, size), *err;
	int ret;

	ret = zc_config_load(path, &cfg);
	zc_config_free(&cfg);
	if (ret == 0)
		return 0;
	err = zc_config_strerror();
	if (strncmp(err, path, strlen(path)) != 0) {
		fprintf(stderr, "config: error does not name the file: '%s'\n",
			err);
		abort();
	}
	return 0;
}
