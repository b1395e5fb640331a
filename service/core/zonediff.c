/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/zonediff.h"
#include "core/zonespec.h"
#include "common/util.h"

/* A line of the skeleton: where it starts, its length without the newline */
typedef struct Line {
        const char *s;
        size_t len;
} Line;

/* An object of the table ("\tchain NAME {" to "\t}", or a line): its kind and name, its whole text, and for a chain
 * its declaration ("type filter hook input ...;", or none) and its rules */
typedef struct Object {
        Line kind, name, text;
        Line declaration;
        Line *rules;
        size_t n_rules;
} Object;

typedef struct Table {
        Object *objects;
        size_t n;
} Table;

static void table_done(Table *t)
{
        for (size_t i = 0; i < t->n; i++)
                free(t->objects[i].rules);
        free(t->objects);
        *t = (Table){};
}

static bool line_is(Line l, const char *s)
{
        return l.len == strlen(s) && (l.len == 0 || memcmp(l.s, s, l.len) == 0);
}

static bool line_eq(Line a, Line b)
{
        return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

static int line_cmp(Line a, Line b)
{
        int c = MIN(a.len, b.len) > 0 ? memcmp(a.s, b.s, MIN(a.len, b.len)) : 0;

        return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* the next line at *p (without its newline), *p moved past it; false at the end */
static bool next_line(const char **p, Line *ret)
{
        const char *nl;

        if (!**p)
                return false;
        nl = strchrnul(*p, '\n');
        *ret = (Line){ *p, (size_t) (nl - *p) };
        *p = *nl ? nl + 1 : nl;
        return true;
}

/* "\tKIND... NAME {": the kind is every word before the name ("ct helper") */
static void object_words(Line header, Line *ret_kind, Line *ret_name)
{
        const char *s = header.s + 1, *end = header.s + header.len;
        const char *last_space = NULL, *name_end;

        if (header.len > 2 && end[-1] == '{')
                end -= 2; /* " {" */
        name_end = end;
        for (const char *q = s; q < name_end; q++)
                if (*q == ' ')
                        last_space = q;
        if (!last_space) {
                *ret_kind = (Line){ s, (size_t) (name_end - s) };
                *ret_name = (Line){ name_end, 0 };
                return;
        }
        *ret_kind = (Line){ s, (size_t) (last_space - s) };
        *ret_name = (Line){ last_space + 1, (size_t) (name_end - last_space - 1) };
}

static int object_compare(const void *a, const void *b)
{
        const Object *x = a, *y = b;
        int c = line_cmp(x->kind, y->kind);

        return c ? c : line_cmp(x->name, y->name);
}

/* The objects of "table inet T {" ... "}" in a skeleton, sorted by kind and name; -EINVAL when there is no table */
static int table_parse(const char *skeleton, Table *ret)
{
        _cleanup_(table_done) Table t = {};
        const char *p = strstr(skeleton, "\ntable inet ");
        size_t allocated = 0;
        Line l;

        if (!p && startswith(skeleton, "table inet "))
                p = skeleton;
        else if (p)
                p++;
        if (!p || !next_line(&p, &l))
                return -EINVAL;
        while (next_line(&p, &l) && !line_is(l, "}")) {
                Object *o;
                if (l.len < 2 || l.s[0] != '\t' || l.s[1] == '\t')
                        return -EINVAL;
                if (t.n == allocated) {
                        Object *more = reallocarray(t.objects, allocated = MAX(allocated * 2, 64), sizeof(Object));
                        if (!more)
                                return -ENOMEM;
                        t.objects = more;
                }
                o = &t.objects[t.n++];
                *o = (Object){ .text = l };
                object_words(l, &o->kind, &o->name);
                if (l.s[l.len - 1] != '{')
                        continue;
                /* a block: to its "\t}", its lines the rules of a chain */
                size_t rules_allocated = 0;
                bool chain = line_is(o->kind, "chain"), closed = false;
                while (next_line(&p, &l)) {
                        o->text.len = (size_t) (l.s + l.len - o->text.s);
                        if (line_is(l, "\t}")) {
                                closed = true;
                                break;
                        }
                        if (!chain)
                                continue;
                        if (l.len < 3 || l.s[0] != '\t' || l.s[1] != '\t')
                                return -EINVAL;
                        l.s += 2;
                        l.len -= 2;
                        if (o->n_rules == 0 && !o->declaration.s && startswith(l.s, "type ")) {
                                o->declaration = l;
                                continue;
                        }
                        if (o->n_rules == rules_allocated) {
                                Line *more = reallocarray(o->rules, rules_allocated = MAX(rules_allocated * 2, 16),
                                                          sizeof(Line));
                                if (!more)
                                        return -ENOMEM;
                                o->rules = more;
                        }
                        o->rules[o->n_rules++] = l;
                }
                if (!closed)
                        return -EINVAL;
        }
        if (t.n > 0)
                qsort(t.objects, t.n, sizeof(Object), object_compare);
        *ret = t;
        t = (Table){};
        return 0;
}

/* the table's name, from "table inet T {" */
static int table_name(const char *skeleton, char ret[static 64])
{
        const char *p = startswith(skeleton, "table inet ") ? skeleton : strstr(skeleton, "\ntable inet ");

        if (!p)
                return -EINVAL;
        p += *p == '\n' ? strlen("\ntable inet ") : strlen("table inet ");
        if (strcspn(p, " \n") >= 64)
                return -EINVAL;
        snprintf(ret, 64, "%.*s", (int) strcspn(p, " \n"), p);
        return 0;
}

static void add_rules(FILE *f, const char *table, const Object *o, size_t from)
{
        for (size_t i = from; i < o->n_rules; i++)
                fprintf(f, "add rule inet %s %.*s %.*s\n", table, (int) o->name.len, o->name.s, (int) o->rules[i].len,
                        o->rules[i].s);
}

/* A chain whose rules differ, from old's to now's */
static void chain_diff(FILE *f, const char *table, const Object *old, const Object *now, zone_chain_handles_t handles,
                       void *userdata)
{
        size_t n = old->n_rules, m = now->n_rules, p = 0, s = 0;
        char chain[256];
        const uint64_t *h = NULL;
        size_t n_h = 0;

        while (p < n && p < m && line_eq(old->rules[p], now->rules[p]))
                p++;
        while (s < n - p && s < m - p && line_eq(old->rules[n - 1 - s], now->rules[m - 1 - s]))
                s++;
        if (p == n) { /* rules added at the end */
                add_rules(f, table, now, p);
                return;
        }
        snprintf(chain, sizeof(chain), "%.*s", (int) now->name.len, now->name.s);
        if (!handles || handles(chain, &h, &n_h, userdata) < 0 || n_h != n) {
                fprintf(f, "flush chain inet %s %s\n", table, chain);
                add_rules(f, table, now, 0);
                return;
        }
        /* rules deleted only: those; else from the first difference on, the rest written again after it */
        for (size_t i = p; i < (m == p + s ? n - s : n); i++)
                fprintf(f, "delete rule inet %s %s handle %llu\n", table, chain, (unsigned long long) h[i]);
        if (m != p + s)
                add_rules(f, table, now, p);
}

/* "SET\tKEY\tVALUE" as one element command */
static void element_command(FILE *f, const char *verb, const char *table, const char *element, bool with_value)
{
        const char *tab = strchr(element, '\t'), *tab2 = tab ? strchr(tab + 1, '\t') : NULL;

        if (!tab2)
                return;
        fprintf(f, "%s element inet %s %.*s { %.*s%s%s }\n", verb, table, (int) (tab - element), element,
                (int) (tab2 - tab - 1), tab + 1, with_value && tab2[1] ? " : " : "", with_value ? tab2 + 1 : "");
}

static bool is_ipset(const Object *o)
{
        return (line_is(o->kind, "set") || line_is(o->kind, "map")) && o->name.len > 6 &&
               memcmp(o->name.s, "ipset_", 6) == 0;
}

int zone_table_diff(const char *old_skeleton, const StrList *old_elements, const char *new_skeleton,
                    const StrList *new_elements, zone_chain_handles_t handles, void *userdata, char **ret_text)
{
        _cleanup_(table_done) Table a = {}, b = {};
        _cleanup_free_ const Object **added = NULL, **gone = NULL, **changed_old = NULL, **changed_new = NULL;
        size_t n_added = 0, n_gone = 0, n_changed = 0, i = 0, k = 0;
        _cleanup_free_ char *buf = NULL;
        char table[64];
        size_t size = 0;
        FILE *f;
        int r;

        r = table_name(new_skeleton, table);
        if (r >= 0)
                r = table_parse(old_skeleton, &a);
        if (r >= 0)
                r = table_parse(new_skeleton, &b);
        if (r < 0)
                return r;
        added = calloc(b.n + 1, sizeof(Object *));
        gone = calloc(a.n + 1, sizeof(Object *));
        changed_old = calloc(MIN(a.n, b.n) + 1, sizeof(Object *));
        changed_new = calloc(MIN(a.n, b.n) + 1, sizeof(Object *));
        if (!added || !gone || !changed_old || !changed_new)
                return -ENOMEM;
        /* both sorted: one walk pairs them */
        while (i < a.n || k < b.n) {
                int c = i == a.n ? 1 : k == b.n ? -1 : object_compare(&a.objects[i], &b.objects[k]);
                const Object *o = c < 0 ? &a.objects[i] : &b.objects[k];
                if (c != 0 && (is_ipset(o) || (!line_is(o->kind, "chain") && !line_is(o->kind, "set") &&
                                               !line_is(o->kind, "map") && !line_is(o->kind, "ct helper"))))
                        return 1;
                if (c < 0) {
                        gone[n_gone++] = &a.objects[i++];
                        continue;
                }
                if (c > 0) {
                        added[n_added++] = &b.objects[k++];
                        continue;
                }
                if (!line_eq(a.objects[i].text, b.objects[k].text)) {
                        /* a chain's rules change in place; anything else, or a chain's hook, anew */
                        if (!line_is(o->kind, "chain") || !line_eq(a.objects[i].declaration, b.objects[k].declaration))
                                return 1;
                        changed_old[n_changed] = &a.objects[i];
                        changed_new[n_changed++] = &b.objects[k];
                }
                i++;
                k++;
        }

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        /* new objects first (rules and elements may name them), in one block: nft adds sets, then chains, then the
         * chains' rules */
        if (n_added > 0) {
                fprintf(f, "table inet %s {\n", table);
                for (size_t j = 0; j < n_added; j++)
                        fprintf(f, "%.*s\n", (int) added[j]->text.len, added[j]->text.s);
                fputs("}\n", f);
        }
        /* elements: what goes first (a key that moves to another zone goes, then comes back with its new verdict) */
        for (size_t j = 0; j < old_elements->n; j++) { /* in sorted order, through the index */
                const char *e = old_elements->items[old_elements->index[j]];
                if (!strlist_contains(new_elements, e))
                        element_command(f, "delete", table, e, false);
        }
        for (size_t j = 0; j < new_elements->n; j++) {
                const char *e = new_elements->items[new_elements->index[j]];
                if (!strlist_contains(old_elements, e))
                        element_command(f, "add", table, e, true);
        }
        for (size_t j = 0; j < n_changed; j++)
                chain_diff(f, table, changed_old[j], changed_new[j], handles, userdata);
        /* what is gone: chains emptied before any is deleted (one may jump to another), then the rest */
        for (size_t j = 0; j < n_gone; j++)
                if (line_is(gone[j]->kind, "chain"))
                        fprintf(f, "flush chain inet %s %.*s\n", table, (int) gone[j]->name.len, gone[j]->name.s);
        for (int chains = 1; chains >= 0; chains--)
                for (size_t j = 0; j < n_gone; j++)
                        if (line_is(gone[j]->kind, "chain") == (bool) chains)
                                fprintf(f, "delete %.*s inet %s %.*s\n", (int) gone[j]->kind.len, gone[j]->kind.s,
                                        table, (int) gone[j]->name.len, gone[j]->name.s);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_text = TAKE_PTR(buf);
        return 0;
}
