/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#ifndef ZC_JSON_H
#define ZC_JSON_H

/**
 * @file
 * A small JSON writer for the control socket's replies: one growing
 * buffer, objects and arrays nested up to ZC_JSON_DEPTH, strings escaped
 * so that any byte a client or a file gave (a path, a rule) comes out as
 * valid JSON. Control path only.
 *
 * Members of an object take a key, elements of an array take NULL. An
 * allocation failure or a reply over the size limit is remembered
 * (zc_json_failed()) and the rest of the calls do nothing.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

/** Deepest nesting of objects and arrays. */
#define ZC_JSON_DEPTH 16

/** A reply being written. */
struct zc_json {
	char *buf;          /**< Text so far, NUL-terminated. */
	size_t len;         /**< Bytes in buf. */
	size_t cap;         /**< Allocated size of buf. */
	size_t max;         /**< Largest reply allowed. */
	unsigned int depth; /**< Open objects and arrays. */
	bool failed;        /**< Out of memory or over max. */
	/** Whether the container at each depth has a member yet. */
	bool used[ZC_JSON_DEPTH];
};

/** Start an empty writer whose text may grow to max bytes. */
void zc_json_init(struct zc_json *j, size_t max);

/** Forget the text, keep the buffer. */
void zc_json_reset(struct zc_json *j);

/** Release the buffer. */
void zc_json_free(struct zc_json *j);

/** Whether something could not be written (memory, size). */
static inline bool
zc_json_failed(const struct zc_json *j)
{
	return j->failed;
}

/** Open an object (key NULL at the top or in an array). */
void zc_json_obj_open(struct zc_json *j, const char *key);

/** Close the innermost object. */
void zc_json_obj_close(struct zc_json *j);

/** Open an array. */
void zc_json_arr_open(struct zc_json *j, const char *key);

/** Close the innermost array. */
void zc_json_arr_close(struct zc_json *j);

/** A string member or element; NULL writes null. */
void zc_json_str(struct zc_json *j, const char *key, const char *v);

/** A formatted string member or element. */
void zc_json_strf(struct zc_json *j, const char *key, const char *fmt, ...)
	__rte_format_printf(3, 4);

/** An unsigned integer member or element. */
void zc_json_u64(struct zc_json *j, const char *key, uint64_t v);

/** A signed integer member or element. */
void zc_json_i64(struct zc_json *j, const char *key, int64_t v);

/** A number with three decimals (milliseconds, rates). */
void zc_json_f3(struct zc_json *j, const char *key, double v);

/** A boolean member or element. */
void zc_json_bool(struct zc_json *j, const char *key, bool v);

/**
 * Append s as a JSON string literal (quotes included) to a plain buffer,
 * truncating safely. For messages built outside a writer.
 */
void zc_json_quote(char *dst, size_t len, const char *s);

#endif /* ZC_JSON_H */
