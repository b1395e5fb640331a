/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/ipsetspec.h"
#include "tap.h"

#include "ipset-oracle.h"

static IPSet *make(const char *name, const char *type, const char *family)
{
        IPSet *s = ipset_new(name, (IPSetType) ipset_type_of_name(type));
        char option[32];

        assert_non_null(s);
        if (family) {
                snprintf(option, sizeof(option), "family=%s", family);
                assert_int_equal(strlist_add(&s->options, option), 1);
        }
        return s;
}

/* every entry of ipset-cases.txt: what firewalld's add_entry() normalizes it to, or its code and words */
static void test_entries_as_firewalld(void **state)
{
        for (size_t i = 0; i < ELEMENTSOF(oracle); i++) {
                _cleanup_(ipset_freep) IPSet *s = make("x", oracle[i].type, oracle[i].family);
                _cleanup_free_ char *normalized = NULL, *why = NULL;
                const char *code = NULL;
                int r = ipset_check_entry(s, oracle[i].entry, &normalized, &code, &why);

                if (*oracle[i].code) {
                        if (r != -EINVAL || !streq(code, oracle[i].code) || !streq(why, oracle[i].expected))
                                fail_msg("%s '%s': expected %s: %s, got %d %s: %s", oracle[i].type, oracle[i].entry,
                                         oracle[i].code, oracle[i].expected, r, strempty(code), strempty(why));
                        assert_null(normalized);
                } else if (r != 0 || !streq(normalized, oracle[i].expected))
                        fail_msg("%s '%s': expected '%s', got %d '%s' (%s: %s)", oracle[i].type, oracle[i].entry,
                                 oracle[i].expected, r, strempty(normalized), strempty(code), strempty(why));
        }
}

static void assert_refused(int r, const char *code, const char *why, const char *expected_code,
                           const char *expected_why)
{
        assert_int_equal(r, -EINVAL);
        assert_string_equal(code, expected_code);
        assert_string_equal(why, expected_why);
}

/* expr (which sets code and why) refused with these words; why freed for the next */
#define REFUSED(expr, expected_code, expected_why)                                                                    \
        do {                                                                                                          \
                int _r = (expr);                                                                                      \
                assert_refused(_r, code, why, expected_code, expected_why);                                           \
                free(why);                                                                                            \
                why = NULL;                                                                                           \
        } while (0)

static void test_names_and_options(void **state)
{
        const char *code = NULL;
        char *why = NULL;

        assert_int_equal(ipset_check_name("lab-1_a:b.c", &code, &why), 0);
        REFUSED(ipset_check_name("", &code, &why), "INVALID_NAME", "name can't be empty");
        REFUSED(ipset_check_name("a;b", &code, &why), "INVALID_NAME", "';' is not allowed in 'a;b'");
        /* a character of several bytes is named whole: the message stays UTF-8 (a D-Bus reply must) */
        REFUSED(ipset_check_name("a\u00e9", &code, &why), "INVALID_NAME", "'\u00e9' is not allowed in 'a\u00e9'");
        REFUSED(ipset_check_name("abcdefghijabcdefghijabcdefghijabc", &code, &why), "INVALID_NAME",
                "ipset name 'abcdefghijabcdefghijabcdefghijabc' is not valid");
        assert_int_equal(ipset_check_option("timeout", "60", &code, &why), 0);
        REFUSED(ipset_check_option("timeout", "-1", &code, &why), "INVALID_VALUE",
                "Option 'timeout': Value '-1' is negative");
        REFUSED(ipset_check_option("maxelem", "many", &code, &why), "INVALID_VALUE",
                "Option 'maxelem': Value 'many' is not an integer");
        REFUSED(ipset_check_option("family", "inet5", &code, &why), "INVALID_FAMILY", "inet5");
        REFUSED(ipset_check_option("counters", "", &code, &why), "INVALID_IPSET", "ipset invalid option 'counters'");

        /* a text is one line of its file: no control character lets a description write another key */
        assert_int_equal(ipset_check_text("description", "web clients, \u00e9t\u00e9", &code, &why), 0);
        REFUSED(ipset_check_text("description", "a\nentry=0.0.0.0/1", &code, &why), "INVALID_SETTING",
                "description: one line of at most 4096 bytes, without control characters");
        REFUSED(ipset_check_text("short", "a\x7f", &code, &why), "INVALID_SETTING",
                "short: one line of at most 4096 bytes, without control characters");
        char *long_text = malloc(IPSET_TEXT_MAX + 2);
        assert_non_null(long_text);
        memset(long_text, 'x', IPSET_TEXT_MAX + 1);
        long_text[IPSET_TEXT_MAX + 1] = '\0';
        assert_int_equal(ipset_check_text("version", long_text, &code, &why), -EINVAL);
        free(why);
        why = NULL;
        long_text[IPSET_TEXT_MAX] = '\0';
        assert_int_equal(ipset_check_text("version", long_text, &code, &why), 0);
        free(long_text);

        /* settings as a whole: no entries with a timeout, the entries, then the options */
        _cleanup_(strlist_done) StrList options = {}, entries = {};
        assert_int_equal(strlist_add(&options, "timeout=60"), 1);
        assert_int_equal(strlist_add(&entries, "10.0.0.1"), 1);
        REFUSED(ipset_check_settings(IPSET_HASH_IP, &options, &entries, &code, &why), "IPSET_WITH_TIMEOUT", "");
        strlist_done(&options);
        assert_int_equal(strlist_add(&options, "family=inet6"), 1);
        REFUSED(ipset_check_settings(IPSET_HASH_IP, &options, &entries, &code, &why), "INVALID_ENTRY",
                "invalid address '10.0.0.1' in '10.0.0.1' for hash:ip (ipv6)");
}

static void test_overlaps(void **state)
{
        _cleanup_(strlist_done) StrList l = {};
        const char *code = NULL;
        char *why = NULL;

        assert_int_equal(strlist_add(&l, "10.0.0.0/24"), 1);
        assert_int_equal(strlist_add(&l, "192.0.2.7"), 1);
        assert_string_equal(ipset_entry_overlapping(&l, "10.0.0.5"), "10.0.0.0/24");
        assert_string_equal(ipset_entry_overlapping(&l, "192.0.2.0/28"), "192.0.2.7");
        assert_null(ipset_entry_overlapping(&l, "10.0.1.0/24"));
        assert_null(ipset_entry_overlapping(&l, "10.0.0.5,tcp:80")); /* firewalld checks one network only */
        assert_int_equal(ipset_entries_check_overlaps(&l, &code, &why), 0);
        assert_int_equal(strlist_add(&l, "10.0.0.128/25"), 1);
        /* firewalld's words name both as networks, in address order */
        REFUSED(ipset_entries_check_overlaps(&l, &code, &why), "INVALID_ENTRY",
                "Entry '10.0.0.0/24' overlaps entry '10.0.0.128/25'");
}

/* what the zones' table says of an ipset: the set, its elements, and the matches of sources and rich rules */
static void test_ruleset(void **state)
{
        _cleanup_(ipset_freep) IPSet *ip = make("web:front", "hash:ip,port", NULL),
                                     *mac = make("macs", "hash:mac", NULL), *v6 = make("six", "hash:net", "inet6"),
                                     *iface = make("ifs", "hash:net,iface", NULL), *timed = NULL;
        _cleanup_free_ char *text = NULL, *why = NULL, *element = NULL;
        size_t size = 0;
        FILE *f;

        assert_int_equal(strlist_add(&ip->entries->list, "192.0.2.1,80"), 1);
        assert_int_equal(strlist_add(&ip->entries->list, "192.0.2.0/24,udp:53-55"), 1);
        assert_int_equal(strlist_add(&ip->options, "maxelem=1000"), 1);
        assert_int_equal(strlist_add(&iface->entries->list, "10.0.0.0/8,eth0"), 1);
        timed = make("timed", "hash:ip", NULL);
        assert_int_equal(strlist_add(&timed->options, "timeout=60"), 1);

        assert_int_equal(ipset_element_text(ip, "192.0.2.1,80", &element, &why), 0);
        assert_string_equal(element, "192.0.2.1 . tcp . 80");
        free(element);
        assert_int_equal(ipset_element_text(iface, "10.0.0.0/8,eth0", &element, &why), 0);
        assert_string_equal(element, "10.0.0.0/8 . eth0");

        _cleanup_(strlist_done) StrList carried = {};
        assert_int_equal(strlist_add(&carried, "ipset_timed\t192.0.2.9"), 1);
        assert_int_equal(strlist_add(&carried, "ipset_other\t192.0.2.10"), 1);
        f = open_memstream(&text, &size);
        assert_non_null(f);
        assert_int_equal(ipset_declare(f, ip, NULL, true), 0);
        assert_int_equal(ipset_declare(f, mac, NULL, true), 0);
        assert_int_equal(ipset_declare(f, iface, NULL, true), 0);
        assert_int_equal(ipset_declare(f, timed, &carried, true), 0);
        ipset_match(f, ip, false, false);
        fputc('\n', f);
        ipset_match(f, ip, true, true);
        fputc('\n', f);
        ipset_match(f, mac, false, false);
        fputc('\n', f);
        ipset_match(f, v6, true, false);
        fputc('\n', f);
        ipset_match(f, iface, false, false);
        fputc('\n', f);
        assert_int_equal(fclose(f), 0);
        assert_string_equal(text, "\tset ipset_web/front {\n"
                                  "\t\ttype ipv4_addr . inet_proto . inet_service;\n"
                                  "\t\tflags interval;\n"
                                  "\t\tsize 1000;\n"
                                  "\t\telements = { 192.0.2.1 . tcp . 80,\n"
                                  "\t\t\t192.0.2.0/24 . udp . 53-55 }\n"
                                  "\t}\n"
                                  "\tset ipset_macs {\n"
                                  "\t\ttype ether_addr;\n"
                                  "\t}\n"
                                  "\tset ipset_ifs {\n"
                                  "\t\ttype ipv4_addr . ifname;\n"
                                  "\t\tflags interval;\n"
                                  "\t\telements = { 10.0.0.0/8 . \"eth0\" }\n"
                                  "\t}\n"
                                  "\tset ipset_timed {\n"
                                  "\t\ttype ipv4_addr;\n"
                                  "\t\tflags interval;\n"
                                  "\t\ttimeout 60s;\n"
                                  "\t\telements = { 192.0.2.9 }\n"
                                  "\t}\n"
                                  "ip saddr . meta l4proto . th sport @ipset_web/front\n"
                                  "ip daddr . meta l4proto . th dport != @ipset_web/front\n"
                                  "ether saddr @ipset_macs\n"
                                  "ip6 daddr @ipset_six\n"
                                  "ip saddr . meta oifname @ipset_ifs\n");
}

/* copies share the entries until one changes them */
static void test_sharing(void **state)
{
        _cleanup_(ipset_list_done) IPSetList a = {}, b = {};
        IPSet *s = make("lab", "hash:ip", NULL);

        assert_int_equal(strlist_add(&s->entries->list, "10.0.0.1"), 1);
        assert_int_equal(ipset_list_put(&a, s), 0);
        assert_int_equal(ipset_list_put(&a, make("alpha", "hash:net", NULL)), 0);
        assert_string_equal(a.items[0]->name, "alpha");
        assert_int_equal(ipset_list_copy(&a, &b), 0);
        assert_ptr_equal(ipset_list_find(&b, "lab")->entries, s->entries);
        assert_int_equal(s->entries->n_ref, 2);
        assert_true(ipset_equal(s, ipset_list_find(&b, "lab")));
        assert_int_equal(ipset_entries_unshare(ipset_list_find(&b, "lab")), 0);
        assert_int_equal(strlist_add(&ipset_list_find(&b, "lab")->entries->list, "10.0.0.2"), 1);
        assert_int_equal(s->entries->list.n, 1);
        assert_false(ipset_equal(s, ipset_list_find(&b, "lab")));
        assert_int_equal(ipset_list_remove(&b, "lab"), 1);
        assert_int_equal(ipset_list_remove(&b, "lab"), 0);
        assert_null(ipset_list_find(&b, "lab"));
}

static void test_files(void **state)
{
        _cleanup_(ipset_freep) IPSet *s = make("lab", "hash:ip,port", "inet"), *back = NULL, *bad = NULL;
        _cleanup_free_ char *text = NULL, *why = NULL;
        FILE *f;

        free(s->description);
        s->description = strdup("The lab's hosts");
        assert_int_equal(strlist_add(&s->entries->list, "192.0.2.1,tcp:22"), 1);
        assert_int_equal(ipset_format(s, &text), 0);
        f = fmemopen(text, strlen(text), "r");
        assert_int_equal(ipset_parse("lab", "lab.ipset", f, &back, &why), 0);
        fclose(f);
        assert_true(ipset_equal(s, back));

        static const char bad_entry[] = "type=hash:ip\n# a comment\nentry=192.0.2.1\nentry=300.0.0.1\n";
        f = fmemopen((char *) bad_entry, strlen(bad_entry), "r");
        assert_int_equal(ipset_parse("lab", "lab.ipset", f, &bad, &why), -EINVAL);
        fclose(f);
        assert_string_equal(why, "Line 4 of lab.ipset: INVALID_ENTRY: invalid address '300.0.0.1' in '300.0.0.1' for "
                                 "hash:ip (ipv4)");
        free(why);
        static const char no_type[] = "entry=192.0.2.1\n";
        f = fmemopen((char *) no_type, strlen(no_type), "r");
        assert_int_equal(ipset_parse("lab", "lab.ipset", f, &bad, &why), -EINVAL);
        fclose(f);
        assert_string_equal(why, "Line 1 of lab.ipset: the ipset's type= comes first");
}

TAP_MAIN(cmocka_unit_test(test_entries_as_firewalld), cmocka_unit_test(test_names_and_options),
         cmocka_unit_test(test_overlaps), cmocka_unit_test(test_ruleset), cmocka_unit_test(test_sharing),
         cmocka_unit_test(test_files))
