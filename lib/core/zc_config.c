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
#include "route/zc_route.h"

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

void
zc_config_section_register(struct zc_config_section *s)
{
	STAILQ_INSERT_TAIL(&section_registry, s, next);
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
};

const char *
zc_mode_name(enum zc_mode mode)
{
	if ((unsigned int)mode >= RTE_DIM(mode_names))
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
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = ZC_MODE_XCONNECT;
	cfg->burst = 32;
	cfg->ring_size = 1024;
	cfg->pool_cache = 256;
	cfg->mbuf_size = RTE_MBUF_DEFAULT_BUF_SIZE;
	cfg->replay_timeout = 10;
	strlcpy(cfg->drivers_config, "drivers-config",
		sizeof(cfg->drivers_config));
	for (i = 0; i < ZC_MAX_PORTS; i++)
		cfg->xconnect[i] = ZC_PORT_NONE;
	cfg->parse.max_vlan = 3;
	cfg->parse.max_mpls = 8;
	cfg->parse.max_ext = 8;
	cfg->route.max_routes = ZC_ROUTE_MAX4_DEFAULT;
	cfg->route.max_routes6 = ZC_ROUTE_MAX6_DEFAULT;
}

static char *
trim(char *s)
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
		s = trim(buf);
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
			s = trim(s + 1);
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
		key = trim(s);
		val = trim(eq + 1);
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
zc_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p;

	/* Decimal digits only: no sign, no blank, no "0x", and no leading
	 * zero, which C would read as octal (010 is 8) and a reader as ten.
	 */
	if (s == NULL || !isdigit((unsigned char)s[0]) ||
	    (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (p = s; *p != '\0'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (!isdigit((unsigned char)*p) || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
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

static int
get_u16(const struct zc_config *cfg, struct rte_cfgfile *f, const char *sec,
	const char *key, uint64_t min, uint64_t max, uint16_t *out)
{
	uint64_t v = *out;

	if (zc_config_get_uint(cfg, f, sec, key, min, max, &v) < 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

static int
get_u32(const struct zc_config *cfg, struct rte_cfgfile *f, const char *sec,
	const char *key, uint64_t min, uint64_t max, uint32_t *out)
{
	uint64_t v = *out;

	if (zc_config_get_uint(cfg, f, sec, key, min, max, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_general(struct zc_config *cfg, struct rte_cfgfile *f)
{
	static const char *const keys[] = {
		"mode", "burst", "ring_size", "pool_size", "pool_cache",
		"mbuf_size", "stats_period", "replay_timeout",
		"drivers_config", NULL
	};
	const char *sec = "general";
	const char *v;
	unsigned int i;

	if (!rte_cfgfile_has_section(f, sec))
		return 0;
	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;

	v = rte_cfgfile_get_entry(f, sec, "mode");
	if (v != NULL) {
		for (i = 0; i < RTE_DIM(mode_names); i++)
			if (strcmp(v, mode_names[i]) == 0)
				break;
		if (i == RTE_DIM(mode_names))
			return zc_config_error(cfg, sec, "mode",
					       "expected l2-xconnect, router or filter, got '%s'",
					       v);
		cfg->mode = i;
	}
	if (get_u16(cfg, f, sec, "burst", 1, ZC_BURST_MAX, &cfg->burst) < 0 ||
	    get_u32(cfg, f, sec, "ring_size", 64, 65536, &cfg->ring_size) < 0 ||
	    get_u32(cfg, f, sec, "pool_size", 0, 16u << 20,
		    &cfg->pool_size) < 0 ||
	    get_u32(cfg, f, sec, "pool_cache", 0, RTE_MEMPOOL_CACHE_MAX_SIZE,
		    &cfg->pool_cache) < 0 ||
	    get_u16(cfg, f, sec, "mbuf_size", 1024, UINT16_MAX,
		    &cfg->mbuf_size) < 0 ||
	    get_u32(cfg, f, sec, "stats_period", 0, 3600,
		    &cfg->stats_period) < 0 ||
	    get_u32(cfg, f, sec, "replay_timeout", 1, 3600,
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
		NULL
	};
	struct zc_port_conf *pc = &cfg->port[idx];
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
	if (get_u16(cfg, f, sec, "rx_queues", 1, 64, &pc->rx_queues) < 0 ||
	    get_u16(cfg, f, sec, "tx_queues", 0, 64, &pc->tx_queues) < 0 ||
	    get_u16(cfg, f, sec, "rx_desc", 0, 32768, &pc->rx_desc) < 0 ||
	    get_u16(cfg, f, sec, "tx_desc", 0, 32768, &pc->tx_desc) < 0 ||
	    get_u16(cfg, f, sec, "mtu", 68, 16000, &pc->mtu) < 0 ||
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
	v = rte_cfgfile_get_entry(f, sec, "kernel_offloads");
	if (v != NULL) {
		if (strcmp(v, "fix") == 0)
			pc->kernel_offloads_keep = 0;
		else if (strcmp(v, "keep") == 0)
			pc->kernel_offloads_keep = 1;
		else
			return zc_config_error(cfg, sec, "kernel_offloads",
					       "expected fix or keep, got '%s'",
					       v);
	}
	if (strcmp(pc->driver, "net_pcap") == 0)
		return port_collect_pcaps(cfg, pc, sec);
	return 0;
}

/* Parse "N" as a configured port index. */
static int
parse_port_ref(const struct zc_config *cfg, const char *s, uint16_t *port)
{
	uint64_t v;

	if (cfg->nb_ports == 0 ||
	    zc_parse_uint(s, 0, cfg->nb_ports - 1u, &v) < 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
parse_forward(struct zc_config *cfg, struct rte_cfgfile *f)
{
	static const char *const keys[] = { "map", NULL };
	const char *sec = "forward";
	char buf[CFG_VALUE_LEN];
	char *tok, *save = NULL;
	const char *v;

	if (!rte_cfgfile_has_section(f, sec))
		return 0;
	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "map");
	if (v == NULL)
		return 0;
	strlcpy(buf, v, sizeof(buf));
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *arrow = strstr(tok, "->");
		uint16_t in, out;

		if (arrow == NULL)
			return zc_config_error(cfg, sec, "map",
					       "expected 'IN->OUT' pairs separated by commas, got '%s'",
					       trim(tok));
		*arrow = '\0';
		if (parse_port_ref(cfg, trim(tok), &in) < 0 ||
		    parse_port_ref(cfg, trim(arrow + 2), &out) < 0)
			return zc_config_error(cfg, sec, "map",
					       "'%s->%s' names a port that is not configured (ports 0 to %u exist)",
					       trim(tok), trim(arrow + 2),
					       cfg->nb_ports - 1);
		if (cfg->xconnect[in] != ZC_PORT_NONE)
			return zc_config_error(cfg, sec, "map",
					       "port %u is mapped twice", in);
		cfg->xconnect[in] = out;
	}
	return 0;
}

static const char *
default_chain(enum zc_mode mode)
{
	switch (mode) {
	case ZC_MODE_ROUTER:
		return "rx parse classify route act tx";
	case ZC_MODE_FILTER:
		return "rx parse classify forward act tx";
	case ZC_MODE_XCONNECT:
	default:
		return "rx parse forward tx";
	}
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

		if (first != !!(ops->flags & ZC_STAGE_F_SOURCE))
			return zc_config_error(cfg, sec, "stages",
					       first ? "the first stage must be a source such as rx, not '%s'" :
					       "stage '%s' is a source and may only come first",
					       ops->name);
		if (last != !!(ops->flags & ZC_STAGE_F_SINK))
			return zc_config_error(cfg, sec, "stages",
					       last ? "the last stage must be a sink such as tx, not '%s'" :
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
	if (parse_chain(cfg, sec, v != NULL ? v : default_chain(cfg->mode),
			pl) < 0)
		return -1;
	pl->default_chain = v == NULL;

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
		if (parse_port_ref(cfg, tok, &port) < 0)
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

static int
parse_parse(struct zc_config *cfg, struct rte_cfgfile *f)
{
	static const char *const keys[] = {
		"ipv4_checksum", "max_vlan", "max_mpls", "max_ext", "depth",
		NULL
	};
	const char *sec = "parse";
	const char *v;
	uint64_t x;

	cfg->parse.drop_bad_csum = cfg->mode != ZC_MODE_XCONNECT;
	/* A cross-connect reads nothing beyond L2 unless asked to. */
	cfg->parse.l2_only = cfg->mode == ZC_MODE_XCONNECT;
	if (!rte_cfgfile_has_section(f, sec))
		return 0;
	cfg->parse.given = 1;
	v = rte_cfgfile_get_entry(f, sec, "depth");
	if (v != NULL) {
		cfg->parse.depth_set = 1;
		if (strcmp(v, "l2") == 0)
			cfg->parse.l2_only = 1;
		else if (strcmp(v, "full") == 0)
			cfg->parse.l2_only = 0;
		else
			return zc_config_error(cfg, sec, "depth",
					       "expected l2 or full, got '%s'",
					       v);
		if (cfg->parse.l2_only && cfg->mode != ZC_MODE_XCONNECT)
			return zc_config_error(cfg, sec, "depth",
					       "mode %s needs the L3/L4 headers: use full",
					       zc_mode_name(cfg->mode));
	}
	if (zc_config_check_keys(cfg, f, sec, keys) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "ipv4_checksum");
	if (v != NULL) {
		if (strcmp(v, "drop") == 0)
			cfg->parse.drop_bad_csum = 1;
		else if (strcmp(v, "pass") == 0)
			cfg->parse.drop_bad_csum = 0;
		else
			return zc_config_error(cfg, sec, "ipv4_checksum",
					       "expected drop or pass, got '%s'",
					       v);
	}
	x = cfg->parse.max_vlan;
	if (zc_config_get_uint(cfg, f, sec, "max_vlan", 0, 7, &x) < 0)
		return -1;
	cfg->parse.max_vlan = (uint8_t)x;
	x = cfg->parse.max_mpls;
	if (zc_config_get_uint(cfg, f, sec, "max_mpls", 1, 16, &x) < 0)
		return -1;
	cfg->parse.max_mpls = (uint8_t)x;
	x = cfg->parse.max_ext;
	if (zc_config_get_uint(cfg, f, sec, "max_ext", 1, 16, &x) < 0)
		return -1;
	cfg->parse.max_ext = (uint8_t)x;
	return 0;
}

static int
parse_acl(struct zc_config *cfg, struct rte_cfgfile *f)
{
	static const char *const keys[] = { "rules", "default", NULL };
	const char *sec = "acl";
	const char *v;

	if (!rte_cfgfile_has_section(f, sec))
		return 0;
	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_path(cfg, f, sec, "rules", false, cfg->acl.rules,
			       sizeof(cfg->acl.rules)) < 0)
		return -1;
	v = rte_cfgfile_get_entry(f, sec, "default");
	if (v != NULL) {
		if (strcmp(v, "permit") == 0)
			cfg->acl.deny_default = 0;
		else if (strcmp(v, "deny") == 0)
			cfg->acl.deny_default = 1;
		else
			return zc_config_error(cfg, sec, "default",
					       "expected permit or deny, got '%s'",
					       v);
	}
	return 0;
}

static int
parse_route(struct zc_config *cfg, struct rte_cfgfile *f)
{
	static const char *const keys[] = {
		"routes", "neighbours", "learn", "probe_ms", "max_routes",
		"max_routes6", NULL
	};
	const char *sec = "route";
	uint64_t x, m4 = ZC_ROUTE_MAX4_DEFAULT, m6 = ZC_ROUTE_MAX6_DEFAULT;

	cfg->route.learn = 1;
	cfg->route.probe_ms = 1000;
	cfg->route.max_routes = ZC_ROUTE_MAX4_DEFAULT;
	cfg->route.max_routes6 = ZC_ROUTE_MAX6_DEFAULT;
	if (!rte_cfgfile_has_section(f, sec))
		return 0;
	x = cfg->route.probe_ms;
	if (zc_config_check_keys(cfg, f, sec, keys) < 0 ||
	    zc_config_get_path(cfg, f, sec, "routes", false,
			       cfg->route.routes,
			       sizeof(cfg->route.routes)) < 0 ||
	    zc_config_get_path(cfg, f, sec, "neighbours", false,
			       cfg->route.neighbours,
			       sizeof(cfg->route.neighbours)) < 0 ||
	    zc_config_get_bool(cfg, f, sec, "learn", &cfg->route.learn) < 0 ||
	    zc_config_get_uint(cfg, f, sec, "probe_ms", 1, 60000, &x) < 0 ||
	    zc_config_get_uint(cfg, f, sec, "max_routes", 1,
			       ZC_ROUTE_MAX_LIMIT, &m4) < 0 ||
	    zc_config_get_uint(cfg, f, sec, "max_routes6", 1,
			       ZC_ROUTE_MAX_LIMIT, &m6) < 0)
		return -1;
	cfg->route.probe_ms = (uint32_t)x;
	cfg->route.max_routes = (uint32_t)m4;
	cfg->route.max_routes6 = (uint32_t)m6;
	return 0;
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
is_registered_section(const char *sec, struct zc_config_section **out)
{
	struct zc_config_section *s;

	STAILQ_FOREACH(s, &section_registry, next) {
		size_t n = strlen(s->prefix);

		if (s->prefix[n - 1] == '.' ? strncmp(sec, s->prefix, n) == 0 :
		    strcmp(sec, s->prefix) == 0) {
			*out = s;
			return true;
		}
	}
	return false;
}

/* Sections in the file that nothing reads are mistakes: say so. */
static int
check_sections(struct zc_config *cfg, struct rte_cfgfile *f, char **names,
	       int n)
{
	static const char *const fixed[] = {
		"general", "forward", "parse", "acl", "route"
	};
	struct zc_config_section *s;
	bool seen_port[ZC_MAX_PORTS] = { false };
	bool seen_pl[ZC_PIPELINES_MAX] = { false };
	unsigned int i;
	int j, idx;

	RTE_SET_USED(f);
	for (j = 0; j < n; j++) {
		for (i = 0; i < RTE_DIM(fixed); i++)
			if (strcmp(names[j], fixed[i]) == 0)
				break;
		if (i < RTE_DIM(fixed))
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
		if (is_registered_section(names[j], &s))
			continue;
		return zc_config_error(cfg, names[j], NULL,
				       "unknown section (known: general, port.N, forward, pipeline.N, parse, acl, route%s)",
				       STAILQ_EMPTY(&section_registry) ? "" :
				       " and module sections in docs/configuration.md");
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
	unsigned int i;

	if (parse_chain(cfg, NULL, default_chain(cfg->mode), pl) < 0)
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
	for (i = 0; i < cfg->nb_pipelines; i++) {
		const struct zc_pipeline_conf *pl = &cfg->pipeline[i];
		char sec[CFG_NAME_LEN];

		snprintf(sec, sizeof(sec), "pipeline.%u", i);
		for (j = 0; j < pl->nb_stages; j++) {
			if (strcmp(pl->stage[j], "forward") == 0 &&
			    cfg->mode == ZC_MODE_ROUTER)
				return zc_config_error(cfg, sec, "stages",
						       "the forward stage needs mode l2-xconnect or filter; mode is router");
			if (strcmp(pl->stage[j], "route") == 0 &&
			    cfg->mode != ZC_MODE_ROUTER)
				return zc_config_error(cfg, sec, "stages",
						       "the route stage needs mode router; mode is %s",
						       zc_mode_name(cfg->mode));
		}
	}
	/* depth = l2 by default only for a plain wire: any other stage (act
	 * decapsulating, say) may need what lies beyond L2.
	 */
	if (cfg->parse.l2_only && !cfg->parse.depth_set)
		for (i = 0; i < cfg->nb_pipelines; i++)
			for (j = 0; j < cfg->pipeline[i].nb_stages; j++) {
				const char *s = cfg->pipeline[i].stage[j];

				if (strcmp(s, "rx") != 0 &&
				    strcmp(s, "parse") != 0 &&
				    strcmp(s, "forward") != 0 &&
				    strcmp(s, "tx") != 0)
					cfg->parse.l2_only = 0;
			}
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
	if (cfg->mode != ZC_MODE_ROUTER) {
		bool any = false;

		for (i = 0; i < cfg->nb_ports; i++)
			any |= cfg->xconnect[i] != ZC_PORT_NONE;
		if (!any)
			return zc_config_error(cfg, "forward", "map",
					       "mode %s needs a cross-connect map such as '0->1, 1->0'",
					       zc_mode_name(cfg->mode));
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
	STAILQ_FOREACH(s, &section_registry, next)
		if (s->reset != NULL)
			s->reset();
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
	if (parse_forward(cfg, f) < 0 || parse_parse(cfg, f) < 0 ||
	    parse_acl(cfg, f) < 0 || parse_route(cfg, f) < 0)
		goto close;
	for (i = 0; i < cfg->nb_pipelines; i++) {
		char sec[CFG_NAME_LEN];

		snprintf(sec, sizeof(sec), "pipeline.%d", i);
		if (parse_pipeline(cfg, f, sec, i) < 0)
			goto close;
	}
	if (cfg->nb_pipelines == 0 && default_pipeline(cfg) < 0)
		goto close;
	for (i = 0; i < nb_sec; i++)
		if (is_registered_section(names[i], &s) &&
		    s->parse(cfg, f, names[i]) < 0)
			goto close;
	if (config_check(cfg) < 0)
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
