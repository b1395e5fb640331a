/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/objspec.h"
#include "tap.h"

#define T(n) (&(ObjectTarget){ .family = NFTBUS_FAMILY_INET, .table = "filter", .name = (n) })

static void assert_json(json_t *j, const char *expected)
{
        _cleanup_free_ char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

        assert_non_null(text);
        assert_string_equal(text, expected);
        json_decref(j);
}

/* why is read after r was computed: arguments are evaluated in no set order */
static void assert_refused(int r, char **why, const char *expected)
{
        assert_int_equal(r, -EINVAL);
        assert_non_null(*why);
        assert_string_equal(*why, expected);
        free(*why);
        *why = NULL;
}

static void test_chain(void **state)
{
        json_t *j = NULL;
        char *text = NULL, *why = NULL;

        assert_int_equal(chain_spec_build(T("c"), &(ChainSpec){}, &j, &text, &why), 0);
        assert_json(j, "{\"family\":\"inet\",\"name\":\"c\",\"table\":\"filter\"}");
        assert_int_equal(chain_spec_build(T("input"),
                                          &(ChainSpec){ .hook = "input", .priority = "filter + 10", .policy = "drop" },
                                          &j, &text, &why),
                         0);
        assert_json(j, "{\"family\":\"inet\",\"hook\":\"input\",\"name\":\"input\",\"policy\":\"drop\",\"prio\":10,"
                       "\"table\":\"filter\",\"type\":\"filter\"}");
        assert_null(text);
        /* a comment: nft syntax, which carries it */
        assert_int_equal(
                chain_spec_build(T("input"), &(ChainSpec){ .hook = "input", .comment = "mine" }, &j, &text, &why), 0);
        assert_non_null(text);
        assert_non_null(strstr(text, "comment \"mine\""));
        free(text);
        text = NULL;
        assert_refused(chain_spec_build(T("c"), &(ChainSpec){ .policy = "drop" }, &j, &text, &why), &why,
                       "A policy needs a base chain: give a hook, or leave the policy out (a regular chain has none)");
}

static void test_counter_quota_limit(void **state)
{
        json_t *j = NULL;
        char *why = NULL;

        assert_int_equal(counter_spec_build(T("hits"), &(CounterSpec){ .packets = 3, .bytes = 300, .comment = "web" },
                                            &j, &why),
                         0);
        assert_json(j, "{\"bytes\":300,\"comment\":\"web\",\"family\":\"inet\",\"name\":\"hits\",\"packets\":3,"
                       "\"table\":\"filter\"}");
        assert_refused(counter_spec_build(T("hits"), &(CounterSpec){ .packets = UINT64_MAX }, &j, &why), &why,
                       "Initial packets and bytes go up to 2^63-1");

        assert_int_equal(quota_spec_build(T("q"), &(QuotaSpec){ .bytes = 1000, .used = 10, .over = true }, &j, &why),
                         0);
        assert_json(
                j,
                "{\"bytes\":1000,\"family\":\"inet\",\"inv\":true,\"name\":\"q\",\"table\":\"filter\",\"used\":10}");
        assert_refused(quota_spec_build(T("q"), &(QuotaSpec){ .bytes = 10, .used = 11 }, &j, &why), &why,
                       "A quota's used bytes cannot exceed the quota");
        assert_refused(quota_spec_build(T("q"), &(QuotaSpec){}, &j, &why), &why, "A quota is from 1 to 2^63-1 bytes");

        assert_int_equal(limit_spec_build(T("l"), &(LimitSpec){ .rate = 10, .per = "minute" }, &j, &why), 0);
        assert_json(j, "{\"family\":\"inet\",\"inv\":false,\"name\":\"l\",\"per\":\"minute\",\"rate\":10,"
                       "\"rate_unit\":\"packets\",\"table\":\"filter\"}");
        /* the rate's unit is the burst's too */
        assert_int_equal(
                limit_spec_build(
                        T("l"),
                        &(LimitSpec){
                                .rate = 1000, .per = "second", .unit = "bytes", .has_burst = true, .burst = 5000 },
                        &j, &why),
                0);
        assert_json(j, "{\"burst\":5000,\"burst_unit\":\"bytes\",\"family\":\"inet\",\"inv\":false,\"name\":\"l\","
                       "\"per\":\"second\",\"rate\":1000,\"rate_unit\":\"bytes\",\"table\":\"filter\"}");
        assert_refused(limit_spec_build(T("l"), &(LimitSpec){ .rate = 1, .per = "fortnight" }, &j, &why), &why,
                       "Invalid per 'fortnight': expected second, minute, hour, day or week");
        assert_refused(
                limit_spec_build(T("l"), &(LimitSpec){ .rate = 1, .per = "second", .unit = "kbytes" }, &j, &why), &why,
                "A limit's unit is packets or bytes");
}

static void test_flowtable(void **state)
{
        char *devices[] = { "eth0", "eth1", NULL }, *bad[] = { "a b", NULL };
        json_t *j = NULL;
        char *why = NULL;

        assert_int_equal(flowtable_spec_build(T("f"), &(FlowtableSpec){ .devices = devices }, &j, &why), 0);
        assert_json(j,
                    "{\"dev\":[\"eth0\",\"eth1\"],\"family\":\"inet\",\"hook\":\"ingress\",\"name\":\"f\",\"prio\":0,"
                    "\"table\":\"filter\"}");
        assert_refused(
                flowtable_spec_build(&(ObjectTarget){ .family = NFTBUS_FAMILY_BRIDGE, .table = "b", .name = "f" },
                                     &(FlowtableSpec){ .devices = devices }, &j, &why),
                &why, "Flowtables exist in the ip, ip6 and inet families");
        assert_refused(
                flowtable_spec_build(T("f"), &(FlowtableSpec){ .hook = "egress", .devices = devices }, &j, &why), &why,
                "A flowtable's hook is ingress");
        assert_refused(flowtable_spec_build(T("f"), &(FlowtableSpec){}, &j, &why), &why,
                       "A flowtable needs its devices: give the devices option");
        assert_int_equal(flowtable_spec_build(T("f"), &(FlowtableSpec){ .devices = bad }, &j, &why), -EINVAL);
        free(why);
}

static void test_set_and_map(void **state)
{
        char *flags[] = { "interval", NULL }, *timeout[] = { "timeout", NULL };
        json_t *j = NULL;
        char *text = NULL, *why = NULL;

        assert_int_equal(set_spec_build(T("s"),
                                        &(SetSpec){ .type = "ipv4_addr . inet_service",
                                                    .flags = timeout,
                                                    .timeout = 600,
                                                    .size = 100,
                                                    .counter = true },
                                        &j, &text, &why),
                         0);
        assert_json(j,
                    "{\"family\":\"inet\",\"flags\":[\"timeout\"],\"name\":\"s\",\"size\":100,\"stmt\":[{\"counter\":"
                    "null}],\"table\":\"filter\",\"timeout\":600,\"type\":[\"ipv4_addr\",\"inet_service\"]}");
        assert_int_equal(set_spec_build(T("m"),
                                        &(SetSpec){ .map = true, .type = "ipv4_addr", .value_type = "verdict" }, &j,
                                        &text, &why),
                         0);
        assert_json(j, "{\"family\":\"inet\",\"flags\":[],\"map\":\"verdict\",\"name\":\"m\",\"table\":\"filter\","
                       "\"type\":\"ipv4_addr\"}");
        /* auto-merge and a comment: nft syntax */
        assert_int_equal(
                set_spec_build(T("nets"),
                               &(SetSpec){ .type = "ipv4_addr", .flags = flags, .auto_merge = true, .comment = "x" },
                               &j, &text, &why),
                0);
        assert_string_equal(text, "create set inet filter nets { type ipv4_addr; flags interval; auto-merge; "
                                  "comment \"x\"; }");
        free(text);
        text = NULL;
        /* the dynamic flag, which libnftables 1.0.6's JSON input refuses: nft syntax */
        char *dynamic[] = { "dynamic", "timeout", NULL };
        assert_int_equal(set_spec_build(T("seen"), &(SetSpec){ .type = "ipv4_addr", .flags = dynamic, .timeout = 60 },
                                        &j, &text, &why),
                         0);
        assert_string_equal(text,
                            "create set inet filter seen { type ipv4_addr; flags dynamic,timeout; timeout 60s; }");
        free(text);
        text = NULL;
        assert_refused(set_spec_build(T("s"), &(SetSpec){ .type = "ipv4_addr", .auto_merge = true }, &j, &text, &why),
                       &why, "auto-merge needs the interval flag");
        assert_refused(set_spec_build(T("s"), &(SetSpec){ .type = "ipv4_addr", .gc_interval = 5 }, &j, &text, &why),
                       &why, "gc-interval needs the timeout flag or a timeout");
        assert_refused(set_spec_build(T("s"), &(SetSpec){ .type = "ipv4_addr", .policy = "fast" }, &j, &text, &why),
                       &why, "Invalid policy: expected performance or memory");
        assert_refused(set_spec_build(T("m"), &(SetSpec){ .map = true, .type = "ipv4_addr", .value_type = "nothing" },
                                      &j, &text, &why),
                       &why,
                       "Unknown value type: expected verdict, ipv4_addr, ipv6_addr, ether_addr, inet_proto, "
                       "inet_service, mark, ifname or another nftables type");
}

TAP_MAIN(cmocka_unit_test(test_chain), cmocka_unit_test(test_counter_quota_limit), cmocka_unit_test(test_flowtable),
         cmocka_unit_test(test_set_and_map))
