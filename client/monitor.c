/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl monitor: the service's change signals as they come, one line each: InterfacesAdded and
 * InterfacesRemoved of the ObjectManager (tables, chains, sets, maps, named objects), PropertiesChanged
 * with the new values, the rules of a chain (Chain.RulesChanged, a line more for each rule) and the
 * elements of a set or map (ElementsChanged, counts), and Manager.Resynchronized when change events were
 * missed. Until interrupted. */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "busjson.h"
#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"

/* a{sv} as a JSON object */
static json_t *read_properties(sd_bus_message *m)
{
        json_t *props = NULL;

        return bus_read_json(m, &props) >= 0 && json_is_object(props) ? props : (json_decref(props), json_object());
}

/* "  + HANDLE TEXT # COMMENT", a line each */
static void print_rules(json_t *rules, char mark)
{
        json_t *rule;
        size_t i;

        json_array_foreach (rules, i, rule) {
                const char *comment = json_string_value(json_object_get(rule, "comment"));
                if (json_is_integer(rule)) {
                        printf("  %c %" JSON_INTEGER_FORMAT "\n", mark, json_integer_value(rule));
                        continue;
                }
                printf("  %c %" JSON_INTEGER_FORMAT " %s", mark, json_integer_value(json_object_get(rule, "handle")),
                       strempty(json_string_value(json_object_get(rule, "rule"))));
                if (comment && *comment)
                        printf(" comment \"%s\"", comment);
                putchar('\n');
        }
}

/* a(tss): handle, text, comment */
static json_t *read_rules(sd_bus_message *m)
{
        json_t *rules = json_array();
        uint64_t handle;
        const char *text, *comment;

        if (sd_bus_message_enter_container(m, 'a', "(tss)") < 0)
                return rules;
        while (sd_bus_message_read(m, "(tss)", &handle, &text, &comment) > 0)
                json_array_append_new(rules, json_pack("{s:I, s:s, s:s}", "handle", (json_int_t) handle, "rule", text,
                                                       "comment", comment));
        (void) sd_bus_message_exit_container(m);
        return rules;
}

/* Chain.RulesChanged, Set/Map.ElementsChanged: the counts as properties of the event, then the rules */
static int read_content(sd_bus_message *m, json_t *event)
{
        json_t *counts = json_object();
        uint64_t added, removed, replaced = 0;
        bool rules = streq(sd_bus_message_get_member(m), "RulesChanged");
        int r;

        r = rules ? sd_bus_message_read(m, "ttt", &added, &removed, &replaced)
                  : sd_bus_message_read(m, "tt", &added, &removed);
        if (r < 0) {
                json_decref(counts);
                return r;
        }
        json_object_set_new(event, "event", json_string(rules ? "rules" : "elements"));
        json_object_set_new(event, "path", json_string(sd_bus_message_get_path(m)));
        json_object_set_new(counts, "added", json_integer((json_int_t) added));
        json_object_set_new(counts, "removed", json_integer((json_int_t) removed));
        if (rules)
                json_object_set_new(counts, "replaced", json_integer((json_int_t) replaced));
        json_object_set_new(event, "properties", counts);
        if (rules) {
                const uint64_t *handles = NULL;
                size_t size = 0;
                json_t *removed_handles = json_array();

                json_object_set_new(event, "added_rules", read_rules(m));
                if (sd_bus_message_read_array(m, 't', (const void **) &handles, &size) >= 0)
                        for (size_t i = 0; i < size / sizeof(uint64_t); i++)
                                json_array_append_new(removed_handles, json_integer((json_int_t) handles[i]));
                json_object_set_new(event, "removed_handles", removed_handles);
                json_object_set_new(event, "replaced_rules", read_rules(m));
        }
        return 0;
}

static void print_event(json_t *event)
{
        if (arg_json) {
                char *s = json_dumps(event, JSON_COMPACT | JSON_PRESERVE_ORDER);
                if (s)
                        puts(s);
                free(s);
        } else {
                const char *key;
                json_t *value;
                printf("%-8s %s", json_string_value(json_object_get(event, "event")),
                       json_string_value(json_object_get(event, "path")));
                json_object_foreach (json_object_get(event, "properties"), key, value) {
                        char *s = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
                        printf(" %s=%s", key, s ? s : "?");
                        free(s);
                }
                putchar('\n');
                print_rules(json_object_get(event, "added_rules"), '+');
                print_rules(json_object_get(event, "removed_handles"), '-');
                print_rules(json_object_get(event, "replaced_rules"), '~');
        }
        fflush(stdout);
}

static int on_signal(sd_bus_message *m, void *userdata _unused_, sd_bus_error *error _unused_)
{
        _cleanup_(json_decrefp) json_t *event = json_object();
        const char *member = sd_bus_message_get_member(m), *path = NULL, *interface = NULL;

        if (streq(member, "InterfacesAdded") || streq(member, "InterfacesRemoved")) {
                bool added = streq(member, "InterfacesAdded");
                json_t *interfaces = json_array(), *properties = json_object();
                if (sd_bus_message_read(m, "o", &path) < 0) {
                        json_decref(interfaces);
                        json_decref(properties);
                        return 0;
                }
                if (added && sd_bus_message_enter_container(m, 'a', "{sa{sv}}") >= 0) {
                        while (sd_bus_message_enter_container(m, 'e', "sa{sv}") > 0) {
                                if (sd_bus_message_read(m, "s", &interface) < 0)
                                        break;
                                if (strncmp(interface, NFTBUS_INTERFACE_PREFIX, strlen(NFTBUS_INTERFACE_PREFIX)) ==
                                    0) {
                                        json_t *props = read_properties(m);
                                        json_array_append_new(interfaces, json_string(interface));
                                        json_object_update(properties, props);
                                        json_decref(props);
                                } else
                                        (void) sd_bus_message_skip(m, "a{sv}");
                                (void) sd_bus_message_exit_container(m);
                        }
                } else if (!added) {
                        char **l = NULL;
                        if (sd_bus_message_read_strv(m, &l) >= 0)
                                for (char **e = l; e && *e; e++)
                                        if (strncmp(*e, NFTBUS_INTERFACE_PREFIX, strlen(NFTBUS_INTERFACE_PREFIX)) == 0)
                                                json_array_append_new(interfaces, json_string(*e));
                        strv_free(l);
                }
                json_object_set_new(event, "event", json_string(added ? "added" : "removed"));
                json_object_set_new(event, "path", json_string(path));
                json_object_set_new(event, "interfaces", interfaces);
                json_object_set_new(event, "properties", properties);
        } else if (streq(member, "PropertiesChanged")) {
                char **invalidated = NULL;
                json_t *properties;
                if (sd_bus_message_read(m, "s", &interface) < 0)
                        return 0;
                properties = read_properties(m);
                if (sd_bus_message_read_strv(m, &invalidated) >= 0)
                        for (char **e = invalidated; e && *e; e++)
                                json_object_set_new(properties, *e, json_null());
                strv_free(invalidated);
                json_object_set_new(event, "event", json_string("changed"));
                json_object_set_new(event, "path", json_string(sd_bus_message_get_path(m)));
                json_object_set_new(event, "interface", json_string(interface));
                json_object_set_new(event, "properties", properties);
        } else if (streq(member, "Resynchronized")) {
                json_object_set_new(event, "event", json_string("resynchronized"));
                json_object_set_new(event, "path", json_string(sd_bus_message_get_path(m)));
        } else if (streq(member, "RulesChanged") || streq(member, "ElementsChanged")) {
                if (read_content(m, event) < 0)
                        return 0;
        } else
                return 0;
        print_event(event);
        return 0;
}

int cmd_monitor(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_close_ int sfd = -EBADF;
        sigset_t mask;
        int r;

        r = sd_bus_match_signal(bus, NULL, NFTBUS_BUS_NAME, NULL, "org.freedesktop.DBus.ObjectManager", NULL,
                                on_signal, NULL);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, NFTBUS_BUS_NAME, NULL, "org.freedesktop.DBus.Properties",
                                        "PropertiesChanged", on_signal, NULL);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                        "Resynchronized", on_signal, NULL);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, NFTBUS_BUS_NAME, NULL, NFTBUS_CHAIN_INTERFACE, "RulesChanged",
                                        on_signal, NULL);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, NFTBUS_BUS_NAME, NULL, NFTBUS_SET_INTERFACE, "ElementsChanged",
                                        on_signal, NULL);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, NFTBUS_BUS_NAME, NULL, NFTBUS_MAP_INTERFACE, "ElementsChanged",
                                        on_signal, NULL);
        if (r < 0)
                return call_failed("watch the service's signals", NULL, r);
        /* the service follows the kernel's changes only while someone subscribes (Manager.Subscribe); the
         * subscription ends with this connection */
        r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Subscribe", "subscribe to the service's changes",
                        NULL, NULL);
        if (r != EXIT_OK)
                return r;
        /* the matches and the subscription are in place: from here on nothing is missed */
        if (arg_json)
                printf("{\"event\":\"monitoring\",\"service\":\"%s\"}\n", NFTBUS_BUS_NAME);
        else
                printf("Monitoring %s; Ctrl-C ends\n", NFTBUS_BUS_NAME);
        fflush(stdout);
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 || (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
                return call_failed("handle signals", NULL, -errno);
        for (;;) {
                struct signalfd_siginfo si;
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return call_failed("read the bus", NULL, r);
                if (r > 0)
                        continue;
                if (read(sfd, &si, sizeof(si)) == sizeof(si))
                        return EXIT_OK;
                r = sd_bus_wait(bus, 100000);
                if (r < 0 && r != -EINTR)
                        return call_failed("wait on the bus", NULL, r);
        }
}
