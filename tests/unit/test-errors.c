/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "errors.h"
#include "tap.h"
#include "util.h"

static void test_error_names(void **state)
{
        assert_string_equal(nft_error_name("internal:0:0-0: Error: Could not process rule: File exists\n\n"),
                            NFTBUS_ERROR_ALREADY_EXISTS);
        assert_string_equal(nft_error_name("internal:0:0-0: Error: No such file or directory; did you mean "
                                           "table 'foo' in family inet?\n"),
                            NFTBUS_ERROR_NOT_FOUND);
        assert_string_equal(nft_error_name("Error: Could not process rule: Numerical result out of range\n"),
                            NFTBUS_ERROR_TOO_LARGE);
        assert_string_equal(nft_error_name("Error: Could not process rule: Device or resource busy\n"),
                            NFTBUS_ERROR_BUSY);
        assert_string_equal(nft_error_name("Error: Could not process rule: Operation not supported\n"),
                            NFTBUS_ERROR_REJECTED);
        assert_string_equal(nft_error_name(""), NFTBUS_ERROR_REJECTED);
        assert_string_equal(nft_error_name(NULL), NFTBUS_ERROR_REJECTED);
}

static void test_error_message_keeps_nft_text(void **state)
{
        _cleanup_free_ char *a = nft_error_message("internal:0:0-0: Error: Could not process rule: File exists\n\n");
        _cleanup_free_ char *b = nft_error_message("internal:0:0-0: Error: one\ninternal:0:0-0: Error: two\n");
        _cleanup_free_ char *c = nft_error_message("<cmdline>:1:1-5: Error: syntax error\nadd x\n^^^^^\n");
        _cleanup_free_ char *d = nft_error_message(NULL);

        assert_string_equal(a, "Error: Could not process rule: File exists");
        assert_string_equal(b, "Error: one\nError: two");
        assert_string_equal(c, "<cmdline>:1:1-5: Error: syntax error\nadd x\n^^^^^");
        assert_string_equal(d, "");
}

static void test_errno_mapping_is_registered(void **state)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;

        assert_true(nftbus_errors_register() >= 0);
        sd_bus_error_set(&e, NFTBUS_ERROR_NOT_FOUND, "x");
        assert_int_equal(sd_bus_error_get_errno(&e), ENOENT);
        sd_bus_error_free(&e);
        sd_bus_error_set(&e, NFTBUS_ERROR_ALREADY_EXISTS, "x");
        assert_int_equal(sd_bus_error_get_errno(&e), EEXIST);
        sd_bus_error_free(&e);
        sd_bus_error_set(&e, NFTBUS_ERROR_INVALID_ARGUMENT, "x");
        assert_int_equal(sd_bus_error_get_errno(&e), EINVAL);
        sd_bus_error_free(&e);
        sd_bus_error_set(&e, NFTBUS_ERROR_BACKEND_FAILED, "x");
        assert_int_equal(sd_bus_error_get_errno(&e), EPIPE);
        sd_bus_error_free(&e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_error_names),
                cmocka_unit_test(test_error_message_keeps_nft_text),
                cmocka_unit_test(test_errno_mapping_is_registered),
        };
        cmocka_set_message_output(CM_OUTPUT_TAP);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
