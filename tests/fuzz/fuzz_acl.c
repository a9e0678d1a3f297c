/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The ACL rule-file parser (zc_acl_load()): any bytes as a rule file.
 * It must accept them or say why, naming the file (and the line), and
 * free what it allocated either way.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "acl/zc_acl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zc_acl_params p = { .nb_ports = 3 };
	struct zc_acl *acl;
	char err[1024] = "";

	p.path = zc_fuzz_file(data, size);
	p.deny_default = size & 1;
	acl = zc_acl_load(&p, err, sizeof(err));
	if (acl != NULL) {
		zc_acl_free(acl);
		return 0;
	}
	if (strncmp(err, p.path, strlen(p.path)) != 0) {
		fprintf(stderr, "acl: error does not name the file: '%s'\n",
			err);
		abort();
	}
	return 0;
}
