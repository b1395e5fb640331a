/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/texthash.h"
#include "common/util.h"

/* eight bytes at a time, each step mixed as splitmix64's finalizer mixes: keys are rules of a hundred bytes, and a
 * build looks up every one */
uint64_t text_hash(const char *s)
{
        size_t n = strlen(s);
        uint64_t h = n * UINT64_C(0x9e3779b97f4a7c15), w;

        for (; n >= 8; s += 8, n -= 8) {
                memcpy(&w, s, 8);
                h = (h ^ w) * UINT64_C(0xbf58476d1ce4e5b9);
                h ^= h >> 31;
        }
        w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * UINT64_C(0x94d049bb133111eb);
        return h ^ (h >> 29);
}

TextHashEntry *text_hash_find(const TextHash *h, const char *key)
{
        if (h->n_buckets == 0)
                return NULL;
        for (TextHashEntry *e = h->buckets[text_hash(key) % h->n_buckets]; e; e = e->next)
                if (streq(e->key, key))
                        return e;
        return NULL;
}

/* four times the buckets; when that fails, longer chains, still right */
static void text_hash_grow(TextHash *h)
{
        size_t n = MAX(h->n_buckets * 4, (size_t) 64);
        TextHashEntry **buckets = calloc(n, sizeof(TextHashEntry *));

        if (!buckets)
                return;
        for (size_t i = 0; i < h->n_buckets; i++)
                while (h->buckets[i]) {
                        TextHashEntry *e = h->buckets[i];
                        size_t b = text_hash(e->key) % n;
                        h->buckets[i] = e->next;
                        e->next = buckets[b];
                        buckets[b] = e;
                }
        free(h->buckets);
        h->buckets = buckets;
        h->n_buckets = n;
}

int text_hash_put(TextHash *h, TextHashEntry *e)
{
        size_t b;

        if (h->n >= h->n_buckets)
                text_hash_grow(h);
        if (h->n_buckets == 0)
                return -ENOMEM;
        b = text_hash(e->key) % h->n_buckets;
        e->next = h->buckets[b];
        h->buckets[b] = e;
        h->n++;
        return 0;
}

TextHashEntry *text_hash_take(TextHash *h, const char *key)
{
        if (h->n_buckets == 0)
                return NULL;
        for (TextHashEntry **p = &h->buckets[text_hash(key) % h->n_buckets]; *p; p = &(*p)->next)
                if (streq((*p)->key, key)) {
                        TextHashEntry *e = *p;
                        *p = e->next;
                        h->n--;
                        return e;
                }
        return NULL;
}

void text_hash_sweep(TextHash *h, bool (*keep)(TextHashEntry *e, void *userdata), void (*drop)(TextHashEntry *e),
                     void *userdata)
{
        for (size_t i = 0; i < h->n_buckets; i++)
                for (TextHashEntry **p = &h->buckets[i]; *p;) {
                        TextHashEntry *e = *p;
                        if (keep && keep(e, userdata)) {
                                p = &e->next;
                                continue;
                        }
                        *p = e->next;
                        h->n--;
                        drop(e);
                }
}

void text_hash_done(TextHash *h, void (*drop)(TextHashEntry *e))
{
        text_hash_sweep(h, NULL, drop, NULL);
        free(h->buckets);
        *h = (TextHash){};
}
