/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * zcctl acl: replace the rule set of the classify stages, show it.
 *
 *   acl load FILE     build FILE's rules on the control thread, swap them
 *                     in (every classify instance takes them at its next
 *                     burst), free the old set after a grace period
 *   acl show          the rule set in force, each rule with its hits
 *   reload / SIGHUP   acl load of the file [acl] rules names
 *
 * A rule file with an error changes nothing; the error names FILE:LINE.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>

#include "acl/zc_acl.h"
#include "control/zc_control.h"
#include "core/zc_log.h"
#include "core/zc_rcu.h"

/* What acl load or reload built, not yet in force. */
struct acl_change {
	struct zc_acl *acl;
	double build_ms;
};

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void
acl_free_deferred(void *arg)
{
	zc_acl_free(arg);
}

static int
acl_prepare_path(struct zc_ctl_req *req, const char *path,
		 struct acl_change *ch)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ch->acl = zc_classify_prepare(path, req->err, sizeof(req->err));
	if (ch->acl == NULL)
		return -1;
	ch->build_ms = ms_since(&t0);
	return 0;
}

/* Swap it in, report, and free the old one after a grace period. */
static void
acl_commit(struct zc_ctl_req *req, struct acl_change *ch)
{
	struct zc_acl *old;
	uint32_t before;
	char from[300];

	old = zc_classify_commit(ch->acl);
	before = old != NULL ? old->nb_rules : 0;
	if (old != NULL && old->path[0] != '\0')
		snprintf(from, sizeof(from), " from %s", old->path);
	else
		from[0] = '\0';
	zc_json_strf(req->out, "changed",
		     "%u rule(s) from %s replace %u rule(s)%s",
		     ch->acl->nb_rules,
		     ch->acl->path[0] != '\0' ? ch->acl->path : "no file",
		     before, from);
	zc_json_str(req->out, "path", ch->acl->path);
	zc_json_u64(req->out, "rules", ch->acl->nb_rules);
	zc_json_u64(req->out, "previous_rules", before);
	zc_json_f3(req->out, "build_ms", ch->build_ms);
	ZC_LOG(INFO, "control: ACL: %u rule(s) from %s in force (built in %.1f ms), %u replaced",
	       ch->acl->nb_rules, ch->acl->path[0] != '\0' ? ch->acl->path :
	       "no file", ch->build_ms, before);
	if (old != NULL)
		zc_rcu_defer(acl_free_deferred, old);
}

static int
acl_load(struct zc_ctl_req *req, int argc, char **argv)
{
	struct acl_change ch;

	if (argc != 3)
		return zc_ctl_error(req, "usage: acl load FILE");
	if (argv[2][0] != '/')
		return zc_ctl_error(req, "acl load: FILE must be an absolute path, got '%.256s' (zcctl makes it one)",
				    argv[2]);
	if (acl_prepare_path(req, argv[2], &ch) < 0)
		return -1;
	acl_commit(req, &ch);
	return 0;
}

static void
ctr_obj(struct zc_json *j, const char *key, const struct zc_acl_ctr *c)
{
	zc_json_obj_open(j, key);
	zc_json_u64(j, "pkts", c->pkts);
	zc_json_u64(j, "bytes", c->bytes);
	zc_json_obj_close(j);
}

static int
acl_show(struct zc_ctl_req *req, int argc, char **argv)
{
	const struct zc_acl *acl = zc_acl_active();
	struct zc_acl_ctr no_match, bypass;
	unsigned int i;

	RTE_SET_USED(argv);
	if (argc != 2)
		return zc_ctl_error(req, "usage: acl show");
	if (acl == NULL || !zc_classify_running())
		return zc_ctl_error(req, "no classify stage runs: no ACL in this pipeline");
	zc_acl_other_stats_of(acl, &no_match, &bypass);
	zc_json_str(req->out, "path", acl->path);
	zc_json_str(req->out, "default",
		    zc_acl_action_name(acl->verdict[0].action));
	zc_json_u64(req->out, "nb_rules", acl->nb_rules);
	ctr_obj(req->out, "no_match", &no_match);
	ctr_obj(req->out, "not_ip", &bypass);
	zc_json_arr_open(req->out, "rules");
	for (i = 0; i < acl->nb_rules; i++) {
		struct zc_acl_rule_stats rs;

		if (zc_acl_rule_stats_of(acl, i, &rs) < 0)
			break;
		zc_json_obj_open(req->out, NULL);
		zc_json_u64(req->out, "id", rs.id);
		zc_json_u64(req->out, "line", rs.line);
		zc_json_u64(req->out, "priority", rs.priority);
		zc_json_str(req->out, "action", zc_acl_action_name(rs.action));
		zc_json_str(req->out, "rule", rs.text != NULL ? rs.text : "");
		zc_json_u64(req->out, "pkts", rs.pkts);
		zc_json_u64(req->out, "bytes", rs.bytes);
		zc_json_obj_close(req->out);
	}
	zc_json_arr_close(req->out);
	return 0;
}

static int
acl_cmd(struct zc_ctl_req *req, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return acl_load(req, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return acl_show(req, argc, argv);
	return zc_ctl_error(req, "usage: acl load FILE | acl show");
}

/* reload: the file the configuration names, if classify runs. */
static int
acl_reload_prepare(struct zc_ctl_req *req, void **state)
{
	static struct acl_change ch;

	*state = NULL;
	if (!zc_classify_running())
		return 0;
	if (acl_prepare_path(req, NULL, &ch) < 0)
		return -1;
	*state = &ch;
	return 0;
}

static void
acl_reload_commit(struct zc_ctl_req *req, void *state)
{
	zc_json_obj_open(req->out, "acl");
	if (state == NULL)
		zc_json_str(req->out, "changed", "nothing: no classify stage runs");
	else
		acl_commit(req, state);
	zc_json_obj_close(req->out);
}

static void
acl_reload_abort(void *state)
{
	struct acl_change *ch = state;

	if (ch != NULL)
		zc_acl_free(ch->acl);
}

static struct zc_ctl_cmd acl_ctl = {
	.name = "acl",
	.usage = "acl load FILE | acl show",
	.fn = acl_cmd,
	.prepare = acl_reload_prepare,
	.commit = acl_reload_commit,
	.abort = acl_reload_abort,
};

ZC_CTL_REGISTER(acl_ctl);
