/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "core/richrule.h"

#define RICH_TEXT_MAX 1024
#define RICH_TOKENS_MAX 32

typedef struct Token {
        char text[256];
        char *value; /* after '=' in text, or NULL for an element */
} Token;

_printf_(5, 6) static int fail(int r, const char *code, const char **ret_code, char **ret_why, const char *fmt, ...)
{
        va_list ap;

        *ret_code = code;
        va_start(ap, fmt);
        if (vasprintf(ret_why, fmt, ap) < 0)
                *ret_why = NULL;
        va_end(ap);
        return *ret_why ? r : -ENOMEM;
}

/* words as a shell splits them (firewalld's splitArgs): white space between, quotes ' and " kept together and
 * dropped; a word with '=' an attribute */
static int tokens_of(const char *text, Token *tokens, size_t *ret_n)
{
        size_t n = 0;
        const char *p = text;

        for (;;) {
                while (*p == ' ' || *p == '\t' || *p == '\n')
                        p++;
                if (!*p)
                        break;
                if (n == RICH_TOKENS_MAX)
                        return -E2BIG;
                Token *t = &tokens[n++];
                size_t len = 0;
                char quote = 0;
                for (; *p && (quote || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
                        if (!quote && (*p == '"' || *p == '\'')) {
                                quote = *p;
                                continue;
                        }
                        if (quote && *p == quote) {
                                quote = 0;
                                continue;
                        }
                        if (len + 1 >= sizeof(t->text))
                                return -E2BIG;
                        t->text[len++] = *p;
                }
                if (quote)
                        return -EINVAL;
                t->text[len] = '\0';
                t->value = strchr(t->text, '=');
                if (t->value)
                        *t->value++ = '\0';
        }
        *ret_n = n;
        return 0;
}

/* the family of an address or prefix as written ("10.0.0.0/8", "2001:db8::1"), 0 if it is neither */
static int address_family(const char *text)
{
        char addr[64];
        unsigned char buf[16];
        const char *slash = strchr(text, '/');
        size_t len = slash ? (size_t) (slash - text) : strlen(text);
        int family;

        if (len == 0 || len >= sizeof(addr))
                return 0;
        memcpy(addr, text, len);
        addr[len] = '\0';
        family = inet_pton(AF_INET, addr, buf) == 1 ? 4 : inet_pton(AF_INET6, addr, buf) == 1 ? 6 : 0;
        if (family && slash) {
                char *end;
                unsigned long prefix;
                errno = 0;
                prefix = strtoul(slash + 1, &end, 10);
                if (errno || end == slash + 1 || *end || prefix > (family == 4 ? 32u : 128u))
                        return 0;
        }
        return family;
}

static const char *const not_offered[] = {
        "service",     "port",          "protocol", "icmp-block", "icmp-type", "masquerade", "forward-port",
        "source-port", "tcp-mss-clamp", "log",      "nflog",      "audit",     "mark",       "limit",
};

/* source|destination [NOT] address=ADDR, from tokens[*i] (the element's name) on */
static int address_part(const Token *tokens, size_t n, size_t *i, char *addr, size_t size, bool *ret_not,
                        const char **ret_code, char **ret_why)
{
        const char *what = tokens[*i].text;

        (*i)++;
        if (*i < n && !tokens[*i].value && (streq(tokens[*i].text, "NOT") || streq(tokens[*i].text, "not"))) {
                *ret_not = true;
                (*i)++;
        }
        if (*i >= n || !tokens[*i].value)
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "%s without an address", what);
        if (streq(tokens[*i].text, "mac") || streq(tokens[*i].text, "ipset") || streq(tokens[*i].text, "invert"))
                return fail(-EOPNOTSUPP, "NOT_SUPPORTED", ret_code, ret_why,
                            "rich rules with a %s %s are not offered by nftbus", what, tokens[*i].text);
        if (!streq(tokens[*i].text, "address"))
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "bad attribute '%s'", tokens[*i].text);
        if (strlen(tokens[*i].value) >= size)
                return fail(-EINVAL, "INVALID_ADDR", ret_code, ret_why, "%s", tokens[*i].value);
        strcpy(addr, tokens[*i].value);
        (*i)++;
        return 0;
}

static const char *action_name(RichAction a)
{
        return a == RICH_ACCEPT ? "accept" : a == RICH_REJECT ? "reject" : "drop";
}

int rich_rule_parse(const char *text, RichRule *ret, const char **ret_code, char **ret_why)
{
        Token tokens[RICH_TOKENS_MAX];
        RichRule r = {};
        bool have_action = false, have_priority = false;
        size_t n = 0, i = 1;
        int k;

        if (strlen(text) > RICH_TEXT_MAX)
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "longer than %d characters", RICH_TEXT_MAX);
        k = tokens_of(text, tokens, &n);
        if (k < 0)
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "%s",
                            k == -E2BIG ? "too many or too long words" : "a quote is not closed");
        if (n == 0)
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "empty rule");
        if (tokens[0].value || !streq(tokens[0].text, "rule"))
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "a rule starts with 'rule'");
        while (i < n) {
                const Token *t = &tokens[i];
                if (t->value && !*t->value)
                        return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "'%s' without a value", t->text);
                if (t->value && streq(t->text, "priority") && !have_priority) {
                        char *end;
                        errno = 0;
                        long p = strtol(t->value, &end, 10);
                        if (errno || end == t->value || *end || p < -32768 || p > 32767)
                                return fail(-EINVAL, "INVALID_PRIORITY", ret_code, ret_why,
                                            "'priority' attribute must be between -32768 and 32767.");
                        r.priority = (int) p;
                        have_priority = true;
                } else if (t->value && streq(t->text, "family") && !r.family) {
                        if (!streq(t->value, "ipv4") && !streq(t->value, "ipv6"))
                                return fail(-EINVAL, "INVALID_FAMILY", ret_code, ret_why, "%s", t->value);
                        r.family = t->value[3] - '0';
                } else if (t->value && streq(t->text, "type") && i > 0 && streq(tokens[i - 1].text, "reject"))
                        return fail(-EOPNOTSUPP, "NOT_SUPPORTED", ret_code, ret_why,
                                    "rich rules with a reject type are not offered by nftbus");
                else if (t->value)
                        return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "bad attribute '%s'", t->text);
                else if (streq(t->text, "source") || streq(t->text, "destination")) {
                        bool source = streq(t->text, "source");
                        if (*(source ? r.source : r.destination))
                                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "more than one '%s' element",
                                            t->text);
                        k = address_part(tokens, n, &i, source ? r.source : r.destination, sizeof(r.source),
                                         source ? &r.source_not : &r.destination_not, ret_code, ret_why);
                        if (k < 0)
                                return k;
                        continue;
                } else if (streq(t->text, "accept") || streq(t->text, "reject") || streq(t->text, "drop")) {
                        if (have_action) /* firewalld's words, this one named first */
                                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why,
                                            "more than one 'action' element. There cannot be both '%s' and '%s' "
                                            "in one rule.",
                                            t->text, action_name(r.action));
                        r.action = streq(t->text, "accept")   ? RICH_ACCEPT
                                   : streq(t->text, "reject") ? RICH_REJECT
                                                              : RICH_DROP;
                        have_action = true;
                } else {
                        for (size_t e = 0; e < ELEMENTSOF(not_offered); e++)
                                if (streq(t->text, not_offered[e]))
                                        return fail(-EOPNOTSUPP, "NOT_SUPPORTED", ret_code, ret_why,
                                                    "rich rules with %s are not offered by nftbus", t->text);
                        return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "unknown element %s", t->text);
                }
                i++;
        }
        if (!have_action)
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "no element, no action");
        if (r.priority == 0 && !*r.source && !*r.destination)
                return fail(-EINVAL, "INVALID_RULE", ret_code, ret_why, "no element, no source, no destination");
        for (int d = 0; d < 2; d++) {
                const char *addr = d ? r.destination : r.source;
                if (!*addr)
                        continue;
                if (!r.family)
                        return fail(-EINVAL, "MISSING_FAMILY", ret_code, ret_why, "%s", "");
                if (address_family(addr) != r.family)
                        return fail(-EINVAL, "INVALID_ADDR", ret_code, ret_why, "%s", addr);
        }
        *ret = r;
        return 0;
}

int rich_rule_format(const RichRule *r, char **ret)
{
        char priority[32] = "", family[32] = "", source[96] = "", destination[96] = "";

        if (r->priority)
                snprintf(priority, sizeof(priority), " priority=\"%d\"", r->priority);
        if (r->family)
                snprintf(family, sizeof(family), " family=\"ipv%d\"", r->family);
        if (*r->source)
                snprintf(source, sizeof(source), " source%s address=\"%s\"", r->source_not ? " NOT" : "", r->source);
        if (*r->destination)
                snprintf(destination, sizeof(destination), " destination%s address=\"%s\"",
                         r->destination_not ? " NOT" : "", r->destination);
        return asprintf(ret, "rule%s%s%s%s %s", priority, family, source, destination, action_name(r->action)) < 0
                       ? -ENOMEM
                       : 0;
}

int rich_rule_canonical(const char *text, char **ret_canonical, const char **ret_code, char **ret_why)
{
        RichRule r;
        int k = rich_rule_parse(text, &r, ret_code, ret_why);

        return k < 0 ? k : rich_rule_format(&r, ret_canonical);
}

char rich_rule_place(const RichRule *r)
{
        if (r->priority < 0)
                return 'p';
        if (r->priority > 0)
                return 'l';
        return r->action == RICH_ACCEPT ? 'a' : 'd';
}

void rich_rule_print_nft(FILE *f, const RichRule *r)
{
        const char *ip = r->family == 6 ? "ip6" : "ip";

        fputs("\t\t", f);
        if (r->family)
                fprintf(f, "meta nfproto ipv%d ", r->family);
        if (*r->source)
                fprintf(f, "%s saddr %s%s ", ip, r->source_not ? "!= " : "", r->source);
        if (*r->destination)
                fprintf(f, "%s daddr %s%s ", ip, r->destination_not ? "!= " : "", r->destination);
        fprintf(f, "%s\n", action_name(r->action));
}
