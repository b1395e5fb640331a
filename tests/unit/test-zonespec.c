/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipsetspec.h"
#include "core/helperspec.h"
#include "core/zonespec.h"
#include "tap.h"
#include "common/util.h"

static ServiceDef *service_from(const char *name, const char *text)
{
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        ServiceDef *s = NULL;
        _cleanup_free_ char *why = NULL;

        assert_non_null(f);
        assert_int_equal(service_parse(name, NULL, f, &s, &why), 0);
        fclose(f);
        return s;
}

static void catalogue(ServiceCatalogue *c)
{
        assert_int_equal(catalogue_put(c, service_from("ssh", "# Secure Shell\ndescription=SSH\nport=22/tcp\n")), 0);
        assert_int_equal(catalogue_put(c, service_from("dhcpv6-client", "port=546/udp\ndestination=ipv6:fe80::/64\n")),
                         0);
        assert_int_equal(catalogue_put(c, service_from("mdns", "port=5353/udp\ndestination=ipv4:224.0.0.251\n"
                                                               "destination=ipv6:ff02::fb\n")),
                         0);
        assert_int_equal(
                catalogue_put(c, service_from("samba-client", "port=137/udp\nport=138/udp\nhelper=netbios-ns\n")), 0);
        assert_int_equal(catalogue_put(c, service_from("ftp", "port=21/tcp\nhelper=ftp\n")), 0);
        assert_int_equal(catalogue_put(c, service_from("http", "port=80/tcp\n")), 0);
        assert_int_equal(catalogue_put(c, service_from("dhcp", "port=67/udp\n")), 0);
        assert_int_equal(catalogue_put(c, service_from("dns", "port=53/tcp\nport=53/udp\n")), 0);
}

/* in the order added, as firewall-cmd shows a zone's ports; looked up and made into rules in sorted order */
static void test_strlist(void **state)
{
        _cleanup_(strlist_done) StrList l = {}, copy = {};
        const char *added[] = { "8080/tcp", "6000-6010/udp", "22/tcp", "443/tcp", "1/udp" };

        for (size_t i = 0; i < ELEMENTSOF(added); i++)
                assert_int_equal(strlist_add(&l, added[i]), 1);
        assert_int_equal(strlist_add(&l, "22/tcp"), 0);
        assert_int_equal(l.n, 5);
        for (size_t i = 0; i < ELEMENTSOF(added); i++) {
                assert_string_equal(l.items[i], added[i]);
                assert_true(strlist_contains(&l, added[i]));
        }
        assert_string_equal(strlist_sorted(&l, 0), "1/udp");
        assert_string_equal(strlist_sorted(&l, 4), "8080/tcp");
        assert_int_equal(strlist_remove(&l, "6000-6010/udp"), 1);
        assert_int_equal(strlist_remove(&l, "6000-6010/udp"), 0);
        assert_false(strlist_contains(&l, "6000-6010/udp"));
        assert_int_equal(strlist_copy(&l, &copy), 0);
        const char *left[] = { "8080/tcp", "22/tcp", "443/tcp", "1/udp" };
        const char *sorted[] = { "1/udp", "22/tcp", "443/tcp", "8080/tcp" };
        for (size_t i = 0; i < ELEMENTSOF(left); i++) {
                assert_string_equal(copy.items[i], left[i]);
                assert_string_equal(strlist_sorted(&copy, i), sorted[i]);
                assert_true(strlist_contains(&copy, left[i]));
        }
        assert_int_equal(strlist_add(&copy, "0/tcp"), 1);
        assert_string_equal(copy.items[4], "0/tcp");
        assert_string_equal(strlist_sorted(&copy, 0), "0/tcp");
}

static void test_builtin(void **state)
{
        _cleanup_(zone_config_done) ZoneConfig c = {};
        const Zone *z;

        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(c.n_zones, 10);
        assert_string_equal(c.default_zone, "public");
        z = zone_config_find(&c, "public");
        assert_int_equal(z->services.n, 2);
        /* in firewalld's order, its public.xml's (clients that list them, KDE's and Cockpit's, show that order) */
        assert_string_equal(z->services.items[0], "ssh");
        assert_string_equal(z->services.items[1], "dhcpv6-client");
        assert_int_equal(zone_config_find(&c, "trusted")->target, ZONE_TARGET_ACCEPT);
        assert_int_equal(zone_config_find(&c, "drop")->target, ZONE_TARGET_DROP);
        assert_int_equal(zone_config_find(&c, "block")->target, ZONE_TARGET_REJECT);
        assert_true(zone_config_find(&c, "external")->masquerade);
        assert_true(zone_is_builtin("home"));
        assert_false(zone_is_builtin("mine"));
        /* NetworkManager's, as it ships it for firewalld */
        z = zone_config_find(&c, "nm-shared");
        assert_int_equal(z->target, ZONE_TARGET_ACCEPT);
        assert_false(z->forward);
        assert_int_equal(z->services.n, 3);
        assert_int_equal(z->protocols.n, 2);
        assert_int_equal(z->rich_rules.n, 1);
        assert_string_equal(z->rich_rules.items[0], "rule priority=\"32767\" reject");
}

/* rich rules where firewalld's chains of a zone put them: below 0 first, then the ICMP blocks and the refusing
 * ones, what the zone allows and the accepting ones, above 0, the target; by priority, then as added */
static void test_rich_rules_placed(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL, *why = NULL, *file = NULL;
        Zone *z, *parsed = NULL;
        FILE *f;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text,
                               "\tchain zone_nm-shared {\n\t\tmeta l4proto . th dport @zone_nm-shared_ports accept\n"
                               "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n\t\treject\n\t\taccept\n\t}\n"));
        assert_non_null(strstr(text, "\tset zone_nm-shared_ports {\n\t\ttype inet_proto . inet_service;\n\t\tflags "
                                     "interval;\n\t\telements = { tcp . 22,\n\t\t\ttcp . 53,\n\t\t\tudp . 53,\n"
                                     "\t\t\tudp . 67 }\n\t}\n"));
        free(text);
        text = NULL;

        z = zone_config_find(&c, "work");
        const char *rules[] = {
                "rule priority=\"5\" family=\"ipv4\" source address=\"10.0.0.5\" drop",
                "rule family=\"ipv4\" source address=\"10.0.0.1\" accept",
                "rule priority=\"-2\" family=\"ipv6\" source NOT address=\"2001:db8::/32\" reject",
                "rule priority=\"1\" family=\"ipv4\" destination address=\"10.0.0.9\" accept",
                "rule family=\"ipv4\" source address=\"10.0.0.2\" reject",
                "rule priority=\"-7\" family=\"ipv4\" source address=\"10.0.0.7\" accept",
        };
        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                assert_int_equal(strlist_add(&z->rich_rules, rules[i]), 1);
        assert_int_equal(strlist_add(&z->icmp_blocks, "echo-request"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text, "\tchain zone_work {\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.7 accept\n"
                                     "\t\tmeta nfproto ipv6 ip6 saddr != 2001:db8::/32 reject\n"
                                     "\t\ticmp type { echo-request } reject with icmpx admin-prohibited\n"
                                     "\t\ticmpv6 type { echo-request } reject with icmpx admin-prohibited\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.2 reject\n"
                                     "\t\tmeta l4proto . th dport @zone_work_ports accept\n"
                                     "\t\tip6 daddr fe80::/64 meta l4proto . th dport { udp . 546 } accept\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 accept\n"
                                     "\t\tmeta nfproto ipv4 ip daddr 10.0.0.9 accept\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.5 drop\n"
                                     "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n"
                                     "\t\treject with icmpx admin-prohibited\n\t}\n"));

        /* kept in the zone's file as firewalld's canonical text, and read back the same */
        assert_int_equal(zone_format(z, &file), 0);
        assert_non_null(strstr(file, "\nrule=rule priority=\"5\" family=\"ipv4\" source address=\"10.0.0.5\" drop\n"));
        f = fmemopen(file, strlen(file), "r");
        assert_int_equal(zone_parse("work", NULL, f, &services, &parsed, &why), 0);
        fclose(f);
        assert_int_equal(parsed->rich_rules.n, ELEMENTSOF(rules));
        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                assert_string_equal(parsed->rich_rules.items[i], rules[i]);
        zone_free(parsed);
        /* a rule with an ipset parses; the configuration it is in must have the ipset */
        f = fmemopen((char *) "rule=rule family=ipv4 source ipset=blocked log accept\n", 53, "r");
        assert_int_equal(zone_parse("work", "work.zone", f, &services, &parsed, &why), 0);
        fclose(f);
        assert_int_equal(zone_ipsets_check(parsed, &(IPSetList){}, &why), -EINVAL);
        assert_string_equal(why, "Zone work: rich rule 'rule family=\"ipv4\" source ipset=\"blocked\" log accept': "
                                 "INVALID_IPSET: blocked");
        /* what polkit is told of an ipset: the zones that name it, as a source or in a rule */
        assert_true(zone_uses_ipset(parsed, "blocked"));
        assert_false(zone_uses_ipset(parsed, "block"));
        assert_int_equal(strlist_add(&parsed->sources, "ipset:web"), 1);
        assert_true(zone_uses_ipset(parsed, "web"));
        assert_false(zone_uses_ipset(parsed, "ipset:web"));
        zone_free(parsed);
}

static void test_checks(void **state)
{
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL, *g = NULL, *h = NULL,
                            *i = NULL, *j = NULL;

        assert_int_equal(zone_check_source("10.1.2.3/8", &a, NULL), 0);
        assert_string_equal(a, "10.0.0.0/8");
        assert_int_equal(zone_check_source("52:54:00:AB:cd:EF", &b, NULL), 0);
        assert_string_equal(b, "52:54:00:ab:cd:ef");
        assert_int_equal(zone_check_source("2001:DB8::1", &c, NULL), 0);
        assert_string_equal(c, "2001:db8::1");
        assert_int_equal(zone_check_source("10.0.0.0/33", &d, &e), -EINVAL);
        assert_string_equal(e, "Invalid source '10.0.0.0/33': the prefix length is out of range");
        assert_int_equal(zone_check_port("6000-6010/udp", &f, NULL), 0);
        assert_string_equal(f, "6000-6010/udp");
        assert_int_equal(zone_check_port("22", &g, &h), -EINVAL);
        assert_string_equal(h, "Invalid port '22': PORT/PROTOCOL or FROM-TO/PROTOCOL, the protocol tcp, udp, sctp or "
                               "dccp");
        assert_int_equal(zone_check_forward_port("toport=2222:port=22:proto=tcp:toaddr=10.0.0.2", &i, NULL), 0);
        assert_string_equal(i, "port=22:proto=tcp:toport=2222:toaddr=10.0.0.2");
        assert_int_equal(zone_check_forward_port("port=22:proto=tcp", &j, NULL), -EINVAL);
        /* an IPv6 toaddr keeps its colons, as firewall-cmd reads it: the last field runs to the end */
        {
                _cleanup_free_ char *v6 = NULL, *bracketed = NULL, *bad = NULL, *bad2 = NULL;
                assert_int_equal(
                        zone_check_forward_port("port=9001:proto=udp:toport=9000:toaddr=2001:db8:c::2", &v6, NULL), 0);
                assert_string_equal(v6, "port=9001:proto=udp:toport=9000:toaddr=2001:db8:c::2");
                assert_int_equal(
                        zone_check_forward_port("port=9001:proto=udp:toaddr=[2001:db8:c::2]", &bracketed, NULL), 0);
                assert_string_equal(bracketed, "port=9001:proto=udp:toaddr=2001:db8:c::2");
                assert_int_equal(zone_check_forward_port("port=22:proto=tcp:toport=22:bogus=1", &bad, NULL), -EINVAL);
                assert_int_equal(zone_check_forward_port("port=22:proto=tcp:toaddr=2001:db8::/64", &bad2, NULL),
                                 -EINVAL);
        }
        assert_int_equal(zone_check_name("my-zone_1", NULL), 0);
        assert_int_equal(zone_check_name("1zone", NULL), -EINVAL);
        assert_int_equal(zone_check_name("a-name-that-is-too-long", NULL), -EINVAL);
        assert_int_equal(zone_check_name("x;flush", NULL), -EINVAL);
}

static void test_zone_file_round_trip(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        const char text[] = "# my zone\ndescription=Mine\nversion=2\nshort=My zone\ntarget=drop\nmasquerade=yes\n"
                            "interface=eth1\n"
                            "source=10.1.2.3/16\nservice=ssh\nport=8080/tcp\nprotocol=gre\n"
                            "forward-port=port=80:proto=tcp:toport=8080\nicmp-block=echo-request\n";
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        _cleanup_free_ char *why = NULL, *out = NULL, *why2 = NULL;
        Zone *z = NULL, *bad = NULL;

        catalogue(&services);
        assert_int_equal(zone_parse("mine", NULL, f, &services, &z, &why), 0);
        fclose(f);
        assert_int_equal(z->target, ZONE_TARGET_DROP);
        assert_string_equal(z->sources.items[0], "10.1.0.0/16");
        assert_int_equal(zone_format(z, &out), 0);
        assert_string_equal(out, "# nftbus zone mine: KEY=VALUE lines, one value each (see nftbusd(8))\n"
                                 "short=My zone\nversion=2\ndescription=Mine\ntarget=drop\nmasquerade=yes\n"
                                 "forward=no\ninterface=eth1\n"
                                 "source=10.1.0.0/16\nservice=ssh\nport=8080/tcp\nprotocol=gre\n"
                                 "forward-port=port=80:proto=tcp:toport=8080\nicmp-block=echo-request\n");
        zone_free(z);

        f = fmemopen((void *) "service=ssh\nservice=nosuch\n", 27, "r");
        assert_int_equal(zone_parse("mine", NULL, f, &services, &bad, &why2), -EINVAL);
        fclose(f);
        assert_string_equal(why2, "Line 2 of zone mine: Unknown service 'nosuch'");
}

static void test_ruleset(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL, *panic = NULL;
        Zone *home, *external;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        home = zone_config_find(&c, "home");
        external = zone_config_find(&c, "external");
        assert_int_equal(strlist_add(&home->interfaces, "wlan0"), 1);
        assert_int_equal(strlist_add(&home->sources, "192.168.1.0/24"), 1);
        assert_int_equal(strlist_add(&external->interfaces, "eth0"), 1);
        assert_int_equal(strlist_add(&external->forward_ports, "port=2222:proto=tcp:toport=22:toaddr=192.168.1.10"),
                         1);
        assert_int_equal(strlist_add(&home->services, "ftp"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        if (getenv("ZONESPEC_PRINT"))
                fputs(text, stderr);
        /* dispatch in constant time: maps, one goto per zone */
        assert_non_null(strstr(text, "\tmap interface {\n\t\ttype ifname : verdict;\n\t\telements = { \"eth0\" : goto "
                                     "zone_external,\n\t\t\t\"wlan0\" : goto zone_home }\n\t}\n"));
        assert_non_null(strstr(text, "\tmap source_v4 {\n\t\ttype ipv4_addr : verdict;\n\t\tflags interval;\n"
                                     "\t\telements = { 192.168.1.0/24 : goto zone_home }\n\t}\n"));
        /* a zone without port forwards claims its interfaces in prerouting too */
        assert_non_null(strstr(text, "\tmap pre_interface {\n\t\ttype ifname : verdict;\n\t\telements = { \"eth0\" : "
                                     "goto zone_external_pre,\n\t\t\t\"wlan0\" : accept }\n\t}\n"));
        assert_non_null(strstr(text, "\t\tgoto zone_public\n"));
        assert_non_null(strstr(
                text,
                "\tset zone_home_ports {\n\t\ttype inet_proto . inet_service;\n\t\tflags "
                "interval;\n\t\telements = { tcp . 21,\n\t\t\ttcp . 22,\n\t\t\tudp . 137,\n\t\t\tudp . 138 }\n\t}\n"));
        assert_non_null(strstr(text, "\t\tip daddr 224.0.0.251 meta l4proto . th dport { udp . 5353 } accept\n"));
        assert_non_null(strstr(text, "\t\ttcp dport 21 ct helper set \"helper-ftp-tcp\"\n"));
        assert_non_null(strstr(text, "\tct helper helper-ftp-tcp {\n\t\ttype \"ftp\" protocol tcp;\n"));
        assert_non_null(strstr(text, "\tchain zone_external_pre {\n\t\tmeta nfproto ipv4 tcp dport 2222 dnat ip to "
                                     "192.168.1.10:22\n\t}\n"));
        assert_non_null(strstr(text, "\tchain zone_external_post {\n\t\tmeta nfproto ipv4 masquerade\n\t}\n"));
        assert_non_null(strstr(text, "\tchain zone_trusted {\n\t\tmeta l4proto . th dport @zone_trusted_ports accept\n"
                                     "\t\taccept\n\t}\n"));
        assert_int_equal(strncmp(text, "add table inet nftbus_zones\ndelete table inet nftbus_zones\n", 56), 0);
        /* forwarding as firewalld: by the zone it comes from; within it to its own interfaces; else its target */
        assert_non_null(
                strstr(text, "\t\tct state invalid drop\n\t\tip6 daddr { ::/96, ::ffff:0.0.0.0/96, 2002::/24, "));
        assert_non_null(strstr(text, "\t\tiifname vmap @fwd_interface\n\t\tgoto zone_public_fwd\n\t}\n"));
        assert_non_null(strstr(text, "\tset zone_home_fwd_interfaces {\n\t\ttype ifname;\n\t\telements = { \"wlan0\" "
                                     "}\n\t}\n"));
        assert_non_null(strstr(text,
                               "\tchain zone_home_fwd {\n\t\toifname @zone_home_fwd_interfaces accept\n\t\tip daddr "
                               "@zone_home_fwd_v4 accept\n\t\tip6 daddr @zone_home_fwd_v6 accept\n\t\treject with "
                               "icmpx admin-prohibited\n\t}\n"));
        assert_non_null(strstr(text, "\tchain zone_trusted_fwd {\n\t\toifname @zone_trusted_fwd_interfaces accept\n"));
        assert_non_null(strstr(text, "@zone_trusted_fwd_v6 accept\n\t\taccept\n\t}\n"));
        assert_non_null(strstr(text, "@zone_drop_fwd_v6 accept\n\t\tdrop\n\t}\n"));
        /* every built-in zone forwards within itself, to its own interfaces */
        assert_non_null(strstr(text,
                               "\tset zone_external_fwd_interfaces {\n\t\ttype ifname;\n\t\telements = { \"eth0\" "
                               "}\n\t}\n"));

        assert_int_equal(zone_ruleset(&c, &services, true, NULL, &panic), 0);
        assert_non_null(
                strstr(panic, "\tchain output {\n\t\ttype filter hook output priority raw - 10; policy drop;\n"));
        assert_null(strstr(panic, "zone_"));

        /* source ports: what comes from one is let in */
        _cleanup_free_ char *sports = NULL;
        assert_int_equal(strlist_add(&zone_config_find(&c, "work")->source_ports, "53/udp"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "work")->source_ports, "1000-2000/tcp"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &sports), 0);
        assert_non_null(strstr(sports, "\t\tmeta l4proto . th sport { tcp . 1000-2000, udp . 53 } accept\n"));

        /* log denied: a log before each refusal, with firewalld's prefixes, of the packets of its kind */
        _cleanup_free_ char *logged = NULL;
        c.log_denied = LOG_DENIED_MULTICAST;
        assert_int_equal(strlist_add(&zone_config_find(&c, "public")->icmp_blocks, "echo-request"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &logged), 0);
        assert_null(strstr(text, "log prefix"));
        assert_non_null(strstr(logged,
                               "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n\t\tmeta pkttype multicast log "
                               "prefix \"filter_IN_public_REJECT: \"\n\t\treject with icmpx admin-prohibited\n"));
        assert_non_null(strstr(logged, "\t\tmeta pkttype multicast log prefix \"filter_IN_drop_DROP: \"\n\t\tdrop\n"));
        assert_non_null(strstr(logged,
                               "\t\ticmp type { echo-request } meta pkttype multicast log prefix "
                               "\"filter_zone_public_HOST_ICMP_BLOCK: \"\n\t\ticmp type { echo-request } reject"));
        assert_non_null(strstr(logged, "\t\tmeta pkttype multicast log prefix \"filter_FWD_home_REJECT: \"\n"));
        assert_non_null(strstr(logged, "\t\tct state invalid meta pkttype multicast log prefix \"STATE_INVALID_DROP: "
                                       "\"\n\t\tct state invalid drop\n"));
        assert_non_null(strstr(logged, "oif missing log prefix \"rpfilter_DROP: \" drop\n"));
        /* ICMP block inversion: the blocks let in, the rest of ICMP refused (logged first), before the target */
        _cleanup_free_ char *inverted = NULL;
        zone_config_find(&c, "public")->icmp_block_inversion = true;
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &inverted), 0);
        assert_non_null(strstr(inverted, "\t\ticmp type { echo-request } accept\n"));
        assert_non_null(strstr(inverted,
                               "\t\tmeta l4proto { icmp, ipv6-icmp } meta pkttype multicast log prefix "
                               "\"filter_zone_public_HOST_ICMP_BLOCK: \"\n\t\tmeta l4proto { icmp, ipv6-icmp } "
                               "reject with icmpx admin-prohibited\n\t\tmeta pkttype multicast log prefix "
                               "\"filter_IN_public_REJECT: \"\n\t\treject with icmpx admin-prohibited\n"));
        /* the 6to4 refusals only of unicast, as firewalld logs them */
        assert_null(strstr(logged, "RFC3964_IPv4_REJECT"));
        assert_null(strstr(logged, "filter_FWD_trusted"));
}

/* zone_ruleset_update() from what old's build was, with the handles of chain zone_work's rules when given */
static const uint64_t work_handles[] = { 11, 12, 13, 14, 15, 16, 17 };

static int some_handles(const char *chain, const uint64_t **ret, size_t *ret_n, void *userdata)
{
        size_t n = (size_t) (uintptr_t) userdata;

        if (!streq(chain, "zone_work") || n == 0)
                return -ENOENT;
        *ret = work_handles;
        *ret_n = n;
        return 0;
}

static int update(const ZoneConfig *old, const ZoneConfig *c, const ServiceCatalogue *services, const StrList *carried,
                  size_t n_handles, char **ret)
{
        _cleanup_(zone_skeleton_done) ZoneSkeleton next = {};

        return zone_ruleset_update(old, NULL, c, services, carried, false, some_handles,
                                   (void *) (uintptr_t) n_handles, &next, ret);
}

/* the common changes go element by element; a chain's rules by what differs; the others make the table anew */
static void test_ruleset_update(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig old = {}, moved = {}, retargeted = {};
        _cleanup_free_ char *elements = NULL, *none = NULL, *whole = NULL;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&old), 0);
        assert_int_equal(strlist_add(&zone_config_find(&old, "home")->interfaces, "wlan0"), 1);
        assert_int_equal(zone_config_copy(&old, &moved), 0);
        assert_int_equal(strlist_remove(&zone_config_find(&moved, "home")->interfaces, "wlan0"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&moved, "work")->interfaces, "wlan0"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&moved, "work")->services, "http"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&moved, "work")->sources, "10.0.0.0/8"), 1);
        assert_int_equal(update(&old, &moved, &services, NULL, 0, &elements), 0);
        /* wlan0's verdict changes in the input and forward maps (in pre and post both zones just accept it), and
         * it leaves home's forwarding for work's */
        assert_string_equal(elements,
                            "delete element inet nftbus_zones fwd_interface { \"wlan0\" }\n"
                            "delete element inet nftbus_zones interface { \"wlan0\" }\n"
                            "delete element inet nftbus_zones zone_home_fwd_interfaces { \"wlan0\" }\n"
                            "add element inet nftbus_zones fwd_interface { \"wlan0\" : goto zone_work_fwd }\n"
                            "add element inet nftbus_zones fwd_source_v4 { 10.0.0.0/8 : goto zone_work_fwd }\n"
                            "add element inet nftbus_zones interface { \"wlan0\" : goto zone_work }\n"
                            "add element inet nftbus_zones post_source_v4 { 10.0.0.0/8 : accept }\n"
                            "add element inet nftbus_zones pre_source_v4 { 10.0.0.0/8 : accept }\n"
                            "add element inet nftbus_zones source_v4 { 10.0.0.0/8 : goto zone_work }\n"
                            "add element inet nftbus_zones zone_work_fwd_interfaces { \"wlan0\" }\n"
                            "add element inet nftbus_zones zone_work_fwd_v4 { 10.0.0.0/8 }\n"
                            "add element inet nftbus_zones zone_work_ports { tcp . 80 }\n");
        assert_int_equal(update(&old, &old, &services, NULL, 0, &none), 0);
        assert_string_equal(none, "");
        assert_int_equal(zone_config_copy(&old, &retargeted), 0);
        zone_config_find(&retargeted, "work")->target = ZONE_TARGET_DROP;
        /* the zone's chains: without their rules' handles emptied and written again */
        assert_int_equal(update(&old, &retargeted, &services, NULL, 0, &whole), 0);
        assert_string_equal(whole,
                            "flush chain inet nftbus_zones zone_work\n"
                            "add rule inet nftbus_zones zone_work meta l4proto . th dport @zone_work_ports accept\n"
                            "add rule inet nftbus_zones zone_work ip6 daddr fe80::/64 meta l4proto . th dport "
                            "{ udp . 546 } accept\n"
                            "add rule inet nftbus_zones zone_work drop\n"
                            "flush chain inet nftbus_zones zone_work_fwd\n"
                            "add rule inet nftbus_zones zone_work_fwd oifname @zone_work_fwd_interfaces accept\n"
                            "add rule inet nftbus_zones zone_work_fwd ip daddr @zone_work_fwd_v4 accept\n"
                            "add rule inet nftbus_zones zone_work_fwd ip6 daddr @zone_work_fwd_v6 accept\n"
                            "add rule inet nftbus_zones zone_work_fwd drop\n");
        free(whole);
        /* with them, what differs from the first difference on (the ICMP accept and the reject) */
        assert_int_equal(update(&old, &retargeted, &services, NULL, 4, &whole), 0);
        assert_true(startswith(whole, "delete rule inet nftbus_zones zone_work handle 13\n"
                                      "delete rule inet nftbus_zones zone_work handle 14\n"
                                      "add rule inet nftbus_zones zone_work drop\n"
                                      "flush chain inet nftbus_zones zone_work_fwd\n"));
        free(whole);
        /* a new ipset's set: the whole table (its entries go with it) */
        assert_int_equal(ipset_list_put(&retargeted.ipsets, ipset_new("banned", IPSET_HASH_IP)), 0);
        assert_int_equal(update(&old, &retargeted, &services, NULL, 4, &whole), 0);
        assert_true(startswith(whole, "add table inet nftbus_zones\ndelete table inet nftbus_zones\n"));
}

/* ipsets: sets of the zones' table with their entries; sources that are ipsets matched after the single sources;
 * rich rules that name them; the entries of one with a timeout carried */
static void test_ipsets(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {}, changed = {};
        _cleanup_(strlist_done) StrList carried = {};
        _cleanup_free_ char *text = NULL, *updated = NULL, *canonical = NULL, *why = NULL, *bad = NULL;
        IPSet *banned = ipset_new("banned", IPSET_HASH_NET), *timed = ipset_new("timed", IPSET_HASH_IP),
              *pairs = ipset_new("pairs", IPSET_HASH_NET_NET);
        const char *code = NULL;

        catalogue(&services);
        assert_int_equal(zone_check_zone_source("ipset:banned", &canonical, NULL), 0);
        assert_string_equal(canonical, "ipset:banned");
        free(canonical);
        canonical = NULL;
        assert_int_equal(zone_check_zone_source("ipset:b;x", &bad, &why), -EINVAL);
        free(why);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(strlist_add(&banned->entries->list, "192.0.2.7"), 1);
        assert_int_equal(strlist_add(&banned->entries->list, "198.51.100.0/24"), 1);
        assert_int_equal(strlist_add(&timed->options, "timeout=600"), 1);
        assert_int_equal(ipset_list_put(&c.ipsets, banned), 0);
        assert_int_equal(ipset_list_put(&c.ipsets, timed), 0);
        assert_int_equal(ipset_list_put(&c.ipsets, pairs), 0);

        /* what zones take as a source, and what rich rules name */
        assert_int_equal(zone_source_ipset_check(&c.ipsets, "ipset:banned", &code, &why), 0);
        assert_int_equal(zone_source_ipset_check(&c.ipsets, "ipset:nope", &code, &why), -EINVAL);
        assert_string_equal(code, "INVALID_IPSET");
        assert_string_equal(why, "nope");
        free(why);
        assert_int_equal(zone_source_ipset_check(&c.ipsets, "ipset:pairs", &code, &why), -EINVAL);
        assert_string_equal(why, "ipset 'pairs' with type 'hash:net,net' not usable as source");
        free(why);
        why = NULL;
        /* a family that is not the ipset's: taken, as firewalld takes it */
        assert_int_equal(zone_rich_rule_check("rule family=ipv6 source ipset=banned drop", &services, &c.ipsets,
                                              &canonical, &code, &why),
                         0);
        free(canonical);
        canonical = NULL;
        assert_int_equal(zone_rich_rule_check("rule family=ipv4 destination ipset=gone accept", &services, &c.ipsets,
                                              &canonical, &code, &why),
                         -EINVAL);
        assert_string_equal(code, "INVALID_IPSET");

        assert_int_equal(strlist_add(&zone_config_find(&c, "drop")->sources, "ipset:banned"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "home")->rich_rules,
                                     "rule source NOT ipset=\"timed\" service name=\"ssh\" accept"),
                         1);
        assert_true(zone_config_has_timeout_ipsets(&c));
        assert_int_equal(strlist_add(&carried, "ipset_timed\t192.0.2.9"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, &carried, &text), 0);
        assert_non_null(strstr(text, "\tset ipset_banned {\n\t\ttype ipv4_addr;\n\t\tflags interval;\n"
                                     "\t\telements = { 192.0.2.7,\n\t\t\t198.51.100.0/24 }\n\t}\n"));
        assert_non_null(strstr(text, "\tset ipset_timed {\n\t\ttype ipv4_addr;\n\t\tflags interval;\n"
                                     "\t\ttimeout 600s;\n\t\telements = { 192.0.2.9 }\n\t}\n"));
        assert_non_null(strstr(text, "\t\tether saddr vmap @source_mac\n\t\tip saddr @ipset_banned goto zone_drop\n"
                                     "\t\tiifname vmap @interface\n"));
        assert_non_null(strstr(text, "\t\tip saddr != @ipset_timed tcp dport 22 accept\n"));
        /* an element change leaves the sets alone: their entries change through their own calls */
        assert_int_equal(zone_config_copy(&c, &changed), 0);
        assert_int_equal(strlist_add(&zone_config_find(&changed, "home")->interfaces, "eth1"), 1);
        assert_int_equal(update(&c, &changed, &services, &carried, 0, &updated), 0);
        assert_null(strstr(updated, "ipset_"));
        assert_non_null(strstr(updated, "add element inet nftbus_zones interface { \"eth1\" : goto zone_home }\n"));

        /* more than elements: the table anew, but the ipsets' sets that are as they were stay, with what they hold */
        _cleanup_(zone_config_done) ZoneConfig retargeted = {};
        _cleanup_free_ char *rebuilt = NULL;
        assert_int_equal(zone_config_copy(&c, &retargeted), 0);
        zone_config_find(&retargeted, "work")->target = ZONE_TARGET_DROP;
        IPSet *grown = ipset_list_find(&retargeted.ipsets, "pairs");
        assert_int_equal(ipset_entries_unshare(grown), 0);
        assert_int_equal(strlist_add(&grown->entries->list, "10.0.0.0/8,192.0.2.0/24"), 1);
        assert_int_equal(update(&c, &retargeted, &services, NULL, 0, &rebuilt), 0);
        assert_int_equal(strncmp(rebuilt, "add table inet nftbus_zones\nflush table inet nftbus_zones\n", 57), 0);
        assert_non_null(strstr(rebuilt, "\ndelete map inet nftbus_zones source_v4\n"));
        assert_non_null(strstr(rebuilt, "\ndelete set inet nftbus_zones ipset_pairs\n")); /* its entries changed */
        assert_null(strstr(rebuilt, "delete set inet nftbus_zones ipset_banned"));
        assert_null(strstr(rebuilt, "delete set inet nftbus_zones ipset_timed"));
        assert_non_null(strstr(rebuilt, "\ndelete chain inet nftbus_zones zone_work\n"));
        assert_true(strstr(rebuilt, "delete map") < strstr(rebuilt, "delete chain")); /* maps name chains */
        assert_null(strstr(rebuilt, "delete table"));
        assert_non_null(strstr(rebuilt, "\tset ipset_banned {\n\t\ttype ipv4_addr;\n\t\tflags interval;\n\t}\n"));
        assert_non_null(strstr(rebuilt, "\t\telements = { 10.0.0.0/8 . 192.0.2.0/24 }\n"));
}

static char *joined(const StrList *l)
{
        char *out = strdup("");
        for (size_t i = 0; out && i < l->n; i++) {
                char *next = NULL;
                assert_true(asprintf(&next, "%s%s%s", out, i ? " " : "", l->items[i]) >= 0);
                free(out);
                out = next;
        }
        return out;
}

static void assert_ports(const StrList *l, const char *expected)
{
        _cleanup_free_ char *j = joined(l);
        assert_string_equal(j, expected);
}

/* firewalld's port arithmetic: a port inside a range is there already; ranges that overlap merge; removing
 * from inside a range breaks it */
static void test_ports(void **state)
{
        _cleanup_(strlist_done) StrList l = {};

        assert_int_equal(zone_ports_add(&l, "22/tcp"), 1);
        assert_int_equal(zone_ports_add(&l, "8000-8010/tcp"), 1);
        assert_int_equal(zone_ports_add(&l, "22/udp"), 1);
        assert_int_equal(zone_ports_add(&l, "8005/tcp"), 0);
        assert_int_equal(zone_ports_add(&l, "22/tcp"), 0);
        /* a range over 22/tcp and 8000-8010/tcp takes their place; 22/udp is another protocol */
        assert_int_equal(zone_ports_add(&l, "20-8005/tcp"), 1);
        assert_ports(&l, "22/udp 20-8010/tcp");
        assert_int_equal(zone_ports_remove(&l, "9000/tcp"), 0);
        assert_int_equal(zone_ports_remove(&l, "100-200/tcp"), 1);
        assert_ports(&l, "22/udp 20-99/tcp 201-8010/tcp");
        assert_int_equal(zone_ports_remove(&l, "20/tcp"), 1);
        assert_int_equal(zone_ports_remove(&l, "8010/tcp"), 1);
        assert_int_equal(zone_ports_remove(&l, "22/udp"), 1);
        assert_ports(&l, "21-99/tcp 201-8009/tcp");
        /* a range that covers a single-port range: "1-65535/tcp" over "1-2/tcp" */
        assert_int_equal(zone_ports_add(&l, "1-65535/tcp"), 1);
        assert_ports(&l, "1-65535/tcp");
        /* a query inside a range, as firewalld's portInPortRange() */
        assert_true(zone_ports_cover(&l, "8080/tcp"));
        assert_true(zone_ports_cover(&l, "100-200/tcp"));
        assert_false(zone_ports_cover(&l, "0-10/tcp"));
        assert_false(zone_ports_cover(&l, "80/udp"));
}

/* ports as firewalld's getPortRange() reads them: numbers or names of /etc/services (of any protocol), a range
 * either way round, a name with dashes read the one way it can be */
static void test_port_texts(void **state)
{
        static const struct {
                const char *text, *canonical;
        } cases[] = {
                { "8080/tcp", "8080/tcp" },     { "webcache/tcp", "8080/tcp" },  { "http-alt/tcp", "8080/tcp" },
                { "domain/sctp", "53/sctp" },   { "30-20/udp", "20-30/udp" },    { "5000-5000/udp", "5000/udp" },
                { "0/tcp", "0/tcp" },           { "0080/tcp", "80/tcp" },        { "ftp-data-ftp/tcp", "20-21/tcp" },
                { "ftp-data/tcp", "20/tcp" },   { "ssh-http/tcp", "22-80/tcp" }, { "22-/tcp", "22/tcp" },
                { "65535/dccp", "65535/dccp" },
        };
        static const char *const refused[] = {
                "65536/tcp", "nosuchservice/tcp", "-5/tcp",    "/tcp", "22-65536/tcp", "22/icmp",
                "ssh",       "22--23/tcp",        "a-b-c/tcp",
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *canonical = NULL;
                assert_int_equal(zone_check_port(cases[i].text, &canonical, NULL), 0);
                assert_string_equal(canonical, cases[i].canonical);
        }
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                _cleanup_free_ char *canonical = NULL, *why = NULL;
                if (zone_check_port(refused[i], &canonical, &why) != -EINVAL)
                        fail_msg("%s was taken as %s", refused[i], strempty(canonical));
        }
}

/* what the kernel's ports set holds: the union of the zone's and its services' ports, never two elements
 * that overlap (the kernel refuses those, and with them the whole table) */
static void test_ports_set_union(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL;
        Zone *public;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        public = zone_config_find(&c, "public");
        assert_true(strlist_contains(&public->services, "ssh"));
        assert_int_equal(zone_ports_add(&public->ports, "1-65535/tcp"), 1);
        assert_int_equal(strlist_add(&public->services, "http"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text, "\tset zone_public_ports {\n\t\ttype inet_proto . inet_service;\n\t\tflags "
                                     "interval;\n\t\telements = { tcp . 1-65535 }\n\t}\n"));
}

/* a helper only where the kernel has one: netbios-ns follows udp, and asking it for tcp fails the table */
static void test_helpers(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL;

        assert_string_equal(catalogue_helper_type(&services, "netbios-ns", "udp"), "netbios-ns");
        assert_null(catalogue_helper_type(&services, "netbios-ns", "tcp"));
        assert_string_equal(catalogue_helper_type(&services, "h323", "tcp"), "Q.931");
        assert_string_equal(catalogue_helper_type(&services, "ftp", "tcp"), "ftp");
        assert_null(catalogue_helper_type(&services, "ftp", "udp"));
        /* firewalld's 13, in its order (names as bytes: Q.931 and RAS first), each as its file says it */
        assert_string_equal(zone_helper_at(0)->name, "Q.931");
        assert_string_equal(zone_helper_at(1)->name, "RAS");
        assert_string_equal(zone_helper_at(12)->name, "tftp");
        assert_null(zone_helper_at(13));
        for (size_t i = 1; zone_helper_at(i); i++)
                assert_true(strcmp(zone_helper_at(i - 1)->name, zone_helper_at(i)->name) < 0);
        assert_string_equal(catalogue_helper_type(&services, "RAS", "udp"), "RAS");
        assert_null(catalogue_helper_type(&services, "RAS", "tcp"));
        assert_string_equal(zone_helper_find("irc")->family, "ipv4");
        assert_string_equal(zone_helper_find("sip")->ports[1], "5060/udp");
        assert_string_equal(zone_helper_find("netbios-ns")->module, "nf_conntrack_netbios_ns");
        assert_null(zone_helper_find("nope"));
        assert_false(catalogue_helper_known(&services, "Q.932"));
        catalogue(&services);
        assert_int_equal(catalogue_put(&services, service_from("samba", "port=139/tcp\nport=445/tcp\nport=137/udp\n"
                                                                        "port=138/udp\nhelper=netbios-ns\n")),
                         0);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(strlist_add(&zone_config_find(&c, "home")->services, "samba"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text, "\tct helper helper-netbios-ns-udp {\n\t\ttype \"netbios-ns\" protocol udp;\n"));
        assert_non_null(strstr(text, "\t\tudp dport 137 ct helper set \"helper-netbios-ns-udp\"\n"));
        assert_null(strstr(text, "helper-netbios-ns-tcp"));
}

static HelperDef *helper_from(const char *name, const char *text, char **why)
{
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        HelperDef *h = NULL;

        assert_non_null(f);
        (void) helper_parse(name, NULL, f, &h, why);
        fclose(f);
        return h;
}

/* An admin's helper, as firewalld has one: a module the kernel has a helper of, on ports of its own; each helper of
 * a service attached on the helper's ports, not the service's (amanda-k5-client: 10082/tcp, its helper amanda on
 * 10080/udp, as firewalld does) */
static void test_admin_helpers(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL, *why = NULL, *formatted = NULL, *problems = NULL;
        HelperDef *h;

        assert_null(helper_from("ftp2", "module=nf_conntrack_nosuch\n", &why));
        assert_non_null(strstr(why, "Invalid module 'nf_conntrack_nosuch': not one of the kernel's"));
        why = mfree(why);
        assert_null(helper_from("ftp2", "module=ftp\n", &why));
        assert_non_null(strstr(why, "Invalid module 'ftp': nf_conntrack_NAME"));
        why = mfree(why);
        assert_null(helper_from("ftp2", "module=nf_conntrack_ftp\nport=2121/udp\n", &why));
        assert_non_null(strstr(why, "nf_conntrack_ftp follows no udp"));
        why = mfree(why);
        assert_null(helper_from("ftp2", "port=2121/tcp\n", &why));
        why = mfree(why);
        assert_null(helper_from("ftp2", "module=nf_conntrack_ftp\nfamily=ipx\n", &why));
        why = mfree(why);
        assert_null(helper_from("ftp_2", "module=nf_conntrack_ftp\n", &why)); /* firewalld's names: no '_' */
        why = mfree(why);
        h = helper_from("ftp2", "module=nf_conntrack_ftp\nfamily=ipv4\nport=2121/tcp\nshort=FTP 2\n", NULL);
        assert_non_null(h);
        assert_int_equal(helper_format(h, &formatted), 0);
        assert_non_null(strstr(formatted, "short=FTP 2\nmodule=nf_conntrack_ftp\nfamily=ipv4\nport=2121/tcp\n"));
        catalogue(&services);
        assert_int_equal(catalogue_put_helper(&services, h), 0);
        /* h323's two halves by protocol, an admin's helper by its module */
        assert_string_equal(helper_module_type("nf_conntrack_h323", "udp"), "RAS");
        assert_string_equal(catalogue_helper_type(&services, "ftp2", "tcp"), "ftp");
        assert_string_equal(catalogue_helper_port(&services, "ftp2", 0), "2121/tcp");
        assert_null(catalogue_helper_port(&services, "ftp2", 1));
        assert_string_equal(catalogue_helper_at(&services, 0), "Q.931");
        assert_string_equal(catalogue_helper_at(&services, 3), "ftp");
        assert_string_equal(catalogue_helper_at(&services, 4), "ftp2");
        assert_string_equal(catalogue_helper_at(&services, 13), "tftp");
        assert_null(catalogue_helper_at(&services, 14));
        assert_int_equal(catalogue_put(&services, service_from("myftp", "port=2121/tcp\nhelper=ftp2\n")), 0);
        assert_int_equal(catalogue_put(&services, service_from("k5", "port=10082/tcp\nhelper=amanda\n")), 0);
        assert_int_equal(catalogue_put(&services, service_from("odd", "port=1/tcp\nhelper=nope\n")), 0);
        assert_int_equal(catalogue_check_helpers(&services, &problems), 0);
        assert_string_equal(problems, "Service odd names helper nope, which is neither built in nor the admin's");
        assert_int_equal(catalogue_remove(&services, "odd"), 1);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(strlist_add(&zone_config_find(&c, "home")->services, "myftp"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "home")->services, "k5"), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text, "\tct helper helper-ftp2-tcp {\n\t\ttype \"ftp\" protocol tcp;\n"));
        assert_non_null(strstr(text, "\t\ttcp dport 2121 ct helper set \"helper-ftp2-tcp\"\n"));
        assert_non_null(strstr(text, "\t\tudp dport 10080 ct helper set \"helper-amanda-udp\"\n"));
        assert_null(strstr(text, "dport 10082 ct helper"));
        /* a copy of the catalogue has them */
        {
                _cleanup_(catalogue_done) ServiceCatalogue copy = {};
                assert_int_equal(catalogue_copy(&services, &copy), 0);
                assert_string_equal(catalogue_helper_module(&copy, "ftp2"), "nf_conntrack_ftp");
        }
}

/* every element of the language, in the chain firewalld's nftables backend gives it: the zone's input for most
 * (its logs apart, before what refuses), its port forwards, its masquerade, mangle's prerouting for marks (its
 * own hook and maps, there only when a zone marks), its forwarding for the clamp; a service's helper assigned for
 * a rule that accepts it, its destination kept */
static void test_rich_rules_every_kind(void **state)
{
        static const char *const rules[] = {
                "rule family=ipv4 source address=192.0.2.7 port port=22 protocol=tcp reject "
                "type=icmp-port-unreachable",
                "rule family=ipv4 source address=10.0.0.1 log prefix=\"x y\" level=info limit value=3/m accept",
                "rule service name=ssh log prefix=ssh accept",
                "rule service name=ftp accept",
                "rule service name=dhcpv6-client accept",
                "rule priority=-3 family=ipv6 source address=2001:db8::/32 drop",
                "rule priority=4 protocol value=gre audit accept",
                "rule icmp-block name=echo-request",
                "rule family=ipv4 icmp-type name=router-advertisement drop",
                "rule family=ipv4 forward-port port=80 protocol=tcp to-port=8080",
                "rule family=ipv4 forward-port port=81 protocol=tcp to-port=8081 to-addr=10.0.0.9",
                "rule family=ipv6 forward-port port=82 protocol=tcp to-addr=2001:db8::9",
                "rule family=ipv4 source address=10.0.0.0/8 masquerade",
                "rule tcp-mss-clamp value=1400",
                "rule family=ipv4 source address=10.0.0.1 port port=25 protocol=tcp mark set=0x10/0xff",
                "rule source-port port=53 protocol=udp accept",
                "rule family=ipv4 source address=10.0.0.1 nflog group=3 drop",
        };
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL, *plain = NULL;
        Zone *z;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &plain), 0);
        assert_null(strstr(plain, "mangle")); /* no zone marks: no hook */
        z = zone_config_find(&c, "public");
        assert_int_equal(strlist_add(&z->interfaces, "eth0"), 1);
        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                _cleanup_free_ char *canonical = NULL, *why = NULL;
                const char *code = NULL;
                assert_int_equal(zone_rich_rule_check(rules[i], &services, NULL, &canonical, &code, &why), 0);
                assert_int_equal(strlist_add(&z->rich_rules, canonical), 1);
        }
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text, "\tchain zone_public {\n"
                                     "\t\tmeta nfproto ipv6 ip6 saddr 2001:db8::/32 drop\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 limit rate 3/minute log level info "
                                     "prefix \"x y\" \n"
                                     "\t\ttcp dport 22 log prefix \"ssh\" \n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 log group 3 \n"
                                     "\t\tmeta nfproto ipv4 ip saddr 192.0.2.7 tcp dport 22 reject with icmp type "
                                     "port-unreachable\n"
                                     "\t\ticmp type echo-request reject with icmpx admin-prohibited\n"
                                     "\t\ticmpv6 type echo-request reject with icmpx admin-prohibited\n"
                                     "\t\tmeta nfproto ipv4 icmp type router-advertisement drop\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 drop\n"
                                     "\t\tmeta l4proto . th dport @zone_public_ports accept\n"));
        assert_non_null(strstr(text, "\t\tip6 daddr fe80::/64 meta l4proto . th dport { udp . 546 } accept\n"
                                     "\t\ttcp dport 21 ct helper set \"helper-ftp-tcp\"\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 accept\n"
                                     "\t\ttcp dport 22 accept\n"
                                     "\t\ttcp dport 21 accept\n"
                                     "\t\tip6 daddr fe80::/64 udp dport 546 accept\n"
                                     "\t\tudp sport 53 accept\n"
                                     "\t\tmeta l4proto gre log level audit\n"
                                     "\t\tmeta l4proto gre accept\n"));
        assert_non_null(strstr(text, "\tct helper helper-ftp-tcp {\n\t\ttype \"ftp\" protocol tcp;\n"));
        assert_non_null(strstr(text, "\tchain zone_public_pre {\n"
                                     "\t\tmeta nfproto ipv4 tcp dport 80 redirect to :8080\n"
                                     "\t\tmeta nfproto ipv4 tcp dport 81 dnat ip to 10.0.0.9:8081\n"
                                     "\t\tmeta nfproto ipv6 tcp dport 82 dnat ip6 to 2001:db8::9\n\t}\n"));
        assert_non_null(strstr(text, "\tchain zone_public_post {\n"
                                     "\t\tmeta nfproto ipv4 ip saddr 10.0.0.0/8 oifname != \"lo\" masquerade\n\t}\n"));
        assert_non_null(strstr(text,
                               "\tchain zone_public_mangle {\n\t\tmeta nfproto ipv4 ip saddr 10.0.0.1 tcp dport 25 "
                               "meta mark set meta mark & 0xff ^ 0x10\n\t}\n"));
        assert_non_null(strstr(text, "\tchain mangle {\n\t\ttype filter hook prerouting priority mangle + 10; policy "
                                     "accept;\n"));
        assert_non_null(strstr(text, "\t\tiifname vmap @mangle_interface\n\t\tgoto zone_public_mangle\n"));
        assert_non_null(strstr(text, "\tchain zone_public_fwd {\n\t\ttcp flags syn tcp option maxseg size set 1400\n"
                                     "\t\toifname @zone_public_fwd_interfaces accept\n"));
}

/* one interface, one source in one zone: what the loader and the writer both check */
static void test_conflicts(void **state)
{
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *why = NULL, *why2 = NULL;
        ZoneConflict conflict;

        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(zone_config_find_conflict(&c, &conflict), 0);
        assert_int_equal(zone_config_check(&c, NULL), 0);
        assert_int_equal(strlist_add(&zone_config_find(&c, "home")->interfaces, "r-c"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "drop")->sources, "10.0.0.0/8"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "work")->interfaces, "10.0.0.0/8"), 1); /* a name */
        assert_int_equal(zone_config_check(&c, NULL), 0);
        assert_int_equal(strlist_add(&zone_config_find(&c, "drop")->interfaces, "r-c"), 1);
        assert_int_equal(zone_config_find_conflict(&c, &conflict), 1);
        assert_string_equal(conflict.value, "r-c");
        assert_false(conflict.source);
        assert_string_equal(conflict.first->name, "drop");
        assert_string_equal(conflict.second->name, "home");
        assert_int_equal(zone_config_check(&c, &why), -EINVAL);
        assert_string_equal(why, "Interface r-c is in zones drop and home: it can be in one zone only");
        snprintf(c.default_zone, sizeof(c.default_zone), "nosuch");
        assert_int_equal(zone_config_check(&c, &why2), -EINVAL);
        assert_string_equal(why2, "The default zone nosuch does not exist");
}

/* a zone file's overlapping ports are merged as they are read; an error names the file given */
static void test_zone_file_ports(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_free_ char *why = NULL;
        const char *text = "port=22/tcp\nport=1-1000/tcp\nport=80/tcp\n\nport=99999/tcp\n";
        FILE *f = fmemopen((void *) text, 41, "r");
        Zone *z = NULL;

        catalogue(&services);
        assert_int_equal(zone_parse("mine", "/etc/nftbus/zones/mine.zone", f, &services, &z, &why), 0);
        fclose(f);
        assert_int_equal(z->ports.n, 1);
        assert_string_equal(z->ports.items[0], "1-1000/tcp");
        zone_free(z);
        f = fmemopen((void *) text, strlen(text), "r");
        assert_int_equal(zone_parse("mine", "/etc/nftbus/zones/mine.zone", f, &services, &z, &why), -EINVAL);
        fclose(f);
        assert_string_equal(why, "Line 5 of /etc/nftbus/zones/mine.zone: Invalid port '99999/tcp': ports are 0 to "
                                 "65535 or names of /etc/services, a range FROM-TO");
}

/* firewalld's ICMP types of one code (host-prohibited: destination-unreachable code 10), in a zone's blocks and in
 * a rich rule; and of a family only */
static void test_icmp_types_with_codes(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL, *why = NULL;
        Zone *public;
        size_t n;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        public = zone_config_find(&c, "public");
        assert_int_equal(strlist_add(&public->icmp_blocks, "echo-request"), 1);
        assert_int_equal(strlist_add(&public->icmp_blocks, "host-prohibited"), 1);
        assert_int_equal(strlist_add(&public->icmp_blocks, "beyond-scope"), 1);
        assert_int_equal(
                strlist_add(&public->rich_rules, "rule family=\"ipv4\" icmp-block name=\"fragmentation-needed\""), 1);
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        assert_non_null(strstr(text, "\t\ticmp type { echo-request } reject with icmpx admin-prohibited\n"
                                     "\t\ticmp type destination-unreachable icmp code 10 reject with icmpx "
                                     "admin-prohibited\n"
                                     "\t\ticmpv6 type { echo-request } reject with icmpx admin-prohibited\n"
                                     "\t\ticmpv6 type destination-unreachable icmpv6 code 2 reject with icmpx "
                                     "admin-prohibited\n"));
        assert_non_null(strstr(text, "meta nfproto ipv4 icmp type destination-unreachable icmp code 4 reject with "
                                     "icmpx admin-prohibited\n"));
        /* all of firewalld's names, each of a family at least */
        const char *const *names = zone_icmp_type_names(&n);
        assert_int_equal(n, 45);
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(zone_check_icmp_type(names[i], &why), 0);
                assert_true(zone_icmp_type_families(names[i]) != 0);
        }
        assert_int_equal(zone_icmp_type_families("beyond-scope"), ZONE_ICMP_IPV6);
        assert_int_equal(zone_icmp_type_families("host-redirect"), ZONE_ICMP_IPV4);
        assert_int_equal(zone_icmp_type_families("nope"), 0);
}

/* services that include others take what those have; a service's source ports come into the zone's chain */
static void test_service_includes(void **state)
{
        static const char *const files[][2] = {
                { "web", "short=Web\ninclude=http\ninclude=https\n" },
                { "http", "port=80/tcp\n" },
                { "https", "port=443/tcp\ninclude=web\n" },
                { "upnp-client", "source-port=1900/udp\n" },
                { "broken", "include=nowhere\nport=1/tcp\n" },
        };
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_free_ char *problems = NULL;

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                FILE *f = fmemopen((void *) files[i][1], strlen(files[i][1]), "r");
                _cleanup_free_ char *why = NULL;
                ServiceDef *s = NULL;
                assert_int_equal(service_parse(files[i][0], NULL, f, &s, &why), 0);
                fclose(f);
                assert_int_equal(catalogue_put(&services, s), 0);
        }
        assert_int_equal(catalogue_resolve(&services, &problems), 0);
        assert_string_equal(problems, "Service broken includes nowhere, which the catalogue lacks");
        const ServiceDef *web = catalogue_find(&services, "web"), *https = catalogue_find(&services, "https");
        assert_int_equal(web->ports.n, 2); /* http's and https's, through https's loop back to web */
        assert_int_equal(web->own_ports.n, 0);
        assert_string_equal(web->short_name, "Web");
        assert_int_equal(https->ports.n, 2);
        assert_int_equal(https->own_ports.n, 1);
        assert_string_equal(catalogue_find(&services, "upnp-client")->source_ports.items[0], "1900/udp");
        /* its file: what it has of its own; a copy: the same files, the same lists once resolved */
        _cleanup_free_ char *text = NULL;
        assert_int_equal(service_format(https, &text), 0);
        assert_string_equal(text, "# nftbus service https: KEY=VALUE lines, one value each (see nftbusd(8))\n"
                                  "port=443/tcp\ninclude=web\n");
        _cleanup_(catalogue_done) ServiceCatalogue copy = {};
        assert_int_equal(catalogue_copy(&services, &copy), 0);
        assert_int_equal(catalogue_resolve(&copy, &problems), 0);
        assert_int_equal(copy.n, services.n);
        for (size_t i = 0; i < services.n; i++) {
                _cleanup_free_ char *a = NULL, *b = NULL;
                assert_int_equal(service_format(services.services[i], &a), 0);
                assert_int_equal(service_format(copy.services[i], &b), 0);
                assert_string_equal(b, a);
                assert_true(strlist_equal(&copy.services[i]->ports, &services.services[i]->ports));
                assert_true(strlist_equal(&copy.services[i]->own_ports, &services.services[i]->own_ports));
        }
        _cleanup_free_ char *why = NULL;
        assert_int_equal(service_check_name("kube-controller-manager-secure", &why), 0);
        assert_int_equal(service_check_name("a;b", &why), -EINVAL);
}

static size_t count(const char *haystack, const char *needle)
{
        size_t n = 0;

        for (const char *p = haystack; (p = strstr(p, needle)); p++)
                n++;
        return n;
}

/* a place of many rich rules in chunk chains the zone's chain jumps to; one rule more changes its own chunk only */
static void test_rich_rule_chunks(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {}, more = {};
        _cleanup_free_ char *text = NULL, *changes = NULL;
        StrList *rules;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        rules = &zone_config_find(&c, "public")->rich_rules;
        for (int i = 0; i < 1000; i++) {
                char rule[128];
                snprintf(rule, sizeof(rule), "rule family=\"ipv4\" source address=\"10.0.%d.%d\" drop", i / 256,
                         i % 256);
                assert_int_equal(strlist_add(rules, rule), 1);
        }
        assert_int_equal(zone_ruleset(&c, &services, false, NULL, &text), 0);
        /* every rule once, in a chunk; the zone's chain jumps to each chunk, about 1000 / 64 of them */
        assert_int_equal(count(text, "\t\tmeta nfproto ipv4 ip saddr 10.0."), 1000);
        size_t chunks = count(text, "\tchain zone_public_d_");
        assert_int_equal(count(text, "\t\tjump zone_public_d_"), chunks);
        assert_true(chunks > 5 && chunks < 40);
        /* the first chunk starts with the first rule, in the order added */
        const char *first = strstr(text, "\tchain zone_public_d_");
        assert_non_null(first);
        assert_true(startswith(strchr(first, '\n') + 1, "\t\tmeta nfproto ipv4 ip saddr 10.0.0.0 drop\n"));
        /* a few rules stay in the chain itself */
        assert_null(strstr(text, "zone_work_d_"));

        /* one more: its chunk gets it (or it cuts one in two); no other chunk changes */
        assert_int_equal(zone_config_copy(&c, &more), 0);
        assert_int_equal(strlist_add(&zone_config_find(&more, "public")->rich_rules,
                                     "rule family=\"ipv4\" source address=\"192.0.2.1\" drop"),
                         1);
        assert_int_equal(update(&c, &more, &services, NULL, 0, &changes), 0);
        assert_non_null(strstr(changes, "add rule inet nftbus_zones zone_public_d_"));
        assert_non_null(strstr(changes, " meta nfproto ipv4 ip saddr 192.0.2.1 drop\n"));
        assert_true(count(changes, "\n") <= 3);
}

TAP_MAIN(cmocka_unit_test(test_strlist), cmocka_unit_test(test_rich_rule_chunks), cmocka_unit_test(test_ipsets),
         cmocka_unit_test(test_ruleset_update), cmocka_unit_test(test_builtin),
         cmocka_unit_test(test_rich_rules_placed), cmocka_unit_test(test_checks),
         cmocka_unit_test(test_zone_file_round_trip), cmocka_unit_test(test_ruleset), cmocka_unit_test(test_ports),
         cmocka_unit_test(test_port_texts), cmocka_unit_test(test_ports_set_union), cmocka_unit_test(test_helpers),
         cmocka_unit_test(test_admin_helpers), cmocka_unit_test(test_rich_rules_every_kind),
         cmocka_unit_test(test_conflicts), cmocka_unit_test(test_zone_file_ports),
         cmocka_unit_test(test_icmp_types_with_codes), cmocka_unit_test(test_service_includes))
