/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl status, and the table and chain verbs. */

#include <jansson.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "columns.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"
#include "nftbusctl.h"

static int get_string_property(sd_bus *bus, const char *property, char **ret, sd_bus_error *error)
{
        return sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, property, error,
                                          ret);
}

/* Whether firewalld's table is in the kernel: firewalld filters beside nftbus */
static int firewalld_beside(sd_bus *bus, bool *ret, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *family, *name, *path;
        int r;

        *ret = false;
        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListTables", error,
                               &reply, NULL);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(sso)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(sso)", &family, &name, &path)) > 0)
                if (streq(family, "inet") && streq(name, "firewalld"))
                        *ret = true;
        return r;
}

static void print_lines(const char *indent, char *text)
{
        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                printf("%s%s\n", indent, line);
        }
}

/* The service, and what is in force as firewall-cmd --state and systemctl status would tell it: the zones
 * ("failed": what is in force is not all the configuration asks for, with the reasons, one a line), the
 * default zone, panic, the active zones, firewalld's API, the restore at start. Exit status 1 when what is in
 * force is not what the configuration asks (zones failed, a restore refused, firewalld's API asked for and
 * not served). */
int cmd_status(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *version = NULL, *backend = NULL, *zones = NULL, *zones_error = NULL, *default_zone = NULL,
                            *firewalld = NULL, *restore_error = NULL;
        _cleanup_(json_decrefp) json_t *active = json_array();
        const struct {
                const char *name;
                char **value;
        } strings[] = {
                { "Version", &version },
                { "BackendVersion", &backend },
                { "ZonesState", &zones },
                { "ZonesError", &zones_error },
                { "DefaultZone", &default_zone },
                { "FirewallDAPI", &firewalld },
                { "RestoreError", &restore_error },
        };
        int panic = 0, r = 0;
        bool beside = false;

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(strings); i++)
                r = get_string_property(bus, strings[i].name, strings[i].value, &error);
        if (r >= 0)
                r = sd_bus_get_property_trivial(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Panic",
                                                &error, 'b', &panic);
        if (r >= 0)
                r = active ? zones_active(bus, active, &error) : -ENOMEM;
        if (r >= 0)
                r = firewalld_beside(bus, &beside, &error);
        if (r < 0)
                return call_failed("read the service's status", &error, r);
        bool amiss = streq(zones, "failed") || *restore_error || startswith(firewalld, "refused") ||
                     startswith(firewalld, "queued") || beside;

        if (arg_json) {
                _cleanup_(json_decrefp) json_t *j = json_pack(
                        "{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:b, s:O}, s:s, s:s, s:b}", "service", NFTBUS_BUS_NAME,
                        "version", version, "backend_version", backend, "zones", "state", zones, "default_zone",
                        default_zone, "error", zones_error, "panic", panic, "active", active, "firewalld_api",
                        firewalld, "restore_error", restore_error, "firewalld_beside", beside);
                if (!j || print_json(j) != EXIT_OK)
                        return EXIT_FAILED;
                return amiss ? EXIT_FAILED : EXIT_OK;
        }
        printf("Service: %s\nVersion: %s\nBackend: libnftables %s\nZones: %s", NFTBUS_BUS_NAME, version, backend,
               zones);
        if (!streq(zones, "off"))
                printf(" (default zone %s)", default_zone);
        putchar('\n');
        print_lines("  ", zones_error);
        if (panic)
                printf("Panic: on (everything in and out is dropped)\n");
        if (json_array_size(active) > 0)
                printf("Active zones:\n");
        zones_active_print(active);
        printf("firewalld's API: %s\n", firewalld);
        if (beside)
                printf("firewalld: running beside nftbus (table inet firewalld): a packet must pass both; run one of "
                       "them\n");
        if (*restore_error) {
                printf("Restore at start: refused\n");
                print_lines("  ", restore_error);
        }
        return amiss ? EXIT_FAILED : EXIT_OK;
}

int cmd_list_tables(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_(columns_freep) Columns *table = columns_new((const Column[]){ { "FAMILY", 8 }, { "NAME" } }, 2);
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *family, *name, *path;
        int r;

        r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListTables", "list tables", &reply, NULL);
        if (r != EXIT_OK)
                return r;

        r = sd_bus_message_enter_container(reply, 'a', "(sso)");
        if (r < 0)
                return call_failed("read the tables", NULL, r);
        while ((r = sd_bus_message_read(reply, "(sso)", &family, &name, &path)) > 0) {
                if (arg_json)
                        json_array_append_new(
                                list, json_pack("{s:s, s:s, s:s}", "family", family, "name", name, "path", path));
                else if (columns_add(table, (const char *const[]){ family, name }) < 0)
                        return EXIT_FAILED;
        }
        if (r < 0)
                return call_failed("read the tables", NULL, r);
        if (arg_json)
                return print_json(list);
        columns_print(table, stdout);
        return EXIT_OK;
}

int cmd_add_table(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "AddTable", "add the table", &reply, "ssa{sv}",
                        args[0], args[1], 0);
        if (r != EXIT_OK)
                return r;
        return print_made(reply);
}

static int table_method(sd_bus *bus, char **args, const char *method, const char *what)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *path = NULL;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        r = table_path(args[0], args[1], &path);
        if (r < 0)
                return call_failed(what, &error, r);

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, NFTBUS_TABLE_INTERFACE, method, &error, NULL, NULL);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to %s: no table %s %s (%s)\n", what, args[0], args[1],
                                NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed(what, &error, r);
        }
        return EXIT_OK;
}

int cmd_delete_table(sd_bus *bus, char **args, int n _unused_)
{
        return table_method(bus, args, "Delete", "delete the table");
}

int cmd_flush_table(sd_bus *bus, char **args, int n _unused_)
{
        return table_method(bus, args, "Flush", "flush the table");
}

/* FAMILY TABLE CHAIN TYPE HOOK PRIORITY POLICY; a regular chain has "-" for what only base chains have */
static int chain_row(Columns *table, json_t *o)
{
        bool base = *json_str(o, "hook") != '\0';
        char priority[16] = "-";

        if (base)
                snprintf(priority, sizeof(priority), "%" JSON_INTEGER_FORMAT,
                         json_integer_value(json_object_get(o, "priority")));
        return columns_add(table,
                           (const char *const[]){ json_str(o, "family"), json_str(o, "table"), json_str(o, "name"),
                                                  base ? json_str(o, "type") : "-", base ? json_str(o, "hook") : "-",
                                                  priority, base ? json_str(o, "policy") : "-" });
}

static const Column chain_columns[] = { { "FAMILY", 8 }, { "TABLE", 16 },         { "CHAIN", 20 }, { "TYPE", 7 },
                                        { "HOOK", 12 },  { "PRIORITY", 9, true }, { "POLICY" } };

int cmd_list_chains(sd_bus *bus, char **args, int n)
{
        return list_objects(bus, args, n, (const char *const[]){ NFTBUS_CHAIN_INTERFACE, NULL }, "list chains",
                            &(const ObjectTable){ chain_columns, ELEMENTSOF(chain_columns), chain_row });
}

int cmd_add_chain(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_free_ char *path = NULL;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        r = table_path(args[0], args[1], &path);
        if (r >= 0)
                r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, NFTBUS_TABLE_INTERFACE, "AddChain");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", args[2]);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0)
                r = append_string_options(m, (const char *const[]){ "type", arg_type, "hook", arg_hook, "priority",
                                                                    arg_priority, "policy", arg_policy, "comment",
                                                                    arg_comment, NULL });
        if (r >= 0 && arg_n_devices > 0)
                r = append_strv_option(m, "devices", arg_devices);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return add_failed("add the chain", args, &error, r);
        return print_made(reply);
}

int cmd_delete_chain(sd_bus *bus, char **args, int n _unused_)
{
        return node_call(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "Delete", "delete the chain", NULL, NULL);
}
