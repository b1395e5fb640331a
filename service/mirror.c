/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>
#include <string.h>

#include "mirror.h"
#include "objpath.h"
#include "util.h"
#include "validate.h"

static Table *table_free(Table *t)
{
        if (!t)
                return NULL;
        free(t->name);
        free(t->path);
        free(t);
        return NULL;
}

Mirror *mirror_new(void *owner)
{
        Mirror *m = calloc(1, sizeof(Mirror));

        if (m)
                m->owner = owner;
        return m;
}

Mirror *mirror_free(Mirror *m)
{
        if (!m)
                return NULL;
        for (size_t i = 0; i < m->n_tables; i++)
                table_free(m->tables[i]);
        free(m->tables);
        free(m);
        return NULL;
}

static ssize_t table_index(const Mirror *m, int family, const char *name)
{
        for (size_t i = 0; i < m->n_tables; i++)
                if (m->tables[i]->family == family && streq(m->tables[i]->name, name))
                        return (ssize_t) i;
        return -1;
}

Table *mirror_find_table(const Mirror *m, int family, const char *name)
{
        ssize_t i = table_index(m, family, name);
        return i < 0 ? NULL : m->tables[i];
}

int mirror_put_table(Mirror *m, int family, const char *name, uint64_t handle, uint32_t flags,
                     Table **ret_table)
{
        Table *t = mirror_find_table(m, family, name), **grown;
        const char *family_name = family_to_string(family);
        int change = MIRROR_UNCHANGED;

        if (!family_name)
                return -EAFNOSUPPORT;
        /* D-Bus cannot carry it: such a table (made by another tool) stays off the bus */
        if (!utf8_is_valid(name))
                return -EILSEQ;

        if (!t) {
                _cleanup_free_ Table *n = calloc(1, sizeof(Table));
                if (!n)
                        return -ENOMEM;
                n->mirror = m;
                n->family = family;
                n->name = strdup(name);
                if (!n->name || table_path(family_name, name, &n->path) < 0) {
                        free(n->name);
                        return -ENOMEM;
                }
                grown = realloc(m->tables, (m->n_tables + 1) * sizeof(Table *));
                if (!grown) {
                        free(n->name);
                        free(n->path);
                        return -ENOMEM;
                }
                m->tables = grown;
                t = m->tables[m->n_tables++] = TAKE_PTR(n);
                change = MIRROR_ADDED;
        } else if (t->handle != handle || t->flags != flags)
                change = MIRROR_CHANGED;

        t->handle = handle;
        t->flags = flags;
        t->mark = m->mark;
        if (ret_table)
                *ret_table = t;
        return change;
}

static void remove_at(Mirror *m, size_t i)
{
        table_free(m->tables[i]);
        memmove(m->tables + i, m->tables + i + 1, (m->n_tables - i - 1) * sizeof(Table *));
        m->n_tables--;
}

int mirror_drop_table(Mirror *m, int family, const char *name, char **ret_path)
{
        ssize_t i = table_index(m, family, name);

        if (i < 0)
                return 0;
        if (ret_path)
                *ret_path = TAKE_PTR(m->tables[i]->path);
        remove_at(m, (size_t) i);
        return 1;
}

void mirror_resync_begin(Mirror *m)
{
        m->mark++;
}

void mirror_resync_sweep(Mirror *m, void (*gone)(const Table *t, void *userdata), void *userdata)
{
        for (size_t i = m->n_tables; i > 0; i--)
                if (m->tables[i - 1]->mark != m->mark) {
                        if (gone)
                                gone(m->tables[i - 1], userdata);
                        remove_at(m, i - 1);
                }
}

void table_flags_to_names(uint32_t flags, const char *ret_names[static 3])
{
        size_t n = 0;

        if (flags & NFT_TABLE_F_DORMANT)
                ret_names[n++] = "dormant";
        if (flags & NFT_TABLE_F_OWNER)
                ret_names[n++] = "owner";
        ret_names[n] = NULL;
}

int table_compare(const void *a, const void *b)
{
        const Table *x = *(const Table *const *) a, *y = *(const Table *const *) b;
        int r = strcmp(family_to_string(x->family), family_to_string(y->family));
        return r != 0 ? r : strcmp(x->name, y->name);
}
