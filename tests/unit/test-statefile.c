/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/statefile.h"
#include "tap.h"
#include "common/util.h"

static const char listing[] = "table inet filter {\n\tchain input {\n\t\ttcp dport 22 accept\n\t}\n}\n"
                              "table ip nat {\n\tchain post {\n\t\tmasquerade\n\t}\n}\n";

static void test_round_trip(void **state)
{
        _cleanup_free_ char *content = NULL;
        StateTable *t = NULL;
        size_t n = 0;

        assert_int_equal(state_file_compose(listing, &content), 0);
        assert_true(strncmp(content, STATE_FILE_HEADER, strlen(STATE_FILE_HEADER)) == 0);
        assert_int_equal(state_file_parse(content, &t, &n, NULL), 0);
        assert_int_equal(n, 2);
        assert_string_equal(t[0].family, "inet");
        assert_string_equal(t[0].name, "filter");
        assert_string_equal(t[0].text, "table inet filter {\n\tchain input {\n\t\ttcp dport 22 accept\n\t}\n}\n");
        assert_string_equal(t[1].family, "ip");
        assert_string_equal(t[1].name, "nat");
        state_tables_free(t, n);

        /* nothing managed: an empty file that restores nothing */
        free(content);
        assert_int_equal(state_file_compose("", &content), 0);
        assert_int_equal(state_file_parse(content, &t, &n, NULL), 0);
        assert_int_equal(n, 0);
        state_tables_free(t, n);
}

static void test_damaged(void **state)
{
        _cleanup_free_ char *content = NULL;

        assert_int_equal(state_file_compose(listing, &content), 0);
        for (size_t cut = 1; cut < strlen(content); cut++) {
                _cleanup_free_ char *why = NULL, *part = strndup(content, cut);
                StateTable *t = NULL;
                size_t n = 0;
                /* any truncation is seen, never half applied */
                assert_int_equal(state_file_parse(part, &t, &n, &why), -EINVAL);
                assert_non_null(why);
        }
        {
                _cleanup_free_ char *why = NULL, *altered = strdup(content);
                StateTable *t = NULL;
                size_t n = 0;
                altered[strlen(STATE_FILE_HEADER) + 30] ^= 1;
                assert_int_equal(state_file_parse(altered, &t, &n, &why), -EINVAL);
                assert_string_equal(why, "The saved ruleset does not match its end line: it was cut or altered");
        }
}

static void test_split_refusals(void **state)
{
        static const struct {
                const char *text, *why;
        } cases[] = {
                { "table inet t {\n\tinclude \"/etc/x\"\n}\n",
                  "Line 2 of the batch uses 'include': a batch is its own text, without files or "
                  "definitions" },
                { "flush ruleset\n", "The saved ruleset has a line it cannot read: 'flush ruleset'" },
                { "table inet t {\n\tchain c {\n\t}\n", "The saved ruleset's table inet t has no end" },
                { "table ipx t {\n}\n", "The saved ruleset has a line it cannot read: 'table ipx t {'" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *why = NULL;
                StateTable *t = NULL;
                size_t n = 0;
                assert_int_equal(state_tables_split(cases[i].text, strlen(cases[i].text), &t, &n, &why), -EINVAL);
                assert_string_equal(why, cases[i].why);
        }
}

TAP_MAIN(cmocka_unit_test(test_round_trip), cmocka_unit_test(test_damaged), cmocka_unit_test(test_split_refusals))
