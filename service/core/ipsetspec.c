/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's ipsets (core/ipsetspec.h): the model, firewalld's checks (firewall/core/io/ipset.py's check_entry()
 * and _check_config(), firewall/core/ipset.py's overlap checks, firewall/functions.py's address and port
 * checks, with their words), and the ipsets' part of the zones' ruleset (firewall/core/nftables.py's sets). */

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/ipsetspec.h"

#define REFUSE(code, ...) refuse_code(ret_code, ret_why, code, __VA_ARGS__)

static const char *const type_names[_IPSET_TYPE_MAX] = {
        [IPSET_HASH_IP] = "hash:ip",
        [IPSET_HASH_IP_PORT] = "hash:ip,port",
        [IPSET_HASH_IP_PORT_IP] = "hash:ip,port,ip",
        [IPSET_HASH_IP_PORT_NET] = "hash:ip,port,net",
        [IPSET_HASH_IP_MARK] = "hash:ip,mark",
        [IPSET_HASH_NET] = "hash:net",
        [IPSET_HASH_NET_NET] = "hash:net,net",
        [IPSET_HASH_NET_PORT] = "hash:net,port",
        [IPSET_HASH_NET_PORT_NET] = "hash:net,port,net",
        [IPSET_HASH_NET_IFACE] = "hash:net,iface",
        [IPSET_HASH_MAC] = "hash:mac",
};

const char *ipset_type_name(IPSetType t)
{
        return t < _IPSET_TYPE_MAX ? type_names[t] : NULL;
}

int ipset_type_of_name(const char *s)
{
        for (size_t i = 0; s && i < _IPSET_TYPE_MAX; i++)
                if (streq(type_names[i], s))
                        return (int) i;
        return -EINVAL;
}

/* ---- an entry's fields ---- */

typedef enum Field {
        FIELD_IP,
        FIELD_NET,
        FIELD_PORT,
        FIELD_MARK,
        FIELD_IFACE,
        FIELD_MAC,
} Field;

#define FIELDS_MAX 3

/* the fields of a type, from its name: "hash:ip,port" */
static size_t type_fields(IPSetType t, Field ret[static FIELDS_MAX])
{
        static const struct {
                const char *name;
                Field field;
        } names[] = { { "ip", FIELD_IP },     { "net", FIELD_NET },     { "port", FIELD_PORT },
                      { "mark", FIELD_MARK }, { "iface", FIELD_IFACE }, { "mac", FIELD_MAC } };
        const char *p = type_names[t] + strlen("hash:");
        size_t n = 0;

        while (*p && n < FIELDS_MAX) {
                size_t len = strcspn(p, ",");
                for (size_t i = 0; i < ELEMENTSOF(names); i++)
                        if (strlen(names[i].name) == len && strncmp(names[i].name, p, len) == 0)
                                ret[n++] = names[i].field;
                p += len + (p[len] == ',');
        }
        return n;
}

size_t ipset_dimension(IPSetType t)
{
        Field f[FIELDS_MAX];
        return type_fields(t, f);
}

bool ipset_usable_as_source(IPSetType t)
{
        return IN_SET(t, IPSET_HASH_IP, IPSET_HASH_IP_PORT, IPSET_HASH_IP_MARK, IPSET_HASH_NET, IPSET_HASH_NET_PORT,
                      IPSET_HASH_NET_IFACE, IPSET_HASH_MAC);
}

/* ---- the model ---- */

IPSet *ipset_new(const char *name, IPSetType type)
{
        IPSet *s = calloc(1, sizeof(IPSet));

        if (!s)
                return NULL;
        snprintf(s->name, sizeof(s->name), "%s", name);
        s->type = type;
        s->version = strdup("");
        s->short_name = strdup("");
        s->description = strdup("");
        s->entries = calloc(1, sizeof(IPSetEntries));
        if (!s->version || !s->short_name || !s->description || !s->entries) {
                ipset_free(s);
                return NULL;
        }
        s->entries->n_ref = 1;
        return s;
}

void ipset_entries_unref(IPSetEntries *e)
{
        if (!e || --e->n_ref > 0)
                return;
        strlist_done(&e->list);
        free(e);
}

IPSetEntries *ipset_entries_new(StrList *list)
{
        IPSetEntries *e = calloc(1, sizeof(IPSetEntries));

        if (!e)
                return NULL;
        e->n_ref = 1;
        if (list) {
                e->list = *list;
                *list = (StrList){};
        }
        return e;
}

void ipset_free(IPSet *s)
{
        if (!s)
                return;
        FREE_MANY(s->version, s->short_name, s->description);
        strlist_done(&s->options);
        ipset_entries_unref(s->entries);
        free(s);
}

IPSet *ipset_copy(const IPSet *from)
{
        IPSet *s = calloc(1, sizeof(IPSet));

        if (!s)
                return NULL;
        *s = (IPSet){ .type = from->type, .entries = from->entries };
        memcpy(s->name, from->name, sizeof(s->name));
        from->entries->n_ref++;
        s->version = strdup(from->version);
        s->short_name = strdup(from->short_name);
        s->description = strdup(from->description);
        if (!s->version || !s->short_name || !s->description || strlist_copy(&from->options, &s->options) < 0) {
                ipset_free(s);
                return NULL;
        }
        return s;
}

void ipset_entries_use(IPSet *s, IPSetEntries *e)
{
        e->n_ref++;
        ipset_entries_unref(s->entries);
        s->entries = e;
}

int ipset_entries_replace(IPSet *s, StrList *entries)
{
        IPSetEntries *e = ipset_entries_new(entries);

        if (!e)
                return -ENOMEM;
        ipset_entries_use(s, e);
        ipset_entries_unref(e);
        return 0;
}

int ipset_entries_unshare(IPSet *s)
{
        StrList copy = {};

        if (s->entries->n_ref == 1)
                return 0;
        if (strlist_copy(&s->entries->list, &copy) < 0)
                return -ENOMEM;
        return ipset_entries_replace(s, &copy);
}

int ipset_options_put(StrList *options, const char *key, const char *value)
{
        _cleanup_free_ char *item = NULL;
        size_t len = strlen(key);

        for (size_t i = 0; i < options->n; i++)
                if (strncmp(options->items[i], key, len) == 0 && options->items[i][len] == '=') {
                        _cleanup_free_ char *old = strdup(options->items[i]);
                        if (!old)
                                return -ENOMEM;
                        (void) strlist_remove(options, old);
                        break;
                }
        if (!value)
                return 0;
        if (asprintf(&item, "%s=%s", key, value) < 0)
                return -ENOMEM;
        return strlist_add(options, item) < 0 ? -ENOMEM : 0;
}

const char *ipset_option(const IPSet *s, const char *key)
{
        size_t len = strlen(key);

        for (size_t i = 0; i < s->options.n; i++)
                if (strncmp(s->options.items[i], key, len) == 0 && s->options.items[i][len] == '=')
                        return s->options.items[i] + len + 1;
        return NULL;
}

int ipset_family(const IPSet *s)
{
        if (s->type == IPSET_HASH_MAC)
                return 0;
        return streq_ptr(ipset_option(s, "family"), "inet6") ? 6 : 4;
}

bool ipset_has_timeout(const IPSet *s)
{
        const char *t = ipset_option(s, "timeout");
        return t && !streq(t, "0");
}

/* ---- firewalld's address and port checks (firewall/functions.py) ---- */

static bool check_ip4(const char *s)
{
        struct in_addr a;
        return inet_pton(AF_INET, s, &a) == 1;
}

/* an IPv6 address, brackets around it taken away (normalizeIP6()) */
static bool check_ip6(const char *s)
{
        char buf[INET6_ADDRSTRLEN + 8];
        struct in6_addr a;
        size_t len;

        while (*s == '[' || *s == ']')
                s++;
        len = strlen(s);
        while (len > 0 && (s[len - 1] == '[' || s[len - 1] == ']'))
                len--;
        if (len >= sizeof(buf))
                return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        return inet_pton(AF_INET6, buf, &a) == 1;
}

/* Python's int() of a decimal string: spaces around, a sign, digits; false when it is none */
static bool python_int(const char *s, long long *ret)
{
        char *end;

        while (isspace((unsigned char) *s))
                s++;
        if (!*s || (!isdigit((unsigned char) *s) && !((*s == '-' || *s == '+') && isdigit((unsigned char) s[1]))))
                return false;
        errno = 0;
        *ret = strtoll(s, &end, 10);
        while (isspace((unsigned char) *end))
                end++;
        return errno == 0 && !*end;
}

static bool is_digits(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char) *s))
                        return false;
        return true;
}

/* checkIPnMask() and checkIP6nMask(): an address, or one with a prefix length (IPv4: or a dotted mask) */
static bool check_ip_mask(const char *s, int family)
{
        const char *slash = strchr(s, '/');
        char addr[64];
        long long n;

        if (!slash)
                return family == 4 ? check_ip4(s) : check_ip6(s);
        if (slash == s || !slash[1] || (size_t) (slash - s) >= sizeof(addr))
                return false;
        memcpy(addr, s, (size_t) (slash - s));
        addr[slash - s] = '\0';
        if (!(family == 4 ? check_ip4(addr) : check_ip6(addr)))
                return false;
        if (family == 4 && strchr(slash + 1, '.'))
                return check_ip4(slash + 1);
        return python_int(slash + 1, &n) && n >= 0 && n <= (family == 4 ? 32 : 128);
}

static bool check_mac(const char *s)
{
        if (strlen(s) != 17)
                return false;
        for (size_t i = 0; i < 17; i++)
                if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char) s[i]))
                        return false;
        return true;
}

/* getPortID(): a number (65536 and up: -2) or a service's name (-1: none) */
static long port_id(const char *s)
{
        long long n;
        uint16_t port;

        if (python_int(s, &n))
                return n > 65535 ? -2 : (long) n;
        while (isspace((unsigned char) *s))
                s++;
        if (*s && service_port(s, NULL, &port))
                return port;
        return -1;
}

/* getPortRange(): 1 a port (*lo), 2 a range, 0 ambiguous, -1 not a port, -2 too large */
static int port_range(const char *s, long *lo, long *hi)
{
        _cleanup_free_ char *copy = strdup(s);
        size_t n = 1, matched = 0;
        char *dashes[64];

        if (!copy)
                return -1;
        if (is_digits(s)) {
                *lo = *hi = port_id(s);
                return *lo >= 0 ? 1 : (int) *lo;
        }
        for (char *p = copy; (p = strchr(p, '-')) && n < ELEMENTSOF(dashes); p++)
                dashes[n++ - 1] = p;
        if (n == 2) {
                *dashes[0] = '\0';
                if (is_digits(copy) && is_digits(dashes[0] + 1)) {
                        long a = port_id(copy), b = port_id(dashes[0] + 1);
                        *dashes[0] = '-';
                        if (a >= 0 && b >= 0) {
                                *lo = MIN(a, b);
                                *hi = MAX(a, b);
                                return a == b ? 1 : 2;
                        }
                } else
                        *dashes[0] = '-';
        }
        /* "<name>[-<name>]": every place of the dash is tried, from the whole string on */
        for (size_t i = n; i > 0; i--) {
                char *cut = i < n ? dashes[i - 1] : NULL;
                long a, b = -1;
                if (cut)
                        *cut = '\0';
                a = port_id(copy);
                if (cut && cut[1])
                        b = port_id(cut + 1);
                if (cut)
                        *cut = '-';
                if (cut && cut[1] ? a >= 0 && b >= 0 : a >= 0) {
                        matched++;
                        *lo = cut && cut[1] ? MIN(a, b) : a;
                        *hi = cut && cut[1] ? MAX(a, b) : a;
                        if (!cut)
                                break; /* the whole is a port */
                }
        }
        if (matched == 0)
                return -1;
        return matched > 1 ? 0 : *lo == *hi ? 1 : 2;
}

static bool check_port(const char *s)
{
        long lo, hi;
        return port_range(s, &lo, &hi) > 0;
}

/* checkProtocol(): a number up to 255, or a protocol's name */
static bool check_protocol(const char *s)
{
        long long n;

        if (python_int(s, &n))
                return n >= 0 && n <= 255;
        return zone_check_protocol(s, NULL) >= 0;
}

/* checkInterface(), and at most 15 characters */
static bool check_interface(const char *s)
{
        return *s && strlen(s) <= 15 && !strpbrk(s, " /!*");
}

/* ---- networks, as Python's ipaddress.ip_network(strict=False) reads and prints them ---- */

typedef struct Net {
        int family; /* 4 or 6 */
        uint8_t a[16];
        unsigned prefix;
} Net;

static unsigned mask_prefix(const uint8_t *m, size_t len, bool host)
{
        unsigned bits = 0;
        size_t i = 0;

        while (i < len * 8 && ((m[i / 8] >> (7 - i % 8)) & 1) != host)
                i++, bits++;
        for (; i < len * 8; i++)
                if (((m[i / 8] >> (7 - i % 8)) & 1) != host)
                        return UINT_MAX;
        return bits;
}

static bool net_parse(const char *s, Net *ret)
{
        const char *slash = strchr(s, '/');
        char addr[64];
        size_t len = slash ? (size_t) (slash - s) : strlen(s);

        if (len >= sizeof(addr) || (slash && strchr(slash + 1, '/')))
                return false;
        memcpy(addr, s, len);
        addr[len] = '\0';
        *ret = (Net){};
        if (inet_pton(AF_INET, addr, ret->a) == 1)
                ret->family = 4;
        else if (inet_pton(AF_INET6, addr, ret->a) == 1)
                ret->family = 6;
        else
                return false;
        ret->prefix = ret->family == 4 ? 32 : 128;
        if (slash) {
                const char *p = slash + 1;
                uint8_t m[4];
                if (is_digits(p) && strlen(p) <= 3)
                        ret->prefix = (unsigned) atoi(p);
                else if (ret->family == 4 && inet_pton(AF_INET, p, m) == 1) {
                        ret->prefix = mask_prefix(m, 4, false);
                        if (ret->prefix == UINT_MAX)
                                ret->prefix = mask_prefix(m, 4, true);
                } else
                        return false;
                if (ret->prefix > (ret->family == 4 ? 32U : 128U))
                        return false;
        }
        for (unsigned b = ret->prefix; b < (ret->family == 4 ? 32U : 128U); b++)
                ret->a[b / 8] &= (uint8_t) ~(0x80 >> (b % 8));
        return true;
}

static void net_format(const Net *n, char buf[static INET6_ADDRSTRLEN + 5])
{
        inet_ntop(n->family == 4 ? AF_INET : AF_INET6, n->a, buf, INET6_ADDRSTRLEN);
        sprintf(buf + strlen(buf), "/%u", n->prefix);
}

static bool nets_overlap(const Net *x, const Net *y)
{
        unsigned p = MIN(x->prefix, y->prefix);

        if (x->family != y->family)
                return false;
        for (unsigned b = 0; b < p; b++)
                if (((x->a[b / 8] ^ y->a[b / 8]) >> (7 - b % 8)) & 1)
                        return false;
        return true;
}

/* Python's order of networks: address, then prefix length */
static int net_compare(const void *a, const void *b)
{
        const Net *x = a, *y = b;
        int c = x->family - y->family;

        if (c == 0)
                c = memcmp(x->a, y->a, 16);
        return c != 0 ? c : (int) x->prefix - (int) y->prefix;
}

/* ---- firewalld's checks ---- */

int ipset_check_name(const char *name, const char **ret_code, char **ret_why)
{
        if (!*name)
                return REFUSE("INVALID_NAME", "name can't be empty");
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char) *p) && !strchr("_-:.", *p)) {
                        /* the whole character named, never a byte of one (a D-Bus string is UTF-8) */
                        unsigned char c = (unsigned char) *p;
                        int len = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
                        return REFUSE("INVALID_NAME", "'%.*s' is not allowed in '%s'", len, p, name);
                }
        if (strlen(name) > IPSET_NAME_MAX)
                return REFUSE("INVALID_NAME", "ipset name '%s' is not valid", name);
        return 0;
}

int ipset_check_text(const char *field, const char *value, const char **ret_code, char **ret_why)
{
        bool control = false;

        for (const char *p = value; *p && !control; p++)
                control = (unsigned char) *p < 0x20 || *p == 0x7f;
        if (control || strlen(value) > IPSET_TEXT_MAX)
                return refuse_code(ret_code, ret_why, "INVALID_SETTING",
                                   "%s: one line of at most %d bytes, without control characters", field,
                                   IPSET_TEXT_MAX);
        return 0;
}

int ipset_check_option(const char *key, const char *value, const char **ret_code, char **ret_why)
{
        long long n;

        if (!IN_SET_STR(key, "family", "hashsize", "maxelem", "timeout"))
                return REFUSE("INVALID_IPSET", "ipset invalid option '%s'", key);
        if (streq(key, "family"))
                return IN_SET_STR(value, "inet", "inet6") ? 0 : REFUSE("INVALID_FAMILY", "%s", value);
        if (!python_int(value, &n))
                return REFUSE("INVALID_VALUE", "Option '%s': Value '%s' is not an integer", key, value);
        if (n < 0)
                return REFUSE("INVALID_VALUE", "Option '%s': Value '%s' is negative", key, value);
        return 0;
}

/* an item at place i of an entry that check_entry() calls an invalid address */
#define BAD_ADDRESS(item)                                                                                             \
        REFUSE("INVALID_ENTRY", "invalid address '%s' in '%s' for %s (%s)", item, entry, type_names[type],            \
               family == 6 ? "ipv6" : "ipv4")

static int check_field_ip(IPSetType type, int family, const char *entry, const char *item, size_t i,
                          const char **ret_code, char **ret_why)
{
        if (strchr(item, '-') && family == 4) {
                /* a range of plain addresses */
                _cleanup_free_ char *copy = strdup(item);
                char *dash;
                if (!copy)
                        return -ENOMEM;
                if (i > 1)
                        return REFUSE("INVALID_ENTRY", "invalid address '%s' in '%s'[%zu]", item, entry, i);
                dash = strchr(copy, '-');
                *dash = '\0';
                if (strchr(dash + 1, '-'))
                        return REFUSE("INVALID_ENTRY", "invalid address range '%s' in '%s' for %s (%s)", item, entry,
                                      type_names[type], "ipv4");
                if (!check_ip4(copy))
                        return BAD_ADDRESS(copy);
                if (!check_ip4(dash + 1))
                        return BAD_ADDRESS(dash + 1);
                return 0;
        }
        /* with a mask only in the first place, and IPv4's */
        if (family == 4 && streq(item, "0.0.0.0"))
                return BAD_ADDRESS(item);
        if (family == 4 ? (i == 0 ? !check_ip_mask(item, 4) : !check_ip4(item)) : !check_ip6(item))
                return BAD_ADDRESS(item);
        return 0;
}

static int check_field_net(IPSetType type, int family, const char *entry, const char *item, size_t i,
                           const char **ret_code, char **ret_why)
{
        if (strchr(item, '-')) {
                /* a plain address, then one with or without a mask */
                _cleanup_free_ char *copy = strdup(item);
                char *dash;
                if (!copy)
                        return -ENOMEM;
                dash = strchr(copy, '-');
                *dash = '\0';
                if (strchr(dash + 1, '-'))
                        return REFUSE("INVALID_ENTRY", "invalid address range '%s' in '%s' for %s (%s)", item, entry,
                                      type_names[type], family == 6 ? "ipv6" : "ipv4");
                if (family == 4 ? !check_ip4(copy) : !check_ip6(copy))
                        return BAD_ADDRESS(copy);
                if (!check_ip_mask(dash + 1, family))
                        return BAD_ADDRESS(dash + 1);
                return 0;
        }
        if (endswith(item, "/0") && !(family == 6 && i == 0 && type == IPSET_HASH_NET_IFACE))
                return BAD_ADDRESS(item);
        if (!check_ip_mask(item, family))
                return BAD_ADDRESS(item);
        return 0;
}

static int check_field_port(int family, const char *entry, const char *item, const char **ret_code, char **ret_why)
{
        const char *colon = strchr(item, ':');
        _cleanup_free_ char *proto = NULL;
        const char *port;

        if (!colon)
                return check_port(item) ? 0 : REFUSE("INVALID_ENTRY", "invalid port '%s' in '%s'", item, entry);
        if (strchr(colon + 1, ':'))
                return REFUSE("INVALID_ENTRY", "invalid port '%s'", item);
        proto = strndup(item, (size_t) (colon - item));
        if (!proto)
                return -ENOMEM;
        port = colon + 1;
        if (streq(proto, "icmp") || IN_SET_STR(proto, "icmpv6", "ipv6-icmp")) {
                bool v6 = !streq(proto, "icmp");
                if (family != (v6 ? 6 : 4))
                        return REFUSE("INVALID_ENTRY", "invalid protocol for family '%s' in '%s'",
                                      family == 6 ? "ipv6" : "ipv4", entry);
                if (zone_check_icmp_type(port, NULL) < 0)
                        return REFUSE("INVALID_ENTRY", "invalid %s type '%s' in '%s'", v6 ? "icmpv6" : "icmp", port,
                                      entry);
                return 0;
        }
        if (!IN_SET_STR(proto, "tcp", "sctp", "udp", "udplite") && !check_protocol(proto))
                return REFUSE("INVALID_ENTRY", "invalid protocol '%s' in '%s'", proto, entry);
        if (!check_port(port))
                return REFUSE("INVALID_ENTRY", "invalid port '%s'in '%s'", port, entry); /* firewalld's words */
        return 0;
}

/* a mark: "0x" and hexadecimal digits, or decimal; up to 2^32 - 1 */
static bool parse_mark(const char *s, unsigned long long *ret)
{
        char *end;

        if (startswith(s, "0x")) {
                if (!isxdigit((unsigned char) s[2]))
                        return false;
                errno = 0;
                *ret = strtoull(s + 2, &end, 16);
                return errno == 0 && !*end && *ret <= UINT32_MAX;
        }
        long long n;
        if (!python_int(s, &n) || n < 0 || n > (long long) UINT32_MAX)
                return false;
        *ret = (unsigned long long) n;
        return true;
}

/* An entry's items, split at ',' as Python splits (empty ones kept); -E2BIG: more than a type has. */
static int split_items(const char *entry, char *buf, size_t size, char *items[static FIELDS_MAX + 1], size_t *ret_n)
{
        size_t n = 0;
        char *p = buf;

        if (strlen(entry) >= size)
                return -E2BIG;
        strcpy(buf, entry);
        for (;;) {
                char *comma = strchr(p, ',');
                if (n == FIELDS_MAX + 1)
                        return -E2BIG;
                items[n++] = p;
                if (!comma)
                        break;
                *comma = '\0';
                p = comma + 1;
        }
        *ret_n = n;
        return 0;
}

#define ENTRY_TEXT_MAX 512

int ipset_check_entry_as_is(IPSetType type, int family, const char *entry, const char **ret_code, char **ret_why)
{
        Field fields[FIELDS_MAX];
        size_t n_fields = type_fields(type, fields), n;
        char buf[ENTRY_TEXT_MAX], *items[FIELDS_MAX + 1];
        int r;

        if (family != 6)
                family = 4;
        if (split_items(entry, buf, sizeof(buf), items, &n) < 0 || n != n_fields)
                return REFUSE("INVALID_ENTRY", "entry '%s' does not match ipset type '%s'", entry, type_names[type]);
        for (size_t i = 0; i < n; i++) {
                const char *item = items[i];
                unsigned long long mark;
                switch (fields[i]) {
                case FIELD_IP:
                        r = check_field_ip(type, family, entry, item, i, ret_code, ret_why);
                        break;
                case FIELD_NET:
                        r = check_field_net(type, family, entry, item, i, ret_code, ret_why);
                        break;
                case FIELD_MAC:
                        r = check_mac(item) && !streq(item, "00:00:00:00:00:00")
                                    ? 0
                                    : REFUSE("INVALID_ENTRY", "invalid mac address '%s' in '%s'", item, entry);
                        break;
                case FIELD_PORT:
                        r = check_field_port(family, entry, item, ret_code, ret_why);
                        break;
                case FIELD_MARK:
                        r = parse_mark(item, &mark)
                                    ? 0
                                    : REFUSE("INVALID_ENTRY", "invalid mark '%s' in '%s'", item, entry);
                        break;
                case FIELD_IFACE:
                        r = check_interface(item)
                                    ? 0
                                    : REFUSE("INVALID_ENTRY", "invalid interface '%s' in '%s'", item, entry);
                        break;
                default:
                        r = -EINVAL;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

/* normalize_ipset_entry(): each item with a '/' that is a network, printed as Python prints it */
static int normalize_entry(const char *entry, char **ret)
{
        _cleanup_free_ char *out = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);
        const char *p = entry;

        if (!f)
                return -ENOMEM;
        for (;;) {
                size_t len = strcspn(p, ",");
                _cleanup_free_ char *item = strndup(p, len);
                Net net;
                char shown[INET6_ADDRSTRLEN + 5];
                if (!item) {
                        fclose(f);
                        return -ENOMEM;
                }
                if (strchr(item, '/') && net_parse(item, &net)) {
                        net_format(&net, shown);
                        fputs(shown, f);
                } else
                        fputs(item, f);
                if (!p[len])
                        break;
                fputc(',', f);
                p += len + 1;
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(out);
        return 0;
}

int ipset_check_entry(const IPSet *s, const char *entry, char **ret_normalized, const char **ret_code, char **ret_why)
{
        _cleanup_free_ char *normalized = NULL;
        int r;

        if (strlen(entry) >= ENTRY_TEXT_MAX)
                return REFUSE("INVALID_ENTRY", "entry '%.64s...' is longer than %d characters", entry,
                              ENTRY_TEXT_MAX - 1);
        r = normalize_entry(entry, &normalized);
        if (r < 0)
                return r;
        r = ipset_check_entry_as_is(s->type, ipset_family(s), normalized, ret_code, ret_why);
        if (r < 0)
                return r;
        *ret_normalized = TAKE_PTR(normalized);
        return 0;
}

int ipset_check_settings(IPSetType type, const StrList *options, const StrList *entries, const char **ret_code,
                         char **ret_why)
{
        int family = 4;
        int r;

        for (size_t i = 0; i < options->n; i++) {
                const char *eq = strchr(options->items[i], '=');
                if (startswith(options->items[i], "timeout=") && !streq(eq + 1, "0") && entries->n > 0)
                        return REFUSE("IPSET_WITH_TIMEOUT", "%s", "");
                if (streq(options->items[i], "family=inet6"))
                        family = 6;
        }
        for (size_t i = 0; i < entries->n; i++) {
                r = ipset_check_entry_as_is(type, family, entries->items[i], ret_code, ret_why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < options->n; i++) {
                _cleanup_free_ char *key = strndup(options->items[i], strcspn(options->items[i], "="));
                if (!key)
                        return -ENOMEM;
                r = ipset_check_option(key, options->items[i] + strlen(key) + 1, ret_code, ret_why);
                if (r < 0)
                        return r;
        }
        return 0;
}

const char *ipset_entry_overlapping(const StrList *list, const char *entry)
{
        Net n, other;

        if (strchr(entry, ',') || !net_parse(entry, &n))
                return NULL;
        for (size_t i = 0; i < list->n; i++)
                if (net_parse(list->items[i], &other) && nets_overlap(&n, &other))
                        return list->items[i];
        return NULL;
}

int ipset_entries_check_overlaps(const StrList *entries, const char **ret_code, char **ret_why)
{
        _cleanup_free_ Net *nets = NULL;
        char a[INET6_ADDRSTRLEN + 5], b[INET6_ADDRSTRLEN + 5];

        if (entries->n < 2)
                return 0;
        nets = calloc(entries->n, sizeof(Net));
        if (!nets)
                return -ENOMEM;
        for (size_t i = 0; i < entries->n; i++)
                if (strchr(entries->items[i], ',') || !net_parse(entries->items[i], &nets[i]))
                        return 0; /* one is not a network: firewalld checks nothing */
        qsort(nets, entries->n, sizeof(Net), net_compare);
        for (size_t i = 1; i < entries->n; i++)
                if (nets_overlap(&nets[i - 1], &nets[i])) {
                        net_format(&nets[i - 1], a);
                        net_format(&nets[i], b);
                        return REFUSE("INVALID_ENTRY", "Entry '%s' overlaps entry '%s'", a, b);
                }
        return 0;
}

/* ---- the zones' ruleset ---- */

void ipset_set_name(const char *name, char buf[static sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX])
{
        char *p;

        snprintf(buf, sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX, IPSET_SET_PREFIX "%s", name);
        while ((p = strchr(buf, ':')))
                *p = '/';
}

int ipset_set_type(const IPSet *s, char **ret_type, bool *ret_interval)
{
        Field fields[FIELDS_MAX];
        size_t n = type_fields(s->type, fields);
        const char *addr = ipset_family(s) == 6 ? "ipv6_addr" : "ipv4_addr";
        _cleanup_free_ char *out = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);
        bool interval = false;

        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                static const char *const names[] = { [FIELD_MARK] = "mark",
                                                     [FIELD_IFACE] = "ifname",
                                                     [FIELD_MAC] = "ether_addr",
                                                     [FIELD_PORT] = "inet_proto . inet_service" };
                fprintf(f, "%s%s", i ? " . " : "", IN_SET(fields[i], FIELD_IP, FIELD_NET) ? addr : names[fields[i]]);
                interval = interval || IN_SET(fields[i], FIELD_IP, FIELD_NET, FIELD_PORT);
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_type = TAKE_PTR(out);
        *ret_interval = interval;
        return 0;
}

/* one entry as an element: nft's syntax (interface names quoted) or nftbus's element syntax */
static int element_text(const IPSet *s, const char *entry, bool nft, char **ret, char **ret_why)
{
        Field fields[FIELDS_MAX];
        size_t n_fields = type_fields(s->type, fields), n;
        char buf[ENTRY_TEXT_MAX], *items[FIELDS_MAX + 1];
        _cleanup_free_ char *out = NULL;
        size_t size = 0;
        FILE *f;

        if (split_items(entry, buf, sizeof(buf), items, &n) < 0 || n != n_fields)
                return why(ret_why, "The entry '%s' does not match the ipset's type", entry);
        f = open_memstream(&out, &size);
        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                char *item = items[i];
                unsigned long long mark;
                if (i > 0)
                        fputs(" . ", f);
                switch (fields[i]) {
                case FIELD_IP:
                case FIELD_NET:
                        /* IPv6 addresses may come in brackets */
                        for (const char *c = item; *c; c++)
                                if (*c != '[' && *c != ']')
                                        fputc(*c, f);
                        break;
                case FIELD_PORT: {
                        char *colon = strchr(item, ':');
                        const char *port = colon ? colon + 1 : item;
                        long lo, hi;
                        if (colon)
                                *colon = '\0';
                        if (port_range(port, &lo, &hi) <= 0) {
                                fclose(f);
                                return why(ret_why, "'%s' of '%s' is not a port nftables takes in a set", port, entry);
                        }
                        fprintf(f, "%s . %ld", colon ? item : "tcp", lo);
                        if (hi != lo)
                                fprintf(f, "-%ld", hi);
                        break;
                }
                case FIELD_MARK:
                        (void) parse_mark(item, &mark);
                        fprintf(f, "%llu", mark);
                        break;
                case FIELD_IFACE:
                        fprintf(f, nft ? "\"%s\"" : "%s", item);
                        break;
                case FIELD_MAC:
                        fputs(item, f);
                        break;
                }
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(out);
        return 0;
}

int ipset_element_text(const IPSet *s, const char *entry, char **ret, char **ret_why)
{
        return element_text(s, entry, false, ret, ret_why);
}

int ipset_declare(FILE *f, const IPSet *s, const StrList *carried, bool elements)
{
        char set[sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX];
        _cleanup_free_ char *type = NULL;
        const char *maxelem = ipset_option(s, "maxelem");
        bool interval, first = true;
        int r;

        ipset_set_name(s->name, set);
        r = ipset_set_type(s, &type, &interval);
        if (r < 0)
                return r;
        fprintf(f, "\tset %s {\n\t\ttype %s;\n", set, type);
        if (interval)
                fputs("\t\tflags interval;\n", f);
        if (ipset_has_timeout(s))
                fprintf(f, "\t\ttimeout %ss;\n", ipset_option(s, "timeout"));
        if (maxelem)
                fprintf(f, "\t\tsize %s;\n", maxelem);
        if (!elements)
                ;
        else if (ipset_has_timeout(s)) {
                size_t len = strlen(set);
                for (size_t i = 0; carried && i < carried->n; i++) {
                        const char *line = carried->items[i];
                        if (strncmp(line, set, len) != 0 || line[len] != '\t')
                                continue;
                        fprintf(f, "%s%s", first ? "\t\telements = { " : ",\n\t\t\t", line + len + 1);
                        first = false;
                }
        } else
                for (size_t i = 0; i < s->entries->list.n; i++) {
                        _cleanup_free_ char *element = NULL, *why = NULL;
                        r = element_text(s, s->entries->list.items[i], true, &element, &why);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                continue; /* what nftables cannot hold (firewalld's nft refuses the whole) */
                        fprintf(f, "%s%s", first ? "\t\telements = { " : ",\n\t\t\t", element);
                        first = false;
                }
        if (!first)
                fputs(" }\n", f);
        fputs("\t}\n", f);
        return 0;
}

void ipset_match(FILE *f, const IPSet *s, bool destination, bool invert)
{
        Field fields[FIELDS_MAX];
        size_t n = type_fields(s->type, fields);
        char set[sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX];
        const char *addr = destination ? "daddr" : "saddr";
        const char *family = s->type == IPSET_HASH_MAC ? "ether" : ipset_family(s) == 6 ? "ip6" : "ip";

        ipset_set_name(s->name, set);
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        fputs(" . ", f);
                switch (fields[i]) {
                case FIELD_IP:
                case FIELD_NET:
                case FIELD_MAC:
                        fprintf(f, "%s %s", family, addr);
                        break;
                case FIELD_PORT:
                        fprintf(f, "meta l4proto . th %s", destination ? "dport" : "sport");
                        break;
                case FIELD_IFACE: /* as firewalld has it */
                        fprintf(f, "meta %s", destination ? "iifname" : "oifname");
                        break;
                case FIELD_MARK:
                        fputs("meta mark", f);
                        break;
                }
        }
        fprintf(f, " %s@%s", invert ? "!= " : "", set);
}

/* ---- the list of a configuration ---- */

static int compare_name(size_t i, const void *key, const void *userdata)
{
        const IPSetList *l = userdata;
        return strcmp(l->items[i]->name, key);
}

bool ipset_list_index(const IPSetList *l, const char *name, size_t *ret)
{
        bool found;

        *ret = bsearch_place(l->n, compare_name, name, l, &found);
        return found;
}

IPSet *ipset_list_find(const IPSetList *l, const char *name)
{
        size_t i;

        return ipset_list_index(l, name, &i) ? l->items[i] : NULL;
}

int ipset_list_put(IPSetList *l, IPSet *s)
{
        bool found;
        size_t i = bsearch_place(l->n, compare_name, s->name, l, &found);
        int r;

        if (found) {
                ipset_free(l->items[i]);
                l->items[i] = s;
                return 0;
        }
        r = POINTER_ARRAY_INSERT(l->items, l->n, i, s);
        if (r < 0)
                ipset_free(s);
        return r;
}

int ipset_list_remove(IPSetList *l, const char *name)
{
        bool found;
        size_t i = bsearch_place(l->n, compare_name, name, l, &found);

        if (!found)
                return 0;
        ipset_free(POINTER_ARRAY_TAKE(l->items, l->n, i));
        return 1;
}

int ipset_list_copy(const IPSetList *from, IPSetList *to)
{
        IPSetList l = { .items = calloc(from->n ? from->n : 1, sizeof(IPSet *)) };

        if (!l.items)
                return -ENOMEM;
        for (; l.n < from->n; l.n++)
                if (!(l.items[l.n] = ipset_copy(from->items[l.n]))) {
                        ipset_list_done(&l);
                        return -ENOMEM;
                }
        *to = l;
        return 0;
}

void ipset_list_done(IPSetList *l)
{
        for (size_t i = 0; i < l->n; i++)
                ipset_free(l->items[i]);
        free(l->items);
        *l = (IPSetList){};
}

/* ---- files ---- */

int ipset_parse(const char *name, const char *origin, FILE *f, IPSet **ret, char **ret_why)
{
        _cleanup_(ipset_freep) IPSet *s = NULL;
        _cleanup_free_ char *line = NULL, *where = NULL, *words = NULL;
        const char *code = NULL;
        size_t size = 0;
        unsigned number = 0;
        ssize_t len;
        int r;

        if (asprintf(&where, "%s", origin ? origin : "ipset") < 0)
                return -ENOMEM;
        r = ipset_check_name(name, &code, &words);
        if (r < 0)
                return r == -ENOMEM ? r : why(ret_why, "%s: %s: %s", where, code, words);
        while ((len = getline(&line, &size, f)) >= 0) {
                char *key = line, *value, *eq;
                number++;
                while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                        line[--len] = '\0';
                while (isspace((unsigned char) *key))
                        key++;
                if (key_values_line(key, &number) || !*key || *key == '#')
                        continue;
                eq = strchr(key, '=');
                if (!eq)
                        return why(ret_why, "Line %u of %s: expected KEY=VALUE", number, where);
                *eq = '\0';
                value = eq + 1;
                if (!s) {
                        int t = ipset_type_of_name(value);
                        if (!streq(key, "type"))
                                return why(ret_why, "Line %u of %s: the ipset's type= comes first", number, where);
                        if (t < 0)
                                return why(ret_why, "Line %u of %s: INVALID_TYPE: '%s' is not valid ipset type",
                                           number, where, value);
                        s = ipset_new(name, (IPSetType) t);
                        if (!s)
                                return -ENOMEM;
                        continue;
                }
                free(words);
                words = NULL;
                if (streq(key, "option")) {
                        _cleanup_free_ char *k = strndup(value, strcspn(value, "="));
                        if (!k)
                                return -ENOMEM;
                        r = ipset_check_option(k, value + strlen(k) + (value[strlen(k)] == '='), &code, &words);
                        if (r >= 0 && ipset_option(s, k))
                                r = refuse_code(&code, &words, "INVALID_OPTION", "option '%s' given twice", k);
                        if (r >= 0)
                                r = strlist_add(&s->options, value);
                } else if (streq(key, "entry")) {
                        r = ipset_check_entry_as_is(s->type, ipset_family(s), value, &code, &words);
                        if (r >= 0 && ipset_has_timeout(s))
                                r = refuse_code(&code, &words, "IPSET_WITH_TIMEOUT",
                                                "an ipset with a timeout has no entries");
                        if (r >= 0 && (r = strlist_add(&s->entries->list, value)) == 0)
                                r = refuse_code(&code, &words, "ALREADY_ENABLED", "'%s' already is in '%s'", value,
                                                name);
                } else if (streq(key, "short"))
                        r = free_and_strdup(&s->short_name, value);
                else if (streq(key, "description"))
                        r = free_and_strdup(&s->description, value);
                else if (streq(key, "version"))
                        r = free_and_strdup(&s->version, value);
                else
                        return why(ret_why, "Line %u of %s: unknown key '%s'", number, where, key);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return why(ret_why, "Line %u of %s: %s: %s", number, where, code, strempty(words));
        }
        if (!s)
                return why(ret_why, "%s: no type= line", where);
        *ret = TAKE_PTR(s);
        return 0;
}

int ipset_format(const IPSet *s, char **ret)
{
        _cleanup_free_ char *out = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);

        if (!f)
                return -ENOMEM;
        fprintf(f, "# nftbus: ipset %s (firewalld.ipset(5)'s meaning; nftbusd(8))\ntype=%s\n", s->name,
                type_names[s->type]);
        const struct {
                const char *key, *value;
        } texts[] = { { "version", s->version }, { "short", s->short_name }, { "description", s->description } };
        for (size_t i = 0; i < s->options.n; i++)
                fprintf(f, "option=%s\n", s->options.items[i]);
        for (size_t i = 0; i < ELEMENTSOF(texts); i++)
                if (*texts[i].value)
                        fprintf(f, "%s=%s\n", texts[i].key, texts[i].value);
        for (size_t i = 0; i < s->entries->list.n; i++)
                fprintf(f, "entry=%s\n", s->entries->list.items[i]);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(out);
        return 0;
}

bool ipset_same_set(const IPSet *a, const IPSet *b)
{
        const char *keys[] = { "timeout", "maxelem" };

        if (a->type != b->type || ipset_family(a) != ipset_family(b))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (!streq_ptr(ipset_option(a, keys[i]), ipset_option(b, keys[i])))
                        return false;
        return true;
}

bool ipset_entries_equal(const IPSet *a, const IPSet *b)
{
        return a->entries == b->entries || strlist_equal(&a->entries->list, &b->entries->list);
}

bool ipset_equal(const IPSet *a, const IPSet *b)
{
        return streq(a->name, b->name) && a->type == b->type && streq(a->version, b->version) &&
               streq(a->short_name, b->short_name) && streq(a->description, b->description) &&
               strlist_equal(&a->options, &b->options) && ipset_entries_equal(a, b);
}
