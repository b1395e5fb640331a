/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What Table's Add* methods send: each checks its values as the kernel and libnftables would (a sentence
 * for InvalidArgument in *ret_why) and builds the one "create" command — the libnftables JSON object
 * (*ret_json, {"family", "table", "name", ...}), or, where libnftables 1.0.6's JSON input would drop or
 * refuse something (a chain's comment or second device, a set's comment, auto-merge or dynamic flag),
 * the command in nft syntax (*ret_text) from the validated values alone. Names are validated before;
 * family and table are the kernel's own. Returns 0, -EINVAL with *ret_why, or -ENOMEM. Pure. */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct ObjectTarget {
        int family;        /* NFTBUS_FAMILY_* */
        const char *table; /* the kernel's name */
        const char *name;  /* validated */
} ObjectTarget;

typedef struct ChainSpec {
        const char *type, *hook, *priority, *policy;
        char **devices; /* NULL-terminated, or NULL */
        const char *comment;
} ChainSpec;

typedef struct CounterSpec {
        uint64_t packets, bytes;
        const char *comment;
} CounterSpec;

typedef struct QuotaSpec {
        uint64_t bytes, used;
        bool over;
        const char *comment;
} QuotaSpec;

typedef struct LimitSpec {
        uint64_t rate;
        const char *per;  /* second, minute, hour, day, week */
        const char *unit; /* packets (NULL) or bytes */
        bool has_burst;
        uint32_t burst;
        bool over;
        const char *comment;
} LimitSpec;

typedef struct FlowtableSpec {
        const char *hook, *priority;
        char **devices;
} FlowtableSpec;

typedef struct SetSpec {
        bool map;
        const char *type, *value_type; /* value_type for maps */
        char **flags;
        uint64_t timeout;
        uint32_t gc_interval, size;
        const char *policy;
        bool auto_merge, counter;
        const char *comment;
} SetSpec;

int chain_spec_build(const ObjectTarget *t, const ChainSpec *s, json_t **ret_json, char **ret_text, char **ret_why);
int counter_spec_build(const ObjectTarget *t, const CounterSpec *s, json_t **ret_json, char **ret_why);
int quota_spec_build(const ObjectTarget *t, const QuotaSpec *s, json_t **ret_json, char **ret_why);
int limit_spec_build(const ObjectTarget *t, const LimitSpec *s, json_t **ret_json, char **ret_why);
int flowtable_spec_build(const ObjectTarget *t, const FlowtableSpec *s, json_t **ret_json, char **ret_why);
int set_spec_build(const ObjectTarget *t, const SetSpec *s, json_t **ret_json, char **ret_text, char **ret_why);
