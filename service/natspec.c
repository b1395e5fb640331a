/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natspec.h"
#include "util.h"
#include "validate.h"

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
        free(e->out_interface);
        free(e->in_interface);
        free(e->source);
        free(e->destination);
        free(e->protocol);
        free(e->to_address);
        free(e->family);
        *e = (NatEntry){};
}

static int set_string(char **field, const char *value)
{
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

int nat_set_interface(char **field, const char *what, const char *value, char **ret_why)
{
        if (validate_ifname(value, NULL) < 0)
                return why_value(
                        ret_why,
                        "Invalid %s '%s': an interface name has 1 to 15 letters, digits, '_', '.', '-', "
                        "'@' or '+'",
                        what, value);
        return set_string(field, value);
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
                        return why_value(ret_why, "Invalid %s '%s': a prefix length follows '/'", what,
                                         value);
                len = strtoul(slash + 1, &end, 10);
                if (*end || len > (family == 4 ? 32u : 128u) || (slash[1] == '0' && slash[2]))
                        return why_value(ret_why, "Invalid %s '%s': the prefix length is out of range", what,
                                         value);
                snprintf(text + strlen(text), sizeof(text) - strlen(text), "/%lu", len);
        }
        return set_string(field, text);
}

int nat_set_protocol(NatEntry *e, const char *value, char **ret_why)
{
        if (!streq(value, "tcp") && !streq(value, "udp"))
                return why_value(ret_why, "Invalid %s '%s': expected tcp or udp", "protocol", value);
        return set_string(&e->protocol, value);
}

int nat_set_port(uint16_t *field, const char *what, uint32_t value, bool zero_allowed, char **ret_why)
{
        if ((value == 0 && !zero_allowed) || value > 65535)
                return why(ret_why, "Invalid %s %u: expected 1 to 65535", what, value);
        *field = (uint16_t) value;
        return 0;
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
                return why(ret_why, "A port needs a protocol: tcp or udp");
        if (e->protocol && !e->port && e->kind == NAT_DESTINATION)
                return why(ret_why,
                           "A protocol without a port matches nothing more than no protocol: give the port");
        if (e->to_port && !e->port)
                return why(ret_why, "to_port needs the port it replaces");
        free(e->family);
        e->family = NULL;
        if (family)
                return set_string(&e->family, family == 6 ? "ipv6" : "ipv4");
        return 0;
}

/* key=value pairs, in this order */
#define SPEC_FIELDS(e)                                                                                      \
        { "family", (e)->family }, { "iif", (e)->in_interface }, { "oif", (e)->out_interface },             \
                { "src", (e)->source }, { "dst", (e)->destination }, { "proto", (e)->protocol },            \
        {                                                                                                   \
                "to", (e)->to_address                                                                       \
        }

int nat_entry_spec(const NatEntry *e, char **ret_spec)
{
        const struct {
                const char *key, *value;
        } fields[] = { SPEC_FIELDS(e) };
        char spec[256];
        size_t n;

        n = (size_t) snprintf(spec, sizeof(spec), "%s", nat_kind_to_string(e->kind));
        for (size_t i = 0; i < ELEMENTSOF(fields) && n < sizeof(spec); i++) {
                if (fields[i].value)
                        n += (size_t) snprintf(spec + n, sizeof(spec) - n, " %s=%s", fields[i].key,
                                               fields[i].value);
                if (streq(fields[i].key, "proto") && e->port && n < sizeof(spec))
                        n += (size_t) snprintf(spec + n, sizeof(spec) - n, " port=%u", e->port);
        }
        if (e->to_port && n < sizeof(spec))
                n += (size_t) snprintf(spec + n, sizeof(spec) - n, " to_port=%u", e->to_port);
        /* the kernel keeps a rule comment of at most 128 bytes with its NUL */
        if (n > 127)
                return -E2BIG;
        return (*ret_spec = strdup(spec)) ? 0 : -ENOMEM;
}

void nat_spec_id(const char *spec, char ret_id[static 9])
{
        /* FNV-1a: stable across versions and machines, which is all an id needs */
        uint32_t h = 2166136261u;

        for (const unsigned char *p = (const unsigned char *) spec; *p; p++)
                h = (h ^ *p) * 16777619u;
        snprintf(ret_id, 9, "%08x", h);
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
                char *eq = strchr(word, '=');
                const char *value;
                char *end;
                unsigned long port;

                if (!eq)
                        return nat_entry_clear(&e), -EINVAL;
                *eq = '\0';
                value = eq + 1;
                if (streq(word, "family") && (streq(value, "ipv4") || streq(value, "ipv6")))
                        r = set_string(&e.family, value);
                else if (streq(word, "iif"))
                        r = nat_set_interface(&e.in_interface, "in_interface", value, NULL);
                else if (streq(word, "oif"))
                        r = nat_set_interface(&e.out_interface, "out_interface", value, NULL);
                else if (streq(word, "src"))
                        r = nat_set_address(&e.source, "source", value, true, NULL);
                else if (streq(word, "dst"))
                        r = nat_set_address(&e.destination, "destination", value, false, NULL);
                else if (streq(word, "to"))
                        r = nat_set_address(&e.to_address, "to_address", value, false, NULL);
                else if (streq(word, "proto"))
                        r = nat_set_protocol(&e, value, NULL);
                else if (streq(word, "port") || streq(word, "to_port")) {
                        port = strtoul(value, &end, 10);
                        r = *end || !*value
                                    ? -EINVAL
                                    : nat_set_port(streq(word, "port") ? &e.port : &e.to_port, word,
                                                   (uint32_t) (port > 65535 ? 65536 : port), false, NULL);
                } else
                        r = -EINVAL;
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
               "add chain inet " NAT_TABLE
               " prerouting { type nat hook prerouting priority dstnat; policy accept; }\n"
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

int nat_entry_commands(const NatEntry *e, const char *spec, char **ret_text)
{
        _cleanup_free_ char *match = NULL, *text = NULL;
        char to[INET6_ADDRSTRLEN + 16], port[32] = "";
        const char *prefix = "add rule inet " NAT_TABLE;
        int r = 0;

        /* the packet's side: interface, family, addresses, port; only validated values get here */
        if (e->port)
                snprintf(port, sizeof(port), " %s dport %u", e->protocol, e->port);
        r = asprintf(&match, "%s%s%s%s%s%s%s%s%s%s%s", e->in_interface ? " iifname \"" : "",
                     e->in_interface ? e->in_interface : "", e->in_interface ? "\"" : "",
                     e->out_interface ? " oifname \"" : "", e->out_interface ? e->out_interface : "",
                     e->out_interface ? "\"" : "",
                     e->family && !e->source && !e->destination && !e->to_address
                             ? (streq(e->family, "ipv6") ? " meta nfproto ipv6" : " meta nfproto ipv4")
                             : "",
                     e->source ? (address_family(e->source) == 6 ? " ip6 saddr " : " ip saddr ") : "",
                     e->source ? e->source : "",
                     e->destination ? (address_family(e->destination) == 6 ? " ip6 daddr " : " ip daddr ")
                                    : "",
                     e->destination ? e->destination : "");
        if (r < 0)
                return -ENOMEM;

        switch (e->kind) {
        case NAT_MASQUERADE:
                r = asprintf(&text, "%s postrouting%s masquerade comment \"%s\"\n", prefix, match, spec);
                break;
        case NAT_SOURCE:
                r = asprintf(&text, "%s postrouting%s snat %s to %s comment \"%s\"\n", prefix, match,
                             ip_of(e->to_address), e->to_address, spec);
                break;
        case NAT_PORT_FORWARD:
        case NAT_DESTINATION:
                to_text(e->to_address, e->to_port, to, sizeof(to));
                r = asprintf(&text, "%s prerouting%s%s dnat %s to %s comment \"%s\"\n", prefix, match, port,
                             ip_of(e->to_address), to, spec);
                break;
        case NAT_REDIRECT:
                r = asprintf(&text, "%s prerouting%s%s redirect to :%u comment \"%s\"\n", prefix, match,
                             port, e->to_port ? e->to_port : e->port, spec);
                break;
        case NAT_STATIC:
                /* public <-> private: in by the public destination, out by the private source */
                r = asprintf(&text,
                             "%s prerouting %s daddr %s dnat %s to %s comment \"%s\"\n"
                             "%s postrouting %s saddr %s snat %s to %s comment \"%s\"\n",
                             prefix, ip_of(e->destination), e->destination, ip_of(e->to_address),
                             e->to_address, spec, prefix, ip_of(e->to_address), e->to_address,
                             ip_of(e->destination), e->destination, spec);
                break;
        default:
                return -EINVAL;
        }
        if (r < 0)
                return -ENOMEM;
        *ret_text = TAKE_PTR(text);
        return 0;
}
