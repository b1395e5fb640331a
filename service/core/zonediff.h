/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The zones' table changed by what differs, not made anew: from the table one build of the ruleset wrote (its
 * skeleton: the objects without their elements, and the elements apart, core/zonespec.h) to the table another build
 * writes. Objects that are the same stay; new ones are added and gone ones deleted; a chain whose rules differ
 * keeps the rules before the first difference and the rules after the last one when nothing is added between
 * them, the rest deleted by handle and added after them (nft's "position" would make libnftables read every rule
 * of every table first: 200 ms at 10,000 rules). Elements are added and deleted one by one. Pure. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct StrList;

/* The handles of a chain's rules as the kernel holds them, in the chain's order: 0 with *ret and *ret_n, or
 * negative when they are not known (the chain is then emptied and written again). */
typedef int (*zone_chain_handles_t)(const char *chain, const uint64_t **ret, size_t *ret_n, void *userdata);

/* The commands (nft syntax, "" when nothing differs), or 1 when more than chains, their rules and elements differ
 * (a set's declaration, a base chain's hook, an ipset's set, whose entries only the whole path carries): the caller
 * makes the table anew. */
int zone_table_diff(const char *old_skeleton, const struct StrList *old_elements, const char *new_skeleton,
                    const struct StrList *new_elements, zone_chain_handles_t handles, void *userdata, char **ret_text);
