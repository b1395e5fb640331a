/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/richrule.h"
#include "tap.h"
#include "common/util.h"

#include "richrule-oracle.h"

/* every rule of richrule-cases.txt: the canonical text firewalld's parser prints, or its code and words */
static void test_as_firewalld(void **state)
{
        for (size_t i = 0; i < ELEMENTSOF(oracle); i++) {
                _cleanup_free_ char *canonical = NULL, *why = NULL;
                const char *code = NULL;
                int r = rich_rule_canonical(oracle[i].rule, &canonical, &code, &why);

                if (*oracle[i].code) {
                        if (r != -EINVAL || !streq(code, oracle[i].code) || !streq(why, oracle[i].expected))
                                fail_msg("'%s': expected %s: %s, got %d %s: %s", oracle[i].rule, oracle[i].code,
                                         oracle[i].expected, r, strempty(code), strempty(why));
                        assert_null(canonical);
                } else if (r != 0 || !streq(canonical, oracle[i].expected))
                        fail_msg("'%s': expected '%s', got %d '%s' (%s: %s)", oracle[i].rule, oracle[i].expected, r,
                                 strempty(canonical), strempty(code), strempty(why));
        }
}

static void assert_refused(const char *text, const char *expected_code, const char *expected_why)
{
        _cleanup_free_ char *canonical = NULL, *why = NULL;
        const char *code = NULL;

        assert_int_equal(rich_rule_canonical(text, &canonical, &code, &why), -EINVAL);
        assert_string_equal(code, expected_code);
        assert_string_equal(why, expected_why);
        assert_null(canonical);
}

static void test_hostile(void **state)
{
        char long_word[400], many[2000] = "rule";

        memset(long_word, 'a', sizeof(long_word) - 1);
        long_word[sizeof(long_word) - 1] = '\0';
        assert_refused(long_word, "INVALID_RULE", "a word longer than 255 characters");
        for (int i = 0; i < 60; i++)
                strcat(many, " drop");
        assert_refused(many, "INVALID_RULE", "more than 47 words");
        /* firewalld's shell words: an unclosed quote, a backslash at the end */
        assert_refused("rule family=ipv4 source address=\"10.0.0.1 accept", "INVALID_RULE", "No closing quotation");
        assert_refused("rule family=ipv4 source address=10.0.0.1 accept \\", "INVALID_RULE", "No escaped character");
        /* control characters are dropped before the words are split, as firewalld drops them */
        _cleanup_free_ char *canonical = NULL, *why = NULL;
        const char *code = NULL;
        assert_int_equal(rich_rule_canonical("rule family=ipv4 source address=10.0.\x01\x7f"
                                             "0.1 \xc2\x85"
                                             "accept\x1b",
                                             &canonical, &code, &why),
                         0);
        assert_string_equal(canonical, "rule family=\"ipv4\" source address=\"10.0.0.1\" accept");
        /* elements inside elements end the rule's reading */
        assert_refused("rule rule rule rule rule accept", "INVALID_RULE", "'rule' inside another element");
        assert_refused("rule not accept", "INVALID_RULE", "'not' is not an element of a rule");
}

/* the rule parsed, its chain, its place and its log's */
static void assert_placed(const char *text, RichChain chain, char place, char log_place)
{
        _cleanup_free_ char *why = NULL;
        const char *code = NULL;
        RichRule r;

        assert_int_equal(rich_rule_parse(text, &r, &code, &why), 0);
        assert_int_equal(rich_rule_chain(&r), chain);
        assert_int_equal(rich_rule_place(&r), place);
        assert_int_equal(rich_rule_log_place(&r), log_place);
}

/* firewalld's chains and their suffixes (_pre, _log, _deny, _allow, _post) */
static void test_places(void **state)
{
        assert_placed("rule priority=32767 reject", RICH_CHAIN_INPUT, 'l', 'l');
        assert_placed("rule family=ipv4 source address=10.0.0.1 log accept", RICH_CHAIN_INPUT, 'a', 'L');
        assert_placed("rule family=ipv4 source address=10.0.0.1 audit drop", RICH_CHAIN_INPUT, 'd', 'L');
        assert_placed("rule priority=-1 family=ipv4 source address=10.0.0.1 log reject", RICH_CHAIN_INPUT, 'p', 'p');
        assert_placed("rule icmp-block name=echo-request", RICH_CHAIN_INPUT, 'd', 'L');
        assert_placed("rule family=ipv4 forward-port port=80 protocol=tcp to-port=8080", RICH_CHAIN_PREROUTING, 'a',
                      'L');
        assert_placed("rule family=ipv4 source address=10.0.0.0/8 masquerade", RICH_CHAIN_POSTROUTING, 'a', 'L');
        assert_placed("rule tcp-mss-clamp value=1400", RICH_CHAIN_FORWARD, 'a', 'L');
        assert_placed("rule family=ipv4 source address=10.0.0.1 mark set=5", RICH_CHAIN_MANGLE, 'a', 'L');
        assert_placed("rule priority=2 family=ipv4 port port=22 protocol=tcp mark set=5", RICH_CHAIN_MANGLE, 'l', 'l');
}

/* the rule parsed (*r), and its family, destination and source in nft's words */
static char *peers_of(const char *text, RichRule *r)
{
        _cleanup_free_ char *why = NULL;
        const char *code = NULL;
        char *peers = NULL;
        size_t size = 0;
        FILE *f;

        assert_int_equal(rich_rule_parse(text, r, &code, &why), 0);
        f = open_memstream(&peers, &size);
        assert_non_null(f);
        rich_rule_print_peers(f, r, NULL);
        assert_int_equal(fclose(f), 0);
        return peers;
}

static void assert_peers(const char *text, const char *expected)
{
        RichRule r;
        _cleanup_free_ char *peers = peers_of(text, &r);

        assert_string_equal(peers, expected);
}

/* a prefix with host bits as nft takes it; a dotted mask as its length, or as a bitwise match; a MAC */
static void test_peers(void **state)
{
        assert_peers("rule family=ipv4 source address=10.1.2.3/8 drop", "meta nfproto ipv4 ip saddr 10.0.0.0/8 ");
        assert_peers("rule family=ipv4 source address=10.0.0.0/255.255.0.0 drop",
                     "meta nfproto ipv4 ip saddr 10.0.0.0/16 ");
        assert_peers("rule family=ipv4 source address=10.0.0.0/255.0.255.0 drop",
                     "meta nfproto ipv4 ip saddr & 255.0.255.0 == 10.0.0.0 ");
        assert_peers("rule family=ipv6 source NOT address=2001:db8::1/32 destination address=2001:DB8::1 drop",
                     "meta nfproto ipv6 ip6 daddr 2001:db8::1 ip6 saddr != 2001:db8::/32 ");
        assert_peers("rule source mac=00:11:22:aa:bb:cc drop", "ether saddr 00:11:22:AA:BB:CC ");
}

/* what a rule writes at one place for one match */
static void assert_nft(const char *text, char place, const char *what, const char *statement, const char *expected)
{
        RichRule r;
        _cleanup_free_ char *peers = peers_of(text, &r), *match = NULL, *out = NULL;
        size_t size = 0;
        FILE *f;

        assert_int_not_equal(asprintf(&match, "%s%s", peers, what), -1);
        f = open_memstream(&out, &size);
        assert_non_null(f);
        rich_rule_print_terminals(f, &r, place, match, statement);
        assert_int_equal(fclose(f), 0);
        assert_string_equal(out, expected);
}

static void test_nft(void **state)
{
        assert_nft("rule priority=32767 reject", 'l', "", NULL, "\t\treject\n");
        assert_nft("rule family=ipv4 source address=10.0.0.1 accept", 'a', "", NULL,
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 accept\n");
        assert_nft("rule family=ipv6 source NOT address=2001:db8::/32 destination address=2001:db8::1 drop", 'd', "",
                   NULL, "\t\tmeta nfproto ipv6 ip6 daddr 2001:db8::1 ip6 saddr != 2001:db8::/32 drop\n");
        /* fail2ban's rule: the log at its own place, the action at another */
        assert_nft("rule family=ipv4 source address=192.0.2.7 port port=22 protocol=tcp reject "
                   "type=icmp-port-unreachable",
                   'd', "tcp dport 22 ", NULL,
                   "\t\tmeta nfproto ipv4 ip saddr 192.0.2.7 tcp dport 22 reject with icmp type port-unreachable\n");
        assert_nft("rule family=ipv4 source address=10.0.0.1 log prefix=\"in \\\"x\\\" \" level=warning limit "
                   "value=3/m audit limit value=1/s accept limit value=5/h",
                   'L', "", NULL,
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 limit rate 3/minute log level warn prefix \"in \\\"x\\\" "
                   "\" \n"
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 limit rate 1/second log level audit\n");
        assert_nft("rule family=ipv4 source address=10.0.0.1 log prefix=x audit accept limit value=5/h", 'a', "", NULL,
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 limit rate 5/hour accept\n");
        assert_nft("rule family=ipv4 source address=10.0.0.1 nflog group=3 queue-size=8 prefix=n drop", 'L', "", NULL,
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 log group 3 queue-threshold 8 prefix \"n\" \n");
        assert_nft("rule family=ipv4 source address=10.0.0.1 mark set=0x10/0xff", 'a', "", NULL,
                   "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 meta mark set meta mark & 0xff ^ 0x10\n");
        assert_nft("rule family=ipv6 port port=22 protocol=tcp reject type=icmp6-adm-prohibited", 'd', "tcp dport 22 ",
                   NULL, "\t\tmeta nfproto ipv6 tcp dport 22 reject with icmpv6 type admin-prohibited\n");
        /* the elements without an action: their statement; a port forward logs nothing, as firewalld's */
        assert_nft("rule family=ipv4 log forward-port port=80 protocol=tcp to-port=8080", 'a', "tcp dport 80 ",
                   "redirect to :8080", "\t\tmeta nfproto ipv4 tcp dport 80 redirect to :8080\n");
        assert_nft("rule family=ipv4 log forward-port port=80 protocol=tcp to-port=8080", 'L', "tcp dport 80 ",
                   "redirect to :8080", "");
        assert_nft("rule icmp-block name=echo-request", 'd', "icmp type echo-request ",
                   "reject with icmpx admin-prohibited",
                   "\t\ticmp type echo-request reject with icmpx admin-prohibited\n");
}

static void test_reject_statements(void **state)
{
        assert_string_equal(rich_reject_statement("tcp-reset"), "reject with tcp reset");
        assert_string_equal(rich_reject_statement("port-unreach"), "reject with icmpx type port-unreachable");
        assert_string_equal(rich_reject_statement("icmp-proto-unreachable"), "reject with icmp type prot-unreachable");
        assert_null(rich_reject_statement("bogus"));
}

TAP_MAIN(cmocka_unit_test(test_as_firewalld), cmocka_unit_test(test_hostile), cmocka_unit_test(test_places),
         cmocka_unit_test(test_peers), cmocka_unit_test(test_nft), cmocka_unit_test(test_reject_statements))
