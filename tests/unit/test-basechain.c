/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "core/basechain.h"
#include "tap.h"
#include "common/util.h"
#include "common/validate.h"

static char *devs_eth0[] = { "eth0", NULL };

/* check(family, options) -> the refusal's sentence, or "ok <priority>" */
static char *check(int family, ChainOptions o)
{
        char *why = NULL, *out = NULL;
        int32_t prio = 12345;

        if (chain_options_check(family, &o, &prio, &why) < 0) {
                assert_non_null(why);
                return why;
        }
        assert_null(why);
        assert_true(asprintf(&out, "ok %d", prio) > 0);
        return out;
}

#define assert_check(expected, family, ...)                                                                           \
        do {                                                                                                          \
                _cleanup_free_ char *_got = check(family, (ChainOptions){ __VA_ARGS__ });                             \
                assert_string_equal(_got, expected);                                                                  \
        } while (0)

static void test_regular_chains(void **state)
{
        assert_check("ok 0", NFTBUS_FAMILY_INET);
        assert_check("A policy needs a base chain: give a hook, or leave the policy out (a regular chain has "
                     "none)",
                     NFTBUS_FAMILY_INET, .policy = "drop");
        assert_check("Type, priority and devices belong to base chains: give a hook too", NFTBUS_FAMILY_INET,
                     .type = "filter");
        assert_check("Type, priority and devices belong to base chains: give a hook too", NFTBUS_FAMILY_IP,
                     .priority = "10");
        assert_check("Type, priority and devices belong to base chains: give a hook too", NFTBUS_FAMILY_NETDEV,
                     .devices = devs_eth0);
}

static void test_base_chains(void **state)
{
        assert_check("ok 0", NFTBUS_FAMILY_INET, .hook = "input", .policy = "drop");
        assert_check("ok -200", NFTBUS_FAMILY_BRIDGE, .hook = "forward");
        assert_check("ok -100", NFTBUS_FAMILY_IP, .type = "nat", .hook = "prerouting", .priority = "dstnat");
        assert_check("ok 100", NFTBUS_FAMILY_IP6, .type = "nat", .hook = "postrouting", .priority = "srcnat");
        assert_check("ok -150", NFTBUS_FAMILY_INET, .type = "route", .hook = "output", .priority = "mangle");
        assert_check("ok 0", NFTBUS_FAMILY_NETDEV, .hook = "ingress", .devices = devs_eth0);
        assert_check("ok 0", NFTBUS_FAMILY_NETDEV, .hook = "egress", .devices = devs_eth0);
        assert_check("ok 0", NFTBUS_FAMILY_INET, .hook = "ingress", .devices = devs_eth0);
        assert_check("ok 0", NFTBUS_FAMILY_ARP, .hook = "output");
}

static void test_invalid_combinations(void **state)
{
        assert_check("nat chains do not exist in the netdev family; they exist in ip, ip6 and inet",
                     NFTBUS_FAMILY_NETDEV, .type = "nat", .hook = "ingress", .devices = devs_eth0);
        assert_check("The ingress hook of the inet family needs a device: give the device or devices option",
                     NFTBUS_FAMILY_INET, .hook = "ingress");
        assert_check("The egress hook of the netdev family needs a device: give the device or devices option",
                     NFTBUS_FAMILY_NETDEV, .hook = "egress");
        assert_check("Devices belong to ingress and egress chains only, not to the input hook", NFTBUS_FAMILY_INET,
                     .hook = "input", .devices = devs_eth0);
        assert_check("A route chain cannot use the input hook: route chains hook output only", NFTBUS_FAMILY_IP,
                     .type = "route", .hook = "input");
        assert_check("A nat chain cannot use the forward hook: nat chains hook prerouting, input, output or "
                     "postrouting",
                     NFTBUS_FAMILY_INET, .type = "nat", .hook = "forward");
        assert_check("The arp family has no prerouting hook", NFTBUS_FAMILY_ARP, .hook = "prerouting");
        assert_check("The ip family has no egress hook", NFTBUS_FAMILY_IP, .hook = "egress");
        assert_check("Invalid hook 'inptu': expected prerouting, input, forward, output, postrouting, ingress or "
                     "egress",
                     NFTBUS_FAMILY_INET, .hook = "inptu");
        assert_check("Invalid type 'mangle': expected filter, nat or route", NFTBUS_FAMILY_INET, .type = "mangle",
                     .hook = "input");
        assert_check("Invalid policy 'reject': expected accept or drop", NFTBUS_FAMILY_INET, .hook = "input",
                     .policy = "reject");
}

static void test_priorities(void **state)
{
        static const struct {
                int family;
                const char *text;
                int32_t value;
        } good[] = {
                { NFTBUS_FAMILY_INET, "filter + 10", 10 }, { NFTBUS_FAMILY_INET, "filter+10", 10 },
                { NFTBUS_FAMILY_INET, "srcnat - 5", 95 },  { NFTBUS_FAMILY_INET, "raw", -300 },
                { NFTBUS_FAMILY_IP, "security", 50 },      { NFTBUS_FAMILY_IP6, "-150", -150 },
                { NFTBUS_FAMILY_BRIDGE, "out", 100 },      { NFTBUS_FAMILY_BRIDGE, "dstnat", -300 },
                { NFTBUS_FAMILY_NETDEV, "filter", 0 },     { NFTBUS_FAMILY_INET, "2147483647", INT32_MAX },
        };
        static const char *const bad[] = { "out",     "filter +",   "filter + x", "filter * 2",      "+10",
                                           " 10",     "2147483648", "",           "filter + 100001", "filter - -1",
                                           "mangle10" };
        int32_t v;

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                assert_int_equal(priority_parse(good[i].family, good[i].text, &v, NULL), 0);
                assert_int_equal(v, good[i].value);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *why = NULL;
                assert_int_equal(priority_parse(NFTBUS_FAMILY_INET, bad[i], &v, &why), -EINVAL);
                assert_non_null(why);
        }
}

static void test_names_of_kernel_values(void **state)
{
        assert_string_equal(hook_to_string(NFTBUS_FAMILY_INET, 1), "input");
        assert_string_equal(hook_to_string(NFTBUS_FAMILY_INET, 5), "ingress");
        assert_string_equal(hook_to_string(NFTBUS_FAMILY_NETDEV, 0), "ingress");
        assert_string_equal(hook_to_string(NFTBUS_FAMILY_NETDEV, 1), "egress");
        assert_string_equal(hook_to_string(NFTBUS_FAMILY_ARP, 1), "output");
        assert_string_equal(hook_to_string(NFTBUS_FAMILY_BRIDGE, 4), "postrouting");
        assert_null(hook_to_string(NFTBUS_FAMILY_IP, 9));
        assert_string_equal(policy_to_string(0), "drop");
        assert_string_equal(policy_to_string(1), "accept");
        assert_null(policy_to_string(3));
}

TAP_MAIN(cmocka_unit_test(test_regular_chains), cmocka_unit_test(test_base_chains),
         cmocka_unit_test(test_invalid_combinations), cmocka_unit_test(test_priorities),
         cmocka_unit_test(test_names_of_kernel_values))
