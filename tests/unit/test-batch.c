/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "core/batch.h"
#include "tap.h"
#include "common/util.h"

static void assert_batch(json_t *batch, const char *expected)
{
        _cleanup_free_ char *text = batch_dump(batch);
        assert_string_equal(text, expected);
}

static void test_create_table(void **state)
{
        _cleanup_(json_decrefp) json_t *b = batch_new();

        assert_int_equal(batch_add(b, "create", "table", table_spec("inet", "filter")), 0);
        assert_batch(b, "{\"nftables\":[{\"create\":{\"table\":{\"family\":\"inet\",\"name\":\"filter\"}}}]}");
}

static void test_commands_in_order(void **state)
{
        _cleanup_(json_decrefp) json_t *b = batch_new();

        assert_int_equal(batch_add(b, "flush", "table", table_spec("ip", "a")), 0);
        assert_int_equal(batch_add(b, "delete", "table", table_spec("ip6", "b")), 0);
        assert_batch(b, "{\"nftables\":[{\"flush\":{\"table\":{\"family\":\"ip\",\"name\":\"a\"}}},"
                        "{\"delete\":{\"table\":{\"family\":\"ip6\",\"name\":\"b\"}}}]}");
}

static void test_values_are_json_escaped(void **state)
{
        _cleanup_(json_decrefp) json_t *b = batch_new();
        json_t *spec = table_spec("inet", "t");

        /* a comment is data, never syntax */
        json_object_set_new(spec, "comment", json_string("x\"; flush ruleset; \\"));
        assert_int_equal(batch_add(b, "create", "table", spec), 0);
        assert_batch(b, "{\"nftables\":[{\"create\":{\"table\":{\"family\":\"inet\",\"name\":\"t\","
                        "\"comment\":\"x\\\"; flush ruleset; \\\\\"}}}]}");
}

static void test_add_null_spec(void **state)
{
        _cleanup_(json_decrefp) json_t *b = batch_new();

        assert_int_equal(batch_add(b, "create", "table", NULL), -ENOMEM);
        assert_batch(b, "{\"nftables\":[]}");
}

static void test_output_version(void **state)
{
        _cleanup_free_ char *v = NULL;
        char *none = NULL;

        assert_int_equal(nft_output_version("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", "
                                            "\"release_name\": \"Lester Gooch #5\", \"json_schema_version\": 1}}]}",
                                            &v),
                         0);
        assert_string_equal(v, "1.0.6");
        assert_int_equal(nft_output_version("{\"nftables\": []}", &none), -EBADMSG);
        assert_int_equal(nft_output_version("not json", &none), -EBADMSG);
        assert_null(none);
}

TAP_MAIN(cmocka_unit_test(test_create_table), cmocka_unit_test(test_commands_in_order),
         cmocka_unit_test(test_values_are_json_escaped), cmocka_unit_test(test_add_null_spec),
         cmocka_unit_test(test_output_version))
