/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Policy presets, the pure part: each preset's options, and the plan its options make: the sets, chains
 * and rules of its own table (family inet) and the sysctls it sets. Every rule of a plan carries the same
 * comment, "nftbus preset NAME HASH", where HASH covers the table's shape (sets, chains, rules) but not
 * what the sets hold. preset_changes() compares a plan with the kernel's listing of the table and writes
 * only what differs: nothing when they agree; the sets alone when only their contents differ, so that
 * the rules and their counters stay; otherwise every chain flushed and refilled, one transaction. */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum PresetType {
        PRESET_BOOLEAN, /* b */
        PRESET_NUMBER,  /* u */
        PRESET_STRING,  /* s */
        PRESET_LIST,    /* as; empty by default */
} PresetType;

typedef struct PresetOption {
        const char *name;
        PresetType type;
        const char *description;
        uint32_t default_number;    /* b, u */
        uint32_t min, max;          /* u */
        const char *default_string; /* s */
} PresetOption;

/* An option's value; values[i] belongs to options[i]. */
typedef struct PresetValue {
        int boolean;
        uint32_t number;
        char *string;
        char **list; /* NULL-terminated, or NULL */
        bool given;
} PresetValue;

#define PRESET_SETS_MAX 64
#define PRESET_CHAINS_MAX 4
#define PRESET_SYSCTLS_MAX 16

typedef struct PresetSet {
        char name[64];
        char definition[160]; /* "type ipv4_addr; flags interval;" */
        bool dynamic;         /* filled by the rules (a per-source limit): its elements are the kernel's */
        char **elements;      /* nft element text, canonical and sorted */
        size_t n_elements;
} PresetSet;

typedef struct PresetChain {
        const char *name;
        const char *definition; /* "type filter hook input priority filter; policy drop;" */
        const char *policy;
        char **rules; /* without the comment */
        size_t n_rules;
} PresetChain;

typedef struct PresetSysctl {
        const char *name;
        char value[12];
} PresetSysctl;

typedef struct PresetPlan {
        const char *name;
        const char *table; /* in family inet; NULL when the preset sets sysctls only */
        PresetSet sets[PRESET_SETS_MAX];
        size_t n_sets;
        PresetChain chains[PRESET_CHAINS_MAX];
        size_t n_chains;
        PresetSysctl sysctls[PRESET_SYSCTLS_MAX]; /* written after the table's transaction */
        size_t n_sysctls;
        char marker[48]; /* every rule's comment */
} PresetPlan;

typedef struct Preset {
        const char *name;
        const char *table; /* its own, in family inet; NULL for a preset of sysctls only */
        const char *description;
        const PresetOption *options;
        size_t n_options;
        int (*plan)(const PresetValue *values, PresetPlan *plan, char **ret_why);
} Preset;

extern const Preset presets[];
extern const size_t presets_count;

const Preset *preset_find(const char *name);
/* What the preset's table filters that zones filter too, so that both would decide ("what comes in": the
 * workstation and server; "what is forwarded": the router), or NULL. */
const char *preset_zones_overlap(const Preset *p);
const char *preset_type_signature(PresetType t);

/* Fills values with the defaults; preset_values_clear() frees them. */
int preset_values_init(const Preset *p, PresetValue *values);
void preset_values_clear(const Preset *p, PresetValue *values);

/* Checks the values and makes the plan; InvalidArgument's sentence in ret_why. */
int preset_plan(const Preset *p, const PresetValue *values, PresetPlan *ret, char **ret_why);
void preset_plan_clear(PresetPlan *plan);

/* The nft commands that bring the table of listing (libnftables' JSON of "list table"; NULL when the
 * table is missing) to the plan: "" when nothing differs. */
int preset_changes(const PresetPlan *plan, json_t *listing, char **ret_text);

/* For tests and Preview: the text of one element of a JSON listing, as the plan writes it. */
char *preset_element_text(json_t *element);
