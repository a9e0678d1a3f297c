/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * The control socket's JSON writer (zc_json.h).
 */

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/zc_json.h"

void
zc_json_init(struct zc_json *j, size_t max)
{
	memset(j, 0, sizeof(*j));
	j->max = max;
}

void
zc_json_reset(struct zc_json *j)
{
	j->len = 0;
	j->depth = 0;
	j->failed = false;
	j->used[0] = false;
	if (j->buf != NULL)
		j->buf[0] = '\0';
}

void
zc_json_free(struct zc_json *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

static bool
reserve(struct zc_json *j, size_t n)
{
	size_t cap;
	char *b;

	if (j->failed)
		return false;
	if (j->len + n + 1 > j->max) {
		j->failed = true;
		return false;
	}
	if (j->len + n + 1 <= j->cap)
		return true;
	cap = j->cap != 0 ? j->cap : 1024;
	while (cap < j->len + n + 1)
		cap *= 2;
	b = realloc(j->buf, cap);
	if (b == NULL) {
		j->failed = true;
		return false;
	}
	j->buf = b;
	j->cap = cap;
	return true;
}

static void
put(struct zc_json *j, const char *s, size_t n)
{
	if (!reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
put_quoted(struct zc_json *j, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	put(j, "\"", 1);
	for (; *p != '\0' && !j->failed; p++) {
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };

		switch (*p) {
		case '"':
			put(j, "\\\"", 2);
			break;
		case '\\':
			put(j, "\\\\", 2);
			break;
		case '\n':
			put(j, "\\n", 2);
			break;
		case '\t':
			put(j, "\\t", 2);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f) {
				/* Control characters, and bytes outside ASCII
				 * (never sure to be valid UTF-8): \u00XX.
				 */
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 0xf];
				put(j, esc, 6);
			} else {
				put(j, (const char *)p, 1);
			}
		}
	}
	put(j, "\"", 1);
}

/* Comma and key before a member or element. */
static void
member(struct zc_json *j, const char *key)
{
	if (j->depth > 0 && j->used[j->depth - 1])
		put(j, ",", 1);
	if (j->depth > 0)
		j->used[j->depth - 1] = true;
	if (key != NULL) {
		put_quoted(j, key);
		put(j, ":", 1);
	}
}

static void
open_container(struct zc_json *j, const char *key, const char *c)
{
	member(j, key);
	if (j->depth == ZC_JSON_DEPTH) {
		j->failed = true;
		return;
	}
	put(j, c, 1);
	j->used[j->depth++] = false;
}

static void
close_container(struct zc_json *j, const char *c)
{
	if (j->depth == 0) {
		j->failed = true;
		return;
	}
	j->depth--;
	put(j, c, 1);
}

void
zc_json_obj_open(struct zc_json *j, const char *key)
{
	open_container(j, key, "{");
}

void
zc_json_obj_close(struct zc_json *j)
{
	close_container(j, "}");
}

void
zc_json_arr_open(struct zc_json *j, const char *key)
{
	open_container(j, key, "[");
}

void
zc_json_arr_close(struct zc_json *j)
{
	close_container(j, "]");
}

void
zc_json_str(struct zc_json *j, const char *key, const char *v)
{
	member(j, key);
	if (v == NULL)
		put(j, "null", 4);
	else
		put_quoted(j, v);
}

void
zc_json_strf(struct zc_json *j, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	zc_json_str(j, key, buf);
}

void
zc_json_u64(struct zc_json *j, const char *key, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	member(j, key);
	put(j, buf, (size_t)n);
}

void
zc_json_i64(struct zc_json *j, const char *key, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);

	member(j, key);
	put(j, buf, (size_t)n);
}

void
zc_json_f3(struct zc_json *j, const char *key, double v)
{
	char buf[48];
	int n = snprintf(buf, sizeof(buf), "%.3f", isfinite(v) ? v : 0.0);

	member(j, key);
	put(j, buf, (size_t)n);
}

void
zc_json_bool(struct zc_json *j, const char *key, bool v)
{
	member(j, key);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void
zc_json_quote(char *dst, size_t len, const char *s)
{
	struct zc_json j;

	zc_json_init(&j, len);
	put_quoted(&j, s);
	if (j.failed || j.buf == NULL)
		snprintf(dst, len, "\"\"");
	else
		snprintf(dst, len, "%s", j.buf);
	zc_json_free(&j);
}
