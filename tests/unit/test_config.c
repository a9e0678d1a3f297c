/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The zcpipe authors
 */

/*
 * Configuration parsing: a full valid file, the defaults, and every class
 * of error with the exact message a user sees ("FILE:LINE: [section] key:
 * what was expected").
 */

#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "unit.h"
#include "acl/zc_acl.h"
#include "core/zc_config.h"
#include "core/zc_meta.h"
#include "core/zc_stage.h"
#include "forward/zc_forward.h"
#include "parse/zc_parse.h"
#include "route/zc_route.h"

static struct zc_config cfg;

/* A port that needs no capture file. */
#define NULL_PORT "[port.0]\ndev = net_null0\n[forward]\nmap = 0->0\n"

START_TEST(valid_full_file)
{
	const char *path = zc_unit_write_file("full.ini",
		"; comment\n"
		"[general]\n"
		"mode = l2-xconnect\n"
		"burst = 16\n"
		"ring_size = 2048\n"
		"pool_size = 16383\n"
		"pool_cache = 128\n"
		"mbuf_size = 4096\n"
		"stats_period = 5\n"
		"replay_timeout = 30\n"
		"\n"
		"[port.0]\n"
		"dev = net_null0,size=64\n"
		"rx_queues = 2\n"
		"rx_desc = 256\n"
		"tx_desc = 512\n"
		"mtu = 9000\n"
		"promisc = no\n"
		"rss = yes\n"
		"mac = 02:00:00:00:00:0a\n"
		"ipv4 = 10.0.1.1/24\n"
		"ipv6 = 2001:db8:1::1/64\n"
		"kernel_offloads = keep\n"
		"[port.1]\n"
		"dev = 0000:03:00.1\n"
		"[forward]\n"
		"map = 0->1, 1->0\n"
		"[pipeline.0]\n"
		"rx = 0:0, 1:0\n"
		"stages = rx parse | forward tx\n"
		"lcores = 1, 2\n"
		"[pipeline.1]\n"
		"rx = 0:1\n"
		"[parse]\n"
		"ipv4_checksum = drop\n"
		"max_vlan = 2\n");
	const struct zc_pipeline_conf *pl;

	ck_assert_msg(zc_config_load(path, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_int_eq(cfg.mode, ZC_MODE_XCONNECT);
	ck_assert_uint_eq(cfg.burst, 16);
	ck_assert_uint_eq(cfg.ring_size, 2048);
	ck_assert_uint_eq(cfg.pool_size, 16383);
	ck_assert_uint_eq(cfg.pool_cache, 128);
	ck_assert_uint_eq(cfg.mbuf_size, 4096);
	ck_assert_uint_eq(cfg.stats_period, 5);
	ck_assert_uint_eq(cfg.replay_timeout, 30);
	ck_assert_uint_eq(cfg.nb_ports, 2);
	ck_assert_str_eq(cfg.port[0].dev, "net_null0,size=64");
	ck_assert_str_eq(cfg.port[0].driver, "net_null");
	ck_assert_str_eq(cfg.port[1].driver, "pci");
	ck_assert_uint_eq(cfg.port[0].rx_queues, 2);
	ck_assert_uint_eq(cfg.port[0].rx_desc, 256);
	ck_assert_uint_eq(cfg.port[0].tx_desc, 512);
	ck_assert_uint_eq(cfg.port[0].mtu, 9000);
	ck_assert_uint_eq(cfg.port[0].promisc, 0);
	ck_assert_uint_eq(cfg.port[1].promisc, 1);
	ck_assert_uint_eq(cfg.port[0].rss, 1);
	ck_assert(cfg.port[0].has_mac);
	ck_assert_uint_eq(cfg.port[0].mac.addr_bytes[5], 0x0a);
	ck_assert(cfg.port[0].has_ipv4);
	ck_assert_uint_eq(cfg.port[0].ipv4, htonl(0x0a000101));
	ck_assert_uint_eq(cfg.port[0].ipv4_len, 24);
	ck_assert(cfg.port[0].has_ipv6);
	ck_assert_uint_eq(cfg.port[0].ipv6[0], 0x20);
	ck_assert_uint_eq(cfg.port[0].ipv6[15], 1);
	ck_assert_uint_eq(cfg.port[0].ipv6_len, 64);
	ck_assert_uint_eq(cfg.port[0].kernel_offloads_keep, 1);
	ck_assert_uint_eq(cfg.port[1].kernel_offloads_keep, 0); /* fix */
	ck_assert_uint_eq(zc_forward_conf.xconnect[0], 1);
	ck_assert_uint_eq(zc_forward_conf.xconnect[1], 0);
	ck_assert_uint_eq(cfg.nb_pipelines, 2);
	pl = &cfg.pipeline[0];
	ck_assert_uint_eq(pl->nb_rxq, 2);
	ck_assert_uint_eq(pl->rxq[1].port, 1);
	ck_assert_uint_eq(pl->nb_stages, 4);
	ck_assert_uint_eq(pl->nb_groups, 2);
	ck_assert_str_eq(pl->stage[0], "rx");
	ck_assert_str_eq(pl->stage[3], "tx");
	ck_assert_uint_eq(pl->group[1], 0);
	ck_assert_uint_eq(pl->group[2], 1);
	ck_assert_uint_eq(pl->lcore[0], 1);
	ck_assert_uint_eq(pl->lcore[1], 2);
	/* [pipeline.1] has no stages key: the mode's default chain. */
	pl = &cfg.pipeline[1];
	ck_assert_uint_eq(pl->nb_stages, 4);
	ck_assert_uint_eq(pl->nb_groups, 1);
	ck_assert_str_eq(pl->stage[2], "forward");
	ck_assert_uint_eq(pl->rxq[0].queue, 1);
	ck_assert_uint_eq(zc_parse_opts.drop_bad_csum, 1);
	ck_assert_uint_eq(zc_parse_opts.max_vlan, 2);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(defaults_and_default_pipeline)
{
	const char *path = zc_unit_write_file("min.ini",
		"[port.0]\ndev = net_null0\n[port.1]\ndev = net_null1\n"
		"[forward]\nmap = 0->1\n");

	ck_assert_msg(zc_config_load(path, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_int_eq(cfg.mode, ZC_MODE_XCONNECT);
	ck_assert_uint_eq(cfg.burst, 32);
	ck_assert_uint_eq(cfg.ring_size, 1024);
	ck_assert_uint_eq(cfg.pool_size, 0);
	ck_assert_uint_eq(zc_parse_opts.max_vlan, 3);
	ck_assert_uint_eq(zc_forward_conf.xconnect[0], 1);
	ck_assert_uint_eq(zc_forward_conf.xconnect[1], ZC_PORT_NONE);
	/* One run-to-completion pipeline on queue 0 of every port. */
	ck_assert_uint_eq(cfg.nb_pipelines, 1);
	ck_assert_uint_eq(cfg.pipeline[0].nb_groups, 1);
	ck_assert_uint_eq(cfg.pipeline[0].nb_rxq, 2);
	ck_assert_uint_eq(cfg.pipeline[0].rxq[1].port, 1);
	ck_assert_uint_eq(cfg.pipeline[0].lcore[0], ZC_LCORE_AUTO);
	ck_assert_str_eq(cfg.port[0].driver, "net_null");
	zc_config_free(&cfg);
}
END_TEST

struct bad_case {
	const char *text;
	const char *msg; /* Expected error, after "PATH:" */
};

static const struct bad_case bad_cases[] = {
	{ "[general]\nburst = 0\n" NULL_PORT,
	  "2: [general] burst: expected an integer from 1 to 64, got '0'" },
	{ "[general]\nburst = 12abc\n" NULL_PORT,
	  "2: [general] burst: expected an integer from 1 to 64, got '12abc'" },
	{ "[general]\nring_size = 1000\n" NULL_PORT,
	  "2: [general] ring_size: expected a power of two, got 1000" },
	{ "[general]\nmode = hub\n" NULL_PORT,
	  "2: [general] mode: expected l2-xconnect, router or filter, got 'hub'" },
	{ "[general]\ncolour = blue\n" NULL_PORT,
	  "2: [general] colour: unknown key (this section takes: mode, burst, ring_size, pool_size, pool_cache, mbuf_size, stats_period, replay_timeout, drivers_config)" },
	{ "[general]\nburst = 8\nburst = 16\n" NULL_PORT,
	  "3: [general] burst: key given twice (first at line 2)" },
	{ "[general]\njust some words\n" NULL_PORT,
	  "2: expected 'key = value' or '[section]', got 'just some words'" },
	{ "[port.0]\ndev = net_null0\nmtu = 20\n[forward]\nmap = 0->0\n",
	  "3: [port.0] mtu: expected an integer from 68 to 16000, got '20'" },
	{ "[port.0]\ndev = net_null0\nmac = 02:00:00\n[forward]\nmap = 0->0\n",
	  "3: [port.0] mac: expected a unicast MAC address such as 02:00:00:00:00:01, got '02:00:00'" },
	/* A port cannot own these (issue 11: they were accepted). */
	{ "[port.0]\ndev = net_null0\nmac = ff:ff:ff:ff:ff:ff\n[forward]\nmap = 0->0\n",
	  "3: [port.0] mac: expected a unicast MAC address such as 02:00:00:00:00:01, got 'ff:ff:ff:ff:ff:ff', the broadcast address" },
	{ "[port.0]\ndev = net_null0\nmac = 01:00:5e:00:00:01\n[forward]\nmap = 0->0\n",
	  "3: [port.0] mac: expected a unicast MAC address such as 02:00:00:00:00:01, got '01:00:5e:00:00:01', a multicast address" },
	{ "[port.0]\ndev = net_null0\nmac = 03:00:00:00:00:01\n[forward]\nmap = 0->0\n",
	  "3: [port.0] mac: expected a unicast MAC address such as 02:00:00:00:00:01, got '03:00:00:00:00:01', a multicast address" },
	{ "[port.0]\ndev = net_null0\nmac = 00:00:00:00:00:00\n[forward]\nmap = 0->0\n",
	  "3: [port.0] mac: expected a unicast MAC address such as 02:00:00:00:00:01, got '00:00:00:00:00:00', the all-zero address" },
	/* Integers are decimal: no octal, no hex, no sign, no blank. */
	{ "[general]\nburst = 010\n" NULL_PORT,
	  "2: [general] burst: expected an integer from 1 to 64, got '010' (integers are decimal, without leading zeros or 0x)" },
	{ "[general]\nring_size = 0100\n" NULL_PORT,
	  "2: [general] ring_size: expected an integer from 64 to 65536, got '0100' (integers are decimal, without leading zeros or 0x)" },
	{ "[general]\nring_size = 0x40\n" NULL_PORT,
	  "2: [general] ring_size: expected an integer from 64 to 65536, got '0x40' (integers are decimal, without leading zeros or 0x)" },
	{ "[general]\nburst = +8\n" NULL_PORT,
	  "2: [general] burst: expected an integer from 1 to 64, got '+8'" },
	{ "[general]\npool_size = 18446744073709551617\n" NULL_PORT,
	  "2: [general] pool_size: expected an integer from 0 to 16777216, got '18446744073709551617'" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:01\n",
	  "6: [pipeline.0] rx: expected PORT:QUEUE, got '0:01'" },
	/* An empty value: rte_cfgfile refused the whole file without a line. */
	{ "[general]\nmode = l2-xconnect\nburst =\n" NULL_PORT,
	  "3: [general] burst: no value after '='" },
	{ "[general]\nmode = l2-xconnect\n; " "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789\n" NULL_PORT,
	  "3: line longer than 322 characters" },
	{ "[port.0]\ndev = net_null0\nipv4 = 10.0.0.300/24\n[forward]\nmap = 0->0\n",
	  "3: [port.0] ipv4: expected an IPv4 address/prefix like 10.0.1.1/24, got '10.0.0.300/24'" },
	{ "[port.0]\ndev = net_null0\nipv6 = 2001:db8::1/129\n[forward]\nmap = 0->0\n",
	  "3: [port.0] ipv6: expected an IPv6 address/prefix like 2001:db8:1::1/64, got '2001:db8::1/129'" },
	{ "[port.0]\ndev = net_af_packet0,iface=lo\nkernel_offloads = off\n[forward]\nmap = 0->0\n",
	  "3: [port.0] kernel_offloads: expected fix or keep, got 'off'" },
	{ "[port.0]\ndev = net_null0\npromisc = maybe\n[forward]\nmap = 0->0\n",
	  "3: [port.0] promisc: expected yes or no, got 'maybe'" },
	{ "[port.0]\ndev = net_null0\nkernel_iface = zcnosuch0\n[forward]\nmap = 0->0\n",
	  "3: [port.0] kernel_iface: interface zcnosuch0 does not exist" },
	{ "[port.0]\ndev = net_null0\nkernel_iface = a23456789012345678\n[forward]\nmap = 0->0\n",
	  "3: [port.0] kernel_iface: expected an interface name of 1 to 15 characters" },
	{ "[general]\nmode = router\n[port.0]\ndev = net_null0\n[route]\nsource = bgp\n",
	  "6: [route] source: expected files or kernel, got 'bgp'" },
	{ "[port.1]\ndev = net_null1\n[forward]\nmap = 0->0\n",
	  "1: [port.1]: ports must be numbered from 0 without gaps; [port.0] is missing" },
	{ "[port.0]\ndev = net_null0\n[forward]\nmap = 0=>0\n",
	  "4: [forward] map: expected 'IN->OUT' pairs separated by commas, got '0=>0'" },
	{ "[port.0]\ndev = net_null0\n[forward]\nmap = 0->0, 0->0\n",
	  "4: [forward] map: port 0 is mapped twice" },
	{ "[port.0]\ndev = net_null0\n",
	  "[forward] map: mode l2-xconnect needs a cross-connect map such as '0->1, 1->0'" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:x\n",
	  "6: [pipeline.0] rx: expected PORT:QUEUE, got '0:x'" },
	{ NULL_PORT "[pipeline.0]\nrx = 3:0\n",
	  "6: [pipeline.0] rx: port '3' is not configured (ports 0 to 0 exist)" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\n[pipeline.1]\nrx = 0:0\n",
	  "[pipeline.1] rx: port 0 queue 0 is already polled by [pipeline.0]" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse |\n",
	  "7: [pipeline.0] stages: '|' at the end leaves an empty group" },
	/* Empty stage groups (issue 11): a worker would run no stage. */
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse || forward tx\n",
	  "7: [pipeline.0] stages: '|' must separate two groups of stages: 'rx parse || forward tx' has an empty group" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse | | forward tx\n",
	  "7: [pipeline.0] stages: '|' must separate two groups of stages: 'rx parse | | forward tx' has an empty group" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx || tx\n",
	  "7: [pipeline.0] stages: '|' must separate two groups of stages: 'rx || tx' has an empty group" },
	/* More groups than lcore slots: refused before lcores is read. */
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx | | | | | | | | | | | tx\n"
	  "lcores = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12\n",
	  "7: [pipeline.0] stages: '|' must separate two groups of stages" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = parse rx tx\n",
	  "7: [pipeline.0] stages: the first stage must be a source such as rx, not 'parse'" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx tx parse\n",
	  "7: [pipeline.0] stages: stage 'tx' is a sink and may only come last" },
	{ NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx | parse | tx\nlcores = 1, 2\n",
	  "8: [pipeline.0] lcores: 2 lcore(s) given for 3 stage group(s)" },
	{ NULL_PORT "[pipeline.2]\nrx = 0:0\n",
	  "5: [pipeline.2]: pipelines must be numbered from 0 without gaps; [pipeline.0] is missing" },
	{ NULL_PORT "[parse]\nipv4_checksum = maybe\n",
	  "6: [parse] ipv4_checksum: expected drop or pass, got 'maybe'" },
	{ NULL_PORT "[acl]\ndefault = allow\n",
	  "6: [acl] default: expected permit or deny, got 'allow'" },
	{ NULL_PORT "[general]\nmode = router\n[pipeline.0]\nrx = 0:0\nstages = rx parse forward tx\n",
	  "[pipeline.0] stages: the forward stage needs mode l2-xconnect or filter; mode is router" },
	{ NULL_PORT "[parse]\ndepth = l3\n",
	  "6: [parse] depth: expected l2 or full, got 'l3'" },
	{ "[general]\nmode = router\n[port.0]\ndev = net_null0\n[parse]\ndepth = l2\n",
	  "6: [parse] depth: mode router needs the L3/L4 headers: use full" },
	/* A missing interface, named before any probe (issue 11). */
	{ "[port.0]\ndev = net_af_packet0,iface=zcnosuchif0\n[forward]\nmap = 0->0\n",
	  "2: [port.0] dev: interface zcnosuchif0 does not exist" },
	{ "[port.0]\ndev = net_pcap0,rx_iface=zcnosuchif1,tx_iface=lo\n[forward]\nmap = 0->0\n",
	  "2: [port.0] dev: interface zcnosuchif1 does not exist" },
	{ "", "no [port.N] section: zcpipe needs at least one port" },
};

START_TEST(bad_file_names_line_section_key)
{
	const struct bad_case *bc = &bad_cases[_i];
	char name[32], want[1024];
	const char *path;

	snprintf(name, sizeof(name), "bad%d.ini", _i);
	path = zc_unit_write_file(name, bc->text);
	ck_assert_msg(zc_config_load(path, &cfg) < 0,
		      "case %d: accepted:\n%s", _i, bc->text);
	if (bc->msg[0] == '[' || strncmp(bc->msg, "no ", 3) == 0)
		snprintf(want, sizeof(want), "%s", bc->msg);
	else
		snprintf(want, sizeof(want), "%s:%s", path, bc->msg);
	ck_assert_msg(strstr(zc_config_strerror(), want) != NULL,
		      "case %d:\n  got:      %s\n  expected: %s", _i,
		      zc_config_strerror(), want);
	ck_assert_msg(strncmp(zc_config_strerror(), path, strlen(path)) == 0,
		      "case %d: message does not start with the file name: %s",
		      _i, zc_config_strerror());
	zc_config_free(&cfg);
}
END_TEST

START_TEST(missing_file)
{
	ck_assert_int_lt(zc_config_load("/nonexistent/zc.ini", &cfg), 0);
	ck_assert_str_eq(zc_config_strerror(),
			 "/nonexistent/zc.ini: cannot open: No such file or directory");
}
END_TEST

/* Files named in the configuration must be regular files: a folder used
 * to read as an empty route or neighbour file, and "-f FOLDER" as a file
 * without ports.
 */
START_TEST(folder_instead_of_file)
{
	static const char *const keys[] = {
		"[route]\nroutes", "[route]\nneighbours", "[acl]\nrules",
	};
	char dir[256], text[1024], want[1024], name[32];
	const char *path;
	unsigned int i;

	path = zc_unit_write_file("dir.ini", "");
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	for (i = 0; i < RTE_DIM(keys); i++) {
		snprintf(text, sizeof(text),
			 "[general]\nmode = router\n[port.0]\ndev = net_null0\n%s = %s\n",
			 keys[i], dir);
		snprintf(name, sizeof(name), "dir%u.ini", i);
		path = zc_unit_write_file(name, text);
		ck_assert_msg(zc_config_load(path, &cfg) < 0,
			      "a folder accepted as %s", keys[i]);
		snprintf(want, sizeof(want), "%s:6: [%.*s] %s: '%s' is a folder, not a file",
			 path, (int)(strchr(keys[i], ']') - keys[i] - 1),
			 keys[i] + 1, strchr(keys[i], '\n') + 1, dir);
		ck_assert_msg(strcmp(zc_config_strerror(), want) == 0,
			      "\n  got:      %s\n  expected: %s",
			      zc_config_strerror(), want);
		zc_config_free(&cfg);
	}
	/* drivers_config is a folder: a file there is refused. */
	snprintf(text, sizeof(text),
		 "[general]\ndrivers_config = %s/dir.ini\n" NULL_PORT, dir);
	path = zc_unit_write_file("drv.ini", text);
	ck_assert_int_lt(zc_config_load(path, &cfg), 0);
	snprintf(want, sizeof(want), "%s:2: [general] drivers_config: '%s/dir.ini' is not a folder",
		 path, dir);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);

	/* The configuration itself. */
	ck_assert_int_lt(zc_config_load(dir, &cfg), 0);
	snprintf(want, sizeof(want), "%s: is a folder, not a file", dir);
	ck_assert_str_eq(zc_config_strerror(), want);
	zc_config_free(&cfg);
}
END_TEST

START_TEST(shared_value_parsers)
{
	struct rte_ether_addr mac;
	uint64_t v;
	uint8_t b;

	ck_assert_int_eq(zc_parse_uint("0", 0, 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(zc_parse_uint("64", 1, 64, &v), 0);
	ck_assert_uint_eq(v, 64);
	ck_assert_int_eq(zc_parse_uint("18446744073709551615", 0, UINT64_MAX,
				       &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_lt(zc_parse_uint("18446744073709551616", 0, UINT64_MAX,
				       &v), 0);
	ck_assert_int_lt(zc_parse_uint("65", 1, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("0", 1, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("010", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("0x10", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("-1", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("+1", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint(" 1", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("1 ", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("", 0, 64, &v), 0);
	ck_assert_int_lt(zc_parse_uint("1e3", 0, 5000, &v), 0);
	ck_assert_int_eq(zc_parse_bool("Yes", &b), 0);
	ck_assert_uint_eq(b, 1);
	ck_assert_int_eq(zc_parse_bool("off", &b), 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_int_lt(zc_parse_bool("2", &b), 0);
	ck_assert_int_eq(zc_parse_unicast_mac("02:00:00:00:00:01", &mac), 0);
	ck_assert_int_lt(zc_parse_unicast_mac("ff:ff:ff:ff:ff:ff", &mac), 0);
	ck_assert_int_lt(zc_parse_unicast_mac("01:00:5e:00:00:01", &mac), 0);
	ck_assert_int_lt(zc_parse_unicast_mac("03:00:00:00:00:01", &mac), 0);
	ck_assert_int_lt(zc_parse_unicast_mac("00:00:00:00:00:00", &mac), 0);
}
END_TEST

START_TEST(address_parsers)
{
	struct rte_ether_addr mac;
	uint32_t a;
	uint8_t a6[16], len;

	ck_assert_int_eq(zc_parse_ipv4_prefix("192.168.1.0/24", &a, &len), 0);
	ck_assert_uint_eq(a, htonl(0xc0a80100));
	ck_assert_uint_eq(len, 24);
	ck_assert_int_eq(zc_parse_ipv4_prefix("10.1.2.3", &a, &len), 0);
	ck_assert_uint_eq(len, 32);
	ck_assert_int_lt(zc_parse_ipv4_prefix("10.1.2.3/33", &a, &len), 0);
	ck_assert_int_lt(zc_parse_ipv4_prefix("10.1.2/8", &a, &len), 0);
	ck_assert_int_lt(zc_parse_ipv4_prefix("10.1.2.3/", &a, &len), 0);
	ck_assert_int_eq(zc_parse_ipv6_prefix("fe80::1/10", a6, &len), 0);
	ck_assert_uint_eq(a6[0], 0xfe);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(zc_parse_ipv6_prefix("::1", a6, &len), 0);
	ck_assert_uint_eq(len, 128);
	ck_assert_int_lt(zc_parse_ipv6_prefix("2001:::1", a6, &len), 0);
	ck_assert_int_eq(zc_parse_mac("02:aa:bb:cc:dd:0f", &mac), 0);
	ck_assert_uint_eq(mac.addr_bytes[1], 0xaa);
	ck_assert_int_lt(zc_parse_mac("02:aa:bb:cc:dd", &mac), 0);
	ck_assert_int_lt(zc_parse_mac("02:aa:bb:cc:dd:0g", &mac), 0);
}
END_TEST

/*
 * Each feature keeps its section's settings itself ([forward] in
 * zc_forward_conf, [parse] in zc_parse_opts ...): a second load must start
 * from the defaults, not from what the first one read.
 */
START_TEST(feature_sections_reset_between_loads)
{
	char a[256], b[256];

	/* zc_unit_write_file() returns the same buffer each time. */
	strlcpy(a, zc_unit_write_file("reset-a.ini",
		"[port.0]\ndev = net_null0\n[port.1]\ndev = net_null1\n"
		"[forward]\nmap = 0->1, 1->0\n"
		"[parse]\nipv4_checksum = drop\nmax_vlan = 5\ndepth = full\n"
		"[acl]\ndefault = deny\n"
		"[route]\nlearn = no\nprobe_ms = 50\nmax_routes = 100\n"),
		sizeof(a));
	strlcpy(b, zc_unit_write_file("reset-b.ini",
		"[port.0]\ndev = net_null0\n[port.1]\ndev = net_null1\n"
		"[forward]\nmap = 0->1\n"), sizeof(b));

	ck_assert_msg(zc_config_load(a, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(zc_forward_conf.xconnect[1], 0);
	ck_assert_uint_eq(zc_parse_opts.drop_bad_csum, 1);
	ck_assert_uint_eq(zc_parse_opts.max_vlan, 5);
	ck_assert_uint_eq(zc_parse_opts.l2_only, 0);
	ck_assert_uint_eq(zc_acl_conf.deny_default, 1);
	ck_assert_uint_eq(zc_route_conf.learn, 0);
	ck_assert_uint_eq(zc_route_conf.probe_ms, 50);
	ck_assert_uint_eq(zc_route_conf.max_routes, 100);
	zc_config_free(&cfg);

	ck_assert_msg(zc_config_load(b, &cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(zc_forward_conf.xconnect[0], 1);
	ck_assert_uint_eq(zc_forward_conf.xconnect[1], ZC_PORT_NONE);
	ck_assert_uint_eq(zc_parse_opts.drop_bad_csum, 0);
	ck_assert_uint_eq(zc_parse_opts.max_vlan, 3);
	ck_assert_uint_eq(zc_parse_opts.given, 0);
	/* A plain wire reads no more than L2. */
	ck_assert_uint_eq(zc_parse_opts.l2_only, 1);
	ck_assert_uint_eq(zc_acl_conf.deny_default, 0);
	ck_assert_uint_eq(zc_route_conf.learn, 1);
	ck_assert_uint_eq(zc_route_conf.probe_ms, 1000);
	ck_assert_uint_eq(zc_route_conf.max_routes, ZC_ROUTE_MAX4_DEFAULT);
	zc_config_free(&cfg);

	/* The mode's defaults are applied after the whole file is read. */
	ck_assert_msg(zc_config_load(zc_unit_write_file("reset-c.ini",
		"[port.0]\ndev = net_null0\n[general]\nmode = router\n"),
		&cfg) == 0, "%s",
		      zc_config_strerror());
	ck_assert_uint_eq(zc_parse_opts.drop_bad_csum, 1);
	ck_assert_uint_eq(zc_parse_opts.l2_only, 0);
	zc_config_free(&cfg);
}
END_TEST

/* The list names the core's sections and every registered one. */
START_TEST(unknown_section_lists_every_section)
{
	const char *path = zc_unit_write_file("unknown.ini",
		NULL_PORT "[forwrd]\nmap = 0->0\n");
	char want[1024];

	ck_assert_int_lt(zc_config_load(path, &cfg), 0);
	snprintf(want, sizeof(want),
		 "%s:5: [forwrd]: unknown section (known: general, port.N, forward, pipeline.N, parse, acl, actions, vxlan.NAME, route",
		 path);
	ck_assert_msg(strncmp(zc_config_strerror(), want, strlen(want)) == 0,
		      "\n  got:      %s\n  expected: %s...",
		      zc_config_strerror(), want);
	zc_config_free(&cfg);
}
END_TEST

/* The exceptions a file format documents, and files of one integer. */
START_TEST(uint_ext_and_uint_files)
{
	const char *path;
	uint64_t v;

	ck_assert_int_eq(zc_parse_uint_ext("0x1f", 0, 255, ZC_UINT_HEX, &v),
			 0);
	ck_assert_uint_eq(v, 31);
	ck_assert_int_eq(zc_parse_uint_ext("0XfF", 0, 255, ZC_UINT_HEX, &v),
			 0);
	ck_assert_uint_eq(v, 255);
	ck_assert_int_lt(zc_parse_uint_ext("0x100", 0, 255, ZC_UINT_HEX, &v),
			 0);
	ck_assert_int_lt(zc_parse_uint_ext("0x", 0, 255, ZC_UINT_HEX, &v), 0);
	ck_assert_int_lt(zc_parse_uint_ext("0x1g", 0, 255, ZC_UINT_HEX, &v),
			 0);
	ck_assert_int_lt(zc_parse_uint_ext("0x1f", 0, 255, 0, &v), 0);
	ck_assert_int_eq(zc_parse_uint_ext("0xffffffffffffffff", 0,
					   UINT64_MAX, ZC_UINT_HEX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_lt(zc_parse_uint_ext("0x10000000000000000", 0,
					   UINT64_MAX, ZC_UINT_HEX, &v), 0);
	ck_assert_int_eq(zc_parse_uint_ext("010", 0, 255, ZC_UINT_ZEROS, &v),
			 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_lt(zc_parse_uint_ext("010", 0, 255, ZC_UINT_HEX, &v), 0);
	ck_assert_int_lt(zc_parse_uint_ext("-1", 0, 255,
					   ZC_UINT_HEX | ZC_UINT_ZEROS, &v), 0);

	path = zc_unit_write_file("vendor", "0x8086\n");
	ck_assert_int_eq(zc_read_uint_file(path, ZC_UINT_HEX, &v), 0);
	ck_assert_uint_eq(v, 0x8086);
	ck_assert_int_lt(zc_read_uint_file(path, 0, &v), 0);
	path = zc_unit_write_file("free", " 42 \n");
	ck_assert_int_eq(zc_read_uint_file(path, 0, &v), 0);
	ck_assert_uint_eq(v, 42);
	path = zc_unit_write_file("bad", "4x\n");
	ck_assert_int_lt(zc_read_uint_file(path, 0, &v), 0);
	ck_assert_int_lt(zc_read_uint_file("/nonexistent/free", 0, &v), 0);
}
END_TEST

/*
 * The stage contract (core/zc_stage.h): default chains, mode and
 * metadata checks and [parse] depth all follow from the stages'
 * declarations. A test stage that reads two groups no one stage writes.
 */
static uint16_t
needy_process(struct zc_stage *st, struct rte_mbuf **pkts, uint16_t n)
{
	RTE_SET_USED(st);
	RTE_SET_USED(pkts);
	return n;
}

static struct zc_stage_ops needy_stage = {
	.name = "test_needy",
	.desc = "test: reads what parse and classify write",
	.reads = ZC_MD_FLOW_HASH | ZC_MD_ACTIONS,
	.process = needy_process,
};

ZC_STAGE_REGISTER(needy_stage);

/* Load text; on an error, compare the message after "PATH:". */
static void
load_expect(const char *text, const char *msg)
{
	const char *path = zc_unit_write_file("contract.ini", text);
	char want[1024];
	int ret = zc_config_load(path, &cfg);

	if (msg == NULL) {
		ck_assert_msg(ret == 0, "%s", zc_config_strerror());
		return;
	}
	ck_assert_msg(ret < 0, "accepted:\n%s", text);
	snprintf(want, sizeof(want), "%s:%s", path, msg);
	ck_assert_msg(strcmp(zc_config_strerror(), want) == 0,
		      "\n  got:      %s\n  expected: %s",
		      zc_config_strerror(), want);
	zc_config_free(&cfg);
}

START_TEST(stage_contract)
{
	static const struct {
		const char *mode;
		const char *chain[ZC_STAGES_MAX];
	} defaults[] = {
		{ "l2-xconnect", { "rx", "parse", "forward", "tx" } },
		{ "router", { "rx", "parse", "classify", "route", "act", "tx" } },
		{ "filter", { "rx", "parse", "classify", "forward", "act", "tx" } },
	};
	char text[512];
	unsigned int i, s;

	/* A mode's default chain: its stages by rank. */
	for (i = 0; i < RTE_DIM(defaults); i++) {
		snprintf(text, sizeof(text),
			 "[general]\nmode = %s\n" NULL_PORT, defaults[i].mode);
		load_expect(text, NULL);
		for (s = 0; defaults[i].chain[s] != NULL; s++)
			ck_assert_str_eq(cfg.pipeline[0].stage[s],
					 defaults[i].chain[s]);
		ck_assert_uint_eq(cfg.pipeline[0].nb_stages, s);
		ck_assert(cfg.pipeline[0].default_chain);
		zc_config_free(&cfg);
	}

	/* Reads: a stage before it must write each group. */
	load_expect("[general]\nmode = router\n" NULL_PORT
		    "[pipeline.0]\nrx = 0:0\nstages = rx route parse tx\n",
		    "9: [pipeline.0] stages: route needs the parse stage before it in the chain");
	load_expect("[general]\nmode = filter\n" NULL_PORT
		    "[pipeline.0]\nrx = 0:0\nstages = rx | classify parse forward tx\n",
		    "9: [pipeline.0] stages: classify needs the parse stage before it in the chain");
	/* Across groups too: what is still missing names its writer ... */
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\n"
		    "stages = rx parse | test_needy forward tx\n",
		    "7: [pipeline.0] stages: test_needy needs the classify stage before it in the chain");
	/* ... or the groups, when no one stage writes them all. */
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\n"
		    "stages = rx | test_needy forward tx\n",
		    "7: [pipeline.0] stages: test_needy reads flow_hash, actions metadata, which no stage before it in the chain writes");
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\n"
		    "stages = rx parse classify | test_needy forward tx\n",
		    NULL);
	zc_config_free(&cfg);

	/* Modes. */
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse route tx\n",
		    "7: [pipeline.0] stages: the route stage needs mode router; mode is l2-xconnect");
	load_expect("[general]\nmode = filter\n" NULL_PORT
		    "[pipeline.0]\nrx = 0:0\nstages = rx parse route tx\n",
		    "9: [pipeline.0] stages: the route stage needs mode router; mode is filter");

	/* [parse] depth: l2 while no stage reads beyond L2. */
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse forward tx\n",
		    NULL);
	ck_assert_uint_eq(zc_parse_opts.l2_only, 1);
	zc_config_free(&cfg);
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse classify forward tx\n",
		    NULL);
	ck_assert_uint_eq(zc_parse_opts.l2_only, 0);
	zc_config_free(&cfg);
	/* act may read the tunnel: decapsulation needs full depth. */
	load_expect(NULL_PORT "[pipeline.0]\nrx = 0:0\nstages = rx parse forward act tx\n",
		    NULL);
	ck_assert_uint_eq(zc_parse_opts.l2_only, 0);
	zc_config_free(&cfg);
	load_expect(NULL_PORT "[parse]\ndepth = l2\n"
		    "[pipeline.0]\nrx = 0:0\nstages = rx parse classify forward tx\n",
		    "6: [parse] depth: [pipeline.0] runs classify, which reads l3, l4 metadata that depth l2 leaves out: use full");
}
END_TEST

Suite *
zc_unit_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, valid_full_file);
	tcase_add_test(tc, defaults_and_default_pipeline);
	tcase_add_loop_test(tc, bad_file_names_line_section_key, 0,
			    (int)RTE_DIM(bad_cases));
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, address_parsers);
	tcase_add_test(tc, folder_instead_of_file);
	tcase_add_test(tc, shared_value_parsers);
	tcase_add_test(tc, feature_sections_reset_between_loads);
	tcase_add_test(tc, unknown_section_lists_every_section);
	tcase_add_test(tc, uint_ext_and_uint_files);
	tcase_add_test(tc, stage_contract);
	suite_add_tcase(s, tc);
	return s;
}
