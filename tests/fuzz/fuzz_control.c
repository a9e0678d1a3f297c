/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The control socket's request parser and command dispatch
 * (zc_ctl_answer(), the code the control thread runs on each request
 * line): any bytes as a request. With no pipeline running, every command
 * must answer, without crashing, one line of JSON that is an object with
 * "ok", and "error" when it is false; no raw control character may reach
 * the reply.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "fuzz.h"
#include "control/zc_control.h"

static void
check(const char *r, const uint8_t *data, size_t size)
{
	size_t i, n;

	if (r == NULL) {
		fprintf(stderr, "control: no reply\n");
		abort();
	}
	n = strlen(r);
	if (strncmp(r, "{\"ok\":", 6) != 0 || n < 2 || r[n - 1] != '}') {
		fprintf(stderr, "control: not a reply object: '%s'\n", r);
		abort();
	}
	if (strncmp(r, "{\"ok\":false", 11) == 0 &&
	    strstr(r, "\"error\":\"") == NULL) {
		fprintf(stderr, "control: refused without an error: '%s'\n", r);
		abort();
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)r[i] < 0x20) {
			fprintf(stderr, "control: raw byte 0x%02x in the reply to %zu bytes: '%s'\n",
				(unsigned char)r[i], size, r);
			abort();
		}
	RTE_SET_USED(data);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The socket hands the parser one line at a time. */
	const uint8_t *nl = memchr(data, '\n', size);
	size_t len = nl != NULL ? (size_t)(nl - data) : size;

	check(zc_ctl_answer((const char *)data, len), data, size);
	return 0;
}
