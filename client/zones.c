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
};

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
        if (r >= 0 && arg_permanent)
                r = sd_bus_message_append(m, "a{sv}", 1, "permanent", "b", 1);
        else if (r >= 0)
                r = sd_bus_message_append(m, "a{sv}", 0);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        return call_built(bus, m, what, NULL);
}

static int zone_path(const char *name, char **ret)
{
        return sd_bus_path_encode(ZONES_PATH, name, ret) < 0 ? -ENOMEM : 0;
}

static int zone_list(sd_bus *bus)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *name, *path;
        char *def = NULL;
        int r;

        r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "DefaultZone",
                                       &error, &def);
        if (r >= 0)
                r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListZones",
                                       &error, &reply, NULL);
        if (r < 0) {
                free(def);
                return call_failed("list the zones", &error, r);
        }
        r = sd_bus_message_enter_container(reply, 'a', "(so)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(so)", &name, &path)) > 0) {
                if (arg_json)
                        json_array_append_new(list,
                                              json_pack("{s:s, s:b}", "name", name, "default", streq(name, def)));
                else
                        printf("%s%s\n", name, streq(name, def) ? " (default)" : "");
        }
        free(def);
        if (r < 0)
                return call_failed("read the zones", NULL, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

static int zone_show(sd_bus *bus, const char *name)
{
        static const char *const properties[] = { "Target",       "Masquerade", "Forward",    "Interfaces",
                                                  "Sources",      "Services",   "Ports",      "Protocols",
                                                  "ForwardPorts", "IcmpBlocks", "Description" };
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *all = NULL;
        _cleanup_free_ char *path = NULL;
        int r;

        if (zone_path(name, &path) < 0)
                return EXIT_FAILED;
        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll", &error, &reply,
                               "s", ZONE_INTERFACE);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to show the zone: no zone %s (%s)\n", name, NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed("show the zone", &error, r);
        }
        if (bus_read_json(reply, &all) < 0)
                return EXIT_FAILED;
        if (arg_json)
                return print_json(all);
        printf("%s\n", name);
        for (size_t i = 0; i < ELEMENTSOF(properties); i++) {
                json_t *v = json_object_get(all, properties[i]), *item;
                size_t k;
                printf("  %-13s", properties[i]);
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

int cmd_zone(sd_bus *bus, char **args, int n)
{
        _cleanup_free_ char *path = NULL;

        if (streq(args[0], "list"))
                return zone_list(bus);
        if (streq(args[0], "show"))
                return zone_show(bus, args[1]);
        if (streq(args[0], "default") && n == 1) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
                char *def = NULL;
                int r = sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                                   "DefaultZone", &error, &def);
                if (r < 0)
                        return call_failed("read the default zone", &error, r);
                puts(def);
                free(def);
                return EXIT_OK;
        }
        if (streq(args[0], "default"))
                return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "SetDefaultZone", "set the default zone",
                                 's', args[1]);
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
        if (streq(args[0], "set-target"))
                return zone_call(bus, path, ZONE_INTERFACE, "SetTarget", "set the target", 's', args[2]);
        if (streq(args[0], "masquerade") || streq(args[0], "forward")) {
                bool masquerade = streq(args[0], "masquerade");
                int on = streq(args[2], "on") || streq(args[2], "yes");
                if (!on && !streq(args[2], "off") && !streq(args[2], "no")) {
                        fprintf(stderr, "nftbusctl: %s takes on or off, not '%s'\n", args[0], args[2]);
                        return EXIT_USAGE;
                }
                return zone_call(bus, path, ZONE_INTERFACE, masquerade ? "SetMasquerade" : "SetForward",
                                 masquerade ? "set masquerading" : "set forwarding", 'b', &on);
        }
        for (size_t i = 0; i < ELEMENTSOF(zone_list_verbs); i++)
                if (streq(args[0], zone_list_verbs[i].verb))
                        return zone_call(bus, path, ZONE_INTERFACE, zone_list_verbs[i].method, zone_list_verbs[i].what,
                                         's', args[2]);
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

        if (!on && !streq(args[0], "off")) {
                fprintf(stderr, "nftbusctl: panic takes on or off, not '%s'\n", args[0]);
                return EXIT_USAGE;
        }
        return zone_call(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "SetPanic",
                         on ? "turn panic mode on" : "turn panic mode off", 'b', &on);
}

int cmd_service(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        if (streq(args[0], "list")) {
                _cleanup_(json_decrefp) json_t *list = NULL;
                r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListServices",
                                       &error, &reply, NULL);
                if (r < 0)
                        return call_failed("list the services", &error, r);
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
        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "GetService", &error,
                               &reply, "s", args[1]);
        if (r < 0)
                return call_failed("show the service", &error, r);
        static const char *const fields[] = { "description", "ports", "protocols", "helpers", "destinations" };
        _cleanup_(json_decrefp) json_t *o = json_object();
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
