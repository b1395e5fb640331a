/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl --complete WORD...: the words that may take the place of the last one (the shell's completion,
 * shell/ and zsh/ call it), one per line. What kind of word goes there is the verb table's (verbs.c:
 * verb_complete_slot()); the names are asked live from the service: tables, chains, sets, zones,
 * services, presets, sysctls. Quiet: a service that does not answer gives no names. */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/objpath.h"
#include "common/util.h"
#include "complete.h"
#include "nftbusctl.h"

static void offer(const char *word, const char *prefix)
{
        if (word && startswith(word, prefix))
                puts(word);
}

static void offer_words(const char *words, const char *separators, const char *prefix)
{
        _cleanup_free_ char *copy = strdup(words);
        char *save = NULL;

        for (char *w = copy ? strtok_r(copy, separators, &save) : NULL; w; w = strtok_r(NULL, separators, &save))
                offer(w, prefix);
}

static sd_bus *bus_of(sd_bus **bus)
{
        if (!*bus && sd_bus_open_system(bus) < 0)
                *bus = NULL;
        return *bus;
}

static void offer_tables(sd_bus **bus, const char *family, const char *prefix)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *f, *name, *path;

        if (!bus_of(bus) ||
            sd_bus_call_method(*bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListTables", NULL,
                               &reply, NULL) < 0 ||
            sd_bus_message_enter_container(reply, 'a', "(sso)") < 0)
                return;
        while (sd_bus_message_read(reply, "(sso)", &f, &name, &path) > 0)
                if (streq(f, family))
                        offer(name, prefix);
}

/* the names of a table's chains, or sets and maps */
static void offer_objects(sd_bus **bus, const char *const *interfaces, const char *family, const char *table,
                          const char *prefix)
{
        _cleanup_(json_decrefp) json_t *list = NULL;
        json_t *o;
        size_t i;

        if (!bus_of(bus) || managed_objects(*bus, interfaces, family, table, &list, NULL) < 0)
                return;
        json_array_foreach (list, i, o)
                offer(json_string_value(json_object_get(o, "name")), prefix);
}

/* a Manager method's list of names: as (ListServices) or a(so) (ListZones) */
static void offer_listed(sd_bus **bus, const char *path, const char *interface, const char *method, const char *type,
                         const char *prefix)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *name, *other;

        if (!bus_of(bus) ||
            sd_bus_call_method(*bus, NFTBUS_BUS_NAME, path, interface, method, NULL, &reply, NULL) < 0 ||
            sd_bus_message_enter_container(reply, 'a', type) < 0)
                return;
        if (streq(type, "s"))
                while (sd_bus_message_read(reply, "s", &name) > 0)
                        offer(name, prefix);
        else
                while (sd_bus_message_read(reply, type, &name, &other) > 0)
                        offer(name, prefix);
}

/* the presets: the child nodes of .../preset, as its introspection lists them */
static void offer_presets(sd_bus **bus, const char *prefix)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *xml, *p;

        if (!bus_of(bus) ||
            sd_bus_call_method(*bus, NFTBUS_BUS_NAME, NFTBUS_PATH "/preset", "org.freedesktop.DBus.Introspectable",
                               "Introspect", NULL, &reply, NULL) < 0 ||
            sd_bus_message_read(reply, "s", &xml) < 0)
                return;
        for (p = xml; (p = strstr(p, "<node name=\"")); p++) {
                const char *start = p + strlen("<node name=\""), *end = strchr(start, '"');
                _cleanup_free_ char *name = end ? strndup(start, (size_t) (end - start)) : NULL;
                offer(name, prefix);
        }
}

static void offer_interfaces(const char *prefix)
{
        DIR *d = opendir("/sys/class/net");
        struct dirent *e;

        if (!d)
                return;
        while ((e = readdir(d)))
                if (e->d_name[0] != '.')
                        offer(e->d_name, prefix);
        closedir(d);
}

static void offer_argument(sd_bus **bus, const CompleteSlot *s, const char *prefix)
{
        const char *t = s->token, *verb = s->verb->name;
        static const char *const chains[] = { NFTBUS_CHAIN_INTERFACE, NULL };
        static const char *const sets[] = { NFTBUS_SET_INTERFACE, NFTBUS_MAP_INTERFACE, NULL };
        bool after_table = s->index >= 2;

        if (strchr(t, '|'))
                offer_words(t, "|", prefix);
        else if (streq(t, "FAMILY"))
                offer_words("ip ip6 inet arp bridge netdev", " ", prefix);
        else if (streq(t, "TABLE") || (streq(t, "NAME") && s->index == 1 && strstr(verb, "-table")))
                offer_tables(bus, s->args[s->index - 1], prefix);
        else if (after_table && (streq(t, "CHAIN") || (streq(t, "NAME") && streq(verb, "delete-chain"))))
                offer_objects(bus, chains, s->args[s->index - 2], s->args[s->index - 1], prefix);
        else if (after_table && (streq(t, "SET") || (streq(t, "NAME") && streq(verb, "delete-set"))))
                offer_objects(bus, sets, s->args[s->index - 2], s->args[s->index - 1], prefix);
        else if (streq(t, "ZONE"))
                offer_listed(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListZones", "(so)", prefix);
        else if (streq(t, "SERVICE"))
                offer_listed(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListServices", "s", prefix);
        else if (streq(t, "NAME") && streq(verb, "sysctl"))
                offer_listed(bus, NFTBUS_SYSCTL_PATH, NFTBUS_SYSCTL_INTERFACE, "List", "(ss)", prefix);
        else if (streq(t, "NAME") && streq(verb, "preset"))
                offer_presets(bus, prefix);
        else if (streq(t, "INTERFACE") || streq(t, "OUT_INTERFACE"))
                offer_interfaces(prefix);
        else if (streq(t, "TARGET"))
                offer_words("default accept reject drop", " ", prefix);
}

int complete_words(const Verb *verbs, size_t n, char **words, int n_words)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *prefix = n_words > 0 ? words[n_words - 1] : "";
        CompleteSlot s;

        if (verb_complete_slot(verbs, n, words, n_words, &s) < 0)
                return EXIT_FAILED;
        switch (s.kind) {
        case COMPLETE_VERBS:
                for (size_t i = 0; i < n; i++)
                        if (i == 0 || !streq(verbs[i].name, verbs[i - 1].name))
                                offer(verbs[i].name, prefix);
                break;
        case COMPLETE_SUBS:
                for (size_t i = 0; i < n; i++)
                        if (verbs[i].sub && streq(verbs[i].name, s.group))
                                offer(verbs[i].sub, prefix);
                break;
        case COMPLETE_OPTIONS:
                offer_words("--help --json --no-ask-password", " ", prefix);
                for (const VerbOption *o = verb_options; s.verb && o->name; o++)
                        if (s.verb->options & o->bit) {
                                char option[64];
                                snprintf(option, sizeof(option), "--%s", o->name);
                                offer(option, prefix);
                        }
                break;
        case COMPLETE_ARGUMENT:
                offer_argument(&bus, &s, prefix);
                break;
        default:
                break;
        }
        free(s.args);
        return EXIT_OK;
}
