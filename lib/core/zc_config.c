/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

#include <arpa/inet.h>
#include <net/if.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_string_fns.h>

#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_pcap.h"
#include "core/zc_stage.h"

/* Where a key (or section header, key == "") sits in the file. */
struct zc_config_line {
	char section[CFG_NAME_LEN];
	char key[CFG_NAME_LEN];
	unsigned int line;
};

struct zc_config_lines {
	unsigned int nb;
	unsigned int cap;
	struct zc_config_line l[];
};

static char config_errmsg[1024];

static STAILQ_HEAD(, zc_config_section) section_registry =
	STAILQ_HEAD_INITIALIZER(section_registry);

/* Order 0 (not given): after every numbered section. */
static unsigned int
section_order(const struct zc_config_section *s)
{
	return s->order != 0 ? s->order : UINT_MAX;
}

/* Kept in ascending order; equal orders in registration order. */
void
zc_config_section_register(struct zc_config_section *s)
{
	struct zc_config_section *o, *prev = NULL;

	STAILQ_FOREACH(o, &section_registry, next) {
		if (section_order(o) > section_order(s))
			break;
		prev = o;
	}
	if (prev == NULL)
		STAILQ_INSERT_HEAD(&section_registry, s, next);
	else
		STAILQ_INSERT_AFTER(&section_registry, prev, s, next);
}

const struct zc_config_section *
zc_config_section_next(const struct zc_config_section *s)
{
	return s == NULL ? STAILQ_FIRST(&section_registry) :
	       STAILQ_NEXT(s, next);
}

const char *
zc_config_strerror(void)
{
	return config_errmsg;
}

static const char *const mode_names[] = {
	[ZC_MODE_XCONNECT] = "l2-xconnect",
	[ZC_MODE_ROUTER] = "router",
	[ZC_MODE_FILTER] = "filter",
	NULL
};

const char *
zc_mode_name(enum zc_mode mode)
{
	if ((unsigned int)mode >= RTE_DIM(mode_names) - 1)
		return "unknown";
	return mode_names[mode];
}

static unsigned int
config_line_of(const struct zc_config *cfg, const char *section,
	       const char *key)
{
	const struct zc_config_lines *ls = cfg->lines;
	unsigned int i;

	if (ls == NULL || section == NULL)
		return 0;
	for (i = 0; i < ls->nb; i++) {
		if (strcmp(ls->l[i].section, section) != 0)
			continue;
		if (strcmp(ls->l[i].key, key != NULL ? key : "") == 0)
			return ls->l[i].line;
	}
	/* A key that is absent: point at its section. */
	if (key != NULL)
		return config_line_of(cfg, section, NULL);
	return 0;
}

int
zc_config_error(const struct zc_config *cfg, const char *section,
		const char *key, const char *fmt, ...)
{
	unsigned int line = config_line_of(cfg, section, key);
	char where[512];
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (line != 0)
		snprintf(where, sizeof(where), "%s:%u: ", cfg->path, line);
	else
		snprintf(where, sizeof(where), "%s: ", cfg->path);
	if (section != NULL && key != NULL)
		snprintf(config_errmsg, sizeof(config_errmsg), "%s[%s] %s: %s",
			 where, section, key, msg);
	else if (section != NULL)
		snprintf(config_errmsg, sizeof(config_errmsg), "%s[%s]: %s",
			 where, section, msg);
	else
		snprintf(config_errmsg, sizeof(config_errmsg), "%s%s", where,
			 msg);
	return -1;
}

void
zc_config_defaults(struct zc_config *cfg)
{
	struct zc_config_section *s;

	STAILQ_FOREACH(s, &section_registry, next)
		if (s->reset != NULL)
			s->reset();

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = ZC_MODE_XCONNECT;
	cfg->burst = 32;
	cfg->ring_size = 1024;
	cfg->pool_cache = 256;
	cfg->mbuf_size = RTE_MBUF_DEFAULT_BUF_SIZE;
	cfg->replay_timeout = 10;
	strlcpy(cfg->drivers_config, "drivers-config",
		sizeof(cfg->drivers_config));
}

char *
zc_str_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
lines_add(struct zc_config *cfg, const char *section, const char *key,
	  unsigned int line)
{
	struct zc_config_lines *ls = cfg->lines;

	if (ls == NULL || ls->nb == ls->cap) {
		unsigned int cap = ls == NULL ? 64 : ls->cap * 2;
		struct zc_config_lines *n;

		n = realloc(ls, sizeof(*ls) + cap * sizeof(ls->l[0]));
		if (n == NULL)
			return -1;
		if (ls == NULL)
			n->nb = 0;
		n->cap = cap;
		cfg->lines = ls = n;
	}
	strlcpy(ls->l[ls->nb].section, section, CFG_NAME_LEN);
	strlcpy(ls->l[ls->nb].key, key, CFG_NAME_LEN);
	ls->l[ls->nb].line = line;
	ls->nb++;
	return 0;
}

/* Longest line rte_cfgfile_load() reads (its buffer, less "\n\0"). */
#define ZC_CFG_LINE_MAX (CFG_NAME_LEN + CFG_VALUE_LEN + 2)

/*
 * Read the file once ourselves before rte_cfgfile does: rte_cfgfile only
 * logs syntax errors, refuses a whole file for one empty value or long
 * line without saying which, silently truncates long values and keeps
 * duplicate keys. This pass gives each of those a message with its line
 * number, and records where every key is for later messages.
 */
static int
config_prescan(struct zc_config *cfg)
{
	char section[CFG_NAME_LEN] = "";
	char buf[1024];
	unsigned int lineno = 0;
	FILE *f;

	f = zc_open_file(cfg->path, buf, sizeof(buf));
	if (f == NULL)
		return zc_config_error(cfg, NULL, NULL, "%s", buf);

	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s, *eq, *key, *val, *semi;
		size_t len = strlen(buf);

		lineno++;
		if (len > 0 && buf[len - 1] == '\n')
			len--;
		/* rte_cfgfile reads lines of up to this many characters. */
		if (len > ZC_CFG_LINE_MAX ||
		    (strchr(buf, '\n') == NULL && !feof(f))) {
			fclose(f);
			snprintf(config_errmsg, sizeof(config_errmsg),
				 "%s:%u: line longer than %d characters",
				 cfg->path, lineno, ZC_CFG_LINE_MAX);
			return -1;
		}
		semi = strchr(buf, ';');
		if (semi != NULL)
			*semi = '\0';
		s = zc_str_trim(buf);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (end == NULL || end[1] != '\0') {
				fclose(f);
				snprintf(config_errmsg, sizeof(config_errmsg),
					 "%s:%u: expected '[section]', got '%s'",
					 cfg->path, lineno, s);
				return -1;
			}
			*end = '\0';
			s = zc_str_trim(s + 1);
			if (*s == '\0' || strlen(s) >= CFG_NAME_LEN) {
				fclose(f);
				snprintf(config_errmsg, sizeof(config_errmsg),
					 "%s:%u: section name empty or longer than %d characters",
					 cfg->path, lineno, CFG_NAME_LEN - 1);
				return -1;
			}
			if (config_line_of(cfg, s, NULL) != 0) {
				fclose(f);
				snprintf(config_errmsg, sizeof(config_errmsg),
					 "%s:%u: section [%s] appears twice (first at line %u)",
					 cfg->path, lineno, s,
					 config_line_of(cfg, s, NULL));
				return -1;
			}
			strlcpy(section, s, sizeof(section));
			if (lines_add(cfg, section, "", lineno) < 0)
				goto nomem;
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			fclose(f);
			snprintf(config_errmsg, sizeof(config_errmsg),
				 "%s:%u: expected 'key = value' or '[section]', got '%s'",
				 cfg->path, lineno, s);
			return -1;
		}
		*eq = '\0';
		key = zc_str_trim(s);
		val = zc_str_trim(eq + 1);
		if (section[0] == '\0') {
			fclose(f);
			snprintf(config_errmsg, sizeof(config_errmsg),
				 "%s:%u: key '%s' comes before any [section]",
				 cfg->path, lineno, key);
			return -1;
		}
		if (*key == '\0' || strlen(key) >= CFG_NAME_LEN) {
			fclose(f);
			snprintf(config_errmsg, sizeof(config_errmsg),
				 "%s:%u: [%s] key empty or longer than %d characters",
				 cfg->path, lineno, section, CFG_NAME_LEN - 1);
			return -1;
		}
		if (*val == '\0') {
			/* rte_cfgfile refuses the whole file for this. */
			fclose(f);
			snprintf(config_errmsg, sizeof(config_errmsg),
				 "%s:%u: [%s] %s: no value after '='",
				 cfg->path, lineno, section, key);
			return -1;
		}
		if (strlen(val) >= CFG_VALUE_LEN) {
			fclose(f);
			snprintf(config_errmsg, sizeof(config_errmsg),
				 "%s:%u: [%s] %s: value longer than %d characters",
				 cfg->path, lineno, section, key,
				 CFG_VALUE_LEN - 1);
			return -1;
		}
		if (strcmp(key, "") != 0) {
			struct zc_config_lines *ls = cfg->lines;
			unsigned int i;

			for (i = 0; ls != NULL && i < ls->nb; i++) {
				if (strcmp(ls->l[i].section, section) == 0 &&
				    strcmp(ls->l[i].key, key) == 0) {
					fclose(f);
					snprintf(config_errmsg,
						 sizeof(config_errmsg),
						 "%s:%u: [%s] %s: key given twice (first at line %u)",
						 cfg->path, lineno, section,
						 key, ls->l[i].line);
					return -1;
				}
			}
		}
		if (lines_add(cfg, section, key, lineno) < 0)
			goto nomem;
	}
	fclose(f);
	return 0;

nomem:
	fclose(f);
	return zc_config_error(cfg, NULL, NULL, "out of memory");
}

struct rte_cfgfile *
zc_config_open(struct zc_config *cfg)
{
	struct rte_cfgfile *f;

	if (config_prescan(cfg) < 0)
		return NULL;
	f = rte_cfgfile_load(cfg->path, 0);
	if (f == NULL)	/* The prescan should have said why. */
		zc_config_error(cfg, NULL, NULL,
				"cannot be read as an INI file");
	return f;
}

int
zc_config_check_keys(const struct zc_config *cfg, struct rte_cfgfile *f,
		     const char *section, const char *const *known)
{
	int n = rte_cfgfile_section_num_entries(f, section);
	struct rte_cfgfile_entry *e;
	int i, j;

	if (n <= 0)
		return 0;
	e = calloc(n, sizeof(*e));
	if (e == NULL)
		return zc_config_error(cfg, section, NULL, "out of memory");
	n = rte_cfgfile_section_entries(f, section, e, n);
	for (i = 0; i < n; i++) {
		for (j = 0; known[j] != NULL; j++)
			if (strcmp(e[i].name, known[j]) == 0)
				break;
		if (known[j] == NULL) {
			char list[512] = "";

			for (j = 0; known[j] != NULL; j++) {
				strlcat(list, j ? ", " : "", sizeof(list));
				strlcat(list, known[j], sizeof(list));
			}
			zc_config_error(cfg, section, e[i].name,
					"unknown key (this section takes: %s)",
					list);
			free(e);
			return -1;
		}
	}
	free(e);
	return 0;
}

/* ---- shared value parsers ------------------------------------------------ */

int
zc_parse_uint_ext(const char *s, uint64_t min, uint64_t max,
		  unsigned int flags, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = s;

	if (s == NULL)
		return -1;
	if ((flags & ZC_UINT_HEX) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		p = s + 2;
	} else if (s[0] == '0' && s[1] != '\0' && !(flags & ZC_UINT_ZEROS)) {
		/* A leading zero, which C would read as octal (010 is 8)
		 * and a reader as ten.
		 */
		return -1;
	}
	/* Digits only: no sign, no blank, nothing after. */
	if (*p == '\0')
		return -1;
	for (; *p != '\0'; p++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = (unsigned int)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (unsigned int)(tolower((unsigned char)*p) - 'a') +
			    10;
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
zc_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	return zc_parse_uint_ext(s, min, max, 0, out);
}

const char *
zc_uint_hint(const char *s)
{
	if (s != NULL && s[0] == '0' && s[1] != '\0')
		return " (integers are decimal, without leading zeros or 0x)";
	return "";
}

int
zc_parse_bool(const char *v, uint8_t *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	unsigned int i;

	for (i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int
zc_parse_mac(const char *s, struct rte_ether_addr *mac)
{
	if (strlen(s) != 17)
		return -1;
	return rte_ether_unformat_addr(s, mac) == 0 ? 0 : -1;
}

int
zc_parse_unicast_mac(const char *s, struct rte_ether_addr *mac)
{
	if (zc_parse_mac(s, mac) < 0 || !rte_is_unicast_ether_addr(mac) ||
	    rte_is_zero_ether_addr(mac))
		return -1;
	return 0;
}

int
zc_check_path(const char *path, bool dir, char *err, size_t len)
{
	struct stat st;

	if (path[0] == '\0') {
		snprintf(err, len, "expected a %s name", dir ? "folder" : "file");
		return -1;
	}
	if (stat(path, &st) != 0) {
		snprintf(err, len, "'%s': %s", path, strerror(errno));
		return -1;
	}
	if (dir && !S_ISDIR(st.st_mode)) {
		snprintf(err, len, "'%s' is not a folder", path);
		return -1;
	}
	if (!dir && S_ISDIR(st.st_mode)) {
		snprintf(err, len, "'%s' is a folder, not a file", path);
		return -1;
	}
	if (!dir && !S_ISREG(st.st_mode)) {
		snprintf(err, len, "'%s' is not a regular file", path);
		return -1;
	}
	if (access(path, dir ? R_OK | X_OK : R_OK) != 0) {
		snprintf(err, len, "'%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

FILE *
zc_open_file(const char *path, char *err, size_t len)
{
	struct stat st;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, len, "cannot open: %s", strerror(errno));
		return NULL;
	}
	/* A folder opens, then reads as an empty file: refuse it. */
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s", S_ISDIR(st.st_mode) ?
			 "is a folder, not a file" : "is not a regular file");
		fclose(f);
		return NULL;
	}
	return f;
}

int
zc_read_uint_file(const char *path, unsigned int flags, uint64_t *out)
{
	char buf[64], err[128];
	FILE *f = zc_open_file(path, err, sizeof(err));
	int ret = -1;

	if (f == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL)
		ret = zc_parse_uint_ext(zc_str_trim(buf), 0, UINT64_MAX, flags,
					out);
	fclose(f);
	return ret;
}

int
zc_config_get_uint(const struct zc_config *cfg, struct rte_cfgfile *f,
		   const char *section, const char *key, uint64_t min,
		   uint64_t max, uint64_t *out)
{
	const char *v = rte_cfgfile_get_entry(f, section, key);

	if (v == NULL)
		return 0;
	if (zc_parse_uint(v, min, max, out) < 0)
		return zc_config_error(cfg, section, key,
				       "expected an integer from %" PRIu64
				       " to %" PRIu64 ", got '%s'%s",
				       min, max, v, zc_uint_hint(v));
	return 0;
}

int
zc_config_get_bool(const struct zc_config *cfg, struct rte_cfgfile *f,
		   const char *section, const char *key, uint8_t *out)
{
	const char *v = rte_cfgfile_get_entry(f, section, key);

	if (v == NULL)
		return 0;
	if (zc_parse_bool(v, out) < 0)
		return zc_config_error(cfg, section, key,
				       "expected yes or no, got '%s'", v);
	return 0;
}

int
zc_config_get_choice(const struct zc_config *cfg, struct rte_cfgfile *f,
		     const char *section, const char *key,
		     const char *const *words, unsigned int *out,
		     uint8_t *has)
{
	const char *v = rte_cfgfile_get_entry(f, section, key);
	char list[256] = "";
	unsigned int i;

	if (v == NULL)
		return 0;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			if (has != NULL)
				*has = 1;
			return 0;
		}
	/* "a or b", "a, b or c" */
	for (i = 0; words[i] != NULL; i++) {
		if (i > 0)
			strlcat(list, words[i + 1] == NULL ? " or " : ", ",
				sizeof(list));
		strlcat(list, words[i], sizeof(list));
	}
	return zc_config_error(cfg, section, key, "expected %s, got '%s'",
			       list, v);
}

int
zc_config_get_mac(const struct zc_config *cfg, struct rte_cfgfile *f,
		  const char *section, const char *key,
		  struct rte_ether_addr *mac, uint8_t *has)
{
	const char *v = rte_cfgfile_get_entry(f, section, key);

	if (v == NULL)
		return 0;
	if (zc_parse_unicast_mac(v, mac) < 0) {
		const char *what = "";

		if (zc_parse_mac(v, mac) == 0)
			what = rte_is_broadcast_ether_addr(mac) ?
			       ", the broadcast address" :
			       rte_is_zero_ether_addr(mac) ?
			       ", the all-zero address" : ", a multicast address";
		return zc_config_error(cfg, section, key,
				       "expected a unicast MAC address such as 02:00:00:00:00:01, got '%s'%s",
				       v, what);
	}
	if (has != NULL)
		*has = 1;
	return 0;
}

int
zc_config_get_path(const struct zc_config *cfg, struct rte_cfgfile *f,
		   const char *section, const char *key, bool dir, char *out,
		   size_t len)
{
	const char *v = rte_cfgfile_get_entry(f, section, key);
	char err[PATH_MAX + 64];

	if (v == NULL)
		return 0;
	if (strlen(v) >= len)
		return zc_config_error(cfg, section, key, "path too long");
	if (zc_check_path(v, dir, err, sizeof(err)) < 0)
		return zc_config_error(cfg, section, key, "%s", err);
	strlcpy(out, v, len);
	return 0;
}

int
zc_parse_ipv4_prefix(const char *s, uint32_t *addr, uint8_t *len)
{
	char buf[64];
	char *slash;
	uint64_t l = 32;
	struct in_addr a;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (zc_parse_uint(slash + 1, 0, 32, &l) < 0)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*addr = a.s_addr;
	*len = (uint8_t)l;
	return 0;
}

int
zc_parse_ipv6_prefix(const char *s, uint8_t addr[16], uint8_t *len)
{
	char buf[96];
	char *slash;
	uint64_t l = 128;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (zc_parse_uint(slash + 1, 0, 128, &l) < 0)
			return -1;
	}
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return -1;
	*len = (uint8_t)l;
	return 0;
}

int
zc_parse_ip_prefix(const char *s, uint8_t *family, uint8_t addr[16],
		   uint8_t *len)
{
	uint32_t a4;

	memset(addr, 0, 16);
	if (strchr(s, ':') != NULL) {
		*family = AF_INET6;
		return zc_parse_ipv6_prefix(s, addr, len);
	}
	*family = AF_INET;
	if (zc_parse_ipv4_prefix(s, &a4, len) < 0)
		return -1;
	memcpy(addr, &a4, 4);
	return 0;
}

/* The integer getters of the narrower types. */
#define ZC_CONFIG_GET_UINT(bits) \
int \
zc_config_get_u##bits(const struct zc_config *cfg, struct rte_cfgfile *f, \
		      const char *section, const char *key, uint64_t min, \
		      uint64_t max, uint##bits##_t *out) \
{ \
	uint64_t v = *out; \
\
	if (zc_config_get_uint(cfg, f, section, key, min, \
			       RTE_MIN(max, (uint64_t)UINT##bits##_MAX), \
			       &v) < 0) \
		return -1; \
	*out = (uint##bits##_t)v; \
	return 0; \
}

ZC_CONFIG_GET_UINT(8)
ZC_CONFIG_GET_UINT(16)
ZC_CONFIG_GET_UINT(32)

static int
parse_general(struct zc_config *cfg, struct rte_cfgfile *f)
{
	static const char *const keys[] = {
		"mode", "burst", "ring_size", "pool_size", "pool_cache",
		"mbuf_size", "stats_period", "replay_timeout",
		"drivers_config", NULL
	};
	const char *sec = "general";
	unsigned int mode = cfg->mode;

	if (!rte_cfgfile_has_section(f, sec))
		return 0;
	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_choice(cfg, f, sec, "mode", mode_names, &mode,
				 NULL) < 0)
		return -1;
	cfg->mode = mode;
	if (zc_config_get_u16(cfg, f, sec, "burst", 1, ZC_BURST_MAX,
			      &cfg->burst) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "ring_size", 64, 65536,
			      &cfg->ring_size) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "pool_size", 0, 16u << 20,
			      &cfg->pool_size) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "pool_cache", 0,
			      RTE_MEMPOOL_CACHE_MAX_SIZE, &cfg->pool_cache) < 0 ||
	    zc_config_get_u16(cfg, f, sec, "mbuf_size", 1024, UINT16_MAX,
			      &cfg->mbuf_size) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "stats_period", 0, 3600,
			      &cfg->stats_period) < 0 ||
	    zc_config_get_u32(cfg, f, sec, "replay_timeout", 1, 3600,
			      &cfg->replay_timeout) < 0 ||
	    zc_config_get_path(cfg, f, sec, "drivers_config", true,
			       cfg->drivers_config,
			       sizeof(cfg->drivers_config)) < 0)
		return -1;
	if (!rte_is_power_of_2(cfg->ring_size))
		return zc_config_error(cfg, sec, "ring_size",
				       "expected a power of two, got %u",
				       cfg->ring_size);
	if (cfg->mbuf_size <= RTE_PKTMBUF_HEADROOM + RTE_ETHER_MIN_LEN)
		return zc_config_error(cfg, sec, "mbuf_size",
				       "must exceed the %u-byte headroom plus a minimum frame",
				       RTE_PKTMBUF_HEADROOM);
	return 0;
}

/* "name[,args]" devargs, or a PCI address: take out the driver family. */
static void
dev_driver(const char *dev, char *out, size_t len)
{
	size_t n = strcspn(dev, ",");
	unsigned int i;

	if (n >= len)
		n = len - 1;
	memcpy(out, dev, n);
	out[n] = '\0';
	if (strncmp(out, "net_", 4) == 0 || strncmp(out, "eth_", 4) == 0) {
		/* DPDK finds a vdev's driver by name prefix ("net_pcap_a0"
		 * is a net_pcap): do the same for the families we know.
		 */
		static const char *const vdevs[] = {
			"pcap", "null", "ring", "af_packet", "af_xdp", "tap",
			"memif", "vhost", "virtio_user", "bonding",
		};

		for (i = 0; i < RTE_DIM(vdevs); i++)
			if (strncmp(out + 4, vdevs[i], strlen(vdevs[i])) == 0) {
				snprintf(out, len, "net_%s", vdevs[i]);
				return;
			}
		/* Instance number off the end: net_foo0 -> net_foo. */
		while (n > 0 && isdigit((unsigned char)out[n - 1]))
			out[--n] = '\0';
		if (strncmp(out, "eth_", 4) == 0)
			memcpy(out, "net_", 4);
		return;
	}
	for (i = 0; out[i] != '\0'; i++)
		if (!isxdigit((unsigned char)out[i]) && out[i] != ':' &&
		    out[i] != '.')
			break;
	if (out[i] == '\0')
		strlcpy(out, "pci", len);
}

/* Every rx_pcap=FILE of a net_pcap device, checked now so that a bad
 * capture is reported with its config line instead of a PMD probe failure.
 */
static int
port_collect_pcaps(struct zc_config *cfg, struct zc_port_conf *pc,
		   const char *sec)
{
	const char *p = pc->dev;
	char err[256];

	while ((p = strstr(p, "rx_pcap=")) != NULL) {
		size_t n;

		if (p != pc->dev && p[-1] != ',') {
			p++;
			continue;
		}
		p += strlen("rx_pcap=");
		n = strcspn(p, ",");
		if (pc->nb_pcaps == ZC_PCAP_MAX)
			return zc_config_error(cfg, sec, "dev",
					       "more than %d rx_pcap files",
					       ZC_PCAP_MAX);
		if (n == 0 || n >= ZC_DEV_LEN)
			return zc_config_error(cfg, sec, "dev",
					       "rx_pcap needs a file name");
		memcpy(pc->pcap[pc->nb_pcaps], p, n);
		pc->pcap[pc->nb_pcaps][n] = '\0';
		if (zc_pcap_check(pc->pcap[pc->nb_pcaps], NULL, err,
				  sizeof(err)) < 0)
			return zc_config_error(cfg, sec, "dev", "%s", err);
		pc->nb_pcaps++;
		p += n;
	}
	return 0;
}

bool zc_config_ifaces_elsewhere;

/*
 * Drivers that attach to an existing kernel interface fail to probe with a
 * misleading errno when it does not exist (net_af_packet says "Operation
 * not permitted"): check the names now. net_tap is not among them: it
 * creates its interface. With zc_config_ifaces_elsewhere (zcpipe --check,
 * which may check a configuration for another machine) only the syntax.
 */
static int
port_check_ifaces(struct zc_config *cfg, const struct zc_port_conf *pc,
		  const char *sec)
{
	static const char *const keys[] = {
		"iface=", "rx_iface=", "rx_iface_in=", "tx_iface=",
	};
	const char *p;
	unsigned int k;

	if (strcmp(pc->driver, "net_af_packet") != 0 &&
	    strcmp(pc->driver, "net_af_xdp") != 0 &&
	    strcmp(pc->driver, "net_pcap") != 0)
		return 0;
	for (p = strchr(pc->dev, ','); p != NULL; p = strchr(p, ',')) {
		char name[IF_NAMESIZE + 1];
		size_t n;

		p++;
		for (k = 0; k < RTE_DIM(keys); k++)
			if (strncmp(p, keys[k], strlen(keys[k])) == 0)
				break;
		if (k == RTE_DIM(keys))
			continue;
		p += strlen(keys[k]);
		n = strcspn(p, ",");
		if (n == 0 || n >= sizeof(name) - 1)
			return zc_config_error(cfg, sec, "dev",
					       "%.*s needs an interface name of 1 to %d characters",
					       (int)strlen(keys[k]) - 1, keys[k],
					       IF_NAMESIZE - 1);
		memcpy(name, p, n);
		name[n] = '\0';
		if (!zc_config_ifaces_elsewhere && if_nametoindex(name) == 0)
			return zc_config_error(cfg, sec, "dev",
					       "interface %s does not exist%s",
					       name, errno == ENODEV ? "" :
					       " or cannot be looked up");
	}
	return 0;
}

static int
parse_port(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec,
	   unsigned int idx)
{
	static const char *const keys[] = {
		"dev", "rx_queues", "tx_queues", "rx_desc", "tx_desc", "mtu",
		"promisc", "rss", "mac", "ipv4", "ipv6", "kernel_offloads",
		"kernel_iface", NULL
	};
	static const char *const offloads[] = { "fix", "keep", NULL };
	struct zc_port_conf *pc = &cfg->port[idx];
	unsigned int offl;
	const char *v;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "dev");
	if (v == NULL || *v == '\0')
		return zc_config_error(cfg, sec, "dev",
				       "missing: every port needs a PCI address or a vdev devargs string");
	strlcpy(pc->dev, v, sizeof(pc->dev));
	dev_driver(pc->dev, pc->driver, sizeof(pc->driver));
	if (port_check_ifaces(cfg, pc, sec) < 0)
		return -1;

	pc->rx_queues = 1;
	pc->tx_queues = 0;
	pc->promisc = 1;
	if (zc_config_get_u16(cfg, f, sec, "rx_queues", 1, 64,
			      &pc->rx_queues) < 0 ||
	    zc_config_get_u16(cfg, f, sec, "tx_queues", 0, 64,
			      &pc->tx_queues) < 0 ||
	    zc_config_get_u16(cfg, f, sec, "rx_desc", 0, 32768,
			      &pc->rx_desc) < 0 ||
	    zc_config_get_u16(cfg, f, sec, "tx_desc", 0, 32768,
			      &pc->tx_desc) < 0 ||
	    zc_config_get_u16(cfg, f, sec, "mtu", 68, 16000, &pc->mtu) < 0 ||
	    zc_config_get_bool(cfg, f, sec, "promisc", &pc->promisc) < 0 ||
	    zc_config_get_bool(cfg, f, sec, "rss", &pc->rss) < 0)
		return -1;

	if (zc_config_get_mac(cfg, f, sec, "mac", &pc->mac, &pc->has_mac) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "ipv4");
	if (v != NULL) {
		if (zc_parse_ipv4_prefix(v, &pc->ipv4, &pc->ipv4_len) < 0)
			return zc_config_error(cfg, sec, "ipv4",
					       "expected an IPv4 address/prefix like 10.0.1.1/24, got '%s'",
					       v);
		pc->has_ipv4 = 1;
	}
	v = rte_cfgfile_get_entry(f, sec, "ipv6");
	if (v != NULL) {
		if (zc_parse_ipv6_prefix(v, pc->ipv6, &pc->ipv6_len) < 0)
			return zc_config_error(cfg, sec, "ipv6",
					       "expected an IPv6 address/prefix like 2001:db8:1::1/64, got '%s'",
					       v);
		pc->has_ipv6 = 1;
	}
	offl = pc->kernel_offloads_keep;
	if (zc_config_get_choice(cfg, f, sec, "kernel_offloads", offloads,
				 &offl, NULL) < 0)
		return -1;
	pc->kernel_offloads_keep = offl == 1;
	v = rte_cfgfile_get_entry(f, sec, "kernel_iface");
	if (v != NULL) {
		if (*v == '\0' || strlen(v) >= sizeof(pc->kernel_iface))
			return zc_config_error(cfg, sec, "kernel_iface",
					       "expected an interface name of 1 to %d characters",
					       IF_NAMESIZE - 1);
		if (!zc_config_ifaces_elsewhere && if_nametoindex(v) == 0)
			return zc_config_error(cfg, sec, "kernel_iface",
					       "interface %s does not exist", v);
		strlcpy(pc->kernel_iface, v, sizeof(pc->kernel_iface));
	}
	if (strcmp(pc->driver, "net_pcap") == 0)
		return port_collect_pcaps(cfg, pc, sec);
	return 0;
}

int
zc_parse_port_ref(const struct zc_config *cfg, const char *s, uint16_t *port)
{
	uint64_t v;

	if (cfg->nb_ports == 0 ||
	    zc_parse_uint(s, 0, cfg->nb_ports - 1u, &v) < 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* The first registered stage with flag (rx as a source, tx as a sink),
 * for the errors' examples.
 */
static const char *
stage_with_flag(unsigned int flag)
{
	const struct zc_stage_ops *ops;

	for (ops = zc_stage_next(NULL); ops != NULL; ops = zc_stage_next(ops))
		if (ops->flags & flag)
			return ops->name;
	return "?";
}

/*
 * The default chain of a mode: every registered stage whose default_modes
 * has the mode, by rank (equal ranks in registration order).
 */
static void
default_chain(enum zc_mode mode, char *buf, size_t len)
{
	const struct zc_stage_ops *ops, *chain[ZC_STAGES_MAX + 1];
	unsigned int n = 0, i;

	for (ops = zc_stage_next(NULL); ops != NULL;
	     ops = zc_stage_next(ops)) {
		if (!(ops->default_modes & ZC_MODE_BIT(mode)))
			continue;
		if (n == RTE_DIM(chain))
			break; /* parse_chain() says "more than N stages" */
		for (i = n; i > 0 && chain[i - 1]->rank > ops->rank; i--)
			chain[i] = chain[i - 1];
		chain[i] = ops;
		n++;
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		strlcat(buf, i > 0 ? " " : "", len);
		strlcat(buf, chain[i]->name, len);
	}
}

/* "router", "l2-xconnect or filter" */
static void
modes_text(uint32_t modes, char *buf, size_t len)
{
	unsigned int m, n = 0, left = 0;

	for (m = 0; mode_names[m] != NULL; m++)
		left += !!(modes & ZC_MODE_BIT(m));
	buf[0] = '\0';
	for (m = 0; mode_names[m] != NULL; m++) {
		if (!(modes & ZC_MODE_BIT(m)))
			continue;
		if (n > 0)
			strlcat(buf, n + 1 == left ? " or " : ", ", len);
		strlcat(buf, mode_names[m], len);
		n++;
	}
}

/* Whether stage s of a chain may run there: mode, and what it reads. */
static int
check_stage_at(const struct zc_config *cfg, unsigned int pipeline_id,
	       unsigned int s)
{
	const struct zc_pipeline_conf *pl = &cfg->pipeline[pipeline_id];
	const struct zc_stage_ops *ops = zc_stage_find(pl->stage[s]);
	const struct zc_stage_ops *o, *best = NULL;
	uint32_t have = 0, missing;
	char sec[CFG_NAME_LEN], what[128];
	unsigned int i;

	if (ops == NULL)
		return 0; /* parse_chain() refused it already */
	snprintf(sec, sizeof(sec), "pipeline.%u", pipeline_id);
	if (ops->modes != 0 && !(ops->modes & ZC_MODE_BIT(cfg->mode))) {
		modes_text(ops->modes, what, sizeof(what));
		return zc_config_error(cfg, sec, "stages",
				       "the %s stage needs mode %s; mode is %s",
				       ops->name, what,
				       zc_mode_name(cfg->mode));
	}
	for (i = 0; i < s; i++) {
		o = zc_stage_find(pl->stage[i]);
		if (o != NULL)
			have |= o->writes;
	}
	missing = ops->reads & ~have;
	if (missing == 0)
		return 0;
	/* Name the stage that would provide it, if one does it alone. */
	for (o = zc_stage_next(NULL); o != NULL; o = zc_stage_next(o))
		if (o != ops && (o->writes & missing) == missing &&
		    (o->modes == 0 || (o->modes & ZC_MODE_BIT(cfg->mode))) &&
		    (best == NULL || o->rank < best->rank))
			best = o;
	if (best != NULL)
		return zc_config_error(cfg, sec, "stages",
				       "%s needs the %s stage before it in the chain",
				       ops->name, best->name);
	return zc_config_error(cfg, sec, "stages",
			       "%s reads %s metadata, which no stage before it in the chain writes",
			       ops->name,
			       zc_md_format(missing, what, sizeof(what)));
}

int
zc_config_check_stage(const struct zc_config *cfg, unsigned int pipeline_id,
		      const struct zc_stage_ops *ops)
{
	const struct zc_pipeline_conf *pl;
	unsigned int s;

	if (pipeline_id >= cfg->nb_pipelines)
		return 0;
	pl = &cfg->pipeline[pipeline_id];
	for (s = 0; s < pl->nb_stages; s++)
		if (zc_stage_find(pl->stage[s]) == ops &&
		    check_stage_at(cfg, pipeline_id, s) < 0)
			return -1;
	return 0;
}

/* Stages around the first instance of ops in a chain: before (dir < 0)
 * or after it.
 */
static uint32_t
chain_side(const struct zc_config *cfg, unsigned int pipeline_id,
	   const struct zc_stage_ops *ops, int dir, bool written)
{
	const struct zc_pipeline_conf *pl;
	uint32_t mask = 0;
	unsigned int s;
	int at = -1;

	if (pipeline_id >= cfg->nb_pipelines)
		return 0;
	pl = &cfg->pipeline[pipeline_id];
	for (s = 0; s < pl->nb_stages && at < 0; s++)
		if (zc_stage_find(pl->stage[s]) == ops)
			at = (int)s;
	if (at < 0)
		return 0;
	for (s = 0; s < pl->nb_stages; s++) {
		const struct zc_stage_ops *o = zc_stage_find(pl->stage[s]);

		if (o == NULL || (dir < 0 ? (int)s >= at : (int)s <= at))
			continue;
		mask |= written ? o->writes : o->reads | o->may_read;
	}
	return mask;
}

uint32_t
zc_config_written_before(const struct zc_config *cfg,
			 unsigned int pipeline_id,
			 const struct zc_stage_ops *ops)
{
	return chain_side(cfg, pipeline_id, ops, -1, true);
}

uint32_t
zc_config_read_after(const struct zc_config *cfg, unsigned int pipeline_id,
		     const struct zc_stage_ops *ops)
{
	return chain_side(cfg, pipeline_id, ops, 1, false);
}

uint32_t
zc_config_chains_read(const struct zc_config *cfg,
		      const struct zc_stage_ops **who,
		      unsigned int *pipeline_id, uint32_t mask)
{
	uint32_t all = 0;
	unsigned int i, s;

	for (i = 0; i < cfg->nb_pipelines; i++)
		for (s = 0; s < cfg->pipeline[i].nb_stages; s++) {
			const struct zc_stage_ops *o =
				zc_stage_find(cfg->pipeline[i].stage[s]);
			uint32_t r;

			if (o == NULL)
				continue;
			r = o->reads | o->may_read;
			if ((r & mask) != 0 && (all & mask) == 0) {
				if (who != NULL)
					*who = o;
				if (pipeline_id != NULL)
					*pipeline_id = i;
			}
			all |= r;
		}
	return all & mask;
}

static int
parse_chain(struct zc_config *cfg, const char *sec, const char *v,
	    struct zc_pipeline_conf *pl)
{
	char buf[CFG_VALUE_LEN];
	char *p = buf;
	unsigned int i;

	strlcpy(buf, v, sizeof(buf));
	pl->nb_stages = 0;
	pl->nb_groups = 1;
	while (*p != '\0') {
		const struct zc_stage_ops *ops;
		size_t n;

		p += strspn(p, " \t,");
		if (*p == '\0')
			break;
		if (*p == '|') {
			/* The group this '|' closes must hold a stage: an
			 * empty group would give a worker nothing to run.
			 */
			if (pl->nb_stages == 0 ||
			    pl->group[pl->nb_stages - 1] != pl->nb_groups - 1)
				return zc_config_error(cfg, sec, "stages",
						       "'|' must separate two groups of stages: '%s' has an empty group",
						       v);
			pl->nb_groups++;
			p++;
			continue;
		}
		n = strcspn(p, " \t,|");
		if (pl->nb_stages == ZC_STAGES_MAX)
			return zc_config_error(cfg, sec, "stages",
					       "more than %d stages",
					       ZC_STAGES_MAX);
		if (n >= ZC_STAGE_NAME_LEN)
			n = ZC_STAGE_NAME_LEN - 1;
		memcpy(pl->stage[pl->nb_stages], p, n);
		pl->stage[pl->nb_stages][n] = '\0';
		p += n;
		ops = zc_stage_find(pl->stage[pl->nb_stages]);
		if (ops == NULL) {
			char list[256] = "";

			for (ops = zc_stage_next(NULL); ops != NULL;
			     ops = zc_stage_next(ops)) {
				strlcat(list, list[0] ? ", " : "",
					sizeof(list));
				strlcat(list, ops->name, sizeof(list));
			}
			return zc_config_error(cfg, sec, "stages",
					       "unknown stage '%s' (stages: %s)",
					       pl->stage[pl->nb_stages], list);
		}
		pl->group[pl->nb_stages] = pl->nb_groups - 1;
		pl->nb_stages++;
	}
	if (pl->nb_stages < 2)
		return zc_config_error(cfg, sec, "stages",
				       "a pipeline needs at least a source and a sink stage");
	if (pl->group[pl->nb_stages - 1] != pl->nb_groups - 1)
		return zc_config_error(cfg, sec, "stages",
				       "'|' at the end leaves an empty group");
	for (i = 0; i < pl->nb_stages; i++) {
		const struct zc_stage_ops *ops = zc_stage_find(pl->stage[i]);
		bool first = i == 0;
		bool last = i == pl->nb_stages - 1u;

		if (first && !(ops->flags & ZC_STAGE_F_SOURCE))
			return zc_config_error(cfg, sec, "stages",
					       "the first stage must be a source such as %s, not '%s'",
					       stage_with_flag(ZC_STAGE_F_SOURCE),
					       ops->name);
		if (!first && (ops->flags & ZC_STAGE_F_SOURCE))
			return zc_config_error(cfg, sec, "stages",
					       "stage '%s' is a source and may only come first",
					       ops->name);
		if (last && !(ops->flags & ZC_STAGE_F_SINK))
			return zc_config_error(cfg, sec, "stages",
					       "the last stage must be a sink such as %s, not '%s'",
					       stage_with_flag(ZC_STAGE_F_SINK),
					       ops->name);
		if (!last && (ops->flags & ZC_STAGE_F_SINK))
			return zc_config_error(cfg, sec, "stages",
					       "stage '%s' is a sink and may only come last",
					       ops->name);
	}
	return 0;
}

static int
parse_pipeline(struct zc_config *cfg, struct rte_cfgfile *f, const char *sec,
	       unsigned int idx)
{
	static const char *const keys[] = { "rx", "stages", "lcores", NULL };
	struct zc_pipeline_conf *pl = &cfg->pipeline[idx];
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;
	const char *v;
	unsigned int i;

	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;

	v = rte_cfgfile_get_entry(f, sec, "stages");
	pl->default_chain = v == NULL;
	if (v == NULL) {
		default_chain(cfg->mode, buf, sizeof(buf));
		v = buf;
	}
	if (parse_chain(cfg, sec, v, pl) < 0)
		return -1;

	v = rte_cfgfile_get_entry(f, sec, "rx");
	if (v == NULL)
		return zc_config_error(cfg, sec, "rx",
				       "missing: list the PORT:QUEUE pairs this pipeline polls, e.g. 0:0, 1:0");
	strlcpy(buf, v, sizeof(buf));
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save)) {
		char *colon = strchr(tok, ':');
		uint64_t q = 0;
		uint16_t port;

		if (colon != NULL) {
			*colon = '\0';
			if (zc_parse_uint(colon + 1, 0, UINT16_MAX, &q) < 0)
				return zc_config_error(cfg, sec, "rx",
						       "expected PORT:QUEUE, got '%s:%s'",
						       tok, colon + 1);
		}
		if (zc_parse_port_ref(cfg, tok, &port) < 0)
			return zc_config_error(cfg, sec, "rx",
					       "port '%s' is not configured (ports 0 to %d exist)",
					       tok, cfg->nb_ports - 1);
		if (q >= cfg->port[port].rx_queues)
			return zc_config_error(cfg, sec, "rx",
					       "port %u has %u rx queue(s); queue %" PRIu64 " does not exist",
					       port, cfg->port[port].rx_queues,
					       q);
		if (pl->nb_rxq == ZC_RXQ_MAX)
			return zc_config_error(cfg, sec, "rx",
					       "more than %d port:queue pairs",
					       ZC_RXQ_MAX);
		pl->rxq[pl->nb_rxq].port = port;
		pl->rxq[pl->nb_rxq].queue = (uint16_t)q;
		pl->nb_rxq++;
	}
	if (pl->nb_rxq == 0)
		return zc_config_error(cfg, sec, "rx",
				       "lists no PORT:QUEUE pairs");

	for (i = 0; i < ZC_GROUPS_MAX; i++)
		pl->lcore[i] = ZC_LCORE_AUTO;
	v = rte_cfgfile_get_entry(f, sec, "lcores");
	if (v != NULL) {
		unsigned int n = 0;

		strlcpy(buf, v, sizeof(buf));
		for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
		     tok = strtok_r(NULL, ", \t", &save)) {
			uint64_t l;

			if (zc_parse_uint(tok, 0, RTE_MAX_LCORE - 1, &l) < 0)
				return zc_config_error(cfg, sec, "lcores",
						       "expected lcore ids below %d, got '%s'",
						       RTE_MAX_LCORE, tok);
			if (n == pl->nb_groups || n == ZC_GROUPS_MAX)
				return zc_config_error(cfg, sec, "lcores",
						       "%u lcores given for %u stage group(s)",
						       n + 1, pl->nb_groups);
			pl->lcore[n++] = (uint32_t)l;
		}
		if (n != pl->nb_groups)
			return zc_config_error(cfg, sec, "lcores",
					       "%u lcore(s) given for %u stage group(s); give one per group",
					       n, pl->nb_groups);
	}
	return 0;
}

bool
zc_config_has_section(const struct zc_config *cfg, const char *section)
{
	return config_line_of(cfg, section, NULL) != 0;
}

bool
zc_config_has_stage(const struct zc_config *cfg,
		    const struct zc_stage_ops *ops)
{
	unsigned int i, s;

	for (i = 0; i < cfg->nb_pipelines; i++)
		for (s = 0; s < cfg->pipeline[i].nb_stages; s++)
			if (zc_stage_find(cfg->pipeline[i].stage[s]) == ops)
				return true;
	return false;
}

/* "prefix.N": N as a dense index below max, or -1. */
static int
section_index(const char *sec, const char *prefix, unsigned int max)
{
	size_t n = strlen(prefix);
	uint64_t v;

	if (strncmp(sec, prefix, n) != 0 || sec[n] != '.')
		return -1;
	if (zc_parse_uint(sec + n + 1, 0, max - 1, &v) < 0)
		return -2;
	return (int)v;
}

static bool
section_matches(const struct zc_config_section *s, const char *sec)
{
	size_t n = strlen(s->prefix);

	return s->prefix[n - 1] == '.' ? strncmp(sec, s->prefix, n) == 0 :
	       strcmp(sec, s->prefix) == 0;
}

static bool
is_registered_section(const char *sec)
{
	struct zc_config_section *s;

	STAILQ_FOREACH(s, &section_registry, next)
		if (section_matches(s, sec))
			return true;
	return false;
}

/* "general, port.N, forward, pipeline.N, ...": the core's sections and
 * the registered ones, by order.
 */
static void
known_sections(char *buf, size_t len)
{
	static const struct {
		unsigned int order;
		const char *name;
	} core[] = {
		{ ZC_CONFIG_ORDER_GENERAL, "general" },
		{ ZC_CONFIG_ORDER_PORT, "port.N" },
		{ ZC_CONFIG_ORDER_PIPELINE, "pipeline.N" },
	};
	const struct zc_config_section *s = STAILQ_FIRST(&section_registry);
	unsigned int c = 0;

	buf[0] = '\0';
	while (c < RTE_DIM(core) || s != NULL) {
		char name[CFG_NAME_LEN + 8];

		if (s == NULL || (c < RTE_DIM(core) &&
				  core[c].order <= section_order(s))) {
			strlcpy(name, core[c++].name, sizeof(name));
		} else {
			size_t n = strlen(s->prefix);

			snprintf(name, sizeof(name), "%s%s", s->prefix,
				 s->prefix[n - 1] == '.' ? "NAME" : "");
			s = STAILQ_NEXT(s, next);
		}
		strlcat(buf, buf[0] != '\0' ? ", " : "", len);
		strlcat(buf, name, len);
	}
}

/* Sections in the file that nothing reads are mistakes: say so. */
static int
check_sections(struct zc_config *cfg, struct rte_cfgfile *f, char **names,
	       int n)
{
	char known[512];
	bool seen_port[ZC_MAX_PORTS] = { false };
	bool seen_pl[ZC_PIPELINES_MAX] = { false };
	unsigned int i;
	int j, idx;

	RTE_SET_USED(f);
	for (j = 0; j < n; j++) {
		if (strcmp(names[j], "general") == 0)
			continue;
		idx = section_index(names[j], "port", ZC_MAX_PORTS);
		if (idx >= 0) {
			seen_port[idx] = true;
			continue;
		}
		if (idx == -2)
			return zc_config_error(cfg, names[j], NULL,
					       "expected [port.N] with N from 0 to %d",
					       ZC_MAX_PORTS - 1);
		idx = section_index(names[j], "pipeline", ZC_PIPELINES_MAX);
		if (idx >= 0) {
			seen_pl[idx] = true;
			continue;
		}
		if (idx == -2)
			return zc_config_error(cfg, names[j], NULL,
					       "expected [pipeline.N] with N from 0 to %d",
					       ZC_PIPELINES_MAX - 1);
		if (is_registered_section(names[j]))
			continue;
		known_sections(known, sizeof(known));
		return zc_config_error(cfg, names[j], NULL,
				       "unknown section (known: %s)", known);
	}
	/* Port and pipeline indexes are dense: 0, 1, 2 ... */
	for (i = 0; i < ZC_MAX_PORTS && seen_port[i]; i++)
		cfg->nb_ports++;
	for (; i < ZC_MAX_PORTS; i++)
		if (seen_port[i]) {
			char sec[CFG_NAME_LEN];

			snprintf(sec, sizeof(sec), "port.%u", i);
			return zc_config_error(cfg, sec, NULL,
					       "ports must be numbered from 0 without gaps; [port.%u] is missing",
					       cfg->nb_ports);
		}
	for (i = 0; i < ZC_PIPELINES_MAX && seen_pl[i]; i++)
		cfg->nb_pipelines++;
	for (; i < ZC_PIPELINES_MAX; i++)
		if (seen_pl[i]) {
			char sec[CFG_NAME_LEN];

			snprintf(sec, sizeof(sec), "pipeline.%u", i);
			return zc_config_error(cfg, sec, NULL,
					       "pipelines must be numbered from 0 without gaps; [pipeline.%u] is missing",
					       cfg->nb_pipelines);
		}
	return 0;
}

/* No [pipeline.N]: one run-to-completion pipeline polling queue 0 of every
 * port, with the mode's default chain.
 */
static int
default_pipeline(struct zc_config *cfg)
{
	struct zc_pipeline_conf *pl = &cfg->pipeline[0];
	char chain[CFG_VALUE_LEN];
	unsigned int i;

	default_chain(cfg->mode, chain, sizeof(chain));
	if (parse_chain(cfg, NULL, chain, pl) < 0)
		return -1;
	pl->default_chain = 1;
	for (i = 0; i < cfg->nb_ports && i < ZC_RXQ_MAX; i++) {
		pl->rxq[i].port = i;
		pl->rxq[i].queue = 0;
	}
	pl->nb_rxq = i;
	for (i = 0; i < ZC_GROUPS_MAX; i++)
		pl->lcore[i] = ZC_LCORE_AUTO;
	cfg->nb_pipelines = 1;
	return 0;
}

/* Cross-section checks that need the whole file. */
static int
config_check(struct zc_config *cfg)
{
	unsigned int i, j;

	if (cfg->nb_ports == 0)
		return zc_config_error(cfg, NULL, NULL,
				       "no [port.N] section: zcpipe needs at least one port");
	for (i = 0; i < cfg->nb_pipelines; i++)
		for (j = 0; j < cfg->pipeline[i].nb_stages; j++)
			if (check_stage_at(cfg, i, j) < 0)
				return -1;
	/* The same port/queue polled twice would need a lock. */
	for (i = 0; i < cfg->nb_pipelines; i++) {
		const struct zc_pipeline_conf *a = &cfg->pipeline[i];
		unsigned int k, l;

		for (j = i; j < cfg->nb_pipelines; j++) {
			const struct zc_pipeline_conf *b = &cfg->pipeline[j];

			for (k = 0; k < a->nb_rxq; k++)
				for (l = (i == j ? k + 1 : 0); l < b->nb_rxq;
				     l++) {
					char sec[CFG_NAME_LEN];

					if (a->rxq[k].port != b->rxq[l].port ||
					    a->rxq[k].queue != b->rxq[l].queue)
						continue;
					snprintf(sec, sizeof(sec),
						 "pipeline.%u", j);
					return zc_config_error(cfg, sec, "rx",
							       "port %u queue %u is already polled by [pipeline.%u]",
							       a->rxq[k].port,
							       a->rxq[k].queue, i);
				}
		}
	}
	return 0;
}

int
zc_config_load(const char *path, struct zc_config *cfg)
{
	struct rte_cfgfile *f;
	struct zc_config_section *s;
	char **names = NULL;
	int nb_sec, i, ret = -1;

	zc_config_defaults(cfg);
	if (strlcpy(cfg->path, path, sizeof(cfg->path)) >= sizeof(cfg->path))
		return zc_config_error(cfg, NULL, NULL, "path too long");
	f = zc_config_open(cfg);
	if (f == NULL)
		goto out;
	nb_sec = rte_cfgfile_num_sections(f, "", 0);
	if (nb_sec > 0) {
		names = calloc(nb_sec, sizeof(*names));
		if (names == NULL)
			goto close;
		for (i = 0; i < nb_sec; i++) {
			names[i] = malloc(CFG_NAME_LEN);
			if (names[i] == NULL)
				goto close;
		}
		rte_cfgfile_sections(f, names, nb_sec);
	}
	if (check_sections(cfg, f, names, nb_sec) < 0 ||
	    parse_general(cfg, f) < 0)
		goto close;
	for (i = 0; i < cfg->nb_ports; i++) {
		char sec[CFG_NAME_LEN];

		snprintf(sec, sizeof(sec), "port.%d", i);
		if (parse_port(cfg, f, sec, i) < 0)
			goto close;
	}
	for (i = 0; i < cfg->nb_pipelines; i++) {
		char sec[CFG_NAME_LEN];

		snprintf(sec, sizeof(sec), "pipeline.%d", i);
		if (parse_pipeline(cfg, f, sec, i) < 0)
			goto close;
	}
	if (cfg->nb_pipelines == 0 && default_pipeline(cfg) < 0)
		goto close;
	STAILQ_FOREACH(s, &section_registry, next)
		for (i = 0; i < nb_sec; i++)
			if (section_matches(s, names[i]) &&
			    s->parse(cfg, f, names[i]) < 0)
				goto close;
	if (config_check(cfg) < 0)
		goto close;
	STAILQ_FOREACH(s, &section_registry, next)
		if (s->check != NULL && s->check(cfg) < 0)
			goto close;
	ret = 0;
close:
	if (names != NULL) {
		for (i = 0; i < nb_sec; i++)
			free(names[i]);
		free(names);
	}
	rte_cfgfile_close(f);
out:
	return ret;
}

void
zc_config_free(struct zc_config *cfg)
{
	free(cfg->lines);
	cfg->lines = NULL;
}
