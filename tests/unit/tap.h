/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* cmocka with TAP output, which meson reads. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The main of a unit test: its cmocka_unit_test()s, run with TAP output. */
#define TAP_MAIN(...)                                                                                                 \
        int main(void)                                                                                                \
        {                                                                                                             \
                const struct CMUnitTest tests[] = { __VA_ARGS__ };                                                    \
                cmocka_set_message_output(CM_OUTPUT_TAP);                                                             \
                return cmocka_run_group_tests(tests, NULL, NULL);                                                     \
        }
