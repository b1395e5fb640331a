/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A hash table of entries keyed by a string, the entries the caller's: a struct that begins with a TextHashEntry
 * (its key owned by the entry). Chained, grown to about one entry a bucket. Pure. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct TextHashEntry {
        char *key;
        struct TextHashEntry *next;
} TextHashEntry;

typedef struct TextHash {
        TextHashEntry **buckets;
        size_t n_buckets, n;
} TextHash;

/* The hash the table files a key by: the same for the same text, on every run */
uint64_t text_hash(const char *s);

TextHashEntry *text_hash_find(const TextHash *h, const char *key);
/* Puts e (a key no entry has). -ENOMEM. */
int text_hash_put(TextHash *h, TextHashEntry *e);
/* The entry of key taken out of the table (NULL: none). */
TextHashEntry *text_hash_take(TextHash *h, const char *key);
/* Each entry that keep() does not keep taken out and given to drop(). */
void text_hash_sweep(TextHash *h, bool (*keep)(TextHashEntry *e, void *userdata), void (*drop)(TextHashEntry *e),
                     void *userdata);
/* Every entry given to drop(), and the table freed. */
void text_hash_done(TextHash *h, void (*drop)(TextHashEntry *e));
