/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/fwdxml.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "core/zonespec.h"
#include "tap.h"

static char *keys_of(FwdFileKind kind, const char *xml, char **warnings)
{
        _cleanup_free_ char *why = NULL;
        char *keys = NULL;

        int r = fwd_xml_to_keys(kind, xml, strlen(xml), "f.xml", &keys, warnings, &why);
        if (r < 0)
                fprintf(stderr, "%s\n", strempty(why));
        assert_int_equal(r, 0);
        return keys;
}

static char *refusal_of(FwdFileKind kind, const char *xml)
{
        char *why = NULL, *keys = NULL;

        assert_int_equal(fwd_xml_to_keys(kind, xml, strlen(xml), "f.xml", &keys, NULL, &why), -EINVAL);
        assert_null(keys);
        assert_non_null(why);
        return why;
}

static void test_zone_keys_on_their_lines(void **state)
{
        (void) state;
        _cleanup_free_ char *keys = keys_of(FWD_FILE_ZONE,
                                            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                            "<zone target=\"%%REJECT%%\" version=\"2\">\n"
                                            "  <short>Public</short>\n"
                                            "  <description>For use\n    in public areas.</description>\n"
                                            "  <service name=\"ssh\"/><service name=\"dns\"/>\n"
                                            "  <port port=\"8080-8090\" protocol=\"tcp\"/>\n"
                                            "  <source address=\"10.0.0.0/8\"/>\n"
                                            "  <source address=\"52:54:00:12:34:56\"/>\n"
                                            "  <source ipset=\"blocked\"/>\n"
                                            "  <forward-port port=\"22\" protocol=\"tcp\" to-port=\"2222\" "
                                            "to-addr=\"fd00::2\"/>\n"
                                            "  <forward/>\n"
                                            "  <masquerade/>\n"
                                            "  <icmp-block-inversion/>\n"
                                            "</zone>\n",
                                            NULL);
        assert_string_equal(keys, "#line 2\n"
                                  "forward=no\n#line 2\nversion=2\n#line 2\ntarget=reject\n"
                                  "short=Public\n"
                                  "description=For use in public areas.\n"
                                  "#line 6\n"
                                  "service=ssh\n#line 6\nservice=dns\n"
                                  "port=8080-8090/tcp\n"
                                  "source=10.0.0.0/8\n"
                                  "source=52:54:00:12:34:56\n"
                                  "source=ipset:blocked\n"
                                  "forward-port=port=22:proto=tcp:toport=2222:toaddr=fd00::2\n"
                                  "forward=yes\n"
                                  "masquerade=yes\n"
                                  "icmp-block-inversion=yes\n");
}

/* a rule's elements in any order, as its text has them: source, destination, element, log, audit, action */
static void test_rule_text(void **state)
{
        (void) state;
        _cleanup_free_ char *keys = keys_of(FWD_FILE_ZONE,
                                            "<zone>\n"
                                            "  <rule family=\"ipv4\" priority=\"-5\">\n"
                                            "    <accept><limit value=\"3/m\"/></accept>\n"
                                            "    <log prefix=\"in \" level=\"info\">\n"
                                            "      <limit value=\"1/s\" burst=\"5\"/>\n"
                                            "    </log>\n"
                                            "    <service name=\"ssh\"/>\n"
                                            "    <source address=\"10.0.0.0/8\" invert=\"True\"/>\n"
                                            "    <destination address=\"10.0.0.1\" invert=\"no\"/>\n"
                                            "  </rule>\n"
                                            "  <rule><source ipset=\"x\"/><drop/></rule>\n"
                                            "</zone>",
                                            NULL);
        assert_string_equal(keys, "forward=no\n"
                                  "rule=rule family=\"ipv4\" priority=\"-5\" source NOT address=\"10.0.0.0/8\" "
                                  "destination address=\"10.0.0.1\" service name=\"ssh\" log prefix=\"in \" "
                                  "level=\"info\" limit value=\"1/s\" burst=\"5\" accept limit value=\"3/m\"\n"
                                  "#line 11\n"
                                  "rule=rule source ipset=\"x\" drop\n");
}

/* what firewalld passes over with a warning, nftbus too */
static void test_unknown_elements_passed_over(void **state)
{
        (void) state;
        _cleanup_free_ char *warnings = NULL;
        _cleanup_free_ char *keys = keys_of(FWD_FILE_SERVICE,
                                            "<service>\n"
                                            "  <frobnicate><port port=\"1\" protocol=\"tcp\"/></frobnicate>\n"
                                            "  <port port=\"21\" protocol=\"tcp\"/>\n"
                                            "  <module name=\"nf_conntrack_netbios_ns\"/>\n"
                                            "  <destination ipv4=\"224.0.0.251\" ipv6=\"ff02::fb\"/>\n"
                                            "  <include service=\"ftp\"/>\n"
                                            "</service>\n",
                                            &warnings);
        assert_string_equal(keys, "#line 3\nport=21/tcp\nhelper=netbios-ns\n"
                                  "destination=ipv4:224.0.0.251\n#line 5\ndestination=ipv6:ff02::fb\ninclude=ftp\n");
        assert_string_equal(warnings,
                            "Line 2 of f.xml: <frobnicate> is not an element of a service file here: passed over");
}

static void test_refused_with_their_line(void **state)
{
        (void) state;
        static const struct {
                FwdFileKind kind;
                const char *xml, *why;
        } cases[] = {
                { FWD_FILE_ZONE, "<zone>\n  <service name=\"ssh\">\n</zone>\n",
                  "Line 3 of f.xml: not well-formed XML: mismatched tag" },
                { FWD_FILE_ZONE, "<policy/>",
                  "Line 1 of f.xml: the root element is <policy>: a zone file has <zone>" },
                { FWD_FILE_ZONE, "<?xml version=\"1.0\"?>\n<!DOCTYPE zone [<!ENTITY a \"b\">]>\n<zone/>",
                  "Line 2 of f.xml: a DOCTYPE: firewalld's files have none, and nftbus expands no entities" },
                { FWD_FILE_ZONE, "<zone>\n\n  <port port=\"22\"/>\n</zone>",
                  "Line 3 of f.xml: <port> without its protocol attribute" },
                { FWD_FILE_IPSET, "<ipset>\n</ipset>", "Line 1 of f.xml: <ipset> without its type attribute" },
                { FWD_FILE_ZONE, "<zone>\n<rule><service name='a\"b'/><accept/></rule></zone>",
                  "Line 2 of f.xml: <service>: a value with a double quote" },
                { FWD_FILE_ZONE, "", "Line 1 of f.xml: not well-formed XML: no element found" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *why = refusal_of(cases[i].kind, cases[i].xml);
                assert_string_equal(why, cases[i].why);
        }
}

static ServiceCatalogue catalogue(void)
{
        ServiceCatalogue c = {};
        for (const char *const *name = (const char *const[]){ "ssh", "dns", NULL }; *name; name++) {
                ServiceDef *s = NULL;
                FILE *f = fmemopen((void *) "port=22/tcp\n", strlen("port=22/tcp\n"), "r");
                assert_int_equal(service_parse(*name, NULL, f, &s, NULL), 0);
                fclose(f);
                assert_int_equal(catalogue_put(&c, s), 0);
        }
        return c;
}

/* a parser's complaint names the XML's line */
static void test_parser_line_is_the_xml_line(void **state)
{
        (void) state;
        ServiceCatalogue services = catalogue();
        _cleanup_free_ char *keys = keys_of(
                FWD_FILE_ZONE,
                "<zone>\n  <service name=\"ssh\"/>\n\n  <port port=\"99999\" protocol=\"tcp\"/>\n</zone>", NULL);
        _cleanup_free_ char *why = NULL;
        Zone *z = NULL;
        FILE *f = fmemopen(keys, strlen(keys), "r");

        assert_int_equal(zone_parse("z", "f.xml", f, &services, &z, &why), -EINVAL);
        fclose(f);
        assert_true(startswith(why, "Line 4 of f.xml: "));
        catalogue_done(&services);
}

/* The object the lines say, as nftbus writes it (its parser and formatter: the lines in one order, the defaults
 * said) */
static char *object_of(FwdFileKind kind, const char *keys)
{
        ServiceCatalogue services = catalogue();
        FILE *f = fmemopen((void *) keys, strlen(keys), "r");
        _cleanup_free_ char *why = NULL;
        char *text = NULL;
        int r = -EINVAL;

        assert_non_null(f);
        if (kind == FWD_FILE_ZONE) {
                Zone *z = NULL;
                r = zone_parse("z", NULL, f, &services, &z, &why);
                if (r >= 0)
                        assert_int_equal(zone_format(z, &text), 0);
                zone_free(z);
        } else if (kind == FWD_FILE_POLICY) {
                Policy *p = NULL;
                r = policy_parse("p", NULL, f, &services, &p, &why);
                if (r >= 0)
                        assert_int_equal(policy_format(p, &text), 0);
                policy_free(p);
        } else if (kind == FWD_FILE_IPSET) {
                IPSet *set = NULL;
                r = ipset_parse("i", NULL, f, &set, &why);
                if (r >= 0)
                        assert_int_equal(ipset_format(set, &text), 0);
                ipset_free(set);
        }
        fclose(f);
        if (r < 0)
                fprintf(stderr, "%s\n", strempty(why));
        assert_int_equal(r, 0);
        catalogue_done(&services);
        return text;
}

/* nftbus's lines written as firewalld's XML (as expected_xml, when not NULL), and read back: the same object */
static void round_trip(FwdFileKind kind, const char *keys, const char *expected_xml)
{
        _cleanup_free_ char *xml = NULL, *why = NULL, *back = NULL, *before = NULL, *after = NULL;

        assert_int_equal(fwd_keys_to_xml(kind, keys, &xml, &why), 0);
        if (expected_xml)
                assert_string_equal(xml, expected_xml);
        back = keys_of(kind, xml, NULL);
        before = object_of(kind, keys);
        after = object_of(kind, back);
        assert_string_equal(after, before);
}

static void test_written_as_firewalld_writes(void **state)
{
        (void) state;
        round_trip(
                FWD_FILE_ZONE,
                "forward=yes\ntarget=drop\nversion=1\nshort=Home & <away>\ndescription=\"quoted\"\n"
                "interface=eth0\nsource=ipset:x\nsource=52:54:00:12:34:56\nsource=fd00::/8\nservice=ssh\n"
                "port=22/tcp\nprotocol=gre\nicmp-block=echo-request\nicmp-block-inversion=yes\nmasquerade=yes\n"
                "forward-port=port=80:proto=tcp:toaddr=fd00::1\nsource-port=53/udp\n"
                "rule=rule family=\"ipv6\" priority=\"2\" source NOT address=\"fd00::/8\" service name=\"ssh\" "
                "log prefix=\"x\" level=\"info\" limit value=\"1/m\" audit reject type=\"icmp6-adm-prohibited\" limit "
                "value=\"2/h\"\n",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                "<zone version=\"1\" target=\"DROP\">\n"
                "  <short>Home &amp; &lt;away&gt;</short>\n"
                "  <description>&quot;quoted&quot;</description>\n"
                "  <interface name=\"eth0\"/>\n"
                "  <source ipset=\"x\"/>\n"
                "  <source address=\"52:54:00:12:34:56\"/>\n"
                "  <source address=\"fd00::/8\"/>\n"
                "  <service name=\"ssh\"/>\n"
                "  <port port=\"22\" protocol=\"tcp\"/>\n"
                "  <protocol value=\"gre\"/>\n"
                "  <icmp-block name=\"echo-request\"/>\n"
                "  <icmp-block-inversion/>\n"
                "  <forward/>\n"
                "  <masquerade/>\n"
                "  <forward-port port=\"80\" protocol=\"tcp\" to-addr=\"fd00::1\"/>\n"
                "  <source-port port=\"53\" protocol=\"udp\"/>\n"
                "  <rule family=\"ipv6\" priority=\"2\">\n"
                "    <source address=\"fd00::/8\" invert=\"True\"/>\n"
                "    <service name=\"ssh\"/>\n"
                "    <log prefix=\"x\" level=\"info\">\n"
                "      <limit value=\"1/m\"/>\n"
                "    </log>\n"
                "    <audit/>\n"
                "    <reject type=\"icmp6-adm-prohibited\">\n"
                "      <limit value=\"2/h\"/>\n"
                "    </reject>\n"
                "  </rule>\n"
                "</zone>\n");
        round_trip(FWD_FILE_ZONE, "rule=rule family=\"ipv4\" source address=\"10.0.0.0/8\" mark set=0x1/0xff\n",
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<zone>\n"
                   "  <rule family=\"ipv4\">\n"
                   "    <source address=\"10.0.0.0/8\"/>\n"
                   "    <mark set=\"0x1/0xff\"/>\n"
                   "  </rule>\n"
                   "</zone>\n");
        round_trip(FWD_FILE_POLICY,
                   "target=CONTINUE\npriority=-15000\nshort=Allow host IPv6\ningress-zone=ANY\negress-zone=HOST\n"
                   "rule=rule family=\"ipv6\" icmp-type name=\"neighbour-advertisement\" accept\n",
                   NULL);
        round_trip(FWD_FILE_IPSET, "type=hash:ip\nversion=3\noption=family=inet6\noption=maxelem=10\nentry=fd00::1\n",
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<ipset type=\"hash:ip\" version=\"3\">\n"
                   "  <option name=\"family\" value=\"inet6\"/>\n"
                   "  <option name=\"maxelem\" value=\"10\"/>\n"
                   "  <entry>fd00::1</entry>\n"
                   "</ipset>\n");
        _cleanup_free_ char *xml = NULL, *why = NULL, *back = NULL;
        assert_int_equal(fwd_keys_to_xml(FWD_FILE_SERVICE,
                                         "short=mDNS\nport=5353/udp\ndestination=ipv4:224.0.0.251\n"
                                         "destination=ipv6:ff02::fb\nhelper=ftp\ninclude=ssh\n",
                                         &xml, &why),
                         0);
        assert_string_equal(xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                 "<service>\n"
                                 "  <short>mDNS</short>\n"
                                 "  <port port=\"5353\" protocol=\"udp\"/>\n"
                                 "  <helper name=\"ftp\"/>\n"
                                 "  <destination ipv4=\"224.0.0.251\" ipv6=\"ff02::fb\"/>\n"
                                 "  <include service=\"ssh\"/>\n"
                                 "</service>\n");
        back = keys_of(FWD_FILE_SERVICE, xml, NULL);
        assert_string_equal(back, "#line 3\nshort=mDNS\nport=5353/udp\nhelper=ftp\ndestination=ipv4:224.0.0.251\n"
                                  "#line 6\ndestination=ipv6:ff02::fb\ninclude=ssh\n");
}

/* a key no element says is refused, never dropped from the file */
static void test_unwritable_key_refused(void **state)
{
        (void) state;
        _cleanup_free_ char *xml = NULL, *why = NULL;

        assert_int_equal(fwd_keys_to_xml(FWD_FILE_POLICY, "interface=eth0\n", &xml, &why), -EINVAL);
        assert_string_equal(why, "interface: no element of a policy file says it");
}

TAP_MAIN(cmocka_unit_test(test_zone_keys_on_their_lines), cmocka_unit_test(test_rule_text),
         cmocka_unit_test(test_unknown_elements_passed_over), cmocka_unit_test(test_refused_with_their_line),
         cmocka_unit_test(test_parser_line_is_the_xml_line), cmocka_unit_test(test_written_as_firewalld_writes),
         cmocka_unit_test(test_unwritable_key_refused))
