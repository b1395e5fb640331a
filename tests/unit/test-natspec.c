/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/natspec.h"
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
        assert_int_equal(nat_entry_commands(&e, "S", NULL, 0, &text), 0);
        assert_string_equal(text, "add rule inet nftbus_nat prerouting ip daddr 198.51.100.10 dnat ip to 10.0.0.10 "
                                  "comment \"S\"\n"
                                  "add rule inet nftbus_nat postrouting ip saddr 10.0.0.10 snat ip to 198.51.100.10 "
                                  "comment \"S\"\n");
        nat_entry_clear(&e);
        free(text);
        text = NULL;
        assert_int_equal(nat_spec_parse("port-forward family=ipv6 proto=udp port=53 to=2001:db8::53 to_port=5353", &e),
                         0);
        assert_int_equal(nat_entry_commands(&e, "P", NULL, 0, &text), 0);
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

/* Specificity, not call order: a static and a source-specific SNAT before the interface's masquerade, a
 * DNAT of one address before a port forward of an interface, a port before a range. */
static void test_order_by_specificity(void **state)
{
        /* the chain as it is: a masquerade, a port range forward, a foreign rule, a port forward */
        NatRule rules[] = {
                { "postrouting", 10, "masquerade oif=wan0" },
                { "prerouting", 11, "port-forward proto=tcp port=8000-8010 to=10.0.2.3" },
                { "prerouting", 12, "someone else's rule" },
                { "prerouting", 13, "port-forward iif=wan0 proto=tcp port=8080 to=10.0.2.2" },
        };
        const struct {
                const char *spec, *text;
        } cases[] = {
                { "snat oif=wan0 src=10.0.1.0/24 to=198.51.100.1",
                  "insert rule inet nftbus_nat postrouting position 10 oifname \"wan0\" ip saddr 10.0.1.0/24 snat ip "
                  "to "
                  "198.51.100.1 comment \"X\"\n" },
                { "masquerade oif=wan1",
                  "add rule inet nftbus_nat postrouting oifname \"wan1\" masquerade comment \"X\"\n" },
                { "static dst=198.51.100.10 to=10.0.2.10",
                  "insert rule inet nftbus_nat prerouting position 11 ip daddr 198.51.100.10 dnat ip to 10.0.2.10 "
                  "comment "
                  "\"X\"\ninsert rule inet nftbus_nat postrouting position 10 ip saddr 10.0.2.10 snat ip to "
                  "198.51.100.10 comment \"X\"\n" },
                { "port-forward proto=tcp port=22 to=10.0.2.4", "insert rule inet nftbus_nat prerouting position 11 "
                                                                "tcp dport 22 dnat ip to 10.0.2.4 comment \"X\"\n" },
                { "port-forward proto=tcp port=9000-9010 to=10.0.2.4",
                  "add rule inet nftbus_nat prerouting tcp dport 9000-9010 dnat ip to 10.0.2.4 comment \"X\"\n" },
                { "static dst=198.51.100.0/24 to=10.0.3.0/24",
                  "insert rule inet nftbus_nat prerouting position 11 ip daddr 198.51.100.0/24 dnat ip prefix to ip "
                  "daddr "
                  "map { 198.51.100.0/24 : 10.0.3.0/24 } comment \"X\"\ninsert rule inet nftbus_nat postrouting "
                  "position 10 ip saddr 10.0.3.0/24 snat ip prefix to ip saddr map { 10.0.3.0/24 : 198.51.100.0/24 } "
                  "comment \"X\"\n" },
                /* as specific as the range there, after it */
                { "redirect proto=udplite port=5000-5010",
                  "add rule inet nftbus_nat prerouting udplite dport 5000-5010 redirect comment \"X\"\n" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(nat_entry_clear) NatEntry e = {};
                _cleanup_free_ char *text = NULL;
                assert_int_equal(nat_spec_parse(cases[i].spec, &e), 0);
                assert_int_equal(nat_entry_commands(&e, "X", rules, ELEMENTSOF(rules), &text), 0);
                assert_string_equal(text, cases[i].text);
        }
}

static void test_ranges_and_prefixes(void **state)
{
        _cleanup_(nat_entry_clear) NatEntry e = { .kind = NAT_STATIC }, r = { .kind = NAT_PORT_FORWARD }, back = {};
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *spec = NULL;

        /* host bits go: what the kernel matches */
        assert_int_equal(nat_set_address(&e.destination, "public", "198.51.100.77/24", true, NULL), 0);
        assert_string_equal(e.destination, "198.51.100.0/24");
        assert_int_equal(nat_set_address(&e.to_address, "private", "fd00::1:2/112", true, NULL), 0);
        assert_string_equal(e.to_address, "fd00::1:0/112");
        assert_int_equal(nat_entry_check(&e, &a), -EINVAL);
        assert_string_equal(a, "The addresses must all be IPv4 or all IPv6");
        assert_int_equal(nat_set_address(&e.to_address, "private", "10.0.2.0/25", true, NULL), 0);
        assert_int_equal(nat_entry_check(&e, &b), -EINVAL);
        assert_string_equal(b, "public 198.51.100.0/24 and private 10.0.2.0/25 differ in length: a static NAT maps an "
                               "address onto an address, a prefix onto a prefix of the same length");

        assert_int_equal(nat_set_port_last(&r, 8010, &c), -EINVAL);
        assert_string_equal(c, "port_last ends a range that starts at port: give the port");
        assert_int_equal(nat_set_port(&r.port, "port", 8000, false, NULL), 0);
        assert_int_equal(nat_set_port_last(&r, 8000, &d), -EINVAL);
        assert_string_equal(d, "Invalid port_last 8000: expected 8001 to 65535, above the port");
        assert_int_equal(nat_set_port_last(&r, 8010, NULL), 0);
        assert_int_equal(nat_set_protocol(&r, "sctp", NULL), 0);
        assert_int_equal(nat_set_address(&r.to_address, "to_address", "10.0.2.2", false, NULL), 0);
        assert_int_equal(nat_entry_check(&r, NULL), 0);
        assert_int_equal(nat_entry_spec(&r, &spec), 0);
        assert_string_equal(spec, "port-forward family=ipv4 proto=sctp port=8000-8010 to=10.0.2.2");
        assert_int_equal(nat_spec_parse(spec, &back), 0);
        assert_int_equal(back.port, 8000);
        assert_int_equal(back.port_last, 8010);
        nat_entry_clear(&back);
        assert_int_equal(nat_spec_parse("port-forward proto=tcp port=8000-7000 to=10.0.2.2", &back), -EINVAL);
        assert_int_equal(nat_spec_parse("port-forward proto=tcp port=8000- to=10.0.2.2", &back), -EINVAL);
        assert_int_equal(nat_spec_parse("port-forward proto=tcp port=8000 to=10.0.2.2 to_port=1-2", &back), -EINVAL);
}

TAP_MAIN(cmocka_unit_test(test_order_by_specificity), cmocka_unit_test(test_ranges_and_prefixes),
         cmocka_unit_test(test_round_trip), cmocka_unit_test(test_refusals), cmocka_unit_test(test_commands),
         cmocka_unit_test(test_rules_of_a_listing_and_their_removal))
