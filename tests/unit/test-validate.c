/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "common/util.h"
#include "common/validate.h"

static void assert_name_refused(const char *name, const char *expected_why)
{
        _cleanup_free_ char *why = NULL;

        assert_int_equal(validate_object_name("table", name, &why), -EINVAL);
        assert_non_null(why);
        assert_string_equal(why, expected_why);
}

static void test_families(void **state)
{
        assert_int_equal(family_from_string("ip"), 2);
        assert_int_equal(family_from_string("ip6"), 10);
        assert_int_equal(family_from_string("inet"), 1);
        assert_int_equal(family_from_string("arp"), 3);
        assert_int_equal(family_from_string("bridge"), 7);
        assert_int_equal(family_from_string("netdev"), 5);
        assert_int_equal(family_from_string("IP"), -EINVAL);
        assert_int_equal(family_from_string("ipv4"), -EINVAL);
        assert_int_equal(family_from_string(""), -EINVAL);
        assert_int_equal(family_from_string(NULL), -EINVAL);
        assert_string_equal(family_to_string(10), "ip6");
        assert_null(family_to_string(0));
        assert_null(family_to_string(4));
}

static void test_family_message(void **state)
{
        _cleanup_free_ char *why = NULL;

        assert_int_equal(validate_family("inet", &why), 0);
        assert_null(why);
        assert_int_equal(validate_family("ipx", &why), -EINVAL);
        assert_string_equal(why, "Invalid family 'ipx': expected one of ip, ip6, inet, arp, bridge, netdev");
}

static void test_names_accepted(void **state)
{
        char longest[NFTBUS_NAME_MAX + 1];

        memset(longest, 'a', NFTBUS_NAME_MAX);
        longest[NFTBUS_NAME_MAX] = '\0';
        assert_int_equal(validate_object_name("table", "filter", NULL), 0);
        assert_int_equal(validate_object_name("table", "_x", NULL), 0);
        assert_int_equal(validate_object_name("table", "DOCKER-USER", NULL), 0);
        assert_int_equal(validate_object_name("table", "a.b-c_9", NULL), 0);
        assert_int_equal(validate_object_name("table", longest, NULL), 0);
}

static void test_names_refused(void **state)
{
        char too_long[NFTBUS_NAME_MAX + 2];

        memset(too_long, 'a', NFTBUS_NAME_MAX + 1);
        too_long[NFTBUS_NAME_MAX + 1] = '\0';

        assert_name_refused("", "Invalid table name: the name is empty");
        assert_name_refused(too_long, "Invalid table name: 256 bytes long, the kernel allows at most 255");
        assert_name_refused("a/b", "Invalid table name 'a/b': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("a b", "Invalid table name 'a b': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("a\"b", "Invalid table name 'a\"b': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("a'b", "Invalid table name 'a\\x27b': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("a\nb",
                            "Invalid table name 'a\\x0ab': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("a\x01",
                            "Invalid table name 'a\\x01': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("a;b", "Invalid table name 'a;b': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("x}", "Invalid table name 'x}': only letters, digits, '_', '-' and '.' are allowed");
        assert_name_refused("9lives", "Invalid table name '9lives': a name starts with a letter or '_'");
        assert_name_refused("-x", "Invalid table name '-x': a name starts with a letter or '_'");
        assert_name_refused("\xc3\xa9t\xc3\xa9",
                            "Invalid table name '\\xc3\\xa9t\\xc3\\xa9': a name starts with a letter or '_'");
}

static void test_comment(void **state)
{
        _cleanup_free_ char *why = NULL, *why2 = NULL;
        char longest[129], too_long[130];

        memset(longest, 'c', 128);
        longest[128] = '\0';
        memset(too_long, 'c', 129);
        too_long[129] = '\0';
        _cleanup_free_ char *why3 = NULL;
        assert_int_equal(validate_comment("web server; 'fine' \xc3\xa9", NULL), 0);
        assert_int_equal(validate_comment("say \"hi\"", &why3), -EINVAL);
        assert_string_equal(why3, "Invalid comment 'say \"hi\"': double quotes and backslashes are not allowed");
        assert_int_equal(validate_comment("a\\b", NULL), -EINVAL);
        assert_int_equal(validate_comment("\xff", NULL), -EINVAL);
        assert_int_equal(validate_comment(longest, NULL), 0);
        assert_int_equal(validate_comment(too_long, &why), -EINVAL);
        assert_string_equal(why, "Invalid comment: 129 bytes long, nftables allows at most 128");
        assert_int_equal(validate_comment("two\nlines", &why2), -EINVAL);
        assert_string_equal(why2, "Invalid comment 'two\\x0alines': control characters are not allowed");
}

static void test_escape_bounds_long_values(void **state)
{
        char big[1000];
        _cleanup_free_ char *shown = NULL;

        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        shown = escape_for_message(big);
        assert_int_equal(strlen(shown), 64 + 3);
        assert_string_equal(shown + 64, "...");
}

static void test_utf8(void **state)
{
        assert_true(utf8_is_valid(""));
        assert_true(utf8_is_valid("filter"));
        assert_true(utf8_is_valid("\xc3\xa9t\xc3\xa9")); /* été */
        assert_true(utf8_is_valid("\xe2\x82\xac"));      /* euro sign */
        assert_true(utf8_is_valid("\xf0\x9f\x94\xa5"));  /* U+1F525 */
        assert_false(utf8_is_valid("\xff"));
        assert_false(utf8_is_valid("a\x80"));            /* lone continuation byte */
        assert_false(utf8_is_valid("\xc3"));             /* cut sequence */
        assert_false(utf8_is_valid("\xc0\xaf"));         /* overlong '/' */
        assert_false(utf8_is_valid("\xe0\x80\xaf"));     /* overlong '/' */
        assert_false(utf8_is_valid("\xed\xa0\x80"));     /* surrogate */
        assert_false(utf8_is_valid("\xf4\x90\x80\x80")); /* beyond U+10FFFF */
}

TAP_MAIN(cmocka_unit_test(test_families), cmocka_unit_test(test_family_message), cmocka_unit_test(test_names_accepted),
         cmocka_unit_test(test_names_refused), cmocka_unit_test(test_comment),
         cmocka_unit_test(test_escape_bounds_long_values), cmocka_unit_test(test_utf8))
