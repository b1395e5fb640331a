/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The places where nftbus meets nft's own text syntax: checking a rule body a caller sends, so that it
 * can only ever become exactly one rule in the chain it is added to, and reading rules back from nft's
 * listing. Pure. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

/* Longer rule bodies are refused; a few hundred bytes is typical. */
#define RULE_TEXT_MAX 16384

/* Checks a rule body ("tcp dport { 22, 443 } accept"). Refused, with a sentence in *ret_why: anything
 * that ends or leaves the rule or the command (';', newlines and other control characters, '#'
 * comments, unbalanced braces, brackets or quotes), variables and file access ('$', include, define,
 * redefine, undefine), a placement of its own (position, index, handle at the start: those are options),
 * characters nft does not use outside quoted strings, and an empty body. */
int rule_body_check(const char *body, char **ret_why);

/* The sets (and maps) a rule writes into from the packet path: "add|update|delete @NAME { ... }", the
 * older "set add|update|delete EXPR @NAME", and "meter NAME", in nft syntax; set, map and meter
 * statements in libnftables JSON. *ret is NULL-terminated, each name once, in order. It may say more
 * than the rule writes (a name here costs the caller one more authorisation), never less. The body must
 * have passed rule_body_check(). Returns the count, or -ENOMEM. */
#define RULE_WRITTEN_SETS_MAX 16
int rule_written_sets(const char *body, char ***ret);
int rule_json_written_sets(const json_t *statements, char ***ret);

/* "create chain FAMILY TABLE NAME { type T hook H devices = { "d" } priority N; policy P; comment "C"; }"
 * for what libnftables' JSON input cannot carry (a chain's comment, several devices). Every value must
 * have been validated: names as identifiers, devices as interface names, the comment without quotes or
 * backslashes; hook NULL for a regular chain. Returns 0 or -ENOMEM. */
int chain_command_text(const char *family, const char *table, const char *name, const char *type, const char *hook,
                       char *const *devices, int32_t priority, const char *policy, const char *comment, char **ret);

/* Where AddRule puts a rule: appended (or inserted at the start), at an index, or next to a handle. */
typedef struct RulePlace {
        bool insert; /* "insert": before, rather than after */
        bool has_index;
        uint32_t index;
        uint64_t handle; /* 0: none */
} RulePlace;

/* "add|insert rule FAMILY TABLE CHAIN [index N | position H] BODY [comment "C"]" for AddRule, and
 * "replace rule FAMILY TABLE CHAIN handle H BODY" for ReplaceRule. Every piece must have been checked: the
 * names validated, the body by rule_body_check(), the comment by validate_comment() (no quotes, no
 * backslashes). 0 or -ENOMEM. */
int rule_add_text(const char *family, const char *table, const char *chain, const RulePlace *place, const char *body,
                  const char *comment, char **ret);
int rule_replace_text(const char *family, const char *table, const char *chain, uint64_t handle, const char *body,
                      char **ret);

/* Checks a whole batch in nft syntax, as Manager.Apply takes it: refused, with a sentence naming the line,
 * are what reaches outside the batch or beyond its text: include (files), define, redefine and undefine,
 * '$' variables, control characters other than tab and newline, and text that is not UTF-8. Quoted
 * strings and '#' comments are passed over. */
int batch_text_check(const char *text, char **ret_why);

/* The tables a batch in nft syntax declares at its top level ("table FAMILY NAME {", "add table ...",
 * "create table ...", the family ip when left out), each once, in order, as "FAMILY NAME" strings in *ret
 * (NULL-terminated; NULL when none). -EINVAL with a sentence naming the line when a declared table's family
 * or name is not one nftbus can name; -ENOMEM. Manager.Apply's option replace deletes these tables first,
 * in the same transaction. */
int batch_text_tables(const char *text, char ***ret, char **ret_why);

/* The tables of a JSON batch's commands that add or create one ({"table": {...}}, {"add": {"table":
 * ...}}, {"create": {"table": ...}}), as batch_text_tables() gives them. */
int batch_json_tables(const json_t *root, char ***ret, char **ret_why);

/* The batch text (JSON when json), with the tables it declares made anew: for each, "add table" and
 * "delete table" come first, in the same transaction (Manager.Apply's option replace: a backup restored over
 * a live ruleset gives exactly the backup's tables, not their rules twice). In nft syntax they go on the first
 * line, so that nft's line numbers stay the caller's; in JSON they are commands at the head, *ret_prepended
 * of them. -EINVAL with a sentence (a declared table nftbus cannot name, JSON that does not parse); -ENOMEM. */
int batch_replacing(const char *text, bool json, char **ret_text, size_t *ret_prepended, char **ret_why);

/* Removes the " # handle N" that ends lines of nft's listing, in place: an export does not carry the
 * kernel's handles, which a restore cannot keep anyway. */
void listing_strip_handles(char *text);

typedef struct RuleEntry {
        uint64_t handle;
        char *text;    /* as nft prints it, without the comment and the handle */
        char *comment; /* NULL when the rule has none */
} RuleEntry;

void rule_entries_free(RuleEntry *entries, size_t n);

/* Reads the rules out of nft's text listing of one chain, printed with handles: every line inside the
 * chain ending in "# handle N". Returns 0, or -ENOMEM. */
int rule_listing_parse(const char *listing, RuleEntry **ret_entries, size_t *ret_n);

/* "create set|map FAMILY TABLE NAME { type K [: V]; flags F; timeout Ns; gc-interval Ns; size N; policy P;
 * counter; auto-merge; comment "C"; }" for what libnftables' JSON input drops (a set's comment and
 * auto-merge). Every value must have been validated as for AddSet; zero and NULL leave a part out. */
int set_command_text(const char *family, const char *table, const char *name, bool map, const char *key_type,
                     const char *value_type, const char *flags, uint64_t timeout, uint32_t gc_interval, uint32_t size,
                     const char *policy, bool counter, bool auto_merge, const char *comment, char **ret);
