/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
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
        { OPT_TIMEOUT, "timeout", 0, "SECONDS", "How long elements stay" },
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
