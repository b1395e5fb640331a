/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/richrule.h"
#include "tap.h"
#include "common/util.h"

/* the canonical text of each, as firewalld 1.3.3's Rich_Rule prints it (str(Rich_Rule(rule_str=...))) */
static void assert_canonical(const char *text, const char *expected)
{
        _cleanup_free_ char *canonical = NULL, *why = NULL;
        const char *code = NULL;

        assert_int_equal(rich_rule_canonical(text, &canonical, &code, &why), 0);
        assert_string_equal(canonical, expected);
}

static void assert_refused(const char *text, int expected_r, const char *expected_code, const char *expected_why)
{
        _cleanup_free_ char *canonical = NULL, *why = NULL;
        const char *code = NULL;

        assert_int_equal(rich_rule_canonical(text, &canonical, &code, &why), expected_r);
        assert_string_equal(code, expected_code);
        assert_string_equal(why, expected_why);
        assert_null(canonical);
}

static void test_canonical(void **state)
{
        assert_canonical("rule priority=\"32767\" reject", "rule priority=\"32767\" reject");
        assert_canonical("rule family=ipv4 source address=10.0.0.1 accept",
                         "rule family=\"ipv4\" source address=\"10.0.0.1\" accept");
        assert_canonical("rule family='ipv6' source NOT address='2001:db8::1/64' drop",
                         "rule family=\"ipv6\" source NOT address=\"2001:db8::1/64\" drop");
        assert_canonical("rule family=ipv4 destination address=10.0.0.0/8 reject",
                         "rule family=\"ipv4\" destination address=\"10.0.0.0/8\" reject");
        assert_canonical("rule priority=-5 family=ipv4 accept", "rule priority=\"-5\" family=\"ipv4\" accept");
        assert_canonical("rule family=ipv4 source address=10.0.0.1/24 accept",
                         "rule family=\"ipv4\" source address=\"10.0.0.1/24\" accept");
        assert_canonical("rule family=ipv6 source address=2001:DB8::1 accept",
                         "rule family=\"ipv6\" source address=\"2001:DB8::1\" accept");
        assert_canonical("rule family=ipv4 source address=10.0.0.1 destination address=10.0.0.2 accept",
                         "rule family=\"ipv4\" source address=\"10.0.0.1\" destination address=\"10.0.0.2\" accept");
        assert_canonical("  rule  source not address=\"10.1.0.0/16\"   family=\"ipv4\" priority=0 drop ",
                         "rule family=\"ipv4\" source NOT address=\"10.1.0.0/16\" drop");
}

static void test_refused_as_firewalld_refuses(void **state)
{
        assert_refused("rule family=ipv4 source address=2001:db8::1 accept", -EINVAL, "INVALID_ADDR", "2001:db8::1");
        assert_refused("rule source address=10.0.0.1 accept", -EINVAL, "MISSING_FAMILY", "");
        assert_refused("rule accept", -EINVAL, "INVALID_RULE", "no element, no source, no destination");
        assert_refused("rule priority=0 drop", -EINVAL, "INVALID_RULE", "no element, no source, no destination");
        assert_refused("rule", -EINVAL, "INVALID_RULE", "no element, no action");
        assert_refused("rule priority=40000 accept", -EINVAL, "INVALID_PRIORITY",
                       "'priority' attribute must be between -32768 and 32767.");
        assert_refused("rule foo accept", -EINVAL, "INVALID_RULE", "unknown element foo");
        assert_refused("rule family=ipv4 source address=10.0.0.1 accept drop", -EINVAL, "INVALID_RULE",
                       "more than one 'action' element. There cannot be both 'drop' and 'accept' in one rule.");
        assert_refused("rule family=ipx source address=10.0.0.1 accept", -EINVAL, "INVALID_FAMILY", "ipx");
        assert_refused("rule family=ipv4 source address=10.0.0.1/33 accept", -EINVAL, "INVALID_ADDR", "10.0.0.1/33");
        assert_refused("rule family=ipv4 source address=\"10.0.0.1 accept", -EINVAL, "INVALID_RULE",
                       "a quote is not closed");
        assert_refused("accept", -EINVAL, "INVALID_RULE", "a rule starts with 'rule'");
        assert_refused("", -EINVAL, "INVALID_RULE", "empty rule");
        assert_refused("rule family=ipv4 source address=10.0.0.1 bogus=1 accept", -EINVAL, "INVALID_RULE",
                       "bad attribute 'bogus'");
        assert_refused("rule family=ipv4 source address=10.0.0.1 source address=10.0.0.2 accept", -EINVAL,
                       "INVALID_RULE", "more than one 'source' element");
        assert_refused("rule family=ipv4 source accept", -EINVAL, "INVALID_RULE", "source without an address");
}

static void test_not_offered(void **state)
{
        assert_refused("rule family=ipv4 source address=10.0.0.1 service name=ssh accept", -EOPNOTSUPP,
                       "NOT_SUPPORTED", "rich rules with service are not offered by nftbus");
        assert_refused("rule family=ipv4 source address=10.0.0.1 log prefix=x accept", -EOPNOTSUPP, "NOT_SUPPORTED",
                       "rich rules with log are not offered by nftbus");
        assert_refused("rule family=ipv4 source ipset=x accept", -EOPNOTSUPP, "NOT_SUPPORTED",
                       "rich rules with a source ipset are not offered by nftbus");
        assert_refused("rule family=ipv4 source address=10.0.0.1 reject type=icmp-host-prohibited", -EOPNOTSUPP,
                       "NOT_SUPPORTED", "rich rules with a reject type are not offered by nftbus");
}

static void test_hostile(void **state)
{
        char long_word[400], many[2000] = "rule";

        memset(long_word, 'a', sizeof(long_word) - 1);
        long_word[sizeof(long_word) - 1] = '\0';
        assert_refused(long_word, -EINVAL, "INVALID_RULE", "too many or too long words");
        for (int i = 0; i < 40; i++)
                strcat(many, " drop");
        assert_refused(many, -EINVAL, "INVALID_RULE", "too many or too long words");
        /* what could break the nft text out of its rule never passes the address check */
        assert_refused("rule family=ipv4 source address=\"10.0.0.1 accept; flush ruleset\" accept", -EINVAL,
                       "INVALID_ADDR", "10.0.0.1 accept; flush ruleset");
        /* a new line is white space, as for firewalld: never a second nft rule */
        assert_canonical("rule family=ipv4 source address=10.0.0.1\n accept",
                         "rule family=\"ipv4\" source address=\"10.0.0.1\" accept");
}

static void assert_nft(const char *text, char place, const char *expected)
{
        _cleanup_free_ char *why = NULL, *out = NULL;
        const char *code = NULL;
        size_t size = 0;
        RichRule r;
        FILE *f;

        assert_int_equal(rich_rule_parse(text, &r, &code, &why), 0);
        assert_int_equal(rich_rule_place(&r), place);
        f = open_memstream(&out, &size);
        assert_non_null(f);
        rich_rule_print_nft(f, &r);
        fclose(f);
        assert_string_equal(out, expected);
}

static void test_nft(void **state)
{
        assert_nft("rule priority=32767 reject", 'l', "\t\treject\n");
        assert_nft("rule family=ipv4 source address=10.0.0.1 accept", 'a',
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 accept\n");
        assert_nft("rule family=ipv6 source NOT address=2001:db8::/32 destination address=2001:db8::1 drop", 'd',
                   "\t\tmeta nfproto ipv6 ip6 saddr != 2001:db8::/32 ip6 daddr 2001:db8::1 drop\n");
        assert_nft("rule priority=-1 family=ipv4 reject", 'p', "\t\tmeta nfproto ipv4 reject\n");
}

TAP_MAIN(cmocka_unit_test(test_canonical), cmocka_unit_test(test_refused_as_firewalld_refuses),
         cmocka_unit_test(test_not_offered), cmocka_unit_test(test_hostile), cmocka_unit_test(test_nft))
