/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/richmemo.h"
#include "core/rulebook.h"
#include "core/zonediff.h"
#include "core/zonespec.h"
#include "tap.h"
#include "common/util.h"

/* the handles of chain "c": 1, 2, 3, ... as many as userdata says (0: not known) */
static const uint64_t handles_of_c[] = { 1, 2, 3, 4, 5, 6 };

static int handles(const char *chain, const uint64_t **ret, size_t *ret_n, void *userdata)
{
        if (!streq(chain, "c") || !userdata)
                return -ENOENT;
        *ret = handles_of_c;
        *ret_n = (size_t) (uintptr_t) userdata;
        return 0;
}

static const char prelude[] = "add table inet t\ndelete table inet t\ntable inet t {\n";

/* the commands from one table (objects as text, elements "SET\tKEY\tVALUE" apart) to another */
static int diff(const char *a, const char *a_elements, const char *b, const char *b_elements, size_t n_handles,
                char **ret)
{
        _cleanup_(strlist_done) StrList ea = {}, eb = {};
        _cleanup_free_ char *ta = NULL, *tb = NULL;

        for (const char *p = a_elements; p && *p; p += strlen(p) + 1)
                assert_int_equal(strlist_add(&ea, p), 1);
        for (const char *p = b_elements; p && *p; p += strlen(p) + 1)
                assert_int_equal(strlist_add(&eb, p), 1);
        strlist_index(&ea);
        strlist_index(&eb);
        assert_true(asprintf(&ta, "%s%s}\n", prelude, a) > 0);
        assert_true(asprintf(&tb, "%s%s}\n", prelude, b) > 0);
        return zone_table_diff(ta, &ea, tb, &eb, handles, (void *) (uintptr_t) n_handles, ret);
}

static void assert_diff(const char *a, const char *b, size_t n_handles, const char *expected)
{
        _cleanup_free_ char *text = NULL;

        assert_int_equal(diff(a, NULL, b, NULL, n_handles, &text), 0);
        assert_string_equal(text, expected);
}

#define BASE "\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tjump c\n\t}\n"

static void test_rules(void **state)
{
        /* the same: nothing */
        assert_diff(BASE "\tchain c {\n\t\taccept\n\t}\n", BASE "\tchain c {\n\t\taccept\n\t}\n", 0, "");
        /* rules added at the end: no handle needed */
        assert_diff(BASE "\tchain c {\n\t\ttcp dport 22 accept\n\t}\n",
                    BASE "\tchain c {\n\t\ttcp dport 22 accept\n\t\ttcp dport 80 accept\n\t\tdrop\n\t}\n", 0,
                    "add rule inet t c tcp dport 80 accept\nadd rule inet t c drop\n");
        /* rules deleted only: by handle, the rest stays */
        assert_diff(BASE "\tchain c {\n\t\ta\n\t\tb\n\t\tc\n\t\td\n\t}\n", BASE "\tchain c {\n\t\ta\n\t\td\n\t}\n", 4,
                    "delete rule inet t c handle 2\ndelete rule inet t c handle 3\n");
        /* one added between: what follows it deleted and written again after it */
        assert_diff(BASE "\tchain c {\n\t\ta\n\t\tb\n\t\tz\n\t}\n",
                    BASE "\tchain c {\n\t\ta\n\t\tb\n\t\tnew\n\t\tz\n\t}\n", 3,
                    "delete rule inet t c handle 3\nadd rule inet t c new\nadd rule inet t c z\n");
        /* one changed at the start */
        assert_diff(BASE "\tchain c {\n\t\ta\n\t\tb\n\t}\n", BASE "\tchain c {\n\t\tA\n\t\tb\n\t}\n", 2,
                    "delete rule inet t c handle 1\ndelete rule inet t c handle 2\nadd rule inet t c A\n"
                    "add rule inet t c b\n");
        /* handles not known, or not as many as the rules: the chain emptied and written again */
        assert_diff(BASE "\tchain c {\n\t\ta\n\t\tb\n\t}\n", BASE "\tchain c {\n\t\tb\n\t}\n", 0,
                    "flush chain inet t c\nadd rule inet t c b\n");
        assert_diff(BASE "\tchain c {\n\t\ta\n\t\tb\n\t}\n", BASE "\tchain c {\n\t\tb\n\t}\n", 3,
                    "flush chain inet t c\nadd rule inet t c b\n");
        /* every rule deleted */
        assert_diff(BASE "\tchain c {\n\t\ta\n\t\tb\n\t}\n", BASE "\tchain c {\n\t}\n", 2,
                    "delete rule inet t c handle 1\ndelete rule inet t c handle 2\n");
}

static void test_objects(void **state)
{
        _cleanup_free_ char *text = NULL;

        /* a new chain and set in one block (nft adds sets, chains, then rules), then the rule that names them */
        assert_diff(BASE "\tchain c {\n\t}\n",
                    BASE "\tset s {\n\t\ttype ipv4_addr;\n\t}\n\tchain c {\n\t\tjump d\n\t}\n"
                         "\tchain d {\n\t\tip saddr @s drop\n\t}\n",
                    0,
                    "table inet t {\n\tchain d {\n\t\tip saddr @s drop\n\t}\n\tset s {\n\t\ttype ipv4_addr;\n\t}\n}\n"
                    "add rule inet t c jump d\n");
        /* what is gone: the rules that name it first, chains emptied before any is deleted, then the rest */
        assert_diff(
                BASE "\tchain c {\n\t\tjump d\n\t}\n\tchain d {\n\t\tjump e\n\t}\n\tchain e {\n\t\tip saddr @s drop\n"
                     "\t}\n\tset s {\n\t\ttype ipv4_addr;\n\t}\n\tct helper h {\n\t\ttype \"ftp\" protocol tcp;\n"
                     "\t}\n",
                BASE "\tchain c {\n\t}\n", 1,
                "delete rule inet t c handle 1\nflush chain inet t d\nflush chain inet t e\ndelete chain inet t d\n"
                "delete chain inet t e\ndelete ct helper inet t h\ndelete set inet t s\n");
        /* elements: the old ones that went, then the new ones (of a new map too, after it) */
        assert_int_equal(
                diff(BASE "\tmap m {\n\t\ttype ifname : verdict;\n\t}\n\tchain c {\n\t}\n",
                     "m\t\"eth0\"\tgoto c\0m\t\"eth1\"\tgoto c\0",
                     BASE "\tmap m {\n\t\ttype ifname : verdict;\n\t}\n\tmap n {\n\t\ttype ifname : verdict;\n\t}\n"
                          "\tchain c {\n\t}\n",
                     "m\t\"eth0\"\tgoto c\0n\t\"eth1\"\tgoto c\0", 0, &text),
                0);
        assert_string_equal(text, "table inet t {\n\tmap n {\n\t\ttype ifname : verdict;\n\t}\n}\n"
                                  "delete element inet t m { \"eth1\" }\n"
                                  "add element inet t n { \"eth1\" : goto c }\n");
        free(text);
        text = NULL;
        /* what the whole path does: a set's declaration, a base chain's hook, an ipset's set */
        assert_int_equal(diff(BASE "\tset s {\n\t\ttype ipv4_addr;\n\t}\n", NULL,
                              BASE "\tset s {\n\t\ttype ipv4_addr;\n\t\tflags interval;\n\t}\n", NULL, 0, &text),
                         1);
        assert_int_equal(diff(BASE, NULL,
                              "\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tjump c\n"
                              "\t}\n",
                              NULL, 0, &text),
                         1);
        assert_int_equal(diff(BASE, NULL, BASE "\tset ipset_banned {\n\t\ttype ipv4_addr;\n\t}\n", NULL, 0, &text), 1);
        /* not a table */
        assert_int_equal(zone_table_diff("nothing", NULL, "nothing", NULL, NULL, NULL, &text), -EINVAL);
}

/* the handles as the kernel's events give them */
static void test_rule_book(void **state)
{
        RuleBook *b = rule_book_new();
        const uint64_t *h;
        size_t n;

        assert_non_null(b);
        assert_int_equal(rule_book_handles(b, "c", &h, &n), -ENOENT); /* made before it was followed */
        rule_book_chain_added(b, "c");
        assert_int_equal(rule_book_handles(b, "c", &h, &n), 0);
        assert_int_equal(n, 0);
        /* appended: the kernel names the rule before, but for the first and the last */
        rule_book_rule_added(b, "c", 10, true, false, 0);
        rule_book_rule_added(b, "c", 11, true, true, 10);
        rule_book_rule_added(b, "c", 12, true, false, 0);
        rule_book_rule_added(b, "c", 13, true, true, 12);
        assert_int_equal(rule_book_handles(b, "c", &h, &n), 0);
        assert_int_equal(n, 4);
        assert_true(h[0] == 10 && h[1] == 11 && h[2] == 12 && h[3] == 13);
        rule_book_rule_deleted(b, "c", 11);
        rule_book_rule_deleted(b, "c", 10);
        rule_book_rule_added(b, "c", 14, true, false, 0);
        assert_int_equal(rule_book_handles(b, "c", &h, &n), 0);
        assert_int_equal(n, 3);
        assert_true(h[0] == 12 && h[1] == 13 && h[2] == 14);
        /* an update of the chain keeps its rules */
        rule_book_chain_added(b, "c");
        assert_int_equal(rule_book_handles(b, "c", &h, &n), 0);
        assert_int_equal(n, 3);
        /* put anywhere but at the end, or a rule it does not know deleted: not known any more */
        rule_book_rule_added(b, "c", 15, true, true, 12);
        assert_int_equal(rule_book_handles(b, "c", &h, &n), -ENOENT);
        rule_book_chain_deleted(b, "c");
        rule_book_chain_added(b, "c");
        rule_book_rule_added(b, "c", 20, false, false, 0); /* nft's insert */
        assert_int_equal(rule_book_handles(b, "c", &h, &n), -ENOENT);
        rule_book_chain_deleted(b, "c");
        rule_book_chain_added(b, "c");
        rule_book_rule_deleted(b, "c", 99);
        assert_int_equal(rule_book_handles(b, "c", &h, &n), -ENOENT);
        /* emptied rule by rule, in order (a flush), then made again */
        rule_book_chain_added(b, "d");
        for (uint64_t i = 1; i <= 1000; i++)
                rule_book_rule_added(b, "d", i, true, i > 1 && i < 1000, i - 1);
        for (uint64_t i = 1; i <= 1000; i++)
                rule_book_rule_deleted(b, "d", i);
        assert_int_equal(rule_book_handles(b, "d", &h, &n), 0);
        assert_int_equal(n, 0);
        rule_book_forget(b);
        assert_int_equal(rule_book_handles(b, "d", &h, &n), -ENOENT);
        rule_book_free(b);
}

/* a rule is parsed once; what a build did not use is forgotten when the next starts, once it is as much as it used */
static void test_rich_memo(void **state)
{
        RichMemo *m = rich_memo_new();
        RichMemoEntry *e, *again;
        char text[96];
        int r = 0;

        assert_non_null(m);
        e = rich_memo_get(m, "rule priority=-5 family=ipv4 source address=10.0.0.1 log drop", &r);
        assert_non_null(e);
        assert_int_equal(e->priority, -5);
        assert_int_equal(e->place, 'p');
        assert_false(e->names_ipset);
        assert_null(e->accepted_service);
        again = rich_memo_get(m, "rule priority=-5 family=ipv4 source address=10.0.0.1 log drop", &r);
        assert_ptr_equal(e, again);
        assert_true(rich_memo_get(m, "rule source ipset=banned drop", &r)->names_ipset);
        assert_string_equal(rich_memo_get(m, "rule service name=ftp accept", &r)->accepted_service, "ftp");
        assert_null(rich_memo_get(m, "rule bogus", &r));
        assert_int_equal(r, -EINVAL);
        assert_int_equal(rich_memo_size(m), 3);
        for (int i = 0; i < 200; i++) { /* the table grows */
                snprintf(text, sizeof(text), "rule family=ipv4 source address=10.0.%d.%d accept", i / 256, i % 256);
                assert_non_null(rich_memo_get(m, text, &r));
        }
        assert_int_equal(rich_memo_size(m), 203);
        rich_memo_next_build(m);
        assert_int_equal(rich_memo_size(m), 203); /* used by the build before */
        for (int i = 0; i < 10; i++) {
                snprintf(text, sizeof(text), "rule family=ipv4 source address=10.0.%d.%d accept", i / 256, i % 256);
                assert_non_null(rich_memo_get(m, text, &r));
        }
        rich_memo_next_build(m);
        assert_int_equal(rich_memo_size(m), 10); /* 193 unused, more than 10 + 64 */
        rich_memo_next_build(m);
        assert_int_equal(rich_memo_size(m), 10); /* 10 unused: not worth a walk */
        rich_memo_free(m);
}

TAP_MAIN(cmocka_unit_test(test_rules), cmocka_unit_test(test_objects), cmocka_unit_test(test_rule_book),
         cmocka_unit_test(test_rich_memo))
