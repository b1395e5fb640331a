/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/natspec.h"
#include "common/util.h"
#include "common/validate.h"

static const char *const kind_names[_NAT_KIND_MAX] = {
        [NAT_MASQUERADE] = "masquerade", [NAT_PORT_FORWARD] = "port-forward",
        [NAT_SOURCE] = "snat",           [NAT_DESTINATION] = "dnat",
        [NAT_STATIC] = "static",         [NAT_REDIRECT] = "redirect",
};

const char *nat_kind_to_string(NatKind k)
{
        return k < _NAT_KIND_MAX ? kind_names[k] : NULL;
}

void nat_entry_clear(NatEntry *e)
{
        FREE_MANY(e->out_interface, e->in_interface, e->source, e->destination, e->protocol, e->to_address, e->family);
        *e = (NatEntry){};
}

int nat_set_interface(char **field, const char *what, const char *value, char **ret_why)
{
        if (validate_ifname(value, NULL) < 0)
                return why_value(ret_why,
                                 "Invalid %s '%s': an interface name has 1 to 15 letters, digits, '_', '.', '-', "
                                 "'@' or '+'",
                                 what, value);
        return free_and_strdup(field, value);
}

/* 4 or 6 for an address as inet_pton reads it; the normalised text in buf */
static int parse_address(const char *s, char *buf, size_t size)
{
        unsigned char bytes[16];

        if (inet_pton(AF_INET, s, bytes) == 1)
                return inet_ntop(AF_INET, bytes, buf, (socklen_t) size) ? 4 : -EINVAL;
        if (inet_pton(AF_INET6, s, bytes) == 1)
                return inet_ntop(AF_INET6, bytes, buf, (socklen_t) size) ? 6 : -EINVAL;
        return -EINVAL;
}

static int address_family(const char *s)
{
        return strchr(s, ':') ? 6 : 4;
}

/* A prefix as its network: 10.1.2.3/16 is 10.1.0.0/16, which is what the kernel matches. */
static void mask_host_bits(char *text, int family, unsigned len)
{
        unsigned char bytes[16];
        size_t size = family == 4 ? 4 : 16;
        char buf[INET6_ADDRSTRLEN];

        if (inet_pton(family == 4 ? AF_INET : AF_INET6, text, bytes) != 1)
                return;
        for (size_t i = 0; i < size; i++) {
                unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * (unsigned) i : 0;
                bytes[i] &= (unsigned char) (0xff00u >> keep);
        }
        if (inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes, buf, sizeof(buf)))
                strcpy(text, buf);
}

int nat_set_address(char **field, const char *what, const char *value, bool prefix_allowed, char **ret_why)
{
        char addr[INET6_ADDRSTRLEN + 8], text[INET6_ADDRSTRLEN + 8];
        const char *slash = strchr(value, '/');
        unsigned long len = 0;
        int family;

        if (strlen(value) >= sizeof(addr))
                return why_value(ret_why, "Invalid %s '%s': expected an IPv4 or IPv6 address", what, value);
        snprintf(addr, sizeof(addr), "%.*s", slash ? (int) (slash - value) : (int) strlen(value), value);
        family = parse_address(addr, text, sizeof(text));
        if (family < 0)
                return why_value(ret_why, "Invalid %s '%s': expected an IPv4 or IPv6 address", what, value);
        if (slash) {
                char *end;
                if (!prefix_allowed)
                        return why_value(ret_why, "Invalid %s '%s': one address, not a prefix", what, value);
                if (slash[1] < '0' || slash[1] > '9')
                        return why_value(ret_why, "Invalid %s '%s': a prefix length follows '/'", what, value);
                len = strtoul(slash + 1, &end, 10);
                if (*end || len > (family == 4 ? 32u : 128u) || (slash[1] == '0' && slash[2]))
                        return why_value(ret_why, "Invalid %s '%s': the prefix length is out of range", what, value);
                mask_host_bits(text, family, (unsigned) len);
                snprintf(text + strlen(text), sizeof(text) - strlen(text), "/%lu", len);
        }
        return free_and_strdup(field, text);
}

int nat_set_protocol(NatEntry *e, const char *value, char **ret_why)
{
        if (!streq(value, "tcp") && !streq(value, "udp") && !streq(value, "sctp") && !streq(value, "udplite"))
                return why_value(ret_why, "Invalid %s '%s': expected tcp, udp, sctp or udplite", "protocol", value);
        return free_and_strdup(&e->protocol, value);
}

int nat_set_port(uint16_t *field, const char *what, uint32_t value, bool zero_allowed, char **ret_why)
{
        if ((value == 0 && !zero_allowed) || value > 65535)
                return why(ret_why, "Invalid %s %u: expected 1 to 65535", what, value);
        *field = (uint16_t) value;
        return 0;
}

int nat_set_port_last(NatEntry *e, uint32_t value, char **ret_why)
{
        if (value == 0)
                return 0;
        if (!e->port)
                return why(ret_why, "port_last ends a range that starts at port: give the port");
        if (value <= e->port || value > 65535)
                return why(ret_why, "Invalid port_last %u: expected %u to 65535, above the port", value, e->port + 1u);
        e->port_last = (uint16_t) value;
        return 0;
}

static unsigned prefix_length(const char *address)
{
        const char *slash = address ? strchr(address, '/') : NULL;

        if (!address)
                return 0;
        return slash ? (unsigned) strtoul(slash + 1, NULL, 10) : address_family(address) == 6 ? 128 : 32;
}

int nat_entry_check(NatEntry *e, char **ret_why)
{
        const char *addresses[] = { e->source, e->destination, e->to_address };
        int family = e->family ? (streq(e->family, "ipv6") ? 6 : 4) : 0;

        for (size_t i = 0; i < ELEMENTSOF(addresses); i++) {
                if (!addresses[i])
                        continue;
                if (family && address_family(addresses[i]) != family)
                        return why(ret_why, "The addresses must all be IPv4 or all IPv6");
                family = address_family(addresses[i]);
        }
        if ((e->port || e->to_port) && !e->protocol)
                return why(ret_why, "A port needs a protocol: tcp, udp, sctp or udplite");
        if (e->kind == NAT_STATIC && prefix_length(e->destination) != prefix_length(e->to_address))
                return why(ret_why,
                           "public %s and private %s differ in length: a static NAT maps an address onto an address, "
                           "a prefix onto a prefix of the same length",
                           e->destination, e->to_address);
        free(e->family);
        e->family = NULL;
        if (family)
                return free_and_strdup(&e->family, family == 6 ? "ipv6" : "ipv4");
        return 0;
}

/* The fields of a spec, in the order it writes them, with their names on the bus. */
#define FIELD(key, name, type, member)                                                                                \
        {                                                                                                             \
                key, name, type, offsetof(NatEntry, member)                                                           \
        }
const NatField nat_fields[] = {
        FIELD("family", "family", NAT_FIELD_FAMILY, family),
        FIELD("iif", "in_interface", NAT_FIELD_INTERFACE, in_interface),
        FIELD("oif", "out_interface", NAT_FIELD_INTERFACE, out_interface),
        FIELD("src", "source", NAT_FIELD_PREFIX, source),
        FIELD("dst", "destination", NAT_FIELD_PREFIX, destination),
        FIELD("proto", "protocol", NAT_FIELD_PROTOCOL, protocol),
        FIELD("port", "port", NAT_FIELD_PORTS, port),
        FIELD("to", "to_address", NAT_FIELD_PREFIX, to_address),
        FIELD("to_port", "to_port", NAT_FIELD_PORT, to_port),
};
const size_t nat_fields_count = ELEMENTSOF(nat_fields);

bool nat_field_is_port(const NatField *f)
{
        return f->type == NAT_FIELD_PORT || f->type == NAT_FIELD_PORTS;
}

char **nat_field_string(const NatEntry *e, const NatField *f)
{
        return (char **) ((const char *) e + f->offset);
}

uint16_t *nat_field_port(const NatEntry *e, const NatField *f)
{
        return (uint16_t *) ((const char *) e + f->offset);
}

int nat_entry_spec(const NatEntry *e, char **ret_spec)
{
        char spec[256];
        size_t n;

        n = (size_t) snprintf(spec, sizeof(spec), "%s", nat_kind_to_string(e->kind));
        for (size_t i = 0; i < nat_fields_count && n < sizeof(spec); i++) {
                const NatField *f = &nat_fields[i];
                if (f->type == NAT_FIELD_PORTS && e->port_last)
                        n += (size_t) snprintf(spec + n, sizeof(spec) - n, " %s=%u-%u", f->key, e->port, e->port_last);
                else if (nat_field_is_port(f) && *nat_field_port(e, f))
                        n += (size_t) snprintf(spec + n, sizeof(spec) - n, " %s=%u", f->key, *nat_field_port(e, f));
                else if (!nat_field_is_port(f) && *nat_field_string(e, f))
                        n += (size_t) snprintf(spec + n, sizeof(spec) - n, " %s=%s", f->key, *nat_field_string(e, f));
        }
        /* the kernel keeps a rule comment of at most 128 bytes with its NUL */
        if (n > 127)
                return -E2BIG;
        return (*ret_spec = strdup(spec)) ? 0 : -ENOMEM;
}

void nat_spec_id(const char *spec, char ret_id[static 9])
{
        snprintf(ret_id, 9, "%08x", fnv1a32(FNV1A32_BASIS, spec, strlen(spec)));
}

int nat_spec_parse(const char *spec, NatEntry *ret)
{
        _cleanup_free_ char *copy = strdup(spec);
        NatEntry e = {};
        char *p, *word;
        int kind = -1, r = 0;

        if (!copy)
                return -ENOMEM;
        p = copy;
        word = strsep(&p, " ");
        for (int k = 0; k < _NAT_KIND_MAX; k++)
                if (streq(word, kind_names[k]))
                        kind = k;
        if (kind < 0)
                return -EINVAL;
        e.kind = (NatKind) kind;
        while (r >= 0 && (word = strsep(&p, " "))) {
                char *eq = strchr(word, '='), *end;
                const NatField *f = NULL;
                const char *value;
                unsigned long port;

                if (!eq) {
                        r = -EINVAL;
                        break;
                }
                *eq = '\0';
                value = eq + 1;
                for (size_t i = 0; i < nat_fields_count; i++)
                        if (streq(word, nat_fields[i].key))
                                f = &nat_fields[i];
                if (!f) {
                        r = -EINVAL;
                        break;
                }
                switch (f->type) {
                case NAT_FIELD_FAMILY:
                        r = streq(value, "ipv4") || streq(value, "ipv6")
                                    ? free_and_strdup(nat_field_string(&e, f), value)
                                    : -EINVAL;
                        break;
                case NAT_FIELD_INTERFACE:
                        r = nat_set_interface(nat_field_string(&e, f), f->name, value, NULL);
                        break;
                case NAT_FIELD_PREFIX:
                        r = nat_set_address(nat_field_string(&e, f), f->name, value, true, NULL);
                        break;
                case NAT_FIELD_PROTOCOL:
                        r = nat_set_protocol(&e, value, NULL);
                        break;
                case NAT_FIELD_PORT:
                case NAT_FIELD_PORTS:
                        port = strtoul(value, &end, 10);
                        r = (*end && (*end != '-' || f->type != NAT_FIELD_PORTS)) || !*value
                                    ? -EINVAL
                                    : nat_set_port(nat_field_port(&e, f), f->name,
                                                   (uint32_t) (port > 65535 ? 65536 : port), false, NULL);
                        if (r >= 0 && *end == '-') {
                                const char *last = end + 1;
                                port = strtoul(last, &end, 10);
                                r = *end || !*last || *last < '0' || *last > '9'
                                            ? -EINVAL
                                            : nat_set_port_last(&e, (uint32_t) (port > 65535 ? 65536 : port), NULL);
                        }
                        break;
                }
        }
        if (r < 0) {
                nat_entry_clear(&e);
                return r;
        }
        *ret = e;
        return 0;
}

const char *nat_setup_commands(void)
{
        return "add table inet " NAT_TABLE "\n"
               "add chain inet " NAT_TABLE " prerouting { type nat hook prerouting priority dstnat; policy accept; }\n"
               "add chain inet " NAT_TABLE
               " postrouting { type nat hook postrouting priority srcnat; policy accept; }\n";
}

/* "ip" or "ip6" for an address */
static const char *ip_of(const char *address)
{
        return address_family(address) == 6 ? "ip6" : "ip";
}

/* An address with a port in nat's syntax: 192.0.2.1:80, [2001:db8::1]:80 */
static void to_text(const char *address, uint16_t port, char *buf, size_t size)
{
        if (!port)
                snprintf(buf, size, "%s", address);
        else if (address_family(address) == 6)
                snprintf(buf, size, "[%s]:%u", address, port);
        else
                snprintf(buf, size, "%s:%u", address, port);
}

/* The packet's side of a rule: interfaces, family, addresses, port; only validated values get here. */
static char *match_text(const NatEntry *e)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        if (e->in_interface)
                fprintf(f, " iifname \"%s\"", e->in_interface);
        if (e->out_interface)
                fprintf(f, " oifname \"%s\"", e->out_interface);
        /* an address says the family itself */
        if (e->family && !e->source && !e->destination && !e->to_address)
                fprintf(f, " meta nfproto %s", e->family);
        if (e->source)
                fprintf(f, " %s saddr %s", ip_of(e->source), e->source);
        if (e->destination)
                fprintf(f, " %s daddr %s", ip_of(e->destination), e->destination);
        if (e->port_last)
                fprintf(f, " %s dport %u-%u", e->protocol, e->port, e->port_last);
        else if (e->port)
                fprintf(f, " %s dport %u", e->protocol, e->port);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

unsigned nat_entry_rank(const NatEntry *e, const char *chain)
{
        bool pre = streq(chain, "prerouting");
        unsigned bits, ports = e->port_last ? 1 : e->port ? 2 : 0;

        if (e->kind == NAT_STATIC) /* in by the public destination, out by the private source */
                bits = prefix_length(pre ? e->destination : e->to_address);
        else
                bits = prefix_length(e->source) + prefix_length(e->destination);
        return bits * 64 + ports * 8 + (e->protocol ? 4 : 0) + (e->in_interface ? 1 : 0) + (e->out_interface ? 1 : 0);
}

/* "add rule inet nftbus_nat CHAIN" or, before the first less specific entry of rules,
 * "insert rule inet nftbus_nat CHAIN position H" */
static void rule_start(FILE *f, const NatEntry *e, const char *chain, const NatRule *rules, size_t n)
{
        unsigned rank = nat_entry_rank(e, chain);

        for (size_t i = 0; i < n; i++) {
                _cleanup_(nat_entry_clear) NatEntry other = {};
                if (!streq(rules[i].chain, chain) || nat_spec_parse(rules[i].spec, &other) < 0)
                        continue;
                if (nat_entry_rank(&other, chain) < rank) {
                        fprintf(f, "insert rule inet " NAT_TABLE " %s position %" PRIu64, chain, rules[i].handle);
                        return;
                }
        }
        fprintf(f, "add rule inet " NAT_TABLE " %s", chain);
}

/* A static NAT's rule in one direction: "dnat ip to 10.0.0.10", or a prefix mapped onto a prefix */
static void static_rule(FILE *f, const char *match, const char *from, const char *to, const char *nat)
{
        const char *ip = ip_of(from);

        if (strchr(from, '/'))
                fprintf(f, " %s %s %s %s %s prefix to %s %s map { %s : %s }", ip, match, from, nat, ip, ip, match,
                        from, to);
        else
                fprintf(f, " %s %s %s %s %s to %s", ip, match, from, nat, ip, to);
}

int nat_entry_commands(const NatEntry *e, const char *spec, const NatRule *rules, size_t n, char **ret_text)
{
        _cleanup_free_ char *match = match_text(e), *text = NULL;
        char to[INET6_ADDRSTRLEN + 16];
        size_t size = 0;
        FILE *f;

        if (!match)
                return -ENOMEM;
        if ((unsigned) e->kind >= _NAT_KIND_MAX)
                return -EINVAL;
        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        switch (e->kind) {
        case NAT_MASQUERADE:
                rule_start(f, e, "postrouting", rules, n);
                fprintf(f, "%s masquerade", match);
                break;
        case NAT_SOURCE:
                rule_start(f, e, "postrouting", rules, n);
                fprintf(f, "%s snat %s to %s", match, ip_of(e->to_address), e->to_address);
                break;
        case NAT_PORT_FORWARD:
        case NAT_DESTINATION:
                to_text(e->to_address, e->to_port, to, sizeof(to));
                rule_start(f, e, "prerouting", rules, n);
                fprintf(f, "%s dnat %s to %s", match, ip_of(e->to_address), to);
                break;
        case NAT_REDIRECT:
                rule_start(f, e, "prerouting", rules, n);
                if (e->to_port || !e->port_last)
                        fprintf(f, "%s redirect to :%u", match, e->to_port ? e->to_port : e->port);
                else /* a range, each port to itself */
                        fprintf(f, "%s redirect", match);
                break;
        case NAT_STATIC:
                rule_start(f, e, "prerouting", rules, n);
                static_rule(f, "daddr", e->destination, e->to_address, "dnat");
                fprintf(f, " comment \"%s\"\n", spec);
                rule_start(f, e, "postrouting", rules, n);
                static_rule(f, "saddr", e->to_address, e->destination, "snat");
                break;
        default:
                break;
        }
        fprintf(f, " comment \"%s\"\n", spec);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_text = TAKE_PTR(text);
        return 0;
}

int nat_rules_of(const json_t *listing, NatRule **ret, size_t *ret_n)
{
        json_t *items = json_object_get(listing, "nftables"), *item;
        NatRule *rules = calloc(json_array_size(items) + 1, sizeof(NatRule));
        size_t i, n = 0;

        if (!rules)
                return -ENOMEM;
        json_array_foreach (items, i, item) {
                json_t *rule = json_object_get(item, "rule");
                const char *chain = json_string_value(json_object_get(rule, "chain"));
                const char *comment = json_string_value(json_object_get(rule, "comment"));
                if (!rule || !chain || !comment || strlen(chain) >= sizeof(rules[n].chain))
                        continue;
                snprintf(rules[n].chain, sizeof(rules[n].chain), "%s", chain);
                rules[n].handle = (uint64_t) json_integer_value(json_object_get(rule, "handle"));
                rules[n].spec = comment;
                n++;
        }
        *ret = rules;
        *ret_n = n;
        return 0;
}

int nat_delete_commands(const NatRule *rules, size_t n, const char *id, char **ret)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f = NULL;

        for (size_t i = 0; i < n; i++) {
                char rule_id[9];
                nat_spec_id(rules[i].spec, rule_id);
                if (!streq(rule_id, id))
                        continue;
                if (!f && !(f = open_memstream(&text, &size)))
                        return -ENOMEM;
                fprintf(f, "delete rule inet %s %s handle %" PRIu64 "\n", NAT_TABLE, rules[i].chain, rules[i].handle);
        }
        if (f && fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(text);
        return 0;
}
