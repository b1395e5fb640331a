/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "core/mirror.h"
#include "tap.h"
#include "common/util.h"

DEFINE_POINTER_CLEANUP(Mirror, mirror_free)

static int put_table(Mirror *m, int family, const char *name, uint64_t handle, uint32_t flags, Table **ret)
{
        NftMessage msg = { .kind = NFT_KIND_TABLE, .family = family, .table = name, .handle = handle, .flags = flags };
        void *found = NULL;
        int r = mirror_put(m, &msg, &found);

        if (ret)
                *ret = found;
        return r;
}

static int put_chain(Mirror *m, const char *table, const char *name, uint64_t handle, uint32_t policy, Node **ret)
{
        NftMessage msg = { .kind = NFT_KIND_CHAIN,
                           .family = 1,
                           .table = table,
                           .name = name,
                           .handle = handle,
                           .has_hook = true,
                           .hooknum = NF_INET_LOCAL_IN,
                           .chain_type = "filter",
                           .has_policy = true,
                           .policy = policy,
                           .devices = { "eth1", "eth0" },
                           .n_devices = 2 };
        void *found = NULL;
        int r = mirror_put(m, &msg, &found);

        if (ret)
                *ret = found;
        return r;
}

static void test_tables(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);
        Table *t = NULL;

        assert_int_equal(put_table(m, 1, "filter", 7, 0, &t), MIRROR_ADDED);
        assert_string_equal(t->path, "/org/nftbus/Firewall1/table/inet/filter");
        assert_int_equal(t->handle, 7);
        assert_ptr_equal(t->mirror, m);
        assert_ptr_equal(mirror_find_table(m, 1, "filter"), t);
        assert_null(mirror_find_table(m, 2, "filter"));

        assert_int_equal(put_table(m, 1, "filter", 7, 0, NULL), MIRROR_UNCHANGED);
        assert_int_equal(put_table(m, 1, "filter", 7, NFT_TABLE_F_DORMANT, NULL), MIRROR_CHANGED);
        assert_int_equal(t->flags, NFT_TABLE_F_DORMANT);

        mirror_drop_table(t);
        assert_int_equal(m->n_tables, 0);
        assert_null(mirror_find_table(m, 1, "filter"));
}

static void test_refused(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);

        assert_int_equal(put_table(m, 4, "x", 1, 0, NULL), -EAFNOSUPPORT);
        assert_int_equal(put_table(m, 1, "bad\xff", 1, 0, NULL), -EILSEQ);
        assert_int_equal(m->n_tables, 0);
        /* an object of a table the mirror does not know */
        assert_int_equal(put_chain(m, "nowhere", "input", 1, NF_ACCEPT, NULL), -ENOENT);
        assert_int_equal(put_table(m, 1, "t", 1, 0, NULL), MIRROR_ADDED);
        assert_int_equal(put_chain(m, "t", "bad\xff", 2, NF_ACCEPT, NULL), -EILSEQ);
        assert_int_equal(m->tables[0]->n_nodes, 0);
}

static void test_nodes(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);
        NftMessage counter = { .kind = NFT_KIND_COUNTER,
                               .family = 1,
                               .table = "t",
                               .name = "input",
                               .handle = 9,
                               .packets = 5,
                               .bytes = 500,
                               .comment = "hits" };
        Table *t = NULL;
        Node *n = NULL, *c = NULL;

        assert_int_equal(put_table(m, 1, "t", 1, 0, &t), MIRROR_ADDED);
        assert_int_equal(put_chain(m, "t", "input", 2, NF_ACCEPT, &n), MIRROR_ADDED);
        assert_string_equal(n->path, "/org/nftbus/Firewall1/table/inet/t/chain/input");
        assert_ptr_equal(n->table, t);
        assert_string_equal(n->info.chain_type, "filter");
        /* devices are a set: kept sorted */
        assert_string_equal(n->info.devices[0], "eth0");
        assert_string_equal(n->info.devices[1], "eth1");
        assert_null(n->info.devices[2]);

        /* a counter may share a chain's name: kinds are separate name spaces */
        assert_int_equal(mirror_put(m, &counter, (void **) &c), MIRROR_ADDED);
        assert_string_equal(c->path, "/org/nftbus/Firewall1/table/inet/t/counter/input");
        assert_string_equal(c->info.comment, "hits");
        assert_ptr_equal(table_find_node(t, NFT_KIND_CHAIN, "input"), n);
        assert_ptr_equal(table_find_node(t, NFT_KIND_COUNTER, "input"), c);
        assert_ptr_equal(table_find_node_by_handle(t, 9), c);
        assert_null(table_find_node(t, NFT_KIND_QUOTA, "input"));

        /* a counter's values are not properties: the same counter with other values is unchanged */
        counter.packets = 6;
        counter.bytes = 600;
        assert_int_equal(mirror_put(m, &counter, (void **) &c), MIRROR_UNCHANGED);

        assert_int_equal(put_chain(m, "t", "input", 2, NF_ACCEPT, NULL), MIRROR_UNCHANGED);
        assert_int_equal(put_chain(m, "t", "input", 2, NF_DROP, &n), MIRROR_CHANGED);
        assert_int_equal(n->info.policy, NF_DROP);

        mirror_drop_node(n);
        assert_null(table_find_node(t, NFT_KIND_CHAIN, "input"));
        assert_ptr_equal(table_find_node(t, NFT_KIND_COUNTER, "input"), c);
}

static void test_nodes_stay_sorted(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);
        const char *names[] = { "m", "c", "x", "a", "k", "b" };
        Table *t = NULL;

        assert_int_equal(put_table(m, 1, "t", 1, 0, &t), MIRROR_ADDED);
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                assert_int_equal(put_chain(m, "t", names[i], 10 + i, NF_ACCEPT, NULL), MIRROR_ADDED);
        assert_int_equal(t->n_nodes, ELEMENTSOF(names));
        for (size_t i = 1; i < t->n_nodes; i++)
                assert_true(strcmp(t->nodes[i - 1]->name, t->nodes[i]->name) < 0);
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                assert_string_equal(table_find_node(t, NFT_KIND_CHAIN, names[i])->name, names[i]);
}

static char gone[8][96];
static int gone_count;

static void on_gone(const char *path, void *userdata)
{
        snprintf(gone[gone_count++], sizeof(gone[0]), "%s", path);
}

static void test_resync_sweeps_what_the_dump_lacks(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);

        assert_int_equal(put_table(m, 1, "a", 1, 0, NULL), MIRROR_ADDED);
        assert_int_equal(put_table(m, 1, "b", 2, 0, NULL), MIRROR_ADDED);
        assert_int_equal(put_chain(m, "a", "kept", 3, NF_ACCEPT, NULL), MIRROR_ADDED);
        assert_int_equal(put_chain(m, "a", "lost", 4, NF_ACCEPT, NULL), MIRROR_ADDED);
        assert_int_equal(put_chain(m, "b", "inner", 5, NF_ACCEPT, NULL), MIRROR_ADDED);

        mirror_resync_begin(m);
        assert_int_equal(put_table(m, 1, "a", 1, 0, NULL), MIRROR_UNCHANGED);
        assert_int_equal(put_chain(m, "a", "kept", 3, NF_ACCEPT, NULL), MIRROR_UNCHANGED);
        mirror_resync_sweep(m, on_gone, NULL);

        /* table b goes with its chain, the chain first; chain a/lost goes */
        assert_int_equal(gone_count, 3);
        assert_string_equal(gone[0], "/org/nftbus/Firewall1/table/inet/b/chain/inner");
        assert_string_equal(gone[1], "/org/nftbus/Firewall1/table/inet/b");
        assert_string_equal(gone[2], "/org/nftbus/Firewall1/table/inet/a/chain/lost");
        assert_int_equal(m->n_tables, 1);
        assert_int_equal(m->tables[0]->n_nodes, 1);
        assert_string_equal(m->tables[0]->nodes[0]->name, "kept");
}

static void test_flag_names_order_and_kinds(void **state)
{
        _cleanup_(mirror_freep) Mirror *m = mirror_new(NULL);
        const char *names[3];

        table_flags_to_names(0, names);
        assert_null(names[0]);
        table_flags_to_names(NFT_TABLE_F_DORMANT | NFT_TABLE_F_OWNER, names);
        assert_string_equal(names[0], "dormant");
        assert_string_equal(names[1], "owner");
        assert_null(names[2]);

        put_table(m, 10, "z", 1, 0, NULL);
        put_table(m, 1, "b", 2, 0, NULL);
        put_table(m, 1, "a", 3, 0, NULL);
        qsort(m->tables, m->n_tables, sizeof(Table *), table_compare);
        assert_string_equal(m->tables[0]->name, "a");
        assert_string_equal(m->tables[1]->name, "b");
        assert_string_equal(m->tables[2]->name, "z");

        assert_string_equal(nft_kind_to_string(NFT_KIND_FLOWTABLE), "flowtable");
        assert_int_equal(nft_kind_from_string("quota"), NFT_KIND_QUOTA);
        assert_int_equal(nft_kind_from_string("rule"), NFT_KIND_NONE);
        assert_null(nft_kind_to_string(NFT_KIND_GENERATION));
}

TAP_MAIN(cmocka_unit_test(test_tables), cmocka_unit_test(test_refused), cmocka_unit_test(test_nodes),
         cmocka_unit_test(test_nodes_stay_sorted), cmocka_unit_test(test_resync_sweeps_what_the_dump_lacks),
         cmocka_unit_test(test_flag_names_order_and_kinds))
