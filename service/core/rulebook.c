/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/rulebook.h"
#include "core/texthash.h"
#include "common/util.h"

/* A chain's handles; a deleted rule's is 0 until the array is made dense again (a chain emptied rule by rule, as
 * a flush does, would otherwise move the rest at each rule) */
typedef struct Chain {
        TextHashEntry key; /* its name */
        bool known;
        uint64_t *handles;
        size_t n, allocated, holes;
        size_t hint; /* where the last deleted one was: a flush deletes in order */
} Chain;

struct RuleBook {
        TextHash chains;
};

static void chain_free(TextHashEntry *k)
{
        Chain *c = (Chain *) k;

        if (c) {
                free(c->key.key);
                free(c->handles);
                free(c);
        }
}

RuleBook *rule_book_new(void)
{
        return calloc(1, sizeof(RuleBook));
}

void rule_book_forget(RuleBook *b)
{
        if (b)
                text_hash_done(&b->chains, chain_free);
}

RuleBook *rule_book_free(RuleBook *b)
{
        rule_book_forget(b);
        free(b);
        return NULL;
}

static Chain *chain_find(RuleBook *b, const char *chain)
{
        return (Chain *) text_hash_find(&b->chains, chain);
}

static void chain_unknown(Chain *c)
{
        c->known = false;
        free(c->handles);
        c->handles = NULL;
        c->n = c->allocated = c->holes = c->hint = 0;
}

void rule_book_chain_added(RuleBook *b, const char *chain)
{
        Chain *c = chain_find(b, chain);

        if (c) /* an update of a chain that is there (its policy): its rules stay */
                return;
        c = calloc(1, sizeof(Chain));
        if (!c || !(c->key.key = strdup(chain)) || text_hash_put(&b->chains, &c->key) < 0) {
                chain_free((TextHashEntry *) c);
                return; /* not known: the chain is written again when it changes */
        }
        c->known = true;
}

void rule_book_chain_deleted(RuleBook *b, const char *chain)
{
        chain_free(text_hash_take(&b->chains, chain));
}

/* the dense array: the holes of deleted rules closed */
static void chain_compact(Chain *c)
{
        size_t k = 0;

        if (c->holes == 0)
                return;
        for (size_t i = 0; i < c->n; i++)
                if (c->handles[i] != 0)
                        c->handles[k++] = c->handles[i];
        c->n = k;
        c->holes = c->hint = 0;
}

static ssize_t chain_position(const Chain *c, uint64_t handle)
{
        for (size_t i = 0; i < c->n; i++) { /* from the hint on, round */
                size_t at = (c->hint + i) % c->n;
                if (c->handles[at] == handle)
                        return (ssize_t) at;
        }
        return -1;
}

void rule_book_rule_added(RuleBook *b, const char *chain, uint64_t handle, bool appended, bool has_position,
                          uint64_t position)
{
        Chain *c = chain_find(b, chain);

        if (!c || !c->known)
                return;
        chain_compact(c);
        /* at the end only: after the last rule, or appended with no rule after it (the kernel names the rule
         * before but for the first and the last of a chain) */
        if (!appended || (has_position && (c->n == 0 || c->handles[c->n - 1] != position))) {
                chain_unknown(c);
                return;
        }
        if (c->n == c->allocated) {
                size_t allocated = MAX(c->allocated * 2, (size_t) 16);
                uint64_t *more = reallocarray(c->handles, allocated, sizeof(uint64_t));
                if (!more) {
                        chain_unknown(c);
                        return;
                }
                c->handles = more;
                c->allocated = allocated;
        }
        c->handles[c->n++] = handle;
}

void rule_book_rule_deleted(RuleBook *b, const char *chain, uint64_t handle)
{
        Chain *c = chain_find(b, chain);
        ssize_t at;

        if (!c || !c->known)
                return;
        at = handle != 0 ? chain_position(c, handle) : -1;
        if (at < 0) {
                chain_unknown(c);
                return;
        }
        c->handles[at] = 0;
        c->holes++;
        c->hint = (size_t) at + 1;
        if (c->holes == c->n) /* emptied */
                c->n = c->holes = c->hint = 0;
}

int rule_book_handles(RuleBook *b, const char *chain, const uint64_t **ret, size_t *ret_n)
{
        Chain *c = b ? chain_find(b, chain) : NULL;

        if (!c || !c->known)
                return -ENOENT;
        chain_compact(c);
        *ret = c->handles;
        *ret_n = c->n;
        return 0;
}
