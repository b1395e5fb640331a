/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl ipset ...: org.nftbus.Firewall1.IPSet and the Manager's ipset methods. Every verb takes --permanent
 * (the configuration in /etc/nftbus, not the running one). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busjson.h"
#include "nftbusctl.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"

#define IPSETS_PATH NFTBUS_PATH "/ipset"
#define IPSET_INTERFACE NFTBUS_INTERFACE_PREFIX "IPSet"

/* the settings of an ipset that are no option */
static bool is_setting(const char *key)
{
        return streq(key, "type") || streq(key, "short") || streq(key, "description");
}

/* The settings a{sv} of KEY=VALUE arguments: type, short, description, and the ipset's options (family,
 * timeout, hashsize, maxelem) on top of options ("key=value" items, NULL: none; an empty VALUE removes one). */
static int append_settings(sd_bus_message *m, char **args, int n, const char *type, json_t *options)
{
        _cleanup_(json_decrefp) json_t *merged = options ? json_deep_copy(options) : json_object();
        const char *key;
        json_t *value;
        int r;

        if (!merged)
                return -ENOMEM;
        r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && type)
                r = sd_bus_message_append(m, "{sv}", "Type", "s", type);
        for (int i = 0; r >= 0 && i < n; i++) {
                const char *eq = strchr(args[i], '=');
                _cleanup_free_ char *name = eq ? strndup(args[i], (size_t) (eq - args[i])) : NULL;
                if (!eq || eq == args[i]) {
                        fprintf(stderr,
                                "nftbusctl: '%s' is not SETTING=VALUE (type, short, description, family, "
                                "timeout, hashsize, maxelem)\n",
                                args[i]);
                        return -EINVAL;
                }
                if (!name)
                        return -ENOMEM;
                if (is_setting(name)) {
                        char label[16];
                        snprintf(label, sizeof(label), "%c%s", name[0] - 'a' + 'A', name + 1);
                        r = sd_bus_message_append(m, "{sv}", label, "s", eq + 1);
                } else if (*(eq + 1))
                        r = json_object_set_new(merged, name, json_string(eq + 1)) < 0 ? -ENOMEM : 0;
                else /* KEY=: the option goes */
                        (void) json_object_del(merged, name);
        }
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "Options");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "a{ss}");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{ss}");
        json_object_foreach (merged, key, value)
                if (r >= 0)
                        r = sd_bus_message_append(m, "{ss}", key, json_string_value(value));
        for (int k = 0; r >= 0 && k < 4; k++)
                r = sd_bus_message_close_container(m);
        return r;
}

static int ipset_path(const char *name, char **ret)
{
        return sd_bus_path_encode(IPSETS_PATH, name, ret) < 0 ? -ENOMEM : 0;
}

/* The ipset's settings as JSON, from the running ipset, or with --permanent its file: EXIT_*. */
static int ipset_settings(sd_bus *bus, const char *path, const char *name, json_t **ret)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = arg_permanent ? sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, IPSET_INTERFACE, "GetPermanent", &error,
                                                   &reply, NULL)
                              : sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, "org.freedesktop.DBus.Properties",
                                                   "GetAll", &error, &reply, "s", IPSET_INTERFACE);

        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to read the ipset: no ipset %s (%s)\n", name, NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed("read the ipset", &error, r);
        }
        return bus_read_properties_json(reply, ret) < 0 ? EXIT_FAILED : EXIT_OK;
}

/* ipset list: the ipsets and their types */
static int ipset_list(sd_bus *bus)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *name, *type, *path;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                           "ListIPSets");
        if (r >= 0)
                r = append_permanent_option(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(sso)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(sso)", &name, &type, &path)) > 0) {
                if (arg_json)
                        r = json_array_append_new(list, json_pack("{s:s, s:s}", "name", name, "type", type)) < 0
                                    ? -ENOMEM
                                    : 1;
                else
                        printf("%-33s %s\n", name, type);
        }
        if (r < 0)
                return call_failed("list the ipsets", &error, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

static int ipset_show(sd_bus *bus, const char *path, const char *name)
{
        static const char *const fields[][2] = {
                { "Type", "type" },   { "Options", "options" },         { "Entries", "entry_count" },
                { "Short", "short" }, { "Description", "description" },
        };
        _cleanup_(json_decrefp) json_t *all = NULL;
        int r = ipset_settings(bus, path, name, &all);

        if (r != EXIT_OK)
                return r;
        if (arg_json)
                return print_json(all);
        printf("%s\n", name);
        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                json_t *v = json_object_get(all, fields[i][1]), *value;
                const char *key;
                bool first = true;
                printf("  %-13s", fields[i][0]);
                if (json_is_object(v))
                        json_object_foreach (v, key, value) {
                                printf("%s%s=%s", first ? "" : " ", key, json_string_value(value));
                                first = false;
                        }
                else if (json_is_integer(v))
                        printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
                else
                        printf("%s", strempty(json_string_value(v)));
                putchar('\n');
        }
        return EXIT_OK;
}

/* ipset entries IPSET: one per line */
static int ipset_entries(sd_bus *bus, const char *path)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        const char *entry;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, IPSET_INTERFACE, "GetEntries");
        if (r >= 0)
                r = append_permanent_option(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return call_failed("list the ipset's entries", &error, r);
        if (arg_json)
                return bus_read_json(reply, &list) < 0 ? EXIT_FAILED : print_json(list);
        r = sd_bus_message_enter_container(reply, 'a', "s");
        while (r >= 0 && (r = sd_bus_message_read_basic(reply, 's', &entry)) > 0)
                puts(entry);
        return r < 0 ? call_failed("read the entries", NULL, r) : EXIT_OK;
}

/* ipset query-entry IPSET ENTRY: yes (exit 0) or no (exit 1) */
static int ipset_query(sd_bus *bus, const char *path, const char *entry)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int yes = 0, r;

        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, IPSET_INTERFACE, "HasEntry");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", entry);
        if (r >= 0)
                r = append_permanent_option(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_read(reply, "b", &yes);
        if (r < 0)
                return call_failed("query the entry", &error, r);
        r = print_answer("enabled", json_boolean(yes));
        return r != EXIT_OK ? r : yes ? EXIT_OK : EXIT_FAILED;
}

/* ipset set-entries IPSET -f FILE: its entries, one per line ('#' comments and blank lines skipped) */
static int ipset_set_entries(sd_bus *bus, const char *path)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_free_ char *text = NULL;
        char *line, *save = NULL;
        int r;

        if (!arg_file) {
                fprintf(stderr, "nftbusctl: ipset set-entries reads the entries from -f FILE (- for stdin)\n");
                return EXIT_USAGE;
        }
        if (read_file_text(arg_file, &text) < 0)
                return EXIT_USAGE;
        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, IPSET_INTERFACE, "SetEntries");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "s");
        for (line = strtok_r(text, "\n", &save); r >= 0 && line; line = strtok_r(NULL, "\n", &save)) {
                line += strspn(line, " \t");
                line[strcspn(line, " \t\r#")] = '\0';
                if (*line)
                        r = sd_bus_message_append_basic(m, 's', line);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = append_permanent_option(m);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        return call_built(bus, m, "set the ipset's entries", NULL);
}

/* ipset new IPSET TYPE [SETTING=VALUE...], ipset set IPSET SETTING=VALUE... */
static int ipset_define(sd_bus *bus, char **args, int n, const char *path)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_(json_decrefp) json_t *now = NULL;
        bool new = streq(args[0], "new");
        int r;

        if (!new) { /* the options given go on top of those it has */
                r = ipset_settings(bus, path, args[1], &now);
                if (r != EXIT_OK)
                        return r;
        }
        r = new ? sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                                 "AddIPSet")
                : sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, IPSET_INTERFACE, "Update");
        if (r >= 0 && new)
                r = sd_bus_message_append(m, "s", args[1]);
        if (r >= 0)
                r = new ? append_settings(m, args + 3, n - 3, args[2], NULL)
                        : append_settings(m, args + 2, n - 2, NULL, json_object_get(now, "options"));
        if (r == -EINVAL)
                return EXIT_USAGE;
        if (r >= 0)
                r = append_permanent_option(m);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        return call_built(bus, m, new ? "make the ipset" : "change the ipset", NULL);
}

int cmd_ipset(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_free_ char *path = NULL;
        int r;

        if (streq(args[0], "list"))
                return ipset_list(bus);
        if (ipset_path(args[1], &path) < 0)
                return EXIT_FAILED;
        if (streq(args[0], "show"))
                return ipset_show(bus, path, args[1]);
        if (streq(args[0], "entries"))
                return ipset_entries(bus, path);
        if (streq(args[0], "query-entry"))
                return ipset_query(bus, path, args[2]);
        if (streq(args[0], "add-entry") || streq(args[0], "remove-entry")) {
                bool add = streq(args[0], "add-entry");
                return change_call(bus, path, IPSET_INTERFACE, add ? "AddEntry" : "RemoveEntry",
                                   add ? "add the entry" : "remove the entry", args[2]);
        }
        if (streq(args[0], "set-entries"))
                return ipset_set_entries(bus, path);
        if (streq(args[0], "new") || streq(args[0], "set"))
                return ipset_define(bus, args, n, path);
        /* delete */
        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                           "DeleteIPSet");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", args[1]);
        if (r >= 0)
                r = append_permanent_option(m);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        return call_built(bus, m, "delete the ipset", NULL);
}
