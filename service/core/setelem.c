/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/setelem.h"
#include "common/util.h"
#include "common/validate.h"

/* the longest element text nftbus reads: a concatenation of 16 IPv6 ranges fits */
#define ELEMENT_TEXT_MAX 2048

/* nftables' own names and numbers. Types with a length are the ones nftbus encodes itself; the others can
 * name a set's type (libnftables creates it) but not be written element by element. */
static const DataType datatypes[] = {
        { DATATYPE_VERDICT, "verdict", 0, false, 0 },
        { 2, "nf_proto", 0, false, 0 },
        { 4, "integer", 0, false, 0 },
        { 7, "ipv4_addr", 4, true, 32 },
        { 8, "ipv6_addr", 16, true, 128 },
        { 9, "ether_addr", 6, true, 0 },
        { 10, "ether_type", 0, false, 0 },
        { 11, "arp_op", 0, false, 0 },
        { 12, "inet_proto", 1, true, 0 },
        { 13, "inet_service", 2, true, 0 },
        { 14, "icmp_type", 0, false, 0 },
        { 15, "tcp_flag", 0, false, 0 },
        { 19, "mark", 4, false, 0 },
        { 20, "iface_index", 0, false, 0 },
        { 22, "realm", 0, false, 0 },
        { 23, "classid", 0, false, 0 },
        { 24, "uid", 0, false, 0 },
        { 25, "gid", 0, false, 0 },
        { 26, "ct_state", 0, false, 0 },
        { 27, "ct_dir", 0, false, 0 },
        { 28, "ct_status", 0, false, 0 },
        { 29, "icmpv6_type", 0, false, 0 },
        { 30, "ct_label", 0, false, 0 },
        { 31, "pkt_type", 0, false, 0 },
        { 32, "icmp_code", 0, false, 0 },
        { 33, "icmpv6_code", 0, false, 0 },
        { 34, "icmpx_code", 0, false, 0 },
        { 35, "devgroup", 0, false, 0 },
        { 36, "dscp", 0, false, 0 },
        { 37, "ecn", 0, false, 0 },
        { 41, "ifname", 16, false, 0 },
};

/* the protocol names nft prints, from Debian's /etc/protocols; numbers work for all */
static const struct {
        const char *name;
        uint8_t number;
} protocols[] = {
        { "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 },        { "udp", 17 },   { "dccp", 33 },     { "gre", 47 },
        { "esp", 50 }, { "ah", 51 },  { "ipv6-icmp", 58 }, { "sctp", 132 }, { "udplite", 136 },
};

const DataType *datatype_by_name(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(datatypes); i++)
                if (streq(datatypes[i].name, name))
                        return &datatypes[i];
        return NULL;
}

const DataType *datatype_by_id(uint32_t id)
{
        /* the kernel's own number for a verdict map's data */
        if (id == NFT_DATA_VERDICT)
                id = DATATYPE_VERDICT;
        for (size_t i = 0; i < ELEMENTSOF(datatypes); i++)
                if (datatypes[i].id == id)
                        return &datatypes[i];
        return NULL;
}

int set_type_parse(const char *text, const DataType **ret_fields, size_t *ret_n, char **ret_why)
{
        _cleanup_free_ char *copy = NULL;
        char *p, *field;
        size_t n = 0;

        if (!text || !*text)
                return why(ret_why, "The type is empty: give a data type such as ipv4_addr, or fields joined by "
                                    "' . ' such as 'ipv4_addr . inet_service'");
        if (strlen(text) > 512)
                return why(ret_why, "The type is too long");
        copy = strdup(text);
        if (!copy)
                return -ENOMEM;
        p = copy;
        while ((field = strsep(&p, "."))) {
                size_t len = strlen(field);
                const DataType *t;

                /* fields are separated by " . ", single spaces */
                if (len < 1 || (field != copy && field[0] != ' ') || (p && field[len - 1] != ' '))
                        return why_value(ret_why, "Invalid %s '%s': join fields with ' . '", "type", text);
                if (field != copy)
                        field++, len--;
                if (p)
                        field[--len] = '\0';
                t = datatype_by_name(field);
                if (!t || t->id == DATATYPE_VERDICT)
                        return why_value(ret_why,
                                         "Unknown %s '%s': expected ipv4_addr, ipv6_addr, ether_addr, "
                                         "inet_proto, inet_service, mark, ifname or another nftables type",
                                         "data type", field);
                if (n == SET_FIELDS_MAX)
                        return why(ret_why, "A key has at most %d fields", SET_FIELDS_MAX);
                ret_fields[n++] = t;
        }
        *ret_n = n;
        return 0;
}

int set_flags_check(char *const *flags, int *ret_interval, int *ret_timeout, char **ret_text, char **ret_why)
{
        static const char *const known[] = { "constant", "interval", "timeout", "dynamic" };
        size_t len = 0;
        char *text;

        *ret_interval = *ret_timeout = false;
        *ret_text = NULL;
        for (size_t i = 0; flags && flags[i]; i++) {
                bool ok = false;
                for (size_t k = 0; k < ELEMENTSOF(known); k++)
                        ok = ok || streq(flags[i], known[k]);
                if (!ok)
                        return why_value(ret_why, "Unknown %s '%s': expected constant, interval, timeout or dynamic",
                                         "flag", flags[i]);
                for (size_t j = 0; j < i; j++)
                        if (streq(flags[i], flags[j]))
                                return why(ret_why, "The flag %s is given twice", flags[i]);
                *ret_interval = *ret_interval || streq(flags[i], "interval");
                *ret_timeout = *ret_timeout || streq(flags[i], "timeout");
                len += strlen(flags[i]) + 1;
        }
        if (len == 0)
                return 0;
        text = calloc(1, len);
        if (!text)
                return -ENOMEM;
        for (size_t i = 0; flags[i]; i++) {
                if (i)
                        strcat(text, ",");
                strcat(text, flags[i]);
        }
        *ret_text = text;
        return 0;
}

uint32_t set_type_pack(const DataType *const *fields, size_t n)
{
        uint32_t packed = 0;

        for (size_t i = 0; i < n; i++)
                packed = (packed << DATATYPE_BITS) | fields[i]->id;
        return packed;
}

/* The fields of a packed number, first field first; 0 when one is unknown or there are too many. */
static size_t type_unpack(uint32_t packed, const DataType **ret_fields)
{
        uint32_t ids[SET_FIELDS_MAX];
        size_t n = 0;

        do {
                if (n == SET_FIELDS_MAX)
                        return 0;
                ids[n++] = packed & ((1U << DATATYPE_BITS) - 1);
                packed >>= DATATYPE_BITS;
        } while (packed);
        for (size_t i = 0; i < n; i++) {
                ret_fields[i] = datatype_by_id(ids[n - 1 - i]);
                if (!ret_fields[i])
                        return 0;
        }
        return n;
}

int set_type_to_string(uint32_t packed, char **ret)
{
        const DataType *fields[SET_FIELDS_MAX];
        size_t n = packed == NFT_DATA_VERDICT ? 0 : type_unpack(packed, fields), len = 0;
        char *s;

        if (packed == NFT_DATA_VERDICT)
                return (*ret = strdup("verdict")) ? 0 : -ENOMEM;
        if (n == 0)
                return asprintf(ret, "type %u", packed) < 0 ? -ENOMEM : 0;
        for (size_t i = 0; i < n; i++)
                len += strlen(fields[i]->name) + 3;
        s = malloc(len + 1);
        if (!s)
                return -ENOMEM;
        s[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        strcat(s, " . ");
                strcat(s, fields[i]->name);
        }
        *ret = s;
        return 0;
}

static size_t round_up4(size_t n)
{
        return (n + 3) & ~(size_t) 3;
}

int set_shape_from_kernel(uint32_t key_type, uint32_t data_type, bool interval, bool map, SetShape *ret)
{
        SetShape s = { .interval = interval, .map = map };

        s.n_key = type_unpack(key_type, s.key);
        if (s.n_key == 0)
                return -EOPNOTSUPP;
        for (size_t i = 0; i < s.n_key; i++) {
                if (s.key[i]->len == 0 || (interval && !s.key[i]->ordered))
                        return -EOPNOTSUPP;
                s.key_len += s.n_key > 1 ? round_up4(s.key[i]->len) : s.key[i]->len;
        }
        if (map) {
                s.data = datatype_by_id(data_type);
                if (!s.data || (s.data->len == 0 && s.data->id != DATATYPE_VERDICT))
                        return -EOPNOTSUPP;
                s.data_len = s.data->len;
        }
        *ret = s;
        return 0;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ')
                return false;
        errno = 0;
        v = strtoull(s, &end, 0);
        if (errno || *end || v > max)
                return false;
        /* no octal: "010" would silently mean 8 */
        if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
                return false;
        *ret = v;
        return true;
}

/* a service name as nft takes it ("ssh", "https"), looked up in /etc/services as nft does */
static bool service_by_name(const char *s, uint64_t *ret)
{
        uint16_t port;

        if (strlen(s) > 32 || s[0] < 'a' || s[0] > 'z')
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
                        return false;
        if (!service_port(s, "tcp", &port) && !service_port(s, "udp", &port))
                return false;
        *ret = port;
        return true;
}

static int parse_value(const DataType *t, const char *s, uint8_t *out)
{
        uint64_t v;

        switch (t->id) {
        case 7:
                return inet_pton(AF_INET, s, out) == 1 ? 0 : -EINVAL;
        case 8:
                return inet_pton(AF_INET6, s, out) == 1 ? 0 : -EINVAL;
        case 9: {
                unsigned b[6];
                int n = 0;
                if (strlen(s) != 17 ||
                    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6 ||
                    n != 17)
                        return -EINVAL;
                for (size_t i = 0; i < 6; i++) {
                        if (s[3 * i] == ' ' || s[3 * i + 1] == ' ')
                                return -EINVAL;
                        out[i] = (uint8_t) b[i];
                }
                return 0;
        }
        case 12:
                for (size_t i = 0; i < ELEMENTSOF(protocols); i++)
                        if (streq(protocols[i].name, s)) {
                                out[0] = protocols[i].number;
                                return 0;
                        }
                if (streq(s, "icmpv6")) {
                        out[0] = 58;
                        return 0;
                }
                if (!parse_uint(s, UINT8_MAX, &v))
                        return -EINVAL;
                out[0] = (uint8_t) v;
                return 0;
        case 13: {
                if (!parse_uint(s, UINT16_MAX, &v) && !service_by_name(s, &v))
                        return -EINVAL;
                uint16_t be = htons((uint16_t) v);
                memcpy(out, &be, 2);
                return 0;
        }
        case 19: {
                if (!parse_uint(s, UINT32_MAX, &v))
                        return -EINVAL;
                uint32_t host = (uint32_t) v;
                memcpy(out, &host, 4);
                return 0;
        }
        case 41:
                if (validate_ifname(s, NULL) < 0)
                        return -EINVAL;
                memset(out, 0, 16);
                memcpy(out, s, strlen(s));
                return 0;
        }
        return -EOPNOTSUPP;
}

static int format_value(const DataType *t, const uint8_t *in, char *buf, size_t size)
{
        switch (t->id) {
        case 7:
                return inet_ntop(AF_INET, in, buf, (socklen_t) size) ? 0 : -EINVAL;
        case 8:
                return inet_ntop(AF_INET6, in, buf, (socklen_t) size) ? 0 : -EINVAL;
        case 9:
                snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", in[0], in[1], in[2], in[3], in[4], in[5]);
                return 0;
        case 12:
                for (size_t i = 0; i < ELEMENTSOF(protocols); i++)
                        if (protocols[i].number == in[0]) {
                                snprintf(buf, size, "%s", protocols[i].name);
                                return 0;
                        }
                snprintf(buf, size, "%u", in[0]);
                return 0;
        case 13: {
                uint16_t be;
                memcpy(&be, in, 2);
                snprintf(buf, size, "%u", ntohs(be));
                return 0;
        }
        case 19: {
                uint32_t host;
                memcpy(&host, in, 4);
                snprintf(buf, size, "0x%08x", host);
                return 0;
        }
        case 41:
                snprintf(buf, size, "%.*s", 16, (const char *) in);
                return 0;
        }
        return -EOPNOTSUPP;
}

bool key_increment(uint8_t *key, size_t len)
{
        for (size_t i = len; i > 0; i--)
                if (++key[i - 1] != 0)
                        return true;
        return false;
}

bool key_decrement(uint8_t *key, size_t len)
{
        for (size_t i = len; i > 0; i--)
                if (key[i - 1]-- != 0)
                        return true;
        return false;
}

/* The prefix length of [first, last] when it is exactly one prefix of an address type, else -1. */
static int prefix_of(const DataType *t, const uint8_t *first, const uint8_t *last)
{
        size_t bits = t->prefix, len = t->len;
        size_t p = 0;

        if (!bits)
                return -1;
        /* common leading bits */
        while (p < bits) {
                uint8_t mask = (uint8_t) (0x80 >> (p % 8));
                if ((first[p / 8] & mask) != (last[p / 8] & mask))
                        break;
                p++;
        }
        /* then first must be all zeros and last all ones */
        for (size_t b = p; b < len * 8; b++) {
                uint8_t mask = (uint8_t) (0x80 >> (b % 8));
                if ((first[b / 8] & mask) || !(last[b / 8] & mask))
                        return -1;
        }
        return (int) p;
}

/* One field: a value, or in interval sets a prefix or a range. */
static int parse_field(const DataType *t, bool interval, const char *text, uint8_t *key, uint8_t *last, char **ret_why)
{
        _cleanup_free_ char *copy = NULL;
        char *sep;

        if (parse_value(t, text, key) == 0) {
                memcpy(last, key, t->len);
                return 0;
        }
        copy = strdup(text);
        if (!copy)
                return -ENOMEM;

        sep = strchr(copy, '/');
        if (sep && t->prefix) {
                uint64_t len;
                *sep = '\0';
                if (parse_value(t, copy, key) < 0 || !parse_uint(sep + 1, t->prefix, &len))
                        return why_value(ret_why, "Invalid %s: '%s'", t->name, text);
                if (!interval)
                        return why_value(ret_why,
                                         "'%s' is a prefix, which only a set with the interval flag can hold%s", text,
                                         "");
                memcpy(last, key, t->len);
                for (size_t b = len; b < t->prefix; b++) {
                        uint8_t mask = (uint8_t) (0x80 >> (b % 8));
                        if (key[b / 8] & mask)
                                return why_value(ret_why, "'%s' has bits set past its prefix length%s", text, "");
                        last[b / 8] |= mask;
                }
                return 0;
        }

        /* a range: service names may hold '-' themselves, so every split is tried; interface names are
         * names, never ranges */
        for (sep = t->id == 41 ? NULL : strchr(copy, '-'); sep; sep = strchr(sep + 1, '-')) {
                *sep = '\0';
                if (parse_value(t, copy, key) == 0 && parse_value(t, sep + 1, last) == 0) {
                        if (!interval)
                                return why_value(ret_why,
                                                 "'%s' is a range, which only a set with the interval flag "
                                                 "can hold%s",
                                                 text, "");
                        if (!t->ordered)
                                return why_value(ret_why, "'%s' is a range of %s, which has no order", text, t->name);
                        if (memcmp(key, last, t->len) > 0)
                                return why_value(ret_why, "The range '%s' ends before it starts%s", text, "");
                        return 0;
                }
                *sep = '-';
        }
        return why_value(ret_why, "Invalid %s: '%s'", t->name, text);
}

/* a verdict map's values; those that name a chain end in a space */
typedef struct Verdict {
        const char *name;
        int32_t code;
} Verdict;

static const Verdict verdicts[] = {
        { "accept", NF_ACCEPT },  { "drop", NF_DROP },   { "continue", NFT_CONTINUE },
        { "return", NFT_RETURN }, { "jump ", NFT_JUMP }, { "goto ", NFT_GOTO },
};

static int parse_verdict(const char *text, Element *e, char **ret_why)
{
        for (size_t i = 0; i < ELEMENTSOF(verdicts); i++) {
                size_t n = strlen(verdicts[i].name);
                if (verdicts[i].name[n - 1] == ' ' ? strncmp(text, verdicts[i].name, n) != 0
                                                   : !streq(text, verdicts[i].name))
                        continue;
                e->verdict = verdicts[i].code;
                if (verdicts[i].name[n - 1] == ' ') {
                        if (validate_object_name("chain", text + n, ret_why) < 0)
                                return -EINVAL;
                        snprintf(e->chain, sizeof(e->chain), "%s", text + n);
                }
                return 0;
        }
        return why_value(ret_why, "Invalid %s '%s': expected accept, drop, continue, return, jump CHAIN or goto CHAIN",
                         "verdict", text);
}

int element_parse(const SetShape *s, const char *text, Element *ret, char **ret_why)
{
        _cleanup_free_ char *copy = NULL;
        char *key, *value = NULL, *p, *field, *end;
        size_t n = 0, off = 0;

        memset(ret, 0, sizeof(*ret));
        if (!text)
                return why(ret_why, "The element is empty");
        for (const char *c = text; *c; c++)
                if ((unsigned char) *c < 0x20 || (unsigned char) *c >= 0x7f)
                        return why_value(ret_why, "Invalid %s '%s': only printable ASCII is allowed", "element", text);
        if (strlen(text) > ELEMENT_TEXT_MAX)
                return why(ret_why, "The element is longer than %d characters", ELEMENT_TEXT_MAX);
        copy = strdup(text);
        if (!copy)
                return -ENOMEM;
        key = copy;
        while (*key == ' ')
                key++;
        end = key + strlen(key);
        while (end > key && end[-1] == ' ')
                *--end = '\0';
        if (!*key)
                return why(ret_why, "The element is empty");

        p = strstr(key, " : ");
        if (p) {
                if (!s->map)
                        return why_value(ret_why, "'%s' has a value, but the set is not a map%s", text, "");
                *p = '\0';
                value = p + 3;
                while (*value == ' ')
                        value++;
        } else if (s->map)
                return why_value(ret_why, "The map element '%s' has no value: write 'KEY : VALUE'%s", text, "");

        p = key;
        while ((field = strsep(&p, " "))) {
                const DataType *t;
                uint8_t *k = ret->key + off, *l = ret->key_last + off;
                int r;

                if (!*field)
                        continue;
                if (streq(field, ".")) {
                        if (n == 0 || !p || n == s->n_key)
                                return why_value(ret_why, "Invalid %s '%s': join fields with ' . '", "element", text);
                        continue;
                }
                if (n == s->n_key)
                        return why_value(ret_why,
                                         "'%s' has more fields than the set's key, or fields not joined by "
                                         "' . '%s",
                                         text, "");
                t = s->key[n];
                r = parse_field(t, s->interval, field, k, l, ret_why);
                if (r < 0)
                        return r;
                if (memcmp(k, l, t->len) != 0)
                        ret->range = true;
                off += s->n_key > 1 ? round_up4(t->len) : t->len;
                n++;
                /* the next token must be the separator */
                if (p && n < s->n_key) {
                        while (*p == ' ')
                                p++;
                        if (strncmp(p, ". ", 2) != 0)
                                return why_value(ret_why, "Invalid %s '%s': join fields with ' . '", "element", text);
                }
        }
        if (n != s->n_key)
                return why_value(ret_why, "'%s' has fewer fields than the set's key%s", text, "");

        if (value) {
                if (s->data->id == DATATYPE_VERDICT)
                        return parse_verdict(value, ret, ret_why);
                if (parse_value(s->data, value, ret->data) < 0)
                        return why_value(ret_why, "Invalid %s value: '%s'", s->data->name, value);
        }
        return 0;
}

int element_format(const SetShape *s, const Element *e, char **ret)
{
        char buf[ELEMENT_TEXT_MAX + 512];
        size_t off = 0, used = 0;
        int r;

        buf[0] = '\0';
        for (size_t i = 0; i < s->n_key; i++) {
                const DataType *t = s->key[i];
                char first[INET6_ADDRSTRLEN + 16], last[INET6_ADDRSTRLEN + 16];
                int prefix;

                r = format_value(t, e->key + off, first, sizeof(first));
                if (r < 0)
                        return r;
                used += (size_t) snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? " . " : "", first);
                if (s->interval && memcmp(e->key + off, e->key_last + off, t->len) != 0) {
                        prefix = prefix_of(t, e->key + off, e->key_last + off);
                        if (prefix >= 0)
                                used += (size_t) snprintf(buf + used, sizeof(buf) - used, "/%d", prefix);
                        else {
                                r = format_value(t, e->key_last + off, last, sizeof(last));
                                if (r < 0)
                                        return r;
                                used += (size_t) snprintf(buf + used, sizeof(buf) - used, "-%s", last);
                        }
                }
                off += s->n_key > 1 ? round_up4(t->len) : t->len;
        }
        if (s->map) {
                char value[300];

                if (s->data->id == DATATYPE_VERDICT) {
                        size_t i = 0;

                        while (i < ELEMENTSOF(verdicts) && verdicts[i].code != e->verdict)
                                i++;
                        if (i == ELEMENTSOF(verdicts))
                                snprintf(value, sizeof(value), "verdict %d", e->verdict);
                        else
                                snprintf(value, sizeof(value), "%s%s", verdicts[i].name,
                                         e->verdict == NFT_JUMP || e->verdict == NFT_GOTO ? e->chain : "");
                } else {
                        r = format_value(s->data, e->data, value, sizeof(value));
                        if (r < 0)
                                return r;
                }
                snprintf(buf + used, sizeof(buf) - used, " : %s", value);
        }
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int element_details_json(const char *text, const ElementDetails *d, char **ret)
{
        json_t *o = json_pack("{s:s}", "element", text);
        int r = o ? 0 : -1;

        if (r >= 0 && d->timeout_ms)
                r = json_object_set_new(o, "timeout_ms", json_integer((json_int_t) d->timeout_ms));
        if (r >= 0 && d->expires_ms)
                r = json_object_set_new(o, "expires_ms", json_integer((json_int_t) d->expires_ms));
        if (r >= 0 && d->has_counter)
                r = json_object_set_new(o, "packets", json_integer((json_int_t) d->packets));
        if (r >= 0 && d->has_counter)
                r = json_object_set_new(o, "bytes", json_integer((json_int_t) d->bytes));
        if (r >= 0 && d->comment[0]) {
                json_t *comment = json_string(d->comment); /* NULL when not UTF-8 */
                r = json_object_set_new(o, "comment", comment ? comment : json_string("(not UTF-8)"));
        }
        *ret = r >= 0 ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        return *ret ? 0 : -ENOMEM;
}
