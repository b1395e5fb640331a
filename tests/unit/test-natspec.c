/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "spec/natspec.h"
#include "tap.h"
#include "common/util.h"

static void test_round_trip(void **state)
{
        _cleanup_(nat_entry_clear) NatEntry e = { .kind = NAT_PORT_FORWARD }, back = {};
        _cleanup_free_ char *spec = NULL, *again = NULL, *why = NULL;
        char id[9], id_again[9];

        assert_int_equal(nat_set_protocol(&e, "tcp", &why), 0);
        assert_int_equal(nat_set_port(&e.port, "port", 8080, false, &why), 0);
        assert_int_equal(nat_set_address(&e.to_address, "to_address", "2001:DB8:0::2", false, &why), 0);
        assert_int_equal(nat_set_interface(&e.in_interface, "in_interface", "wan0", &why), 0);
        assert_int_equal(nat_entry_check(&e, &why), 0);
        assert_string_equal(e.family, "ipv6");
        assert_int_equal(nat_entry_spec(&e, &spec), 0);
        assert_string_equal(spec, "port-forward family=ipv6 iif=wan0 proto=tcp port=8080 to=2001:db8::2");
        assert_int_equal(nat_spec_parse(spec, &back), 0);
        assert_int_equal(nat_entry_spec(&back, &again), 0);
        assert_string_equal(again, spec);
        /* the id is the spec's: the same entry, the same id, on any machine */
        nat_spec_id(spec, id);
        nat_spec_id(again, id_again);
        assert_string_equal(id, id_again);
        assert_int_equal(strlen(id), 8);

        assert_int_equal(nat_spec_parse("masquerade oif=eth0; flush", &back), -EINVAL);
        assert_int_equal(nat_spec_parse("a comment of someone else", &back), -EINVAL);
        assert_int_equal(nat_spec_parse("snat to=999.1.1.1", &back), -EINVAL);
}

static void test_refusals(void **state)
{
        _cleanup_(nat_entry_clear) NatEntry e = { .kind = NAT_STATIC };
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        assert_int_equal(nat_set_address(&e.destination, "public", "10.0.0.0/8", false, &a), -EINVAL);
        assert_string_equal(a, "Invalid public '10.0.0.0/8': one address, not a prefix");
        assert_int_equal(nat_set_address(&e.source, "source", "10.0.0.0/33", true, &b), -EINVAL);
        assert_string_equal(b, "Invalid source '10.0.0.0/33': the prefix length is out of range");
        assert_int_equal(nat_set_address(&e.destination, "public", "198.51.100.1", false, NULL), 0);
        assert_int_equal(nat_set_address(&e.to_address, "private", "fd00::1", false, NULL), 0);
        assert_int_equal(nat_entry_check(&e, &c), -EINVAL);
        assert_string_equal(c, "The addresses must all be IPv4 or all IPv6");
        assert_int_equal(nat_set_port(&e.port, "port", 65536, false, &d), -EINVAL);
        assert_string_equal(d, "Invalid port 65536: expected 1 to 65535");
}

static void test_commands(void **state)
{
        _cleanup_(nat_entry_clear) NatEntry e = {};
        _cleanup_free_ char *text = NULL;

        assert_int_equal(nat_spec_parse("static family=ipv4 dst=198.51.100.10 to=10.0.0.10", &e), 0);
        assert_int_equal(nat_entry_commands(&e, "S", &text), 0);
        assert_string_equal(text, "add rule inet nftbus_nat prerouting ip daddr 198.51.100.10 dnat ip to 10.0.0.10 "
                                  "comment \"S\"\n"
                                  "add rule inet nftbus_nat postrouting ip saddr 10.0.0.10 snat ip to 198.51.100.10 "
                                  "comment \"S\"\n");
        nat_entry_clear(&e);
        free(text);
        text = NULL;
        assert_int_equal(nat_spec_parse("port-forward family=ipv6 proto=udp port=53 to=2001:db8::53 to_port=5353", &e),
                         0);
        assert_int_equal(nat_entry_commands(&e, "P", &text), 0);
        assert_string_equal(text, "add rule inet nftbus_nat prerouting udp dport 53 dnat ip6 to [2001:db8::53]:5353 "
                                  "comment \"P\"\n");
}

static void test_rules_of_a_listing_and_their_removal(void **state)
{
        /* two rules of one entry (a static NAT: both directions), one of another, one without a comment */
        json_t *listing = json_loads(
                "{\"nftables\": [{\"metainfo\": {}}, {\"table\": {\"name\": \"nftbus_nat\"}},"
                " {\"rule\": {\"chain\": \"prerouting\", \"handle\": 4, \"comment\": \"static 1.2.3.4 10.0.0.1\"}},"
                " {\"rule\": {\"chain\": \"postrouting\", \"handle\": 7, \"comment\": \"static 1.2.3.4 10.0.0.1\"}},"
                " {\"rule\": {\"chain\": \"postrouting\", \"handle\": 9, \"comment\": \"masquerade wan0\"}},"
                " {\"rule\": {\"chain\": \"postrouting\", \"handle\": 11}}]}",
                0, NULL);
        _cleanup_free_ char *text = NULL, *none = NULL;
        NatRule *rules = NULL;
        size_t n = 0;
        char id[9];

        assert_non_null(listing);
        assert_int_equal(nat_rules_of(listing, &rules, &n), 0);
        assert_int_equal(n, 3);
        assert_string_equal(rules[1].chain, "postrouting");
        assert_int_equal(rules[1].handle, 7);
        assert_string_equal(rules[2].spec, "masquerade wan0");

        nat_spec_id("static 1.2.3.4 10.0.0.1", id);
        assert_int_equal(nat_delete_commands(rules, n, id, &text), 0);
        assert_string_equal(text, "delete rule inet nftbus_nat prerouting handle 4\n"
                                  "delete rule inet nftbus_nat postrouting handle 7\n");
        assert_int_equal(nat_delete_commands(rules, n, "00000000", &none), 0);
        assert_null(none);
        free(rules);
        json_decref(listing);
}

TAP_MAIN(cmocka_unit_test(test_round_trip), cmocka_unit_test(test_refusals), cmocka_unit_test(test_commands),
         cmocka_unit_test(test_rules_of_a_listing_and_their_removal))
