/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/fwdspec.h"
#include "tap.h"
#include "common/util.h"

static void assert_join(ZoneListKind k, const char *const *args, const char *expected)
{
        _cleanup_free_ char *text = NULL;

        assert_int_equal(fwd_value_join(k, args, &text), 0);
        assert_string_equal(text, expected);
}

static void test_join(void **state)
{
        assert_join(ZONE_LIST_SERVICE, (const char *const[]){ "http" }, "http");
        assert_join(ZONE_LIST_PORT, (const char *const[]){ "8080", "tcp" }, "8080/tcp");
        assert_join(ZONE_LIST_PORT, (const char *const[]){ "6000-6010", "udp" }, "6000-6010/udp");
        assert_join(ZONE_LIST_FORWARD_PORT, (const char *const[]){ "22", "tcp", "2222", "" },
                    "port=22:proto=tcp:toport=2222");
        assert_join(ZONE_LIST_FORWARD_PORT, (const char *const[]){ "80", "tcp", "", "10.0.0.5" },
                    "port=80:proto=tcp:toaddr=10.0.0.5");
        assert_join(ZONE_LIST_FORWARD_PORT, (const char *const[]){ "80", "tcp", "8080", "2001:db8::1" },
                    "port=80:proto=tcp:toport=8080:toaddr=2001:db8::1");
}

static void test_join_one_field_each(void **state)
{
        char *text = NULL;

        assert_int_equal(fwd_value_join(ZONE_LIST_FORWARD_PORT,
                                        (const char *const[]){ "22:toaddr=10.0.0.1", "tcp", "2222", "" }, &text),
                         -EINVAL);
        assert_int_equal(fwd_value_join(ZONE_LIST_FORWARD_PORT,
                                        (const char *const[]){ "22", "tcp", "", "10.0.0.1:toport=1" }, &text),
                         -EINVAL);
        assert_int_equal(fwd_value_join(ZONE_LIST_PORT, (const char *const[]){ "22/udp", "tcp" }, &text), -EINVAL);
        assert_null(text);
}

static void assert_split(ZoneListKind k, const char *canonical, const char *a, const char *b, const char *c,
                         const char *d)
{
        char parts[FWD_ARGS_MAX][FWD_PART_MAX];

        assert_int_equal(fwd_value_split(k, canonical, parts), 0);
        assert_string_equal(parts[0], a);
        assert_string_equal(parts[1], b);
        assert_string_equal(parts[2], c);
        assert_string_equal(parts[3], d);
}

static void test_split(void **state)
{
        char parts[FWD_ARGS_MAX][FWD_PART_MAX];

        assert_split(ZONE_LIST_SERVICE, "http", "http", "", "", "");
        assert_split(ZONE_LIST_PORT, "8080/tcp", "8080", "tcp", "", "");
        assert_split(ZONE_LIST_FORWARD_PORT, "port=22:proto=tcp:toport=2222", "22", "tcp", "2222", "");
        assert_split(ZONE_LIST_FORWARD_PORT, "port=80:proto=tcp:toaddr=10.0.0.5", "80", "tcp", "", "10.0.0.5");
        assert_split(ZONE_LIST_FORWARD_PORT, "port=80:proto=tcp:toport=8080:toaddr=2001:db8::1", "80", "tcp", "8080",
                     "2001:db8::1");
        assert_int_equal(fwd_value_split(ZONE_LIST_PORT, "8080", parts), -EINVAL);
        assert_int_equal(fwd_value_split(ZONE_LIST_FORWARD_PORT, "proto=tcp:port=22", parts), -EINVAL);
        assert_int_equal(fwd_value_split(ZONE_LIST_FORWARD_PORT, "port=22:proto=tcp:x=1", parts), -EINVAL);
        char long_value[200];
        memset(long_value, 'a', sizeof(long_value) - 1);
        long_value[sizeof(long_value) - 1] = '\0';
        assert_int_equal(fwd_value_split(ZONE_LIST_SERVICE, long_value, parts), -EINVAL);
}

static void test_shown(void **state)
{
        _cleanup_free_ char *a = NULL, *b = NULL;

        assert_int_equal(fwd_value_shown(ZONE_LIST_PORT, (const char *const[]){ "9090", "tcp" }, &a), 0);
        assert_string_equal(a, "9090:tcp");
        assert_int_equal(fwd_value_shown(ZONE_LIST_FORWARD_PORT, (const char *const[]){ "22", "tcp", "2222", "" }, &b),
                         0);
        assert_string_equal(b, "22:tcp:2222:");
}

static void test_targets(void **state)
{
        assert_string_equal(fwd_target_to_string(ZONE_TARGET_DEFAULT), "default");
        assert_string_equal(fwd_target_to_string(ZONE_TARGET_REJECT), "%%REJECT%%");
        assert_int_equal(fwd_target_from_string("DROP"), ZONE_TARGET_DROP);
        assert_int_equal(fwd_target_from_string("ACCEPT"), ZONE_TARGET_ACCEPT);
        assert_int_equal(fwd_target_from_string("drop"), -EINVAL);
        /* firewalld's clients' new zones carry its placeholder for default */
        assert_int_equal(fwd_target_from_string("{chain}_{zone}"), ZONE_TARGET_DEFAULT);
}

TAP_MAIN(cmocka_unit_test(test_join), cmocka_unit_test(test_join_one_field_each), cmocka_unit_test(test_split),
         cmocka_unit_test(test_shown), cmocka_unit_test(test_targets))
