/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's XML files and nftbus's KEY=VALUE lines (core/fwdxml.h): one table says which element is which key,
 * and both directions read it. firewalld's readers (firewall/core/io/zone.py, policy.py, service.py, ipset.py,
 * helper.py, icmptype.py: xml.sax handlers) and writers show the elements, attributes and order. */

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/fwdxml.h"
#include "core/zonespec.h"

#define Z (1u << FWD_FILE_ZONE)
#define P (1u << FWD_FILE_POLICY)
#define S (1u << FWD_FILE_SERVICE)
#define I (1u << FWD_FILE_IPSET)
#define H (1u << FWD_FILE_HELPER)
#define C (1u << FWD_FILE_ICMPTYPE)
#define ALL (Z | P | S | I | H | C)

static const char *const roots[_FWD_FILE_MAX] = {
        [FWD_FILE_ZONE] = "zone",   [FWD_FILE_POLICY] = "policy", [FWD_FILE_SERVICE] = "service",
        [FWD_FILE_IPSET] = "ipset", [FWD_FILE_HELPER] = "helper", [FWD_FILE_ICMPTYPE] = "icmptype",
};

const char *fwd_file_root(FwdFileKind kind)
{
        return kind < _FWD_FILE_MAX ? roots[kind] : NULL;
}

/* How an element says its key's value */
typedef enum How {
        HOW_TEXT,         /* its text: <short>Public</short> */
        HOW_ATTR,         /* one attribute: <service name="ssh"/> */
        HOW_PORT,         /* port and protocol: PORT/PROTOCOL */
        HOW_YES,          /* being there: <masquerade/> is yes */
        HOW_SOURCE,       /* address, mac, or ipset (ipset:NAME) */
        HOW_FORWARD_PORT, /* port=P:proto=X[:toport=T][:toaddr=A] */
        HOW_RULE,         /* its rich rule's text */
        HOW_MODULE,       /* a conntrack module's helper: nf_conntrack_netbios_ns is netbios-ns */
        HOW_DESTINATION,  /* a service's ipv4="A" ipv6="B": ipv4:A, ipv6:B; an ICMP type's ipv4="yes": ipv4 */
        HOW_OPTION,       /* name and value: NAME=VALUE */
} How;

/* The elements in a root, in the order firewalld writes them (a key's first row is the one written) */
static const struct Child {
        const char *element;
        unsigned kinds;
        How how;
        const char *key, *attribute;
} children[] = {
        { "short", ALL, HOW_TEXT, "short", NULL },
        { "description", ALL, HOW_TEXT, "description", NULL },
        { "ingress-zone", P, HOW_ATTR, "ingress-zone", "name" },
        { "egress-zone", P, HOW_ATTR, "egress-zone", "name" },
        { "interface", Z, HOW_ATTR, "interface", "name" },
        { "source", Z, HOW_SOURCE, "source", NULL },
        { "service", Z | P, HOW_ATTR, "service", "name" },
        { "port", Z | P | S | H, HOW_PORT, "port", NULL },
        { "protocol", Z | P | S, HOW_ATTR, "protocol", "value" },
        { "icmp-block", Z | P, HOW_ATTR, "icmp-block", "name" },
        { "icmp-block-inversion", Z, HOW_YES, "icmp-block-inversion", NULL },
        { "forward", Z, HOW_YES, "forward", NULL },
        { "masquerade", Z | P, HOW_YES, "masquerade", NULL },
        { "forward-port", Z | P, HOW_FORWARD_PORT, "forward-port", NULL },
        { "source-port", Z | P | S, HOW_PORT, "source-port", NULL },
        { "rule", Z | P, HOW_RULE, "rule", NULL },
        { "helper", S, HOW_ATTR, "helper", "name" },
        { "module", S, HOW_MODULE, "helper", "name" },
        { "destination", S | C, HOW_DESTINATION, "destination", NULL },
        { "include", S, HOW_ATTR, "include", "service" },
        { "option", I, HOW_OPTION, "option", NULL },
        { "entry", I, HOW_TEXT, "entry", NULL },
};

/* The root's attributes, each a key, in the order of the lines (an ipset's type comes first) */
static const struct RootAttribute {
        unsigned kinds;
        const char *attribute;
} root_attributes[] = {
        { I, "type" }, { ALL, "version" }, { Z | P, "target" }, { P, "priority" }, { H, "module" }, { H, "family" },
};

static const struct Child *child_of_element(FwdFileKind kind, const char *element)
{
        for (size_t i = 0; i < ELEMENTSOF(children); i++)
                if ((children[i].kinds & (1u << kind)) && streq(children[i].element, element))
                        return &children[i];
        return NULL;
}

static const struct Child *child_of_key(FwdFileKind kind, const char *key)
{
        for (size_t i = 0; i < ELEMENTSOF(children); i++)
                if ((children[i].kinds & (1u << kind)) && streq(children[i].key, key))
                        return &children[i];
        return NULL;
}

static bool is_root_attribute(FwdFileKind kind, const char *key)
{
        for (size_t i = 0; i < ELEMENTSOF(root_attributes); i++)
                if ((root_attributes[i].kinds & (1u << kind)) && streq(root_attributes[i].attribute, key))
                        return true;
        return false;
}

/* A rich rule's parts in the order of its text: source, destination, its element, log, audit, action (firewalld's
 * Rich_Rule.__str__); a limit belongs to the part before it. */
enum { PART_SOURCE, PART_DESTINATION, PART_ELEMENT, PART_LOG, PART_AUDIT, PART_ACTION, _PART_MAX, PART_LIMIT = -2 };

static int rule_part(const char *element)
{
        static const struct {
                const char *element;
                int part;
        } parts[] = {
                { "source", PART_SOURCE },
                { "destination", PART_DESTINATION },
                { "service", PART_ELEMENT },
                { "port", PART_ELEMENT },
                { "protocol", PART_ELEMENT },
                { "icmp-block", PART_ELEMENT },
                { "icmp-type", PART_ELEMENT },
                { "masquerade", PART_ELEMENT },
                { "forward-port", PART_ELEMENT },
                { "source-port", PART_ELEMENT },
                { "tcp-mss-clamp", PART_ELEMENT },
                { "log", PART_LOG },
                { "nflog", PART_LOG },
                { "audit", PART_AUDIT },
                { "accept", PART_ACTION },
                { "reject", PART_ACTION },
                { "drop", PART_ACTION },
                { "mark", PART_ACTION },
                { "limit", PART_LIMIT },
        };
        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                if (streq(parts[i].element, element))
                        return parts[i].part;
        return -1;
}

/* ---- reading ---- */

typedef struct Reader {
        FwdFileKind kind;
        XML_Parser parser;
        const char *origin;
        FILE *out;
        unsigned line; /* the line of the XML the next line of out is, as counted */
        unsigned depth;
        unsigned skipping; /* >0: inside an element passed over, this deep */
        /* an element whose text is its value, being read */
        const struct Child *text_child;
        FILE *text;
        char *text_buf;
        size_t text_size;
        unsigned text_line;
        /* a rule being read: its parts, and the one a limit belongs to */
        bool in_rule;
        unsigned rule_line;
        char *rule_head;
        char *parts[_PART_MAX];
        int last_part;
        char **warnings;
        char *why;
        int error; /* the first, which stops the parser */
} Reader;

static unsigned line_now(Reader *r)
{
        return (unsigned) XML_GetCurrentLineNumber(r->parser);
}

__attribute__((format(printf, 2, 3))) static void fail(Reader *r, const char *fmt, ...)
{
        _cleanup_free_ char *words = NULL;
        va_list ap;
        int k;

        if (r->error)
                return;
        va_start(ap, fmt);
        k = vasprintf(&words, fmt, ap);
        va_end(ap);
        r->error = k < 0 ? -ENOMEM : -EINVAL;
        if (k >= 0 && asprintf(&r->why, "Line %u of %s: %s", line_now(r), r->origin, words) < 0)
                r->error = -ENOMEM;
        XML_StopParser(r->parser, XML_FALSE);
}

static void out_of_memory(Reader *r)
{
        if (!r->error)
                r->error = -ENOMEM;
        XML_StopParser(r->parser, XML_FALSE);
}

/* KEY=VALUE, said to be of line (a "#line N" before it when the count of lines says another) */
static void emit(Reader *r, unsigned line, const char *key, const char *value)
{
        if (strpbrk(value, "\r\n")) {
                fail(r, "%s: a value of one line was expected", key);
                return;
        }
        if (r->line != line)
                fprintf(r->out, "#line %u\n", line);
        fprintf(r->out, "%s=%s\n", key, value);
        r->line = line + 1;
}

static const char *attribute(const char **attributes, const char *name)
{
        for (size_t i = 0; attributes[i]; i += 2)
                if (streq(attributes[i], name))
                        return attributes[i + 1];
        return NULL;
}

static const char *required(Reader *r, const char *element, const char **attributes, const char *name)
{
        const char *v = attribute(attributes, name);

        if (!v)
                fail(r, "<%s> without its %s attribute", element, name);
        return v;
}

static bool is_true(const char *v)
{
        return v && (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0);
}

static void read_root(Reader *r, const char *element, const char **attributes)
{
        unsigned line = line_now(r);

        if (!streq(element, roots[r->kind])) {
                fail(r, "the root element is <%s>: a %s file has <%s>", element, roots[r->kind], roots[r->kind]);
                return;
        }
        if (r->kind == FWD_FILE_IPSET && !required(r, element, attributes, "type"))
                return;
        if (r->kind == FWD_FILE_ZONE) /* without <forward/>, none */
                emit(r, line, "forward", "no");
        for (size_t i = 0; i < ELEMENTSOF(root_attributes); i++) {
                const char *name = root_attributes[i].attribute, *v = attribute(attributes, name);
                int t;
                if (!(root_attributes[i].kinds & (1u << r->kind)) || !v)
                        continue;
                /* a zone's target in firewalld's words (%%REJECT%%), the line in nftbus's (reject) */
                if (r->kind == FWD_FILE_ZONE && streq(name, "target") && (t = zone_target_of_name(v, true)) >= 0)
                        v = zone_target_name((ZoneTarget) t, false);
                emit(r, line, name, v);
        }
}

static void read_child(Reader *r, const struct Child *c, const char *element, const char **attributes)
{
        _cleanup_free_ char *value = NULL;
        unsigned line = line_now(r);
        const char *a, *b;
        int k = 0;

        switch (c->how) {
        case HOW_TEXT:
                r->text = open_memstream(&r->text_buf, &r->text_size);
                if (!r->text)
                        return out_of_memory(r);
                r->text_child = c;
                r->text_line = line;
                return;
        case HOW_ATTR:
                if ((a = required(r, element, attributes, c->attribute)))
                        emit(r, line, c->key, a);
                return;
        case HOW_MODULE: /* firewalld's own conversion of the old form */
                if (!(a = required(r, element, attributes, c->attribute)))
                        return;
                if (startswith(a, "nf_conntrack_"))
                        a += strlen("nf_conntrack_");
                if (!(value = strdup(a)))
                        return out_of_memory(r);
                for (char *s = value; *s; s++)
                        if (*s == '_')
                                *s = '-';
                emit(r, line, c->key, value);
                return;
        case HOW_PORT:
                a = required(r, element, attributes, "port");
                b = a ? required(r, element, attributes, "protocol") : NULL;
                if (b && !*a && r->kind == FWD_FILE_SERVICE) /* firewalld's reader: a protocol */
                        emit(r, line, "protocol", b);
                else if (b)
                        k = asprintf(&value, "%s/%s", a, b);
                break;
        case HOW_YES:
                emit(r, line, c->key, "yes");
                return;
        case HOW_SOURCE:
                if ((a = attribute(attributes, "address")) || (a = attribute(attributes, "mac")))
                        emit(r, line, c->key, a);
                else if ((a = attribute(attributes, "ipset")))
                        k = asprintf(&value, "ipset:%s", a);
                else
                        fail(r, "<source> without an address, mac or ipset attribute");
                break;
        case HOW_FORWARD_PORT:
                a = required(r, element, attributes, "port");
                b = a ? required(r, element, attributes, "protocol") : NULL;
                if (b) {
                        const char *to_port = attribute(attributes, "to-port"),
                                   *to_addr = attribute(attributes, "to-addr");
                        k = asprintf(&value, "port=%s:proto=%s%s%s%s%s", a, b, to_port ? ":toport=" : "",
                                     strempty(to_port), to_addr ? ":toaddr=" : "", strempty(to_addr));
                }
                break;
        case HOW_DESTINATION:
                for (int family = 4; family <= 6; family += 2) {
                        _cleanup_free_ char *line_value = NULL;
                        a = attribute(attributes, family == 4 ? "ipv4" : "ipv6");
                        if (!a || (r->kind == FWD_FILE_ICMPTYPE && !is_true(a)))
                                continue;
                        if (r->kind == FWD_FILE_ICMPTYPE ? asprintf(&line_value, "ipv%d", family) < 0
                                                         : asprintf(&line_value, "ipv%d:%s", family, a) < 0)
                                return out_of_memory(r);
                        emit(r, line, c->key, line_value);
                }
                return;
        case HOW_OPTION:
                if (!(a = required(r, element, attributes, "name")))
                        return;
                b = attribute(attributes, "value");
                k = asprintf(&value, "%s%s%s", a, b ? "=" : "", strempty(b));
                break;
        case HOW_RULE: {
                const char *family = attribute(attributes, "family"), *priority = attribute(attributes, "priority");
                r->in_rule = true;
                r->rule_line = line;
                r->last_part = -1;
                k = asprintf(&r->rule_head, "rule%s%s%s%s%s%s", family ? " family=\"" : "", strempty(family),
                             family ? "\"" : "", priority ? " priority=\"" : "", strempty(priority),
                             priority ? "\"" : "");
                if (k < 0)
                        return out_of_memory(r);
                if (strchr(r->rule_head + 4, '\'') || (family && strchr(family, '"')) ||
                    (priority && strchr(priority, '"')))
                        fail(r, "<rule>: a value with a double quote");
                return;
        }
        }
        if (k < 0)
                return out_of_memory(r);
        if (value)
                emit(r, line, c->key, value);
}

/* An element of a rule: its part of the rule's text, "service name=\"ssh\"" */
static void read_rule_element(Reader *r, const char *element, const char **attributes)
{
        _cleanup_free_ char *text = NULL;
        char *joined = NULL;
        size_t size = 0;
        int part = rule_part(element);
        FILE *f;

        if (part == -1 || (part == PART_LIMIT && r->last_part < PART_LOG)) {
                if (r->warnings && asprintf(&text, "Line %u of %s: <%s> is not an element of a rule here: passed over",
                                            line_now(r), r->origin, element) >= 0)
                        (void) text_append_line(r->warnings, text);
                r->skipping = 1;
                return;
        }
        f = open_memstream(&text, &size);
        if (!f)
                return out_of_memory(r);
        fputs(element, f);
        if ((part == PART_SOURCE || part == PART_DESTINATION) && is_true(attribute(attributes, "invert")))
                fputs(" NOT", f);
        for (size_t i = 0; attributes[i]; i += 2) {
                if (streq(attributes[i], "invert"))
                        continue;
                if (strchr(attributes[i + 1], '"')) {
                        fclose(f);
                        return fail(r, "<%s>: a value with a double quote", element);
                }
                fprintf(f, " %s=\"%s\"", attributes[i], attributes[i + 1]);
        }
        if (fclose(f) != 0)
                return out_of_memory(r);
        if (part == PART_LIMIT)
                part = r->last_part;
        else
                r->last_part = part;
        /* two of one part: the rule's parser says what firewalld says of it */
        if (asprintf(&joined, "%s%s%s", strempty(r->parts[part]), r->parts[part] ? " " : "", text) < 0)
                return out_of_memory(r);
        free(r->parts[part]);
        r->parts[part] = joined;
}

static void XMLCALL on_start(void *userdata, const XML_Char *element, const XML_Char **attributes)
{
        Reader *r = userdata;
        const struct Child *c;
        _cleanup_free_ char *text = NULL;

        r->depth++;
        if (r->skipping) {
                r->skipping++;
                return;
        }
        if (r->depth == 1)
                return read_root(r, element, attributes);
        if (r->in_rule && r->depth >= 3)
                return read_rule_element(r, element, attributes);
        c = r->depth == 2 && !r->text_child ? child_of_element(r->kind, element) : NULL;
        if (c)
                return read_child(r, c, element, attributes);
        /* firewalld's readers warn and go on */
        if (r->warnings && asprintf(&text, "Line %u of %s: <%s> is not an element of a %s file here: passed over",
                                    line_now(r), r->origin, element, roots[r->kind]) >= 0)
                (void) text_append_line(r->warnings, text);
        r->skipping = 1;
}

/* " a  b\n" is "a b": the text of an element on one line, trimmed */
static char *one_line(const char *text)
{
        char *s = strdup(text + strspn(text, " \t\r\n")), *w = s;
        bool space = false;

        if (!s)
                return NULL;
        for (const char *p = s; *p; p++) {
                if (strchr(" \t\r\n", *p)) {
                        space = true;
                        continue;
                }
                if (space && w != s)
                        *w++ = ' ';
                space = false;
                *w++ = *p;
        }
        *w = '\0';
        return s;
}

static void XMLCALL on_end(void *userdata, const XML_Char *element)
{
        Reader *r = userdata;

        (void) element;
        r->depth--;
        if (r->skipping) {
                r->skipping--;
                return;
        }
        if (r->text_child && r->depth == 1) {
                _cleanup_free_ char *value = NULL;
                bool ok = fclose(r->text) == 0;
                r->text = NULL;
                value = ok ? one_line(r->text_buf) : NULL;
                free(r->text_buf);
                r->text_buf = NULL;
                if (!value)
                        return out_of_memory(r);
                emit(r, r->text_line, r->text_child->key, value);
                r->text_child = NULL;
        } else if (r->in_rule && r->depth == 1) {
                _cleanup_free_ char *text = NULL;
                size_t size = 0;
                FILE *f = open_memstream(&text, &size);
                if (!f)
                        return out_of_memory(r);
                fputs(r->rule_head, f);
                for (int i = 0; i < _PART_MAX; i++) {
                        if (r->parts[i])
                                fprintf(f, " %s", r->parts[i]);
                        free(r->parts[i]);
                        r->parts[i] = NULL;
                }
                free(r->rule_head);
                r->rule_head = NULL;
                r->in_rule = false;
                if (fclose(f) != 0)
                        return out_of_memory(r);
                emit(r, r->rule_line, "rule", text);
        }
}

static void XMLCALL on_text(void *userdata, const XML_Char *s, int len)
{
        Reader *r = userdata;

        if (r->text && !r->skipping && r->depth == 2)
                fwrite(s, 1, (size_t) len, r->text);
}

static void XMLCALL on_doctype(void *userdata, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
        (void) name, (void) sysid, (void) pubid, (void) has_internal_subset;
        fail(userdata, "a DOCTYPE: firewalld's files have none, and nftbus expands no entities");
}

int fwd_xml_to_keys(FwdFileKind kind, const char *xml, size_t size, const char *origin, char **ret_keys,
                    char **ret_warnings, char **ret_why)
{
        _cleanup_free_ char *keys = NULL;
        size_t keys_size = 0;
        Reader r = { .kind = kind, .origin = origin, .line = 1, .warnings = ret_warnings };
        int result = 0;

        if (size > INT32_MAX)
                return why(ret_why, "%s: larger than 2 GiB", origin);
        r.parser = XML_ParserCreate("UTF-8");
        r.out = r.parser ? open_memstream(&keys, &keys_size) : NULL;
        if (!r.out) {
                if (r.parser)
                        XML_ParserFree(r.parser);
                return -ENOMEM;
        }
        XML_SetUserData(r.parser, &r);
        XML_SetElementHandler(r.parser, on_start, on_end);
        XML_SetCharacterDataHandler(r.parser, on_text);
        XML_SetStartDoctypeDeclHandler(r.parser, on_doctype);
        if (XML_Parse(r.parser, xml, (int) size, XML_TRUE) == XML_STATUS_ERROR && !r.error) {
                r.error = -EINVAL;
                if (asprintf(&r.why, "Line %lu of %s: not well-formed XML: %s",
                             (unsigned long) XML_GetCurrentLineNumber(r.parser), origin,
                             XML_ErrorString(XML_GetErrorCode(r.parser))) < 0)
                        r.error = -ENOMEM;
        }
        result = r.error;
        if (r.text)
                fclose(r.text);
        free(r.text_buf);
        free(r.rule_head);
        for (int i = 0; i < _PART_MAX; i++)
                free(r.parts[i]);
        XML_ParserFree(r.parser);
        if (fclose(r.out) != 0 && result >= 0)
                result = -ENOMEM;
        if (result == -EINVAL && ret_why)
                *ret_why = TAKE_PTR(r.why);
        free(r.why);
        if (result < 0)
                return result;
        *ret_keys = TAKE_PTR(keys);
        return 0;
}

/* ---- writing ---- */

static void escaped(FILE *f, const char *s)
{
        static const char *const entities[256] = { ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;" };

        for (; *s; s++)
                if (entities[(unsigned char) *s])
                        fputs(entities[(unsigned char) *s], f);
                else
                        fputc(*s, f);
}

static void attribute_out(FILE *f, const char *name, const char *value)
{
        fprintf(f, " %s=\"", name);
        escaped(f, value);
        fputc('"', f);
}

/* "PORT/PROTOCOL" as the attributes port and protocol */
static void port_out(FILE *f, const char *value)
{
        const char *slash = strrchr(value, '/');
        _cleanup_free_ char *port = strndup(value, slash ? (size_t) (slash - value) : strlen(value));

        attribute_out(f, "port", port ? port : "");
        attribute_out(f, "protocol", slash ? slash + 1 : "");
}

/* "port=22:proto=tcp:toport=2222:toaddr=fd00::2" as firewalld's attributes (toaddr last: an IPv6 address has ':') */
static void forward_port_out(FILE *f, const char *value)
{
        static const struct {
                const char *field, *attribute;
        } fields[] = {
                { "port=", "port" }, { "proto=", "protocol" }, { "toport=", "to-port" }, { "toaddr=", "to-addr" }
        };

        for (const char *s = value; s && *s;) {
                size_t i = 0;
                while (i < ELEMENTSOF(fields) && !startswith(s, fields[i].field))
                        i++;
                if (i == ELEMENTSOF(fields))
                        break;
                s += strlen(fields[i].field);
                size_t len = streq(fields[i].field, "toaddr=") ? strlen(s) : strcspn(s, ":");
                _cleanup_free_ char *v = strndup(s, len);
                attribute_out(f, fields[i].attribute, v ? v : "");
                s += len;
                if (*s == ':')
                        s++;
        }
}

/* A rule's canonical text as its element: each word of the text that names a part an element of the rule, its
 * key="value" pairs the element's attributes, NOT its invert, a limit the child of the part before it */
static int rule_out(FILE *f, const char *text, char **ret_why)
{
        _cleanup_free_ char *copy = strdup(text);
        char *elements[_PART_MAX * 2][32] = {}; /* per element: name, then attribute pairs */
        size_t n = 0, attrs[_PART_MAX * 2] = {}, limit_of[_PART_MAX * 2] = {};
        bool inverted[_PART_MAX * 2] = {};
        char *rule_attrs[8];
        size_t n_rule_attrs = 0;
        ssize_t current = -1;

        if (!copy)
                return -ENOMEM;
        for (char *s = copy; *s;) {
                char *word = s, *value = NULL;
                s += strcspn(s, " =");
                if (*s == '=') { /* key="value", or key=value (firewalld prints a mark's set so) */
                        *s++ = '\0';
                        if (*s == '"' && !strchr(s + 1, '"'))
                                return why(ret_why, "Rule '%s': a value without its closing quote", text);
                        value = *s == '"' ? s + 1 : s;
                        s = *s == '"' ? strchr(value, '"') : value + strcspn(value, " ");
                        if (*s)
                                *s++ = '\0';
                } else if (*s)
                        *s++ = '\0';
                s += strspn(s, " ");
                if (!value && streq(word, "rule") && current == -1 && n == 0)
                        continue;
                if (!value && streq(word, "NOT") && current >= 0) {
                        inverted[current] = true;
                        continue;
                }
                if (!value) {
                        int part = rule_part(word);
                        if (part == -1 || n == ELEMENTSOF(elements))
                                return why(ret_why, "Rule '%s': '%s' is no element of a rule", text, word);
                        if (part == PART_LIMIT && current >= 0)
                                limit_of[current] = n;
                        current = (ssize_t) n;
                        elements[n][0] = word;
                        attrs[n++] = 1;
                        continue;
                }
                if (current == -1) {
                        if (n_rule_attrs + 2 > ELEMENTSOF(rule_attrs))
                                return why(ret_why, "Rule '%s': too many attributes", text);
                        rule_attrs[n_rule_attrs++] = word;
                        rule_attrs[n_rule_attrs++] = value;
                } else if (attrs[current] + 2 < ELEMENTSOF(elements[0])) {
                        elements[current][attrs[current]++] = word;
                        elements[current][attrs[current]++] = value;
                }
        }
        fputs("  <rule", f);
        for (size_t i = 0; i < n_rule_attrs; i += 2)
                attribute_out(f, rule_attrs[i], rule_attrs[i + 1]);
        fputs(">\n", f);
        for (size_t e = 0; e < n; e++) {
                if (streq(elements[e][0], "limit"))
                        continue; /* written inside its part */
                fprintf(f, "    <%s", elements[e][0]);
                for (size_t a = 1; a < attrs[e]; a += 2)
                        attribute_out(f, elements[e][a], elements[e][a + 1]);
                if (inverted[e])
                        attribute_out(f, "invert", "True");
                if (!limit_of[e]) {
                        fputs("/>\n", f);
                        continue;
                }
                fputs(">\n      <limit", f);
                for (size_t a = 1; a < attrs[limit_of[e]]; a += 2)
                        attribute_out(f, elements[limit_of[e]][a], elements[limit_of[e]][a + 1]);
                fprintf(f, "/>\n    </%s>\n", elements[e][0]);
        }
        fputs("  </rule>\n", f);
        return 0;
}

typedef struct KeyValue {
        char *key, *value; /* into the copy of the text */
} KeyValue;

static int child_out(FILE *f, FwdFileKind kind, const struct Child *c, const KeyValue *lines, size_t n, size_t at,
                     char **ret_why)
{
        const char *v = lines[at].value;

        switch (c->how) {
        case HOW_TEXT:
                fprintf(f, "  <%s>", c->element);
                escaped(f, v);
                fprintf(f, "</%s>\n", c->element);
                return 0;
        case HOW_ATTR:
        case HOW_MODULE:
                fprintf(f, "  <%s", c->element);
                attribute_out(f, c->attribute, v);
                fputs("/>\n", f);
                return 0;
        case HOW_PORT:
                fprintf(f, "  <%s", c->element);
                port_out(f, v);
                fputs("/>\n", f);
                return 0;
        case HOW_YES:
                if (streq(v, "yes"))
                        fprintf(f, "  <%s/>\n", c->element);
                return 0;
        case HOW_SOURCE:
                fputs("  <source", f);
                /* a MAC too is an address: firewalld's zone reader knows no mac attribute (a rule's source does) */
                attribute_out(f, startswith(v, "ipset:") ? "ipset" : "address", startswith(v, "ipset:") ? v + 6 : v);
                fputs("/>\n", f);
                return 0;
        case HOW_FORWARD_PORT:
                fputs("  <forward-port", f);
                forward_port_out(f, v);
                fputs("/>\n", f);
                return 0;
        case HOW_OPTION: {
                const char *eq = strchr(v, '=');
                _cleanup_free_ char *name = strndup(v, eq ? (size_t) (eq - v) : strlen(v));
                if (!name)
                        return -ENOMEM;
                fputs("  <option", f);
                attribute_out(f, "name", name);
                if (eq)
                        attribute_out(f, "value", eq + 1);
                fputs("/>\n", f);
                return 0;
        }
        case HOW_DESTINATION: /* all of them in one element, at the first */
                for (size_t i = 0; i < at; i++)
                        if (streq(lines[i].key, "destination"))
                                return 0;
                fputs("  <destination", f);
                for (size_t i = at; i < n; i++) {
                        const char *d = lines[i].value, *colon = strchr(d, ':');
                        if (!streq(lines[i].key, "destination"))
                                continue;
                        if (kind == FWD_FILE_ICMPTYPE)
                                attribute_out(f, d, "yes");
                        else if (colon) {
                                _cleanup_free_ char *family = strndup(d, (size_t) (colon - d));
                                if (!family)
                                        return -ENOMEM;
                                attribute_out(f, family, colon + 1);
                        }
                }
                fputs("/>\n", f);
                return 0;
        case HOW_RULE:
                return rule_out(f, v, ret_why);
        }
        return 0;
}

int fwd_keys_to_xml(FwdFileKind kind, const char *keys, char **ret_xml, char **ret_why)
{
        _cleanup_free_ char *copy = strdup(keys), *xml = NULL;
        _cleanup_free_ KeyValue *lines = NULL;
        size_t n = 0, size = 0;
        FILE *f;
        int r = 0;

        if (!copy)
                return -ENOMEM;
        for (char *line = copy, *next; line; line = next) {
                KeyValue *grown;
                char *eq;
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                line += strspn(line, " \t");
                if (!*line || *line == '#')
                        continue;
                eq = strchr(line, '=');
                if (!eq)
                        return why(ret_why, "'%s' is not KEY=VALUE", line);
                *eq = '\0';
                if (!is_root_attribute(kind, line) && !child_of_key(kind, line))
                        return why(ret_why, "%s: no element of a %s file says it", line, roots[kind]);
                grown = realloc(lines, (n + 1) * sizeof(KeyValue));
                if (!grown)
                        return -ENOMEM;
                lines = grown;
                lines[n++] = (KeyValue){ line, eq + 1 };
        }
        f = open_memstream(&xml, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s", roots[kind]);
        for (size_t a = 0; a < ELEMENTSOF(root_attributes); a++)
                for (size_t i = 0; (root_attributes[a].kinds & (1u << kind)) && i < n; i++) {
                        const char *v = lines[i].value;
                        int t;
                        if (!streq(lines[i].key, root_attributes[a].attribute))
                                continue;
                        if (kind == FWD_FILE_ZONE && streq(lines[i].key, "target")) {
                                t = zone_target_of_name(v, false);
                                if (t == ZONE_TARGET_DEFAULT)
                                        continue; /* firewalld leaves it out */
                                if (t >= 0)
                                        v = zone_target_name((ZoneTarget) t, true);
                        }
                        attribute_out(f, root_attributes[a].attribute, v);
                }
        fputs(">\n", f);
        /* the elements in firewalld's order, each key's lines in their order */
        for (size_t c = 0; r >= 0 && c < ELEMENTSOF(children); c++) {
                if (!(children[c].kinds & (1u << kind)) || child_of_key(kind, children[c].key) != &children[c])
                        continue;
                for (size_t i = 0; r >= 0 && i < n; i++)
                        if (streq(lines[i].key, children[c].key))
                                r = child_out(f, kind, &children[c], lines, n, i, ret_why);
        }
        fprintf(f, "</%s>\n", roots[kind]);
        if (fclose(f) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0)
                return r;
        *ret_xml = TAKE_PTR(xml);
        return 0;
}
