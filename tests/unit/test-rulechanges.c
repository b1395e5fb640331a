/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rulechanges.h"
#include "tap.h"

static void note_all(RuleChanges *rc, const char *events)
{
        /* "+5 -3 ..." */
        for (const char *p = events; *p;) {
                char sign = *p++;
                char *end;
                unsigned long long h = strtoull(p, &end, 10);
                assert_int_equal(rule_changes_note(rc, h, sign == '-'), 0);
                p = end + strspn(end, " ");
        }
}

static const char *list(const uint64_t *v, uint64_t n)
{
        static char buf[4][256];
        static int k;
        char *s = buf[k++ % 4];

        s[0] = '\0';
        for (uint64_t i = 0; i < n; i++)
                snprintf(s + strlen(s), 256 - strlen(s), "%s%llu", i ? "," : "", (unsigned long long) v[i]);
        return s;
}

static void test_settle(void **state)
{
        static const struct {
                const char *events, *added, *removed, *replaced;
        } cases[] = {
                { "+4", "4", "", "" },
                { "-4", "", "4", "" },
                { "-4 +4", "", "", "4" },              /* nft replace rule: same handle */
                { "+4 -4", "", "", "" },               /* there and gone within the transaction */
                { "+4 +5 -3 -6 +6", "4,5", "3", "6" }, /* each once, in order of first event */
                { "-7 +7 -7", "", "7", "" },
                { "", "", "", "" },
        };

        (void) state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                RuleChanges rc = {};
                RuleOutcome o;

                note_all(&rc, cases[i].events);
                assert_int_equal(rule_changes_settle(&rc, &o), 0);
                assert_string_equal(list(o.added, o.n_added), cases[i].added);
                assert_string_equal(list(o.removed, o.n_removed), cases[i].removed);
                assert_string_equal(list(o.replaced, o.n_replaced), cases[i].replaced);
                rule_outcome_done(&o);
                rule_changes_done(&rc);
        }
}

/* past the listed bound: counts of events, no lists, no memory per rule */
static void test_bulk(void **state)
{
        RuleChanges rc = {};
        RuleOutcome o;

        (void) state;
        for (uint64_t h = 1; h <= RULE_CHANGES_LISTED; h++)
                assert_int_equal(rule_changes_note(&rc, h, false), 0);
        assert_false(rc.bulk);
        assert_int_equal(rule_changes_settle(&rc, &o), 0);
        assert_int_equal(o.n_added, RULE_CHANGES_LISTED);
        assert_int_equal(o.added[RULE_CHANGES_LISTED - 1], RULE_CHANGES_LISTED);
        rule_outcome_done(&o);

        assert_int_equal(rule_changes_note(&rc, 1, true), 0);
        assert_int_equal(rule_changes_note(&rc, 5000, false), 0);
        assert_true(rc.bulk);
        assert_null(rc.events);
        assert_int_equal(rule_changes_settle(&rc, &o), 0);
        assert_int_equal(o.n_added, RULE_CHANGES_LISTED + 1);
        assert_int_equal(o.n_removed, 1);
        assert_int_equal(o.n_replaced, 0);
        assert_null(o.added);
        rule_outcome_done(&o);
        rule_changes_done(&rc);
}

TAP_MAIN(cmocka_unit_test(test_settle), cmocka_unit_test(test_bulk))
