/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/richmemo.h"

struct RichMemo {
        TextHash entries;
        unsigned long build;
        size_t used; /* entries this build used */
};

static void entry_free(TextHashEntry *k)
{
        RichMemoEntry *e = (RichMemoEntry *) k;

        if (e) {
                free(e->key.key);
                free(e->accepted_service);
                free(e->nft[0]);
                free(e->nft[1]);
                free(e);
        }
}

RichMemo *rich_memo_new(void)
{
        RichMemo *m = calloc(1, sizeof(RichMemo));

        if (m)
                m->build = 1;
        return m;
}

void rich_memo_clear(RichMemo *m)
{
        if (m)
                text_hash_done(&m->entries, entry_free);
}

RichMemo *rich_memo_free(RichMemo *m)
{
        rich_memo_clear(m);
        free(m);
        return NULL;
}

RichMemoEntry *rich_memo_get(RichMemo *m, const char *text, int *ret_error)
{
        RichMemoEntry *e = (RichMemoEntry *) text_hash_find(&m->entries, text);
        _cleanup_free_ RichRule *r = NULL;
        _cleanup_free_ char *reason = NULL;
        const char *code;

        if (e) {
                m->used += e->used != m->build;
                e->used = m->build;
                return e;
        }
        r = malloc(sizeof(RichRule));
        e = calloc(1, sizeof(RichMemoEntry));
        if (!r || !e || !(e->key.key = strdup(text))) {
                *ret_error = -ENOMEM;
                entry_free((TextHashEntry *) e);
                return NULL;
        }
        if (rich_rule_parse(text, r, &code, &reason) < 0) {
                *ret_error = -EINVAL;
                entry_free((TextHashEntry *) e);
                return NULL;
        }
        e->hash = text_hash(text);
        e->priority = r->priority;
        e->chain = rich_rule_chain(r);
        e->place = rich_rule_place(r);
        e->log_place = rich_rule_log_place(r);
        e->element = r->element;
        e->action = r->action;
        e->names_ipset = r->source.ipset[0] || r->destination.ipset[0];
        e->used = m->build;
        m->used++;
        if (e->element == RICH_SERVICE && e->action == RICH_ACCEPT && !(e->accepted_service = strdup(r->name))) {
                *ret_error = -ENOMEM;
                entry_free((TextHashEntry *) e);
                return NULL;
        }
        if (text_hash_put(&m->entries, &e->key) < 0) {
                *ret_error = -ENOMEM;
                entry_free((TextHashEntry *) e);
                return NULL;
        }
        return e;
}

static bool used_lately(TextHashEntry *k, void *userdata)
{
        const RichMemo *m = userdata;

        return ((RichMemoEntry *) k)->used >= m->build;
}

void rich_memo_next_build(RichMemo *m)
{
        /* a walk of every entry at each build would cost as much as the lookups: only once what the last build did
         * not use is as much as it used */
        if (m->entries.n > 2 * m->used + 64)
                text_hash_sweep(&m->entries, used_lately, entry_free, m);
        m->used = 0;
        m->build++;
}

size_t rich_memo_size(const RichMemo *m)
{
        return m ? m->entries.n : 0;
}
