/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld/shared.c: a zone's settings as firewalld's API gives them (getZoneSettings2) and takes them (update2,
 * setZoneSettings2), on sealed messages: every kind of list goes out in firewalld's form and comes back as the
 * same zone, and a bad value is firewalld's error for its kind. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "busmsg.h"
#include "common/util.h"
#include "context.h"
#include "firewalld/firewalld.h"
#include "state/zones.h"

static Context context;
static Zones zones;

static int setup(void **state)
{
        ServiceDef *ssh = NULL;
        char *why = NULL;
        FILE *f = fmemopen((char *) "port=22/tcp\n", 12, "r");

        if (!f || service_parse("ssh", NULL, f, &ssh, &why) < 0 || catalogue_put(&zones.services, ssh) < 0)
                return -1;
        fclose(f);
        context.zones = &zones;
        return test_bus_setup(state);
}

static int teardown(void **state)
{
        catalogue_done(&zones.services);
        return test_bus_teardown(state);
}

/* A zone with a value of every kind, in nftbus's canonical forms. */
static Zone *full_zone(void)
{
        static const char *const values[_ZONE_LIST_MAX] = {
                [ZONE_LIST_INTERFACE] = "eth1",
                [ZONE_LIST_SOURCE] = "10.0.0.0/8",
                [ZONE_LIST_SERVICE] = "ssh",
                [ZONE_LIST_PORT] = "6000-6010/udp",
                [ZONE_LIST_PROTOCOL] = "gre",
                [ZONE_LIST_FORWARD_PORT] = "port=80:proto=tcp:toport=8080:toaddr=10.0.0.5",
                [ZONE_LIST_ICMP_BLOCK] = "echo-request",
                [ZONE_LIST_RICH_RULE] = "rule family=\"ipv4\" source address=\"10.0.0.1\" accept",
                [ZONE_LIST_SOURCE_PORT] = "53/udp",
        };
        ZoneConfig config = {};
        Zone *z;

        assert_int_equal(zone_config_add(&config, "work", &z), 0);
        z = zone_copy(z);
        zone_config_done(&config);
        assert_non_null(z);
        z->target = ZONE_TARGET_DROP;
        z->masquerade = true;
        z->description = strdup("For work");
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++)
                assert_int_equal(strlist_add(zone_list(z, k), values[k]), 1);
        assert_int_equal(strlist_add(&z->ports, "22/tcp"), 1);
        return z;
}

static void test_settings_round_trip(void **state)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = test_message_new();
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(zone_freep) Zone *z = full_zone(), *empty = zone_copy(z), *back = NULL;
        _cleanup_free_ char *text = NULL, *text_back = NULL;

        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++)
                strlist_done(zone_list(empty, k));
        empty->masquerade = false;
        assert_true(fwd_append_zone_settings(m, z, false) >= 0);
        test_message_seal(m);
        assert_int_equal(fwd_zone_from_settings(&context, m, empty, &back, &error), 0);
        assert_int_equal(zone_format(z, &text), 0);
        assert_int_equal(zone_format(back, &text_back), 0);
        assert_string_equal(text_back, text);
}

/* update2's settings with one entry, key of type type holding the one value in firewalld's form */
static sd_bus_message *one_setting(const char *key, const char *type, const char *a, const char *b)
{
        sd_bus_message *m = test_message_new();

        assert_true(sd_bus_message_open_container(m, 'a', "{sv}") >= 0);
        if (streq(type, "a(ss)"))
                assert_true(sd_bus_message_append(m, "{sv}", key, type, 1, a, b) >= 0);
        else
                assert_true(sd_bus_message_append(m, "{sv}", key, type, 1, a) >= 0);
        assert_true(sd_bus_message_close_container(m) >= 0);
        test_message_seal(m);
        return m;
}

static void assert_setting_refused(const char *key, const char *type, const char *a, const char *b,
                                   const char *expected)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = one_setting(key, type, a, b);
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(zone_freep) Zone *z = full_zone(), *back = NULL;

        assert_true(fwd_zone_from_settings(&context, m, z, &back, &error) < 0);
        assert_null(back);
        assert_string_equal(error.name, "org.fedoraproject.FirewallD1.Exception");
        assert_string_equal(error.message, expected);
}

static void test_settings_refused(void **state)
{
        assert_setting_refused("ports", "a(ss)", "99999", "tcp", "INVALID_PORT: 99999:tcp");
        assert_setting_refused("ports", "a(ss)", "22/udp", "tcp", "INVALID_PORT: 22/udp:tcp");
        assert_setting_refused("services", "as", "telepathy", NULL, "INVALID_SERVICE: telepathy");
        assert_setting_refused("interfaces", "as", "eth0;drop", NULL, "INVALID_INTERFACE: eth0;drop");
        assert_setting_refused("sources", "as", "10.0.0.0/33", NULL, "INVALID_ADDR: 10.0.0.0/33");
        assert_setting_refused("colour", "as", "blue", NULL, "INVALID_SETTING: colour");
        /* a list of the wrong form */
        assert_setting_refused("ports", "as", "22", NULL, "INVALID_SETTING: ports: as");
}

TAP_MAIN(cmocka_unit_test_setup_teardown(test_settings_round_trip, setup, teardown),
         cmocka_unit_test_setup_teardown(test_settings_refused, setup, teardown))
