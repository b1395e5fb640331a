/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "common/objpath.h"
#include "tap.h"
#include "common/util.h"

static void assert_round_trip(const char *family, const char *name, const char *expected_path)
{
        _cleanup_free_ char *path = NULL, *f = NULL, *n = NULL, *k = NULL, *o = NULL;

        assert_int_equal(table_path(family, name, &path), 0);
        assert_string_equal(path, expected_path);
        assert_int_equal(object_path_parse(path, &f, &n, &k, &o), 1);
        assert_string_equal(f, family);
        assert_string_equal(n, name);
        assert_null(k);
        assert_null(o);
}

static void test_objects_in_tables(void **state)
{
        _cleanup_free_ char *path = NULL, *f = NULL, *t = NULL, *k = NULL, *n = NULL;

        assert_int_equal(node_path("inet", "filter", "chain", "user_rules", &path), 0);
        assert_string_equal(path, "/org/nftbus/Firewall1/table/inet/filter/chain/user_5frules");
        assert_int_equal(object_path_parse(path, &f, &t, &k, &n), 2);
        assert_string_equal(f, "inet");
        assert_string_equal(t, "filter");
        assert_string_equal(k, "chain");
        assert_string_equal(n, "user_rules");
}

static void test_plain_names(void **state)
{
        assert_round_trip("inet", "filter", "/org/nftbus/Firewall1/table/inet/filter");
        assert_round_trip("ip6", "nat", "/org/nftbus/Firewall1/table/ip6/nat");
}

static void test_escaped_names(void **state)
{
        /* names made by other tools can hold anything the kernel takes */
        assert_round_trip("inet", "DOCKER-USER", "/org/nftbus/Firewall1/table/inet/DOCKER_2dUSER");
        assert_round_trip("ip", "a b", "/org/nftbus/Firewall1/table/ip/a_20b");
        assert_round_trip("ip", "a/b", "/org/nftbus/Firewall1/table/ip/a_2fb");
        assert_round_trip("ip", "_x", "/org/nftbus/Firewall1/table/ip/_5fx");
        assert_round_trip("ip", "x.y", "/org/nftbus/Firewall1/table/ip/x_2ey");
}

static void test_parse_refuses_other_paths(void **state)
{
        char *f = NULL, *n = NULL, *k = NULL, *o = NULL;

        assert_int_equal(object_path_parse("/org/nftbus/Firewall1", &f, &n, &k, &o), 0);
        assert_int_equal(object_path_parse("/org/nftbus/Firewall1/table", &f, &n, &k, &o), 0);
        assert_int_equal(object_path_parse("/org/nftbus/Firewall1/table/inet", &f, &n, &k, &o), 0);
        assert_int_equal(object_path_parse("/org/nftbus/Firewall1/table/inet/filter/chain", &f, &n, &k, &o), 0);
        assert_int_equal(object_path_parse("/org/nftbus/Firewall1/table/inet/filter/chain/a/b", &f, &n, &k, &o), 0);
        assert_int_equal(object_path_parse("/org/nftbus/Firewall1/tables/inet/filter", &f, &n, &k, &o), 0);
        assert_int_equal(object_path_parse("/org/other/table/inet/filter", &f, &n, &k, &o), 0);
        assert_null(f);
        assert_null(n);
        assert_null(k);
        assert_null(o);
}

TAP_MAIN(cmocka_unit_test(test_plain_names), cmocka_unit_test(test_escaped_names),
         cmocka_unit_test(test_objects_in_tables), cmocka_unit_test(test_parse_refuses_other_paths))
