/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/helperspec.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "core/richmemo.h"
#include "core/richrule.h"
#include "core/zonelist.h"
#include "core/zonespec.h"
#include "common/util.h"
#include "common/validate.h"

/* ---- string lists: in the order added, looked up through a sorted index ---- */

static int strlist_compare(size_t k, const void *key, const void *userdata)
{
        const StrList *l = userdata;
        return strcmp(l->items[l->index[k]], key);
}

static size_t strlist_position(const StrList *l, const char *s, bool *ret_found)
{
        return bsearch_place(l->n, strlist_compare, s, l, ret_found);
}

/* room for one more item and its index entry, grown by half again: a zone of 50,000 ports is read in
 * n log n, not in n² copies */
static int strlist_grow(StrList *l)
{
        size_t allocated = l->n + 1 + (l->n + 1) / 2;
        char **items;
        size_t *index;

        if (l->n < l->allocated)
                return 0;
        items = realloc(l->items, allocated * sizeof(char *));
        if (!items)
                return -ENOMEM;
        l->items = items;
        index = realloc(l->index, allocated * sizeof(size_t));
        if (!index)
                return -ENOMEM;
        l->index = index;
        l->allocated = allocated;
        return 0;
}

int strlist_add(StrList *l, const char *s)
{
        bool found;
        size_t i = strlist_position(l, s, &found);
        char *copy;

        if (found)
                return 0;
        copy = strdup(s);
        if (!copy || strlist_grow(l) < 0) {
                free(copy);
                return -ENOMEM;
        }
        memmove(l->index + i + 1, l->index + i, (l->n - i) * sizeof(size_t));
        l->index[i] = l->n;
        l->items[l->n++] = copy;
        return 1;
}

int strlist_remove(StrList *l, const char *s)
{
        bool found;
        size_t i = strlist_position(l, s, &found), at;

        if (!found)
                return 0;
        at = l->index[i];
        free(l->items[at]);
        memmove(l->items + at, l->items + at + 1, (l->n - at - 1) * sizeof(char *));
        memmove(l->index + i, l->index + i + 1, (l->n - i - 1) * sizeof(size_t));
        l->n--;
        for (size_t k = 0; k < l->n; k++)
                if (l->index[k] > at)
                        l->index[k]--;
        return 1;
}

ssize_t strlist_find(const StrList *l, const char *s)
{
        bool found;
        size_t i = strlist_position(l, s, &found);

        return found ? (ssize_t) l->index[i] : -1;
}

bool strlist_equal(const StrList *a, const StrList *b)
{
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!streq(a->items[i], b->items[i]))
                        return false;
        return true;
}

bool strlist_contains(const StrList *l, const char *s)
{
        bool found;

        (void) strlist_position(l, s, &found);
        return found;
}

void strlist_done(StrList *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->items[i]);
        free(l->items);
        free(l->index);
        *l = (StrList){};
}

int strlist_copy(const StrList *from, StrList *to)
{
        StrList l = {};

        if (from->n > 0) {
                l.items = calloc(from->n, sizeof(char *));
                l.index = malloc(from->n * sizeof(size_t));
                if (!l.items || !l.index) {
                        strlist_done(&l);
                        return -ENOMEM;
                }
                for (; l.n < from->n; l.n++)
                        if (!(l.items[l.n] = strdup(from->items[l.n]))) {
                                strlist_done(&l);
                                return -ENOMEM;
                        }
                memcpy(l.index, from->index, from->n * sizeof(size_t));
                l.allocated = from->n;
        }
        *to = l;
        return 0;
}

int strlist_copy_sorted(const StrList *from, StrList *to)
{
        for (size_t k = 0; k < from->n; k++)
                if (strlist_add(to, strlist_sorted(from, k)) < 0)
                        return -ENOMEM;
        return 0;
}

char *strlist_join(const StrList *l, const char *separator)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        for (size_t i = 0; i < l->n; i++)
                fprintf(f, "%s%s", i ? separator : "", l->items[i]);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

int strlist_push(StrList *l, char *s)
{
        if (strlist_grow(l) < 0)
                return -ENOMEM;
        l->items[l->n++] = s;
        return 0;
}

static int index_compare(const void *a, const void *b, void *items)
{
        return strcmp(((char **) items)[*(const size_t *) a], ((char **) items)[*(const size_t *) b]);
}

void strlist_index(StrList *l)
{
        if (l->n == 0)
                return;
        for (size_t i = 0; i < l->n; i++)
                l->index[i] = i;
        qsort_r(l->index, l->n, sizeof(size_t), index_compare, l->items);
}

/* ---- zones and configurations ---- */

void zone_free(Zone *z)
{
        if (!z)
                return;
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++)
                strlist_done(zone_list(z, k));
        FREE_MANY(z->description, z->short_name, z->version);
        free(z);
}

static Zone *zone_new(const char *name)
{
        Zone *z = calloc(1, sizeof(Zone));

        if (z)
                snprintf(z->name, sizeof(z->name), "%s", name);
        return z;
}

Zone *zone_copy(const Zone *from)
{
        Zone *z = zone_new(from->name);

        if (!z)
                return NULL;
        z->target = from->target;
        z->masquerade = from->masquerade;
        z->forward = from->forward;
        z->icmp_block_inversion = from->icmp_block_inversion;
        if ((from->description && !(z->description = strdup(from->description))) ||
            (from->short_name && !(z->short_name = strdup(from->short_name))) ||
            (from->version && !(z->version = strdup(from->version)))) {
                zone_free(z);
                return NULL;
        }
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++)
                if (strlist_copy(zone_list_const(from, k), zone_list(z, k)) < 0) {
                        zone_free(z);
                        return NULL;
                }
        return z;
}

void zone_config_done(ZoneConfig *c)
{
        for (size_t i = 0; i < c->n_zones; i++)
                zone_free(c->zones[i]);
        free(c->zones);
        ipset_list_done(&c->ipsets);
        for (size_t i = 0; i < c->n_policies; i++)
                policy_free(c->policies[i]);
        free(c->policies);
        *c = (ZoneConfig){};
}

static const char *zone_name_of(const void *z)
{
        return ((const Zone *) z)->name;
}

static void zone_free_item(void *z)
{
        zone_free(z);
}

/* c's zones as a NamedArray */
#define ZONES_OF(c) (&(NamedArray){ (void ***) &(c)->zones, &(c)->n_zones, zone_name_of, zone_free_item })

static size_t zone_position(const ZoneConfig *c, const char *name, bool *ret_found)
{
        return named_position(ZONES_OF((ZoneConfig *) c), name, ret_found);
}

Zone *zone_config_find(const ZoneConfig *c, const char *name)
{
        bool found;
        size_t i = zone_position(c, name, &found);

        return found ? c->zones[i] : NULL;
}

/* Puts z (taken) into c at its place; -EEXIST when c has the name. */
static int zone_config_put(ZoneConfig *c, Zone *z)
{
        return named_put(ZONES_OF(c), z);
}

Zone *zone_new_custom(const char *name)
{
        Zone *z = zone_new(name);

        if (z)
                z->forward = true; /* a new zone forwards within itself, as firewalld's new zones do */
        return z;
}

int zone_config_add(ZoneConfig *c, const char *name, Zone **ret)
{
        Zone *z = zone_new_custom(name);
        int r;

        if (!z)
                return -ENOMEM;
        r = zone_config_put(c, z);
        if (r < 0)
                return r;
        if (ret)
                *ret = z;
        return 0;
}

int zone_config_remove(ZoneConfig *c, const char *name)
{
        return named_remove(ZONES_OF(c), name);
}

int zone_config_replace(ZoneConfig *c, Zone *z)
{
        (void) zone_config_remove(c, z->name);
        return zone_config_put(c, z);
}

int zone_config_copy(const ZoneConfig *from, ZoneConfig *to)
{
        ZoneConfig c = {};

        snprintf(c.default_zone, sizeof(c.default_zone), "%s", from->default_zone);
        c.log_denied = from->log_denied;
        for (size_t i = 0; i < from->n_zones; i++) {
                Zone *z = zone_copy(from->zones[i]);
                int r = z ? zone_config_put(&c, z) : -ENOMEM;
                if (r < 0) {
                        zone_config_done(&c);
                        return r;
                }
        }
        if (ipset_list_copy(&from->ipsets, &c.ipsets) < 0) {
                zone_config_done(&c);
                return -ENOMEM;
        }
        for (size_t i = 0; i < from->n_policies; i++) {
                Policy *p = policy_copy(from->policies[i]);
                int r = p ? policy_config_put(&c, p) : -ENOMEM;
                if (r < 0) {
                        zone_config_done(&c);
                        return r;
                }
        }
        *to = c;
        return 0;
}

Zone *zone_config_zone_of_interface(const ZoneConfig *c, const char *ifname)
{
        for (size_t i = 0; i < c->n_zones; i++)
                if (strlist_contains(&c->zones[i]->interfaces, ifname))
                        return c->zones[i];
        return NULL;
}

Zone *zone_config_zone_of_source(const ZoneConfig *c, const char *source)
{
        for (size_t i = 0; i < c->n_zones; i++)
                if (strlist_contains(&c->zones[i]->sources, source))
                        return c->zones[i];
        return NULL;
}

/* An interface or source of a configuration, and the zone that has it. */
typedef struct Claim {
        const char *value;
        const Zone *zone;
        bool source;
} Claim;

static int claim_compare(const void *a, const void *b)
{
        const Claim *x = a, *y = b;
        int c = x->source - y->source;

        if (c == 0)
                c = strcmp(x->value, y->value);
        return c != 0 ? c : strcmp(x->zone->name, y->zone->name);
}

int zone_config_find_conflict(const ZoneConfig *c, ZoneConflict *ret)
{
        _cleanup_free_ Claim *claims = NULL;
        size_t n = 0, total = 0;

        for (size_t i = 0; i < c->n_zones; i++)
                total += c->zones[i]->interfaces.n + c->zones[i]->sources.n;
        if (total < 2)
                return 0;
        claims = malloc(total * sizeof(Claim));
        if (!claims)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_zones; i++) {
                const Zone *z = c->zones[i];
                for (size_t k = 0; k < z->interfaces.n; k++)
                        claims[n++] = (Claim){ z->interfaces.items[k], z, false };
                for (size_t k = 0; k < z->sources.n; k++)
                        claims[n++] = (Claim){ z->sources.items[k], z, true };
        }
        qsort(claims, n, sizeof(Claim), claim_compare);
        for (size_t i = 1; i < n; i++)
                if (claims[i].source == claims[i - 1].source && streq(claims[i].value, claims[i - 1].value)) {
                        *ret = (ZoneConflict){ claims[i].value, claims[i].source, claims[i - 1].zone, claims[i].zone };
                        return 1;
                }
        return 0;
}

int zone_ipsets_check(const Zone *z, const IPSetList *ipsets, char **ret_why)
{
        const char *code = NULL;
        _cleanup_free_ char *words = NULL;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < z->sources.n; i++)
                if ((r = zone_source_ipset_check(ipsets, z->sources.items[i], &code, &words)) == -EINVAL)
                        return why(ret_why, "Zone %s: source %s: %s: %s", z->name, z->sources.items[i], code, words);
        for (size_t i = 0; r >= 0 && i < z->rich_rules.n; i++) {
                _cleanup_free_ char *canonical = NULL;
                if (!strstr(z->rich_rules.items[i], "ipset=")) /* parsed only when it may name one */
                        continue;
                r = zone_rich_rule_check(z->rich_rules.items[i], NULL, ipsets, &canonical, &code, &words);
                if (r == -EINVAL)
                        return why(ret_why, "Zone %s: rich rule '%s': %s: %s", z->name, z->rich_rules.items[i], code,
                                   words);
        }
        return r < 0 ? r : 0;
}

bool zone_uses_ipset(const Zone *z, const char *name)
{
        for (size_t i = 0; i < z->sources.n; i++)
                if (startswith(z->sources.items[i], "ipset:") && streq(z->sources.items[i] + strlen("ipset:"), name))
                        return true;
        for (size_t i = 0; i < z->rich_rules.n; i++) {
                _cleanup_free_ char *why = NULL;
                const char *code = NULL;
                RichRule r;
                if (!strstr(z->rich_rules.items[i], "ipset=") || /* parsed only when it may name one */
                    rich_rule_parse(z->rich_rules.items[i], &r, &code, &why) < 0)
                        continue;
                if ((r.source.present && streq(r.source.ipset, name)) ||
                    (r.destination.present && streq(r.destination.ipset, name)))
                        return true;
        }
        return false;
}

int zone_config_check(const ZoneConfig *c, char **ret_why)
{
        ZoneConflict conflict;
        int r;

        for (size_t i = 0; i < c->n_zones; i++) {
                r = zone_ipsets_check(c->zones[i], &c->ipsets, ret_why);
                if (r < 0)
                        return r;
        }
        if (!zone_config_find(c, c->default_zone))
                return why(ret_why, "The default zone %s does not exist", c->default_zone);
        r = zone_config_find_conflict(c, &conflict);
        if (r < 0)
                return r;
        if (r > 0)
                return why(ret_why, "%s %s is in zones %s and %s: it can be in one zone only",
                           conflict.source ? "Source" : "Interface", conflict.value, conflict.first->name,
                           conflict.second->name);
        for (size_t i = 0; i < c->n_policies; i++) {
                _cleanup_free_ char *words = NULL;
                const char *code = NULL;
                r = policy_check(c->policies[i], c, NULL, &code, &words);
                if (r == -EINVAL)
                        return why(ret_why, "Policy %s: %s: %s", c->policies[i]->zone.name, code, strempty(words));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the built-in zones ---- */

static const struct {
        const char *name, *short_name;
        ZoneTarget target;
        bool masquerade;
        const char *services[5];
        const char *description;
        bool no_forward; /* forwarding within the zone off (firewalld's zones have it on) */
        const char *protocols[3];
        const char *rich_rules[2]; /* canonical */
} builtin_zones[] = {
        { "block",
          "Block",
          ZONE_TARGET_REJECT,
          false,
          {},
          "Every incoming connection is rejected; only connections this host started get answers in." },
        { "dmz",
          "DMZ",
          ZONE_TARGET_DEFAULT,
          false,
          { "ssh" },
          "For computers in a demilitarised zone, reachable from outside with limited access inward: "
          "ssh only." },
        { "drop",
          "Drop",
          ZONE_TARGET_DROP,
          false,
          {},
          "Every incoming packet is dropped without an answer; only connections this host started get "
          "answers in." },
        { "external",
          "External",
          ZONE_TARGET_DEFAULT,
          true,
          { "ssh" },
          "For external networks with masquerading (a router's outside): the other computers are not "
          "trusted; ssh only." },
        { "home",
          "Home",
          ZONE_TARGET_DEFAULT,
          false,
          { "ssh", "mdns", "samba-client", "dhcpv6-client" },
          "For a home network: the other computers are mostly trusted." },
        { "internal",
          "Internal",
          ZONE_TARGET_DEFAULT,
          false,
          { "ssh", "mdns", "samba-client", "dhcpv6-client" },
          "For internal networks: the other computers are mostly trusted." },
        /* NetworkManager's, as its package ships it for firewalld (/usr/lib/firewalld/zones/nm-shared.xml) */
        { "nm-shared",
          "NetworkManager Shared",
          ZONE_TARGET_ACCEPT,
          false,
          { "dhcp", "dns", "ssh" },
          "Used by NetworkManager for a connection it shares (a hotspot) that names no zone: to this host only "
          "ICMP, DHCP, DNS and SSH; forwarded traffic accepted.",
          true,
          { "icmp", "ipv6-icmp" },
          { "rule priority=\"32767\" reject" } },
        { "public",
          "Public",
          ZONE_TARGET_DEFAULT,
          false,
          { "ssh", "dhcpv6-client" },
          "For public areas: the other computers are not trusted; only selected connections are accepted." },
        { "trusted", "Trusted", ZONE_TARGET_ACCEPT, false, {}, "Every connection is accepted." },
        { "work",
          "Work",
          ZONE_TARGET_DEFAULT,
          false,
          { "ssh", "dhcpv6-client" },
          "For work areas: the other computers are mostly trusted." },
};

bool zone_is_builtin(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(builtin_zones); i++)
                if (streq(builtin_zones[i].name, name))
                        return true;
        return false;
}

int zone_config_builtin(ZoneConfig *ret)
{
        ZoneConfig c = {};
        int r = 0;

        snprintf(c.default_zone, sizeof(c.default_zone), "public");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(builtin_zones); i++) {
                Zone *z;
                r = zone_config_add(&c, builtin_zones[i].name, &z);
                if (r < 0)
                        break;
                z->target = builtin_zones[i].target;
                z->masquerade = builtin_zones[i].masquerade;
                z->description = strdup(builtin_zones[i].description);
                z->short_name = strdup(builtin_zones[i].short_name);
                if (!z->description || !z->short_name)
                        r = -ENOMEM;
                z->forward = !builtin_zones[i].no_forward;
                for (size_t k = 0; r >= 0 && k < ELEMENTSOF(builtin_zones[i].services) && builtin_zones[i].services[k];
                     k++)
                        r = strlist_add(&z->services, builtin_zones[i].services[k]);
                for (size_t k = 0;
                     r >= 0 && k < ELEMENTSOF(builtin_zones[i].protocols) && builtin_zones[i].protocols[k]; k++)
                        r = strlist_add(&z->protocols, builtin_zones[i].protocols[k]);
                for (size_t k = 0;
                     r >= 0 && k < ELEMENTSOF(builtin_zones[i].rich_rules) && builtin_zones[i].rich_rules[k]; k++)
                        r = strlist_add(&z->rich_rules, builtin_zones[i].rich_rules[k]);
        }
        if (r >= 0) /* and firewalld's built-in policy */
                r = policy_config_builtin(&c);
        if (r < 0) {
                zone_config_done(&c);
                return r;
        }
        *ret = c;
        return 0;
}

/* ---- checks ---- */

/* clang-format off */
static const struct {
        const char *nftbus, *firewalld;
} zone_target_names[_ZONE_TARGET_MAX] = {
        [ZONE_TARGET_DEFAULT] = { "default", "default" },
        [ZONE_TARGET_ACCEPT] =  { "accept",  "ACCEPT" },
        [ZONE_TARGET_REJECT] =  { "reject",  "%%REJECT%%" },
        [ZONE_TARGET_DROP] =    { "drop",    "DROP" },
};
/* clang-format on */

static const char *const log_denied_names[_LOG_DENIED_MAX] = { "off", "all", "unicast", "broadcast", "multicast" };

const char *log_denied_name(LogDenied l)
{
        return (unsigned) l < _LOG_DENIED_MAX ? log_denied_names[l] : NULL;
}

int log_denied_of_name(const char *s)
{
        for (LogDenied l = 0; l < _LOG_DENIED_MAX; l++)
                if (streq(log_denied_names[l], s))
                        return (int) l;
        return -EINVAL;
}

/* A log of what is refused, when log denied asks for it: "MATCH [meta pkttype KIND] log prefix "PREFIX: "" (match
 * may be ""), as firewalld's nftables backend writes it. */
static void log_denied_rule(FILE *f, LogDenied l, const char *match, const char *prefix_format, ...) _printf_(4, 5);
static void log_denied_rule(FILE *f, LogDenied l, const char *match, const char *prefix_format, ...)
{
        va_list ap;

        if (l == LOG_DENIED_OFF)
                return;
        fprintf(f, "\t\t%s%s", match, *match ? " " : "");
        if (l != LOG_DENIED_ALL)
                fprintf(f, "meta pkttype %s ", l == LOG_DENIED_UNICAST ? "host" : log_denied_names[l]);
        fputs("log prefix \"", f);
        va_start(ap, prefix_format);
        vfprintf(f, prefix_format, ap);
        va_end(ap);
        fputs(": \"\n", f);
}

const char *zone_target_name(ZoneTarget t, bool firewalld)
{
        if ((unsigned) t >= _ZONE_TARGET_MAX)
                return NULL;
        return firewalld ? zone_target_names[t].firewalld : zone_target_names[t].nftbus;
}

int zone_target_of_name(const char *s, bool firewalld)
{
        for (ZoneTarget t = 0; t < _ZONE_TARGET_MAX; t++)
                if (streq(zone_target_name(t, firewalld), s))
                        return (int) t;
        return -EINVAL;
}

int zone_check_name(const char *name, char **ret_why)
{
        size_t n = strlen(name);

        if (n == 0 || n > ZONE_NAME_MAX)
                return why_value(ret_why, "Invalid %s '%s': 1 to 17 characters", "zone name", name);
        if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n ||
            !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
                return why_value(ret_why, "Invalid %s '%s': a letter, then letters, digits, '_' and '-'", "zone name",
                                 name);
        return 0;
}

/* "52:54:00:12:34:56" in lower case; 0 or -EINVAL */
static int mac_canonical(const char *text, char buf[static 18])
{
        unsigned b[6];
        int used = 0;

        if (strlen(text) != 17 ||
            sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &used) != 6 ||
            used != 17 || strspn(text, "0123456789abcdefABCDEF:") != 17)
                return -EINVAL;
        snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
        return 0;
}

int zone_check_source(const char *text, char **ret_canonical, char **ret_why)
{
        unsigned char bytes[16];
        char addr[INET6_ADDRSTRLEN + 1], out[INET6_ADDRSTRLEN + 8], mac[18];
        const char *slash = strchr(text, '/');
        size_t n = slash ? (size_t) (slash - text) : strlen(text);
        int family;
        unsigned len, size;

        if (mac_canonical(text, mac) == 0)
                return (*ret_canonical = strdup(mac)) ? 0 : -ENOMEM;
        if (n >= sizeof(addr))
                return why_value(ret_why, "Invalid %s '%s': an address, a network or a MAC address", "source", text);
        memcpy(addr, text, n);
        addr[n] = '\0';
        if (inet_pton(AF_INET, addr, bytes) == 1)
                family = AF_INET, size = 4;
        else if (inet_pton(AF_INET6, addr, bytes) == 1)
                family = AF_INET6, size = 16;
        else
                return why_value(ret_why, "Invalid %s '%s': an address, a network or a MAC address", "source", text);
        len = size * 8;
        if (slash) {
                char *end;
                unsigned long l = strtoul(slash + 1, &end, 10);
                if (!slash[1] || *end || slash[1] < '0' || slash[1] > '9' || l > len || (slash[1] == '0' && slash[2]))
                        return why_value(ret_why, "Invalid %s '%s': the prefix length is out of range", "source",
                                         text);
                len = (unsigned) l;
        }
        for (unsigned bit = len; bit < size * 8; bit++) /* the network, as the kernel matches it */
                bytes[bit / 8] &= (unsigned char) ~(0x80u >> (bit % 8));
        if (!inet_ntop(family, bytes, out, sizeof(out)))
                return -EINVAL;
        if (len < size * 8)
                snprintf(out + strlen(out), sizeof(out) - strlen(out), "/%u", len);
        return (*ret_canonical = strdup(out)) ? 0 : -ENOMEM;
}

/* "ipset:NAME": a source that is an ipset of the configuration (core/ipsetspec.h) */
static const char *ipset_of(const char *source)
{
        return startswith(source, "ipset:");
}

bool zone_config_has_timeout_ipsets(const ZoneConfig *c)
{
        for (size_t i = 0; i < c->ipsets.n; i++)
                if (ipset_has_timeout(c->ipsets.items[i]))
                        return true;
        return false;
}

int zone_check_zone_source(const char *text, char **ret_canonical, char **ret_why)
{
        const char *name = ipset_of(text), *code;
        _cleanup_free_ char *words = NULL;

        if (!name)
                return zone_check_source(text, ret_canonical, ret_why);
        if (ipset_check_name(name, &code, &words) < 0)
                return why_value(ret_why,
                                 "Invalid %s '%s': ipset:NAME, the name letters, digits, '_', '-', ':' and "
                                 "'.', 32 at most",
                                 "source", text);
        return (*ret_canonical = strdup(text)) ? 0 : -ENOMEM;
}

int zone_source_ipset_check(const IPSetList *ipsets, const char *source, const char **ret_code, char **ret_why)
{
        const char *name = ipset_of(source);
        const IPSet *s;

        if (!name)
                return 0;
        s = ipset_list_find(ipsets, name);
        if (!s)
                return refuse_code(ret_code, ret_why, "INVALID_IPSET", "%s", name);
        if (!ipset_usable_as_source(s->type))
                return refuse_code(ret_code, ret_why, "INVALID_IPSET",
                                   "ipset '%s' with type '%s' not usable as source", name, ipset_type_name(s->type));
        return 0;
}

static bool port_protocol(const char *p)
{
        return streq(p, "tcp") || streq(p, "udp") || streq(p, "sctp") || streq(p, "dccp");
}

/* a decimal port 1-65535 in [s, end) */
static int port_number(const char *s, const char *end, unsigned *ret)
{
        unsigned v = 0;

        if (s == end || end - s > 5 || *s == '0')
                return -EINVAL;
        for (; s < end; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned) (*s - '0');
        }
        if (v == 0 || v > 65535)
                return -EINVAL;
        *ret = v;
        return 0;
}

int zone_check_port(const char *text, char **ret_canonical, char **ret_why)
{
        const char *slash = strrchr(text, '/');
        unsigned from, to;
        char *out;

        if (!slash || !port_protocol(slash + 1))
                return why_value(ret_why,
                                 "Invalid %s '%s': PORT/PROTOCOL or FROM-TO/PROTOCOL, the protocol tcp, udp, "
                                 "sctp or dccp",
                                 "port", text);
        if (port_spec_parse(text, (size_t) (slash - text), &from, &to) < 0)
                return why_value(ret_why,
                                 "Invalid %s '%s': ports are 0 to 65535 or names of /etc/services, a range FROM-TO",
                                 "port", text);
        if (from != to ? asprintf(&out, "%u-%u/%s", from, to, slash + 1) < 0
                       : asprintf(&out, "%u/%s", from, slash + 1) < 0)
                return -ENOMEM;
        *ret_canonical = out;
        return 0;
}

/* ---- port arithmetic, as firewalld's ---- */

static char *port_range_text(const PortRange *p)
{
        char *s = NULL;

        if (p->lo == p->hi ? asprintf(&s, "%u/%s", p->lo, p->proto) < 0
                           : asprintf(&s, "%u-%u/%s", p->lo, p->hi, p->proto) < 0)
                return NULL;
        return s;
}

int port_ranges_of(const StrList *ports, PortRange **ranges, size_t *n)
{
        PortRange *grown = realloc(*ranges, (*n + ports->n + 1) * sizeof(PortRange));

        if (!grown)
                return -ENOMEM;
        *ranges = grown;
        for (size_t i = 0; i < ports->n; i++)
                if (port_range_parse(ports->items[i], &grown[*n]) >= 0)
                        (*n)++;
        return 0;
}

static int port_range_compare(const void *a, const void *b)
{
        const PortRange *x = a, *y = b;
        int c = strcmp(x->proto, y->proto);

        return c != 0 ? c : x->lo < y->lo ? -1 : x->lo > y->lo;
}

size_t port_ranges_merge(PortRange *ranges, size_t n)
{
        size_t out = 0;

        if (n == 0)
                return 0;
        qsort(ranges, n, sizeof(PortRange), port_range_compare);
        for (size_t i = 1; i < n; i++) {
                PortRange *last = &ranges[out];
                if (streq(last->proto, ranges[i].proto) && ranges[i].lo <= last->hi) {
                        if (ranges[i].hi > last->hi)
                                last->hi = ranges[i].hi;
                } else
                        ranges[++out] = ranges[i];
        }
        return out + 1;
}

static bool port_overlaps(const PortRange *a, const PortRange *b)
{
        return streq(a->proto, b->proto) && a->lo <= b->hi && b->lo <= a->hi;
}

/* the first item of ports that overlaps p (-1: none), as a range */
static ssize_t port_find_overlap(const StrList *ports, const PortRange *p, PortRange *ret)
{
        for (size_t i = 0; i < ports->n; i++)
                if (port_range_parse(ports->items[i], ret) >= 0 && port_overlaps(ret, p))
                        return (ssize_t) i;
        return -1;
}

static int port_list_remove_at(StrList *ports, size_t i)
{
        _cleanup_free_ char *item = strdup(ports->items[i]);

        if (!item)
                return -ENOMEM;
        return strlist_remove(ports, item);
}

int zone_ports_add(StrList *ports, const char *port)
{
        _cleanup_free_ char *text = NULL;
        PortRange add, have;
        ssize_t i;
        int r;

        if (port_range_parse(port, &add) < 0)
                return -EINVAL;
        if (zone_ports_cover(ports, port))
                return 0;
        /* what it overlaps becomes part of it */
        while ((i = port_find_overlap(ports, &add, &have)) >= 0) {
                add.lo = have.lo < add.lo ? have.lo : add.lo;
                add.hi = have.hi > add.hi ? have.hi : add.hi;
                r = port_list_remove_at(ports, (size_t) i);
                if (r < 0)
                        return r;
        }
        text = port_range_text(&add);
        if (!text)
                return -ENOMEM;
        r = strlist_add(ports, text);
        return r < 0 ? r : 1;
}

int zone_ports_normalize(StrList *ports)
{
        _cleanup_free_ PortRange *ranges = NULL;
        size_t n = 0, merged;
        StrList l = {};
        int r;

        r = port_ranges_of(ports, &ranges, &n);
        if (r < 0)
                return r;
        merged = port_ranges_merge(ranges, n);
        if (merged == ports->n)
                return 0; /* none overlaps: as they are, in their order */
        for (size_t i = 0; i < merged; i++) {
                char *text = port_range_text(&ranges[i]);
                if (!text || strlist_push(&l, text) < 0) {
                        free(text);
                        strlist_done(&l);
                        return -ENOMEM;
                }
        }
        strlist_index(&l);
        strlist_done(ports);
        *ports = l;
        return 1;
}

bool zone_ports_cover(const StrList *ports, const char *port)
{
        PortRange p, have;

        if (port_range_parse(port, &p) < 0)
                return false;
        for (size_t k = 0; k < ports->n; k++)
                if (port_range_parse(ports->items[k], &have) >= 0 && port_range_covers(&have, &p))
                        return true;
        return false;
}

int zone_ports_remove(StrList *ports, const char *port)
{
        PortRange del, have, pieces[2];
        size_t n = 0;
        ssize_t i;
        int r;

        if (port_range_parse(port, &del) < 0)
                return -EINVAL;
        if (!zone_ports_cover(ports, port))
                return 0;
        /* the range that holds it is broken around it (ranges of a zone do not overlap: one range) */
        i = port_find_overlap(ports, &del, &have);
        if (have.lo < del.lo)
                pieces[n++] = (PortRange){ .lo = have.lo, .hi = del.lo - 1 };
        if (del.hi < have.hi)
                pieces[n++] = (PortRange){ .lo = del.hi + 1, .hi = have.hi };
        r = port_list_remove_at(ports, (size_t) i);
        for (size_t k = 0; r >= 0 && k < n; k++) {
                _cleanup_free_ char *text = NULL;
                strcpy(pieces[k].proto, del.proto);
                text = port_range_text(&pieces[k]);
                r = text ? strlist_add(ports, text) : -ENOMEM;
        }
        return r < 0 ? r : 1;
}

/* The IP protocols a zone may allow by name, as nft names them. */
static const char *const protocols[] = {
        "ah",   "dccp", "egp", "esp",  "gre", "icmp", "igmp",    "ipv6-icmp", "ipip",
        "l2tp", "ospf", "pim", "sctp", "tcp", "udp",  "udplite", "vrrp",
};

int zone_check_protocol(const char *text, char **ret_why)
{
        for (size_t i = 0; i < ELEMENTSOF(protocols); i++)
                if (streq(protocols[i], text))
                        return 0;
        return why_value(ret_why,
                         "Invalid %s '%s': expected ah, dccp, egp, esp, gre, icmp, igmp, ipv6-icmp, ipip, l2tp, ospf, "
                         "pim, sctp, tcp, udp, udplite or vrrp",
                         "protocol", text);
}

/* firewalld's ICMP type names, and nft's for IPv4 and IPv6 (NULL: not in that family). */
/* firewalld's ICMP types: a name, and for each family the kernel's type (NULL: none of that family) and code
 * (-1: any) */
typedef struct IcmpType {
        const char *name, *v4;
        int v4_code;
        const char *v6;
        int v6_code;
} IcmpType;

#define V4(type, code) type, code
#define V6(type, code) type, code
#define NO_V4 NULL, -1
#define NO_V6 NULL, -1
/* clang-format off */
static const IcmpType icmp_types[] = {
        { "address-unreachable",         NO_V4,                                   V6("destination-unreachable", 3) },
        { "bad-header",                  NO_V4,                                   V6("parameter-problem", 0) },
        { "beyond-scope",                NO_V4,                                   V6("destination-unreachable", 2) },
        { "communication-prohibited",    V4("destination-unreachable", 13),       V6("destination-unreachable", 1) },
        { "destination-unreachable",     V4("destination-unreachable", -1),       V6("destination-unreachable", -1) },
        { "echo-reply",                  V4("echo-reply", -1),                    V6("echo-reply", -1) },
        { "echo-request",                V4("echo-request", -1),                  V6("echo-request", -1) },
        { "failed-policy",               NO_V4,                                   V6("destination-unreachable", 5) },
        { "fragmentation-needed",        V4("destination-unreachable", 4),        NO_V6 },
        { "host-precedence-violation",   V4("destination-unreachable", 14),       NO_V6 },
        { "host-prohibited",             V4("destination-unreachable", 10),       NO_V6 },
        { "host-redirect",               V4("redirect", 1),                       NO_V6 },
        { "host-unknown",                V4("destination-unreachable", 7),        NO_V6 },
        { "host-unreachable",            V4("destination-unreachable", 1),        NO_V6 },
        { "ip-header-bad",               V4("parameter-problem", 1),              NO_V6 },
        { "neighbour-advertisement",     NO_V4,                                   V6("nd-neighbor-advert", -1) },
        { "neighbour-solicitation",      NO_V4,                                   V6("nd-neighbor-solicit", -1) },
        { "network-prohibited",          V4("destination-unreachable", 8),        NO_V6 },
        { "network-redirect",            V4("redirect", 0),                       NO_V6 },
        { "network-unknown",             V4("destination-unreachable", 6),        NO_V6 },
        { "network-unreachable",         V4("destination-unreachable", 0),        NO_V6 },
        { "no-route",                    NO_V4,                                   V6("destination-unreachable", 0) },
        { "packet-too-big",              NO_V4,                                   V6("packet-too-big", -1) },
        { "parameter-problem",           V4("parameter-problem", -1),             V6("parameter-problem", -1) },
        { "port-unreachable",            V4("destination-unreachable", 3),        V6("destination-unreachable", 4) },
        { "precedence-cutoff",           V4("destination-unreachable", 15),       NO_V6 },
        { "protocol-unreachable",        V4("destination-unreachable", 2),        NO_V6 },
        { "redirect",                    V4("redirect", -1),                      V6("nd-redirect", -1) },
        { "reject-route",                NO_V4,                                   V6("destination-unreachable", 6) },
        { "required-option-missing",     V4("parameter-problem", 1),              NO_V6 },
        { "router-advertisement",        V4("router-advertisement", -1),          V6("nd-router-advert", -1) },
        { "router-solicitation",         V4("router-solicitation", -1),           V6("nd-router-solicit", -1) },
        { "source-quench",               V4("source-quench", -1),                 NO_V6 },
        { "source-route-failed",         V4("destination-unreachable", 5),        NO_V6 },
        { "time-exceeded",               V4("time-exceeded", -1),                 V6("time-exceeded", -1) },
        { "timestamp-reply",             V4("timestamp-reply", -1),               NO_V6 },
        { "timestamp-request",           V4("timestamp-request", -1),             NO_V6 },
        { "tos-host-redirect",           V4("redirect", 3),                       NO_V6 },
        { "tos-host-unreachable",        V4("destination-unreachable", 12),       NO_V6 },
        { "tos-network-redirect",        V4("redirect", 2),                       NO_V6 },
        { "tos-network-unreachable",     V4("destination-unreachable", 11),       NO_V6 },
        { "ttl-zero-during-reassembly",  V4("time-exceeded", 1),                  V6("time-exceeded", 1) },
        { "ttl-zero-during-transit",     V4("time-exceeded", 0),                  V6("time-exceeded", 0) },
        { "unknown-header-type",         NO_V4,                                   V6("parameter-problem", 1) },
        { "unknown-option",              NO_V4,                                   V6("parameter-problem", 2) },
};
/* clang-format on */

static const IcmpType *icmp_type_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(icmp_types); i++)
                if (streq(icmp_types[i].name, name))
                        return &icmp_types[i];
        return NULL;
}

/* an ICMP type's match of one family ("icmp type destination-unreachable icmp code 13 "), or false: none */
static bool icmp_match(const IcmpType *t, int family, char buf[static 96])
{
        const char *type = family == 4 ? t->v4 : t->v6, *proto = family == 4 ? "icmp" : "icmpv6";
        int code = family == 4 ? t->v4_code : t->v6_code;

        if (!type)
                return false;
        if (code < 0)
                snprintf(buf, 96, "%s type %s ", proto, type);
        else
                snprintf(buf, 96, "%s type %s %s code %d ", proto, type, proto, code);
        return true;
}

int zone_icmp_type_families(const char *name)
{
        const IcmpType *t = icmp_type_find(name);

        return !t ? 0 : (t->v4 ? ZONE_ICMP_IPV4 : 0) | (t->v6 ? ZONE_ICMP_IPV6 : 0);
}

const char *const *zone_icmp_type_names(size_t *ret_n)
{
        static const char *names[ELEMENTSOF(icmp_types)];

        for (size_t i = 0; i < ELEMENTSOF(icmp_types); i++)
                names[i] = icmp_types[i].name;
        *ret_n = ELEMENTSOF(icmp_types);
        return names;
}

int zone_check_icmp_type(const char *text, char **ret_why)
{
        for (size_t i = 0; i < ELEMENTSOF(icmp_types); i++)
                if (streq(icmp_types[i].name, text))
                        return 0;
        return why_value(ret_why, "Invalid %s '%s': expected a name such as echo-request (firewalld's names)",
                         "ICMP type", text);
}

/* The fields of a forward port, as firewall-cmd reads them: a value ends at the next ':' while another
 * "key=" follows, else at the end, so that an IPv6 toaddr (last) keeps its colons. */
static char *forward_port_field(char **p, char **ret_value)
{
        char *key = *p, *eq = strchr(key, '='), *end;

        if (!eq)
                return NULL;
        *eq = '\0';
        *ret_value = eq + 1;
        end = strchr(eq + 1, '=') ? strchr(eq + 1, ':') : NULL;
        if (end) {
                *end = '\0';
                *p = end + 1;
        } else
                *p = eq + 1 + strlen(eq + 1);
        return key;
}

int zone_check_forward_port(const char *text, char **ret_canonical, char **ret_why)
{
        _cleanup_free_ char *copy = strdup(text), *toaddr = NULL;
        unsigned port = 0, toport = 0;
        char *p, *field, *value, *out;
        const char *proto = NULL;
        bool bad = false;

        if (!copy)
                return -ENOMEM;
        for (p = copy; *p;) {
                field = forward_port_field(&p, &value);
                if (!field) {
                        bad = true;
                        break;
                }
                if (streq(field, "port") && !port && port_number(value, value + strlen(value), &port) == 0)
                        continue;
                if (streq(field, "proto") && !proto && port_protocol(value)) {
                        proto = value;
                        continue;
                }
                if (streq(field, "toport") && !toport && port_number(value, value + strlen(value), &toport) == 0)
                        continue;
                if (streq(field, "toaddr") && !toaddr) {
                        char *canonical = NULL;
                        size_t len = strlen(value);
                        /* "[2001:db8::2]" as firewall-cmd takes it */
                        if (len > 2 && value[0] == '[' && value[len - 1] == ']') {
                                value[len - 1] = '\0';
                                value++;
                        }
                        if (zone_check_source(value, &canonical, NULL) < 0 || strchr(canonical, '/') ||
                            strlen(canonical) == 17) {
                                free(canonical);
                                break;
                        }
                        toaddr = canonical;
                        continue;
                }
                bad = true;
                break;
        }
        if (bad || !port || !proto || (!toport && !toaddr))
                return why_value(ret_why,
                                 "Invalid %s '%s': expected port=PORT:proto=PROTOCOL with toport=PORT, toaddr=ADDRESS "
                                 "or both",
                                 "forward port", text);
        char toport_text[16] = "";
        if (toport)
                snprintf(toport_text, sizeof(toport_text), ":toport=%u", toport & 0xffff);
        if (asprintf(&out, "port=%u:proto=%s%s%s%s", port, proto, toport_text, toaddr ? ":toaddr=" : "",
                     strempty(toaddr)) < 0)
                return -ENOMEM;
        *ret_canonical = out;
        return 0;
}

/* ---- key=value files ---- */

bool key_values_line(const char *line, unsigned *number)
{
        const char *digits = startswith(line, "#line ");
        char *end;
        unsigned long n;

        if (!digits || !isdigit((unsigned char) *digits))
                return false;
        errno = 0;
        n = strtoul(digits, &end, 10);
        if (errno || *end || n == 0 || n > UINT_MAX)
                return false;
        *number = (unsigned) n - 1; /* the next line is line n */
        return true;
}

int key_values_read(FILE *f, const char *what,
                    int (*line)(const char *key, const char *value, void *userdata, char **ret_why), void *userdata,
                    char **ret_why)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        unsigned number = 0;
        ssize_t n;

        while ((n = getline(&buf, &size, f)) >= 0) {
                _cleanup_free_ char *why_line = NULL;
                char *s = buf, *eq;
                number++;
                while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
                        buf[--n] = '\0';
                s += strspn(s, " \t");
                if (key_values_line(s, &number) || !*s || *s == '#')
                        continue;
                eq = strchr(s, '=');
                if (!eq)
                        return why(ret_why, "Line %u of %s is not KEY=VALUE", number, what);
                *eq = '\0';
                int r = line(s, eq + 1, userdata, &why_line);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return why(ret_why, "Line %u of %s: %s", number, what, strempty(why_line));
        }
        return 0;
}

/* what a parsed rule names, known: firewalld's checks when it applies the rule (fw_policy's _rule_prepare) */
static int rich_rule_check_names(const RichRule *r, const ServiceCatalogue *services, const IPSetList *ipsets,
                                 const char **ret_code, char **ret_why)
{
        if (ipsets && r->source.present && *r->source.ipset) {
                /* a rule family that is not the ipset's is taken (firewalld takes it: the rule matches nothing) */
                const IPSet *s = ipset_list_find(ipsets, r->source.ipset);
                if (!s)
                        return refuse_code(ret_code, ret_why, "INVALID_IPSET", "%s", r->source.ipset);
                if (!ipset_usable_as_source(s->type))
                        return refuse_code(ret_code, ret_why, "INVALID_IPSET",
                                           "ipset '%s' with type '%s' not usable as source", s->name,
                                           ipset_type_name(s->type));
        }
        if (ipsets && r->destination.present && *r->destination.ipset &&
            !ipset_list_find(ipsets, r->destination.ipset))
                return refuse_code(ret_code, ret_why, "INVALID_IPSET", "%s", r->destination.ipset);
        if (r->element == RICH_SERVICE && services) {
                const ServiceDef *s = catalogue_find(services, r->name);
                if (!s)
                        return refuse_code(ret_code, ret_why, "INVALID_SERVICE", "%s", r->name);
                if ((s->destination_v4 || s->destination_v6) && r->destination.present)
                        return refuse_code(ret_code, ret_why, "INVALID_RULE", "Destination conflict with service.");
        }
        if (r->element == RICH_PROTOCOL && strspn(r->protocol, "0123456789") != strlen(r->protocol) &&
            zone_check_protocol(r->protocol, NULL) < 0)
                return refuse_code(ret_code, ret_why, "INVALID_PROTOCOL", "%s", r->protocol);
        if (r->element == RICH_ICMP_BLOCK || r->element == RICH_ICMP_TYPE) {
                const IcmpType *t = icmp_type_find(r->name);
                if (!t)
                        return refuse_code(ret_code, ret_why, "INVALID_ICMPTYPE", "%s", r->name);
                if (r->family && !(r->family == 4 ? t->v4 : t->v6))
                        return refuse_code(ret_code, ret_why, "INVALID_ICMPTYPE",
                                           "rich rule family 'ipv%d' conflicts with icmp type '%s'", r->family,
                                           r->name);
        }
        return 0;
}

int zone_rich_rule_check(const char *text, const ServiceCatalogue *services, const IPSetList *ipsets,
                         char **ret_canonical, const char **ret_code, char **ret_why)
{
        _cleanup_free_ RichRule *r = malloc(sizeof(RichRule));
        int k;

        if (!r)
                return -ENOMEM;
        k = rich_rule_parse(text, r, ret_code, ret_why);
        if (k >= 0)
                k = rich_rule_check_names(r, services, ipsets, ret_code, ret_why);
        return k < 0 ? k : rich_rule_format(r, ret_canonical);
}

int zone_check_rich_rule(const char *text, const ServiceCatalogue *services, char **ret_canonical, char **ret_why)
{
        _cleanup_free_ char *reason = NULL, *shown = NULL;
        const char *code;
        int r = zone_rich_rule_check(text, services, NULL, ret_canonical, &code, &reason);

        if (r >= 0 || r == -ENOMEM)
                return r;
        shown = escape_for_message(text);
        if (!shown)
                return -ENOMEM;
        /* firewalld's code first: its words are often the value alone ("INVALID_SERVICE: nope") */
        return reason && *reason ? why(ret_why, "Invalid rich rule '%s': %s: %s", shown, code, reason)
                                 : why(ret_why, "Invalid rich rule '%s': %s", shown, code);
}

/* ---- the services catalogue ---- */

void service_free(ServiceDef *s)
{
        if (!s)
                return;
        FREE_MANY(s->name, s->short_name, s->description);
        strlist_done(&s->ports);
        strlist_done(&s->protocols);
        strlist_done(&s->source_ports);
        strlist_done(&s->helpers);
        strlist_done(&s->includes);
        strlist_done(&s->own_ports);
        strlist_done(&s->own_protocols);
        strlist_done(&s->own_source_ports);
        strlist_done(&s->own_helpers);
        free(s->destination_v4);
        free(s->destination_v6);
        free(s->version);
        free(s);
}

static int service_line(const char *key, const char *value, void *userdata, char **ret_why)
{
        ServiceDef *s = userdata;
        _cleanup_free_ char *canonical = NULL;
        int r;

        if (IN_SET_STR(key, "description", "short", "version"))
                return free_and_strdup(streq(key, "short")     ? &s->short_name
                                       : streq(key, "version") ? &s->version
                                                               : &s->description,
                                       value);
        if (streq(key, "port") || streq(key, "source-port")) {
                r = zone_check_port(value, &canonical, ret_why);
                return r < 0 ? r
                       : strlist_add(streq(key, "port") ? &s->ports : &s->source_ports, canonical) < 0 ? -ENOMEM
                                                                                                       : 0;
        }
        if (streq(key, "include")) {
                r = service_check_name(value, ret_why);
                return r < 0 ? r : strlist_add(&s->includes, value) < 0 ? -ENOMEM : 0;
        }
        if (streq(key, "protocol")) {
                r = zone_check_protocol(value, ret_why);
                return r < 0 ? r : strlist_add(&s->protocols, value) < 0 ? -ENOMEM : 0;
        }
        if (streq(key, "helper")) /* known or not: its catalogue's to say (catalogue_resolve()) */
                return helper_check_name(value, ret_why) < 0 ? -EINVAL
                       : strlist_add(&s->helpers, value) < 0 ? -ENOMEM
                                                             : 0;
        if (streq(key, "destination")) {
                bool v6 = strncmp(value, "ipv6:", 5) == 0;
                char **field = v6 ? &s->destination_v6 : &s->destination_v4;
                if ((!v6 && strncmp(value, "ipv4:", 5) != 0) || *field ||
                    zone_check_source(value + 5, &canonical, NULL) < 0 || strlen(canonical) == 17 ||
                    (strchr(canonical, ':') != NULL) != v6)
                        return why_value(ret_why,
                                         "Invalid %s '%s': ipv4:ADDRESS[/LEN] or ipv6:ADDRESS[/LEN], each once",
                                         "destination", value);
                *field = TAKE_PTR(canonical);
                return 0;
        }
        return why_value(ret_why,
                         "Unknown %s '%s': short, description, version, port, protocol, source-port, helper, "
                         "include or destination",
                         "key", key);
}

int service_check_name(const char *name, char **ret_why)
{
        size_t n = strlen(name);

        if (n == 0 || n > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
                return why_value(ret_why, "Invalid %s '%s': letters, digits, '_' and '-', 64 at most", "service name",
                                 name);
        return 0;
}

int service_parse(const char *name, const char *origin, FILE *f, ServiceDef **ret, char **ret_why)
{
        ServiceDef *s = calloc(1, sizeof(ServiceDef));
        _cleanup_free_ char *what = NULL;
        int r;

        if (!s || !(s->name = strdup(name)) ||
            (origin ? !(what = strdup(origin)) : asprintf(&what, "service %s", name) < 0)) {
                service_free(s);
                return -ENOMEM;
        }
        r = service_check_name(name, ret_why);
        if (r >= 0)
                r = key_values_read(f, what, service_line, s, ret_why);
        if (r < 0) {
                service_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

int service_format(const ServiceDef *s, char **ret)
{
        bool own = s->includes.n > 0; /* what it has of its own, without what it includes */
        const struct {
                const char *key;
                const StrList *list;
        } lists[] = { { "port", own ? &s->own_ports : &s->ports },
                      { "protocol", own ? &s->own_protocols : &s->protocols },
                      { "source-port", own ? &s->own_source_ports : &s->source_ports },
                      { "helper", own ? &s->own_helpers : &s->helpers },
                      { "include", &s->includes } };
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return -ENOMEM;
        fprintf(f, "# nftbus service %s: KEY=VALUE lines, one value each (see nftbusd(8))\n", s->name);
        if (s->version)
                fprintf(f, "version=%s\n", s->version);
        if (s->short_name)
                fprintf(f, "short=%s\n", s->short_name);
        if (s->description)
                fprintf(f, "description=%s\n", s->description);
        for (size_t l = 0; l < ELEMENTSOF(lists); l++)
                for (size_t i = 0; i < lists[l].list->n; i++)
                        fprintf(f, "%s=%s\n", lists[l].key, lists[l].list->items[i]);
        if (s->destination_v4)
                fprintf(f, "destination=ipv4:%s\n", s->destination_v4);
        if (s->destination_v6)
                fprintf(f, "destination=ipv6:%s\n", s->destination_v6);
        if (fclose(f) != 0) {
                free(text);
                return -ENOMEM;
        }
        *ret = text;
        return 0;
}

ServiceDef *service_copy(const ServiceDef *s)
{
        _cleanup_free_ char *text = NULL;
        ServiceDef *copy = NULL;
        FILE *f;

        if (service_format(s, &text) < 0 || !(f = fmemopen(text, strlen(text), "r")))
                return NULL;
        if (service_parse(s->name, NULL, f, &copy, NULL) >= 0) {
                copy->shipped = s->shipped;
                copy->admin = s->admin;
        }
        fclose(f);
        return copy;
}

int catalogue_copy(const ServiceCatalogue *from, ServiceCatalogue *to)
{
        ServiceCatalogue c = {};
        int r = 0;

        for (size_t i = 0; r >= 0 && i < from->n; i++) {
                ServiceDef *s = service_copy(from->services[i]);
                r = s ? catalogue_put(&c, s) : -ENOMEM;
        }
        for (size_t i = 0; r >= 0 && i < from->n_helpers; i++) {
                HelperDef *h = helper_copy(from->helpers[i]);
                r = h ? catalogue_put_helper(&c, h) : -ENOMEM;
        }
        if (r < 0) {
                catalogue_done(&c);
                return r;
        }
        *to = c;
        return 0;
}

int catalogue_put(ServiceCatalogue *c, ServiceDef *s)
{
        size_t i = 0;

        if (!c->rich_memo && !(c->rich_memo = rich_memo_new())) {
                service_free(s);
                return -ENOMEM;
        }
        rich_memo_clear(c->rich_memo);

        while (i < c->n && strcmp(c->services[i]->name, s->name) < 0)
                i++;
        if (i < c->n && streq(c->services[i]->name, s->name)) {
                s->shipped = s->shipped || c->services[i]->shipped;
                service_free(c->services[i]);
                c->services[i] = s;
                return 0;
        }
        if (POINTER_ARRAY_INSERT(c->services, c->n, i, s) < 0) {
                service_free(s);
                return -ENOMEM;
        }
        return 0;
}

int catalogue_remove(ServiceCatalogue *c, const char *name)
{
        for (size_t i = 0; i < c->n; i++)
                if (streq(c->services[i]->name, name)) {
                        service_free(POINTER_ARRAY_TAKE(c->services, c->n, i));
                        rich_memo_clear(c->rich_memo);
                        return 1;
                }
        return 0;
}

const ServiceDef *catalogue_find(const ServiceCatalogue *c, const char *name)
{
        for (size_t i = 0; i < c->n; i++)
                if (streq(c->services[i]->name, name))
                        return c->services[i];
        return NULL;
}

/* what s takes of from: its ports, protocols, source ports and helpers */
static int service_take(ServiceDef *s, const ServiceDef *from)
{
        const StrList *lists[][2] = { { &from->ports, &s->ports },
                                      { &from->protocols, &s->protocols },
                                      { &from->source_ports, &s->source_ports },
                                      { &from->helpers, &s->helpers } };

        for (size_t l = 0; l < ELEMENTSOF(lists); l++)
                for (size_t i = 0; i < lists[l][0]->n; i++)
                        if (strlist_add((StrList *) lists[l][1], lists[l][0]->items[i]) < 0)
                                return -ENOMEM;
        return 0;
}

/* s takes what the services it includes have, theirs first (seen: the names on the way, against a loop) */
static int service_resolve(ServiceCatalogue *c, ServiceDef *s, StrList *seen, FILE *problems)
{
        int r;

        if (s->resolved)
                return 0;
        r = strlist_add(seen, s->name);
        /* what it has of its own, kept apart */
        if (r >= 0 && s->includes.n > 0)
                r = strlist_copy(&s->ports, &s->own_ports) < 0 || strlist_copy(&s->protocols, &s->own_protocols) < 0 ||
                                    strlist_copy(&s->source_ports, &s->own_source_ports) < 0 ||
                                    strlist_copy(&s->helpers, &s->own_helpers) < 0
                            ? -ENOMEM
                            : 0;
        for (size_t i = 0; r >= 0 && i < s->includes.n; i++) {
                ServiceDef *included = (ServiceDef *) catalogue_find(c, s->includes.items[i]);
                if (!included) {
                        fprintf(problems, "Service %s includes %s, which the catalogue lacks\n", s->name,
                                s->includes.items[i]);
                        continue;
                }
                if (!strlist_contains(seen, included->name))
                        r = service_resolve(c, included, seen, problems);
                if (r >= 0)
                        r = service_take(s, included);
        }
        s->resolved = r >= 0;
        return r < 0 ? r : 0;
}

int catalogue_resolve(ServiceCatalogue *c, char **problems)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        int r = 0;

        if (!f)
                return -ENOMEM;
        rich_memo_clear(c->rich_memo);
        for (size_t i = 0; r >= 0 && i < c->n; i++) {
                StrList seen = {};
                r = service_resolve(c, c->services[i], &seen, f);
                strlist_done(&seen);
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        if (r >= 0 && size > 0) {
                text[size - 1] = '\0'; /* lines apart, none after the last, as the loader's problems */
                r = text_append_line(problems, text);
        }
        return r;
}

void catalogue_done(ServiceCatalogue *c)
{
        for (size_t i = 0; i < c->n; i++)
                service_free(c->services[i]);
        free(c->services);
        for (size_t i = 0; i < c->n_helpers; i++)
                helper_free(c->helpers[i]);
        free(c->helpers);
        rich_memo_free(c->rich_memo);
        *c = (ServiceCatalogue){};
}

/* ---- zone files ---- */

typedef struct ZoneParse {
        Zone *zone;
        const ServiceCatalogue *services;
} ZoneParse;

static int zone_line(const char *key, const char *value, void *userdata, char **ret_why)
{
        ZoneParse *p = userdata;

        return zone_file_line(p->zone, p->services, key, value, ret_why);
}

/* Adds a checked value to a list; the checker canonicalises (NULL: the value as it is). */
int zone_file_line(Zone *z, const ServiceCatalogue *services, const char *key, const char *value, char **ret_why)
{
        int t, k, r;

        if (IN_SET_STR(key, "description", "short", "version")) {
                char **field = streq(key, "description") ? &z->description
                               : streq(key, "short")     ? &z->short_name
                                                         : &z->version;
                return free_and_strdup(field, value);
        }
        if (streq(key, "target")) {
                t = zone_target_of_name(value, false);
                if (t < 0)
                        return why_value(ret_why, "Invalid %s '%s': default, accept, reject or drop", "target", value);
                z->target = (ZoneTarget) t;
                return 0;
        }
        if (IN_SET_STR(key, "masquerade", "forward", "icmp-block-inversion")) {
                if (!streq(value, "yes") && !streq(value, "no"))
                        return why_value(ret_why, "Invalid %s '%s': yes or no", key, value);
                *(streq(key, "forward")      ? &z->forward
                  : streq(key, "masquerade") ? &z->masquerade
                                             : &z->icmp_block_inversion) = streq(value, "yes");
                return 0;
        }
        k = zone_list_of_file_key(key);
        if (k == ZONE_LIST_SERVICE && !catalogue_find(services, value)) /* a file's line says no more */
                return why_value(ret_why, "Unknown %s '%s'", "service", value);
        if (k >= 0) { /* ports' ranges that overlap are merged once all are read (zone_parse()) */
                _cleanup_free_ char *canonical = NULL;
                r = zone_list_check((ZoneListKind) k, value, services, &canonical, ret_why);
                if (r < 0)
                        return r;
                return strlist_add(zone_list(z, (ZoneListKind) k), canonical) < 0 ? -ENOMEM : 0;
        }
        return why_value(ret_why,
                         "Unknown %s '%s': description, short, version, target, masquerade, forward, "
                         "icmp-block-inversion, interface, source, service, port, protocol, forward-port, icmp-block, "
                         "rule or source-port",
                         "key", key);
}

int zone_parse(const char *name, const char *origin, FILE *f, const ServiceCatalogue *services, Zone **ret,
               char **ret_why)
{
        _cleanup_free_ char *what = NULL;
        ZoneParse p = { .services = services };
        int r;

        r = zone_check_name(name, ret_why);
        if (r < 0)
                return r;
        p.zone = zone_new(name);
        if (p.zone) /* files written before the key existed: as the zone is built in */
                p.zone->forward = zone_is_builtin(name);
        if (!p.zone || (origin ? !(what = strdup(origin)) : asprintf(&what, "zone %s", name) < 0)) {
                zone_free(p.zone);
                return -ENOMEM;
        }
        r = key_values_read(f, what, zone_line, &p, ret_why);
        if (r >= 0)
                r = zone_ports_normalize(&p.zone->ports);
        if (r >= 0)
                r = zone_ports_normalize(&p.zone->source_ports);
        if (r < 0) {
                zone_free(p.zone);
                return r;
        }
        *ret = p.zone;
        return 0;
}

int zone_file_format(const Zone *z, const char *kind, void (*settings)(FILE *f, const void *userdata),
                     const void *userdata, char **ret)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;
        fprintf(f, "# nftbus %s %s: KEY=VALUE lines, one value each (see nftbusd(8))\n", kind, z->name);
        if (z->short_name)
                fprintf(f, "short=%s\n", z->short_name);
        if (z->version)
                fprintf(f, "version=%s\n", z->version);
        if (z->description)
                fprintf(f, "description=%s\n", z->description);
        settings(f, userdata);
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++) {
                const StrList *l = zone_list_const(z, k);
                for (size_t i = 0; i < l->n; i++)
                        fprintf(f, "%s=%s\n", zone_list_types[k].file_key, l->items[i]);
        }
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

static void zone_settings_lines(FILE *f, const void *userdata)
{
        const Zone *z = userdata;

        fprintf(f, "target=%s\nmasquerade=%s\nforward=%s\n", zone_target_name(z->target, false),
                z->masquerade ? "yes" : "no", z->forward ? "yes" : "no");
        if (z->icmp_block_inversion)
                fputs("icmp-block-inversion=yes\n", f);
}

int zone_format(const Zone *z, char **ret)
{
        return zone_file_format(z, "zone", zone_settings_lines, z, ret);
}

/* ---- the ruleset ---- */

static bool is_mac(const char *source)
{
        return strlen(source) == 17 && source[2] == ':';
}

static bool is_v6(const char *source)
{
        return !is_mac(source) && strchr(source, ':') != NULL;
}

/* "map NAME { type TYPE : verdict; [flags interval;] elements = { KEY : goto zone_Z[SUFFIX], ... } }" of every
 * zone's KEY (interfaces, or sources of one kind); for the zones that do not want this hook (wanted, NULL: all
 * do), KEY : accept. */
typedef enum SourceKind { KEY_INTERFACE, KEY_SOURCE_V4, KEY_SOURCE_V6, KEY_SOURCE_MAC } SourceKind;

/* the build's rich rules, by zone (below), and whether a zone wants a hook by them */
typedef struct RichPlans RichPlans;
typedef bool (*zone_wants_t)(const RichPlans *p, const Zone *z);

static bool key_of_kind(const char *source, SourceKind kind)
{
        if (kind != KEY_INTERFACE && ipset_of(source))
                return false; /* a set of its own, matched by rules (dispatch_rules()) */
        switch (kind) {
        case KEY_SOURCE_V4:
                return !is_mac(source) && !is_v6(source);
        case KEY_SOURCE_V6:
                return is_v6(source);
        case KEY_SOURCE_MAC:
                return is_mac(source);
        default:
                return true;
        }
}

/* Where the ruleset goes: the whole text, or its skeleton (every map and set without its elements) with the
 * elements collected apart, as "SET\tKEY\tVALUE" lines (VALUE "" for a set), for an update of elements only. */
typedef struct Out {
        FILE *f;
        StrList *elements; /* NULL: the elements go into the text */
} Out;

static void element(Out *o, bool *first, const char *set, const char *key, const char *value)
{
        if (o->elements) { /* appended, sorted once at the end (ruleset()): 30,000 sorted inserts were slow */
                char *line = NULL;
                if (asprintf(&line, "%s\t%s\t%s", set, key, strempty(value)) < 0)
                        return;
                if (strlist_push(o->elements, line) < 0)
                        free(line);
                return;
        }
        fprintf(o->f, "%s%s%s%s", *first ? "\t\telements = { " : ",\n\t\t\t", key, value ? " : " : "",
                strempty(value));
        *first = false;
}

static void dispatch_map(Out *o, const ZoneConfig *c, const char *name, SourceKind kind, const char *suffix,
                         zone_wants_t wanted, const RichPlans *plans, const char *otherwise)
{
        FILE *f = o->f;
        static const char *const types[] = { [KEY_INTERFACE] = "ifname",
                                             [KEY_SOURCE_V4] = "ipv4_addr",
                                             [KEY_SOURCE_V6] = "ipv6_addr",
                                             [KEY_SOURCE_MAC] = "ether_addr" };
        bool first = true;

        fprintf(f, "\tmap %s {\n\t\ttype %s : verdict;\n", name, types[kind]);
        if (kind == KEY_SOURCE_V4 || kind == KEY_SOURCE_V6)
                fputs("\t\tflags interval;\n", f);
        for (size_t i = 0; i < c->n_zones; i++) {
                const Zone *z = c->zones[i];
                const StrList *l = kind == KEY_INTERFACE ? &z->interfaces : &z->sources;
                /* a zone that does not want this hook still claims its interfaces and sources: otherwise (accept,
                 * or on to the policies after the zones), and no other zone's (the default's) rules of this hook
                 * apply to them */
                bool want = !wanted || wanted(plans, z);
                for (size_t k = 0; k < l->n; k++) {
                        char key[64], value[160];
                        if (!key_of_kind(strlist_sorted(l, k), kind))
                                continue;
                        snprintf(key, sizeof(key), kind == KEY_INTERFACE ? "\"%s\"" : "%s", strlist_sorted(l, k));
                        if (want)
                                snprintf(value, sizeof(value), "goto zone_%s%s", z->name, suffix);
                        else
                                snprintf(value, sizeof(value), "%s", otherwise);
                        element(o, &first, name, key, value);
                }
        }
        fputs(first ? "\t}\n" : " }\n\t}\n", f);
}

/* the four dispatch rules of a base chain, by source then interface, to the chains "zone_Z" + suffix, then
 * the default zone's (when it has one: has_default; else otherwise, when it is not accept) */
static void dispatch_rules(FILE *f, const ZoneConfig *c, const char *prefix, const char *addr, const char *iif,
                           const char *suffix, zone_wants_t wanted, const RichPlans *plans, bool has_default, bool mac,
                           const char *otherwise)
{
        fprintf(f, "\t\tip %s vmap @%ssource_v4\n\t\tip6 %s vmap @%ssource_v6\n", addr, prefix, addr, prefix);
        if (mac)
                fprintf(f, "\t\tether %s vmap @%ssource_mac\n", addr, prefix);
        /* the zones' ipset sources: a lookup each, after the maps of single sources */
        for (size_t i = 0; i < c->n_zones; i++)
                for (size_t k = 0; k < c->zones[i]->sources.n; k++) {
                        const char *name = ipset_of(strlist_sorted(&c->zones[i]->sources, k));
                        const IPSet *s = name ? ipset_list_find(&c->ipsets, name) : NULL;
                        if (!s) /* zone_config_check() lets no zone name an ipset that is not there */
                                continue;
                        fputs("\t\t", f);
                        ipset_match(f, s, streq(addr, "daddr"), false);
                        if (!wanted || wanted(plans, c->zones[i]))
                                fprintf(f, " goto zone_%s%s\n", c->zones[i]->name, suffix);
                        else
                                fprintf(f, " %s\n", otherwise);
                }
        fprintf(f, "\t\t%s vmap @%sinterface\n", iif, prefix);
        if (has_default)
                fprintf(f, "\t\tgoto zone_%s%s\n", c->default_zone, suffix);
        else if (!streq(otherwise, "accept"))
                fprintf(f, "\t\t%s\n", otherwise);
}

/* The configuration's ipsets (with their elements, or in a skeleton without; those of kept, the sets kept in the
 * table with what they hold, without) */
static int ipset_sets(FILE *f, const ZoneConfig *c, const StrList *carried, bool elements, const StrList *kept)
{
        for (size_t i = 0; i < c->ipsets.n; i++) {
                char set[sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX];
                ipset_set_name(c->ipsets.items[i]->name, set);
                int r = ipset_declare(f, c->ipsets.items[i], carried,
                                      elements && !(kept && strlist_contains(kept, set)));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* a port's nft text: "tcp . 22", "udp . 6000-6010" */
static void port_element(FILE *f, const char *port)
{
        const char *slash = strchr(port, '/');
        fprintf(f, "%s . %.*s", slash + 1, (int) (slash - port), port);
}

/* "meta l4proto . th sport { udp . 53, ... } accept": what comes from one of the ports (none: nothing) */
static void source_ports_rule(FILE *f, const StrList *ports)
{
        for (size_t k = 0; k < ports->n; k++) {
                fputs(k ? ", " : "\t\tmeta l4proto . th sport { ", f);
                port_element(f, strlist_sorted(ports, k));
        }
        if (ports->n > 0)
                fputs(" } accept\n", f);
}

/* ---- rich rules in the ruleset ---- */

/* A zone's rule, where it goes, and what it writes there (remembered: core/richmemo.h) */
typedef struct PlacedRule {
        RichMemoEntry *memo;
        size_t order; /* among the zone's rules, as added */
        RichChain chain;
} PlacedRule;

static int placed_compare(const void *a, const void *b)
{
        const PlacedRule *x = a, *y = b;

        if (x->memo->priority != y->memo->priority)
                return x->memo->priority < y->memo->priority ? -1 : 1;
        return x->order < y->order ? -1 : x->order > y->order;
}

/* What a zone's rich rules ask of the hooks besides its filter chain */
enum {
        ASKS_FORWARD_PORTS = 1 << 0, /* prerouting */
        ASKS_MASQUERADE = 1 << 1,    /* postrouting */
        ASKS_MARKS = 1 << 2,         /* mangle's prerouting */
};

/* One build's rich rules: each zone's and policy's placed once, by priority then in the order added (a policy's:
 * those of its filter hook, input or forward, all in its one filter chain), with what they ask; by the zone */
#define RICH_CHAINS (RICH_CHAIN_MANGLE + 1)
static const char rich_places[] = "pLdal"; /* rich_rule_place()'s, in a chain's order */
#define RICH_PLACES (sizeof(rich_places) - 1)

typedef struct RichPlan {
        const Zone *zone;
        PlacedRule *rules;
        unsigned asks;
        /* the rules of each chain at each place (rules that write there, or nothing: a rule without a log has a
         * log place), in order */
        const RichMemoEntry **at[RICH_CHAINS][RICH_PLACES];
        size_t n_at[RICH_CHAINS][RICH_PLACES];
} RichPlan;

struct RichPlans {
        RichPlan *items; /* sorted by zone */
        size_t n;
};

static void rich_plan_done(RichPlan *p)
{
        free(p->rules);
        for (size_t c = 0; c < RICH_CHAINS; c++)
                for (size_t k = 0; k < RICH_PLACES; k++)
                        free(p->at[c][k]);
}

static void rich_plans_done(RichPlans *p)
{
        for (size_t i = 0; i < p->n; i++)
                rich_plan_done(&p->items[i]);
        free(p->items);
        *p = (RichPlans){};
}

static int plan_compare(const void *a, const void *b)
{
        const RichPlan *x = a, *y = b;

        return (x->zone > y->zone) - (x->zone < y->zone);
}

static int rich_plan(const Zone *z, bool policy, RichMemo *memo, RichPlan *ret)
{
        _cleanup_free_ PlacedRule *placed = calloc(z->rich_rules.n + 1, sizeof(PlacedRule));
        unsigned asks = 0;
        int r = 0;

        if (!placed)
                return -ENOMEM;
        for (size_t k = 0; k < z->rich_rules.n; k++) {
                RichMemoEntry *e = rich_memo_get(memo, z->rich_rules.items[k], &r);
                if (!e)
                        return r; /* kept canonical: -EINVAL never */
                placed[k] = (PlacedRule){ .memo = e, .order = k, .chain = e->chain };
                if (policy && placed[k].chain == RICH_CHAIN_FORWARD)
                        placed[k].chain = RICH_CHAIN_INPUT;
                asks |= (e->element == RICH_FORWARD_PORT ? ASKS_FORWARD_PORTS : 0) |
                        (e->element == RICH_MASQUERADE ? ASKS_MASQUERADE : 0) |
                        (e->action == RICH_MARK ? ASKS_MARKS : 0);
        }
        for (size_t k = 1; k < z->rich_rules.n; k++)
                if (placed_compare(&placed[k - 1], &placed[k]) > 0) { /* mostly of one priority: in order already */
                        qsort(placed, z->rich_rules.n, sizeof(PlacedRule), placed_compare);
                        break;
                }
        *ret = (RichPlan){ .zone = z, .rules = TAKE_PTR(placed), .asks = asks };
        for (size_t k = 0; k < z->rich_rules.n; k++)
                for (size_t i = 0; i < RICH_PLACES; i++) {
                        const PlacedRule *pr = &ret->rules[k];
                        const RichMemoEntry ***at = &ret->at[pr->chain][i];
                        if (pr->memo->place != rich_places[i] && pr->memo->log_place != rich_places[i])
                                continue;
                        if (!*at && !(*at = calloc(z->rich_rules.n, sizeof(RichMemoEntry *)))) {
                                rich_plan_done(ret);
                                return -ENOMEM;
                        }
                        (*at)[ret->n_at[pr->chain][i]++] = pr->memo;
                }
        return 0;
}

static int rich_plans(const ZoneConfig *c, RichMemo *memo, RichPlans *ret)
{
        RichPlans p = { .items = calloc(c->n_zones + c->n_policies + 1, sizeof(RichPlan)) };
        int r = p.items ? 0 : -ENOMEM;

        for (size_t i = 0; r >= 0 && i < c->n_zones + c->n_policies; i++) {
                bool policy = i >= c->n_zones;
                r = rich_plan(policy ? &c->policies[i - c->n_zones]->zone : c->zones[i], policy, memo, &p.items[p.n]);
                p.n += r >= 0;
        }
        if (r < 0) {
                rich_plans_done(&p);
                return r;
        }
        qsort(p.items, p.n, sizeof(RichPlan), plan_compare);
        *ret = p;
        return 0;
}

static const RichPlan *rich_plan_of(const RichPlans *p, const Zone *z)
{
        RichPlan key = { .zone = z };

        return p->n ? bsearch(&key, p->items, p->n, sizeof(RichPlan), plan_compare) : NULL;
}

static bool zone_asks(const RichPlans *p, const Zone *z, unsigned what)
{
        const RichPlan *plan = rich_plan_of(p, z);

        return plan && (plan->asks & what);
}

/* whether a zone has something of its own in the chains of these hooks: port forwards (prerouting), masquerade
 * (postrouting), marks (mangle's prerouting) */
static bool has_forward_ports(const RichPlans *p, const Zone *z)
{
        return z->forward_ports.n > 0 || zone_asks(p, z, ASKS_FORWARD_PORTS);
}

static bool has_masquerade(const RichPlans *p, const Zone *z)
{
        return z->masquerade || zone_asks(p, z, ASKS_MASQUERADE);
}

static bool has_marks(const RichPlans *p, const Zone *z)
{
        return zone_asks(p, z, ASKS_MARKS);
}

/* a port or range as nft writes it: firewalld takes a range either way round */
static const char *port_nft(const char *port, char buf[static 24])
{
        unsigned lo, hi;

        if (sscanf(port, "%u-%u", &lo, &hi) == 2 && lo > hi)
                snprintf(buf, 24, "%u-%u", hi, lo);
        else
                snprintf(buf, 24, "%s", port);
        return buf;
}

/* One match of a rule's (its peers, then what): its terminal rules at place */
_printf_(6, 7) static void rich_match(FILE *f, const RichRule *r, char place, const char *peers, const char *statement,
                                      const char *fmt, ...)
{
        _cleanup_free_ char *what = NULL, *match = NULL;
        va_list ap;
        int k;

        va_start(ap, fmt);
        k = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (k < 0 || asprintf(&match, "%s%s", peers, what) < 0)
                return;
        rich_rule_print_terminals(f, r, place, match, statement);
}

/* a service's matches: its ports and protocols, where it has a destination to it alone (firewalld: for each
 * family of the rule's that the service has one for) */
static void rich_service(FILE *f, const RichRule *r, char place, const char *peers, const ServiceDef *s)
{
        for (int family = 4; family <= 6; family += 2) {
                const char *d = family == 4 ? s->destination_v4 : s->destination_v6;
                char dest[96] = "";
                if (s->destination_v4 || s->destination_v6) {
                        if (!d || (r->family && r->family != family))
                                continue;
                        snprintf(dest, sizeof(dest), "%s daddr %s ", family == 4 ? "ip" : "ip6", d);
                } else if (family == 6)
                        break; /* no destination: the matches once, for both families */
                for (size_t p = 0; p < s->ports.n; p++) {
                        const char *port = strlist_sorted(&s->ports, p), *slash = strchr(port, '/');
                        rich_match(f, r, place, peers, NULL, "%s%s dport %.*s ", dest, slash + 1, (int) (slash - port),
                                   port);
                }
                for (size_t p = 0; p < s->protocols.n; p++)
                        rich_match(f, r, place, peers, NULL, "%smeta l4proto %s ", dest,
                                   strlist_sorted(&s->protocols, p));
        }
}

/* a forward port's statement: to another address (and port), or to a port of the host */
static char *forward_statement(const RichRule *r)
{
        char *s = NULL;
        bool v6 = strchr(r->to_addr, ':') != NULL;

        if (!*r->to_addr)
                return asprintf(&s, "redirect to :%s", r->to_port) < 0 ? NULL : s;
        if (!*r->to_port)
                return asprintf(&s, "dnat %s to %s", v6 ? "ip6" : "ip", r->to_addr) < 0 ? NULL : s;
        return asprintf(&s, v6 ? "dnat ip6 to [%s]:%s" : "dnat ip to %s:%s", r->to_addr, r->to_port) < 0 ? NULL : s;
}

/* The nft rules of one rule at one place of its chain */
static int rich_emit(FILE *f, const RichRule *r, char place, const ServiceCatalogue *services, const IPSetList *ipsets)
{
        _cleanup_free_ char *peers = NULL, *statement = NULL;
        char port[24];
        size_t size = 0;
        FILE *pf = open_memstream(&peers, &size);

        if (!pf)
                return -ENOMEM;
        if (rich_rule_matches_nothing(r, ipsets)) {
                fclose(pf);
                return 0;
        }
        rich_rule_print_peers(pf, r, ipsets);
        if (fclose(pf) != 0)
                return -ENOMEM;
        switch (r->element) {
        case RICH_NO_ELEMENT:
                rich_rule_print_terminals(f, r, place, peers, NULL);
                break;
        case RICH_PORT:
        case RICH_SOURCE_PORT:
                rich_match(f, r, place, peers, NULL, "%s %s %s ", r->protocol,
                           r->element == RICH_PORT ? "dport" : "sport", port_nft(r->port, port));
                break;
        case RICH_PROTOCOL:
                rich_match(f, r, place, peers, NULL, "meta l4proto %s ", r->protocol);
                break;
        case RICH_SERVICE: {
                const ServiceDef *s = catalogue_find(services, r->name);
                if (!s)
                        return -ENOENT;
                rich_service(f, r, place, peers, s);
                break;
        }
        case RICH_ICMP_BLOCK:
        case RICH_ICMP_TYPE: {
                const IcmpType *t = icmp_type_find(r->name);
                for (int family = 4; t && family <= 6; family += 2) {
                        char match[96];
                        if (!icmp_match(t, family, match) || (r->family && r->family != family))
                                continue;
                        rich_match(f, r, place, peers,
                                   r->element == RICH_ICMP_BLOCK ? "reject with icmpx admin-prohibited" : NULL, "%s",
                                   match);
                }
                break;
        }
        case RICH_FORWARD_PORT:
                statement = forward_statement(r);
                if (!statement)
                        return -ENOMEM;
                rich_match(f, r, place, peers, statement, "%s dport %s ", r->protocol, port_nft(r->port, port));
                break;
        case RICH_MASQUERADE:
                rich_match(f, r, place, peers, "masquerade", "oifname != \"lo\" ");
                break;
        case RICH_TCP_MSS_CLAMP:
                if (asprintf(&statement, "tcp option maxseg size set %s",
                             *r->value && !streq(r->value, "pmtu") && !streq(r->value, "None") ? r->value : "rt mtu") <
                    0)
                        return -ENOMEM;
                rich_match(f, r, place, peers, statement, "tcp flags syn ");
                break;
        }
        return 0;
}

/* The nft rules of one rule at one place ("" for none), written once and remembered in e; those of a rule naming an
 * ipset, which depend on the ipset, written each time into *ret_own */
static int rich_rule_nft(RichMemoEntry *e, char place, const ServiceCatalogue *services, const IPSetList *ipsets,
                         char **ret_own, const char **ret_text)
{
        char **nft = &e->nft[place == e->place ? 0 : 1];
        _cleanup_free_ RichRule *r = NULL;
        _cleanup_free_ char *reason = NULL, *buf = NULL;
        const char *code;
        size_t size = 0;
        FILE *m;
        int k;

        if (*nft) {
                *ret_text = *nft;
                return 0;
        }
        r = malloc(sizeof(RichRule));
        if (!r)
                return -ENOMEM;
        k = rich_rule_parse(e->key.key, r, &code, &reason);
        if (k < 0)
                return k;
        m = open_memstream(&buf, &size);
        if (!m)
                return -ENOMEM;
        k = rich_emit(m, r, place, services, ipsets);
        if (fclose(m) != 0 || k < 0)
                return k < 0 ? k : -ENOMEM;
        *ret_text = buf;
        if (e->names_ipset)
                *ret_own = TAKE_PTR(buf);
        else
                *nft = TAKE_PTR(buf);
        return 0;
}

/* A place of up to RICH_INLINE_MAX rules has them in the chain itself. One of more has them in chunk chains the chain
 * jumps to, cut where a rule's text hashes to a multiple of RICH_CHUNK (64 rules a chunk on average) and named
 * CHAIN_PLACE_HASH by the hash of the chunk's first rule: the cuts and the names follow the rules, not their count,
 * so a rule added or removed changes its own chunk (of about 64 rules), never every chunk after it. The kernel
 * writes a chain anew at each change of it: 3 to 20 ms with 10,000 rules, 30 us with 64. */
#define RICH_INLINE_MAX 64
#define RICH_CHUNK 64

/* Where a chain's rich rules go: the chain's own text, and the places that have their rules in chunks, written
 * after the chain (rich_chunks()) */
typedef struct RichOut {
        FILE *f;
        const RichPlan *plan;
        const char *chain; /* the chain's name, the chunks' prefix */
        struct {
                char chain[POLICY_NAME_MAX + 32];
                RichChain rich_chain;
                size_t place;
        } chunked[RICH_CHAINS * RICH_PLACES];
        size_t n_chunked;
} RichOut;

/* Each rule of one chain at one place that writes something there, by visit(): its text, and whether a chunk starts
 * or ends with it. Returns how many, or negative. */
static int rich_place_each(const RichPlan *plan, RichChain chain, size_t place, const ServiceCatalogue *services,
                           const IPSetList *ipsets, void (*visit)(const RichMemoEntry *e, const char *text, void *u),
                           void *userdata)
{
        int n = 0, k = 0;

        for (size_t i = 0; k >= 0 && i < plan->n_at[chain][place]; i++) {
                RichMemoEntry *e = (RichMemoEntry *) plan->at[chain][place][i];
                _cleanup_free_ char *own = NULL;
                const char *text = NULL;
                k = rich_rule_nft(e, rich_places[place], services, ipsets, &own, &text);
                if (k < 0 || !*text)
                        continue;
                n++;
                if (visit)
                        visit(e, text, userdata);
        }
        return k < 0 ? k : n;
}

static void write_text(const RichMemoEntry *e, const char *text, void *userdata)
{
        fputs(text, userdata);
}

typedef struct ChunkWriter {
        FILE *f;
        const char *chain;
        char place;
        bool jumps; /* the jumps, in the chain; else the chunks themselves */
        bool open;
} ChunkWriter;

static void write_chunked(const RichMemoEntry *e, const char *text, void *userdata)
{
        ChunkWriter *w = userdata;

        if (!w->open) {
                if (w->jumps)
                        fprintf(w->f, "\t\tjump %s_%c_%016" PRIx64 "\n", w->chain, w->place, e->hash);
                else
                        fprintf(w->f, "\tchain %s_%c_%016" PRIx64 " {\n", w->chain, w->place, e->hash);
                w->open = true;
        }
        if (!w->jumps)
                fputs(text, w->f);
        if (e->hash % RICH_CHUNK == 0) {
                if (!w->jumps)
                        fputs("\t}\n", w->f);
                w->open = false;
        }
}

/* The nft rules of the zone's rich rules of one chain at one place (rich_rule_place()): in the chain, or jumps to
 * their chunks */
static int rich_rules_at(RichOut *o, RichChain chain, char place_letter, const ServiceCatalogue *services,
                         const IPSetList *ipsets)
{
        size_t place = (size_t) (strchr(rich_places, place_letter) - rich_places);
        int n = rich_place_each(o->plan, chain, place, services, ipsets, NULL, NULL);

        if (n <= RICH_INLINE_MAX)
                return n < 0 ? n : rich_place_each(o->plan, chain, place, services, ipsets, write_text, o->f);
        if (o->n_chunked == ELEMENTSOF(o->chunked))
                return -E2BIG; /* a chain's places are visited once */
        snprintf(o->chunked[o->n_chunked].chain, sizeof(o->chunked[0].chain), "%s", o->chain);
        o->chunked[o->n_chunked].rich_chain = chain;
        o->chunked[o->n_chunked++].place = place;
        return rich_place_each(o->plan, chain, place, services, ipsets, write_chunked,
                               &(ChunkWriter){ .f = o->f, .chain = o->chain, .place = place_letter, .jumps = true });
}

/* The chunk chains of the places rich_rules_at() jumped from */
static int rich_chunks(RichOut *o, const ServiceCatalogue *services, const IPSetList *ipsets)
{
        int k = 0;

        for (size_t i = 0; k >= 0 && i < o->n_chunked; i++) {
                ChunkWriter w = { .f = o->f, .chain = o->chunked[i].chain, .place = rich_places[o->chunked[i].place] };
                k = rich_place_each(o->plan, o->chunked[i].rich_chain, o->chunked[i].place, services, ipsets,
                                    write_chunked, &w);
                if (w.open)
                        fputs("\t}\n", o->f);
        }
        return k;
}

/* the places of a chain before what the zone has of its own (pre, log, deny) and after it (allow, post) */
static int rich_rules_before(RichOut *o, RichChain chain, const ServiceCatalogue *services, const IPSetList *ipsets)
{
        int k = rich_rules_at(o, chain, 'p', services, ipsets);

        if (k >= 0)
                k = rich_rules_at(o, chain, 'L', services, ipsets);
        return k >= 0 ? rich_rules_at(o, chain, 'd', services, ipsets) : k;
}

static int rich_rules_after(RichOut *o, RichChain chain, const ServiceCatalogue *services, const IPSetList *ipsets)
{
        int k = rich_rules_at(o, chain, 'a', services, ipsets);

        return k >= 0 ? rich_rules_at(o, chain, 'l', services, ipsets) : k;
}

/* "tcp dport 21 ct helper set \"helper-ftp-tcp\"": each helper of a service attached on its own ports (firewalld's
 * way: the helper's ports, not the service's), where the kernel has its helper for that protocol */
static void service_helper_rules(FILE *f, const ServiceCatalogue *services, const ServiceDef *s)
{
        for (size_t h = 0; h < s->helpers.n; h++) {
                const char *helper = strlist_sorted(&s->helpers, h), *port;
                for (size_t p = 0; (port = catalogue_helper_port(services, helper, p)); p++) {
                        const char *slash = strchr(port, '/');
                        if (catalogue_helper_type(services, helper, slash + 1))
                                fprintf(f, "\t\t%s dport %.*s ct helper set \"helper-%s-%s\"\n", slash + 1,
                                        (int) (slash - port), port, helper, slash + 1);
                }
        }
}

/* The services of a zone's rich rules that accept, which assign their helpers as the zone's own services do
 * (firewalld loads a service's helpers for accept only), those not among the zone's own */
static int rich_helper_services(const Zone *z, const PlacedRule *rules, StrList *ret)
{
        int k = 0;

        for (size_t i = 0; k >= 0 && i < z->rich_rules.n; i++) {
                const char *service = rules[i].memo->accepted_service;
                if (service && !strlist_contains(&z->services, service))
                        k = strlist_add(ret, service);
        }
        return k < 0 ? k : 0;
}

/* A zone's ICMP blocks: refused (logged first, with log denied), or with ICMP block inversion let in */
static void icmp_block_rule(FILE *f, const Zone *z, LogDenied l, const char *match)
{
        if (!z->icmp_block_inversion)
                log_denied_rule(f, l, match, "filter_zone_%s_HOST_ICMP_BLOCK", z->name);
        fprintf(f, "\t\t%s %s\n", match, z->icmp_block_inversion ? "accept" : "reject with icmpx admin-prohibited");
}

static int icmp_blocks(FILE *f, const Zone *z, LogDenied l)
{
        for (int family = 4; family <= 6; family += 2) {
                _cleanup_free_ char *match = NULL;
                size_t size = 0;
                FILE *m = open_memstream(&match, &size);
                if (!m)
                        return -ENOMEM;
                /* the types of any code: one set */
                for (size_t k = 0; k < z->icmp_blocks.n; k++) {
                        const IcmpType *t = icmp_type_find(strlist_sorted(&z->icmp_blocks, k));
                        const char *name = !t ? NULL : family == 4 ? t->v4 : t->v6;
                        if (!name || (family == 4 ? t->v4_code : t->v6_code) >= 0)
                                continue;
                        fprintf(m, "%s%s", size > 0 ? ", " : family == 4 ? "icmp type { " : "icmpv6 type { ", name);
                        (void) fflush(m);
                }
                if (size > 0)
                        fputs(" }", m);
                if (fclose(m) != 0)
                        return -ENOMEM;
                if (size > 0)
                        icmp_block_rule(f, z, l, match);
                /* those of one code: a rule each */
                for (size_t k = 0; k < z->icmp_blocks.n; k++) {
                        const IcmpType *t = icmp_type_find(strlist_sorted(&z->icmp_blocks, k));
                        char coded[96];
                        if (t && (family == 4 ? t->v4_code : t->v6_code) >= 0 && icmp_match(t, family, coded)) {
                                coded[strlen(coded) - 1] = '\0';
                                icmp_block_rule(f, z, l, coded);
                        }
                }
        }
        return 0;
}

/* Where policies come into the chains of zones (core/policyspec.h), by hook: each a chain "policies_HOOK_pre" of the
 * policies of a priority below 0, jumped to before the zones' own rules, and "policies_HOOK_post" of those above 0,
 * after them (before a zone's target) */
typedef enum PolicyHook {
        POLICY_HOOK_INPUT,
        POLICY_HOOK_FORWARD,
        POLICY_HOOK_OUTPUT,
        POLICY_HOOK_PREROUTING,
        POLICY_HOOK_POSTROUTING,
        POLICY_HOOK_MANGLE,
        POLICY_HOOK_NAT_OUTPUT, /* what the host sends, before routing again: a policy from HOST's port forwards */
        _POLICY_HOOK_MAX,
} PolicyHook;

static const char *const policy_hook_names[_POLICY_HOOK_MAX] = { "input",       "forward", "output",    "prerouting",
                                                                 "postrouting", "mangle",  "nat_output" };

typedef struct PolicyDispatch {
        char *text[_POLICY_HOOK_MAX][2]; /* the rules of policies_HOOK_pre [0] and _post [1]; NULL: none */
} PolicyDispatch;

static bool policy_post(const PolicyDispatch *d, PolicyHook h)
{
        return d && d->text[h][1];
}

/* "\t\tjump policies_HOOK_post\n" where there are such policies */
static void policy_post_jump(FILE *f, const PolicyDispatch *d, PolicyHook h)
{
        if (policy_post(d, h))
                fprintf(f, "\t\tjump policies_%s_post\n", policy_hook_names[h]);
}

/* A policy's verdict at the end of its filter chain (none for CONTINUE), logged as firewalld's with log denied */
static void policy_target(FILE *f, const Zone *z, PolicyHook h, LogDenied l)
{
        const char *chain = h == POLICY_HOOK_INPUT ? "IN" : h == POLICY_HOOK_OUTPUT ? "OUT" : "FWD";

        if (z->target == ZONE_TARGET_DEFAULT)
                return;
        if (z->target != ZONE_TARGET_ACCEPT)
                log_denied_rule(f, l, "", "filter_%s_policy_%s_%s", chain, z->name,
                                z->target == ZONE_TARGET_DROP ? "DROP" : "REJECT");
        fprintf(f, "\t\t%s\n",
                z->target == ZONE_TARGET_ACCEPT ? "accept"
                : z->target == ZONE_TARGET_DROP ? "drop"
                                                : "reject with icmpx admin-prohibited");
}

/* The filter chain of a zone (what reaches the host through it) or of a policy (policy_hook: its filter hook, and
 * its target at the end) */
static int zone_chain(RichOut *o, const Zone *z, const PlacedRule *rules, const ServiceCatalogue *services,
                      const IPSetList *ipsets, LogDenied l, const PolicyDispatch *dispatch, int policy_hook)
{
        const char *kind = policy_hook >= 0 ? "policy" : "zone";
        FILE *f = o->f;
        StrList rich_services = {};
        bool first = true;
        int r;

        /* as firewalld's chains of a zone: rich rules of a priority below 0 (its _pre), their logs (_log), the
         * ICMP blocks and the rich rules that refuse (_deny), what the zone allows (_allow), rich rules of a
         * priority above 0 (_post), then the target */
        r = rich_rules_at(o, RICH_CHAIN_INPUT, 'p', services, ipsets);
        if (r >= 0)
                r = rich_rules_at(o, RICH_CHAIN_INPUT, 'L', services, ipsets);
        if (r < 0)
                return r;
        /* ICMP blocks first: they are refused whatever else allows (and logged, with log denied) */
        if (!z->icmp_block_inversion) {
                r = icmp_blocks(f, z, l);
                if (r < 0)
                        return r;
        }
        r = rich_rules_at(o, RICH_CHAIN_INPUT, 'd', services, ipsets);
        if (r < 0)
                return r;
        /* the services' and the zone's ports: one set lookup */
        fprintf(f, "\t\tmeta l4proto . th dport @%s_%s_ports accept\n", kind, z->name);
        for (size_t k = 0; k < z->services.n; k++) {
                const ServiceDef *s = catalogue_find(services, strlist_sorted(&z->services, k));
                if (!s)
                        return -ENOENT;
                service_helper_rules(f, services, s);
                /* a service limited to a destination (mdns, dhcpv6-client): its own rules */
                for (int family = 4; family <= 6; family += 2) {
                        const char *d = family == 4 ? s->destination_v4 : s->destination_v6;
                        if (!d || s->ports.n == 0)
                                continue;
                        fprintf(f, "\t\t%s daddr %s meta l4proto . th dport { ", family == 4 ? "ip" : "ip6", d);
                        for (size_t p = 0; p < s->ports.n; p++) {
                                fputs(p ? ", " : "", f);
                                port_element(f, strlist_sorted(&s->ports, p));
                        }
                        fputs(" } accept\n", f);
                }
        }
        r = rich_helper_services(z, rules, &rich_services);
        for (size_t k = 0; r >= 0 && k < rich_services.n; k++) {
                const ServiceDef *s = catalogue_find(services, strlist_sorted(&rich_services, k));
                if (s)
                        service_helper_rules(f, services, s);
        }
        strlist_done(&rich_services);
        if (r < 0)
                return r;
        for (size_t k = 0; k < z->protocols.n; k++) {
                fprintf(f, "%s%s", first ? "\t\tmeta l4proto { " : ", ", strlist_sorted(&z->protocols, k));
                first = false;
        }
        if (!first)
                fputs(" } accept\n", f);
        /* what comes from one of the source ports (firewalld's --add-source-port), the zone's and its services' */
        source_ports_rule(f, &z->source_ports);
        for (size_t k = 0; k < z->services.n; k++) {
                const ServiceDef *s = catalogue_find(services, strlist_sorted(&z->services, k));
                if (s)
                        source_ports_rule(f, &s->source_ports);
        }
        if (z->icmp_block_inversion) {
                r = icmp_blocks(f, z, l);
                if (r < 0)
                        return r;
        }
        r = rich_rules_after(o, RICH_CHAIN_INPUT, services, ipsets);
        if (r < 0)
                return r;
        if (policy_hook >= 0) {
                policy_target(f, z, (PolicyHook) policy_hook, l);
                return 0;
        }
        policy_post_jump(f, dispatch, POLICY_HOOK_INPUT);
        /* with ICMP block inversion, the rest of ICMP refused, but where the target refuses it anyway */
        if (z->icmp_block_inversion && IN_SET(z->target, ZONE_TARGET_DEFAULT, ZONE_TARGET_ACCEPT)) {
                log_denied_rule(f, l, "meta l4proto { icmp, ipv6-icmp }", "filter_zone_%s_HOST_ICMP_BLOCK", z->name);
                fputs("\t\tmeta l4proto { icmp, ipv6-icmp } reject with icmpx admin-prohibited\n", f);
        }
        switch (z->target) {
        case ZONE_TARGET_ACCEPT:
                fputs("\t\taccept\n", f);
                break;
        case ZONE_TARGET_DROP:
                log_denied_rule(f, l, "", "filter_IN_%s_DROP", z->name);
                fputs("\t\tdrop\n", f);
                break;
        case ZONE_TARGET_REJECT: /* everything refused, ICMP too (the block zone) */
                log_denied_rule(f, l, "", "filter_IN_%s_REJECT", z->name);
                fputs("\t\treject with icmpx admin-prohibited\n", f);
                break;
        default: /* ICMP is answered (but with ICMP block inversion, refused above), the rest refused */
                if (!z->icmp_block_inversion)
                        fputs("\t\tmeta l4proto { icmp, ipv6-icmp } accept\n", f);
                log_denied_rule(f, l, "", "filter_IN_%s_REJECT", z->name);
                fputs("\t\treject with icmpx admin-prohibited\n", f);
                break;
        }
        return 0;
}

/* The ports set of a zone: its own ports and those of its services that have no destination, as the union
 * of their ranges (a range that covers a service's port is one element, not two that the kernel refuses). */
static void zone_ports_set(Out *o, const char *kind, const Zone *z, const ServiceCatalogue *services)
{
        FILE *f = o->f;
        bool first = true;
        char set[128];
        PortRange *all = NULL;
        size_t n = 0;

        (void) port_ranges_of(&z->ports, &all, &n);
        for (size_t k = 0; k < z->services.n; k++) {
                const ServiceDef *s = catalogue_find(services, strlist_sorted(&z->services, k));
                if (s && !s->destination_v4 && !s->destination_v6)
                        (void) port_ranges_of(&s->ports, &all, &n);
        }
        n = port_ranges_merge(all, n);
        snprintf(set, sizeof(set), "%s_%s_ports", kind, z->name);
        fprintf(f, "\tset %s {\n\t\ttype inet_proto . inet_service;\n\t\tflags interval;\n", set);
        for (size_t p = 0; p < n; p++) {
                char key[48];
                if (all[p].lo == all[p].hi)
                        snprintf(key, sizeof(key), "%s . %u", all[p].proto, all[p].lo);
                else
                        snprintf(key, sizeof(key), "%s . %u-%u", all[p].proto, all[p].lo, all[p].hi);
                element(o, &first, set, key, NULL);
        }
        fputs(first ? "\t}\n" : " }\n\t}\n", f);
        free(all);
}

/* the ct helper objects of one service's helpers, each once (made: the names made) */
static int service_helper_objects(FILE *f, const ServiceCatalogue *services, const ServiceDef *s, StrList *made)
{
        int r = 0;

        for (size_t h = 0; s && r >= 0 && h < s->helpers.n; h++) {
                const char *helper = strlist_sorted(&s->helpers, h), *port;
                for (size_t p = 0; r >= 0 && (port = catalogue_helper_port(services, helper, p)); p++) {
                        _cleanup_free_ char *name = NULL;
                        const char *proto = strchr(port, '/') + 1;
                        const char *type = catalogue_helper_type(services, helper, proto);
                        if (!type)
                                continue;
                        if (asprintf(&name, "helper-%s-%s", helper, proto) < 0)
                                return -ENOMEM;
                        r = strlist_add(made, name);
                        if (r > 0)
                                fprintf(f, "\tct helper %s {\n\t\ttype \"%s\" protocol %s;\n\t\tl3proto inet;\n\t}\n",
                                        name, type, proto);
                }
        }
        return r;
}

/* the helpers of one zone's or policy's services (and of its rich rules' that accept) */
static int zone_helper_objects(FILE *f, const Zone *z, const ServiceCatalogue *services, const RichPlans *plans,
                               StrList *made)
{
        const RichPlan *plan = rich_plan_of(plans, z);
        StrList rich = {};
        int r = 0;

        if (!plan)
                return -ENOENT; /* every zone and policy of the build has one */
        for (size_t k = 0; r >= 0 && k < z->services.n; k++)
                r = service_helper_objects(f, services, catalogue_find(services, strlist_sorted(&z->services, k)),
                                           made);
        if (r >= 0)
                r = rich_helper_services(z, plan->rules, &rich);
        for (size_t k = 0; r >= 0 && k < rich.n; k++)
                r = service_helper_objects(f, services, catalogue_find(services, strlist_sorted(&rich, k)), made);
        strlist_done(&rich);
        return r;
}

/* The helpers of the zones' and policies' services, as ct helper objects "helper-NAME-PROTOCOL". */
static int helper_objects(FILE *f, const ZoneConfig *c, const ServiceCatalogue *services, const RichPlans *plans)
{
        StrList made = {};
        int r = 0;

        for (size_t i = 0; r >= 0 && i < c->n_zones; i++)
                r = zone_helper_objects(f, c->zones[i], services, plans, &made);
        for (size_t i = 0; r >= 0 && i < c->n_policies; i++)
                r = zone_helper_objects(f, &c->policies[i]->zone, services, plans, &made);
        strlist_done(&made);
        return r < 0 ? r : 0;
}

/* A forward port as nft: "tcp dport 22 dnat ip to 10.0.0.2:2222", "tcp dport 22 redirect to :2222" */
static void forward_rule(FILE *f, const char *spec)
{
        unsigned port = 0, toport = 0;
        char proto[8] = "", toaddr[INET6_ADDRSTRLEN] = "";
        const char *p;

        (void) sscanf(spec, "port=%u:proto=%7[a-z]", &port, proto);
        if ((p = strstr(spec, ":toport=")))
                (void) sscanf(p, ":toport=%u", &toport);
        if ((p = strstr(spec, ":toaddr=")))
                snprintf(toaddr, sizeof(toaddr), "%s", p + strlen(":toaddr="));
        if (!*toaddr) { /* IPv4's only, as firewalld */
                fprintf(f, "\t\tmeta nfproto ipv4 %s dport %u redirect to :%u\n", proto, port, toport);
                return;
        }
        bool v6 = strchr(toaddr, ':') != NULL;
        if (!toport)
                fprintf(f, "\t\t%s %s dport %u dnat %s to %s\n", v6 ? "meta nfproto ipv6" : "meta nfproto ipv4", proto,
                        port, v6 ? "ip6" : "ip", toaddr);
        else if (v6)
                fprintf(f, "\t\tmeta nfproto ipv6 %s dport %u dnat ip6 to [%s]:%u\n", proto, port, toaddr, toport);
        else
                fprintf(f, "\t\tmeta nfproto ipv4 %s dport %u dnat ip to %s:%u\n", proto, port, toaddr, toport);
}

/* what a zone has of its own in the chains of its other hooks, between its rich rules' places */
static void forward_ports_own(FILE *f, const Zone *z, LogDenied l _unused_, const PolicyDispatch *d _unused_)
{
        for (size_t k = 0; k < z->forward_ports.n; k++)
                forward_rule(f, strlist_sorted(&z->forward_ports, k));
}

static void masquerade_own(FILE *f, const Zone *z, LogDenied l _unused_, const PolicyDispatch *d _unused_)
{
        if (z->masquerade)
                fputs("\t\tmeta nfproto ipv4 masquerade\n", f);
}

static void forward_own(FILE *f, const Zone *z, LogDenied l, const PolicyDispatch *d)
{
        fprintf(f,
                "\t\toifname @zone_%s_fwd_interfaces accept\n\t\tip daddr @zone_%s_fwd_v4 accept\n"
                "\t\tip6 daddr @zone_%s_fwd_v6 accept\n",
                z->name, z->name, z->name);
        policy_post_jump(f, d, POLICY_HOOK_FORWARD);
        if (z->target != ZONE_TARGET_ACCEPT)
                log_denied_rule(f, l, "", "filter_FWD_%s_%s", z->name,
                                z->target == ZONE_TARGET_DROP ? "DROP" : "REJECT");
        fprintf(f, "\t\t%s\n",
                z->target == ZONE_TARGET_ACCEPT ? "accept"
                : z->target == ZONE_TARGET_DROP ? "drop"
                                                : "reject with icmpx admin-prohibited");
}

/* A zone's chains: what reaches the host through it (zone_Z), then one a hook where it has something (its port
 * forwards, its masquerade, its marks) and what it forwards; each with its rich rules of that hook, in
 * firewalld's places around what the zone has of its own, and the policies of a priority above 0 after those.
 * A policy's (policy_hook its filter hook, or -1 for a zone): its filter chain policy_P, then those of the hooks of
 * policy_hooks (a mask) where it has something. */
static int zone_chains(FILE *f, const Zone *z, const ServiceCatalogue *services, const RichPlans *plans,
                       const IPSetList *ipsets, LogDenied l, const PolicyDispatch *d, int policy_hook,
                       unsigned policy_hooks)
{
        static const struct {
                const char *suffix;
                RichChain chain;
                PolicyHook hook;
                zone_wants_t wanted; /* NULL: always */
                void (*own)(FILE *f, const Zone *z, LogDenied l, const PolicyDispatch *d);
                bool own_last; /* its target: after every rich rule (a clamp, for one, applies to all) */
        } hooks[] = {
                { "_pre", RICH_CHAIN_PREROUTING, POLICY_HOOK_PREROUTING, has_forward_ports, forward_ports_own, false },
                { "_post", RICH_CHAIN_POSTROUTING, POLICY_HOOK_POSTROUTING, has_masquerade, masquerade_own, false },
                { "_mangle", RICH_CHAIN_MANGLE, POLICY_HOOK_MANGLE, has_marks, NULL, false },
                { "_fwd", RICH_CHAIN_FORWARD, POLICY_HOOK_FORWARD, NULL, forward_own, true },
        };
        const char *kind = policy_hook >= 0 ? "policy" : "zone";
        const RichPlan *plan = rich_plan_of(plans, z);
        const PlacedRule *rules = plan ? plan->rules : NULL;
        char chain[POLICY_NAME_MAX + 32];
        _cleanup_free_ RichOut *o = calloc(1, sizeof(RichOut));
        int r;

        if (!plan)
                return -ENOENT; /* every zone and policy of the build has one */
        if (!o)
                return -ENOMEM;
        *o = (RichOut){ .f = f, .plan = plan, .chain = chain };
        snprintf(chain, sizeof(chain), "%s_%s", kind, z->name);
        fprintf(f, "\tchain %s {\n", chain);
        r = zone_chain(o, z, rules, services, ipsets, l, d, policy_hook);
        fputs("\t}\n", f);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(hooks); i++) {
                if (hooks[i].wanted && !hooks[i].wanted(plans, z))
                        continue;
                /* a policy forwards in its filter chain; its port forwards are before routing, or (from HOST) in
                 * the nat output hook */
                if (policy_hook >= 0 &&
                    (!hooks[i].wanted ||
                     !(policy_hooks & (1u << hooks[i].hook |
                                       (hooks[i].hook == POLICY_HOOK_PREROUTING ? 1u << POLICY_HOOK_NAT_OUTPUT : 0)))))
                        continue;
                snprintf(chain, sizeof(chain), "%s_%s%s", kind, z->name, hooks[i].suffix);
                fprintf(f, "\tchain %s {\n", chain);
                r = rich_rules_before(o, hooks[i].chain, services, ipsets);
                if (hooks[i].own && !hooks[i].own_last)
                        hooks[i].own(f, z, l, d);
                if (r >= 0)
                        r = rich_rules_after(o, hooks[i].chain, services, ipsets);
                if (hooks[i].own && hooks[i].own_last)
                        hooks[i].own(f, z, l, d);
                else if (policy_hook < 0)
                        policy_post_jump(f, d, hooks[i].hook);
                fputs("\t}\n", f);
        }
        /* the chunks of the places with many rules, after the chains that jump to them */
        return r < 0 ? r : rich_chunks(o, services, ipsets);
}

/* IPv6 destinations that stand for IPv4 ones nobody should reach through 6to4 or as mapped addresses
 * (RFC 3964): refused whatever the zone, as firewalld refuses them */
static const char rfc3964_ipv4[] = "::/96, ::ffff:0.0.0.0/96, 2002::/24, 2002:a00::/24, 2002:7f00::/24, "
                                   "2002:a9fe::/32, 2002:ac10::/28, 2002:c0a8::/32, 2002:e000::/19";

/* What a zone forwards to, within itself: its interfaces and its sources, when it forwards (the sets are
 * there either way, so that turning it on or off changes elements only). */
static void zone_forward_sets(Out *o, const Zone *z)
{
        static const struct {
                const char *suffix, *type;
                SourceKind kind;
        } sets[] = {
                { "interfaces", "ifname", KEY_INTERFACE },
                { "v4", "ipv4_addr;\n\t\tflags interval", KEY_SOURCE_V4 },
                { "v6", "ipv6_addr;\n\t\tflags interval", KEY_SOURCE_V6 },
        };

        for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
                const StrList *l = sets[i].kind == KEY_INTERFACE ? &z->interfaces : &z->sources;
                char set[128];
                bool first = true;
                snprintf(set, sizeof(set), "zone_%s_fwd_%s", z->name, sets[i].suffix);
                fprintf(o->f, "\tset %s {\n\t\ttype %s;\n", set, sets[i].type);
                for (size_t k = 0; z->forward && k < l->n; k++) {
                        char key[64];
                        if (!key_of_kind(strlist_sorted(l, k), sets[i].kind))
                                continue;
                        snprintf(key, sizeof(key), sets[i].kind == KEY_INTERFACE ? "\"%s\"" : "%s",
                                 strlist_sorted(l, k));
                        element(o, &first, set, key, NULL);
                }
                fputs(first ? "\t}\n" : " }\n\t}\n", o->f);
        }
}

static const char panic_table[] =
        "table inet " ZONE_TABLE " {\n"
        "\tchain input {\n\t\ttype filter hook input priority raw - 10; policy drop;\n\t}\n"
        "\tchain forward {\n\t\ttype filter hook forward priority raw - 10; policy drop;\n\t}\n"
        "\tchain output {\n\t\ttype filter hook output priority raw - 10; policy drop;\n\t}\n"
        "}\n";

/* ---- policies in the ruleset ---- */

static bool policy_side_has(const Policy *p, bool egress, const char *zone)
{
        return strlist_contains(egress ? &p->egress : &p->ingress, zone);
}

/* The hooks a policy is dispatched in, a mask (firewalld's _get_table_chains_for_policy_dispatch() with nftables:
 * a policy from HOST's port forwards in the nat output hook), and its filter hook. A zone's port forward and mark
 * work before routing: toward egress zones with interfaces they cannot be told apart, as firewalld has it. */
static unsigned policy_hooks(const ZoneConfig *c, const Policy *p, PolicyHook *ret_filter)
{
        bool egress_interfaces = false;
        unsigned m;

        for (size_t i = 0; i < p->egress.n; i++) {
                const Zone *z = zone_config_find(c, p->egress.items[i]);
                egress_interfaces = egress_interfaces || (z && z->interfaces.n > 0);
        }
        if (policy_side_has(p, true, POLICY_ZONE_HOST)) {
                *ret_filter = POLICY_HOOK_INPUT;
                m = 1u << POLICY_HOOK_INPUT;
                if (policy_side_has(p, false, POLICY_ZONE_ANY))
                        m |= 1u << POLICY_HOOK_PREROUTING | 1u << POLICY_HOOK_MANGLE;
                return m;
        }
        if (policy_side_has(p, false, POLICY_ZONE_HOST)) {
                *ret_filter = POLICY_HOOK_OUTPUT;
                return 1u << POLICY_HOOK_OUTPUT | 1u << POLICY_HOOK_NAT_OUTPUT;
        }
        *ret_filter = POLICY_HOOK_FORWARD;
        m = 1u << POLICY_HOOK_FORWARD | 1u << POLICY_HOOK_POSTROUTING;
        if (policy_side_has(p, true, POLICY_ZONE_ANY) || !egress_interfaces)
                m |= 1u << POLICY_HOOK_PREROUTING | 1u << POLICY_HOOK_MANGLE;
        return m;
}

/* The matches of one side of a policy (firewalld's build_policy_ingress_egress_rules()): its zones' interfaces as
 * one set, then each of their sources; none for HOST and ANY */
static int policy_side_matches(const ZoneConfig *c, const Policy *p, bool egress, StrList *ret)
{
        const StrList *zones = egress ? &p->egress : &p->ingress;
        _cleanup_free_ char *ifnames = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&ifnames, &size);
        int r = 0;

        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < zones->n; i++) {
                const Zone *z = zone_config_find(c, zones->items[i]);
                for (size_t k = 0; z && k < z->interfaces.n; k++)
                        fprintf(f, "%s\"%s\"",
                                ftell(f) > 0 ? ", "
                                : egress     ? "oifname { "
                                             : "iifname { ",
                                strlist_sorted(&z->interfaces, k));
        }
        if (ftell(f) > 0)
                fputs(" } ", f);
        if (fclose(f) != 0)
                return -ENOMEM;
        if (size > 0)
                r = strlist_add(ret, ifnames);
        for (size_t i = 0; r >= 0 && i < zones->n; i++) {
                const Zone *z = zone_config_find(c, zones->items[i]);
                for (size_t k = 0; r >= 0 && z && k < z->sources.n; k++) {
                        const char *source = strlist_sorted(&z->sources, k), *set = ipset_of(source);
                        const char *addr = egress ? "daddr" : "saddr";
                        _cleanup_free_ char *match = NULL;
                        if (set) {
                                const IPSet *s = ipset_list_find(&c->ipsets, set);
                                size_t n = 0;
                                FILE *m = s ? open_memstream(&match, &n) : NULL;
                                if (!s)
                                        continue;
                                if (!m)
                                        return -ENOMEM;
                                ipset_match(m, s, egress, false);
                                fputc(' ', m);
                                if (fclose(m) != 0)
                                        return -ENOMEM;
                        } else if (asprintf(&match, "%s %s %s ",
                                            is_mac(source)  ? "ether"
                                            : is_v6(source) ? "ip6"
                                                            : "ip",
                                            addr, source) < 0)
                                return -ENOMEM;
                        r = strlist_add(ret, match);
                }
        }
        return r < 0 ? r : 0;
}

/* an address match's family: 4, 6, or 0 (interfaces, MACs) */
static int match_family(const char *match)
{
        return startswith(match, "ip6 ") ? 6 : startswith(match, "ip ") ? 4 : 0;
}

static int policy_priority_compare(const void *a, const void *b)
{
        const Policy *x = *(const Policy *const *) a, *y = *(const Policy *const *) b;

        if (x->priority != y->priority)
                return x->priority < y->priority ? -1 : 1;
        return strcmp(x->zone.name, y->zone.name);
}

/* The chains of a policy a hook jumps to: its filter chain, or the one of what it has in that hook */
static bool policy_chain_of(const RichPlans *plans, const Policy *p, PolicyHook h, PolicyHook filter, char *buf,
                            size_t size)
{
        const Zone *z = &p->zone;
        const char *suffix = h == filter ? ""
                             : h == POLICY_HOOK_PREROUTING || h == POLICY_HOOK_NAT_OUTPUT
                                     ? (has_forward_ports(plans, z) ? "_pre" : NULL)
                             : h == POLICY_HOOK_POSTROUTING ? (has_masquerade(plans, z) ? "_post" : NULL)
                             : h == POLICY_HOOK_MANGLE      ? (has_marks(plans, z) ? "_mangle" : NULL)
                                                            : NULL;

        if (!suffix)
                return false;
        snprintf(buf, size, "policy_%s%s", z->name, suffix);
        return true;
}

/* Each active policy's rules in the dispatch chains of its hooks, by priority (then name): from each match of its
 * ingress side to each of its egress side (addresses of one family), a jump to its chain of that hook. */
static int policy_dispatch(const ZoneConfig *c, const RichPlans *plans, PolicyDispatch *d)
{
        _cleanup_free_ Policy **active = calloc(c->n_policies + 1, sizeof(Policy *));
        FILE *streams[_POLICY_HOOK_MAX][2] = {};
        size_t sizes[_POLICY_HOOK_MAX][2] = {}, n = 0;
        int r = 0;

        if (!active)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_policies; i++)
                if (policy_is_active(c, c->policies[i]))
                        active[n++] = c->policies[i];
        qsort(active, n, sizeof(Policy *), policy_priority_compare);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                StrList in = {}, out = {};
                PolicyHook filter;
                unsigned hooks = policy_hooks(c, active[i], &filter);
                bool post = active[i]->priority > 0;
                r = policy_side_matches(c, active[i], false, &in);
                if (r >= 0)
                        r = policy_side_matches(c, active[i], true, &out);
                for (PolicyHook h = 0; r >= 0 && h < _POLICY_HOOK_MAX; h++) {
                        char chain[POLICY_NAME_MAX + 16];
                        if (!(hooks & (1u << h)) ||
                            !policy_chain_of(plans, active[i], h, filter, chain, sizeof(chain)))
                                continue;
                        if (!streams[h][post] &&
                            !(streams[h][post] = open_memstream(&d->text[h][post], &sizes[h][post])))
                                r = -ENOMEM;
                        for (size_t a = 0; r >= 0 && a < MAX(in.n, (size_t) 1); a++)
                                for (size_t b = 0; b < MAX(out.n, (size_t) 1); b++) {
                                        const char *x = in.n ? in.items[a] : "", *y = out.n ? out.items[b] : "";
                                        if (!match_family(x) || !match_family(y) || match_family(x) == match_family(y))
                                                fprintf(streams[h][post], "\t\t%s%sjump %s\n", x, y, chain);
                                }
                }
                strlist_done(&in);
                strlist_done(&out);
        }
        /* a chain with no rule is none (the families of its matches never met) */
        for (PolicyHook h = 0; h < _POLICY_HOOK_MAX; h++)
                for (int post = 0; post <= 1; post++) {
                        if (streams[h][post] && fclose(streams[h][post]) != 0)
                                r = -ENOMEM;
                        if (streams[h][post] && sizes[h][post] == 0) {
                                free(d->text[h][post]);
                                d->text[h][post] = NULL;
                        }
                }
        return r;
}

static void policy_dispatch_done(PolicyDispatch *d)
{
        for (PolicyHook h = 0; h < _POLICY_HOOK_MAX; h++)
                FREE_MANY(d->text[h][0], d->text[h][1]);
}

/* the dispatch chains policies_HOOK_pre and _post that have rules */
static void policy_dispatch_chains(FILE *f, const PolicyDispatch *d)
{
        for (PolicyHook h = 0; h < _POLICY_HOOK_MAX; h++)
                for (int post = 0; post <= 1; post++)
                        if (d->text[h][post])
                                fprintf(f, "\tchain policies_%s_%s {\n%s\t}\n", policy_hook_names[h],
                                        post ? "post" : "pre", d->text[h][post]);
}

/* "\t\tjump policies_HOOK_pre\n" where there are such policies */
static void policy_pre_jump(FILE *f, const PolicyDispatch *d, PolicyHook h)
{
        if (d->text[h][0])
                fprintf(f, "\t\tjump policies_%s_pre\n", policy_hook_names[h]);
}

/* The base chains that dispatch by zone, each after its first rules: its maps' prefix, the suffix of the zones'
 * chains, the zones that have such a chain (NULL: all) */
static const struct {
        const char *name, *declaration, *first, *prefix, *suffix, *addr, *iif;
        bool mac;
        zone_wants_t wanted;
        PolicyHook hook;
} zone_hooks[] = {
        /* input: by source (sources first, as firewalld), then by interface, then the default zone */
        { "input", "type filter hook input priority filter + 10", NULL, "", "", "saddr", "iifname", true, NULL,
          POLICY_HOOK_INPUT },
        /* forwarding: the same, by the zone the packet comes from */
        { "forward", "type filter hook forward priority filter + 10", NULL, "fwd_", "_fwd", "saddr", "iifname", true,
          NULL, POLICY_HOOK_FORWARD },
        /* port forwards, in prerouting: the same, for the zones that have them */
        { "prerouting", "type nat hook prerouting priority dstnat + 10", "", "pre_", "_pre", "saddr", "iifname", true,
          has_forward_ports, POLICY_HOOK_PREROUTING },
        /* masquerade, in postrouting: by where the packet goes */
        { "postrouting", "type nat hook postrouting priority srcnat + 10", "\t\toif \"lo\" accept\n", "post_", "_post",
          "daddr", "oifname", false, has_masquerade, POLICY_HOOK_POSTROUTING },
        /* marks of rich rules, in mangle's prerouting: by the zone the packet comes from, where a zone or a policy
         * has any */
        { "mangle", "type filter hook prerouting priority mangle + 10", "", "mangle_", "_mangle", "saddr", "iifname",
          true, has_marks, POLICY_HOOK_MANGLE },
};

/* what a hook does with a packet of a zone without a chain of it: accept, or on to the policies after the zones */
static void zone_hook_otherwise(const PolicyDispatch *d, PolicyHook h, char *buf, size_t size)
{
        if (policy_post(d, h))
                snprintf(buf, size, "goto policies_%s_post", policy_hook_names[h]);
        else
                snprintf(buf, size, "accept");
}

static bool zone_hook_wanted(const ZoneConfig *c, const RichPlans *plans, const PolicyDispatch *d, size_t i)
{
        PolicyHook h = zone_hooks[i].hook;

        if (h != POLICY_HOOK_MANGLE) /* the filter and nat chains are there always */
                return true;
        if (d->text[h][0] || d->text[h][1])
                return true;
        for (size_t k = 0; k < c->n_zones; k++)
                if (zone_hooks[i].wanted(plans, c->zones[k]))
                        return true;
        return false;
}

static void zone_hook_maps(Out *o, const ZoneConfig *c, const RichPlans *plans, const PolicyDispatch *d, size_t i)
{
        static const struct {
                const char *name;
                SourceKind kind;
        } maps[] = { { "source_v4", KEY_SOURCE_V4 },
                     { "source_v6", KEY_SOURCE_V6 },
                     { "source_mac", KEY_SOURCE_MAC },
                     { "interface", KEY_INTERFACE } };
        char otherwise[64];

        zone_hook_otherwise(d, zone_hooks[i].hook, otherwise, sizeof(otherwise));
        for (size_t k = 0; k < ELEMENTSOF(maps); k++) {
                char name[32];
                if (maps[k].kind == KEY_SOURCE_MAC && !zone_hooks[i].mac)
                        continue;
                snprintf(name, sizeof(name), "%s%s", zone_hooks[i].prefix, maps[k].name);
                dispatch_map(o, c, name, maps[k].kind, zone_hooks[i].suffix, zone_hooks[i].wanted, plans, otherwise);
        }
}

/* The ruleset, or (elements not NULL) its skeleton and its elements apart. */
static int ruleset(const ZoneConfig *c, const ServiceCatalogue *services, bool panic, const StrList *carried,
                   const StrList *kept, StrList *elements, char **ret_text)
{
        const Zone *def = zone_config_find(c, c->default_zone);
        _cleanup_(rich_memo_freep) RichMemo *own_memo = services->rich_memo ? NULL : rich_memo_new();
        RichMemo *memo = services->rich_memo ?: own_memo;
        _cleanup_(rich_plans_done) RichPlans plans = {};
        _cleanup_(policy_dispatch_done) PolicyDispatch d = {};
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r = 0;

        if (!def)
                return -ENOENT;
        if (!memo)
                return -ENOMEM;
        rich_memo_next_build(memo);
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        Out out = { f, elements }, *o = &out;
        if (!kept) /* else the caller empties the table itself, keeping those sets */
                fputs("add table inet " ZONE_TABLE "\ndelete table inet " ZONE_TABLE "\n", f);
        if (panic) {
                fputs(panic_table, f);
                goto done;
        }
        r = rich_plans(c, memo, &plans);
        if (r >= 0)
                r = policy_dispatch(c, &plans, &d);
        fputs("table inet " ZONE_TABLE " {\n", f);
        if (r >= 0)
                r = helper_objects(f, c, services, &plans);
        for (size_t i = 0; i < ELEMENTSOF(zone_hooks); i++)
                if (zone_hook_wanted(c, &plans, &d, i))
                        zone_hook_maps(o, c, &plans, &d, i);
        for (size_t i = 0; i < c->n_zones; i++) {
                zone_ports_set(o, "zone", c->zones[i], services);
                zone_forward_sets(o, c->zones[i]);
        }
        for (size_t i = 0; i < c->n_policies; i++)
                if (policy_is_active(c, c->policies[i]))
                        zone_ports_set(o, "policy", &c->policies[i]->zone, services);
        /* the ipsets, with their entries (never in an update's elements: they change through their own calls) */
        if (r >= 0)
                r = ipset_sets(f, c, carried, !elements, kept);

        /* IPv6's reverse path: a source that would not route back through the interface it came in by is
         * dropped (firewalld's IPv6_rpfilter), neighbour discovery aside */
        fprintf(f,
                "\tchain rpfilter {\n\t\ttype filter hook prerouting priority filter + 10; policy accept;\n"
                "\t\ticmpv6 type { nd-router-advert, nd-neighbor-solicit } accept\n"
                "\t\tmeta nfproto ipv6 fib saddr . mark . iif oif missing %sdrop\n\t}\n",
                c->log_denied != LOG_DENIED_OFF ? "log prefix \"rpfilter_DROP: \" " : "");
        for (size_t i = 0; i < ELEMENTSOF(zone_hooks); i++) {
                PolicyHook h = zone_hooks[i].hook;
                bool filter = !zone_hooks[i].wanted;
                char otherwise[64];
                if (!zone_hook_wanted(c, &plans, &d, i))
                        continue;
                fprintf(f, "\tchain %s {\n\t\t%s; policy accept;\n", zone_hooks[i].name, zone_hooks[i].declaration);
                if (filter) { /* what was let in before, and what is broken */
                        fputs("\t\tct state established,related accept\n\t\tct status dnat accept\n"
                              "\t\tiif \"lo\" accept\n",
                              f);
                        log_denied_rule(f, c->log_denied, "ct state invalid", "STATE_INVALID_DROP");
                        fputs("\t\tct state invalid drop\n", f);
                } else
                        fputs(zone_hooks[i].first, f);
                /* forwarding, as firewalld: what a port forward sent, and within a zone that forwards, to its own
                 * interfaces and sources; between zones what a policy allows, the rest refused as the zone's
                 * target says */
                if (h == POLICY_HOOK_FORWARD)
                        fprintf(f, "\t\tip6 daddr { %s } %sreject with icmpv6 addr-unreachable\n", rfc3964_ipv4,
                                IN_SET(c->log_denied, LOG_DENIED_ALL, LOG_DENIED_UNICAST)
                                        ? "log prefix \"RFC3964_IPv4_REJECT: \" "
                                        : "");
                /* the policies of a priority below 0 (neighbour discovery among them: firewalld's allow-host-ipv6)
                 */
                policy_pre_jump(f, &d, h);
                zone_hook_otherwise(&d, h, otherwise, sizeof(otherwise));
                dispatch_rules(f, c, zone_hooks[i].prefix, zone_hooks[i].addr, zone_hooks[i].iif, zone_hooks[i].suffix,
                               zone_hooks[i].wanted, &plans, filter || zone_hooks[i].wanted(&plans, def),
                               zone_hooks[i].mac, otherwise);
                fputs("\t}\n", f);
        }
        /* what the host sends, where a policy from HOST says something of it */
        if (d.text[POLICY_HOOK_OUTPUT][0] || d.text[POLICY_HOOK_OUTPUT][1]) {
                fputs("\tchain output {\n\t\ttype filter hook output priority filter + 10; policy accept;\n"
                      "\t\tct state established,related accept\n\t\toif \"lo\" accept\n",
                      f);
                policy_pre_jump(f, &d, POLICY_HOOK_OUTPUT);
                policy_post_jump(f, &d, POLICY_HOOK_OUTPUT);
                fputs("\t}\n", f);
        }
        /* and a policy from HOST's port forwards, in the nat output hook */
        if (d.text[POLICY_HOOK_NAT_OUTPUT][0] || d.text[POLICY_HOOK_NAT_OUTPUT][1]) {
                fputs("\tchain nat_output {\n\t\ttype nat hook output priority -90; policy accept;\n", f);
                policy_pre_jump(f, &d, POLICY_HOOK_NAT_OUTPUT);
                policy_post_jump(f, &d, POLICY_HOOK_NAT_OUTPUT);
                fputs("\t}\n", f);
        }
        policy_dispatch_chains(f, &d);
        for (size_t i = 0; r >= 0 && i < c->n_zones; i++)
                r = zone_chains(f, c->zones[i], services, &plans, &c->ipsets, c->log_denied, &d, -1, 0);
        for (size_t i = 0; r >= 0 && i < c->n_policies; i++) {
                const Policy *p = c->policies[i];
                PolicyHook filter;
                unsigned hooks;
                if (!policy_is_active(c, p))
                        continue;
                hooks = policy_hooks(c, p, &filter);
                r = zone_chains(f, &p->zone, services, &plans, &c->ipsets, c->log_denied, &d, (int) filter, hooks);
        }
        fputs("}\n", f);
done:
        if (fclose(f) != 0 || r < 0) {
                free(buf);
                return r < 0 ? r : -ENOMEM;
        }
        *ret_text = buf;
        return 0;
}

int zone_ruleset(const ZoneConfig *c, const ServiceCatalogue *services, bool panic, const StrList *carried,
                 char **ret_text)
{
        return ruleset(c, services, panic, carried, NULL, NULL, ret_text);
}

void zone_skeleton_done(ZoneSkeleton *s)
{
        free(s->text);
        strlist_done(&s->elements);
        *s = (ZoneSkeleton){};
}

/* the skeleton and the elements, indexed for strlist_contains() */
static int zone_skeleton(const ZoneConfig *c, const ServiceCatalogue *services, ZoneSkeleton *ret)
{
        int r = ruleset(c, services, false, NULL, NULL, &ret->elements, &ret->text);

        if (r < 0) {
                zone_skeleton_done(ret);
                return r;
        }
        strlist_index(&ret->elements);
        return 0;
}

/* The sets of old's ipsets that c has as they are (the same declaration; the same entries, or a timeout: the kernel
 * alone has those), by their names in the table */
static int kept_ipsets(const ZoneConfig *old, const ZoneConfig *c, StrList *ret)
{
        for (size_t i = 0; i < c->ipsets.n; i++) {
                const IPSet *now = c->ipsets.items[i], *then = ipset_list_find(&old->ipsets, now->name);
                char set[sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX];
                if (!then || !ipset_same_set(then, now) ||
                    (!ipset_has_timeout(now) && !ipset_entries_equal(then, now)))
                        continue;
                ipset_set_name(now->name, set);
                if (strlist_add(ret, set) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Every object of the table that old made (its text, the skeleton: "\tchain NAME {" ...) deleted, but the sets of
 * kept: the maps and sets first (they name chains), then the chains, then the helpers */
static void delete_objects(FILE *f, const char *old_text, const StrList *kept)
{
        static const char *const kinds[] = { "map", "set", "chain", "ct helper" };

        for (size_t k = 0; k < ELEMENTSOF(kinds); k++)
                for (const char *p = old_text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                        size_t len = strlen(kinds[k]);
                        char name[256];
                        if (p[0] != '\t' || strncmp(p + 1, kinds[k], len) != 0 || p[1 + len] != ' ')
                                continue;
                        snprintf(name, sizeof(name), "%.*s", (int) strcspn(p + 2 + len, " \n"), p + 2 + len);
                        if (streq(kinds[k], "set") && kept && strlist_contains(kept, name))
                                continue;
                        fprintf(f, "delete %s inet " ZONE_TABLE " %s\n", kinds[k], name);
                }
}

/* The whole table anew, but the ipsets' sets that are as they were: their elements stay in the kernel (a million
 * entries are not sent again, nor those of an ipset with a timeout lost) */
static int ruleset_keeping(const ZoneConfig *old, const char *old_text, const ZoneConfig *c,
                           const ServiceCatalogue *services, const StrList *carried, char **ret_text)
{
        _cleanup_(strlist_done) StrList kept = {};
        _cleanup_free_ char *table = NULL, *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r = kept_ipsets(old, c, &kept);

        if (r < 0)
                return r;
        if (kept.n == 0)
                return zone_ruleset(c, services, false, carried, ret_text);
        r = ruleset(c, services, false, carried, &kept, NULL, &table);
        if (r < 0)
                return r;
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fputs("add table inet " ZONE_TABLE "\nflush table inet " ZONE_TABLE "\n", f);
        delete_objects(f, old_text, &kept);
        fputs(table, f);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_text = TAKE_PTR(buf);
        return 0;
}

int zone_ruleset_update(const ZoneConfig *old, const ZoneSkeleton *old_skeleton, const ZoneConfig *c,
                        const ServiceCatalogue *services, const StrList *carried, bool whole,
                        zone_chain_handles_t handles, void *userdata, ZoneSkeleton *ret_skeleton, char **ret_text)
{
        _cleanup_(zone_skeleton_done) ZoneSkeleton built = {}, now = {};
        int r = 0;

        if (!old_skeleton || !old_skeleton->text) {
                r = zone_skeleton(old, services, &built);
                /* old names what the services no longer have (a service whose file went, then a reload): the whole
                 * table anew, its sets too */
                if (r == -ENOENT)
                        return zone_ruleset(c, services, false, carried, ret_text);
                old_skeleton = &built;
        }
        if (r >= 0)
                r = zone_skeleton(c, services, &now);
        /* an ipset's set that is new or holds other entries: those only the whole path sends */
        for (size_t i = 0; r >= 0 && !whole && i < c->ipsets.n; i++) {
                const IPSet *then = ipset_list_find(&old->ipsets, c->ipsets.items[i]->name);
                whole = !then || !ipset_same_set(then, c->ipsets.items[i]) ||
                        (!ipset_has_timeout(then) && !ipset_entries_equal(then, c->ipsets.items[i]));
        }
        if (r >= 0 && !whole)
                r = zone_table_diff(old_skeleton->text, &old_skeleton->elements, now.text, &now.elements, handles,
                                    userdata, ret_text);
        else if (r >= 0)
                r = 1;
        if (r < 0)
                return r;
        if (r > 0) /* more than chains and elements differ: the whole table anew */
                return ruleset_keeping(old, old_skeleton->text, c, services, carried, ret_text);
        *ret_skeleton = now;
        now = (ZoneSkeleton){};
        return 0;
}
