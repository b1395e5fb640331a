/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "core/setelem.h"
#include "tap.h"
#include "common/util.h"

static SetShape shape(const char *type, const char *value, bool interval)
{
        const DataType *fields[SET_FIELDS_MAX];
        size_t n;
        SetShape s;

        assert_int_equal(set_type_parse(type, fields, &n, NULL), 0);
        assert_int_equal(set_shape_from_kernel(set_type_pack(fields, n), value ? datatype_by_name(value)->id : 0,
                                               interval, value != NULL, &s),
                         0);
        return s;
}

/* parses text and prints it back */
static void assert_round_trip(const SetShape *s, const char *text, const char *printed)
{
        _cleanup_free_ char *why = NULL, *out = NULL;
        Element e;

        assert_int_equal(element_parse(s, text, &e, &why), 0);
        assert_int_equal(element_format(s, &e, &out), 0);
        assert_string_equal(out, printed);
}

static void assert_refused(const SetShape *s, const char *text, const char *expected_why)
{
        _cleanup_free_ char *why = NULL;
        Element e;

        assert_int_equal(element_parse(s, text, &e, &why), -EINVAL);
        assert_non_null(why);
        assert_string_equal(why, expected_why);
}

static void test_type_names(void **state)
{
        const DataType *fields[SET_FIELDS_MAX];
        _cleanup_free_ char *why = NULL, *back = NULL;
        size_t n;

        assert_int_equal(set_type_parse("ipv4_addr . inet_service . mark", fields, &n, NULL), 0);
        assert_int_equal(n, 3);
        /* nft packs 6 bits per field, the first highest: (7 << 12) | (13 << 6) | 19 */
        assert_int_equal(set_type_pack(fields, n), (7 << 12) | (13 << 6) | 19);
        assert_int_equal(set_type_to_string((7 << 12) | (13 << 6) | 19, &back), 0);
        assert_string_equal(back, "ipv4_addr . inet_service . mark");

        assert_int_equal(set_type_parse("ipv4_addr.inet_service", fields, &n, &why), -EINVAL);
        assert_string_equal(why, "Invalid type 'ipv4_addr.inet_service': join fields with ' . '");
        free(why), why = NULL;
        assert_int_equal(set_type_parse("ipv4_address", fields, &n, &why), -EINVAL);
        assert_string_equal(why, "Unknown data type 'ipv4_address': expected ipv4_addr, ipv6_addr, ether_addr, "
                                 "inet_proto, inet_service, mark, ifname or another nftables type");
        free(why), why = NULL;
        assert_int_equal(set_type_parse("verdict", fields, &n, NULL), -EINVAL);
        assert_int_equal(set_type_parse("", fields, &n, NULL), -EINVAL);
        assert_int_equal(set_type_parse("ipv4_addr . ", fields, &n, NULL), -EINVAL);
        free(back), back = NULL;
        assert_int_equal(set_type_to_string(NFT_DATA_VERDICT, &back), 0);
        assert_string_equal(back, "verdict");
        free(back), back = NULL;
        assert_int_equal(set_type_to_string(63, &back), 0);
        assert_string_equal(back, "type 63");
}

static void test_flags(void **state)
{
        _cleanup_free_ char *text = NULL, *why = NULL;
        char *flags[] = { (char *) "interval", (char *) "timeout", NULL };
        char *twice[] = { (char *) "interval", (char *) "interval", NULL };
        char *unknown[] = { (char *) "intervals", NULL };
        int interval, timeout;

        assert_int_equal(set_flags_check(flags, &interval, &timeout, &text, NULL), 0);
        assert_true(interval && timeout);
        assert_string_equal(text, "interval,timeout");
        free(text), text = NULL;
        assert_int_equal(set_flags_check(twice, &interval, &timeout, &text, &why), -EINVAL);
        assert_string_equal(why, "The flag interval is given twice");
        free(why), why = NULL;
        assert_int_equal(set_flags_check(unknown, &interval, &timeout, &text, &why), -EINVAL);
        assert_string_equal(why, "Unknown flag 'intervals': expected constant, interval, timeout or dynamic");
}

static void test_values(void **state)
{
        SetShape v4 = shape("ipv4_addr", NULL, false), v6 = shape("ipv6_addr", NULL, false),
                 ether = shape("ether_addr", NULL, false), proto = shape("inet_proto", NULL, false),
                 port = shape("inet_service", NULL, false), mark = shape("mark", NULL, false),
                 ifname = shape("ifname", NULL, false);

        assert_int_equal(v4.key_len, 4);
        assert_round_trip(&v4, "192.0.2.1", "192.0.2.1");
        assert_round_trip(&v4, "  10.0.0.1 ", "10.0.0.1");
        assert_round_trip(&v6, "2001:DB8:0:0::1", "2001:db8::1");
        assert_round_trip(&ether, "02:00:5E:10:00:01", "02:00:5e:10:00:01");
        assert_round_trip(&proto, "tcp", "tcp");
        assert_round_trip(&proto, "58", "ipv6-icmp");
        assert_round_trip(&proto, "icmpv6", "ipv6-icmp");
        assert_round_trip(&proto, "253", "253");
        assert_round_trip(&port, "22", "22");
        assert_round_trip(&port, "0x50", "80");
        assert_round_trip(&port, "ssh", "22"); /* service names as nft takes them, from /etc/services */
        assert_round_trip(&port, "https", "443");
        assert_round_trip(&mark, "0x10", "0x00000010");
        assert_round_trip(&mark, "4294967295", "0xffffffff");
        assert_round_trip(&ifname, "eth0", "eth0");

        assert_refused(&v4, "10.0.0.300", "Invalid ipv4_addr: '10.0.0.300'");
        assert_refused(&v4, "010.0.0.1", "Invalid ipv4_addr: '010.0.0.1'");
        assert_refused(&v4, "example.com", "Invalid ipv4_addr: 'example.com'");
        assert_refused(&v4, "10.0.0.0/8",
                       "'10.0.0.0/8' is a prefix, which only a set with the interval flag can hold");
        assert_refused(&v4, "10.0.0.1-10.0.0.9",
                       "'10.0.0.1-10.0.0.9' is a range, which only a set with the interval flag can hold");
        assert_refused(&v4, "", "The element is empty");
        assert_refused(&v4, "   ", "The element is empty");
        assert_refused(&v4, "1.2.3.4; flush ruleset", "Invalid ipv4_addr: '1.2.3.4;'");
        assert_refused(&v4, "1.2.3.4 flush",
                       "'1.2.3.4 flush' has more fields than the set's key, or fields not "
                       "joined by ' . '");
        assert_refused(&v4, "1.2.3.4\n5.6.7.8",
                       "Invalid element '1.2.3.4\\x0a5.6.7.8': only printable ASCII is allowed");
        assert_refused(&v4, "1.2.3.4 : accept", "'1.2.3.4 : accept' has a value, but the set is not a map");
        assert_refused(&port, "65536", "Invalid inet_service: '65536'");
        assert_refused(&port, "-1", "Invalid inet_service: '-1'");
        assert_refused(&port, "010", "Invalid inet_service: '010'");
        assert_refused(&port, "no-such-service", "Invalid inet_service: 'no-such-service'");
        assert_refused(&port, "SSH", "Invalid inet_service: 'SSH'");
        assert_refused(&mark, "4294967296", "Invalid mark: '4294967296'");
        assert_refused(&ether, "02:00:5e:10:00", "Invalid ether_addr: '02:00:5e:10:00'");
        assert_refused(&ether, "02:00:5e:10:00:1", "Invalid ether_addr: '02:00:5e:10:00:1'");
        assert_refused(&ifname, "a-name-that-is-too-long", "Invalid ifname: 'a-name-that-is-too-long'");
        assert_refused(&ifname, "../etc", "Invalid ifname: '../etc'");
}

static void test_intervals(void **state)
{
        SetShape v4 = shape("ipv4_addr", NULL, true), v6 = shape("ipv6_addr", NULL, true),
                 port = shape("inet_service", NULL, true);
        _cleanup_free_ char *why = NULL;
        Element e;

        assert_round_trip(&v4, "10.0.0.0/8", "10.0.0.0/8");
        assert_round_trip(&v4, "0.0.0.0/0", "0.0.0.0/0");
        assert_round_trip(&v4, "10.0.0.1/32", "10.0.0.1");
        assert_round_trip(&v4, "10.0.0.0-10.0.0.255", "10.0.0.0/24");
        assert_round_trip(&v4, "10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9");
        assert_round_trip(&v6, "2001:db8::/32", "2001:db8::/32");
        assert_round_trip(&port, "1024-65535", "1024-65535");
        assert_int_equal(element_parse(&v4, "10.0.0.0/8", &e, NULL), 0);
        assert_true(e.range);
        assert_memory_equal(e.key, ((uint8_t[]){ 10, 0, 0, 0 }), 4);
        assert_memory_equal(e.key_last, ((uint8_t[]){ 10, 255, 255, 255 }), 4);

        assert_refused(&v4, "10.0.0.1/8", "'10.0.0.1/8' has bits set past its prefix length");
        assert_refused(&v4, "10.0.0.0/33", "Invalid ipv4_addr: '10.0.0.0/33'");
        assert_refused(&v4, "10.0.0.9-10.0.0.1", "The range '10.0.0.9-10.0.0.1' ends before it starts");
        assert_refused(&port, "22/8", "Invalid inet_service: '22/8'");
        assert_int_equal(element_parse(&v4, "10.0.0.0/x", &e, &why), -EINVAL);
}

static void test_concatenations(void **state)
{
        SetShape s = shape("ipv4_addr . inet_service", NULL, false), r = shape("ipv4_addr . inet_service", NULL, true);
        Element e;

        /* each field takes a 4-byte register */
        assert_int_equal(s.key_len, 8);
        assert_round_trip(&s, "10.0.0.1 . 22", "10.0.0.1 . 22");
        assert_int_equal(element_parse(&s, "10.0.0.1 . 22", &e, NULL), 0);
        assert_memory_equal(e.key, ((uint8_t[]){ 10, 0, 0, 1, 0, 22, 0, 0 }), 8);
        assert_round_trip(&r, "10.0.0.0/8 . 1024-2048", "10.0.0.0/8 . 1024-2048");
        assert_refused(&s, "10.0.0.1 22", "Invalid element '10.0.0.1 22': join fields with ' . '");
        assert_refused(&s, "10.0.0.1", "'10.0.0.1' has fewer fields than the set's key");
        assert_refused(&s, "10.0.0.1 . 22 . 80", "Invalid element '10.0.0.1 . 22 . 80': join fields with ' . '");
        assert_refused(&s, "10.0.0.1 . ", "Invalid element '10.0.0.1 . ': join fields with ' . '");
}

static void test_maps(void **state)
{
        SetShape v = shape("ipv4_addr", "verdict", false), p = shape("inet_service", "ipv4_addr", false);
        Element e;

        assert_round_trip(&v, "10.0.0.1 : accept", "10.0.0.1 : accept");
        assert_round_trip(&v, "10.0.0.2 :   jump allowed", "10.0.0.2 : jump allowed");
        assert_round_trip(&v, "10.0.0.3 : goto x", "10.0.0.3 : goto x");
        assert_round_trip(&p, "80 : 192.0.2.80", "80 : 192.0.2.80");
        assert_int_equal(element_parse(&v, "10.0.0.1 : drop", &e, NULL), 0);
        assert_int_equal(e.verdict, NF_DROP);
        assert_refused(&v, "10.0.0.1", "The map element '10.0.0.1' has no value: write 'KEY : VALUE'");
        assert_refused(&v, "10.0.0.1 : jump",
                       "Invalid verdict 'jump': expected accept, drop, continue, return, "
                       "jump CHAIN or goto CHAIN");
        assert_refused(&v, "10.0.0.1 : jump a;b",
                       "Invalid chain name 'a;b': only letters, digits, '_', '-' and '.' "
                       "are allowed");
        assert_refused(&p, "80 : 192.0.2.300", "Invalid ipv4_addr value: '192.0.2.300'");
}

static void test_kernel_shapes(void **state)
{
        SetShape s;

        /* types nftbus does not encode, and intervals of types without order */
        assert_int_equal(set_shape_from_kernel(26, 0, false, false, &s), -EOPNOTSUPP);
        assert_int_equal(set_shape_from_kernel(19, 0, true, false, &s), -EOPNOTSUPP);
        assert_int_equal(set_shape_from_kernel(7, 26, false, true, &s), -EOPNOTSUPP);
        assert_int_equal(set_shape_from_kernel(7, NFT_DATA_VERDICT, false, true, &s), 0);
        assert_int_equal(s.data->id, DATATYPE_VERDICT);
}

static void test_key_arithmetic(void **state)
{
        uint8_t k[4] = { 10, 0, 0, 255 }, top[2] = { 0xff, 0xff }, zero[2] = { 0, 0 };

        assert_true(key_increment(k, 4));
        assert_memory_equal(k, ((uint8_t[]){ 10, 0, 1, 0 }), 4);
        assert_true(key_decrement(k, 4));
        assert_memory_equal(k, ((uint8_t[]){ 10, 0, 0, 255 }), 4);
        assert_false(key_increment(top, 2));
        assert_false(key_decrement(zero, 2));
}

static void test_details_json(void **state)
{
        ElementDetails all = { .timeout_ms = 600000,
                               .expires_ms = 412118,
                               .has_counter = true,
                               .packets = 3,
                               .bytes = 180 },
                       none = {}, zero = { .has_counter = true }, bad = {};
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        snprintf(all.comment, sizeof(all.comment), "ssh \"bans\"");
        memcpy(bad.comment, "\xff\xfe", 3);
        assert_int_equal(element_details_json("192.0.2.1", &all, &a), 0);
        assert_string_equal(a, "{\"element\":\"192.0.2.1\",\"timeout_ms\":600000,\"expires_ms\":412118,\"packets\":3,"
                               "\"bytes\":180,\"comment\":\"ssh \\\"bans\\\"\"}");
        assert_int_equal(element_details_json("10.0.0.0/8", &none, &b), 0);
        assert_string_equal(b, "{\"element\":\"10.0.0.0/8\"}");
        /* a counter that counted nothing is still a counter */
        assert_int_equal(element_details_json("x", &zero, &c), 0);
        assert_string_equal(c, "{\"element\":\"x\",\"packets\":0,\"bytes\":0}");
        assert_int_equal(element_details_json("y", &bad, &d), 0);
        assert_string_equal(d, "{\"element\":\"y\",\"comment\":\"(not UTF-8)\"}");
}

TAP_MAIN(cmocka_unit_test(test_details_json), cmocka_unit_test(test_type_names), cmocka_unit_test(test_flags),
         cmocka_unit_test(test_values), cmocka_unit_test(test_intervals), cmocka_unit_test(test_concatenations),
         cmocka_unit_test(test_maps), cmocka_unit_test(test_kernel_shapes), cmocka_unit_test(test_key_arithmetic))
