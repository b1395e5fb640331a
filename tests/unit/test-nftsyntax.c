/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/nftsyntax.h"
#include "tap.h"
#include "common/util.h"

static const char *const accepted[] = {
        "accept",
        "ip saddr 10.0.0.0/8 tcp dport { 22, 443 } ct state new counter accept",
        "tcp dport 22\taccept",
        "iifname \"eth0\" oifname != \"lo\" accept",
        "log prefix \"a;b#c$d\\ include\" level warn", /* anything printable goes inside quotes */
        "meta mark set 0x1 comment \"include define\"",
        "tcp dport vmap { 22 : accept, 80 : jump web }",
        "ip saddr @blocklist drop",
        "@th,0,16 0x1234 drop",
        "ip6 daddr != fe80::/10 counter",
        "update @meter { ip saddr limit rate over 10/second } drop",
        "tcp flags & (syn | ack) == syn",
        "meta l4proto { tcp, udp } th dport 53 accept",
        "includes", /* a word that only starts like a refused one */
        "ip saddr . tcp dport { 10.0.0.1 . 22 } accept",
        "ct mark and 0xff00 == 0x100 ether saddr 00:11:22:33:44:55 reject with tcp reset",
};

static const struct {
        const char *body;
        const char *why;
} refused[] = {
        { "accept; flush ruleset", "The rule contains ';' at byte 7: one call adds one rule" },
        { "accept ;", "The rule contains ';' at byte 8: one call adds one rule" },
        { "accept\nflush ruleset", "The rule contains a control character at byte 7: a rule is one line" },
        { "accept\r", "The rule contains a control character at byte 7: a rule is one line" },
        { "accept\x7f", "The rule contains a control character at byte 7" },
        { "accept # drop", "The rule contains '#' at byte 8: comments are given as comment \"...\" or the "
                           "comment option" },
        { "include \"/etc/shadow\"", "The rule contains 'include': a rule cannot read files or define variables" },
        { "accept include \"x\"", "The rule contains 'include': a rule cannot read files or define variables" },
        { "define x = 1", "The rule contains 'define': a rule cannot read files or define variables" },
        { "redefine x = 1", "The rule contains 'redefine': a rule cannot read files or define variables" },
        { "undefine x", "The rule contains 'undefine': a rule cannot read files or define variables" },
        { "ip saddr $x accept", "The rule contains '$' at byte 10: variables are not available" },
        { "accept }", "The rule closes a brace it did not open, at byte 8" },
        { "accept } ; table ip x { }", "The rule closes a brace it did not open, at byte 8" },
        { "tcp dport { 22, 443 accept", "The rule leaves a brace, bracket or parenthesis open" },
        { "tcp flags & (syn", "The rule leaves a brace, bracket or parenthesis open" },
        { "@th,0,16 ] 1", "The rule closes a bracket it did not open, at byte 10" },
        { "tcp flags ) syn", "The rule closes a parenthesis it did not open, at byte 11" },
        { "log prefix \"open", "The rule has a quoted string without its closing quote" },
        { "position 3 accept", "The rule starts with 'position': a rule's place is given with the index, "
                               "after, before and insert options" },
        { "  handle 3 accept", "The rule starts with 'handle': a rule's place is given with the index, after, "
                               "before and insert options" },
        { "index 0 accept", "The rule starts with 'index': a rule's place is given with the index, after, "
                            "before and insert options" },
        { "", "The rule is empty" },
        { " \t ", "The rule is empty" },
        { "accept \\", "The rule contains a character nft does not use at byte 8" },
        { "accept `id`", "The rule contains a character nft does not use at byte 8" },
        { "accept 'x'", "The rule contains a character nft does not use at byte 8" },
        { "accept \xc3\xa9", "The rule contains a non-ASCII character outside a quoted string at byte 8" },
        { "accept \xff", "The rule is not valid UTF-8" },
};

static void test_accepted(void **state)
{
        for (size_t i = 0; i < ELEMENTSOF(accepted); i++) {
                _cleanup_free_ char *why = NULL;
                int r = rule_body_check(accepted[i], &why);
                if (r != 0)
                        fail_msg("refused \"%s\": %s", accepted[i], why);
        }
}

static void test_refused(void **state)
{
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                _cleanup_free_ char *why = NULL;
                if (rule_body_check(refused[i].body, &why) != -EINVAL)
                        fail_msg("accepted \"%s\"", refused[i].body);
                assert_string_equal(why, refused[i].why);
        }
}

static void test_length(void **state)
{
        _cleanup_free_ char *body = malloc(RULE_TEXT_MAX + 2), *why = NULL;

        memset(body, 'a', RULE_TEXT_MAX);
        body[RULE_TEXT_MAX] = '\0';
        assert_int_equal(rule_body_check(body, NULL), 0);
        body[RULE_TEXT_MAX] = 'a';
        body[RULE_TEXT_MAX + 1] = '\0';
        assert_int_equal(rule_body_check(body, &why), -EINVAL);
        assert_string_equal(why, "The rule is 16385 bytes long; at most 16384 are accepted");
}

static void test_batch_text(void **state)
{
        static const struct {
                const char *text, *why; /* NULL: accepted */
        } cases[] = {
                { "add table ip t\nadd chain ip t c { type filter hook input priority 0; }\n", NULL },
                { "table inet t {\n\tchain c {\n\t\tcomment \"include $x\" # define y\n\t}\n}\n", NULL },
                { "add table ip includes\nadd table ip redefined_x", NULL },
                { "add table ip t\n include \"/etc/shadow\"",
                  "Line 2 of the batch uses 'include': a batch is its own text, without files or "
                  "definitions" },
                { "table ip t { define x = 1; }", "Line 1 of the batch uses 'define': a batch is its own "
                                                  "text, without files or definitions" },
                { "undefine x", "Line 1 of the batch uses 'undefine': a batch is its own text, without "
                                "files or definitions" },
                { "\n\nadd rule ip t c ip saddr $bad accept",
                  "Line 3 of the batch uses a variable ('$'): variables are not available" },
                { "add table ip t\x01", "Line 1 of the batch contains a control character" },
                { "add chain ip t c { comment \"open\n}", "Line 1 of the batch has a quote that is not closed" },
                { " \n\t", "The batch is empty" },
                { "add table ip \xff", "The batch is not valid UTF-8" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *why = NULL;
                int r = batch_text_check(cases[i].text, &why);
                if (!cases[i].why) {
                        assert_int_equal(r, 0);
                        continue;
                }
                assert_int_equal(r, -EINVAL);
                assert_string_equal(why, cases[i].why);
        }
}

static void test_strip_handles(void **state)
{
        char text[] = "table inet t { # handle 7\n\tchain c { # handle 1\n\t\tcomment \"x # handle 3\" # handle 2\n"
                      "\t\tcounter # handle\n\t}\n} # handle 12";

        listing_strip_handles(text);
        assert_string_equal(text,
                            "table inet t {\n\tchain c {\n\t\tcomment \"x # handle 3\"\n\t\tcounter # handle\n\t}\n}");
}

/* Export of a set of a million elements: the lines without a handle must not each be searched to the end
 * of the text (that took 104 s; the test's time limit is the check here). */
static void test_strip_handles_of_a_big_listing(void **state)
{
        static const char head[] = "table ip t { # handle 1\n\tset s { # handle 2\n\t\telements = {\n";
        static const char line[] = "\t\t\t10.0.0.1,\n";
        size_t n = 500000, size = sizeof(head) + n * (sizeof(line) - 1) + 16;
        _cleanup_free_ char *text = malloc(size), *expected = malloc(size);
        char *p;

        assert_non_null(text);
        assert_non_null(expected);
        p = stpcpy(text, head);
        for (size_t i = 0; i < n; i++)
                p = stpcpy(p, line);
        strcpy(p, "\t\t}\n\t}\n}\n");
        p = stpcpy(expected, "table ip t {\n\tset s {\n\t\telements = {\n");
        for (size_t i = 0; i < n; i++)
                p = stpcpy(p, line);
        strcpy(p, "\t\t}\n\t}\n}\n");
        listing_strip_handles(text);
        assert_string_equal(text, expected);
}

static void assert_written(const char *body, const char *expected)
{
        char **names = NULL;
        char joined[512] = "";
        int n = rule_written_sets(body, &names);

        assert_true(n >= 0);
        for (int i = 0; i < n; i++) {
                if (i)
                        strcat(joined, ",");
                strcat(joined, names[i]);
        }
        assert_null(names ? names[n] : NULL);
        strv_free(names);
        if (strcmp(joined, expected) != 0)
                fail_msg("'%s': written '%s', expected '%s'", body, joined, expected);
}

static void test_written_sets(void **state)
{
        assert_written("ip saddr @allow accept", "");
        assert_written("add @ban { ip saddr }", "ban");
        assert_written("add @ban{ip saddr timeout 10s}", "ban");
        assert_written("tcp dport 22 update @seen { ip saddr limit rate 3/minute } accept", "seen");
        assert_written("delete @ban { ip saddr }", "ban");
        assert_written("set add ip saddr @ban", "ban");
        assert_written("set update ip saddr timeout 10s @ban drop", "ban");
        assert_written("meter flood { ip saddr limit rate 10/second } accept", "flood");
        assert_written("update @marks { ip saddr : 0x1 }", "marks");
        assert_written("ip saddr @a add @b { ip saddr } add @b { ip daddr } update @c { ip saddr }", "b,c");
        assert_written("meta mark set 1 accept", "");
        assert_written("log prefix \"add @x { }\" accept", "");
        assert_written("jump add", "");
}

static void test_json_written_sets(void **state)
{
        json_t *j = json_loads("[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip\", "
                               "\"field\": \"saddr\"}}, \"right\": \"@allow\"}},"
                               " {\"set\": {\"op\": \"add\", \"elem\": {\"payload\": {\"protocol\": \"ip\", "
                               "\"field\": \"saddr\"}}, \"set\": \"@ban\"}},"
                               " {\"map\": {\"op\": \"update\", \"elem\": 1, \"data\": 2, \"map\": \"@marks\"}},"
                               " {\"meter\": {\"name\": \"flood\", \"key\": 1, \"stmt\": {\"accept\": null}}}]",
                               0, NULL);
        char **names = NULL;

        assert_non_null(j);
        assert_int_equal(rule_json_written_sets(j, &names), 3);
        assert_string_equal(names[0], "ban");
        assert_string_equal(names[1], "marks");
        assert_string_equal(names[2], "flood");
        assert_null(names[3]);
        strv_free(names);
        json_decref(j);
}

static void test_rule_commands(void **state)
{
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

        assert_int_equal(rule_add_text("inet", "filter", "input", &(RulePlace){}, "tcp dport 22 accept", NULL, &a), 0);
        assert_string_equal(a, "add rule inet filter input tcp dport 22 accept");
        assert_int_equal(rule_add_text("inet", "filter", "input", &(RulePlace){ .insert = true }, "accept", "ssh", &b),
                         0);
        assert_string_equal(b, "insert rule inet filter input accept comment \"ssh\"");
        assert_int_equal(
                rule_add_text("ip", "t", "c", &(RulePlace){ .has_index = true, .index = 3 }, "drop", NULL, &c), 0);
        assert_string_equal(c, "add rule ip t c index 3 drop");
        assert_int_equal(rule_add_text("ip", "t", "c", &(RulePlace){ .insert = true, .handle = 17 }, "drop", NULL, &d),
                         0);
        assert_string_equal(d, "insert rule ip t c position 17 drop");
        assert_int_equal(rule_replace_text("inet", "filter", "input", 9, "udp dport 53 accept", &e), 0);
        assert_string_equal(e, "replace rule inet filter input handle 9 udp dport 53 accept");
}

static void test_listing(void **state)
{
        static const char listing[] = "table inet filter { # handle 4\n"
                                      "\tchain input { # handle 1\n"
                                      "\t\ttype filter hook input priority filter; policy drop;\n"
                                      "\t\tcomment \"the chain's own comment\"\n"
                                      "\t\tct state established,related accept # handle 5\n"
                                      "\t\tip saddr 10.0.0.0/8 drop comment \"no tens\" # handle 6\n"
                                      "\t\tlog prefix \" comment \" # handle 7\n"
                                      "\t\tiifname \"comment\" accept comment \"x # handle 1\" # handle 8\n"
                                      "\t\tnot a rule # handle x\n"
                                      "\t}\n"
                                      "}\n";
        RuleEntry *e = NULL;
        size_t n = 0;

        assert_int_equal(rule_listing_parse(listing, &e, &n), 0);
        assert_int_equal(n, 4);
        assert_int_equal(e[0].handle, 5);
        assert_string_equal(e[0].text, "ct state established,related accept");
        assert_null(e[0].comment);
        assert_int_equal(e[1].handle, 6);
        assert_string_equal(e[1].text, "ip saddr 10.0.0.0/8 drop");
        assert_string_equal(e[1].comment, "no tens");
        /* a log prefix that looks like a comment stays in the rule */
        assert_int_equal(e[2].handle, 7);
        assert_string_equal(e[2].text, "log prefix \" comment \"");
        assert_null(e[2].comment);
        assert_int_equal(e[3].handle, 8);
        assert_string_equal(e[3].text, "iifname \"comment\" accept");
        assert_string_equal(e[3].comment, "x # handle 1");
        rule_entries_free(e, n);

        assert_int_equal(rule_listing_parse("", &e, &n), 0);
        assert_int_equal(n, 0);
        rule_entries_free(e, n);
}

static void test_chain_command(void **state)
{
        char *devices[] = { "eth0", "wlan0", NULL };
        _cleanup_free_ char *regular = NULL, *base = NULL;

        assert_int_equal(chain_command_text("inet", "filter", "user", "filter", NULL, NULL, 0, NULL, "mine", &regular),
                         0);
        assert_string_equal(regular, "create chain inet filter user { comment \"mine\"; }");
        assert_int_equal(
                chain_command_text("netdev", "edge", "in", "filter", "ingress", devices, -10, "drop", NULL, &base), 0);
        assert_string_equal(base, "create chain netdev edge in { type filter hook ingress devices = { \"eth0\", "
                                  "\"wlan0\" } priority -10; policy drop; }");
}

static void test_declared_tables(void **state)
{
        _cleanup_strv_free_ char **tables = NULL, **none = NULL;
        _cleanup_free_ char *why = NULL, *text = NULL, *json = NULL;
        size_t prepended = 9;

        assert_int_equal(batch_text_tables("# a backup\n"
                                           "table inet web { # with a comment {\n"
                                           "  chain input { type filter hook input priority 0; }\n"
                                           "  set s { type ipv4_addr; elements = { 10.0.0.1 } }\n"
                                           "}\n"
                                           "add table other; create table ip6 v6 { comment \"table x y\"; }\n"
                                           "flush table inet gone; delete table inet gone\n"
                                           "table inet web { }\n"
                                           "add rule inet web input tcp dport 22 accept",
                                           &tables, &why),
                         0);
        assert_non_null(tables);
        assert_string_equal(tables[0], "inet web");
        assert_string_equal(tables[1], "ip other");
        assert_string_equal(tables[2], "ip6 v6");
        assert_null(tables[3]);
        assert_int_equal(batch_text_tables("flush ruleset\nadd rule ip t c accept\n", &none, NULL), 0);
        assert_null(none);
        assert_int_equal(batch_text_tables("add table inet ok\ntable inet bad$name {\n}\n", &none, &why), -EINVAL);
        assert_string_equal(why, "Line 2 of the batch declares a table nftbus cannot replace: Invalid table name "
                                 "'bad$name': only letters, digits, '_', '-' and '.' are allowed");

        /* nft syntax: on the first line, so that nft's line numbers stay the caller's */
        assert_int_equal(batch_replacing("table inet web {\n}\n", false, &text, &prepended, NULL), 0);
        assert_string_equal(text, "add table inet web; delete table inet web; table inet web {\n}\n");
        assert_int_equal(prepended, 0);
        assert_int_equal(
                batch_replacing("{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"web\"}},"
                                " {\"add\": {\"table\": {\"name\": \"x\"}}}, {\"flush\": {\"ruleset\": null}}]}",
                                true, &json, &prepended, NULL),
                0);
        assert_string_equal(json, "{\"nftables\":[{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"web\"}}},"
                                  "{\"delete\":{\"table\":{\"family\":\"inet\",\"name\":\"web\"}}},"
                                  "{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"x\"}}},"
                                  "{\"delete\":{\"table\":{\"family\":\"ip\",\"name\":\"x\"}}},"
                                  "{\"table\":{\"family\":\"inet\",\"name\":\"web\"}},"
                                  "{\"add\":{\"table\":{\"name\":\"x\"}}},{\"flush\":{\"ruleset\":null}}]}");
        assert_int_equal(prepended, 4);
}

TAP_MAIN(cmocka_unit_test(test_declared_tables), cmocka_unit_test(test_accepted), cmocka_unit_test(test_refused),
         cmocka_unit_test(test_length), cmocka_unit_test(test_batch_text), cmocka_unit_test(test_strip_handles),
         cmocka_unit_test(test_strip_handles_of_a_big_listing), cmocka_unit_test(test_written_sets),
         cmocka_unit_test(test_rule_commands), cmocka_unit_test(test_json_written_sets),
         cmocka_unit_test(test_listing), cmocka_unit_test(test_chain_command))
