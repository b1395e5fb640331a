/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/ipsetspec.h"
#include "core/richrule.h"

#define RICH_TEXT_MAX 1024
#define RICH_TOKENS_MAX 48
#define RICH_DEPTH_MAX 4

typedef struct Token {
        char text[RICH_VALUE_MAX]; /* an element's name, or an attribute's */
        const char *value;         /* the attribute's value (after '=' in text), or NULL for an element */
} Token;

#define REFUSE(code, ...) refuse_code(ret_code, ret_why, code, __VA_ARGS__)

/* ---- words: firewalld strips control characters, then splits as a POSIX shell (shlex.split) ---- */

/* C0 and C1 control characters dropped, tabs and newlines too (firewalld's stripNonPrintableCharacters()) */
static void strip_controls(const char *in, char *out)
{
        const unsigned char *p = (const unsigned char *) in;
        size_t n = 0;

        for (; *p; p++) {
                if (*p < 0x20 || *p == 0x7f)
                        continue;
                if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) { /* U+0080 to U+009F */
                        p++;
                        continue;
                }
                out[n++] = (char) *p;
        }
        out[n] = '\0';
}

/* shell words: white space between, '...' literal, "..." with \ escaping \ and ", \ escaping any character
 * outside quotes; a word with '=' an attribute, which must have one '=' between a name and a value (firewalld's
 * lexer). The last token is the element EOL, as firewalld adds it. */
static int tokens_of(const char *text, Token *tokens, size_t *ret_n, const char **ret_code, char **ret_why)
{
        const char *p = text;
        size_t n = 0;

        for (;;) {
                while (*p == ' ')
                        p++;
                if (!*p)
                        break;
                if (n + 1 >= RICH_TOKENS_MAX)
                        return REFUSE("INVALID_RULE", "more than %d words", RICH_TOKENS_MAX - 1);
                Token *t = &tokens[n++];
                size_t len = 0;
                char quote = 0;
                for (; *p && (quote || *p != ' '); p++) {
                        char c = *p;
                        if (!quote && (c == '"' || c == '\'')) {
                                quote = c;
                                continue;
                        }
                        if (quote && c == quote) {
                                quote = 0;
                                continue;
                        }
                        if (c == '\\' && quote != '\'' &&
                            (!quote || p[1] == '\\' || p[1] == '"' || p[1] == '$' || p[1] == '`')) {
                                if (!p[1])
                                        return REFUSE("INVALID_RULE", "No escaped character");
                                c = *++p;
                        }
                        if (len + 1 >= sizeof(t->text))
                                return REFUSE("INVALID_RULE", "a word longer than %d characters", RICH_VALUE_MAX - 1);
                        t->text[len++] = c;
                }
                if (quote)
                        return REFUSE("INVALID_RULE", "No closing quotation");
                t->text[len] = '\0';
                char *eq = strchr(t->text, '=');
                t->value = NULL;
                if (eq) {
                        if (eq == t->text || !eq[1] || strchr(eq + 1, '=')) {
                                _cleanup_free_ char *word = strdup(t->text);
                                return word ? REFUSE("INVALID_RULE", "internal error in _lexer(): %s", word) : -ENOMEM;
                        }
                        *eq = '\0';
                        t->value = eq + 1;
                }
        }
        strcpy(tokens[n++].text, "EOL");
        tokens[n - 1].value = NULL;
        *ret_n = n;
        return 0;
}

/* ---- values, as firewalld's functions check them ---- */

static bool one_of(const char *s, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (streq(list[i], s))
                        return true;
        return false;
}

/* Python's int() of a decimal: spaces around, a sign, digits with single '_' between; saturates */
static bool py_int(const char *s, long long *ret)
{
        long long v = 0;
        bool negative = false, digit = false;

        while (*s == ' ')
                s++;
        if (*s == '+' || *s == '-')
                negative = *s++ == '-';
        for (; (*s >= '0' && *s <= '9') || (*s == '_' && digit && s[1] >= '0' && s[1] <= '9'); s++) {
                if (*s == '_')
                        continue;
                digit = true;
                v = v > LLONG_MAX / 10 ? LLONG_MAX : v * 10 + (*s - '0');
        }
        while (*s == ' ')
                s++;
        if (!digit || *s)
                return false;
        *ret = negative ? -v : v;
        return true;
}

/* int(value, 0) within 0..max: decimal, 0x, 0o, 0b (firewalld's checkUINT16, checkUINT32) */
static bool unsigned_up_to(const char *s, unsigned long long max)
{
        unsigned long long v;
        char *end;
        int base = 10;

        if (*s == '0' && (s[1] == 'x' || s[1] == 'X'))
                base = 16, s += 2;
        else if (*s == '0' && (s[1] == 'o' || s[1] == 'O'))
                base = 8, s += 2;
        else if (*s == '0' && (s[1] == 'b' || s[1] == 'B'))
                base = 2, s += 2;
        else if (*s == '0' && s[1]) /* Python refuses "010" in base 0 */
                return strspn(s, "0") == strlen(s);
        if (!*s || *s == '-' || *s == '+' || *s == ' ')
                return false;
        errno = 0;
        v = strtoull(s, &end, base);
        return !errno && !*end && v <= max;
}

static bool all_digits(const char *s)
{
        return *s && strspn(s, "0123456789") == strlen(s);
}

/* a port or a range as firewalld's check_port() takes it: 0 to 65535, a range either way round. Port names
 * (/etc/services) are not taken: they need a lookup nftbus's pure code does not make. */
static bool port_valid(const char *s)
{
        const char *dash = strchr(s, '-');
        char lo[8];

        if (!dash)
                return all_digits(s) && strlen(s) <= 5 && atoi(s) <= 65535;
        if ((size_t) (dash - s) >= sizeof(lo))
                return false;
        memcpy(lo, s, (size_t) (dash - s));
        lo[dash - s] = '\0';
        return port_valid(lo) && !strchr(dash + 1, '-') && port_valid(dash + 1);
}

static bool address_valid(int family, const char *s, bool single)
{
        char addr[INET6_ADDRSTRLEN + 1];
        unsigned char buf[16];
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t) (slash - s) : strlen(s);
        long long prefix;

        if (len == 0 || len >= sizeof(addr) || (slash && (single || !slash[1])))
                return false;
        memcpy(addr, s, len);
        addr[len] = '\0';
        if (inet_pton(family == 4 ? AF_INET : AF_INET6, addr, buf) != 1)
                return false;
        if (!slash)
                return true;
        if (family == 4 && strchr(slash + 1, '.'))
                return inet_pton(AF_INET, slash + 1, buf) == 1;
        return py_int(slash + 1, &prefix) && prefix >= 0 && prefix <= (family == 4 ? 32 : 128);
}

static bool mac_valid(const char *s)
{
        if (strlen(s) != 17)
                return false;
        for (int i = 0; i < 17; i++)
                if (i % 3 == 2 ? s[i] != ':' : !strchr("0123456789abcdefABCDEF", s[i]))
                        return false;
        return true;
}

/* a protocol as a number 0 to 255 or a name; which names exist is the zone's to say */
static bool protocol_valid(const char *s)
{
        long long v;

        if (py_int(s, &v))
                return v >= 0 && v <= 255;
        return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_.") == strlen(s);
}

static const char *const log_levels[] = { "emerg", "alert", "crit", "error", "warning", "notice", "info", "debug" };

/* the reject types, with nft's statement */
typedef struct RejectType {
        const char *type, *statement;
} RejectType;

static const RejectType reject_types[] = {
        { "icmp-host-prohibited", "reject with icmp type host-prohibited" },
        { "host-prohib", "reject with icmp type host-prohibited" },
        { "icmp-net-unreachable", "reject with icmp type net-unreachable" },
        { "net-unreach", "reject with icmp type net-unreachable" },
        { "icmp-host-unreachable", "reject with icmp type host-unreachable" },
        { "host-unreach", "reject with icmp type host-unreachable" },
        { "icmp-port-unreachable", "reject with icmp type port-unreachable" },
        { "port-unreach", "reject with icmpx type port-unreachable" },
        { "icmp-proto-unreachable", "reject with icmp type prot-unreachable" },
        { "proto-unreach", "reject with icmp type prot-unreachable" },
        { "icmp-net-prohibited", "reject with icmp type net-prohibited" },
        { "net-prohib", "reject with icmp type net-prohibited" },
        { "tcp-reset", "reject with tcp reset" },
        { "tcp-rst", "reject with tcp reset" },
        { "icmp-admin-prohibited", "reject with icmp type admin-prohibited" },
        { "admin-prohib", "reject with icmp type admin-prohibited" },
        { "icmp6-adm-prohibited", "reject with icmpv6 type admin-prohibited" },
        { "adm-prohibited", "reject with icmpv6 type admin-prohibited" },
        { "icmp6-no-route", "reject with icmpv6 type no-route" },
        { "no-route", "reject with icmpv6 type no-route" },
        { "icmp6-addr-unreachable", "reject with icmpv6 type addr-unreachable" },
        { "addr-unreach", "reject with icmpv6 type addr-unreachable" },
        { "icmp6-port-unreachable", "reject with icmpv6 type port-unreachable" },
};

/* which a family takes, in firewalld's order (its REJECT_TYPES) */
static const char *const reject_types_v4[] = {
        "icmp-host-prohibited",
        "host-prohib",
        "icmp-net-unreachable",
        "net-unreach",
        "icmp-host-unreachable",
        "host-unreach",
        "icmp-port-unreachable",
        "port-unreach",
        "icmp-proto-unreachable",
        "proto-unreach",
        "icmp-net-prohibited",
        "net-prohib",
        "tcp-reset",
        "tcp-rst",
        "icmp-admin-prohibited",
        "admin-prohib",
};
static const char *const reject_types_v6[] = {
        "icmp6-adm-prohibited", "adm-prohibited",         "icmp6-no-route", "no-route",  "icmp6-addr-unreachable",
        "addr-unreach",         "icmp6-port-unreachable", "port-unreach",   "tcp-reset",
};

const char *rich_reject_statement(const char *type)
{
        for (size_t i = 0; i < ELEMENTSOF(reject_types); i++)
                if (streq(reject_types[i].type, type))
                        return reject_types[i].statement;
        return NULL;
}

/* firewalld's check of a reject type against the rule's family, and its message: "Use one of: " the family's */
static int check_reject_type(const char *type, int family, const char **ret_code, char **ret_why)
{
        const char *const *types = family == 4 ? reject_types_v4 : reject_types_v6;
        size_t n = family == 4 ? ELEMENTSOF(reject_types_v4) : ELEMENTSOF(reject_types_v6);
        char list[512] = "";

        if (one_of(type, types, n))
                return 0;
        for (size_t i = 0; i < n; i++) {
                if (i)
                        strcat(list, ", ");
                strcat(list, types[i]);
        }
        return REFUSE("INVALID_RULE", "Wrong reject type %s.\nUse one of: %s.", type, list);
}

/* ---- the parts, as firewalld prints them (its classes' __str__) ---- */

static void limit_text(FILE *f, const char *limit)
{
        if (*limit)
                fprintf(f, " limit value=\"%s\"", limit);
}

static void print_peer(FILE *f, const char *what, const RichPeer *p)
{
        fprintf(f, " %s%s ", what, p->invert ? " NOT" : "");
        if (*p->address)
                fprintf(f, "address=\"%s\"", p->address);
        else if (*p->mac)
                fprintf(f, "mac=\"%s\"", p->mac);
        else
                fprintf(f, "ipset=\"%s\"", p->ipset);
}

/* clang-format off */
static const char *const element_names[] = {
        [RICH_SERVICE] = "service",           [RICH_PORT] = "port",               [RICH_PROTOCOL] = "protocol",
        [RICH_ICMP_BLOCK] = "icmp-block",     [RICH_ICMP_TYPE] = "icmp-type",     [RICH_MASQUERADE] = "masquerade",
        [RICH_FORWARD_PORT] = "forward-port", [RICH_SOURCE_PORT] = "source-port", [RICH_TCP_MSS_CLAMP] = "tcp-mss-clamp",
};
/* clang-format on */

static void print_element(FILE *f, const RichRule *r)
{
        switch (r->element) {
        case RICH_SERVICE:
        case RICH_ICMP_BLOCK:
        case RICH_ICMP_TYPE:
                fprintf(f, " %s name=\"%s\"", element_names[r->element], r->name);
                break;
        case RICH_PORT:
        case RICH_SOURCE_PORT:
                fprintf(f, " %s port=\"%s\" protocol=\"%s\"", element_names[r->element], r->port, r->protocol);
                break;
        case RICH_PROTOCOL:
                fprintf(f, " protocol value=\"%s\"", r->protocol);
                break;
        case RICH_MASQUERADE:
                fputs(" masquerade", f);
                break;
        case RICH_FORWARD_PORT:
                fprintf(f, " forward-port port=\"%s\" protocol=\"%s\"", r->port, r->protocol);
                if (*r->to_port)
                        fprintf(f, " to-port=\"%s\"", r->to_port);
                if (*r->to_addr)
                        fprintf(f, " to-addr=\"%s\"", r->to_addr);
                break;
        case RICH_TCP_MSS_CLAMP:
                fputs(" tcp-mss-clamp", f);
                if (*r->value)
                        fprintf(f, " value=\"%s\"", r->value);
                break;
        case RICH_NO_ELEMENT:
                break;
        }
}

static void print_log(FILE *f, const RichRule *r)
{
        if (r->log == RICH_LOG) {
                fputs(" log", f);
                if (*r->log_prefix)
                        fprintf(f, " prefix=\"%s\"", r->log_prefix);
                if (*r->log_level)
                        fprintf(f, " level=\"%s\"", r->log_level);
        } else if (r->log == RICH_NFLOG) {
                fputs(" nflog", f);
                if (*r->nflog_group)
                        fprintf(f, " group=\"%s\"", r->nflog_group);
                if (*r->log_prefix)
                        fprintf(f, " prefix=\"%s\"", r->log_prefix);
                if (*r->nflog_queue_size)
                        fprintf(f, " queue-size=\"%s\"", r->nflog_queue_size);
        }
        if (r->log)
                limit_text(f, r->log_limit);
        if (r->audit) {
                fputs(" audit", f);
                limit_text(f, r->audit_limit);
        }
}

static const char *const action_names[] = {
        [RICH_ACCEPT] = "accept", [RICH_REJECT] = "reject", [RICH_DROP] = "drop", [RICH_MARK] = "mark"
};

static void print_action(FILE *f, const RichRule *r)
{
        if (!r->action)
                return;
        fprintf(f, " %s", action_names[r->action]);
        if (r->action == RICH_REJECT && *r->reject_type)
                fprintf(f, " type=\"%s\"", r->reject_type);
        if (r->action == RICH_MARK)
                fprintf(f, " set=%s", r->mark);
        limit_text(f, r->action_limit);
}

/* one part's text, without the leading space (for firewalld's messages that name a part) */
static char *part_text(const RichRule *r, void (*print)(FILE *f, const RichRule *r))
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        print(f, r);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        memmove(buf, buf + (*buf == ' '), strlen(buf + (*buf == ' ')) + 1);
        return buf;
}

static void print_rule(FILE *f, const RichRule *r)
{
        fputs("rule", f);
        if (r->priority)
                fprintf(f, " priority=\"%d\"", r->priority);
        if (r->family)
                fprintf(f, " family=\"ipv%d\"", r->family);
        if (r->source.present)
                print_peer(f, "source", &r->source);
        if (r->destination.present)
                print_peer(f, "destination", &r->destination);
        print_element(f, r);
        print_log(f, r);
        print_action(f, r);
}

int rich_rule_format(const RichRule *r, char **ret)
{
        *ret = part_text(r, print_rule);
        return *ret ? 0 : -ENOMEM;
}

/* ---- the parser: firewalld's, a stack of the elements a token is in ---- */

/* the attributes of the element being read (firewalld's attrs, shared as its are) */
typedef struct Attrs {
        const char *address, *mac, *ipset, *value, *port, *protocol, *to_port, *to_addr, *prefix, *level, *group,
                *queue_size, *type, *set;
        bool invert;
        char limit[RICH_VALUE_MAX];
} Attrs;

static const char *const attribute_names[] = {
        "priority", "family",  "address", "mac",   "ipset",  "invert", "value", "port",       "protocol",
        "to-port",  "to-addr", "name",    "group", "prefix", "level",  "type",  "queue-size", "set",
};

static const char *const known_elements[] = {
        "rule",       "source",       "destination", "protocol", "service", "port",  "icmp-block",    "icmp-type",
        "masquerade", "forward-port", "source-port", "log",      "nflog",   "audit", "accept",        "drop",
        "reject",     "mark",         "limit",       "not",      "NOT",     "EOL",   "tcp-mss-clamp",
};

static void copy_value(char *to, const char *value)
{
        snprintf(to, RICH_VALUE_MAX, "%s", value ? value : "");
}

/* firewalld's Rich_Limit(): "3/minute" shortened to "3/m" */
static void limit_normalised(char *to, const char *value)
{
        const char *slash = strchr(value, '/');
        static const char *const units[] = { "second", "minute", "hour", "day" };

        if (slash && !strchr(slash + 1, '/') && one_of(slash + 1, units, ELEMENTSOF(units)))
                snprintf(to, RICH_VALUE_MAX, "%.*s/%c", (int) (slash - value), value, slash[1]);
        else
                copy_value(to, value);
}

/* the checks at a token that names an element: firewalld's, before the element is read */
static int check_repeated(const RichRule *r, const char *element, bool have_source, bool have_destination,
                          const char **ret_code, char **ret_why)
{
        static const char *const single[] = { "protocol",  "service",    "port",         "icmp-block",
                                              "icmp-type", "masquerade", "forward-port", "source-port" };
        _cleanup_free_ char *text = NULL;

        if (streq(element, "source") && have_source)
                return REFUSE("INVALID_RULE", "more than one 'source' element");
        if (streq(element, "destination") && have_destination)
                return REFUSE("INVALID_RULE", "more than one 'destination' element");
        if (one_of(element, single, ELEMENTSOF(single)) && r->element) {
                text = part_text(r, print_element);
                return text ? REFUSE("INVALID_RULE",
                                     "more than one element. There cannot be both '%s' and '%s' in one rule.", element,
                                     text)
                            : -ENOMEM;
        }
        if ((streq(element, "log") || streq(element, "nflog")) && r->log)
                return REFUSE("INVALID_RULE", "more than one logging element");
        if (streq(element, "audit") && r->audit)
                return REFUSE("INVALID_RULE", "more than one 'audit' element");
        if ((streq(element, "accept") || streq(element, "drop") || streq(element, "reject") ||
             streq(element, "mark")) &&
            r->action) {
                text = part_text(r, print_action);
                return text ? REFUSE("INVALID_RULE",
                                     "more than one 'action' element. There cannot be both '%s' and '%s' in one "
                                     "rule.",
                                     element, text)
                            : -ENOMEM;
        }
        return 0;
}

/* an element that ends at the first token not its own (firewalld's "return token to input") */
static bool ends_at(const Token *t, const char *const *own, size_t n)
{
        return !(t->value && one_of(t->text, own, n));
}

static int parse(const Token *tokens, size_t n, RichRule *r, const char **ret_code, char **ret_why)
{
        const char *stack[RICH_DEPTH_MAX];
        size_t depth = 0, i = 0;
        bool have_source = false, have_destination = false;
        Attrs a = {};
        int k;

        if (streq(tokens[0].text, "EOL") && !tokens[0].value)
                return REFUSE("INVALID_RULE", "empty rule");
        while (!(streq(tokens[i].text, "EOL") && !tokens[i].value && depth == 1 && streq(stack[0], "rule"))) {
                const Token *t = &tokens[i];
                const char *in = depth ? stack[depth - 1] : "";

                if (t->value && !one_of(t->text, attribute_names, ELEMENTSOF(attribute_names)))
                        return REFUSE("INVALID_RULE", "bad attribute '%s'", t->text);
                if (!t->value) {
                        if (!one_of(t->text, known_elements, ELEMENTSOF(known_elements)))
                                return REFUSE("INVALID_RULE", "unknown element %s", t->text);
                        k = check_repeated(r, t->text, have_source, have_destination, ret_code, ret_why);
                        if (k < 0)
                                return k;
                }

                if (!*in) {
                        if (t->value && streq(t->text, "family"))
                                return REFUSE("INVALID_RULE", "'family' outside of rule. Use 'rule family=...'.");
                        if (t->value && streq(t->text, "priority"))
                                return REFUSE("INVALID_RULE", "'priority' outside of rule. Use 'rule priority=...'.");
                        if (t->value)
                                return REFUSE("INVALID_RULE",
                                              "'%s' outside of any element. Use 'rule <element> %s= ...'.", t->text,
                                              t->text);
                        if (!streq(t->text, "rule"))
                                return REFUSE("INVALID_RULE", "'%s' outside of rule. Use 'rule ... %s ...'.", t->text,
                                              t->text);
                        stack[depth++] = "rule";
                } else if (streq(in, "rule")) {
                        if (t->value && streq(t->text, "family")) {
                                if (!streq(t->value, "ipv4") && !streq(t->value, "ipv6"))
                                        return REFUSE("INVALID_RULE",
                                                      "'family' attribute cannot have '%s' value. Use 'ipv4' or "
                                                      "'ipv6' instead.",
                                                      t->value);
                                r->family = t->value[3] - '0';
                        } else if (t->value && streq(t->text, "priority")) {
                                long long p;
                                if (!py_int(t->value, &p))
                                        return REFUSE("INVALID_PRIORITY", "invalid 'priority' attribute value '%s'.",
                                                      t->value);
                                r->priority = p < INT_MIN ? INT_MIN : p > INT_MAX ? INT_MAX : (int) p;
                        } else if (t->value && streq(t->text, "protocol"))
                                return REFUSE("INVALID_RULE", "wrong 'protocol' usage. Use either 'rule protocol "
                                                              "value=...' or  'rule [forward-]port protocol=...'.");
                        else if (t->value)
                                return REFUSE("INVALID_RULE",
                                              "attribute '%s' outside of any element. Use 'rule <element> %s= ...'.",
                                              t->text, t->text);
                        else if (depth == RICH_DEPTH_MAX)
                                return REFUSE("INVALID_RULE", "'%s' inside another element", t->text);
                        else
                                stack[depth++] = t->text;
                } else if (streq(in, "source") || streq(in, "destination")) {
                        bool source = streq(in, "source");
                        static const char *const own[] = { "address", "ipset", "invert", "mac" };
                        if (t->value && one_of(t->text, own, source ? 4 : 3)) {
                                if (streq(t->text, "address"))
                                        a.address = t->value;
                                else if (streq(t->text, "ipset"))
                                        a.ipset = t->value;
                                else if (streq(t->text, "mac"))
                                        a.mac = t->value;
                                else /* firewalld keeps the word: any value inverts */
                                        a.invert = true;
                        } else if (!t->value && (streq(t->text, "not") || streq(t->text, "NOT")))
                                a.invert = true;
                        else {
                                RichPeer *p = source ? &r->source : &r->destination;
                                if (!a.address && !a.mac && !a.ipset)
                                        return REFUSE("INVALID_RULE",
                                                      source ? "no address, mac and ipset" : "no address and ipset");
                                *p = (RichPeer){ .present = true, .invert = a.invert };
                                copy_value(p->address, a.address);
                                copy_value(p->ipset, a.ipset);
                                copy_value(p->mac, a.mac);
                                for (char *c = p->mac; *c; c++)
                                        if (*c >= 'a' && *c <= 'z')
                                                *c = (char) (*c - 'a' + 'A');
                                *(source ? &have_source : &have_destination) = true;
                                depth--;
                                a = (Attrs){};
                                continue; /* the token again, outside */
                        }
                } else if (streq(in, "protocol") || streq(in, "service") || streq(in, "icmp-block") ||
                           streq(in, "icmp-type")) {
                        bool protocol = streq(in, "protocol");
                        if (!t->value || !streq(t->text, protocol ? "value" : "name"))
                                return REFUSE("INVALID_RULE", "invalid '%s' element", in);
                        r->element = protocol                  ? RICH_PROTOCOL
                                     : streq(in, "service")    ? RICH_SERVICE
                                     : streq(in, "icmp-block") ? RICH_ICMP_BLOCK
                                                               : RICH_ICMP_TYPE;
                        copy_value(protocol ? r->protocol : r->name, t->value);
                        depth--;
                } else if (streq(in, "tcp-mss-clamp")) {
                        if (t->value && streq(t->text, "value"))
                                a.value = t->value;
                        else {
                                r->element = RICH_TCP_MSS_CLAMP;
                                copy_value(r->value, a.value);
                                depth--;
                                a = (Attrs){};
                                continue;
                        }
                } else if (streq(in, "port") || streq(in, "source-port") || streq(in, "forward-port")) {
                        bool forward = streq(in, "forward-port");
                        static const char *const own[] = { "port", "protocol", "to-port", "to-addr" };
                        if (!ends_at(t, own, forward ? 4 : 2)) {
                                *(streq(t->text, "port")       ? &a.port
                                  : streq(t->text, "protocol") ? &a.protocol
                                  : streq(t->text, "to-port")  ? &a.to_port
                                                               : &a.to_addr) = t->value;
                        } else {
                                r->element = forward             ? RICH_FORWARD_PORT
                                             : streq(in, "port") ? RICH_PORT
                                                                 : RICH_SOURCE_PORT;
                                copy_value(r->port, a.port);
                                copy_value(r->protocol, a.protocol);
                                copy_value(r->to_port, a.to_port);
                                copy_value(r->to_addr, a.to_addr);
                                /* a port or protocol not given is Python's None: its check fails */
                                if (!a.port)
                                        strcpy(r->port, "None");
                                depth--;
                                a = (Attrs){};
                                continue;
                        }
                } else if (streq(in, "masquerade")) {
                        r->element = RICH_MASQUERADE;
                        depth--;
                        a = (Attrs){};
                        continue;
                } else if (streq(in, "log") || streq(in, "nflog") || streq(in, "audit") || streq(in, "accept") ||
                           streq(in, "drop") || streq(in, "reject") || streq(in, "mark")) {
                        static const char *const log_own[] = { "prefix", "level" };
                        static const char *const nflog_own[] = { "group", "prefix", "queue-size" };
                        bool own = t->value && ((streq(in, "log") && one_of(t->text, log_own, 2)) ||
                                                (streq(in, "nflog") && one_of(t->text, nflog_own, 3)) ||
                                                (streq(in, "reject") && streq(t->text, "type")) ||
                                                (streq(in, "mark") && streq(t->text, "set")));
                        if (own)
                                *(streq(t->text, "prefix")       ? &a.prefix
                                  : streq(t->text, "level")      ? &a.level
                                  : streq(t->text, "group")      ? &a.group
                                  : streq(t->text, "queue-size") ? &a.queue_size
                                  : streq(t->text, "type")       ? &a.type
                                                                 : &a.set) = t->value;
                        else if (!t->value && streq(t->text, "limit")) {
                                if (depth == RICH_DEPTH_MAX)
                                        return REFUSE("INVALID_RULE", "'limit' inside another element");
                                stack[depth++] = "limit";
                        } else {
                                if (streq(in, "log") || streq(in, "nflog")) {
                                        r->log = streq(in, "log") ? RICH_LOG : RICH_NFLOG;
                                        copy_value(r->log_prefix, a.prefix);
                                        copy_value(r->log_level, a.level);
                                        copy_value(r->nflog_group, a.group);
                                        copy_value(r->nflog_queue_size, a.queue_size);
                                        copy_value(r->log_limit, a.limit);
                                } else if (streq(in, "audit")) {
                                        r->audit = true;
                                        copy_value(r->audit_limit, a.limit);
                                } else {
                                        r->action = streq(in, "accept")   ? RICH_ACCEPT
                                                    : streq(in, "drop")   ? RICH_DROP
                                                    : streq(in, "reject") ? RICH_REJECT
                                                                          : RICH_MARK;
                                        copy_value(r->reject_type, a.type);
                                        copy_value(r->mark, a.set ? a.set : "None");
                                        copy_value(r->action_limit, a.limit);
                                }
                                depth--;
                                a = (Attrs){};
                                continue;
                        }
                } else if (streq(in, "limit")) {
                        if (!t->value || !streq(t->text, "value"))
                                return REFUSE("INVALID_RULE", "invalid 'limit' element");
                        limit_normalised(a.limit, t->value);
                        depth--;
                } else /* an element that takes nothing ("not" after "rule"): firewalld fails on */
                        return REFUSE("INVALID_RULE", "'%s' is not an element of a rule", in);
                if (++i >= n)
                        return REFUSE("INVALID_RULE", "the rule ends inside '%s'", depth ? stack[depth - 1] : "rule");
        }
        return 0;
}

/* firewalld's Rich_Limit.check() */
static int check_limit(const char *limit, const char **ret_code, char **ret_why)
{
        const char *slash = strchr(limit, '/');
        char rate[RICH_VALUE_MAX];
        long long n;

        if (!*limit)
                return 0;
        if (!slash || strchr(slash + 1, '/'))
                return REFUSE("INVALID_LIMIT", "%s", limit);
        snprintf(rate, sizeof(rate), "%.*s", (int) (slash - limit), limit);
        if (!py_int(rate, &n) || n < 1 || strlen(slash + 1) != 1 || !strchr("smhd", slash[1]))
                return REFUSE("INVALID_LIMIT", "%s", limit);
        if (n == 1 && slash[1] == 'd')
                return REFUSE("INVALID_LIMIT", "%s too slow", limit);
        return 0;
}

/* firewalld's Rich_Rule.check(), in its order */
static int check(const RichRule *r, const char **ret_code, char **ret_why)
{
        bool special = r->element == RICH_ICMP_BLOCK || r->element == RICH_FORWARD_PORT ||
                       r->element == RICH_MASQUERADE || r->element == RICH_TCP_MSS_CLAMP;
        int k;

        if (!r->family && ((r->source.present && *r->source.address) || r->destination.present))
                return REFUSE("MISSING_FAMILY", "%s", "");
        if (!r->family && r->element == RICH_FORWARD_PORT)
                return REFUSE("MISSING_FAMILY", "%s", "");
        if (r->priority < -32768 || r->priority > 32767)
                return REFUSE("INVALID_PRIORITY", "'priority' attribute must be between -32768 and 32767.");
        if (!r->element && (!r->log || r->priority == 0)) {
                if (!r->action)
                        return REFUSE("INVALID_RULE", "no element, no action");
                if (!r->source.present && !r->destination.present && r->priority == 0)
                        return REFUSE("INVALID_RULE", "no element, no source, no destination");
        }
        if (!special && !r->log && !r->audit && !r->action)
                return REFUSE("INVALID_RULE", "no action, no log, no audit");

        if (r->source.present) {
                const RichPeer *s = &r->source;
                if (*s->address) {
                        if (*s->mac)
                                return REFUSE("INVALID_RULE", "address and mac");
                        if (*s->ipset)
                                return REFUSE("INVALID_RULE", "address and ipset");
                        if (!address_valid(r->family, s->address, false))
                                return REFUSE("INVALID_ADDR", "%s", s->address);
                } else if (*s->mac) {
                        if (*s->ipset)
                                return REFUSE("INVALID_RULE", "mac and ipset");
                        if (!mac_valid(s->mac))
                                return REFUSE("INVALID_MAC", "%s", s->mac);
                } else if (strlen(s->ipset) > 31)
                        return REFUSE("INVALID_IPSET", "%s", s->ipset);
        }
        if (r->destination.present) {
                const RichPeer *d = &r->destination;
                if (*d->address) {
                        if (*d->ipset)
                                return REFUSE("INVALID_DESTINATION", "address and ipset");
                        if (!address_valid(r->family, d->address, false))
                                return REFUSE("INVALID_ADDR", "%s", d->address);
                } else if (strlen(d->ipset) > 31)
                        return REFUSE("INVALID_IPSET", "%s", d->ipset);
        }

        switch (r->element) {
        case RICH_PORT:
        case RICH_SOURCE_PORT:
        case RICH_FORWARD_PORT:
                if (!port_valid(r->port))
                        return REFUSE("INVALID_PORT", "%s", r->port);
                if (!*r->protocol)
                        return REFUSE("INVALID_PROTOCOL", "%s", "");
                if (!streq(r->protocol, "tcp") && !streq(r->protocol, "udp") && !streq(r->protocol, "sctp") &&
                    !streq(r->protocol, "dccp"))
                        return REFUSE("INVALID_PROTOCOL", "%s", r->protocol);
                if (r->element != RICH_FORWARD_PORT)
                        break;
                if (!*r->to_port && !*r->to_addr)
                        return REFUSE("INVALID_PORT", "%s", "");
                if (*r->to_port && !port_valid(r->to_port))
                        return REFUSE("INVALID_PORT", "%s", r->to_port);
                if (*r->to_addr && !address_valid(r->family, r->to_addr, true))
                        return REFUSE("INVALID_ADDR", "%s", r->to_addr);
                if (r->action)
                        return REFUSE("INVALID_RULE", "forward-port and action");
                break;
        case RICH_PROTOCOL:
                if (!protocol_valid(r->protocol))
                        return REFUSE("INVALID_PROTOCOL", "%s", r->protocol);
                break;
        case RICH_MASQUERADE:
                if (r->action)
                        return REFUSE("INVALID_RULE", "masquerade and action");
                if (r->source.present && *r->source.mac)
                        return REFUSE("INVALID_RULE", "masquerade and mac source");
                break;
        case RICH_ICMP_BLOCK:
                if (r->action)
                        return REFUSE("INVALID_RULE", "icmp-block and action");
                break;
        case RICH_TCP_MSS_CLAMP:
                if (r->action) {
                        _cleanup_free_ char *action = part_text(r, print_action);
                        return action ? REFUSE("INVALID_RULE", "tcp-mss-clamp and %s are mutually exclusive", action)
                                      : -ENOMEM;
                }
                if (*r->value && (all_digits(r->value) ? atoll(r->value) < 536 || strlen(r->value) > 9
                                                       : !streq(r->value, "None") && !streq(r->value, "pmtu")))
                        return REFUSE("INVALID_RULE", "%s", r->value);
                break;
        default:
                break;
        }

        if (r->log) {
                if (strlen(r->log_prefix) > 127)
                        return REFUSE("INVALID_LOG_PREFIX", "maximum accepted length of 'prefix' is 127.");
                if (r->log == RICH_LOG && *r->log_level && !one_of(r->log_level, log_levels, ELEMENTSOF(log_levels)))
                        return REFUSE("INVALID_LOG_LEVEL", "%s", r->log_level);
                if (r->log == RICH_NFLOG && *r->nflog_group && !unsigned_up_to(r->nflog_group, 65535))
                        return REFUSE("INVALID_NFLOG_GROUP", "nflog 'group' must be an integer between 0 and 65535.");
                if (r->log == RICH_NFLOG && *r->nflog_queue_size && !unsigned_up_to(r->nflog_queue_size, 65535))
                        return REFUSE("INVALID_NFLOG_QUEUE",
                                      "nflog 'queue-size' must be an integer between 0 and 65535.");
                k = check_limit(r->log_limit, ret_code, ret_why);
                if (k < 0)
                        return k;
        }
        if (r->audit) {
                if (r->action != RICH_ACCEPT && r->action != RICH_REJECT && r->action != RICH_DROP)
                        return REFUSE("INVALID_AUDIT_TYPE", "<class '%s'>",
                                      r->action == RICH_MARK ? "firewall.core.rich.Rich_Mark" : "NoneType");
                k = check_limit(r->audit_limit, ret_code, ret_why);
                if (k < 0)
                        return k;
        }
        if (r->action == RICH_REJECT && *r->reject_type) {
                if (!r->family)
                        return REFUSE("INVALID_RULE", "When using reject type you must specify also rule family.");
                k = check_reject_type(r->reject_type, r->family, ret_code, ret_why);
                if (k < 0)
                        return k;
        }
        if (r->action == RICH_MARK) {
                const char *slash = strchr(r->mark, '/');
                char value[RICH_VALUE_MAX];
                if (streq(r->mark, "None"))
                        return REFUSE("INVALID_MARK", "no value set");
                snprintf(value, sizeof(value), "%.*s", (int) (slash ? slash - r->mark : (long) strlen(r->mark)),
                         r->mark);
                if (!unsigned_up_to(value, UINT32_MAX) ||
                    (slash && (strchr(slash + 1, '/') || !unsigned_up_to(slash + 1, UINT32_MAX))))
                        return REFUSE("INVALID_MARK", "%s", r->mark);
        }
        if (r->action)
                return check_limit(r->action_limit, ret_code, ret_why);
        return 0;
}

int rich_rule_parse(const char *text, RichRule *ret, const char **ret_code, char **ret_why)
{
        _cleanup_free_ Token *tokens = NULL;
        _cleanup_free_ RichRule *r = NULL;
        char stripped[RICH_TEXT_MAX + 1];
        size_t n = 0;
        int k;

        if (strlen(text) > RICH_TEXT_MAX)
                return REFUSE("INVALID_RULE", "longer than %d characters", RICH_TEXT_MAX);
        tokens = malloc(RICH_TOKENS_MAX * sizeof(Token)); /* each written before it is read */
        r = calloc(1, sizeof(RichRule));
        if (!tokens || !r)
                return -ENOMEM;
        strip_controls(text, stripped);
        if (!*stripped)
                return REFUSE("INVALID_RULE", "empty rule");
        k = tokens_of(stripped, tokens, &n, ret_code, ret_why);
        if (k >= 0)
                k = parse(tokens, n, r, ret_code, ret_why);
        if (k >= 0)
                k = check(r, ret_code, ret_why);
        if (k < 0)
                return k;
        *ret = *r;
        return 0;
}

int rich_rule_canonical(const char *text, char **ret_canonical, const char **ret_code, char **ret_why)
{
        _cleanup_free_ RichRule *r = malloc(sizeof(RichRule));
        int k;

        if (!r)
                return -ENOMEM;
        k = rich_rule_parse(text, r, ret_code, ret_why);
        return k < 0 ? k : rich_rule_format(r, ret_canonical);
}

/* ---- where the rules go, and what they say in nft ---- */

RichChain rich_rule_chain(const RichRule *r)
{
        if (r->action == RICH_MARK)
                return RICH_CHAIN_MANGLE;
        switch (r->element) {
        case RICH_FORWARD_PORT:
                return RICH_CHAIN_PREROUTING;
        case RICH_MASQUERADE:
                return RICH_CHAIN_POSTROUTING;
        case RICH_TCP_MSS_CLAMP:
                return RICH_CHAIN_FORWARD;
        default:
                return RICH_CHAIN_INPUT;
        }
}

char rich_rule_place(const RichRule *r)
{
        if (r->priority < 0)
                return 'p';
        if (r->priority > 0)
                return 'l';
        if (r->element == RICH_MASQUERADE || r->element == RICH_FORWARD_PORT || r->element == RICH_TCP_MSS_CLAMP)
                return 'a';
        if (r->element == RICH_ICMP_BLOCK)
                return 'd';
        return r->action == RICH_ACCEPT || r->action == RICH_MARK ? 'a' : 'd';
}

char rich_rule_log_place(const RichRule *r)
{
        return r->priority < 0 ? 'p' : r->priority > 0 ? 'l' : 'L';
}

/* an address as nft takes it: a prefix with host bits cleared, a dotted mask as its length */
static void print_address(FILE *f, const char *what, const RichPeer *p)
{
        unsigned char buf[16];
        char addr[INET6_ADDRSTRLEN + 1], out[INET6_ADDRSTRLEN + 1];
        const char *slash = strchr(p->address, '/');
        int family = strchr(p->address, ':') ? AF_INET6 : AF_INET;
        int bits = family == AF_INET6 ? 128 : 32;

        snprintf(addr, sizeof(addr), "%.*s", (int) (slash ? slash - p->address : (long) strlen(p->address)),
                 p->address);
        if (inet_pton(family, addr, buf) != 1)
                return;
        if (slash && family == AF_INET && strchr(slash + 1, '.')) {
                unsigned char mask[4];
                uint32_t m;
                (void) inet_pton(AF_INET, slash + 1, mask);
                m = (uint32_t) mask[0] << 24 | (uint32_t) mask[1] << 16 | (uint32_t) mask[2] << 8 | mask[3];
                bits = 0;
                while (bits < 32 && (m & (UINT32_C(1) << (31 - bits))))
                        bits++;
                if (bits < 32 && (m << bits) != 0) { /* a mask that is not a prefix */
                        fprintf(f, "ip %s & %s %s %s ", what, slash + 1, p->invert ? "!=" : "==", addr);
                        return;
                }
        } else if (slash)
                bits = atoi(slash + 1);
        for (int b = bits; b < (family == AF_INET6 ? 128 : 32); b++)
                buf[b / 8] &= (unsigned char) ~(0x80u >> (b % 8));
        (void) inet_ntop(family, buf, out, sizeof(out));
        fprintf(f, "%s %s %s%s", family == AF_INET6 ? "ip6" : "ip", what, p->invert ? "!= " : "", out);
        if (slash)
                fprintf(f, "/%d", bits);
        fputc(' ', f);
}

/* an ipset's match, when there is the ipset (a rule is added only when there is) */
static void print_ipset(FILE *f, const IPSetList *ipsets, const RichPeer *p, bool destination)
{
        const IPSet *s = ipsets ? ipset_list_find(ipsets, p->ipset) : NULL;

        if (!s)
                return;
        ipset_match(f, s, destination, p->invert);
        fputc(' ', f);
}

bool rich_rule_matches_nothing(const RichRule *r, const IPSetList *ipsets)
{
        const RichPeer *peers[] = { &r->source, &r->destination };

        for (size_t i = 0; r->family && ipsets && i < ELEMENTSOF(peers); i++) {
                const IPSet *s =
                        peers[i]->present && *peers[i]->ipset ? ipset_list_find(ipsets, peers[i]->ipset) : NULL;
                if (s && ipset_family(s) && ipset_family(s) != r->family)
                        return true;
        }
        return false;
}

void rich_rule_print_peers(FILE *f, const RichRule *r, const IPSetList *ipsets)
{
        if (r->family)
                fprintf(f, "meta nfproto ipv%d ", r->family);
        if (r->destination.present && *r->destination.address)
                print_address(f, "daddr", &r->destination);
        else if (r->destination.present && *r->destination.ipset)
                print_ipset(f, ipsets, &r->destination, true);
        if (r->source.present && *r->source.address)
                print_address(f, "saddr", &r->source);
        else if (r->source.present && *r->source.mac)
                fprintf(f, "ether saddr %s%s ", r->source.invert ? "!= " : "", r->source.mac);
        else if (r->source.present && *r->source.ipset)
                print_ipset(f, ipsets, &r->source, false);
}

static void print_limit(FILE *f, const char *limit)
{
        static const char *const units[] = { ['s'] = "second", ['m'] = "minute", ['h'] = "hour", ['d'] = "day" };
        const char *slash = strchr(limit, '/');

        if (*limit && slash)
                fprintf(f, "limit rate %.*s/%s ", (int) (slash - limit), limit, units[(unsigned char) slash[1]]);
}

/* a log prefix as an nft string: its quotes and backslashes escaped */
static void print_prefix(FILE *f, const char *prefix)
{
        fputs("prefix \"", f);
        for (; *prefix; prefix++) {
                if (*prefix == '"' || *prefix == '\\')
                        fputc('\\', f);
                fputc(*prefix, f);
        }
        fputs("\" ", f);
}

static void print_log_statement(FILE *f, const RichRule *r)
{
        fputs("log ", f);
        if (r->log == RICH_NFLOG) {
                fprintf(f, "group %lu ", *r->nflog_group ? strtoul(r->nflog_group, NULL, 0) : 0UL);
                if (*r->nflog_queue_size)
                        fprintf(f, "queue-threshold %lu ", strtoul(r->nflog_queue_size, NULL, 0));
        } else if (*r->log_level)
                fprintf(f, "level %s ",
                        streq(r->log_level, "warning") ? "warn"
                        : streq(r->log_level, "error") ? "err"
                                                       : r->log_level);
        if (*r->log_prefix)
                print_prefix(f, r->log_prefix);
}

static void print_action_statement(FILE *f, const RichRule *r, const char *statement)
{
        if (statement) {
                fputs(statement, f);
                return;
        }
        switch (r->action) {
        case RICH_ACCEPT:
                fputs("accept", f);
                break;
        case RICH_DROP:
                fputs("drop", f);
                break;
        case RICH_REJECT:
                fputs(*r->reject_type ? rich_reject_statement(r->reject_type) : "reject", f);
                break;
        case RICH_MARK: {
                const char *slash = strchr(r->mark, '/');
                if (slash)
                        fprintf(f, "meta mark set meta mark & %s ^ %.*s", slash + 1, (int) (slash - r->mark), r->mark);
                else
                        fprintf(f, "meta mark set %s", r->mark);
                break;
        }
        case RICH_NO_ACTION:
                break;
        }
}

void rich_rule_print_terminals(FILE *f, const RichRule *r, char place, const char *match, const char *statement)
{
        /* firewalld logs nothing of a port forward, a masquerade or a clamp */
        bool logs =
                r->element != RICH_MASQUERADE && r->element != RICH_FORWARD_PORT && r->element != RICH_TCP_MSS_CLAMP;

        if (logs && rich_rule_log_place(r) == place && r->log) {
                fprintf(f, "\t\t%s", match);
                print_limit(f, r->log_limit);
                print_log_statement(f, r);
                fputc('\n', f);
        }
        if (logs && rich_rule_log_place(r) == place && r->audit) {
                fprintf(f, "\t\t%s", match);
                print_limit(f, r->audit_limit);
                fputs("log level audit\n", f);
        }
        if (rich_rule_place(r) == place && (r->action || statement)) {
                fprintf(f, "\t\t%s", match);
                if (r->action)
                        print_limit(f, r->action_limit);
                print_action_statement(f, r, statement);
                fputc('\n', f);
        }
}
