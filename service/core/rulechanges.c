/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core/rulechanges.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void drop_events(RuleChanges *rc)
{
        free(rc->events);
        rc->events = NULL;
        rc->n_events = 0;
        rc->bulk = true;
}

int rule_changes_note(RuleChanges *rc, uint64_t handle, bool removed)
{
        RuleEvent *events;

        if (removed)
                rc->removed++;
        else
                rc->added++;
        if (rc->bulk)
                return 0;
        if (rc->n_events >= RULE_CHANGES_LISTED) {
                drop_events(rc);
                return 0;
        }
        /* grown in powers of two: n_events is one */
        if ((rc->n_events & (rc->n_events - 1)) == 0) {
                events = realloc(rc->events, (rc->n_events ? rc->n_events * 2 : 1) * sizeof(RuleEvent));
                if (!events) {
                        drop_events(rc);
                        return -ENOMEM;
                }
                rc->events = events;
        }
        rc->events[rc->n_events++] = (RuleEvent){ .handle = handle, .removed = removed };
        return 0;
}

void rule_changes_done(RuleChanges *rc)
{
        free(rc->events);
        *rc = (RuleChanges){};
}

void rule_outcome_done(RuleOutcome *o)
{
        free(o->added);
        free(o->removed);
        free(o->replaced);
        *o = (RuleOutcome){};
}

/* The first and the last event of a handle decide: removed then added is a replacement, added then
 * removed nothing at all. */
int rule_changes_settle(const RuleChanges *rc, RuleOutcome *ret)
{
        RuleOutcome o = {};
        size_t n = rc->n_events ? rc->n_events : 1;

        if (rc->bulk) {
                *ret = (RuleOutcome){ .n_added = rc->added, .n_removed = rc->removed };
                return 0;
        }
        o.added = malloc(n * sizeof(uint64_t));
        o.removed = malloc(n * sizeof(uint64_t));
        o.replaced = malloc(n * sizeof(uint64_t));
        if (!o.added || !o.removed || !o.replaced) {
                rule_outcome_done(&o);
                return -ENOMEM;
        }
        for (size_t i = 0; i < rc->n_events; i++) {
                const RuleEvent *first = &rc->events[i], *last = first;
                bool seen = false;

                for (size_t j = 0; j < i && !seen; j++)
                        seen = rc->events[j].handle == first->handle;
                if (seen)
                        continue;
                for (size_t j = i + 1; j < rc->n_events; j++)
                        if (rc->events[j].handle == first->handle)
                                last = &rc->events[j];
                if (first->removed && !last->removed)
                        o.replaced[o.n_replaced++] = first->handle;
                else if (first->removed)
                        o.removed[o.n_removed++] = first->handle;
                else if (!last->removed)
                        o.added[o.n_added++] = first->handle;
        }
        *ret = o;
        return 0;
}
