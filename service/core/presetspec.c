/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/presetspec.h"
#include "common/util.h"
#include "common/validate.h"

/* ---- building a plan ---- */

/* A set of the plan; NULL when the plan has PRESET_SETS_MAX already. */
static PresetSet *plan_set(PresetPlan *plan, const char *name, const char *definition)
{
        PresetSet *s;

        if (plan->n_sets >= PRESET_SETS_MAX)
                return NULL;
        s = &plan->sets[plan->n_sets++];
        *s = (PresetSet){};
        snprintf(s->name, sizeof(s->name), "%s", name);
        snprintf(s->definition, sizeof(s->definition), "%s", definition);
        return s;
}

static PresetChain *plan_chain(PresetPlan *plan, const char *name, const char *definition, const char *policy)
{
        PresetChain *ch = &plan->chains[plan->n_chains++];
        *ch = (PresetChain){ .name = name, .definition = definition, .policy = policy };
        return ch;
}

__attribute__((format(printf, 2, 3))) static int chain_rule(PresetChain *ch, const char *fmt, ...)
{
        char *rule;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&rule, fmt, ap);
        va_end(ap);
        return strv_push(&ch->rules, &ch->n_rules, r < 0 ? NULL : rule);
}

/* the rules of one of nftfw's lists: its sets of addresses and, with ports, of address . port */
static int list_rules(PresetChain *ch, const char *list, bool ports, const char *verdict)
{
        /* each match: the words before the list's name, and the set's suffix */
        static const char *const matches[][2] = {
                { "ip saddr @", "_v4" },
                { "ip6 saddr @", "_v6" },
                { "meta l4proto { tcp, udp } ip saddr . th dport @", "_ports_v4" },
                { "meta l4proto { tcp, udp } ip6 saddr . th dport @", "_ports_v6" },
        };
        int r = 0;

        for (size_t i = 0; r >= 0 && i < (ports ? 4 : 2); i++)
                r = chain_rule(ch, "%s%s%s counter %s", matches[i][0], list, matches[i][1], verdict);
        return r;
}

static void plan_sysctl(PresetPlan *plan, const char *name, uint32_t value)
{
        PresetSysctl *s = &plan->sysctls[plan->n_sysctls++];
        s->name = name;
        snprintf(s->value, sizeof(s->value), "%u", value);
}

/* ---- services: "ssh", "domain", "8080", "6000-6010/tcp", "ntp/udp", then "limit 10/minute", "log" ---- */

typedef struct Service {
        char name[33]; /* as given, for the log prefix */
        uint16_t from, to;
        bool tcp, udp;
        char rate[32];
        bool per_source; /* the rate is each source address's (a dynamic set, as nft's meters) */
        bool log;
        char *peers_v4, *peers_v6; /* "from"/"to" addresses as nft set text ("10.0.1.0/24, 192.0.2.5"), or NULL */
} Service;

static void service_done(Service *s)
{
        free(s->peers_v4);
        free(s->peers_v6);
}

/* A decimal number in [s, end) up to max, without leading zeros. */
static int parse_decimal(const char *s, const char *end, unsigned max, unsigned *ret)
{
        uint64_t v = 0;

        if (s == end || end - s > 10 || (*s == '0' && end - s > 1))
                return -EINVAL;
        for (; s < end; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (uint64_t) (*s - '0');
        }
        if (v > max)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static int parse_port(const char *s, const char *end, uint16_t *ret)
{
        unsigned v;

        if (parse_decimal(s, end, 65535, &v) < 0 || v == 0)
                return -EINVAL;
        *ret = (uint16_t) v;
        return 0;
}

static int parse_rate(const char *text, char *rate, size_t size)
{
        const char *slash = strchr(text, '/');
        uint16_t n;

        if (!slash || parse_port(text, slash, &n) < 0 || limit_per_seconds(slash + 1) == 0 || streq(slash + 1, "week"))
                return -EINVAL;
        snprintf(rate, size, "%u/%s", n, slash + 1);
        return 0;
}

/* ---- address lists ---- */

typedef struct Address {
        int family; /* 4 or 6 */
        uint8_t bytes[16];
        unsigned len;  /* prefix length */
        uint16_t port; /* "ADDR . PORT" entries; 0 for none */
} Address;

static size_t address_size(const Address *a)
{
        return a->family == 4 ? 4 : 16;
}

static int address_parse(const char *text, bool prefix_allowed, bool port_allowed, Address *ret, const char *what,
                         char **ret_why)
{
        char addr[INET6_ADDRSTRLEN + 1];
        const char *slash, *dot = strstr(text, " . ");
        size_t n = dot ? (size_t) (dot - text) : strlen(text);
        Address a = {};

        if (dot) {
                if (!port_allowed)
                        return why_value(ret_why, "Invalid %s entry '%s': an address or prefix, without a port", what,
                                         text);
                if (parse_port(dot + 3, dot + 3 + strlen(dot + 3), &a.port) < 0 &&
                    !service_port(dot + 3, "tcp", &a.port) && !service_port(dot + 3, "udp", &a.port))
                        return why_value(ret_why, "Invalid %s entry '%s': the port after ' . ' is 1 to 65535", what,
                                         text);
        }
        slash = memchr(text, '/', n);
        if ((slash ? (size_t) (slash - text) : n) >= sizeof(addr))
                return why_value(ret_why, "Invalid %s entry '%s': expected an IPv4 or IPv6 address", what, text);
        snprintf(addr, sizeof(addr), "%.*s", (int) (slash ? (size_t) (slash - text) : n), text);
        if (inet_pton(AF_INET, addr, a.bytes) == 1)
                a.family = 4;
        else if (inet_pton(AF_INET6, addr, a.bytes) == 1)
                a.family = 6;
        else
                return why_value(ret_why, "Invalid %s entry '%s': expected an IPv4 or IPv6 address", what, text);
        a.len = (unsigned) address_size(&a) * 8;
        if (slash) {
                unsigned len;
                if (!prefix_allowed)
                        return why_value(ret_why, "Invalid %s entry '%s': one address, not a network", what, text);
                if (parse_decimal(slash + 1, text + n, a.len, &len) < 0)
                        return why_value(ret_why, "Invalid %s entry '%s': the prefix length is out of range", what,
                                         text);
                a.len = len;
                for (unsigned bit = a.len; bit < address_size(&a) * 8; bit++)
                        if (a.bytes[bit / 8] & (0x80 >> (bit % 8)))
                                return why_value(ret_why,
                                                 "Invalid %s entry '%s': host bits are set after the prefix length",
                                                 what, text);
        }
        *ret = a;
        return 0;
}

static int address_compare(const void *x, const void *y)
{
        const Address *a = x, *b = y;
        int c;

        if (a->family != b->family)
                return a->family - b->family;
        c = memcmp(a->bytes, b->bytes, address_size(a));
        if (c != 0)
                return c;
        if (a->len != b->len)
                return (int) a->len - (int) b->len;
        return (int) a->port - (int) b->port;
}

/* address_compare(), the port first: the entries of one set of fill_sets() side by side */
static int entry_compare(const void *x, const void *y)
{
        const Address *a = x, *b = y;

        if (a->family != b->family)
                return a->family - b->family;
        if (a->port != b->port)
                return (int) a->port - (int) b->port;
        return address_compare(x, y);
}

static bool prefix_contains(const Address *outer, const Address *inner)
{
        if (outer->family != inner->family || outer->len > inner->len)
                return false;
        for (unsigned bit = 0; bit < outer->len; bit++)
                if ((outer->bytes[bit / 8] ^ inner->bytes[bit / 8]) & (0x80 >> (bit % 8)))
                        return false;
        return true;
}

static char *address_text(const Address *a, uint32_t timeout)
{
        char addr[INET6_ADDRSTRLEN], port[16] = "", len[8] = "", after[32] = "";
        char *s;

        if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->bytes, addr, sizeof(addr)))
                return NULL;
        if (a->len < address_size(a) * 8)
                snprintf(len, sizeof(len), "/%u", a->len);
        if (a->port)
                snprintf(port, sizeof(port), " . %u", a->port);
        if (timeout)
                snprintf(after, sizeof(after), " timeout %us", timeout);
        return asprintf(&s, "%s%s%s%s", addr, len, port, after) < 0 ? NULL : s;
}

/* ---- services, continued: what a service entry says, and its rules ---- */

/* The addresses after "from" (or "to") up to the next keyword, into the service's nft set texts. */
static int service_peers(Service *s, char **save, char **ret_word, const char *text, const char *peer_word,
                         char **ret_why)
{
        char *word;
        int r, n = 0;

        while ((word = strtok_r(NULL, " ", save)) && !streq(word, "limit") && !streq(word, "log") &&
               !streq(word, "per-source")) {
                _cleanup_free_ char *entry = NULL;
                char **peers;
                Address a;
                r = address_parse(word, true, false, &a, "service", ret_why);
                if (r < 0)
                        return r;
                entry = address_text(&a, 0);
                if (!entry)
                        return -ENOMEM;
                peers = a.family == 4 ? &s->peers_v4 : &s->peers_v6;
                char *grown = NULL;
                if (asprintf(&grown, "%s%s%s", *peers ? *peers : "", *peers ? ", " : "", entry) < 0)
                        return -ENOMEM;
                free(*peers);
                *peers = grown;
                n++;
        }
        if (n == 0)
                return streq(peer_word, "to")
                               ? why_value(ret_why,
                                           "Invalid %s '%s': 'to' takes addresses or networks, separated by spaces",
                                           "service", text)
                               : why_value(ret_why,
                                           "Invalid %s '%s': 'from' takes addresses or networks, separated by spaces",
                                           "service", text);
        *ret_word = word;
        return 0;
}

/* A service entry: the service, then "limit RATE [per-source]", "log", and (peer_word, "from" for what
 * comes in, "to" for what goes out) the addresses it is limited to. */
static int network_service_parse(const char *text, const char *peer_word, Service *ret, char **ret_why)
{
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL, *word, *slash, *dash;
        Service s = {};
        int r;

        if (!copy)
                return -ENOMEM;
        word = strtok_r(copy, " ", &save);
        if (!word || strlen(word) >= sizeof(s.name))
                return why_value(ret_why, "Invalid %s '%s': expected a service name or port", "service", text);
        snprintf(s.name, sizeof(s.name), "%s", word);
        slash = strchr(word, '/');
        if (slash) {
                *slash = '\0';
                if (!streq(slash + 1, "tcp") && !streq(slash + 1, "udp"))
                        return why_value(ret_why, "Invalid %s '%s': the protocol after '/' is tcp or udp", "service",
                                         text);
                s.tcp = streq(slash + 1, "tcp");
                s.udp = !s.tcp;
        }
        if (word[0] >= '0' && word[0] <= '9') {
                dash = strchr(word, '-');
                if (parse_port(word, dash ? dash : word + strlen(word), &s.from) < 0 ||
                    (dash && parse_port(dash + 1, dash + 1 + strlen(dash + 1), &s.to) < 0) || (dash && s.to <= s.from))
                        return why_value(ret_why, "Invalid %s '%s': a port is 1 to 65535, a range N-M with N < M",
                                         "service", text);
                if (!dash)
                        s.to = s.from;
                if (!slash) /* a bare port is a TCP port */
                        s.tcp = true;
        } else {
                bool named = strspn(word, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(word) && word[0] >= 'a' &&
                             word[0] <= 'z';
                uint16_t tcp_port = 0, udp_port = 0;
                bool tcp = named && (!slash || s.tcp) && service_port(word, "tcp", &tcp_port);
                bool udp = named && (!slash || s.udp) && service_port(word, "udp", &udp_port);
                if (!tcp && !udp)
                        return why_value(ret_why, "Invalid %s '%s': not a service /etc/services knows", "service",
                                         text);
                if (tcp && udp && tcp_port != udp_port)
                        return why_value(ret_why, "Invalid %s '%s': its tcp and udp ports differ; add /tcp or /udp",
                                         "service", text);
                s.tcp = tcp;
                s.udp = udp;
                s.from = s.to = tcp ? tcp_port : udp_port;
        }
        word = strtok_r(NULL, " ", &save);
        while (word) {
                if (streq(word, "log") && !s.log)
                        s.log = true;
                else if (streq(word, "limit") && !s.rate[0]) {
                        word = strtok_r(NULL, " ", &save);
                        if (!word || parse_rate(word, s.rate, sizeof(s.rate)) < 0) {
                                service_done(&s);
                                return why_value(ret_why,
                                                 "Invalid %s '%s': 'limit' takes N/second, N/minute, N/hour or N/day",
                                                 "service", text);
                        }
                } else if (streq(word, "per-source") && s.rate[0] && !s.per_source)
                        s.per_source = true;
                else if (streq(word, peer_word) && !s.peers_v4 && !s.peers_v6) {
                        r = service_peers(&s, &save, &word, text, peer_word, ret_why);
                        if (r < 0) {
                                service_done(&s);
                                return r;
                        }
                        continue; /* word is the one after the addresses */
                } else {
                        service_done(&s);
                        return streq(peer_word, "to")
                                       ? why_value(
                                                 ret_why,
                                                 "Invalid %s '%s': after the service come 'limit RATE [per-source]', "
                                                 "'log' and 'to ADDRESS...'",
                                                 "service", text)
                                       : why_value(
                                                 ret_why,
                                                 "Invalid %s '%s': after the service come 'limit RATE [per-source]', "
                                                 "'log' and 'from ADDRESS...'",
                                                 "service", text);
                }
                word = strtok_r(NULL, " ", &save);
        }
        *ret = s;
        return 0;
}

/* Seconds in the unit of a rate ("10/minute": 60): how long a source's entry of a per-source limit lasts
 * idle, after which its bucket would be full again anyway. */
static unsigned rate_period(const char *rate)
{
        return limit_per_seconds(strchr(rate, '/') + 1);
}

/* The rules of one service entry for one family (4, 6, or 0 when neither peers nor a per-source limit ask
 * for a family): "[ip saddr { PEERS }] tcp dport 22 [limit rate 3/minute | add @SET { ip saddr limit rate
 * 3/minute }] [log prefix "..."] counter accept", one per protocol. */
static int service_family_rules(PresetPlan *plan, PresetChain *ch, const char *preset, const Service *s, size_t index,
                                int family, const char *peer_match, const char *verdict, const char *tcp_verdict,
                                char **ret_why)
{
        const char *ip = family == 6 ? "ip6" : "ip", *peers = family == 6 ? s->peers_v6 : s->peers_v4;
        _cleanup_free_ char *match = NULL, *limit = NULL;
        char ports[16], log[80] = "";
        int r = 0;

        if (s->from == s->to)
                snprintf(ports, sizeof(ports), "%u", s->from);
        else
                snprintf(ports, sizeof(ports), "%u-%u", s->from, s->to);
        if (peers && asprintf(&match, "%s %s { %s } ", ip, peer_match, peers) < 0)
                return -ENOMEM;
        if (s->per_source) {
                char name[64], definition[160];
                snprintf(name, sizeof(name), "%s_%zu_v%d", "per_source", index, family);
                snprintf(definition, sizeof(definition),
                         "type %s_addr; size 65535; flags dynamic,timeout; timeout %us;",
                         family == 6 ? "ipv6" : "ipv4", rate_period(s->rate));
                PresetSet *set = plan_set(plan, name, definition);
                if (!set)
                        return why(ret_why, "Too many per-source limits: a preset holds at most %d sets",
                                   PRESET_SETS_MAX);
                set->dynamic = true;
                r = asprintf(&limit, "add @%s { %s saddr limit rate %s } ", name, ip, s->rate);
        } else if (s->rate[0])
                r = asprintf(&limit, "limit rate %s ", s->rate);
        if (r < 0)
                return -ENOMEM;
        if (s->log)
                snprintf(log, sizeof(log), "log prefix \"nftbus %s %s: \" ", preset, s->name);
        if (s->tcp)
                r = chain_rule(ch, "%stcp dport %s %s%scounter %s", strempty(match), ports, strempty(limit), log,
                               tcp_verdict);
        if (r >= 0 && s->udp)
                r = chain_rule(ch, "%sudp dport %s %s%scounter %s", strempty(match), ports, strempty(limit), log,
                               verdict);
        return r;
}

/* The entries of list, each limited to its peers ("from" addresses for what comes in, matched on the
 * source; "to" for what goes out, on the destination) and to its rate, per source when asked. */
static int services_rules(PresetPlan *plan, PresetChain *ch, const char *preset, char **list, bool outgoing,
                          const char *verdict, const char *tcp_verdict, char **ret_why)
{
        size_t index = 0;

        for (char **e = list; e && *e; e++, index++) {
                _cleanup_(service_done) Service s = {};
                const char *peer_match = outgoing ? "daddr" : "saddr";
                int r = network_service_parse(*e, outgoing ? "to" : "from", &s, ret_why);
                if (r < 0)
                        return r;
                if (!s.peers_v4 && !s.peers_v6 && !s.per_source)
                        r = service_family_rules(plan, ch, preset, &s, index, 0, peer_match, verdict, tcp_verdict,
                                                 ret_why);
                else {
                        /* with peers, the families they name; a per-source limit counts each family apart */
                        bool v4 = s.peers_v4 || (!s.peers_v6 && s.per_source),
                             v6 = s.peers_v6 || (!s.peers_v4 && s.per_source);
                        if (v4)
                                r = service_family_rules(plan, ch, preset, &s, index, 4, peer_match, verdict,
                                                         tcp_verdict, ret_why);
                        if (r >= 0 && v6)
                                r = service_family_rules(plan, ch, preset, &s, index, 6, peer_match, verdict,
                                                         tcp_verdict, ret_why);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

static int string_compare(const void *x, const void *y)
{
        return strcmp(*(char *const *) x, *(char *const *) y);
}

/* Parses list into the sets for IPv4 and IPv6 (NULL: that kind of entry is refused). Duplicates go,
 * and in interval sets the prefixes that a larger one holds, so that the kernel never sees an overlap. */
static int fill_sets(char **list, const char *what, PresetSet *v4, PresetSet *v6, PresetSet *v4_ports,
                     PresetSet *v6_ports, bool interval, uint32_t timeout, char **ret_why)
{
        _cleanup_free_ Address *all = NULL;
        size_t n = 0, count = 0;
        const Address *kept = NULL;
        int r;

        for (char **e = list; e && *e; e++)
                count++;
        all = calloc(count + 1, sizeof(Address));
        if (!all)
                return -ENOMEM;
        for (char **e = list; e && *e; e++) {
                r = address_parse(*e, interval, v4_ports != NULL, &all[n++], what, ret_why);
                if (r < 0)
                        return r;
        }
        /* the entries of one set together (a family, with or without a port), then by address: a prefix
         * comes right before those it holds */
        qsort(all, n, sizeof(Address), entry_compare);
        for (size_t i = 0; i < n; i++) {
                const Address *a = &all[i];
                PresetSet *s = a->family == 4 ? (a->port ? v4_ports : v4) : (a->port ? v6_ports : v6);
                if (kept && kept->port == a->port &&
                    (interval ? prefix_contains(kept, a) : address_compare(kept, a) == 0))
                        continue;
                kept = a;
                r = strv_push(&s->elements, &s->n_elements, address_text(a, timeout));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the presets ---- */

#define ICMP_ERRORS "icmp type { destination-unreachable, time-exceeded, parameter-problem } counter accept"
/* IPv6 needs neighbour discovery and packet-too-big (path MTU) to work at all */
#define ICMPV6_NEEDED                                                                                                 \
        "icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, "                   \
        "nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, "                              \
        "mld-listener-query } counter accept"

/* What every input chain of a host starts with. */
static int input_start(PresetChain *in)
{
        int r = chain_rule(in, "iif \"lo\" counter accept");
        if (r >= 0)
                r = chain_rule(in, "ct state established,related counter accept");
        if (r >= 0)
                r = chain_rule(in, ICMPV6_NEEDED);
        if (r >= 0)
                r = chain_rule(in, "ct state invalid counter drop");
        if (r >= 0)
                r = chain_rule(in, ICMP_ERRORS);
        return r;
}

static int input_ping(PresetChain *in, bool allow)
{
        int r = 0;
        if (allow)
                r = chain_rule(in, "icmp type echo-request counter accept");
        if (r >= 0 && allow)
                r = chain_rule(in, "icmpv6 type echo-request counter accept");
        return r;
}

#define INPUT_CHAIN "type filter hook input priority filter; policy drop;"
/* What a dnat or redirect rule sent here or through here was meant to reach: the NAT interface's port
 * forwards and redirects, and anyone's dnat rules, compose with the presets. */
#define DNAT_ACCEPT "ct status dnat counter accept"
#define SERVICES_DESCRIPTION                                                                                          \
        "Services to let in: a name from /etc/services (tcp, udp or both, as it lists them), NAME/tcp, "              \
        "NAME/udp, a port or range N-M (tcp), PORT/udp; each may be followed by 'from ADDRESS...' (only those "       \
        "sources), 'limit N/minute' (or second, hour, day; 'per-source' after it: for each source address) and "      \
        "'log'"

enum { WS_SERVICES, WS_ALLOW_PING, WS_LOG_DROPPED };
static const PresetOption workstation_options[] = {
        [WS_SERVICES] = { "services", PRESET_LIST, SERVICES_DESCRIPTION },
        [WS_ALLOW_PING] = { "allow_ping", PRESET_BOOLEAN, "Answer ICMP and ICMPv6 echo requests", 1 },
        [WS_LOG_DROPPED] = { "log_dropped", PRESET_BOOLEAN,
                             "Log what the input policy drops, at most 10 lines a minute", 0 },
};

static int plan_workstation(const PresetValue *v, PresetPlan *plan, char **ret_why)
{
        PresetChain *in = plan_chain(plan, "input", INPUT_CHAIN, "drop");
        int r;

        r = input_start(in);
        if (r >= 0)
                r = input_ping(in, v[WS_ALLOW_PING].boolean);
        if (r >= 0)
                r = chain_rule(in, DNAT_ACCEPT);
        if (r >= 0)
                r = services_rules(plan, in, "workstation", v[WS_SERVICES].list, false, "accept", "accept", ret_why);
        if (r >= 0 && v[WS_LOG_DROPPED].boolean)
                r = chain_rule(in, "limit rate 10/minute log prefix \"nftbus workstation drop: \" counter");
        return r;
}

enum {
        SV_WHITELIST,
        SV_BLACKNETS,
        SV_BLACKLIST,
        SV_BLACKLIST_TIMEOUT,
        SV_SERVICES,
        SV_OUTGOING_REJECT,
        SV_ALLOW_PING,
};
static const PresetOption server_options[] = {
        [SV_WHITELIST] = { "whitelist", PRESET_LIST,
                           "Addresses and networks let in before any block list is looked at; 'ADDRESS . PORT' "
                           "lets them in on that port (tcp and udp) only" },
        [SV_BLACKNETS] = { "blacknets", PRESET_LIST,
                           "Networks dropped (prefixes, e.g. a country's list; overlaps are merged)" },
        [SV_BLACKLIST] = { "blacklist", PRESET_LIST,
                           "Addresses and networks dropped; 'ADDRESS . PORT' drops them on that port (tcp and udp) "
                           "only" },
        [SV_BLACKLIST_TIMEOUT] = { "blacklist_timeout", PRESET_NUMBER, "Seconds a blacklist entry lasts; 0 for ever",
                                   0, 0, 31536000 },
        [SV_SERVICES] = { "services", PRESET_LIST, SERVICES_DESCRIPTION },
        [SV_OUTGOING_REJECT] = { "outgoing_reject", PRESET_LIST,
                                 "Services this host may not connect to (e.g. smtp; 'smtp to ADDRESS...' only to "
                                 "those), refused at once" },
        [SV_ALLOW_PING] = { "allow_ping", PRESET_BOOLEAN, "Answer ICMP and ICMPv6 echo requests", 1 },
};

static int plan_server(const PresetValue *v, PresetPlan *plan, char **ret_why)
{
        /* every list takes networks, and the whitelist and the blacklist entries on one port ("ADDRESS . PORT"),
         * as nftfw's do */
        PresetSet *white4 = plan_set(plan, "whitelist_v4", "type ipv4_addr; flags interval;");
        PresetSet *white6 = plan_set(plan, "whitelist_v6", "type ipv6_addr; flags interval;");
        PresetSet *wports4 = plan_set(plan, "whitelist_ports_v4", "type ipv4_addr . inet_service; flags interval;");
        PresetSet *wports6 = plan_set(plan, "whitelist_ports_v6", "type ipv6_addr . inet_service; flags interval;");
        PresetSet *nets4 = plan_set(plan, "blacknets_v4", "type ipv4_addr; flags interval;");
        PresetSet *nets6 = plan_set(plan, "blacknets_v6", "type ipv6_addr; flags interval;");
        PresetSet *black4 = plan_set(plan, "blacklist_v4", "type ipv4_addr; flags interval,timeout;");
        PresetSet *black6 = plan_set(plan, "blacklist_v6", "type ipv6_addr; flags interval,timeout;");
        PresetSet *ports4 =
                plan_set(plan, "blacklist_ports_v4", "type ipv4_addr . inet_service; flags interval,timeout;");
        PresetSet *ports6 =
                plan_set(plan, "blacklist_ports_v6", "type ipv6_addr . inet_service; flags interval,timeout;");
        PresetChain *in = plan_chain(plan, "input", INPUT_CHAIN, "drop");
        PresetChain *out =
                plan_chain(plan, "output", "type filter hook output priority filter; policy accept;", "accept");
        int r;

        r = fill_sets(v[SV_WHITELIST].list, "whitelist", white4, white6, wports4, wports6, true, 0, ret_why);
        if (r >= 0)
                r = fill_sets(v[SV_BLACKNETS].list, "blacknets", nets4, nets6, NULL, NULL, true, 0, ret_why);
        if (r >= 0)
                r = fill_sets(v[SV_BLACKLIST].list, "blacklist", black4, black6, ports4, ports6, true,
                              v[SV_BLACKLIST_TIMEOUT].number, ret_why);
        if (r < 0)
                return r;

        /* whitelist, blacknets, blacklist, incoming, reject: the nftfw order */
        r = input_start(in);
        if (r >= 0)
                r = list_rules(in, "whitelist", true, "accept");
        if (r >= 0)
                r = list_rules(in, "blacknets", false, "drop");
        if (r >= 0)
                r = list_rules(in, "blacklist", true, "drop");
        if (r >= 0)
                r = input_ping(in, v[SV_ALLOW_PING].boolean);
        if (r >= 0) /* after the block lists: a redirect is no way around them */
                r = chain_rule(in, DNAT_ACCEPT);
        if (r >= 0)
                r = services_rules(plan, in, "server", v[SV_SERVICES].list, false, "accept", "accept", ret_why);
        if (r >= 0)
                r = chain_rule(in, "counter reject with icmpx type admin-prohibited");
        if (r >= 0)
                r = services_rules(plan, out, "server", v[SV_OUTGOING_REJECT].list, true,
                                   "reject with icmpx type admin-prohibited", "reject with tcp reset", ret_why);
        return r;
}

enum { RT_WAN, RT_LAN, RT_MASQUERADE, RT_IPV6 };
static const PresetOption router_options[] = {
        [RT_WAN] = { "wan", PRESET_STRING, "The interface to the internet", .default_string = "" },
        [RT_LAN] = { "lan", PRESET_LIST, "The interfaces of the local networks" },
        [RT_MASQUERADE] = { "masquerade", PRESET_BOOLEAN, "IPv4 leaving through wan takes wan's address", 1 },
        [RT_IPV6] = { "ipv6", PRESET_BOOLEAN, "Forward IPv6 as well as IPv4", 1 },
};

static int plan_router(const PresetValue *v, PresetPlan *plan, char **ret_why)
{
        PresetChain *fwd =
                plan_chain(plan, "forward", "type filter hook forward priority filter; policy drop;", "drop");
        PresetChain *post =
                plan_chain(plan, "postrouting", "type nat hook postrouting priority srcnat; policy accept;", "accept");
        const char *wan = v[RT_WAN].string;
        _cleanup_free_ char *lans = NULL;
        size_t len = 0;
        int r;

        if (!v[RT_WAN].given || validate_ifname(wan, ret_why) < 0)
                return v[RT_WAN].given ? -EINVAL : why(ret_why, "The router preset needs option wan (s)");
        if (!v[RT_LAN].list || !v[RT_LAN].list[0])
                return why(ret_why, "The router preset needs option lan (as): one interface or more");
        for (char **l = v[RT_LAN].list; *l; l++) {
                if (validate_ifname(*l, ret_why) < 0)
                        return -EINVAL;
                if (streq(*l, wan))
                        return why_value(ret_why, "Invalid %s '%s': the wan interface cannot be a lan too", "lan", *l);
                char *grown = realloc(lans, len + strlen(*l) + 5);
                if (!grown)
                        return -ENOMEM;
                lans = grown;
                len += (size_t) sprintf(lans + len, "%s\"%s\"", len ? ", " : "", *l);
        }

        r = chain_rule(fwd, "ct state established,related counter accept");
        if (r >= 0)
                r = chain_rule(fwd, "ct state invalid counter drop");
        if (r >= 0) /* port forwards: the NAT interface's, or anyone's dnat rules */
                r = chain_rule(fwd, DNAT_ACCEPT);
        if (r >= 0)
                r = chain_rule(fwd, "%siifname { %s } oifname \"%s\" counter accept",
                               v[RT_IPV6].boolean ? "" : "meta nfproto ipv4 ", lans, wan);
        if (r >= 0 && v[RT_MASQUERADE].boolean)
                r = chain_rule(post, "meta nfproto ipv4 oifname \"%s\" counter masquerade", wan);
        if (r < 0)
                return r;
        plan_sysctl(plan, "net.ipv4.ip_forward", 1);
        if (v[RT_IPV6].boolean)
                plan_sysctl(plan, "net.ipv6.conf.all.forwarding", 1);
        return 0;
}

enum { HD_RP_FILTER };
static const PresetOption harden_options[] = {
        [HD_RP_FILTER] = { "rp_filter", PRESET_NUMBER, "Reverse path filter: 1 strict, 2 loose", 1, 1, 2 },
};

static int plan_harden(const PresetValue *v, PresetPlan *plan, char **ret_why _unused_)
{
        static const char *const off[] = {
                "net.ipv4.conf.all.accept_source_route", "net.ipv4.conf.default.accept_source_route",
                "net.ipv6.conf.all.accept_source_route", "net.ipv6.conf.default.accept_source_route",
                "net.ipv4.conf.all.accept_redirects",    "net.ipv4.conf.default.accept_redirects",
                "net.ipv6.conf.all.accept_redirects",    "net.ipv6.conf.default.accept_redirects",
                "net.ipv4.conf.all.send_redirects",      "net.ipv4.conf.default.send_redirects",
        };

        plan_sysctl(plan, "net.ipv4.conf.all.rp_filter", v[HD_RP_FILTER].number);
        plan_sysctl(plan, "net.ipv4.conf.default.rp_filter", v[HD_RP_FILTER].number);
        for (size_t i = 0; i < ELEMENTSOF(off); i++)
                plan_sysctl(plan, off[i], 0);
        plan_sysctl(plan, "net.ipv4.conf.all.log_martians", 1);
        plan_sysctl(plan, "net.ipv4.conf.default.log_martians", 1);
        plan_sysctl(plan, "net.ipv4.tcp_syncookies", 1);
        plan_sysctl(plan, "net.ipv4.icmp_echo_ignore_broadcasts", 1);
        return 0;
}

const Preset presets[] = {
        { "workstation", "nftbus_workstation",
          "A desktop or laptop: nothing comes in but answers, the ICMP and ICMPv6 that IPv4 and IPv6 need, "
          "and "
          "the services listed",
          workstation_options, ELEMENTSOF(workstation_options), plan_workstation },
        { "server", "nftbus_server",
          "A server after the nftfw model: whitelist, then blacknets, then blacklist, then the incoming "
          "services, then reject; sets for the lists, counters on every rule, outgoing rejects",
          server_options, ELEMENTSOF(server_options), plan_server },
        { "router", "nftbus_router",
          "A small router: forwarding on, LAN to WAN allowed and masqueraded, answers and port forwards let "
          "through, everything else forwarded dropped",
          router_options, ELEMENTSOF(router_options), plan_router },
        { "harden", NULL,
          "The network sysctls hardened: reverse path filtering, no source routing, no redirects, SYN "
          "cookies, martians logged",
          harden_options, ELEMENTSOF(harden_options), plan_harden },
};
const size_t presets_count = ELEMENTSOF(presets);

const char *preset_zones_overlap(const Preset *p)
{
        if (streq(p->name, "workstation") || streq(p->name, "server"))
                return "what comes in";
        if (streq(p->name, "router"))
                return "what is forwarded";
        return NULL;
}

const Preset *preset_find(const char *name)
{
        for (size_t i = 0; i < presets_count; i++)
                if (streq(presets[i].name, name))
                        return &presets[i];
        return NULL;
}

const char *preset_type_signature(PresetType t)
{
        switch (t) {
        case PRESET_BOOLEAN:
                return "b";
        case PRESET_NUMBER:
                return "u";
        case PRESET_STRING:
                return "s";
        case PRESET_LIST:
                return "as";
        }
        return NULL;
}

int preset_values_init(const Preset *p, PresetValue *values)
{
        for (size_t i = 0; i < p->n_options; i++) {
                const PresetOption *o = &p->options[i];
                values[i] = (PresetValue){ .boolean = (int) o->default_number, .number = o->default_number };
                if (o->type == PRESET_STRING && !(values[i].string = strdup(strempty(o->default_string))))
                        return -ENOMEM;
        }
        return 0;
}

void preset_values_clear(const Preset *p, PresetValue *values)
{
        for (size_t i = 0; i < p->n_options; i++) {
                free(values[i].string);
                for (char **e = values[i].list; e && *e; e++)
                        free(*e);
                free(values[i].list);
                values[i] = (PresetValue){};
        }
}

void preset_plan_clear(PresetPlan *plan)
{
        for (size_t i = 0; i < plan->n_sets; i++) {
                for (size_t k = 0; k < plan->sets[i].n_elements; k++)
                        free(plan->sets[i].elements[k]);
                free(plan->sets[i].elements);
        }
        for (size_t i = 0; i < plan->n_chains; i++) {
                for (size_t k = 0; k < plan->chains[i].n_rules; k++)
                        free(plan->chains[i].rules[k]);
                free(plan->chains[i].rules);
        }
        *plan = (PresetPlan){};
}

/* the marker's hash takes each part as a line */
static uint32_t hash_line(uint32_t h, const char *s)
{
        return fnv1a32(fnv1a32(h, s, strlen(s)), "\n", 1);
}

int preset_plan(const Preset *p, const PresetValue *values, PresetPlan *ret, char **ret_why)
{
        PresetPlan plan = { .name = p->name, .table = p->table };
        uint32_t h = FNV1A32_BASIS;
        int r;

        for (size_t i = 0; i < p->n_options; i++) {
                const PresetOption *o = &p->options[i];
                if (o->type == PRESET_NUMBER && (values[i].number < o->min || values[i].number > o->max))
                        return why(ret_why, "Invalid %s %u: expected %u to %u", o->name, values[i].number, o->min,
                                   o->max);
        }
        r = p->plan(values, &plan, ret_why);
        if (r < 0) {
                preset_plan_clear(&plan);
                return r;
        }

        /* the marker: the table's shape, not what its sets hold */
        for (size_t i = 0; i < plan.n_sets; i++) {
                PresetSet *s = &plan.sets[i];
                if (s->n_elements > 1)
                        qsort(s->elements, s->n_elements, sizeof(char *), string_compare);
                h = hash_line(hash_line(h, s->name), s->definition);
        }
        for (size_t i = 0; i < plan.n_chains; i++) {
                h = hash_line(hash_line(h, plan.chains[i].name), plan.chains[i].definition);
                for (size_t k = 0; k < plan.chains[i].n_rules; k++)
                        h = hash_line(h, plan.chains[i].rules[k]);
        }
        snprintf(plan.marker, sizeof(plan.marker), "nftbus preset %s %08x", p->name, h);
        *ret = plan;
        return 0;
}

/* ---- comparing with the kernel ---- */

char *preset_element_text(json_t *e)
{
        json_t *inner;
        char *s = NULL;

        if (json_is_string(e))
                return strdup(json_string_value(e));
        if (json_is_integer(e))
                return asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(e)) < 0 ? NULL : s;
        if ((inner = json_object_get(e, "prefix"))) {
                const char *addr = json_string_value(json_object_get(inner, "addr"));
                if (!addr || !json_is_integer(json_object_get(inner, "len")))
                        return NULL;
                return asprintf(&s, "%s/%" JSON_INTEGER_FORMAT, addr,
                                json_integer_value(json_object_get(inner, "len"))) < 0
                               ? NULL
                               : s;
        }
        if ((inner = json_object_get(e, "elem"))) {
                _cleanup_free_ char *value = preset_element_text(json_object_get(inner, "val"));
                json_t *timeout = json_object_get(inner, "timeout");
                if (!value)
                        return NULL;
                if (!json_is_integer(timeout))
                        return TAKE_PTR(value);
                return asprintf(&s, "%s timeout %" JSON_INTEGER_FORMAT "s", value, json_integer_value(timeout)) < 0
                               ? NULL
                               : s;
        }
        if ((inner = json_object_get(e, "concat")) || (inner = json_object_get(e, "range"))) {
                const char *sep = json_object_get(e, "concat") ? " . " : "-";
                json_t *part;
                size_t i;
                json_array_foreach (inner, i, part) {
                        _cleanup_free_ char *text = preset_element_text(part), *joined = NULL;
                        if (!text || asprintf(&joined, "%s%s%s", s ? s : "", s ? sep : "", text) < 0) {
                                free(s);
                                return NULL;
                        }
                        free(s);
                        s = TAKE_PTR(joined);
                }
                return s;
        }
        return NULL;
}

/* Whether the set of the listing holds exactly what the plan's does. */
static bool set_matches(const PresetSet *want, json_t *set)
{
        json_t *elems = json_object_get(set, "elem"), *e;
        size_t n = json_array_size(elems), i;
        char **have;
        bool same = n == want->n_elements;

        if (!same)
                return false;
        have = calloc(n + 1, sizeof(char *));
        if (!have)
                return false;
        json_array_foreach (elems, i, e) {
                have[i] = preset_element_text(e);
                same = same && have[i];
        }
        if (same) {
                qsort(have, n, sizeof(char *), string_compare);
                for (i = 0; same && i < n; i++)
                        same = streq(have[i], want->elements[i]);
        }
        for (i = 0; i < n; i++)
                free(have[i]);
        free(have);
        return same;
}

static json_t *find_object(json_t *listing, const char *kind, const char *name)
{
        json_t *item;
        size_t i;

        json_array_foreach (json_object_get(listing, "nftables"), i, item) {
                json_t *o = json_object_get(item, kind);
                if (o && streq(strempty(json_string_value(json_object_get(o, "name"))), name))
                        return o;
        }
        return NULL;
}

/* Whether the chains of the listing hold exactly the plan's rules: as many, each with the marker. */
static bool rules_match(const PresetPlan *plan, json_t *listing)
{
        json_t *item;
        size_t i;

        for (size_t c = 0; c < plan->n_chains; c++) {
                const PresetChain *ch = &plan->chains[c];
                json_t *chain = find_object(listing, "chain", ch->name);
                size_t count = 0;
                if (!chain || !streq(strempty(json_string_value(json_object_get(chain, "policy"))), ch->policy))
                        return false;
                json_array_foreach (json_object_get(listing, "nftables"), i, item) {
                        json_t *rule = json_object_get(item, "rule");
                        if (!rule || !streq(strempty(json_string_value(json_object_get(rule, "chain"))), ch->name))
                                continue;
                        if (!streq(strempty(json_string_value(json_object_get(rule, "comment"))), plan->marker))
                                return false;
                        count++;
                }
                if (count != ch->n_rules)
                        return false;
        }
        return true;
}

int preset_changes(const PresetPlan *plan, json_t *listing, char **ret_text)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f;
        bool rebuild;

        if (!plan->table) {
                *ret_text = strdup("");
                return *ret_text ? 0 : -ENOMEM;
        }
        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        rebuild = !listing || !rules_match(plan, listing);
        if (rebuild) {
                /* the chains emptied first, so that the sets their rules used can go: a set is made anew, for
                 * its definition may have changed (another version of nftbus, other options) */
                fprintf(f, "add table inet %s\n", plan->table);
                for (size_t i = 0; i < plan->n_chains; i++) {
                        const PresetChain *ch = &plan->chains[i];
                        fprintf(f, "add chain inet %s %s { %s }\nflush chain inet %s %s\n", plan->table, ch->name,
                                ch->definition, plan->table, ch->name);
                }
                for (size_t i = 0; i < plan->n_sets; i++) {
                        if (listing && find_object(listing, "set", plan->sets[i].name))
                                fprintf(f, "delete set inet %s %s\n", plan->table, plan->sets[i].name);
                        fprintf(f, "add set inet %s %s { %s }\n", plan->table, plan->sets[i].name,
                                plan->sets[i].definition);
                }
                for (size_t i = 0; i < plan->n_chains; i++) {
                        const PresetChain *ch = &plan->chains[i];
                        for (size_t k = 0; k < ch->n_rules; k++)
                                fprintf(f, "add rule inet %s %s %s comment \"%s\"\n", plan->table, ch->name,
                                        ch->rules[k], plan->marker);
                }
        }
        for (size_t i = 0; i < plan->n_sets; i++) {
                const PresetSet *s = &plan->sets[i];
                json_t *have = listing && !rebuild ? find_object(listing, "set", s->name) : NULL;
                /* a dynamic set is the rules' to fill; after a rebuild every set is new and empty */
                if (s->dynamic || (have ? set_matches(s, have) : s->n_elements == 0))
                        continue;
                if (have)
                        fprintf(f, "flush set inet %s %s\n", plan->table, s->name);
                if (s->n_elements == 0)
                        continue;
                fprintf(f, "add element inet %s %s { ", plan->table, s->name);
                for (size_t k = 0; k < s->n_elements; k++)
                        fprintf(f, "%s%s", k ? ", " : "", s->elements[k]);
                fputs(" }\n", f);
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_text = TAKE_PTR(text);
        return 0;
}
