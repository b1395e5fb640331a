/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl policy ...: org.nftbus.Firewall1.Policy and the Manager's policy methods. Settings are given as a
 * policy file writes them (nftbusd(8)): KEY=VALUE, a list's key once per value (service=http service=ssh), the
 * values given replacing the list. Every verb takes --permanent (the configuration in /etc/nftbus, not the running
 * one). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busjson.h"
#include "nftbusctl.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"

#define POLICIES_PATH NFTBUS_PATH "/policy"
#define POLICY_INTERFACE NFTBUS_INTERFACE_PREFIX "Policy"

/* a policy file's key, its setting (the property) and its type */
static const struct {
        const char *key, *setting;
        char type; /* 's', 'i', 'b', or 'a' for a list of strings */
} settings[] = {
        { "target", "Target", 's' },
        { "priority", "Priority", 'i' },
        { "ingress-zone", "IngressZones", 'a' },
        { "egress-zone", "EgressZones", 'a' },
        { "masquerade", "Masquerade", 'b' },
        { "short", "Short", 's' },
        { "description", "Description", 's' },
        { "service", "Services", 'a' },
        { "port", "Ports", 'a' },
        { "protocol", "Protocols", 'a' },
        { "forward-port", "ForwardPorts", 'a' },
        { "icmp-block", "IcmpBlocks", 'a' },
        { "rule", "RichRules", 'a' },
        { "source-port", "SourcePorts", 'a' },
};

/* The settings a{sv} of KEY=VALUE arguments: EXIT_OK, EXIT_USAGE, EXIT_FAILED */
static int append_settings(sd_bus_message *m, char **args, int n)
{
        int r = sd_bus_message_open_container(m, 'a', "{sv}");

        for (size_t s = 0; r >= 0 && s < ELEMENTSOF(settings); s++) {
                size_t klen = strlen(settings[s].key);
                bool given = false;
                for (int i = 0; r >= 0 && i < n; i++) {
                        const char *value = args[i] + klen + 1;
                        if (strncmp(args[i], settings[s].key, klen) != 0 || args[i][klen] != '=')
                                continue;
                        if (settings[s].type != 'a' && given) {
                                fprintf(stderr, "nftbusctl: %s= given twice\n", settings[s].key);
                                return EXIT_USAGE;
                        }
                        if (!given) {
                                r = sd_bus_message_open_container(m, 'e', "sv");
                                if (r >= 0)
                                        r = sd_bus_message_append(m, "s", settings[s].setting);
                                if (r >= 0 && settings[s].type == 'a')
                                        r = sd_bus_message_open_container(m, 'v', "as");
                                if (r >= 0 && settings[s].type == 'a')
                                        r = sd_bus_message_open_container(m, 'a', "s");
                        }
                        given = true;
                        if (r < 0)
                                break;
                        if (settings[s].type == 'a')
                                r = *value ? sd_bus_message_append(m, "s", value) : 0; /* KEY=: none */
                        else if (settings[s].type == 's')
                                r = sd_bus_message_append(m, "v", "s", value);
                        else if (settings[s].type == 'b') {
                                if (!streq(value, "yes") && !streq(value, "no")) {
                                        fprintf(stderr, "nftbusctl: masquerade=yes or masquerade=no\n");
                                        return EXIT_USAGE;
                                }
                                r = sd_bus_message_append(m, "v", "b", streq(value, "yes"));
                        } else {
                                char *end;
                                long priority = strtol(value, &end, 10);
                                if (!*value || *end || priority < INT32_MIN || priority > INT32_MAX) {
                                        fprintf(stderr, "nftbusctl: priority=NUMBER (-32768 to 32767, not 0)\n");
                                        return EXIT_USAGE;
                                }
                                r = sd_bus_message_append(m, "v", "i", (int32_t) priority);
                        }
                }
                if (r >= 0 && given && settings[s].type == 'a')
                        r = sd_bus_message_close_container(m) >= 0 ? sd_bus_message_close_container(m) : -EINVAL;
                if (r >= 0 && given)
                        r = sd_bus_message_close_container(m);
        }
        for (int i = 0; i < n; i++) {
                bool known = false;
                for (size_t s = 0; s < ELEMENTSOF(settings); s++)
                        known = known ||
                                (startswith(args[i], settings[s].key) && args[i][strlen(settings[s].key)] == '=');
                if (!known) {
                        fprintf(stderr,
                                "nftbusctl: '%s' is not SETTING=VALUE (target, priority, ingress-zone, egress-zone, "
                                "masquerade, short, description, service, port, protocol, forward-port, icmp-block, "
                                "rule, source-port)\n",
                                args[i]);
                        return EXIT_USAGE;
                }
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r < 0 ? call_failed("build the call", NULL, r) : EXIT_OK;
}

/* policy list: the policies, their targets and priorities */
static int policy_list(sd_bus *bus)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *name, *target, *path;
        int32_t priority;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                           "ListPolicies");
        if (r >= 0)
                r = append_permanent_option(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(ssio)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(ssio)", &name, &target, &priority, &path)) > 0) {
                if (arg_json)
                        r = json_array_append_new(list, json_pack("{s:s, s:s, s:i}", "name", name, "target", target,
                                                                  "priority", (int) priority)) < 0
                                    ? -ENOMEM
                                    : 1;
                else
                        printf("%-33s %-9s %d\n", name, target, (int) priority);
        }
        if (r < 0)
                return call_failed("list the policies", &error, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

/* policy show POLICY: the running policy, or with --permanent its file */
static int policy_show(sd_bus *bus, const char *path, const char *name)
{
        static const char *const fields[][2] = {
                { "target", "target" },
                { "priority", "priority" },
                { "ingress-zones", "ingress_zones" },
                { "egress-zones", "egress_zones" },
                { "masquerade", "masquerade" },
                { "services", "services" },
                { "ports", "ports" },
                { "protocols", "protocols" },
                { "forward-ports", "forward_ports" },
                { "icmp-blocks", "icmp_blocks" },
                { "source-ports", "source_ports" },
                { "rich rules", "rich_rules" },
        };
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *all = NULL;
        int r = arg_permanent ? sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, POLICY_INTERFACE, "GetPermanent",
                                                   &error, &reply, NULL)
                              : sd_bus_call_method(bus, NFTBUS_BUS_NAME, path, "org.freedesktop.DBus.Properties",
                                                   "GetAll", &error, &reply, "s", POLICY_INTERFACE);

        if (r < 0)
                return call_failed("read the policy", &error, r);
        if (bus_read_properties_json(reply, &all) < 0)
                return EXIT_FAILED;
        if (arg_json)
                return print_json(all);
        printf("%s%s\n", name, json_is_true(json_object_get(all, "active")) ? " (active)" : "");
        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                json_t *v = json_object_get(all, fields[i][1]), *item;
                size_t k;
                printf("  %-14s", fields[i][0]);
                if (json_is_array(v))
                        json_array_foreach (v, k, item) {
                                if (streq(fields[i][0], "rich rules")) /* a line each, as firewall-cmd shows them */
                                        printf("\n\t%s", json_string_value(item));
                                else
                                        printf("%s%s", k ? " " : "", json_string_value(item));
                        }
                else if (json_is_integer(v))
                        printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
                else if (json_is_boolean(v))
                        printf("%s", json_is_true(v) ? "yes" : "no");
                else
                        printf("%s", strempty(json_string_value(v)));
                putchar('\n');
        }
        return EXIT_OK;
}

int cmd_policy(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_free_ char *path = NULL;
        bool new = streq(args[0], "new"), set = streq(args[0], "set");
        int r;

        if (streq(args[0], "list"))
                return policy_list(bus);
        if (sd_bus_path_encode(POLICIES_PATH, args[1], &path) < 0)
                return EXIT_FAILED;
        if (streq(args[0], "show"))
                return policy_show(bus, path, args[1]);
        if (set)
                r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, POLICY_INTERFACE, "Update");
        else
                r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                                   new ? "AddPolicy" : "DeletePolicy");
        if (r >= 0 && !set)
                r = sd_bus_message_append(m, "s", args[1]);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        if (new || set) {
                r = append_settings(m, args + 2, n - 2);
                if (r != EXIT_OK)
                        return r;
        }
        r = append_permanent_option(m);
        if (r < 0)
                return call_failed("build the call", NULL, r);
        return call_built(bus, m, new ? "make the policy" : set ? "change the policy" : "delete the policy", NULL);
}
