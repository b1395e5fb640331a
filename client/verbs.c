/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "verbs.h"

const VerbOption verb_options[] = {
        { OPT_HOOK, "hook", 0, "HOOK", "Make a base chain on this hook (input, forward, ...)" },
        { OPT_TYPE, "type", 0, "TYPE", "The base chain's type: filter, nat, route" },
        { OPT_PRIORITY, "priority", 0, "PRIO", "The base chain's priority: a number or filter, srcnat, ... + N" },
        { OPT_POLICY, "policy", 0, "POLICY", "The base chain's policy: accept or drop" },
        { OPT_DEVICE, "device", 0, "DEV", "A device of an ingress or netdev chain (repeatable)" },
        { OPT_COMMENT, "comment", 0, "TEXT", "A comment" },
        { OPT_INDEX, "index", 0, "N", "Put the rule at position N of the chain" },
        { OPT_AFTER, "after", 0, "HANDLE", "Put the rule after the rule HANDLE" },
        { OPT_BEFORE, "before", 0, "HANDLE", "Put the rule before the rule HANDLE" },
        { OPT_FLAGS, "flags", 0, "F,F", "Set flags: constant, interval, timeout, dynamic" },
        { OPT_TIMEOUT, "timeout", 0, "SECONDS", "How long elements, or a zone's runtime addition, stay" },
        { OPT_SIZE, "size", 0, "N", "The set's size" },
        { OPT_FILE, "file", 'f', "FILE", "Read from FILE (- for standard input)" },
        { OPT_CHECK, "check", 0, NULL, "Have the kernel check the batch, and change nothing" },
        { OPT_REPLACE, "replace", 0, NULL, "Make the tables the batch declares anew (restore a backup)" },
        { OPT_DETAILS, "details", 0, NULL, "With what the kernel keeps: expiry, timeout, counters, comment" },
        { OPT_PERMANENT, "permanent", 0, NULL,
          "Change the permanent configuration (/etc/nftbus), not the running one" },
        { OPT_FAMILY, "family", 0, "FAMILY", "Only this family" },
        { OPT_TABLE, "table", 0, "NAME", "Only this table (with --family)" },
        { OPT_FORMAT, "format", 0, "nft|json", "The batch's format" },
        {},
};

const Verb *verb_find(const Verb *verbs, size_t n, char **argv, int argc, bool *ret_group)
{
        const char *sub = NULL;
        bool group = false;

        if (ret_group)
                *ret_group = false;
        if (argc < 1)
                return NULL;
        /* a group's sub-verb is its first word that is not an option (a group's options are flags) */
        for (int k = 1; k < argc && !sub; k++)
                if (argv[k][0] != '-')
                        sub = argv[k];
        for (size_t i = 0; i < n; i++) {
                if (!streq(verbs[i].name, argv[0]))
                        continue;
                if (!verbs[i].sub)
                        return &verbs[i];
                group = true;
                if (sub && streq(verbs[i].sub, sub))
                        return &verbs[i];
        }
        if (ret_group)
                *ret_group = group;
        return NULL;
}

/* Levenshtein's distance between a and b, counted up to a limit (names are short) */
static size_t edit_distance(const char *a, const char *b)
{
        size_t n = strlen(a), m = strlen(b), row[65], prev, t;

        if (n > 64 || m > 64)
                return SIZE_MAX;
        for (size_t j = 0; j <= m; j++)
                row[j] = j;
        for (size_t i = 1; i <= n; i++) {
                prev = row[0];
                row[0] = i;
                for (size_t j = 1; j <= m; j++) {
                        t = row[j];
                        size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
                        size_t replace = prev + (a[i - 1] != b[j - 1]);
                        row[j] = best < replace ? best : replace;
                        prev = t;
                }
        }
        return row[m];
}

const char *verb_nearest(const Verb *verbs, size_t n, const char *group, const char *word)
{
        const char *best = NULL;
        size_t best_distance = SIZE_MAX;

        for (size_t i = 0; word && i < n; i++) {
                const char *name = group ? verbs[i].sub : verbs[i].name;
                if (!name || (group && !streq(verbs[i].name, group)))
                        continue;
                size_t d = edit_distance(word, name);
                if (d < best_distance) {
                        best_distance = d;
                        best = name;
                }
        }
        /* a typo: at most two edits, and fewer than half the word */
        return best && best_distance <= 2 && best_distance * 2 < strlen(word) ? best : NULL;
}

int verb_check_options(const Verb *v, uint32_t given, char **ret_why)
{
        uint32_t extra = given & ~v->options;

        if (!extra)
                return 0;
        for (const VerbOption *o = verb_options; o->name; o++)
                if (extra & o->bit) {
                        if (ret_why && asprintf(ret_why, "--%s does not go with %s%s%s", o->name, v->name,
                                                v->sub ? " " : "", v->sub ? v->sub : "") < 0)
                                *ret_why = NULL;
                        return -EINVAL;
                }
        return -EINVAL;
}

int verb_check_arguments(const Verb *v, int argc)
{
        if (argc < v->min_args || (v->max_args >= 0 && argc > v->max_args))
                return -EINVAL;
        return 0;
}

static void print_name(FILE *f, const Verb *v)
{
        fprintf(f, "%s%s%s", v->name, v->sub ? " " : "", v->sub ? v->sub : "");
}

void verb_usage(FILE *f, const Verb *v)
{
        print_name(f, v);
        for (const VerbOption *o = verb_options; o->name; o++)
                if (v->options & o->bit) {
                        if (o->short_name)
                                fprintf(f, " [-%c %s]", o->short_name, o->argument);
                        else if (o->argument)
                                fprintf(f, " [--%s %s]", o->name, o->argument);
                        else
                                fprintf(f, " [--%s]", o->name);
                }
        if (v->arguments && *v->arguments)
                fprintf(f, " %s", v->arguments);
        fputc('\n', f);
}

void verb_help(FILE *f, const Verb *v)
{
        fputs("nftbusctl ", f);
        verb_usage(f, v);
        fputc('\n', f);
        for (const char *p = v->help; *p;) {
                size_t len = strcspn(p, "\n");
                fprintf(f, "%.*s\n", (int) len, p);
                p += len + (p[len] == '\n');
        }
        if (v->json)
                fprintf(f, "\nJSON: %s\n", v->json);
        if (v->options) {
                fputs("\nOptions:\n", f);
                for (const VerbOption *o = verb_options; o->name; o++) {
                        char left[64];
                        if (!(v->options & o->bit))
                                continue;
                        if (o->short_name)
                                snprintf(left, sizeof(left), "-%c --%s %s", o->short_name, o->name, o->argument);
                        else
                                snprintf(left, sizeof(left), "   --%s%s%s", o->name, o->argument ? " " : "",
                                         o->argument ? o->argument : "");
                        fprintf(f, "  %-26s %s\n", left, o->help);
                }
        }
}

void verbs_list(FILE *f, const Verb *verbs, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const Verb *v = &verbs[i];
                char left[128];
                const char *help = v->help;
                size_t len = strcspn(help, "\n");

                snprintf(left, sizeof(left), "%s%s%s%s%s", v->name, v->sub ? " " : "", v->sub ? v->sub : "",
                         v->arguments && *v->arguments ? " " : "", v->arguments ? v->arguments : "");
                /* a long usage goes on a line of its own, the help under it */
                if (strlen(left) > 34)
                        fprintf(f, "  %s\n  %-34s  %.*s\n", left, "", (int) len, help);
                else
                        fprintf(f, "  %-34s  %.*s\n", left, (int) len, help);
                for (help += len; *help == '\n';) {
                        help++;
                        len = strcspn(help, "\n");
                        fprintf(f, "  %-34s  %.*s\n", "", (int) len, help);
                        help += len;
                }
        }
}

static const VerbOption *option_named(const char *word)
{
        for (const VerbOption *o = verb_options; o->name; o++)
                if ((word[1] == '-' && streq(word + 2, o->name)) ||
                    (word[1] != '-' && o->short_name && word[1] == o->short_name && !word[2]))
                        return o;
        return NULL;
}

/* the n-th word of a verb's arguments ("FAMILY TABLE [NAME]..."), brackets and dots off; the last one
 * again past the end when it repeats */
static bool argument_token(const char *arguments, int index, char *buf, size_t size)
{
        const char *p = arguments, *last = NULL;
        size_t last_len = 0;
        bool found = false;
        int k = 0;

        while (*p && !found) {
                size_t len = strcspn(p, " ");
                if (len > 0) {
                        found = k == index;
                        last = p, last_len = len, k++;
                }
                p += len + (p[len] == ' ');
        }
        if (!last || (!found && !memmem(last, last_len, "...", 3)))
                return false;
        size_t o = 0;
        for (size_t i = 0; i < last_len && o + 1 < size; i++)
                if (!strchr("[].", last[i]))
                        buf[o++] = last[i];
        buf[o] = '\0';
        return o > 0;
}

int verb_complete_slot(const Verb *verbs, size_t n, char **words, int n_words, CompleteSlot *ret)
{
        const char *name = NULL, *sub = NULL, *current = n_words > 0 ? words[n_words - 1] : "";
        char **args = calloc((size_t) n_words + 1, sizeof(char *));
        const Verb *verb = NULL;
        bool group = false;
        int n_args = 0;

        if (!args)
                return -ENOMEM;
        *ret = (CompleteSlot){ .args = args };
        for (int k = 0; k < n_words - 1; k++) {
                const char *w = words[k];
                if (w[0] == '-' && w[1]) {
                        const VerbOption *o = option_named(w);
                        if (o && o->argument && !strchr(w, '=')) {
                                if (k == n_words - 2)
                                        return 0; /* the current word is this option's argument */
                                k++;
                        }
                        continue;
                }
                if (!name) {
                        name = w;
                        for (size_t i = 0; i < n; i++)
                                if (streq(verbs[i].name, name)) {
                                        group = verbs[i].sub != NULL;
                                        verb = group ? NULL : &verbs[i];
                                }
                } else if (group && !sub) {
                        sub = w;
                        for (size_t i = 0; i < n; i++)
                                if (streq(verbs[i].name, name) && verbs[i].sub && streq(verbs[i].sub, sub))
                                        verb = &verbs[i];
                } else
                        args[n_args++] = (char *) w;
        }
        if (current[0] == '-') {
                ret->kind = COMPLETE_OPTIONS;
                ret->verb = verb;
                return 0;
        }
        if (!name) {
                ret->kind = COMPLETE_VERBS;
                return 0;
        }
        if (group && !sub) {
                ret->kind = COMPLETE_SUBS;
                ret->group = name;
                return 0;
        }
        if (!verb || !argument_token(verb->arguments, n_args, ret->token, sizeof(ret->token)))
                return 0;
        ret->kind = COMPLETE_ARGUMENT;
        ret->verb = verb;
        ret->index = n_args;
        ret->n_args = n_args;
        return 0;
}
