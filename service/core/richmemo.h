/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What a rich rule's text comes to in the zones' table, remembered from one build of the ruleset to the next: where
 * it goes (its priority, chain and places) and the nft rules it writes at each place. A zone with 10,000 rich rules
 * is written again for every change of the runtime configuration; each rule is parsed and written once, then
 * looked up by its text. What a rule writes depends on the services catalogue (rich_memo_clear() when it changes)
 * and, for a rule naming an ipset, on the ipsets: those rules' nft rules are never remembered. What the build before
 * did not use is forgotten when the next one starts, once there is as much of it as the build used. Pure. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/util.h"
#include "core/richrule.h"
#include "core/texthash.h"

typedef struct RichMemoEntry {
        TextHashEntry key; /* the canonical rule */
        uint64_t hash;     /* of its text (text_hash()) */
        int priority;
        RichChain chain;
        char place, log_place; /* rich_rule_place(), rich_rule_log_place() */
        RichElement element;
        RichAction action;
        char *accepted_service; /* a service it accepts, whose helpers the zone assigns; NULL */
        bool names_ipset;       /* its nft rules are not remembered */
        char *nft[2];           /* the nft rules at place [0] and at log_place [1], NULL until written */
        unsigned long used;     /* the build that last used it */
} RichMemoEntry;

typedef struct RichMemo RichMemo;

RichMemo *rich_memo_new(void);
RichMemo *rich_memo_free(RichMemo *m);
DEFINE_POINTER_CLEANUP(RichMemo, rich_memo_free)
/* Everything forgotten (the catalogue changed). */
void rich_memo_clear(RichMemo *m);
/* The entry of a rule, made (parsed and placed) when it is new: NULL with -ENOMEM, or -EINVAL for a text that does
 * not parse, in *ret_error. */
RichMemoEntry *rich_memo_get(RichMemo *m, const char *text, int *ret_error);
/* A build starts: what the one before it did not use is forgotten (once it is as much as it used, and 64). */
void rich_memo_next_build(RichMemo *m);
size_t rich_memo_size(const RichMemo *m);
