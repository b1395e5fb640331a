/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* core/zonelist.c: the one table of a zone's list kinds, as the Zone interface, firewalld's API and the zone
 * files find a kind in it, and its checkers. */

#include <errno.h>
#include <stdlib.h>

#include "common/util.h"
#include "core/zonelist.h"
#include "tap.h"

static void assert_method(const char *member, ZoneListKind kind, ZoneListOp op)
{
        ZoneListKind k;
        ZoneListOp o;

        assert_int_equal(zone_list_method(member, &k, &o), 0);
        assert_int_equal(k, kind);
        assert_int_equal(o, op);
}

static void test_methods(void **state)
{
        /* nftbus's Zone */
        assert_method("AddInterface", ZONE_LIST_INTERFACE, ZONE_LIST_ADD);
        assert_method("RemovePort", ZONE_LIST_PORT, ZONE_LIST_REMOVE);
        assert_method("ChangeSource", ZONE_LIST_SOURCE, ZONE_LIST_CHANGE);
        assert_method("AddRichRule", ZONE_LIST_RICH_RULE, ZONE_LIST_ADD);
        /* firewalld's */
        assert_method("addForwardPort", ZONE_LIST_FORWARD_PORT, ZONE_LIST_ADD);
        assert_method("queryIcmpBlock", ZONE_LIST_ICMP_BLOCK, ZONE_LIST_QUERY);
        assert_method("getServices", ZONE_LIST_SERVICE, ZONE_LIST_GET);
        assert_method("removeProtocol", ZONE_LIST_PROTOCOL, ZONE_LIST_REMOVE);

        ZoneListKind k;
        ZoneListOp o;
        /* what is no list method */
        assert_int_equal(zone_list_method("getService", &k, &o), -EINVAL);
        assert_int_equal(zone_list_method("addPorts", &k, &o), -EINVAL);
        assert_int_equal(zone_list_method("changeZoneOfInterface", &k, &o), -EINVAL);
        assert_int_equal(zone_list_method("getZoneSettings2", &k, &o), -EINVAL);
        assert_int_equal(zone_list_method("AddMasquerade", &k, &o), -EINVAL);
        assert_int_equal(zone_list_method("", &k, &o), -EINVAL);
        assert_int_equal(zone_list_method("Xdd", &k, &o), -EINVAL);
}

static void test_keys(void **state)
{
        assert_int_equal(zone_list_of_file_key("forward-port"), ZONE_LIST_FORWARD_PORT);
        assert_int_equal(zone_list_of_file_key("rule"), ZONE_LIST_RICH_RULE);
        assert_int_equal(zone_list_of_file_key("forward"), -EINVAL);
        assert_int_equal(zone_list_of_fwd_key("rules_str"), ZONE_LIST_RICH_RULE);
        assert_int_equal(zone_list_of_fwd_key("icmp_blocks"), ZONE_LIST_ICMP_BLOCK);
        assert_int_equal(zone_list_of_fwd_key("source_ports"), ZONE_LIST_SOURCE_PORT);
        assert_int_equal(zone_list_of_fwd_key("ingress_priority"), -EINVAL);
        assert_int_equal(zone_list_of_property("IcmpBlocks"), ZONE_LIST_ICMP_BLOCK);
        assert_int_equal(zone_list_of_property("Interfaces"), ZONE_LIST_INTERFACE);
        assert_int_equal(zone_list_of_property("Interface"), -EINVAL);
        assert_int_equal(zone_list_of_property("Masquerade"), -EINVAL);
        /* every kind is where the table says */
        Zone z = {};
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++)
                assert_non_null(zone_list(&z, k));
        assert_ptr_equal(zone_list(&z, ZONE_LIST_PORT), &z.ports);
        assert_ptr_equal(zone_list(&z, ZONE_LIST_RICH_RULE), &z.rich_rules);
        assert_int_equal(zone_list_types[ZONE_LIST_PORT].fwd_args, 2);
        assert_int_equal(zone_list_types[ZONE_LIST_FORWARD_PORT].fwd_args, 4);
        assert_true(zone_list_types[ZONE_LIST_SOURCE].binding);
        assert_false(zone_list_types[ZONE_LIST_SERVICE].binding);
}

static void test_checks(void **state)
{
        ServiceCatalogue services = {};
        ServiceDef *ssh = NULL;
        char *canonical = NULL, *why = NULL;
        FILE *f = fmemopen((char *) "port=22/tcp\n", 12, "r");

        assert_int_equal(service_parse("ssh", NULL, f, &ssh, &why), 0);
        fclose(f);
        assert_int_equal(catalogue_put(&services, ssh), 0);

        assert_int_equal(zone_list_check(ZONE_LIST_SERVICE, "ssh", &services, &canonical, &why), 0);
        assert_string_equal(canonical, "ssh");
        free(canonical);
        assert_int_equal(zone_list_check(ZONE_LIST_SERVICE, "telepathy", &services, &canonical, &why), -EINVAL);
        assert_string_equal(why, "Unknown service 'telepathy': not in the catalogue of services");
        free(why);
        why = NULL;
        /* canonical forms */
        assert_int_equal(zone_list_check(ZONE_LIST_SOURCE, "10.1.2.3/8", &services, &canonical, &why), 0);
        assert_string_equal(canonical, "10.0.0.0/8");
        free(canonical);
        assert_int_equal(zone_list_check(ZONE_LIST_FORWARD_PORT, "port=22:proto=tcp:toaddr=10.0.0.2", &services,
                                         &canonical, &why),
                         0);
        assert_string_equal(canonical, "port=22:proto=tcp:toaddr=10.0.0.2");
        free(canonical);
        assert_int_equal(zone_list_check(ZONE_LIST_INTERFACE, "eth0 ; drop", &services, &canonical, &why), -EINVAL);
        assert_non_null(why);
        free(why);
        catalogue_done(&services);
}

TAP_MAIN(cmocka_unit_test(test_methods), cmocka_unit_test(test_keys), cmocka_unit_test(test_checks))
