/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "common/util.h"
#include "verbs.h"

static int run_nothing(sd_bus *bus, char **args, int n)
{
        return 0;
}

static const Verb verbs[] = {
        { "add-table", NULL, 2, 2, "FAMILY NAME", "Add a table", 0, run_nothing },
        { "add-chain", NULL, 3, 3, "FAMILY TABLE NAME", "Add a chain;\na base chain with --hook",
          OPT_HOOK | OPT_POLICY, run_nothing },
        { "add-rule", NULL, 4, -1, "FAMILY TABLE CHAIN RULE...", "Append a rule", OPT_COMMENT | OPT_AFTER,
          run_nothing },
        { "apply", NULL, 0, 0, "", "Apply a batch", OPT_FILE | OPT_CHECK, run_nothing },
        { "sysctl", "get", 1, 1, "NAME", "One sysctl", 0, run_nothing },
        { "sysctl", "set", 2, 2, "NAME VALUE", "Set one", 0, run_nothing },
};

static const Verb *find(const char *a, const char *b, const char *c, bool *group)
{
        char *argv[] = { (char *) a, (char *) b, (char *) c, NULL };
        int argc = c ? 3 : b ? 2 : a ? 1 : 0;
        return verb_find(verbs, ELEMENTSOF(verbs), argv, argc, group);
}

static void test_find(void **state)
{
        bool group;

        assert_ptr_equal(find("add-table", "inet", "g", &group), &verbs[0]);
        assert_false(group);
        assert_ptr_equal(find("sysctl", "set", "x", &group), &verbs[5]);
        /* a group's flags may come before its sub-verb */
        assert_ptr_equal(find("sysctl", "--json", "get", &group), &verbs[4]);
        assert_null(find("sysctl", "frob", NULL, &group));
        assert_true(group);
        assert_null(find("sysctl", NULL, NULL, &group));
        assert_true(group);
        assert_null(find("frob", NULL, NULL, &group));
        assert_false(group);
        assert_null(find(NULL, NULL, NULL, &group));
}

static void test_nearest(void **state)
{
        assert_string_equal(verb_nearest(verbs, ELEMENTSOF(verbs), NULL, "add-tabel"), "add-table");
        assert_string_equal(verb_nearest(verbs, ELEMENTSOF(verbs), NULL, "apply"), "apply");
        assert_string_equal(verb_nearest(verbs, ELEMENTSOF(verbs), "sysctl", "sett"), "set");
        /* a sub-verb of another group, or a word too far from any, is no suggestion */
        assert_null(verb_nearest(verbs, ELEMENTSOF(verbs), "sysctl", "add-table"));
        assert_null(verb_nearest(verbs, ELEMENTSOF(verbs), NULL, "frobnicate"));
        assert_null(verb_nearest(verbs, ELEMENTSOF(verbs), NULL, "ab"));
        assert_null(verb_nearest(verbs, ELEMENTSOF(verbs), NULL, NULL));
}

/* the bug this module exists for: a dry run's --check given to add-table created the table */
static void test_an_option_a_verb_does_not_take_is_refused(void **state)
{
        _cleanup_free_ char *why = NULL, *why2 = NULL;

        assert_int_equal(verb_check_options(&verbs[0], OPT_CHECK, &why), -EINVAL);
        assert_string_equal(why, "--check does not go with add-table");
        assert_int_equal(verb_check_options(&verbs[5], OPT_FILE, &why2), -EINVAL);
        assert_string_equal(why2, "--file does not go with sysctl set");
        assert_int_equal(verb_check_options(&verbs[3], OPT_FILE | OPT_CHECK, NULL), 0);
        assert_int_equal(verb_check_options(&verbs[1], OPT_HOOK, NULL), 0);
        assert_int_equal(verb_check_options(&verbs[1], OPT_HOOK | OPT_COMMENT, NULL), -EINVAL);
        assert_int_equal(verb_check_options(&verbs[0], 0, NULL), 0);
}

static void test_arguments(void **state)
{
        assert_int_equal(verb_check_arguments(&verbs[0], 2), 0);
        assert_int_equal(verb_check_arguments(&verbs[0], 1), -EINVAL);
        assert_int_equal(verb_check_arguments(&verbs[0], 3), -EINVAL);
        assert_int_equal(verb_check_arguments(&verbs[2], 40), 0);
        assert_int_equal(verb_check_arguments(&verbs[2], 3), -EINVAL);
}

static char *printed(void (*f)(FILE *, const Verb *), const Verb *v)
{
        char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);

        assert_non_null(out);
        f(out, v);
        fclose(out);
        return text;
}

static void test_help_comes_from_the_table(void **state)
{
        _cleanup_free_ char *usage = printed(verb_usage, &verbs[1]), *help = printed(verb_help, &verbs[1]);
        _cleanup_free_ char *list = NULL;
        size_t size = 0;
        FILE *out;

        assert_string_equal(usage, "add-chain [--hook HOOK] [--policy POLICY] FAMILY TABLE NAME\n");
        assert_string_equal(help, "nftbusctl add-chain [--hook HOOK] [--policy POLICY] FAMILY TABLE NAME\n\n"
                                  "Add a chain;\na base chain with --hook\n\nOptions:\n"
                                  "     --hook HOOK             Make a base chain on this hook (input, forward, ...)\n"
                                  "     --policy POLICY         The base chain's policy: accept or drop\n");
        out = open_memstream(&list, &size);
        assert_non_null(out);
        verbs_list(out, verbs + 3, 3);
        fclose(out);
        assert_string_equal(list, "  apply                               Apply a batch\n"
                                  "  sysctl get NAME                     One sysctl\n"
                                  "  sysctl set NAME VALUE               Set one\n");
}

static CompleteSlot slot(char **words, int n)
{
        CompleteSlot s;

        assert_int_equal(verb_complete_slot(verbs, ELEMENTSOF(verbs), words, n, &s), 0);
        return s;
}

/* what the word being completed is: the verb table says */
static void test_complete_slot(void **state)
{
        CompleteSlot s;

        s = slot((char *[]){ "ad" }, 1);
        assert_int_equal(s.kind, COMPLETE_VERBS);
        free(s.args);
        s = slot((char *[]){ "sysctl", "" }, 2);
        assert_int_equal(s.kind, COMPLETE_SUBS);
        assert_string_equal(s.group, "sysctl");
        free(s.args);
        s = slot((char *[]){ "add-rule", "--" }, 2);
        assert_int_equal(s.kind, COMPLETE_OPTIONS);
        assert_ptr_equal(s.verb, &verbs[2]);
        free(s.args);
        /* an option's argument is not an argument of the verb */
        s = slot((char *[]){ "add-rule", "--comment", "x y", "inet", "filter", "in" }, 6);
        assert_int_equal(s.kind, COMPLETE_ARGUMENT);
        assert_string_equal(s.token, "CHAIN");
        assert_int_equal(s.index, 2);
        assert_string_equal(s.args[0], "inet");
        assert_string_equal(s.args[1], "filter");
        free(s.args);
        s = slot((char *[]){ "add-rule", "--comment", "" }, 3);
        assert_int_equal(s.kind, COMPLETE_NOTHING);
        free(s.args);
        /* the rule's text repeats the last argument */
        s = slot((char *[]){ "add-rule", "inet", "filter", "input", "tcp", "" }, 6);
        assert_int_equal(s.kind, COMPLETE_ARGUMENT);
        assert_string_equal(s.token, "RULE");
        free(s.args);
        /* past the last argument: nothing */
        s = slot((char *[]){ "add-table", "inet", "x", "" }, 4);
        assert_int_equal(s.kind, COMPLETE_NOTHING);
        free(s.args);
        s = slot((char *[]){ "sysctl", "set", "n" }, 3);
        assert_int_equal(s.kind, COMPLETE_ARGUMENT);
        assert_string_equal(s.token, "NAME");
        assert_ptr_equal(s.verb, &verbs[5]);
        free(s.args);
}

TAP_MAIN(cmocka_unit_test(test_complete_slot), cmocka_unit_test(test_find), cmocka_unit_test(test_nearest),
         cmocka_unit_test(test_an_option_a_verb_does_not_take_is_refused), cmocka_unit_test(test_arguments),
         cmocka_unit_test(test_help_comes_from_the_table))
