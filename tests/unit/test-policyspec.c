/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/policyspec.h"
#include "core/zonespec.h"
#include "tap.h"

static void catalogue(ServiceCatalogue *c)
{
        static const char *const services[][2] = {
                { "ssh", "port=22/tcp\n" },
                { "http", "port=80/tcp\n" },
                { "ftp", "port=21/tcp\nhelper=ftp\n" },
                { "dhcpv6-client", "port=546/udp\ndestination=ipv6:fe80::/64\n" },
                { "mdns", "port=5353/udp\ndestination=ipv4:224.0.0.251\ndestination=ipv6:ff02::fb\n" },
                { "samba-client", "port=137/udp\nport=138/udp\nhelper=netbios-ns\n" },
                { "dhcp", "port=67/udp\n" },
                { "dns", "port=53/tcp\nport=53/udp\n" },
        };

        for (size_t i = 0; i < ELEMENTSOF(services); i++) {
                FILE *f = fmemopen((void *) services[i][1], strlen(services[i][1]), "r");
                ServiceDef *s = NULL;
                _cleanup_free_ char *why = NULL;
                assert_int_equal(service_parse(services[i][0], NULL, f, &s, &why), 0);
                fclose(f);
                assert_int_equal(catalogue_put(c, s), 0);
        }
}

static Policy *policy_of(const char *name, const char *text, const ServiceCatalogue *services)
{
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        _cleanup_free_ char *why = NULL;
        Policy *p = NULL;

        assert_non_null(f);
        if (policy_parse(name, NULL, f, services, &p, &why) < 0)
                fail_msg("%s", why);
        fclose(f);
        return p;
}

/* ruleset, with NFTBUS_POLICY_RULESET set written to PATH.N too (the N-th: to try them with nft in a namespace) */
static char *ruleset_of(const ZoneConfig *c, const ServiceCatalogue *services)
{
        static unsigned made;
        char *text = NULL, path[256];
        const char *base = getenv("NFTBUS_POLICY_RULESET");

        assert_int_equal(zone_ruleset(c, services, false, NULL, &text), 0);
        if (base) {
                snprintf(path, sizeof(path), "%s.%u", base, made++);
                FILE *f = fopen(path, "w");
                assert_non_null(f);
                fputs(text, f);
                fclose(f);
        }
        return text;
}

/* firewalld's names: letters, digits, '_', '-', one '/'; 18 characters before it */
static void test_names(void **state)
{
        static const char *const good[] = { "allow-host-ipv6", "a_b-c", "eighteen-chars-abc", "lab/x",
                                            "eighteen-chars-abc/and-what-follows" };
        static const struct {
                const char *name, *words;
        } bad[] = {
                { "", "name can't be empty" },
                { "a b", "' ' is not allowed in 'a b'" },
                { "a;flush", "';' is not allowed in 'a;flush'" },
                { "/x", "Policy '/x': name can't start with '/'" },
                { "x/", "Policy 'x/': name can't end with '/'" },
                { "a/b/c", "Policy 'a/b/c': name has more than one '/'" },
                { "nineteen-chars-abcd", "Policy 'nineteen-chars-abcd': name has 19 chars, max is 18" },
        };

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_free_ char *why = NULL;
                assert_int_equal(policy_check_name(good[i], &why), 0);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *why = NULL;
                assert_int_equal(policy_check_name(bad[i].name, &why), -EINVAL);
                assert_string_equal(why, bad[i].words);
        }
}

/* a file read back as written; the built-in policy as firewalld ships it */
static void test_file_round_trip(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_free_ char *text = NULL, *again = NULL;
        _cleanup_(policy_freep) Policy *p = NULL, *q = NULL, *builtin = policy_builtin("allow-host-ipv6");

        catalogue(&services);
        p = policy_of("web/in",
                      "target=ACCEPT\npriority=-5\ningress-zone=external\negress-zone=internal\n"
                      "service=http\nport=8080-8090/tcp\nport=8085/tcp\nmasquerade=yes\n"
                      "rule=rule family=\"ipv4\" source address=\"10.0.0.0/8\" drop\n",
                      &services);
        assert_int_equal(p->zone.target, ZONE_TARGET_ACCEPT);
        assert_int_equal(p->priority, -5);
        assert_int_equal(p->zone.ports.n, 1); /* merged */
        assert_int_equal(policy_format(p, &text), 0);
        q = policy_of("web/in", text, &services);
        assert_true(policy_equal(p, q));
        assert_int_equal(policy_format(q, &again), 0);
        assert_string_equal(text, again);

        assert_non_null(builtin);
        assert_int_equal(builtin->priority, -15000);
        assert_string_equal(builtin->ingress.items[0], "ANY");
        assert_string_equal(builtin->egress.items[0], "HOST");
        assert_int_equal(builtin->zone.rich_rules.n, 4);
        assert_null(policy_builtin("public"));
}

static void test_file_refused(void **state)
{
        static const struct {
                const char *text, *words;
        } bad[] = {
                { "target=default\n",
                  "Line 1 of policy p: Invalid target 'default': CONTINUE, ACCEPT, REJECT or DROP" },
                { "priority=0\n", "Line 1 of policy p: Policy 'p': 0 is invalid priority. Must be in range [-32768, "
                                  "32767]. The following are reserved: [0]" },
                { "priority=40000\n", "Line 1 of policy p: Policy 'p': 40000 is invalid priority. Must be in range "
                                      "[-32768, 32767]. The following are reserved: [0]" },
                { "priority=1x\n", "Line 1 of policy p: Invalid priority '1x'" },
                { "interface=eth0\n", "Line 1 of policy p: A policy has no interface (a zone's key)" },
        };
        _cleanup_(catalogue_done) ServiceCatalogue services = {};

        catalogue(&services);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                FILE *f = fmemopen((void *) bad[i].text, strlen(bad[i].text), "r");
                _cleanup_free_ char *why = NULL;
                Policy *p = NULL;
                assert_int_equal(policy_parse("p", NULL, f, &services, &p, &why), -EINVAL);
                assert_string_equal(why, bad[i].words);
                fclose(f);
        }
}

/* firewalld's checks of a policy in its configuration, each with its code and words */
static void test_checks(void **state)
{
        static const struct {
                const char *name, *text, *code, *words;
        } cases[] = {
                { "public", "ingress-zone=ANY\negress-zone=HOST\n", "NAME_CONFLICT",
                  "Policy 'public': Can't have the same name as a zone." },
                { "p", "ingress-zone=nowhere\negress-zone=HOST\n", "INVALID_ZONE",
                  "Policy 'p': 'nowhere' not among existing zones" },
                { "p", "ingress-zone=ANY\ningress-zone=public\negress-zone=HOST\n", "INVALID_ZONE",
                  "Policy 'p': 'ingress_zones' may only contain one of: many regular zones, ANY, or HOST" },
                { "p", "ingress-zone=HOST\negress-zone=HOST\n", "INVALID_ZONE",
                  "Policy 'p': 'HOST' can only appear in either ingress or egress zones, but not both" },
                { "p", "ingress-zone=public\negress-zone=HOST\nmasquerade=yes\n", "INVALID_ZONE",
                  "Policy 'p': 'masquerade' is invalid for egress zone 'HOST'" },
                { "p", "ingress-zone=HOST\negress-zone=public\nmasquerade=yes\n", "INVALID_ZONE",
                  "Policy 'p': 'masquerade' is invalid for ingress zone 'HOST'" },
                { "p", "ingress-zone=public\negress-zone=HOST\nforward-port=port=80:proto=tcp:toaddr=10.0.0.1\n",
                  "INVALID_FORWARD", "Policy 'p': A 'forward-port' with 'to-addr' is invalid for egress zone 'HOST'" },
                { "p", "ingress-zone=public\negress-zone=ANY\nforward-port=port=80:proto=tcp:toport=81\n",
                  "INVALID_FORWARD",
                  "Policy 'p': 'forward-port' requires 'to-addr' if egress zone is 'ANY' or a zone" },
                { "p", "ingress-zone=public\negress-zone=internal\nforward-port=port=80:proto=tcp:toaddr=10.0.0.1\n",
                  "INVALID_ZONE",
                  "Policy 'p': 'forward-port' cannot be used because egress zone 'internal' has assigned interfaces" },
                { "p", "ingress-zone=HOST\negress-zone=public\nrule=rule masquerade\n", "INVALID_ZONE",
                  "Policy 'p': 'masquerade' is invalid for ingress zone 'HOST'" },
                { "p",
                  "ingress-zone=public\negress-zone=internal\nrule=rule family=\"ipv4\" source address=\"10.0.0.0/8\" "
                  "mark set=\"1\"\n",
                  "INVALID_ZONE",
                  "Policy 'p': 'mark' action cannot be used because egress zone 'internal' has assigned interfaces" },
        };
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(strlist_add(&zone_config_find(&c, "internal")->interfaces, "eth1"), 1);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(policy_freep) Policy *p = policy_of(cases[i].name, cases[i].text, &services);
                _cleanup_free_ char *why = NULL;
                const char *code = NULL;
                assert_int_equal(policy_check(p, &c, &services, &code, &why), -EINVAL);
                assert_string_equal(code, cases[i].code);
                assert_string_equal(why, cases[i].words);
        }
        /* the built-in one, and a good one */
        for (size_t i = 0; i < c.n_policies; i++) {
                _cleanup_free_ char *why = NULL;
                const char *code = NULL;
                assert_int_equal(policy_check(c.policies[i], &c, &services, &code, &why), 0);
        }
        _cleanup_free_ char *why = NULL;
        assert_int_equal(zone_config_check(&c, &why), 0);
        /* a zone a policy names cannot go */
        assert_int_equal(
                policy_config_put(&c, policy_of("lan", "ingress-zone=internal\negress-zone=public\n", &services)), 0);
        assert_ptr_equal(policy_config_naming(&c, "internal"), policy_config_find(&c, "lan"));
        assert_null(policy_config_naming(&c, "dmz"));
        assert_int_equal(zone_config_remove(&c, "internal"), 0);
        assert_int_equal(zone_config_check(&c, &why), -EINVAL);
}

/* A policy applies while one zone of each side is active; it comes into the ruleset where its hooks are */
static void test_ruleset(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *plain = NULL, *text = NULL;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        /* the built-in policy: neighbour discovery before the zones */
        plain = ruleset_of(&c, &services);
        assert_non_null(strstr(plain, "\t\tct state invalid drop\n\t\tjump policies_input_pre\n\t\tip saddr vmap"));
        assert_non_null(strstr(plain, "\tchain policies_input_pre {\n\t\tjump policy_allow-host-ipv6\n\t}\n"));
        assert_non_null(strstr(plain, "\tchain policy_allow-host-ipv6 {\n"));
        assert_non_null(strstr(plain, "icmpv6 type nd-neighbor-advert accept\n"));
        assert_null(strstr(plain, "policies_forward"));
        assert_null(strstr(plain, "chain output"));

        /* internal to external, both with interfaces: forwarded, with masquerade after routing */
        assert_int_equal(strlist_add(&zone_config_find(&c, "internal")->interfaces, "lan0"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "internal")->interfaces, "lan1"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "external")->interfaces, "wan0"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "dmz")->sources, "192.0.2.0/24"), 1);
        assert_int_equal(policy_config_put(&c, policy_of("out",
                                                         "target=ACCEPT\ningress-zone=internal\n"
                                                         "ingress-zone=dmz\negress-zone=external\n"
                                                         "masquerade=yes\n",
                                                         &services)),
                         0);
        /* one after the zones, from HOST: the output chain */
        assert_int_equal(policy_config_put(&c, policy_of("host-web",
                                                         "priority=10\ningress-zone=HOST\n"
                                                         "egress-zone=external\nservice=http\n"
                                                         "target=REJECT\n",
                                                         &services)),
                         0);
        /* one of a zone without interfaces or sources: not in force */
        assert_int_equal(policy_config_put(&c, policy_of("idle",
                                                         "ingress-zone=work\negress-zone=ANY\n"
                                                         "target=DROP\n",
                                                         &services)),
                         0);
        text = ruleset_of(&c, &services);
        assert_non_null(strstr(text, "\tchain policies_forward_pre {\n"
                                     "\t\tiifname { \"lan0\", \"lan1\" } oifname { \"wan0\" } jump policy_out\n"
                                     "\t\tip saddr 192.0.2.0/24 oifname { \"wan0\" } jump policy_out\n\t}\n"));
        assert_non_null(strstr(text,
                               "\tchain policies_postrouting_pre {\n"
                               "\t\tiifname { \"lan0\", \"lan1\" } oifname { \"wan0\" } jump policy_out_post\n"));
        assert_non_null(strstr(text, "\tchain policy_out {\n\t\tmeta l4proto . th dport @policy_out_ports accept\n"
                                     "\t\taccept\n\t}\n"));
        assert_non_null(strstr(text, "\tchain policy_out_post {\n\t\tmeta nfproto ipv4 masquerade\n\t}\n"));
        /* the forward chain jumps to them before the zones */
        assert_non_null(strstr(text, "reject with icmpv6 addr-unreachable\n\t\tjump policies_forward_pre\n"));
        /* the nat chain goes on to none after the zones: there are none */
        assert_null(strstr(text, "policies_postrouting_post"));
        /* from HOST, after the zones: the output chain */
        assert_non_null(strstr(text, "\tchain output {\n\t\ttype filter hook output priority filter + 10; policy "
                                     "accept;\n\t\tct state established,related accept\n\t\toif \"lo\" accept\n"
                                     "\t\tjump policies_output_post\n\t}\n"));
        assert_non_null(
                strstr(text, "\tchain policies_output_post {\n\t\toifname { \"wan0\" } jump policy_host-web\n"));
        assert_non_null(strstr(text, "\tchain policy_host-web {\n"));
        assert_non_null(strstr(text, "\t\treject with icmpx admin-prohibited\n\t}\n"));
        assert_null(strstr(text, "policy_idle"));
        assert_null(strstr(text, "chain nat_output"));         /* no policy from HOST forwards a port */
        assert_null(strstr(text, "jump policies_input_post")); /* no policy after the zones to the host */
}

/* a policy from HOST's port forwards: in the nat output hook, what the host sends */
static void test_ruleset_host_port_forward(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(policy_config_put(&c, policy_of("host-fwd",
                                                         "ingress-zone=HOST\negress-zone=ANY\n"
                                                         "forward-port=port=80:proto=tcp:toport=22:"
                                                         "toaddr=10.0.1.2\n",
                                                         &services)),
                         0);
        text = ruleset_of(&c, &services);
        assert_non_null(strstr(text, "\tchain nat_output {\n\t\ttype nat hook output priority -90; policy accept;\n"
                                     "\t\tjump policies_nat_output_pre\n\t}\n"));
        assert_non_null(strstr(text, "\tchain policies_nat_output_pre {\n\t\tjump policy_host-fwd_pre\n\t}\n"));
        assert_non_null(strstr(text, "\tchain policy_host-fwd_pre {\n\t\tmeta nfproto ipv4 tcp dport 80 dnat ip to "
                                     "10.0.1.2:22\n\t}\n"));
}

/* after the zones: each zone's chain jumps to them before its target; a nat hook's zones without a chain go there */
static void test_ruleset_after_zones(void **state)
{
        _cleanup_(catalogue_done) ServiceCatalogue services = {};
        _cleanup_(zone_config_done) ZoneConfig c = {};
        _cleanup_free_ char *text = NULL;

        catalogue(&services);
        assert_int_equal(zone_config_builtin(&c), 0);
        assert_int_equal(strlist_add(&zone_config_find(&c, "internal")->interfaces, "lan0"), 1);
        assert_int_equal(strlist_add(&zone_config_find(&c, "external")->interfaces, "wan0"), 1);
        assert_int_equal(policy_config_put(&c, policy_of("in",
                                                         "priority=100\ningress-zone=internal\n"
                                                         "egress-zone=HOST\nservice=ssh\n",
                                                         &services)),
                         0);
        assert_int_equal(policy_config_put(&c, policy_of("nat",
                                                         "priority=100\ningress-zone=ANY\n"
                                                         "egress-zone=external\nmasquerade=yes\n",
                                                         &services)),
                         0);
        text = ruleset_of(&c, &services);
        assert_non_null(strstr(text, "\tchain policies_input_post {\n\t\tiifname { \"lan0\" } jump policy_in\n"));
        /* in zone public's chain: after its rules, before ICMP and its target */
        assert_non_null(strstr(text, "\t\tjump policies_input_post\n\t\tmeta l4proto { icmp, ipv6-icmp } accept\n"));
        /* postrouting: the zones that masquerade (external) jump there at the end, the others go there */
        assert_non_null(strstr(text, "\"wan0\" : goto zone_external_post"));
        assert_non_null(strstr(text, "\"lan0\" : goto policies_postrouting_post"));
        assert_non_null(strstr(text, "\tchain zone_external_post {\n\t\tmeta nfproto ipv4 masquerade\n"
                                     "\t\tjump policies_postrouting_post\n\t}\n"));
        assert_non_null(strstr(text, "\t\toifname vmap @post_interface\n\t\tgoto policies_postrouting_post\n"));
        assert_non_null(strstr(text, "\tchain policies_postrouting_post {\n\t\toifname { \"wan0\" } jump "
                                     "policy_nat_post\n\t}\n"));
}

TAP_MAIN(cmocka_unit_test(test_names), cmocka_unit_test(test_file_round_trip), cmocka_unit_test(test_file_refused),
         cmocka_unit_test(test_checks), cmocka_unit_test(test_ruleset), cmocka_unit_test(test_ruleset_after_zones),
         cmocka_unit_test(test_ruleset_host_port_forward))
