/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "mirror.h"
#include "tap.h"
#include "util.h"

DEFINE_POINTER_CLEANUP(Mirror, mirror_free)

static void test_put_find_drop(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);
        _cleanup_free_ char *path = NULL;
        Table *t = NULL;

        assert_int_equal(mirror_put_table(m, 1, "filter", 7, 0, &t), MIRROR_ADDED);
        assert_string_equal(t->path, "/org/nftbus/Firewall1/table/inet/filter");
        assert_int_equal(t->handle, 7);
        assert_ptr_equal(t->mirror, m);
        assert_ptr_equal(mirror_find_table(m, 1, "filter"), t);
        assert_null(mirror_find_table(m, 2, "filter"));

        assert_int_equal(mirror_put_table(m, 1, "filter", 7, 0, NULL), MIRROR_UNCHANGED);
        assert_int_equal(mirror_put_table(m, 1, "filter", 7, NFT_TABLE_F_DORMANT, NULL), MIRROR_CHANGED);
        assert_int_equal(t->flags, NFT_TABLE_F_DORMANT);

        assert_int_equal(mirror_drop_table(m, 1, "filter", &path), 1);
        assert_string_equal(path, "/org/nftbus/Firewall1/table/inet/filter");
        assert_int_equal(mirror_drop_table(m, 1, "filter", NULL), 0);
        assert_int_equal(m->n_tables, 0);
}

static void test_unknown_family_is_refused(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);

        assert_int_equal(mirror_put_table(m, 4, "x", 1, 0, NULL), -EAFNOSUPPORT);
        assert_int_equal(mirror_put_table(m, 1, "bad\xff", 1, 0, NULL), -EILSEQ);
        assert_int_equal(m->n_tables, 0);
}

static int gone_count;
static char gone_name[64];

static void on_gone(const Table *t, void *userdata)
{
        gone_count++;
        strncpy(gone_name, t->name, sizeof(gone_name) - 1);
}

static void test_resync_sweeps_what_the_dump_lacks(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);

        assert_int_equal(mirror_put_table(m, 1, "a", 1, 0, NULL), MIRROR_ADDED);
        assert_int_equal(mirror_put_table(m, 1, "b", 2, 0, NULL), MIRROR_ADDED);
        assert_int_equal(mirror_put_table(m, 2, "c", 3, 0, NULL), MIRROR_ADDED);

        mirror_resync_begin(m);
        assert_int_equal(mirror_put_table(m, 1, "a", 1, 0, NULL), MIRROR_UNCHANGED);
        assert_int_equal(mirror_put_table(m, 2, "c", 3, 0, NULL), MIRROR_UNCHANGED);
        mirror_resync_sweep(m, on_gone, NULL);

        assert_int_equal(gone_count, 1);
        assert_string_equal(gone_name, "b");
        assert_int_equal(m->n_tables, 2);
        assert_null(mirror_find_table(m, 1, "b"));
        assert_non_null(mirror_find_table(m, 2, "c"));
}

static void test_flag_names_and_order(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);
        const char *names[3];

        table_flags_to_names(0, names);
        assert_null(names[0]);
        table_flags_to_names(NFT_TABLE_F_DORMANT | NFT_TABLE_F_OWNER, names);
        assert_string_equal(names[0], "dormant");
        assert_string_equal(names[1], "owner");
        assert_null(names[2]);

        mirror_put_table(m, 10, "z", 1, 0, NULL);
        mirror_put_table(m, 1, "b", 2, 0, NULL);
        mirror_put_table(m, 1, "a", 3, 0, NULL);
        qsort(m->tables, m->n_tables, sizeof(Table *), table_compare);
        assert_string_equal(m->tables[0]->name, "a");
        assert_string_equal(m->tables[1]->name, "b");
        assert_string_equal(m->tables[2]->name, "z");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_put_find_drop),
                cmocka_unit_test(test_unknown_family_is_refused),
                cmocka_unit_test(test_resync_sweeps_what_the_dump_lacks),
                cmocka_unit_test(test_flag_names_and_order),
        };
        cmocka_set_message_output(CM_OUTPUT_TAP);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
