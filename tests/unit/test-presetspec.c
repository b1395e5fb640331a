/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/presetspec.h"
#include "tap.h"
#include "common/util.h"

/* values for p from "name=value" (lists: "a,b,c"), then its plan; the sentence of a refusal in why */
static int plan_from(const char *preset, const char *const *settings, PresetPlan *plan, char **why)
{
        const Preset *p = preset_find(preset);
        PresetValue values[16] = {};
        int r;

        assert_non_null(p);
        assert_int_equal(preset_values_init(p, values), 0);
        for (const char *const *s = settings; s && *s; s++) {
                const char *eq = strchr(*s, '=');
                size_t i;
                for (i = 0; i < p->n_options; i++)
                        if (strlen(p->options[i].name) == (size_t) (eq - *s) &&
                            strncmp(p->options[i].name, *s, (size_t) (eq - *s)) == 0)
                                break;
                assert_true(i < p->n_options);
                values[i].given = true;
                switch (p->options[i].type) {
                case PRESET_BOOLEAN:
                        values[i].boolean = streq(eq + 1, "true");
                        break;
                case PRESET_NUMBER:
                        values[i].number = (uint32_t) strtoul(eq + 1, NULL, 10);
                        break;
                case PRESET_STRING:
                        free(values[i].string);
                        values[i].string = strdup(eq + 1);
                        break;
                case PRESET_LIST: {
                        char *copy = strdup(eq + 1), *save = NULL;
                        size_t n = 0;
                        values[i].list = calloc(64, sizeof(char *));
                        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
                                values[i].list[n++] = strdup(w);
                        free(copy);
                        break;
                }
                }
        }
        r = preset_plan(p, values, plan, why);
        preset_values_clear(p, values);
        return r;
}

static const PresetSet *set_of(const PresetPlan *plan, const char *name)
{
        for (size_t i = 0; i < plan->n_sets; i++)
                if (streq(plan->sets[i].name, name))
                        return &plan->sets[i];
        fail();
        return NULL;
}

static void test_services(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan plan = {};
        _cleanup_free_ char *why = NULL;
        const PresetChain *in;

        assert_int_equal(plan_from("workstation",
                                   (const char *[]){ "services=ssh,domain,8080,6000-6010/udp,http limit 3/second log",
                                                     "allow_ping=false", NULL },
                                   &plan, &why),
                         0);
        assert_string_equal(plan.table, "nftbus_workstation");
        assert_int_equal(plan.n_chains, 1);
        in = &plan.chains[0];
        assert_string_equal(in->policy, "drop");
        assert_int_equal(in->n_rules, 6 + 6);
        /* what a dnat or redirect rule sent here gets in */
        assert_string_equal(in->rules[5], "ct status dnat counter accept");
        /* ssh is tcp only in /etc/services; domain both; a bare port is tcp */
        assert_string_equal(in->rules[6], "tcp dport 22 counter accept");
        assert_string_equal(in->rules[7], "tcp dport 53 counter accept");
        assert_string_equal(in->rules[8], "udp dport 53 counter accept");
        assert_string_equal(in->rules[9], "tcp dport 8080 counter accept");
        assert_string_equal(in->rules[10], "udp dport 6000-6010 counter accept");
        assert_string_equal(
                in->rules[11],
                "tcp dport 80 limit rate 3/second log prefix \"nftbus workstation http: \" counter accept");
        assert_int_equal(plan.n_sysctls, 0);
        assert_true(strncmp(plan.marker, "nftbus preset workstation ", 26) == 0);
        assert_int_equal(strlen(plan.marker), 26 + 8);
}

static void test_marker(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan a = {}, b = {}, c = {};
        _cleanup_free_ char *why = NULL;

        /* the marker follows the rules, not the lists */
        assert_int_equal(plan_from("server", (const char *[]){ "blacklist=192.0.2.1", NULL }, &a, &why), 0);
        assert_int_equal(plan_from("server", (const char *[]){ "blacklist=192.0.2.2,2001:db8::1", NULL }, &b, &why),
                         0);
        assert_int_equal(plan_from("server", (const char *[]){ "services=ssh", NULL }, &c, &why), 0);
        assert_string_equal(a.marker, b.marker);
        assert_string_not_equal(a.marker, c.marker);
}

static void test_lists(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan plan = {};
        _cleanup_free_ char *why = NULL;
        const PresetSet *s;

        assert_int_equal(
                plan_from("server",
                          (const char *[]){ "blacknets=10.1.0.0/16,10.0.0.0/8,192.0.2.0/24,192.0.2.0/24,2001:DB8::/32,"
                                            "10.2.3.4/32",
                                            "blacklist=198.51.100.7,198.51.100.7 . 22,198.51.100.7,2001:db8::7 . ssh",
                                            "blacklist_timeout=60", NULL },
                          &plan, &why),
                0);
        /* inside 10.0.0.0/8 and duplicates go; canonical text, sorted */
        s = set_of(&plan, "blacknets_v4");
        assert_int_equal(s->n_elements, 2);
        assert_string_equal(s->elements[0], "10.0.0.0/8");
        assert_string_equal(s->elements[1], "192.0.2.0/24");
        s = set_of(&plan, "blacknets_v6");
        assert_int_equal(s->n_elements, 1);
        assert_string_equal(s->elements[0], "2001:db8::/32");
        s = set_of(&plan, "blacklist_v4");
        assert_int_equal(s->n_elements, 1);
        assert_string_equal(s->elements[0], "198.51.100.7 timeout 60s");
        s = set_of(&plan, "blacklist_ports_v4");
        assert_int_equal(s->n_elements, 1);
        assert_string_equal(s->elements[0], "198.51.100.7 . 22 timeout 60s");
        s = set_of(&plan, "blacklist_ports_v6");
        assert_string_equal(s->elements[0], "2001:db8::7 . 22 timeout 60s");
}

/* nftfw's lists: networks in the blacklist (its own example), ports in the whitelist */
static void test_nftfw_lists(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan plan = {};
        _cleanup_free_ char *why = NULL;
        const PresetSet *s;

        assert_int_equal(plan_from("server",
                                   (const char *[]){ "blacklist=2001:db8:fab:11::1:0/112,2001:db8:fab:11::1:7,"
                                                     "10.0.0.0/24 . 22,10.0.0.9 . 22,10.0.0.9 . 80",
                                                     "whitelist=192.0.2.0/24 . ssh,192.0.2.7", NULL },
                                   &plan, &why),
                         0);
        s = set_of(&plan, "blacklist_v6");
        assert_string_equal(s->definition, "type ipv6_addr; flags interval,timeout;");
        assert_int_equal(s->n_elements, 1); /* the address is inside the network */
        assert_string_equal(s->elements[0], "2001:db8:fab:11::1:0/112");
        s = set_of(&plan, "blacklist_ports_v4");
        assert_int_equal(s->n_elements, 2); /* 10.0.0.9 . 22 is inside 10.0.0.0/24 . 22; . 80 is not */
        assert_string_equal(s->elements[0], "10.0.0.0/24 . 22");
        assert_string_equal(s->elements[1], "10.0.0.9 . 80");
        s = set_of(&plan, "whitelist_ports_v4");
        assert_int_equal(s->n_elements, 1);
        assert_string_equal(s->elements[0], "192.0.2.0/24 . 22");
        s = set_of(&plan, "whitelist_v4");
        assert_string_equal(s->elements[0], "192.0.2.7");
}

/* services from some sources, outgoing rejects to some destinations, limits per source */
static void test_services_from_and_per_source(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan plan = {}, ws = {};
        _cleanup_free_ char *why = NULL;
        const PresetChain *in, *out;
        const PresetSet *s;

        assert_int_equal(
                plan_from("server",
                          (const char *[]){ "services=ssh from 10.0.1.0/24 fd00::/8 limit 10/minute per-source,"
                                            "http limit 20/second per-source log,domain from 10.0.2.0/24",
                                            "outgoing_reject=smtp to 192.0.2.0/24", NULL },
                          &plan, &why),
                0);
        in = &plan.chains[0];
        out = &plan.chains[1];
        assert_string_equal(in->rules[in->n_rules - 7], "ip saddr { 10.0.1.0/24 } tcp dport 22 add @per_source_0_v4 "
                                                        "{ ip saddr limit rate 10/minute } counter accept");
        assert_string_equal(in->rules[in->n_rules - 6], "ip6 saddr { fd00::/8 } tcp dport 22 add @per_source_0_v6 "
                                                        "{ ip6 saddr limit rate 10/minute } counter accept");
        assert_string_equal(in->rules[in->n_rules - 5],
                            "tcp dport 80 add @per_source_1_v4 { ip saddr limit rate "
                            "20/second } log prefix \"nftbus server http: \" counter accept");
        assert_string_equal(in->rules[in->n_rules - 4],
                            "tcp dport 80 add @per_source_1_v6 { ip6 saddr limit rate "
                            "20/second } log prefix \"nftbus server http: \" counter accept");
        assert_string_equal(in->rules[in->n_rules - 3], "ip saddr { 10.0.2.0/24 } tcp dport 53 counter accept");
        assert_string_equal(in->rules[in->n_rules - 2], "ip saddr { 10.0.2.0/24 } udp dport 53 counter accept");
        assert_string_equal(out->rules[0], "ip daddr { 192.0.2.0/24 } tcp dport 25 counter reject with tcp reset");
        s = set_of(&plan, "per_source_0_v6");
        assert_string_equal(s->definition, "type ipv6_addr; size 65535; flags dynamic,timeout; timeout 60s;");
        assert_true(s->dynamic);
        s = set_of(&plan, "per_source_1_v4");
        assert_string_equal(s->definition, "type ipv4_addr; size 65535; flags dynamic,timeout; timeout 1s;");

        /* the workstation too */
        assert_int_equal(plan_from("workstation", (const char *[]){ "services=ssh limit 3/minute per-source", NULL },
                                   &ws, &why),
                         0);
        assert_non_null(set_of(&ws, "per_source_0_v4"));
        assert_string_equal(ws.chains[0].rules[ws.chains[0].n_rules - 1],
                            "tcp dport 22 add @per_source_0_v6 { ip6 saddr limit rate 3/minute } counter accept");
}

static void test_refusals(void **state)
{
        static const struct {
                const char *preset, *setting, *why;
        } cases[] = {
                { "workstation", "services=nosuch", "Invalid service 'nosuch': not a service /etc/services knows" },
                { "workstation", "services=ssh/tcp/udp",
                  "Invalid service 'ssh/tcp/udp': the protocol after '/' is tcp or udp" },
                { "workstation", "services=022",
                  "Invalid service '022': a port is 1 to 65535, a range N-M with N < M" },
                { "workstation", "services=ssh limit 0/second",
                  "Invalid service 'ssh limit 0/second': 'limit' takes N/second, N/minute, N/hour or "
                  "N/day" },
                { "workstation", "services=ssh log log",
                  "Invalid service 'ssh log log': after the service come 'limit RATE [per-source]', 'log' and 'from "
                  "ADDRESS...'" },
                { "workstation", "services=ssh per-source",
                  "Invalid service 'ssh per-source': after the service come 'limit RATE [per-source]', 'log' and "
                  "'from ADDRESS...'" },
                { "workstation", "services=ssh from",
                  "Invalid service 'ssh from': 'from' takes addresses or networks, "
                  "separated by spaces" },
                { "workstation", "services=ssh from 10.0.0.0/33",
                  "Invalid service entry '10.0.0.0/33': the prefix length is out of range" },
                { "server", "outgoing_reject=smtp from 192.0.2.1",
                  "Invalid service 'smtp from 192.0.2.1': after the service come 'limit RATE [per-source]', 'log' and "
                  "'to ADDRESS...'" },
                { "server", "whitelist=10.0.0.0/33",
                  "Invalid whitelist entry '10.0.0.0/33': the prefix length is out of range" },
                { "server", "whitelist=10.0.0.0/",
                  "Invalid whitelist entry '10.0.0.0/': the prefix length is out of range" },
                { "server", "blacknets=::1/127",
                  "Invalid blacknets entry '::1/127': host bits are set after the prefix length" },
                { "server", "blacklist=192.0.2.1 . 0",
                  "Invalid blacklist entry '192.0.2.1 . 0': the port after ' . ' is 1 to 65535" },
                { "router", "wan=", "Invalid device '': an interface name has 1 to 15 characters" },
                { "harden", "rp_filter=3", "Invalid rp_filter 3: expected 1 to 2" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(preset_plan_clear) PresetPlan plan = {};
                _cleanup_free_ char *why = NULL;
                const char *settings[] = { cases[i].setting, streq(cases[i].preset, "router") ? "lan=lan0" : NULL,
                                           NULL };
                assert_int_equal(plan_from(cases[i].preset, settings, &plan, &why), -EINVAL);
                assert_string_equal(why, cases[i].why);
        }
}

static void test_changes(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan plan = {};
        _cleanup_free_ char *why = NULL, *all = NULL, *none = NULL, *sets = NULL, *rebuild = NULL;
        _cleanup_(json_decrefp) json_t *listing = NULL;
        char text[2048];

        assert_int_equal(
                plan_from("router", (const char *[]){ "wan=wan0", "lan=lan0", "masquerade=false", NULL }, &plan, &why),
                0);
        assert_int_equal(plan.n_sysctls, 2);
        assert_string_equal(plan.sysctls[0].name, "net.ipv4.ip_forward");
        assert_string_equal(plan.sysctls[0].value, "1");
        assert_int_equal(preset_changes(&plan, NULL, &all), 0);
        assert_non_null(strstr(all, "add table inet nftbus_router\n"));
        assert_non_null(strstr(all, "flush chain inet nftbus_router postrouting\n"));

        /* the kernel as the plan says: nothing to do */
        snprintf(text, sizeof(text),
                 "{\"nftables\": [{\"table\": {\"family\": \"inet\", \"name\": \"nftbus_router\"}},"
                 "{\"chain\": {\"name\": \"forward\", \"policy\": \"drop\"}},"
                 "{\"chain\": {\"name\": \"postrouting\", \"policy\": \"accept\"}},"
                 "{\"rule\": {\"chain\": \"forward\", \"comment\": \"%s\"}},"
                 "{\"rule\": {\"chain\": \"forward\", \"comment\": \"%s\"}},"
                 "{\"rule\": {\"chain\": \"forward\", \"comment\": \"%s\"}},"
                 "{\"rule\": {\"chain\": \"forward\", \"comment\": \"%s\"}}]}",
                 plan.marker, plan.marker, plan.marker, plan.marker);
        listing = json_loads(text, 0, NULL);
        assert_non_null(listing);
        assert_int_equal(preset_changes(&plan, listing, &none), 0);
        assert_string_equal(none, "");

        /* a rule too many (someone else's), or another policy: the chains are rebuilt */
        json_array_append_new(json_object_get(listing, "nftables"),
                              json_pack("{s:{s:s}}", "rule", "chain", "postrouting"));
        assert_int_equal(preset_changes(&plan, listing, &rebuild), 0);
        assert_string_equal(rebuild, all);
}

static void test_set_changes(void **state)
{
        _cleanup_(preset_plan_clear) PresetPlan plan = {};
        _cleanup_free_ char *why = NULL, *text = NULL;
        _cleanup_(json_decrefp) json_t *listing = NULL;
        json_t *items;

        assert_int_equal(plan_from("server",
                                   (const char *[]){ "blacklist=192.0.2.1,192.0.2.2 . 22", "blacklist_timeout=60",
                                                     "blacknets=10.0.0.0/8", NULL },
                                   &plan, &why),
                         0);
        /* the shape matches; blacklist_v4 holds another address; blacknets_v4 what it should */
        listing = json_pack("{s:[{s:{s:s,s:s}},{s:{s:s,s:s}}]}", "nftables", "chain", "name", "input", "policy",
                            "drop", "chain", "name", "output", "policy", "accept");
        items = json_object_get(listing, "nftables");
        for (size_t i = 0; i < plan.chains[0].n_rules; i++)
                json_array_append_new(items,
                                      json_pack("{s:{s:s,s:s}}", "rule", "chain", "input", "comment", plan.marker));
        json_array_append_new(items, json_pack("{s:{s:s,s:[{s:{s:s,s:i,s:i}}]}}", "set", "name", "blacklist_v4",
                                               "elem", "elem", "val", "192.0.2.9", "timeout", 60, "expires", 12));
        json_array_append_new(items, json_pack("{s:{s:s,s:[{s:{s:s,s:i}}]}}", "set", "name", "blacknets_v4", "elem",
                                               "prefix", "addr", "10.0.0.0", "len", 8));
        json_array_append_new(items,
                              json_pack("{s:{s:s,s:[{s:{s:{s:[s,i]},s:i}}]}}", "set", "name", "blacklist_ports_v4",
                                        "elem", "elem", "val", "concat", "192.0.2.2", 22, "timeout", 60));
        for (const char *const *n = (const char *const[]){ "whitelist_v4", "whitelist_v6", "blacknets_v6",
                                                           "blacklist_v6", "blacklist_ports_v6", NULL };
             *n; n++)
                json_array_append_new(items, json_pack("{s:{s:s}}", "set", "name", *n));
        assert_int_equal(preset_changes(&plan, listing, &text), 0);
        assert_string_equal(text, "flush set inet nftbus_server blacklist_v4\n"
                                  "add element inet nftbus_server blacklist_v4 { 192.0.2.1 timeout 60s }\n");
}

static void test_element_text(void **state)
{
        static const struct {
                const char *json, *text;
        } cases[] = {
                { "\"192.0.2.1\"", "192.0.2.1" },
                { "22", "22" },
                { "{\"prefix\": {\"addr\": \"2001:db8::\", \"len\": 32}}", "2001:db8::/32" },
                { "{\"range\": [\"10.0.0.1\", \"10.0.0.9\"]}", "10.0.0.1-10.0.0.9" },
                { "{\"elem\": {\"val\": {\"concat\": [\"192.0.2.2\", 22]}, \"timeout\": 60, \"expires\": "
                  "3}}",
                  "192.0.2.2 . 22 timeout 60s" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(json_decrefp) json_t *j = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
                _cleanup_free_ char *text = preset_element_text(j);
                assert_non_null(text);
                assert_string_equal(text, cases[i].text);
        }
        _cleanup_(json_decrefp) json_t *other = json_pack("{s:i}", "what", 1);
        assert_null(preset_element_text(other));
}

TAP_MAIN(cmocka_unit_test(test_nftfw_lists), cmocka_unit_test(test_services_from_and_per_source),
         cmocka_unit_test(test_services), cmocka_unit_test(test_marker), cmocka_unit_test(test_lists),
         cmocka_unit_test(test_refusals), cmocka_unit_test(test_changes), cmocka_unit_test(test_set_changes),
         cmocka_unit_test(test_element_text))
