/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* bus/options.c, the a{sv} reader every method uses, on messages sealed as the bus would deliver them: each
 * type, integers of any width that fit, "i|s", and the refusals (unknown, repeated, wrong type, out of range)
 * with the name of the option in the message. */

#include <errno.h>
#include <stdlib.h>
#include <systemd/sd-bus.h>

#include "bus/options.h"
#include "common/util.h"
#include "busmsg.h"

/* A call whose body is one a{sv} with the entries appended by append, sealed and rewound for reading. */
static sd_bus_message *options_message(int (*append)(sd_bus_message *m))
{
        sd_bus_message *m = test_message_new();

        assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
        assert_true(append(m) >= 0);
        assert_true(sd_bus_message_close_container(m) >= 0);
        test_message_seal(m);
        return m;
}

static int append_all(sd_bus_message *m)
{
        int r = sd_bus_message_append(m, "{sv}", "name", "s", "hits");

        if (r >= 0)
                r = sd_bus_message_append(m, "{sv}", "flag", "b", 1);
        if (r >= 0) /* a "u" given as a byte: any integer type whose value fits */
                r = sd_bus_message_append(m, "{sv}", "size", "y", 200);
        if (r >= 0)
                r = sd_bus_message_append(m, "{sv}", "timeout", "u", 4000000000u);
        if (r >= 0)
                r = sd_bus_message_append(m, "{sv}", "priority", "i", -150);
        if (r >= 0)
                r = sd_bus_message_append(m, "{sv}", "devices", "as", 2, "eth0", "eth1");
        return r;
}

static void test_every_type(void **state)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = options_message(append_all);
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *name = NULL, *priority = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        int flag = 0;
        uint32_t size = 0;
        uint64_t timeout = 0;
        bool has_flag = false, has_missing = false;
        char *missing = NULL;

        assert_true(options_read(m,
                                 (const OptionSpec[]){
                                         { "name", "s", &name },
                                         { "flag", "b", &flag, &has_flag },
                                         { "size", "u", &size },
                                         { "timeout", "t", &timeout },
                                         { "priority", "i|s", &priority },
                                         { "devices", "as", &devices },
                                         { "missing", "s", &missing, &has_missing },
                                         {},
                                 },
                                 &error) >= 0);
        assert_string_equal(name, "hits");
        assert_true(flag && has_flag);
        assert_int_equal(size, 200);
        assert_int_equal(timeout, 4000000000u);
        assert_string_equal(priority, "-150");
        assert_string_equal(devices[0], "eth0");
        assert_string_equal(devices[1], "eth1");
        assert_null(devices[2]);
        assert_null(missing);
        assert_false(has_missing);
}

static int append_unknown(sd_bus_message *m)
{
        return sd_bus_message_append(m, "{sv}", "colour", "s", "blue");
}

static int append_repeated(sd_bus_message *m)
{
        int r = sd_bus_message_append(m, "{sv}", "name", "s", "a");

        return r < 0 ? r : sd_bus_message_append(m, "{sv}", "name", "s", "b");
}

static int append_wrong_type(sd_bus_message *m)
{
        return sd_bus_message_append(m, "{sv}", "name", "u", 7);
}

static int append_out_of_range(sd_bus_message *m)
{
        return sd_bus_message_append(m, "{sv}", "size", "x", (int64_t) -1);
}

/* The error of reading the options of append with the specs name (s) and size (u). */
static void assert_refused(int (*append)(sd_bus_message *m), const char *expected)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = options_message(append);
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *name = NULL;
        uint32_t size = 0;

        assert_true(options_read(m, (const OptionSpec[]){ { "name", "s", &name }, { "size", "u", &size }, {} },
                                 &error) < 0);
        assert_string_equal(error.name, "org.nftbus.Firewall1.Error.InvalidArgument");
        assert_string_equal(error.message, expected);
}

static void test_refusals(void **state)
{
        assert_refused(append_unknown, "Unknown option 'colour'");
        assert_refused(append_repeated, "Option 'name' is given twice");
        assert_refused(append_wrong_type, "Option 'name' takes a value of D-Bus type 's', not 'u'");
        assert_refused(append_out_of_range, "Option 'size' takes an integer from 0 to 4294967295; -1 is out of range");
}

TAP_MAIN(cmocka_unit_test_setup_teardown(test_every_type, test_bus_setup, test_bus_teardown),
         cmocka_unit_test_setup_teardown(test_refusals, test_bus_setup, test_bus_teardown))
