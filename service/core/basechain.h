/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What a chain may be in each family: hooks, types, standard priorities, policies and devices. The
 * kernel would refuse most bad combinations too, but with a bare errno; this says why. Pure. */

#include <stdbool.h>
#include <stdint.h>

typedef struct ChainOptions {
        const char *type;     /* filter, nat, route; NULL: filter for a base chain */
        const char *hook;     /* NULL: a regular chain */
        const char *priority; /* a number, or a standard name with an optional offset ("filter + 10") */
        const char *policy;   /* accept, drop; NULL: the kernel's default, accept */
        char **devices;       /* NULL-terminated, or NULL */
} ChainOptions;

/* Checks options for a chain of family (NFPROTO value). On success, *ret_priority holds the priority as
 * a number (the family's filter priority when none was given). */
int chain_options_check(int family, const ChainOptions *o, int32_t *ret_priority, char **ret_why);

/* A priority for family: "-150", "mangle", "filter + 10", "srcnat - 5". */
int priority_parse(int family, const char *text, int32_t *ret, char **ret_why);

/* Hook numbers as the kernel reports them, to names; NULL for an unknown number. Netdev and inet
 * ingress and egress have numbers of their own (NF_NETDEV_*). */
const char *hook_to_string(int family, uint32_t hooknum);

/* Standard names of the kernel's policy verdicts: "accept", "drop"; NULL for others. */
const char *policy_to_string(uint32_t policy);
