/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/batch.h"
#include "core/nftsyntax.h"
#include "common/util.h"
#include "common/validate.h"

/* Outside quoted strings: letters, digits, blanks and the punctuation of nft's expressions. Not ';' and
 * '#' (end of command, comment), '$' (variable), '\\' (line continuation), '\'' and '`'. */
static bool allowed_outside_quotes(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '\t' ||
               (c != '\0' && strchr("!%&()*+,-./:<=>?@[]^_{|}~", c));
}

static bool word_char(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static const char *const refused_words[] = { "include", "define", "redefine", "undefine" };
static const char *const placement_words[] = { "position", "index", "handle" };

static bool word_is(const char *word, size_t n, const char *const *list, size_t n_list)
{
        for (size_t i = 0; i < n_list; i++)
                if (strlen(list[i]) == n && strncmp(word, list[i], n) == 0)
                        return true;
        return false;
}

int batch_text_check(const char *text, char **ret_why)
{
        static const char *const refused[] = { "include", "define", "redefine", "undefine" };
        unsigned line = 1;

        if (strspn(text, " \t\r\n") == strlen(text))
                return why(ret_why, "The batch is empty");
        if (!utf8_is_valid(text))
                return why(ret_why, "The batch is not valid UTF-8");
        for (const char *p = text; *p; p++) {
                if (*p == '\n') {
                        line++;
                        continue;
                }
                if ((unsigned char) *p < 0x20 && *p != '\t' && *p != '\r')
                        return why(ret_why, "Line %u of the batch contains a control character", line);
                if (*p == '"') { /* to the closing quote, on this line */
                        const char *end = strpbrk(p + 1, "\"\n");
                        if (!end || *end != '"')
                                return why(ret_why, "Line %u of the batch has a quote that is not closed", line);
                        p = end;
                        continue;
                }
                if (*p == '#') { /* a comment, to the end of the line */
                        while (p[1] && p[1] != '\n')
                                p++;
                        continue;
                }
                if (*p == '$')
                        return why(ret_why, "Line %u of the batch uses a variable ('$'): variables are not available",
                                   line);
                if (!isalpha((unsigned char) *p) || (p > text && (isalnum((unsigned char) p[-1]) || p[-1] == '_')))
                        continue;
                size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
                for (size_t k = 0; k < ELEMENTSOF(refused); k++)
                        if (len == strlen(refused[k]) && strncmp(p, refused[k], len) == 0)
                                return why(ret_why,
                                           "Line %u of the batch uses '%s': a batch is its own text, without "
                                           "files or definitions",
                                           line, refused[k]);
                p += len - 1;
        }
        return 0;
}

/* Adds "FAMILY NAME" to *tables unless there; checks both first. */
static int table_add(char ***tables, size_t *n, const char *family, const char *name, unsigned line, char **ret_why)
{
        _cleanup_free_ char *pair = NULL, *reason = NULL;

        if (validate_family(family, &reason) < 0 || validate_object_name("table", name, &reason) < 0)
                return why(ret_why, "Line %u of the batch declares a table nftbus cannot replace: %s", line, reason);
        for (size_t i = 0; i < *n; i++) {
                const char *space = strchr((*tables)[i], ' ');
                if (strncmp((*tables)[i], family, (size_t) (space - (*tables)[i])) == 0 &&
                    strlen(family) == (size_t) (space - (*tables)[i]) && streq(space + 1, name))
                        return 0;
        }
        if (asprintf(&pair, "%s %s", family, name) < 0)
                return -ENOMEM;
        return strv_push(tables, n, TAKE_PTR(pair));
}

/* The words of one top-level statement: is it a table's declaration? */
static int statement_table(char words[4][NFTBUS_NAME_MAX + 2], size_t n_words, unsigned line, char ***tables,
                           size_t *n, char **ret_why)
{
        size_t first = 0;

        if (n_words >= 1 && (streq(words[0], "add") || streq(words[0], "create")))
                first = 1;
        if (n_words < first + 2 || !streq(words[first], "table"))
                return 0;
        if (n_words >= first + 3)
                return table_add(tables, n, words[first + 1], words[first + 2], line, ret_why);
        return table_add(tables, n, "ip", words[first + 1], line, ret_why);
}

int batch_text_tables(const char *text, char ***ret, char **ret_why)
{
        char words[4][NFTBUS_NAME_MAX + 2];
        char **tables = NULL;
        size_t n = 0, n_words = 0, depth = 0;
        unsigned line = 1, statement_line = 1;
        int r = 0;

        for (const char *p = text;; p++) {
                bool end = !*p || (depth == 0 && (*p == ';' || *p == '\n' || *p == '{'));
                if (end && n_words > 0) {
                        r = statement_table(words, n_words > 4 ? 4 : n_words, statement_line, &tables, &n, ret_why);
                        if (r < 0)
                                break;
                        n_words = 0;
                }
                if (!*p)
                        break;
                if (*p == '\n')
                        line++;
                if (*p == '"') { /* a quoted word: to the closing quote, on this line */
                        const char *close = strpbrk(p + 1, "\"\n");
                        p = close && *close == '"' ? close : p + strlen(p) - 1;
                        if (depth == 0 && n_words++ < 4)
                                snprintf(words[n_words - 1], sizeof(words[0]), "\"");
                } else if (*p == '#') {
                        while (p[1] && p[1] != '\n')
                                p++;
                } else if (*p == '{')
                        depth++;
                else if (*p == '}')
                        depth = depth ? depth - 1 : 0;
                else if (depth == 0 && !strchr(" \t\r\n;", *p)) {
                        size_t len = strcspn(p, " \t\r\n;{}#\"");
                        if (n_words == 0)
                                statement_line = line;
                        if (n_words++ < 4)
                                snprintf(words[n_words - 1], sizeof(words[0]), "%.*s",
                                         (int) (len < sizeof(words[0]) ? len : sizeof(words[0]) - 1), p);
                        p += len - 1;
                }
        }
        if (r < 0) {
                strv_free(tables);
                return r;
        }
        *ret = tables;
        return 0;
}

int batch_json_tables(const json_t *root, char ***ret, char **ret_why)
{
        const json_t *commands = json_object_get(root, "nftables"), *command;
        char **tables = NULL;
        size_t n = 0, i;
        int r = 0;

        json_array_foreach (commands, i, command) {
                const json_t *table = json_object_get(command, "table");
                const char *family, *name;
                if (!table)
                        table = json_object_get(json_object_get(command, "add"), "table");
                if (!table)
                        table = json_object_get(json_object_get(command, "create"), "table");
                if (!table)
                        continue;
                family = json_string_value(json_object_get(table, "family"));
                name = json_string_value(json_object_get(table, "name"));
                /* the index of a command is what libnftables' errors count too */
                r = table_add(&tables, &n, family ? family : "ip", strempty(name), (unsigned) i + 1, ret_why);
                if (r < 0) {
                        strv_free(tables);
                        return r;
                }
        }
        *ret = tables;
        return 0;
}

int batch_replacing(const char *text, bool json, char **ret_text, size_t *ret_prepended, char **ret_why)
{
        _cleanup_(json_decrefp) json_t *root = NULL, *commands = NULL;
        _cleanup_strv_free_ char **tables = NULL;
        size_t n = 0;
        int r;

        if (json) {
                json_error_t e;
                root = json_loads(text, 0, &e);
                if (!root)
                        return why(ret_why, "The JSON batch does not parse: line %d: %s", e.line, e.text);
                r = batch_json_tables(root, &tables, ret_why);
        } else
                r = batch_text_tables(text, &tables, ret_why);
        if (r < 0)
                return r;
        if (!json) {
                char *buf = NULL;
                size_t size = 0;
                FILE *f = open_memstream(&buf, &size);
                if (!f)
                        return -ENOMEM;
                for (char **t = tables; t && *t; t++)
                        fprintf(f, "add table %s; delete table %s; ", *t, *t);
                fputs(text, f);
                if (fclose(f) != 0) {
                        free(buf);
                        return -ENOMEM;
                }
                *ret_text = buf;
                *ret_prepended = 0;
                return 0;
        }
        commands = json_array();
        if (!commands)
                return -ENOMEM;
        for (char **t = tables; t && *t; t++) {
                _cleanup_free_ char *family = strndup(*t, strcspn(*t, " "));
                const char *name = *t + strcspn(*t, " ") + 1;
                if (!family ||
                    json_array_append_new(commands, json_pack("{s:{s:{s:s,s:s}}}", "add", "table", "family", family,
                                                              "name", name)) < 0 ||
                    json_array_append_new(commands, json_pack("{s:{s:{s:s,s:s}}}", "delete", "table", "family", family,
                                                              "name", name)) < 0)
                        return -ENOMEM;
                n += 2;
        }
        if (json_array_extend(commands, json_object_get(root, "nftables")) < 0 ||
            json_object_set(root, "nftables", commands) < 0)
                return -ENOMEM;
        *ret_text = json_dumps(root, JSON_COMPACT);
        if (!*ret_text)
                return -ENOMEM;
        *ret_prepended = n;
        return 0;
}

void listing_strip_handles(char *text)
{
        static const char mark[] = " # handle ";
        char *out = text;

        for (const char *p = text; *p;) {
                const char *eol = strchrnul(p, '\n'), *h = p;
                size_t keep = (size_t) (eol - p);
                /* the last " # handle " of the line, when only digits follow it */
                /* within the line only: strstr() ran to the end of the text for every line without a
                 * handle, quadratic in a listing of a million set elements */
                for (const char *f; (f = memmem(h, (size_t) (eol - h), mark, strlen(mark))); h = f + 1)
                        if (f + strlen(mark) < eol &&
                            strspn(f + strlen(mark), "0123456789") == (size_t) (eol - f - strlen(mark)))
                                keep = (size_t) (f - p);
                memmove(out, p, keep);
                out += keep;
                if (*eol)
                        *out++ = '\n';
                p = *eol ? eol + 1 : eol;
        }
        *out = '\0';
}

int rule_body_check(const char *body, char **ret_why)
{
        static const struct {
                char open, close;
                const char *name;
        } pairs[] = { { '{', '}', "brace" }, { '[', ']', "bracket" }, { '(', ')', "parenthesis" } };
        size_t n = strlen(body), depth[ELEMENTSOF(pairs)] = {};
        bool quoted = false, first_word = true;

        if (n > RULE_TEXT_MAX)
                return why(ret_why, "The rule is %zu bytes long; at most %d are accepted", n, RULE_TEXT_MAX);
        if (strspn(body, " \t") == n)
                return why(ret_why, "The rule is empty");
        if (!utf8_is_valid(body))
                return why(ret_why, "The rule is not valid UTF-8");

        for (size_t i = 0; i < n; i++) {
                char c = body[i];

                if ((unsigned char) c < 0x20 && c != '\t')
                        return why(ret_why,
                                   "The rule contains a control character at byte %zu: a rule is one "
                                   "line",
                                   i + 1);
                if (c == 0x7f)
                        return why(ret_why, "The rule contains a control character at byte %zu", i + 1);
                if (c == '"') {
                        quoted = !quoted;
                        continue;
                }
                if (quoted)
                        continue; /* anything printable, up to the closing quote */
                if (!allowed_outside_quotes(c))
                        return why(ret_why,
                                   (unsigned char) c >= 0x80 ? "The rule contains a non-ASCII character outside "
                                                               "a quoted string at byte %zu"
                                   : c == ';'                ? "The rule contains ';' at byte %zu: one call "
                                                               "adds one rule"
                                   : c == '#'                ? "The rule contains '#' at byte %zu: comments "
                                                               "are given as comment \"...\" or the comment "
                                                               "option"
                                   : c == '$'                ? "The rule contains '$' at byte %zu: variables "
                                                               "are not available"
                                                             : "The rule contains a character nft does not "
                                                               "use at byte %zu",
                                   i + 1);
                /* openers and closers: each closer must close one of its kind that is open */
                for (size_t k = 0; k < ELEMENTSOF(pairs); k++)
                        if (c == pairs[k].open)
                                depth[k]++;
                        else if (c == pairs[k].close && depth[k]-- == 0)
                                return why(ret_why, "The rule closes a %s it did not open, at byte %zu", pairs[k].name,
                                           i + 1);

                /* at the start of a word outside quotes */
                if (word_char(c) && (i == 0 || !word_char(body[i - 1]))) {
                        size_t len = 1;
                        while (i + len < n && word_char(body[i + len]))
                                len++;
                        if (word_is(body + i, len, refused_words, ELEMENTSOF(refused_words)))
                                return why(ret_why,
                                           "The rule contains '%.*s': a rule cannot read files or define "
                                           "variables",
                                           (int) len, body + i);
                        if (first_word && word_is(body + i, len, placement_words, ELEMENTSOF(placement_words)))
                                return why(ret_why,
                                           "The rule starts with '%.*s': a rule's place is given with "
                                           "the index, after, before and insert options",
                                           (int) len, body + i);
                        first_word = false;
                }
        }
        if (quoted)
                return why(ret_why, "The rule has a quoted string without its closing quote");
        if (depth[0] || depth[1] || depth[2])
                return why(ret_why, "The rule leaves a brace, bracket or parenthesis open");
        return 0;
}

/* The end of a "create" command built in f (an open_memstream() of *buf): its comment, the closing brace. */
static int command_end(FILE *f, char **buf, const char *comment, char **ret)
{
        if (comment)
                fprintf(f, "comment \"%s\"; ", comment);
        fputc('}', f);
        if (fclose(f) != 0 || !*buf)
                return -ENOMEM;
        *ret = TAKE_PTR(*buf);
        return 0;
}

int chain_command_text(const char *family, const char *table, const char *name, const char *type, const char *hook,
                       char *const *devices, int32_t priority, const char *policy, const char *comment, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;
        fprintf(f, "create chain %s %s %s { ", family, table, name);
        if (hook) {
                fprintf(f, "type %s hook %s ", type, hook);
                if (devices && devices[0]) {
                        fputs("devices = { ", f);
                        for (size_t i = 0; devices[i]; i++)
                                fprintf(f, "%s\"%s\"", i ? ", " : "", devices[i]);
                        fputs(" } ", f);
                }
                fprintf(f, "priority %" PRIi32 "; ", priority);
                if (policy)
                        fprintf(f, "policy %s; ", policy);
        }
        return command_end(f, &buf, comment, ret);
}

int set_command_text(const char *family, const char *table, const char *name, bool map, const char *key_type,
                     const char *value_type, const char *flags, uint64_t timeout, uint32_t gc_interval, uint32_t size,
                     const char *policy, bool counter, bool auto_merge, const char *comment, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f)
                return -ENOMEM;
        fprintf(f, "create %s %s %s %s { type %s", map ? "map" : "set", family, table, name, key_type);
        if (map)
                fprintf(f, " : %s", value_type);
        fputs("; ", f);
        if (flags)
                fprintf(f, "flags %s; ", flags);
        if (timeout)
                fprintf(f, "timeout %" PRIu64 "s; ", timeout);
        if (gc_interval)
                fprintf(f, "gc-interval %" PRIu32 "s; ", gc_interval);
        if (size)
                fprintf(f, "size %" PRIu32 "; ", size);
        if (policy)
                fprintf(f, "policy %s; ", policy);
        if (counter)
                fputs("counter; ", f);
        if (auto_merge)
                fputs("auto-merge; ", f);
        return command_end(f, &buf, comment, ret);
}

void rule_entries_free(RuleEntry *entries, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(entries[i].text);
                free(entries[i].comment);
        }
        free(entries);
}

/* Splits `body comment "text"` at the last comment keyword outside quotes that is followed by one
 * quoted string running to the end. Returns the offset of the keyword, or len when there is none. */
static size_t comment_offset(const char *line, size_t len)
{
        static const char keyword[] = "comment \"";
        size_t found = len;
        bool quoted = false;

        for (size_t i = 0; i < len; i++) {
                if (line[i] == '"') {
                        quoted = !quoted;
                        continue;
                }
                if (quoted || (i > 0 && line[i - 1] != ' '))
                        continue;
                if (len - i > sizeof(keyword) - 1 && strncmp(line + i, keyword, sizeof(keyword) - 1) == 0 &&
                    line[len - 1] == '"' && !memchr(line + i + sizeof(keyword) - 1, '"', len - i - sizeof(keyword)))
                        found = i;
        }
        return found;
}

static char *strndup_trimmed(const char *s, size_t n)
{
        while (n > 0 && s[n - 1] == ' ')
                n--;
        return strndup(s, n);
}

int rule_listing_parse(const char *listing, RuleEntry **ret_entries, size_t *ret_n)
{
        static const char marker[] = " # handle ";
        RuleEntry *entries = NULL;
        size_t n = 0;

        for (const char *line = listing; *line;) {
                const char *eol = strchrnul(line, '\n'), *mark = NULL;
                size_t len = (size_t) (eol - line);

                /* rules are indented twice: table, chain */
                if (len > 2 && line[0] == '\t' && line[1] == '\t' && line[2] != '\t') {
                        for (const char *p = line; p + sizeof(marker) - 1 <= eol; p++)
                                if (strncmp(p, marker, sizeof(marker) - 1) == 0)
                                        mark = p;
                }
                if (mark) {
                        const char *digits = mark + sizeof(marker) - 1;
                        char *end;
                        unsigned long long handle = strtoull(digits, &end, 10);

                        if (end == eol && end != digits) {
                                const char *body = line + 2;
                                size_t body_len = (size_t) (mark - body), c = comment_offset(body, body_len);
                                RuleEntry *grown = realloc(entries, (n + 1) * sizeof(RuleEntry));

                                if (!grown)
                                        goto oom;
                                entries = grown;
                                entries[n] = (RuleEntry){ .handle = handle };
                                n++;
                                entries[n - 1].text = strndup_trimmed(body, c);
                                if (!entries[n - 1].text)
                                        goto oom;
                                if (c < body_len) {
                                        const char *text = body + c + strlen("comment \"");
                                        entries[n - 1].comment = strndup(text, (size_t) (body + body_len - 1 - text));
                                        if (!entries[n - 1].comment)
                                                goto oom;
                                }
                        }
                }
                line = *eol ? eol + 1 : eol;
        }
        *ret_entries = entries;
        *ret_n = n;
        return 0;
oom:
        rule_entries_free(entries, n);
        return -ENOMEM;
}

/* Adds name to the NULL-terminated list *l of *n, unless it is there. */
static int names_add(char ***l, size_t *n, const char *name, size_t len)
{
        char **a;

        for (size_t i = 0; i < *n; i++)
                if (strlen((*l)[i]) == len && strncmp((*l)[i], name, len) == 0)
                        return 0;
        a = reallocarray(*l, *n + 2, sizeof(char *));
        if (!a)
                return -ENOMEM;
        *l = a;
        if (!(a[*n] = strndup(name, len)))
                return -ENOMEM;
        a[++*n] = NULL;
        return 0;
}

static bool token_is(const char *t, size_t len, const char *word)
{
        return strlen(word) == len && strncmp(t, word, len) == 0;
}

int rule_written_sets(const char *body, char ***ret)
{
        char **names = NULL;
        size_t n = 0, prev_len = 0, prev2_len = 0;
        const char *p = body, *prev = NULL, *prev2 = NULL;
        bool set_statement = false; /* after "set add|update|delete": the next @NAME is written */

        for (;;) {
                const char *t;
                size_t len;

                /* tokens: quoted strings are passed over; braces, brackets, commas and colons separate */
                while (*p && (strchr(" \t{}[](),:", *p)))
                        p++;
                if (!*p)
                        break;
                t = p;
                if (*p == '"') {
                        p = strchrnul(p + 1, '"');
                        if (*p)
                                p++;
                        continue;
                }
                while (*p && !strchr(" \t{}[](),:\"", *p))
                        p++;
                len = (size_t) (p - t);

                bool op = prev && (token_is(prev, prev_len, "add") || token_is(prev, prev_len, "update") ||
                                   token_is(prev, prev_len, "delete"));
                if (op && prev2 && token_is(prev2, prev2_len, "set"))
                        set_statement = true;
                if (t[0] == '@' && len > 1 && (op || set_statement)) {
                        if (names_add(&names, &n, t + 1, len - 1) < 0)
                                goto oom;
                        set_statement = false;
                } else if (prev && token_is(prev, prev_len, "meter") && t[0] != '@') {
                        if (names_add(&names, &n, t, len) < 0)
                                goto oom;
                }
                prev2 = prev, prev2_len = prev_len;
                prev = t, prev_len = len;
        }
        *ret = names;
        return (int) n;
oom:
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
        return -ENOMEM;
}

static int json_written_sets(const json_t *v, char ***l, size_t *n)
{
        const char *key;
        json_t *value;
        size_t i;

        if (json_is_array(v)) {
                json_array_foreach (v, i, value)
                        if (json_written_sets(value, l, n) < 0)
                                return -ENOMEM;
                return 0;
        }
        if (!json_is_object(v))
                return 0;
        json_object_foreach ((json_t *) v, key, value) {
                const char *name = NULL;
                if (json_is_object(value) && (streq(key, "set") || streq(key, "map")) && json_object_get(value, "op"))
                        name = json_string_value(json_object_get(value, key));
                else if (json_is_object(value) && streq(key, "meter"))
                        name = json_string_value(json_object_get(value, "name"));
                if (name && name[0] == '@')
                        name++;
                if (name && *name && names_add(l, n, name, strlen(name)) < 0)
                        return -ENOMEM;
                if (json_written_sets(value, l, n) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int rule_json_written_sets(const json_t *statements, char ***ret)
{
        char **names = NULL;
        size_t n = 0;

        if (json_written_sets(statements, &names, &n) < 0) {
                for (size_t i = 0; i < n; i++)
                        free(names[i]);
                free(names);
                return -ENOMEM;
        }
        *ret = names;
        return (int) n;
}

int rule_add_text(const char *family, const char *table, const char *chain, const RulePlace *place, const char *body,
                  const char *comment, char **ret)
{
        char where[48] = "";

        if (place->has_index)
                snprintf(where, sizeof(where), " index %" PRIu32, place->index);
        else if (place->handle)
                snprintf(where, sizeof(where), " position %" PRIu64, place->handle);
        return asprintf(ret, "%s rule %s %s %s%s %s%s%s%s", place->insert ? "insert" : "add", family, table, chain,
                        where, body, comment ? " comment \"" : "", strempty(comment), comment ? "\"" : "") < 0
                       ? -ENOMEM
                       : 0;
}

int rule_replace_text(const char *family, const char *table, const char *chain, uint64_t handle, const char *body,
                      char **ret)
{
        return asprintf(ret, "replace rule %s %s %s handle %" PRIu64 " %s", family, table, chain, handle, body) < 0
                       ? -ENOMEM
                       : 0;
}
