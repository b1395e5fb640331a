/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl zone ..., reload, panic: org.nftbus.Firewall1.Zone and the Manager's zone methods. Every change
 * takes --permanent (the configuration in /etc/nftbus, not the running one). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busjson.h"
#include "nftbusctl.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/ports.h"

#define ZONES_PATH NFTBUS_PATH "/zone"
#define ZONE_INTERFACE NFTBUS_INTERFACE_PREFIX "Zone"

/* the verb's word, the Zone method, and what it does for the error message */
static const struct {
        const char *verb, *method, *what;
} zone_list_verbs[] = {
        { "add-interface", "AddInterface", "add the interface" },
        { "remove-interface", "RemoveInterface", "remove the interface" },
        { "change-interface", "ChangeInterface", "move the interface" },
        { "add-source", "AddSource", "add the source" },
        { "remove-source", "RemoveSource", "remove the source" },
        { "change-source", "ChangeSource", "move the source" },
        { "add-service", "AddService", "add the service" },
        { "remove-service", "RemoveService", "remove the service" },
        { "add-port", "AddPort", "add the port" },
        { "remove-port", "RemovePort", "remove the port" },
        { "add-protocol", "AddProtocol", "add the protocol" },
        { "remove-protocol", "RemoveProtocol", "remove the protocol" },
        { "add-forward-port", "AddForwardPort", "add the port forward" },
        { "remove-forward-port", "RemoveForwardPort", "remove the port forward" },
        { "add-icmp-block", "AddIcmpBlock", "add the ICMP block" },
        { "remove-icmp-block", "RemoveIcmpBlock", "remove the ICMP block" },
        { "add-rich-rule", "AddRichRule", "add the rich rule" },
        { "remove-rich-rule", "RemoveRichRule", "remove the rich rule" },
        { "add-source-port", "AddSourcePort", "add the source port" },
        { "remove-source-port", "RemoveSourcePort", "remove the source port" },
};

int append_permanent_option(sd_bus_message *m)
{
        int r = sd_bus_message_open_container(m, 'a', "{sv}");

        if (r >= 0 && arg_permanent)
                r = sd_bus_message_append(m, "{sv}", "permanent", "b", 1);
        if (r >= 0 && arg_has_timeout) /* a runtime addition that lasts --timeout seconds (the verbs that take it) */
                r = sd_bus_message_append(m, "{sv}", "timeout", "u", (uint32_t) arg_timeout);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* a call with its argument ("s" or "b") and options {permanent} */
static int zone_call(sd_bus *bus, const char *path, const char *interface, const char *method, const char *what,
                     char type, const void *value)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, interface, method);
        if (r >= 0 && type == 's')
                r = sd_bus_message_append(m, "s", (const char *) value);
        else if (r >= 0 && type == 'b')
                r = sd_bus_message_append(m, "b", *(const int *) value);
        if (r >= 0)
                r = append_permanent_option(m);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        return call_built(bus, m, what, NULL);
}

int change_call(sd_bus *bus, const char *path, const char *interface, const char *method, const char *what,
                const char *value)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, interface, method);
        if (r >= 0)
                r = sd_bus_message_append(m, "s", value);
        if (r >= 0)
                r = append_permanent_option(m);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        r = sd_bus_call(bus, m, 0, &error, NULL);
        if (r >= 0)
                return EXIT_OK;
        if (sd_bus_error_has_name(&error, NFTBUS_ERROR_ALREADY_EXISTS)) {
                fprintf(stderr, "Warning: ALREADY_ENABLED: %s\n", strempty(error.message));
                return EXIT_OK;
        }
        /* "Zone public does not have http", "'192.0.2.1' not in 'web'"; "No zone 'x'" is a failure */
        if (sd_bus_error_has_name(&error, NFTBUS_ERROR_NOT_FOUND) && !startswith(strempty(error.message), "No ")) {
                fprintf(stderr, "Warning: NOT_ENABLED: %s\n", strempty(error.message));
                return EXIT_OK;
        }
        return call_failed(what, &error, r);
}

static int zone_path(const char *name, char **ret)
{
        return sd_bus_path_encode(ZONES_PATH, name, ret) < 0 ? -ENOMEM : 0;
}

/* Whether the zone at path has a permanent configuration (its file): GetPermanent answers */
static int zone_is_permanent(sd_bus *bus, const char *path, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, ZONE_INTERFACE, "GetPermanent", error, &reply, NULL);

        if (r < 0 && sd_bus_error_has_name(error, NFTBUS_ERROR_NOT_FOUND)) {
                sd_bus_error_free(error);
                return 0;
        }
        return r < 0 ? r : 1;
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int zone_list_add(json_t *list, const char *name, const char *def)
{
        if (arg_json)
                return json_array_append_new(list, json_pack("{s:s, s:b}", "name", name, "default", streq(name, def)));
        printf("%s%s\n", name, streq(name, def) ? " (default)" : "");
        return 0;
}

/* zone list --permanent: the zone objects (the running zones and those only a file has, as the bus's
 * introspection of the zones' path names them) that have a file */
static int zone_list_permanent(sd_bus *bus, json_t *list, const char *def, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **names = NULL;
        const char *xml, *p;
        size_t n = 0;
        int r;

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, ZONES_PATH, "org.freedesktop.DBus.Introspectable", "Introspect",
                               error, &reply, NULL);
        if (r >= 0)
                r = sd_bus_message_read(reply, "s", &xml);
        for (p = xml; r >= 0 && (p = strstr(p, "<node name=\"")); p++) {
                _cleanup_free_ char *path = NULL, *name = NULL;
                const char *start = p + strlen("<node name=\""), *end = strchr(start, '"');
                if (!end || asprintf(&path, "%s/%.*s", ZONES_PATH, (int) (end - start), start) < 0)
                        return -ENOMEM;
                if (sd_bus_path_decode(path, ZONES_PATH, &name) <= 0)
                        continue;
                r = zone_is_permanent(bus, path, error);
                if (r > 0) {
                        char **grown = realloc(names, (n + 2) * sizeof(char *));
                        if (!grown)
                                return -ENOMEM;
                        names = grown;
                        names[n++] = TAKE_PTR(name);
                        names[n] = NULL;
                }
        }
        if (r < 0)
                return r;
        /* by name, as zone list prints the running ones */
        if (n > 0)
                qsort(names, n, sizeof(char *), compare_strings);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = zone_list_add(list, names[i], def);
        return r;
}

/* zone list: the running zones, the default one marked; --permanent: those with a file, the permanent
 * default marked */
static int zone_list(sd_bus *bus)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        _cleanup_free_ char *def = NULL;
        const char *name, *path;
        int r;

        r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                       arg_permanent ? "PermanentDefaultZone" : "DefaultZone", &error, &def);
        if (r >= 0 && arg_permanent)
                r = zone_list_permanent(bus, list, def, &error);
        else if (r >= 0)
                r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListZones",
                                       &error, &reply, NULL);
        if (r >= 0 && !arg_permanent)
                r = sd_bus_message_enter_container(reply, 'a', "(so)");
        while (r >= 0 && !arg_permanent && (r = sd_bus_message_read(reply, "(so)", &name, &path)) > 0)
                r = zone_list_add(list, name, def);
        if (r < 0)
                return call_failed("list the zones", &error, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

static int zone_show(sd_bus *bus, const char *name)
{
        /* the label, and the key in nftbusctl's JSON */
        static const char *const properties[][2] = {
                { "Target", "target" },
                { "Masquerade", "masquerade" },
                { "Forward", "forward" },
                { "IcmpBlockInversion", "icmp_block_inversion" },
                { "Interfaces", "interfaces" },
                { "Sources", "sources" },
                { "Services", "services" },
                { "Ports", "ports" },
                { "Protocols", "protocols" },
                { "ForwardPorts", "forward_ports" },
                { "IcmpBlocks", "icmp_blocks" },
                { "RichRules", "rich_rules" },
                { "SourcePorts", "source_ports" },
                { "Description", "description" },
        };
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *all = NULL;
        _cleanup_free_ char *path = NULL;
        int r;

        if (zone_path(name, &path) < 0)
                return EXIT_FAILED;
        /* --permanent: the zone's file, by the same names */
        r = arg_permanent ? sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, ZONE_INTERFACE, "GetPermanent", &error,
                                               &reply, NULL)
                          : sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll",
                                               &error, &reply, "s", ZONE_INTERFACE);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to show the zone: no zone %s (%s)\n", name, NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed("show the zone", &error, r);
        }
        if (bus_read_properties_json(reply, &all) < 0)
                return EXIT_FAILED;
        if (arg_json)
                return print_json(all);
        printf("%s\n", name);
        for (size_t i = 0; i < ELEMENTSOF(properties); i++) {
                json_t *v = json_object_get(all, properties[i][1]), *item;
                size_t k;
                printf("  %-19s", properties[i][0]);
                if (json_is_array(v))
                        json_array_foreach (v, k, item)
                                printf("%s%s", k ? " " : "", json_string_value(item));
                else if (json_is_boolean(v))
                        printf("%s", json_is_true(v) ? "yes" : "no");
                else
                        printf("%s", strempty(json_string_value(v)));
                putchar('\n');
        }
        return EXIT_OK;
}

static int default_zone(sd_bus *bus, char **ret)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "DefaultZone",
                                           &error, ret);

        return r < 0 ? call_failed("read the default zone", &error, r) : EXIT_OK;
}

int print_answer(const char *key, json_t *value)
{
        _cleanup_(json_decrefp) json_t *o = json_object();

        if (!o || !value || json_object_set_new(o, key, value) < 0)
                return EXIT_FAILED;
        if (arg_json)
                return print_json(o);
        if (json_is_boolean(value))
                puts(json_is_true(value) ? "yes" : "no");
        else
                puts(json_string_value(value));
        return EXIT_OK;
}

/* zone of-interface IF, zone of-source SOURCE: the zone it is in (an interface bound to none is the default
 * zone's); exit 3 when a source is in none */
static int zone_of(sd_bus *bus, bool interface, const char *value)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *name = NULL;
        const char *path;
        int r;

        r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                        interface ? "GetZoneOfInterface" : "GetZoneOfSource",
                        interface ? "find the interface's zone" : "find the source's zone", &reply, "s", value);
        if (r != EXIT_OK)
                return r;
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0 || sd_bus_path_decode(path, ZONES_PATH, &name) <= 0)
                return call_failed("read the zone", NULL, r < 0 ? r : -EBADMSG);
        return print_answer("zone", json_string(name));
}

int zones_active(sd_bus *bus, json_t *list, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *name, *path;
        int r;

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListZones", error, &reply,
                               NULL);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(so)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(so)", &name, &path)) > 0) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *all = NULL;
                _cleanup_(json_decrefp) json_t *props = NULL;
                r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll", error,
                                       &all, "s", ZONE_INTERFACE);
                if (r >= 0)
                        r = bus_read_properties_json(all, &props);
                if (r < 0)
                        return r;
                json_t *interfaces = json_object_get(props, "interfaces"),
                       *sources = json_object_get(props, "sources");
                if (json_array_size(interfaces) == 0 && json_array_size(sources) == 0)
                        continue;
                if (json_array_append_new(list, json_pack("{s:s, s:O, s:O}", "name", name, "interfaces", interfaces,
                                                          "sources", sources)) < 0)
                        return -ENOMEM;
        }
        return r;
}

static void print_words(const char *label, json_t *list)
{
        size_t i;
        json_t *v;

        if (json_array_size(list) == 0)
                return;
        printf("  %s", label);
        json_array_foreach (list, i, v)
                printf(" %s", json_string_value(v));
        putchar('\n');
}

void zones_active_print(json_t *list)
{
        size_t i;
        json_t *z;

        json_array_foreach (list, i, z) {
                printf("%s\n", json_string_value(json_object_get(z, "name")));
                print_words("interfaces:", json_object_get(z, "interfaces"));
                print_words("sources:", json_object_get(z, "sources"));
        }
}

/* zone active: the zones with interfaces or sources, each with them */
static int zone_active(sd_bus *bus)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        int r;

        r = list ? zones_active(bus, list, &error) : -ENOMEM;
        if (r < 0)
                return call_failed("list the active zones", &error, r);
        if (arg_json)
                return print_json(list);
        zones_active_print(list);
        return EXIT_OK;
}

/* the query verb, and the zone property (its key in nftbusctl's JSON) it reads */
static const struct {
        const char *verb, *property;
} zone_queries[] = {
        { "query-interface", "interfaces" },     { "query-source", "sources" },
        { "query-service", "services" },         { "query-port", "ports" },
        { "query-protocol", "protocols" },       { "query-forward-port", "forward_ports" },
        { "query-icmp-block", "icmp_blocks" },   { "query-masquerade", "masquerade" },
        { "query-forward", "forward" },          { "query-icmp-block-inversion", "icmp_block_inversion" },
        { "query-source-port", "source_ports" },
};

/* zone query-X ZONE [VALUE]: yes (exit 0) or no (exit 1), as firewall-cmd's --query-X */
static int zone_query(sd_bus *bus, const char *verb, const char *path, const char *name, const char *value)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *all = NULL;
        _cleanup_(json_decrefp) json_t *props = NULL;
        const char *property = NULL;
        bool yes = false;
        size_t i;
        json_t *v;
        int r;

        for (i = 0; i < ELEMENTSOF(zone_queries); i++)
                if (streq(zone_queries[i].verb, verb))
                        property = zone_queries[i].property;
        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll", &error, &all,
                               "s", ZONE_INTERFACE);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to read the zone: no zone %s (%s)\n", name, NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed("read the zone", &error, r);
        }
        if (bus_read_properties_json(all, &props) < 0 || !property)
                return EXIT_FAILED;
        v = json_object_get(props, property);
        if (json_is_boolean(v))
                yes = json_is_true(v);
        else if (IN_SET_STR(verb, "query-port", "query-source-port")) { /* inside a range too, as firewall-cmd's */
                PortRange want, have;
                json_t *item;
                if (port_range_parse(value, &want) < 0) {
                        fprintf(stderr,
                                "nftbusctl: invalid port '%s': PORT/PROTOCOL or FROM-TO/PROTOCOL, each port "
                                "0 to 65535 or a name of /etc/services\n",
                                value);
                        return EXIT_USAGE;
                }
                json_array_foreach (v, i, item)
                        if (port_range_parse(json_string_value(item), &have) >= 0 && port_range_covers(&have, &want))
                                yes = true;
        } else {
                json_t *item;
                json_array_foreach (v, i, item)
                        if (streq_ptr(json_string_value(item), value))
                                yes = true;
        }
        r = print_answer("enabled", json_boolean(yes));
        return r != EXIT_OK ? r : yes ? EXIT_OK : EXIT_FAILED;
}

/* A string property of the Manager, as the verb's answer {"KEY": value} */
static int print_manager_string(sd_bus *bus, const char *property, const char *key, const char *what)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *value = NULL;
        int r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, property,
                                           &error, &value);

        return r < 0 ? call_failed(what, &error, r) : print_answer(key, json_string(value));
}

int cmd_zone(sd_bus *bus, char **args, int n)
{
        _cleanup_free_ char *path = NULL;

        if (streq(args[0], "list"))
                return zone_list(bus);
        if (streq(args[0], "active"))
                return zone_active(bus);
        if (streq(args[0], "of-interface") || streq(args[0], "of-source"))
                return zone_of(bus, streq(args[0], "of-interface"), args[1]);
        if (streq(args[0], "show") && n == 1) {
                /* the default zone, as firewall-cmd --list-all */
                _cleanup_free_ char *def = NULL;
                int r = default_zone(bus, &def);
                return r != EXIT_OK ? r : zone_show(bus, def);
        }
        if (streq(args[0], "show"))
                return zone_show(bus, args[1]);
        if (streq(args[0], "default") && n == 1 && arg_permanent)
                return print_manager_string(bus, "PermanentDefaultZone", "default_zone",
                                            "read the permanent default zone");
        if (streq(args[0], "default") && n == 1) {
                _cleanup_free_ char *def = NULL;
                int r = default_zone(bus, &def);
                return r != EXIT_OK ? r : print_answer("default_zone", json_string(def));
        }
        if (streq(args[0], "default"))
                return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "SetDefaultZone", "set the default zone",
                                 's', args[1]);
        if (streq(args[0], "log-denied") && n == 1)
                return print_manager_string(bus, "LogDenied", "log_denied", "read log denied");
        if (streq(args[0], "log-denied"))
                return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "SetLogDenied", "set log denied", 's',
                                 args[1]);
        if (streq(args[0], "new"))
                return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "AddZone", "add the zone", 's', args[1]);
        if (streq(args[0], "delete"))
                return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "DeleteZone", "delete the zone", 's',
                                 args[1]);
        if (streq(args[0], "enable") || streq(args[0], "disable")) {
                int on = streq(args[0], "enable");
                return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "SetZonesEnabled",
                                 on ? "turn zones on" : "turn zones off", 'b', &on);
        }
        if (zone_path(args[1], &path) < 0)
                return EXIT_FAILED;
        if (startswith(args[0], "query-"))
                return zone_query(bus, args[0], path, args[1], n > 2 ? args[2] : NULL);
        if (streq(args[0], "set-target"))
                return zone_call(bus, path, ZONE_INTERFACE, "SetTarget", "set the target", 's', args[2]);
        if (IN_SET_STR(args[0], "masquerade", "forward", "icmp-block-inversion")) {
                bool masquerade = streq(args[0], "masquerade"), forward = streq(args[0], "forward");
                int on = streq(args[2], "on") || streq(args[2], "yes");
                if (!on && !streq(args[2], "off") && !streq(args[2], "no")) {
                        fprintf(stderr, "nftbusctl: %s takes on or off, not '%s'\n", args[0], args[2]);
                        return EXIT_USAGE;
                }
                return zone_call(bus, path, ZONE_INTERFACE,
                                 masquerade ? "SetMasquerade"
                                 : forward  ? "SetForward"
                                            : "SetIcmpBlockInversion",
                                 masquerade ? "set masquerading"
                                 : forward  ? "set forwarding"
                                            : "set ICMP block inversion",
                                 'b', &on);
        }
        for (size_t i = 0; i < ELEMENTSOF(zone_list_verbs); i++)
                if (streq(args[0], zone_list_verbs[i].verb))
                        return change_call(bus, path, ZONE_INTERFACE, zone_list_verbs[i].method,
                                           zone_list_verbs[i].what, args[2]);
        return EXIT_USAGE; /* the verb table let through nothing else */
}

int cmd_reload(sd_bus *bus, char **args _unused_, int n _unused_)
{
        return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Reload", "reload the zones", 0, NULL);
}

int cmd_runtime_to_permanent(sd_bus *bus, char **args _unused_, int n _unused_)
{
        return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "RuntimeToPermanent",
                         "write the running zones as the permanent ones", 0, NULL);
}

int cmd_panic(sd_bus *bus, char **args, int n _unused_)
{
        int on = streq(args[0], "on");

        if (streq(args[0], "query")) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
                int panic = 0, r;
                r = sd_bus_get_property_trivial(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Panic",
                                                &error, 'b', &panic);
                if (r < 0)
                        return call_failed("read panic mode", &error, r);
                r = print_answer("panic", json_boolean(panic));
                return r != EXIT_OK ? r : panic ? EXIT_OK : EXIT_FAILED;
        }
        if (!on && !streq(args[0], "off")) {
                fprintf(stderr, "nftbusctl: panic takes on, off or query, not '%s'\n", args[0]);
                return EXIT_USAGE;
        }
        return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "SetPanic",
                         on ? "turn panic mode on" : "turn panic mode off", 'b', &on);
}

int cmd_service(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        if (streq(args[0], "list")) {
                _cleanup_(json_decrefp) json_t *list = NULL;
                r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListServices", "list the services",
                                &reply, NULL);
                if (r != EXIT_OK)
                        return r;
                if (bus_read_json(reply, &list) < 0)
                        return EXIT_FAILED;
                if (arg_json)
                        return print_json(list);
                size_t i;
                json_t *s;
                json_array_foreach (list, i, s)
                        puts(json_string_value(s));
                return EXIT_OK;
        }
        r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "GetService", "show the service", &reply, "s",
                        args[1]);
        if (r != EXIT_OK)
                return r;
        static const char *const fields[] = { "description", "ports", "protocols", "helpers", "destinations" };
        _cleanup_(json_decrefp) json_t *o = json_pack("{s:s}", "name", args[1]);
        for (size_t i = 0; o && i < ELEMENTSOF(fields); i++) {
                json_t *v = NULL;
                if (bus_read_json(reply, &v) < 0)
                        return EXIT_FAILED;
                json_object_set_new(o, fields[i], v);
        }
        if (arg_json)
                return print_json(o);
        printf("%s\n  %s\n", args[1], strempty(json_string_value(json_object_get(o, "description"))));
        for (size_t i = 1; i < ELEMENTSOF(fields); i++) {
                json_t *item;
                size_t k;
                if (json_array_size(json_object_get(o, fields[i])) == 0)
                        continue;
                printf("  %-13s", fields[i]);
                json_array_foreach (json_object_get(o, fields[i]), k, item)
                        printf("%s%s", k ? " " : "", json_string_value(item));
                putchar('\n');
        }
        return EXIT_OK;
}
