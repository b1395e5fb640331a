/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* nftbusctl's command line as a table of verbs, in the manner of systemctl and busctl: each verb (or
 * sub-verb of a group: "sysctl get") says how many arguments it takes and which options, and the help,
 * the whole and each verb's, is made from the same table. An option given to a verb that does not take
 * it is a usage error: "nftbusctl --check add-table" must not add a table. Pure: no bus, no I/O but the
 * FILE it is given. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

/* The options that belong to verbs; --help, --version, --json and --no-ask-password go with any. */
enum {
        OPT_TYPE = 1u << 0,
        OPT_HOOK = 1u << 1,
        OPT_PRIORITY = 1u << 2,
        OPT_POLICY = 1u << 3,
        OPT_DEVICE = 1u << 4,
        OPT_COMMENT = 1u << 5,
        OPT_INDEX = 1u << 6,
        OPT_AFTER = 1u << 7,
        OPT_BEFORE = 1u << 8,
        OPT_FLAGS = 1u << 9,
        OPT_TIMEOUT = 1u << 10,
        OPT_SIZE = 1u << 11,
        OPT_CHECK = 1u << 12,
        OPT_FAMILY = 1u << 13,
        OPT_TABLE = 1u << 14,
        OPT_FORMAT = 1u << 15,
        OPT_FILE = 1u << 16,
        OPT_REPLACE = 1u << 17,
        OPT_DETAILS = 1u << 18,
        OPT_PERMANENT = 1u << 19,
};

typedef struct VerbOption {
        uint32_t bit;
        const char *name;     /* the long name, without "--" */
        char short_name;      /* 0 when none */
        const char *argument; /* NULL for a flag */
        const char *help;
} VerbOption;

/* every option above, in the order help lists them; ends with a zero entry */
extern const VerbOption verb_options[];

typedef struct Verb {
        const char *name;
        const char *sub;        /* the sub-verb of a group ("get" of "sysctl"), or NULL */
        int min_args, max_args; /* after the name and sub-verb; max -1: no limit (rule text) */
        const char *arguments;  /* "FAMILY TABLE NAME" */
        const char *help;       /* what it does, one or two short lines ('\n' between) */
        uint32_t options;       /* OPT_* it takes */
        /* args: the arguments after the name, the sub-verb first for a group */
        int (*run)(sd_bus *bus, char **args, int n);
        /* what it prints with --json: "{path}" an object of those keys, "[...]" an array of them, "..." more keys
         * than those named, "A | B" one or the other, "{}" a change without a result (tests/integration/
         * json-shape.py reads it) */
        const char *json;
} Verb;

/* The verb argv names (argv[0] its name; for a group, the sub-verb is the first word after it that is
 * not an option), or NULL; *ret_group is set when argv[0] names a group and the sub-verb is missing or
 * unknown. */
const Verb *verb_find(const Verb *verbs, size_t n, char **argv, int argc, bool *ret_group);

/* The verb name (group NULL), or the sub-verb of group, that word most likely mistypes ("add-servce":
 * "add-service"), or NULL when none is that near. */
const char *verb_nearest(const Verb *verbs, size_t n, const char *group, const char *word);

/* 0 when v takes every option in given (OPT_* bits); else -EINVAL with *ret_why saying which it does
 * not take (malloc'd). */
int verb_check_options(const Verb *v, uint32_t given, char **ret_why);

/* 0 when argc (after the name and sub-verb) fits v; else -EINVAL. */
int verb_check_arguments(const Verb *v, int argc);

/* "add-table FAMILY NAME", "sysctl get NAME", with v's options: "add-chain [--hook H] ..." */
void verb_usage(FILE *f, const Verb *v);

/* The help of one verb: usage, what it does, its options. */
void verb_help(FILE *f, const Verb *v);

/* The list of verbs for the program's help, one (or two) lines each. */
void verbs_list(FILE *f, const Verb *verbs, size_t n);

/* ---- completion ---- */

typedef enum CompleteKind {
        COMPLETE_NOTHING,  /* an option's argument, or free text: the shell's own (files) */
        COMPLETE_VERBS,    /* the commands */
        COMPLETE_SUBS,     /* the sub-verbs of group */
        COMPLETE_OPTIONS,  /* the options of verb (any command's, when verb is NULL) */
        COMPLETE_ARGUMENT, /* argument number index of verb, named token ("FAMILY", "on|off") */
} CompleteKind;

typedef struct CompleteSlot {
        CompleteKind kind;
        const char *group;
        const Verb *verb;
        char token[64];
        int index;
        char **args; /* the arguments before it (pointers into the words) */
        int n_args;
} CompleteSlot;

/* What the last of words (the command line after "nftbusctl"; the last word is the one being completed,
 * "" for a new one) can be. args is allocated (free()); 0, or -ENOMEM. */
int verb_complete_slot(const Verb *verbs, size_t n, char **words, int n_words, CompleteSlot *ret);
