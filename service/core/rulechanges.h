/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The rules one transaction changed in one chain, from the kernel's events in their order: which were
 * added, removed and replaced. A replaced rule keeps its handle (the kernel sends its removal, then the
 * new rule under the same handle); a rule added and removed again within the transaction was never
 * there for anyone. Past RULE_CHANGES_LISTED events the handles are dropped and only counted, so that a
 * bulk change costs no memory per rule. Pure. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RULE_CHANGES_LISTED 1024

typedef struct RuleEvent {
        uint64_t handle;
        bool removed;
} RuleEvent;

typedef struct RuleChanges {
        uint64_t added, removed; /* the events, all of them */
        RuleEvent *events;       /* in order, while listed */
        size_t n_events;
        bool bulk; /* more than RULE_CHANGES_LISTED: counts only */
} RuleChanges;

/* 0, or -ENOMEM (then the changes are bulk: counted, not listed). */
int rule_changes_note(RuleChanges *rc, uint64_t handle, bool removed);
void rule_changes_done(RuleChanges *rc);

/* What came of it, each handle once, in the order of its first event. For a bulk change the lists are
 * empty and the counts are the events' (a replacement is then one removed and one added). */
typedef struct RuleOutcome {
        uint64_t n_added, n_removed, n_replaced;
        uint64_t *added, *removed, *replaced;
} RuleOutcome;

int rule_changes_settle(const RuleChanges *rc, RuleOutcome *ret);
void rule_outcome_done(RuleOutcome *o);
