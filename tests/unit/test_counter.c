/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Counter descriptors (lib/core/zc_counter.h): a group declared once, by
 * the one X-macro below, is summed over its rows and checked, and appears
 * in the text and JSON summary, in /zcpipe/counters (read through this
 * process's own telemetry socket) and in zcstat's Prometheus metrics: the
 * declaration is the only edit that makes a counter exist everywhere.
 */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "unit.h"
#include "core/zc_config.h"
#include "core/zc_counter.h"
#include "core/zc_pipeline.h"
#include "telemetry/zc_summary.h"
#include "telemetry/zc_telemetry.h"

/* The test module's counters: this list is all it declares. */
#define TEST_COUNTERS(X, T) \
	X(T, widgets,      COUNTER, packets, "Widgets the test counted.") \
	X(T, widget_bytes, COUNTER, bytes,   "Bytes of those widgets.") \
	X(T, level,        GAUGE,   entries, "A level, summed over rows.")

struct test_row {
	TEST_COUNTERS(ZC_COUNTER_FIELD, _)
} __rte_cache_aligned;

static struct test_row test_rows[4];

ZC_COUNTER_GROUP(unittest, "Counters of the counter unit test.", test_rows,
		 TEST_COUNTERS);

static void
rows_reset(void)
{
	memset(test_rows, 0, sizeof(test_rows));
}

START_TEST(group_is_registered_as_declared)
{
	const struct zc_counter_group *g = zc_counter_group_find("unittest");

	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nb_desc, 3);
	ck_assert_uint_eq(g->nb_rows, 4);
	ck_assert_uint_eq(g->stride, sizeof(struct test_row));
	ck_assert_str_eq(g->desc[0].name, "widgets");
	ck_assert_str_eq(g->desc[0].unit, "packets");
	ck_assert_str_eq(g->desc[1].name, "widget_bytes");
	ck_assert_str_eq(g->desc[1].unit, "bytes");
	ck_assert_uint_eq(g->desc[1].offset,
			  offsetof(struct test_row, widget_bytes));
	ck_assert_int_eq(g->desc[2].kind, ZC_COUNTER_KIND_GAUGE);
	ck_assert_str_eq(zc_counter_kind_name(g->desc[2].kind), "gauge");
	ck_assert_str_eq(zc_counter_kind_name(g->desc[0].kind), "counter");
	ck_assert_ptr_null(zc_counter_group_find("no_such_group"));
}
END_TEST

START_TEST(sums_over_rows)
{
	const struct zc_counter_group *g = zc_counter_group_find("unittest");
	uint64_t sum[3];

	rows_reset();
	test_rows[0].widgets = 3;
	test_rows[3].widgets = 4;
	test_rows[1].widget_bytes = 1000;
	test_rows[2].widget_bytes = UINT64_C(1) << 40;
	test_rows[3].level = 9;
	ck_assert_uint_eq(zc_counter_read(g, 0), 7);
	ck_assert_uint_eq(zc_counter_read(g, 1), 1000 + (UINT64_C(1) << 40));
	ck_assert_uint_eq(zc_counter_read(g, 2), 9);
	ck_assert_uint_eq(zc_counter_read(g, 3), 0); /* No such counter. */
	zc_counter_group_read(g, sum);
	ck_assert_uint_eq(sum[0], 7);
	ck_assert_uint_eq(sum[1], 1000 + (UINT64_C(1) << 40));
	ck_assert_uint_eq(sum[2], 9);
	rows_reset();
	zc_counter_group_read(g, sum);
	ck_assert_uint_eq(sum[0] + sum[1] + sum[2], 0);
}
END_TEST

START_TEST(registry_in_name_order)
{
	const struct zc_counter_group *g, *prev = NULL;
	unsigned int n = 0;
	bool seen = false;

	for (g = zc_counter_group_next(NULL); g != NULL;
	     g = zc_counter_group_next(g)) {
		char err[256];

		if (prev != NULL)
			ck_assert_int_lt(strcmp(prev->name, g->name), 0);
		ck_assert_msg(zc_counter_group_check(g, err, sizeof(err)) == 0,
			      "%s", err);
		seen |= strcmp(g->name, "unittest") == 0;
		prev = g;
		n++;
	}
	ck_assert(seen);
	ck_assert_uint_eq(n, zc_counter_group_count());
}
END_TEST

/* A copy of the test group with one thing changed must be refused. */
static struct zc_counter_desc bad_desc[3];
static struct zc_counter_group bad;

static void
bad_reset(void)
{
	const struct zc_counter_group *g = zc_counter_group_find("unittest");

	memcpy(bad_desc, g->desc, sizeof(bad_desc));
	bad = *g;
	bad.name = "bad_group";
	bad.desc = bad_desc;
	memset(&bad.next, 0, sizeof(bad.next));
}

static void
refused(const char *what, const char *needle)
{
	char err[256] = "";

	ck_assert_msg(zc_counter_group_check(&bad, err, sizeof(err)) == -EINVAL,
		      "accepted: %s", what);
	ck_assert_msg(strstr(err, needle) != NULL, "%s: error '%s' lacks '%s'",
		      what, err, needle);
	bad_reset();
}

START_TEST(bad_declarations_refused)
{
	char err[256];

	bad_reset();
	ck_assert_int_eq(zc_counter_group_check(&bad, err, sizeof(err)), 0);
	bad.name = "Route";
	refused("upper case group", "counter group name 'Route'");
	bad.name = "a/b";
	refused("'/' in a group name", "counter group name");
	bad.name = "";
	refused("empty group name", "counter group name");
	bad.help = "say \"hi\"";
	refused("quote in help", "help");
	bad_desc[1].name = "widgets";
	refused("two counters of one name", "same name");
	bad_desc[0].name = "a/b";
	bad_desc[1].name = "a_b";
	bad_desc[1].unit = "packets";
	refused("names equal once '/' is '_'", "same name or metric");
	bad_desc[0].name = "x_bytes";
	bad_desc[0].unit = "bytes";
	bad_desc[1].name = "x";
	refused("x_bytes and x in bytes are one metric", "same name or metric");
	bad_desc[0].name = "widgets_total";
	refused("a name ending in _total", "_total");
	bad_desc[2].name = "bad name";
	refused("space in a name", "counter 2: name 'bad name'");
	bad_desc[2].unit = "Packets";
	refused("bad unit", "unit 'Packets'");
	bad_desc[2].help = "";
	refused("no help", "help missing");
	bad_desc[2].help = "0123456789012345678901234567890123456789"
			   "0123456789012345678901234567890123456789"
			   "0123456789012345678901234567890123456789"
			   "01234567";
	refused("help over 127 characters", "over 127");
	bad_desc[2].kind = (enum zc_counter_kind)7;
	refused("bad kind", "kind 7");
	bad_desc[2].offset = sizeof(struct test_row);
	refused("offset beyond the row", "offset");
	bad_desc[2].offset = 4;
	refused("unaligned offset", "offset 4");
	bad.nb_desc = 0;
	refused("no counters", "0 counters");
	bad.nb_desc = ZC_COUNTER_GROUP_MAX + 1;
	refused("too many counters", "counters (1 to");
	bad.base = NULL;
	refused("no rows", "no rows");
	bad.stride = 12;
	refused("stride not a multiple of 8", "multiple of 8");
	bad.total = "Copied";
	refused("bad total key", "total key 'Copied'");
}
END_TEST

/* Registering a second group of a taken name or metric aborts: a
 * declaration bug must stop the first run of anything.
 */
static int
register_in_child(struct zc_counter_group *g)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Keep the expected abort quiet. */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(2);
		zc_counter_group_register(g);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) ? WTERMSIG(status) : -WEXITSTATUS(status);
}

START_TEST(duplicate_registration_aborts)
{
	bad_reset();
	bad.name = "unittest";
	ck_assert_int_eq(register_in_child(&bad), SIGABRT);
	/* Another name and other metrics: fine. */
	bad_reset();
	bad.name = "unittest2";
	ck_assert_int_eq(register_in_child(&bad), 0);
	bad_reset();
	bad.name = "unittest";
	bad_desc[0].name = "x";
	bad_desc[1].name = "y";
	bad_desc[2].name = "z";
	ck_assert_int_eq(register_in_child(&bad), SIGABRT);
	bad_reset();
	bad.name = "unittest_widget";
	bad_desc[0].name = "bytes";
	bad_desc[1].name = "b";
	bad_desc[1].unit = "packets";
	bad_desc[2].name = "c";
	/* unittest_widget_bytes is unittest's widget_bytes metric. */
	ck_assert_int_eq(register_in_child(&bad), SIGABRT);
	bad_reset();
	bad.help = NULL;
	ck_assert_int_eq(register_in_child(&bad), SIGABRT);
}
END_TEST

START_TEST(groups_fit_the_summary)
{
	const struct zc_counter_group *g, *o;

	for (g = zc_counter_group_next(NULL); g != NULL;
	     g = zc_counter_group_next(g)) {
		ck_assert_msg(!zc_summary_key_taken(g->name),
			      "group %s is a member of the summary", g->name);
		if (g->total == NULL)
			continue;
		ck_assert_msg(!zc_summary_key_taken(g->total),
			      "total %s is a member of the summary", g->total);
		for (o = zc_counter_group_next(NULL); o != NULL;
		     o = zc_counter_group_next(o))
			ck_assert_msg(strcmp(o->name, g->total) != 0 &&
				      (o == g || o->total == NULL ||
				       strcmp(o->total, g->total) != 0),
				      "total %s of %s taken", g->total, g->name);
	}
	ck_assert(zc_summary_key_taken("rx"));
	ck_assert(!zc_summary_key_taken("unittest"));
}
END_TEST

/* The test values: 7 widgets, 1500 bytes, level 9, over three rows. */
static void
rows_fill(void)
{
	rows_reset();
	test_rows[0].widgets = 3;
	test_rows[3].widgets = 4;
	test_rows[1].widget_bytes = 1500;
	test_rows[2].level = 9;
}

static char *
file_text(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(summary_shows_a_declared_group)
{
	struct zc_config cfg;
	struct zc_summary sum;
	char *text = NULL, path[PATH_MAX];
	size_t len = 0;
	FILE *out;

	zc_config_defaults(&cfg);
	rows_fill();
	zc_summary_collect(&cfg, &sum);
	out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	zc_summary_print(out, &cfg, &sum);
	fclose(out);
	ck_assert_msg(strstr(text, "\nunittest: widgets 7 widget_bytes 1500 level 9\n") != NULL,
		      "%.3000s", text);
	free(text);
	snprintf(path, sizeof(path), "%s",
		 zc_unit_write_file("sum.json", ""));
	ck_assert_int_eq(zc_summary_json(path, &cfg, &sum), 0);
	text = file_text(path);
	ck_assert_msg(strstr(text, "\n  \"unittest\": {\"widgets\": 7, \"widget_bytes\": 1500, \"level\": 9},\n") != NULL,
		      "%.3000s", text);

	/* All zero: no text line, every counter in the JSON. */
	rows_reset();
	out = open_memstream(&text, &len);
	zc_summary_print(out, &cfg, &sum);
	fclose(out);
	ck_assert_msg(strstr(text, "unittest") == NULL, "%.3000s", text);
	free(text);
	ck_assert_int_eq(zc_summary_json(path, &cfg, &sum), 0);
	text = file_text(path);
	ck_assert_msg(strstr(text, "\"unittest\": {\"widgets\": 0, \"widget_bytes\": 0, \"level\": 0}") != NULL,
		      "%.3000s", text);
}
END_TEST

/* Ask this process's telemetry socket one command; the reply (static). */
static const char *
telemetry_query(const char *cmd)
{
	static char reply[65536];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	ssize_t n;
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/dpdk_telemetry.v2",
		 rte_eal_get_runtime_dir());
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
		      "cannot connect to %s", sa.sun_path);
	ck_assert_int_gt(recv(fd, reply, sizeof(reply), 0), 0); /* Hello. */
	ck_assert_int_eq(send(fd, cmd, strlen(cmd), 0), (ssize_t)strlen(cmd));
	n = recv(fd, reply, sizeof(reply) - 1, 0);
	ck_assert_int_gt(n, 0);
	reply[n] = '\0';
	close(fd);
	return reply;
}

START_TEST(telemetry_and_zcstat_show_a_declared_group)
{
	static const char *const want[] = {
		"# HELP zcpipe_unittest_widgets_total Widgets the test counted.\n"
		"# TYPE zcpipe_unittest_widgets_total counter\n"
		"zcpipe_unittest_widgets_total 7.0\n",
		"# HELP zcpipe_unittest_widget_bytes_total Bytes of those widgets.\n"
		"# TYPE zcpipe_unittest_widget_bytes_total counter\n"
		"zcpipe_unittest_widget_bytes_total 1500.0\n",
		"# HELP zcpipe_unittest_level A level, summed over rows.\n"
		"# TYPE zcpipe_unittest_level gauge\n"
		"zcpipe_unittest_level 9.0\n",
	};
	static char text[65536];
	struct zc_config cfg;
	const char *r, *prefix;
	char cmd[PATH_MAX + 256];
	unsigned int i;
	FILE *p;

	/* A running zcpipe with no port and no pipeline. */
	zc_config_defaults(&cfg);
	zc_rt.cfg = &cfg;
	zc_telemetry_open();
	rows_fill();

	r = telemetry_query("/zcpipe/counters,unittest");
	ck_assert_msg(strstr(r, "\"groups\":{\"unittest\":\"Counters of the counter unit test.\"}") != NULL,
		      "%.3000s", r);
	ck_assert_msg(strstr(r, "\"unittest/widgets\":{\"group\":\"unittest\",\"name\":\"widgets\",\"kind\":\"counter\",\"unit\":\"packets\",\"help\":\"Widgets the test counted.\",\"value\":7}") != NULL,
		      "%.3000s", r);
	ck_assert_msg(strstr(r, "\"unittest/widget_bytes\":{\"group\":\"unittest\",\"name\":\"widget_bytes\",\"kind\":\"counter\",\"unit\":\"bytes\",\"help\":\"Bytes of those widgets.\",\"value\":1500}") != NULL,
		      "%.3000s", r);
	ck_assert_msg(strstr(r, "\"unittest/level\":{\"group\":\"unittest\",\"name\":\"level\",\"kind\":\"gauge\",\"unit\":\"entries\",\"help\":\"A level, summed over rows.\",\"value\":9}") != NULL,
		      "%.3000s", r);
	r = telemetry_query("/zcpipe/counters");
	ck_assert_msg(strstr(r, "\"unittest/level\":{") != NULL, "%.3000s", r);

	/* zcstat, on this process's file prefix. */
	prefix = strrchr(rte_eal_get_runtime_dir(), '/') + 1;
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 %s/scripts/zcstat -f %s --once --prometheus 2>&1",
		 ZC_SRC_DIR, prefix);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	i = fread(text, 1, sizeof(text) - 1, p);
	text[i] = '\0';
	ck_assert_msg(pclose(p) == 0, "%s failed:\n%.3000s", cmd, text);
	for (i = 0; i < RTE_DIM(want); i++)
		ck_assert_msg(strstr(text, want[i]) != NULL,
			      "zcstat lacks\n%s\nfrom its output on\n%.800s",
			      want[i], strstr(text, "unittest") != NULL ?
			      strstr(text, "unittest") : "(no unittest metric)");

	zc_telemetry_close();
	zc_rt.cfg = NULL;
	rows_reset();
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("counter");
	TCase *tc = tcase_create("descriptors");

	tcase_add_test(tc, group_is_registered_as_declared);
	tcase_add_test(tc, sums_over_rows);
	tcase_add_test(tc, registry_in_name_order);
	tcase_add_test(tc, bad_declarations_refused);
	tcase_add_test(tc, duplicate_registration_aborts);
	suite_add_tcase(s, tc);
	tc = tcase_create("outputs");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, groups_fit_the_summary);
	tcase_add_test(tc, summary_shows_a_declared_group);
	tcase_add_test(tc, telemetry_and_zcstat_show_a_declared_group);
	suite_add_tcase(s, tc);
	return s;
}
