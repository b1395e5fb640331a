/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* zones/engine.c, the zone engine, with the real zone files in a directory of the test's own and the shipped
 * services: permanent changes queued as the front doors queue them, each made on a copy and written all or
 * nothing; a refused change leaves the configuration and its file as they were; a runtime change while zones are
 * off is refused and changes nothing (nothing would filter by it). What a runtime change sends to the kernel is
 * the integration tests' (zones-packets, zones-fail-closed). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <stdio.h>

#include "busmsg.h"
#include "common/errors.h"
#include "common/util.h"
#include "context.h"
#include "state/files.h"
#include "state/zones.h"
#include "zones/engine.h"

static const char *data_dir;
static char config_dir[] = "/tmp/nftbus-test-zoneengine.XXXXXX";
static Context context;

static int setup(void **state)
{
        _cleanup_free_ char *problems = NULL, *warnings = NULL;

        if (nftbus_errors_register() < 0 || !mkdtemp(config_dir) ||
            setenv("CONFIGURATION_DIRECTORY", config_dir, 1) < 0 || setenv("NFTBUS_DATA_DIR", data_dir, 1) < 0)
                return -1;
        /* nftbus's own files, whatever firewalld's the machine has */
        if (setenv("NFTBUS_FIREWALLD_CONFIG_DIR", "/nonexistent", 1) < 0)
                return -1;
        if (zones_load(&context.zones, &problems, &warnings) < 0 || problems) {
                fprintf(stderr, "%s\n", strempty(problems));
                return -1;
        }
        return test_bus_setup(state);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

static int teardown(void **state)
{
        zones_free(context.zones);
        context.zones = NULL;
        if (nftw(config_dir, remove_one, 8, FTW_DEPTH | FTW_PHYS) < 0)
                return -1;
        return test_bus_teardown(state);
}

/* The zone file's text, or NULL when there is none. */
static char *zone_file(const char *zone)
{
        _cleanup_free_ char *path = NULL;
        char *text = NULL;

        assert_true(asprintf(&path, "%s/zones/%s.zone", config_dir, zone) > 0);
        return file_read_regular(path, 1 << 20, &text) < 0 ? NULL : text;
}

static void test_permanent_changes(void **state)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = test_message_new();
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *work = NULL, *again = NULL, *home = NULL;
        Zones *z = context.zones;

        test_message_seal(m);
        /* a port, then an interface moved from one zone to another */
        assert_int_equal(
                zone_list_request(&context, m, ZONE_LIST_PORT, ZONE_LIST_ADD, "work", "8080/tcp", true, NULL, &error),
                1);
        assert_int_equal(
                zone_list_request(&context, m, ZONE_LIST_INTERFACE, ZONE_LIST_ADD, "home", "eth7", true, NULL, &error),
                1);
        assert_int_equal(zone_list_request(&context, m, ZONE_LIST_INTERFACE, ZONE_LIST_CHANGE, "work", "eth7", true,
                                           NULL, &error),
                         1);
        assert_false(sd_bus_error_is_set(&error));
        /* made, in memory and in the files; the runtime configuration is not the permanent one's business */
        assert_true(strlist_contains(&zone_config_find(&z->permanent, "work")->ports, "8080/tcp"));
        assert_true(strlist_contains(&zone_config_find(&z->permanent, "work")->interfaces, "eth7"));
        assert_false(strlist_contains(&zone_config_find(&z->permanent, "home")->interfaces, "eth7"));
        assert_false(strlist_contains(&zone_config_find(&z->runtime, "work")->ports, "8080/tcp"));
        work = zone_file("work");
        home = zone_file("home");
        assert_non_null(work);
        assert_non_null(home);
        assert_non_null(strstr(work, "\nport=8080/tcp\n"));
        assert_non_null(strstr(work, "\ninterface=eth7\n"));
        assert_null(strstr(home, "eth7"));

        /* refused: there already; the configuration and the file stay as they are */
        assert_int_equal(
                zone_list_request(&context, m, ZONE_LIST_PORT, ZONE_LIST_ADD, "work", "8080/tcp", true, NULL, &error),
                1);
        /* an invalid value never reaches the queue */
        assert_int_equal(
                zone_list_request(&context, m, ZONE_LIST_PORT, ZONE_LIST_ADD, "work", "99999/tcp", true, NULL, &error),
                -EINVAL);
        assert_string_equal(error.name, "org.nftbus.Firewall1.Error.InvalidArgument");
        assert_string_equal(
                error.message,
                "Invalid port '99999/tcp': ports are 0 to 65535 or names of /etc/services, a range FROM-TO");
        again = zone_file("work");
        assert_string_equal(again, work);
}

static void test_runtime_change_with_zones_off(void **state)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = test_message_new();
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *before = NULL, *after = NULL;
        Zones *z = context.zones;

        test_message_seal(m);
        z->enabled = false;
        z->panic = false;
        assert_int_equal(zone_format(zone_config_find(&z->runtime, "public"), &before), 0);
        /* queued and answered at once with ZonesOff: nothing sent, nothing changed */
        assert_int_equal(zone_list_request(&context, m, ZONE_LIST_PORT, ZONE_LIST_ADD, "public", "8443/tcp", false,
                                           NULL, &error),
                         1);
        assert_int_equal(zone_format(zone_config_find(&z->runtime, "public"), &after), 0);
        assert_string_equal(after, before);
        assert_string_equal(zones_state(&context), "off");
}

int main(int argc, char *argv[])
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_permanent_changes),
                cmocka_unit_test(test_runtime_change_with_zones_off),
        };

        if (argc != 2) {
                fprintf(stderr, "usage: test-zoneengine DATA-DIR\n");
                return 2;
        }
        data_dir = argv[1];
        cmocka_set_message_output(CM_OUTPUT_TAP);
        return cmocka_run_group_tests(tests, setup, teardown);
}
