/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl: a small client of org.nftbus.Firewall1, in the manner of busctl and systemctl. */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "spec/batch.h"
#include "config.h"
#include "common/errors.h"
#include "busjson.h"
#include "columns.h"
#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"
#include "verbs.h"

#define PKTTYAGENT "/usr/bin/pkttyagent"

bool arg_json = false;
static bool arg_ask_password = true;
static pid_t agent_pid = 0;

/* A polkit agent on the terminal, as systemctl starts one, so that auth_admin can ask for a password. */
static void agent_open(void)
{
        int pipefd[2];
        char fd_arg[16], pid_arg[16];
        char c;

        if (!arg_ask_password || !isatty(STDIN_FILENO) || access(PKTTYAGENT, X_OK) < 0)
                return;
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return;
        snprintf(fd_arg, sizeof(fd_arg), "%d", pipefd[1]);
        snprintf(pid_arg, sizeof(pid_arg), "%d", (int) getpid());
        agent_pid = fork();
        if (agent_pid == 0) {
                (void) fcntl(pipefd[1], F_SETFD, 0);
                execl(PKTTYAGENT, "pkttyagent", "--notify-fd", fd_arg, "--fallback", "--process", pid_arg,
                      (char *) NULL);
                _exit(EXIT_FAILURE);
        }
        (void) close(pipefd[1]);
        /* the agent writes when it is registered, or exits */
        if (agent_pid > 0)
                (void) read(pipefd[0], &c, 1);
        (void) close(pipefd[0]);
}

static void agent_close(void)
{
        if (agent_pid <= 0)
                return;
        (void) kill(agent_pid, SIGTERM);
        (void) waitpid(agent_pid, NULL, 0);
        agent_pid = 0;
}

static int exit_status_for(const sd_bus_error *e)
{
        if (sd_bus_error_has_names(e, SD_BUS_ERROR_ACCESS_DENIED, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED))
                return EXIT_ACCESS_DENIED;
        if (sd_bus_error_has_names(e, NFTBUS_ERROR_NOT_FOUND, SD_BUS_ERROR_UNKNOWN_OBJECT))
                return EXIT_NOT_FOUND;
        if (sd_bus_error_has_names(e, NFTBUS_ERROR_INVALID_ARGUMENT, SD_BUS_ERROR_INVALID_ARGS))
                return EXIT_USAGE;
        if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                   SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_DISCONNECTED))
                return EXIT_UNAVAILABLE;
        return EXIT_FAILED;
}

int call_failed(const char *what, const sd_bus_error *e, int r)
{
        if (sd_bus_error_is_set(e)) {
                fprintf(stderr, "Failed to %s: %s (%s)\n", what, e->message ? e->message : e->name, e->name);
                return exit_status_for(e);
        }
        fprintf(stderr, "Failed to %s: %s\n", what, strerror(-r));
        return EXIT_FAILED;
}

static int check_table_args(const char *family, const char *name)
{
        _cleanup_free_ char *why = NULL;

        if (validate_family(family, &why) < 0 || validate_object_name("table", name, &why) < 0) {
                fprintf(stderr, "%s\n", why ? why : "Invalid argument");
                return -EINVAL;
        }
        return 0;
}

int print_json(json_t *j)
{
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

        if (!s)
                return EXIT_FAILED;
        puts(s);
        free(s);
        return EXIT_OK;
}

static int get_string_property(sd_bus *bus, const char *property, char **ret, sd_bus_error *error)
{
        return sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, property, error,
                                          ret);
}

static int cmd_status(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *version = NULL, *backend = NULL;
        int r;

        r = get_string_property(bus, "Version", &version, &error);
        if (r >= 0)
                r = get_string_property(bus, "BackendVersion", &backend, &error);
        if (r < 0)
                return call_failed("read the service's status", &error, r);

        if (arg_json) {
                _cleanup_(json_decrefp) json_t *j = json_pack("{s:s, s:s, s:s}", "service", NFTBUS_BUS_NAME, "version",
                                                              version, "backend_version", backend);
                return j ? print_json(j) : EXIT_FAILED;
        }
        printf("Service: %s\nVersion: %s\nBackend: libnftables %s\n", NFTBUS_BUS_NAME, version, backend);
        return EXIT_OK;
}

static int cmd_list_tables(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_(columns_freep) Columns *table = columns_new((const Column[]){ { "FAMILY", 8 }, { "NAME" } }, 2);
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *family, *name, *path;
        int r;

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "ListTables", &error,
                               &reply, NULL);
        if (r < 0)
                return call_failed("list tables", &error, r);

        r = sd_bus_message_enter_container(reply, 'a', "(sso)");
        if (r < 0)
                return call_failed("read the tables", &error, r);
        while ((r = sd_bus_message_read(reply, "(sso)", &family, &name, &path)) > 0) {
                if (arg_json)
                        json_array_append_new(
                                list, json_pack("{s:s, s:s, s:s}", "family", family, "name", name, "path", path));
                else if (columns_add(table, (const char *const[]){ family, name }) < 0)
                        return EXIT_FAILED;
        }
        if (r < 0)
                return call_failed("read the tables", &error, r);
        if (arg_json)
                return print_json(list);
        columns_print(table, stdout);
        return EXIT_OK;
}

static int cmd_add_table(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "AddTable", &error, NULL,
                               "ssa{sv}", args[0], args[1], 0);
        if (r < 0)
                return call_failed("add the table", &error, r);
        return EXIT_OK;
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

static int cmd_delete_table(sd_bus *bus, char **args, int n _unused_)
{
        return table_method(bus, args, "Delete", "delete the table");
}

static int cmd_flush_table(sd_bus *bus, char **args, int n _unused_)
{
        return table_method(bus, args, "Flush", "flush the table");
}

/* Options of the commands that make chains and rules. */
static const char *arg_type = NULL, *arg_hook = NULL, *arg_priority = NULL, *arg_policy = NULL, *arg_comment = NULL;
static char *arg_devices[17] = {};
static size_t arg_n_devices = 0;
static const char *arg_flags = NULL;
const char *arg_file = NULL, *arg_family = NULL, *arg_table = NULL, *arg_format = NULL;
bool arg_check = false;
static uint64_t arg_timeout = 0, arg_size = 0;
static bool arg_has_timeout = false;
static bool arg_has_index = false, arg_has_position = false, arg_position_before = false;
static uint32_t arg_index = 0;
static uint64_t arg_position = 0;

static int node_method_path(char **args, const char *kind, char **ret)
{
        _cleanup_free_ char *why = NULL;

        if (check_table_args(args[0], args[1]) < 0)
                return -EINVAL;
        if (validate_object_name(kind, args[2], &why) < 0) {
                fprintf(stderr, "%s\n", why ? why : "Invalid argument");
                return -EINVAL;
        }
        return node_path(args[0], args[1], kind, args[2], ret);
}

static int node_message(sd_bus *bus, char **args, const char *kind, const char *interface, const char *method,
                        sd_bus_message **ret)
{
        _cleanup_free_ char *path = NULL;
        int r;

        r = node_method_path(args, kind, &path);
        if (r < 0)
                return r;
        return sd_bus_message_new_method_call(bus, ret, NFTBUS_BUS_NAME, path, interface, method);
}

/* Sends m to the chain or object named by args (FAMILY TABLE NAME); "no such" for a missing one. */
static int node_send(sd_bus *bus, sd_bus_message *m, char **args, const char *kind, const char *what,
                     sd_bus_message **ret_reply)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call(bus, m, 0, &error, ret_reply);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to %s: no %s %s in table %s %s (%s)\n", what, kind, args[2], args[0],
                                args[1], NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed(what, &error, r);
        }
        return EXIT_OK;
}

/* Calls a method of the chain or object named by args, with arguments of types. */
static int node_call(sd_bus *bus, char **args, const char *kind, const char *interface, const char *method,
                     const char *what, sd_bus_message **ret_reply, const char *types, ...)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        va_list ap;
        int r;

        r = node_message(bus, args, kind, interface, method, &m);
        if (r == -EINVAL)
                return EXIT_USAGE;
        if (r >= 0 && types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r < 0)
                return call_failed(what, &SD_BUS_ERROR_NULL, r);
        return node_send(bus, m, args, kind, what, ret_reply);
}

/* The objects below a table path (or all), of the given interfaces, from GetManagedObjects: a JSON array
 * of {"kind", "family", "table", properties...}, in the service's order. */
static int managed_objects(sd_bus *bus, const char *const *interfaces, const char *family, const char *table,
                           json_t **ret, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *path;
        int r;

        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, "org.freedesktop.DBus.ObjectManager",
                               "GetManagedObjects", error, &reply, NULL);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
                _cleanup_free_ char *f = NULL, *t = NULL, *kind = NULL, *name = NULL;
                const char *interface;

                r = sd_bus_message_read(reply, "o", &path);
                if (r < 0)
                        return r;
                r = object_path_parse(path, &f, &t, &kind, &name);
                if (r < 0)
                        return r;
                r = sd_bus_message_enter_container(reply, 'a', "{sa{sv}}");
                if (r < 0)
                        return r;
                while ((r = sd_bus_message_enter_container(reply, 'e', "sa{sv}")) > 0) {
                        bool wanted = false;

                        r = sd_bus_message_read(reply, "s", &interface);
                        if (r < 0)
                                return r;
                        for (size_t i = 0; interfaces[i]; i++)
                                wanted = wanted || streq(interfaces[i], interface);
                        if (!wanted || !kind || (family && !streq(family, f)) || (table && !streq(table, t))) {
                                r = sd_bus_message_skip(reply, "a{sv}");
                        } else {
                                /* maps share the sets' paths; the interface tells them apart */
                                json_t *o = json_pack("{s:s, s:s, s:s}", "kind",
                                                      streq(interface, NFTBUS_MAP_INTERFACE) ? "map" : kind, "family",
                                                      f, "table", t);
                                json_t *props = NULL;

                                r = bus_read_json(reply, &props);
                                if (r >= 0 && json_object_update(o, props) < 0)
                                        r = -ENOMEM;
                                json_decref(props);
                                json_array_append_new(list, o);
                        }
                        if (r < 0)
                                return r;
                        r = sd_bus_message_exit_container(reply);
                        if (r < 0)
                                return r;
                }
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(reply);
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(list);
        return 0;
}

static int check_optional_table(char **args, int n)
{
        if (n == 1) {
                fprintf(stderr, "nftbusctl: give both FAMILY and TABLE, or neither\n");
                return -EINVAL;
        }
        return n == 2 ? check_table_args(args[0], args[1]) : 0;
}

static const char *json_str(json_t *o, const char *key)
{
        return strempty(json_string_value(json_object_get(o, key)));
}

static int cmd_list_chains(sd_bus *bus, char **args, int n)
{
        _cleanup_(columns_freep) Columns *table = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        json_t *o;
        size_t i;
        int r;

        if (check_optional_table(args, n) < 0)
                return EXIT_USAGE;
        r = managed_objects(bus, (const char *const[]){ NFTBUS_CHAIN_INTERFACE, NULL }, n ? args[0] : NULL,
                            n ? args[1] : NULL, &list, &error);
        if (r < 0)
                return call_failed("list chains", &error, r);
        if (arg_json)
                return print_json(list);
        table = columns_new((const Column[]){ { "FAMILY", 8 },
                                              { "TABLE", 16 },
                                              { "CHAIN", 20 },
                                              { "TYPE", 7 },
                                              { "HOOK", 12 },
                                              { "PRIORITY", 9, true },
                                              { "POLICY" } },
                            7);
        json_array_foreach (list, i, o) {
                bool base = *json_str(o, "Hook") != '\0';
                char priority[16] = "-";

                if (base)
                        snprintf(priority, sizeof(priority), "%" JSON_INTEGER_FORMAT,
                                 json_integer_value(json_object_get(o, "Priority")));
                if (!table ||
                    columns_add(table, (const char *const[]){ json_str(o, "family"), json_str(o, "table"),
                                                              json_str(o, "Name"), base ? json_str(o, "Type") : "-",
                                                              base ? json_str(o, "Hook") : "-", priority,
                                                              base ? json_str(o, "Policy") : "-" }) < 0)
                        return EXIT_FAILED;
        }
        columns_print(table, stdout);
        return EXIT_OK;
}
static int cmd_add_chain(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
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
        if (r >= 0 && arg_type)
                r = sd_bus_message_append(m, "{sv}", "type", "s", arg_type);
        if (r >= 0 && arg_hook)
                r = sd_bus_message_append(m, "{sv}", "hook", "s", arg_hook);
        if (r >= 0 && arg_priority)
                r = sd_bus_message_append(m, "{sv}", "priority", "s", arg_priority);
        if (r >= 0 && arg_policy)
                r = sd_bus_message_append(m, "{sv}", "policy", "s", arg_policy);
        if (r >= 0 && arg_comment)
                r = sd_bus_message_append(m, "{sv}", "comment", "s", arg_comment);
        if (r >= 0 && arg_n_devices > 0)
                r = append_strv_option(m, "devices", arg_devices);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, NULL);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to add the chain: no table %s %s (%s)\n", args[0], args[1],
                                NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed("add the chain", &error, r);
        }
        return EXIT_OK;
}

static int cmd_delete_chain(sd_bus *bus, char **args, int n _unused_)
{
        return node_call(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "Delete", "delete the chain", NULL, NULL);
}

static int cmd_list_rules(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *text, *comment;
        uint64_t handle;
        int r;

        r = node_call(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "ListRules", "list the rules", &reply, NULL);
        if (r != EXIT_OK)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "(tss)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(tss)", &handle, &text, &comment)) > 0) {
                if (arg_json)
                        json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "handle", (json_int_t) handle, "rule",
                                                              text, "comment", comment));
                else if (*comment)
                        printf("%6" PRIu64 "  %s comment \"%s\"\n", handle, text, comment);
                else
                        printf("%6" PRIu64 "  %s\n", handle, text);
        }
        if (r < 0) {
                fprintf(stderr, "Failed to read the rules: %s\n", strerror(-r));
                return EXIT_FAILED;
        }
        return arg_json ? print_json(list) : EXIT_OK;
}

/* The rule text: the arguments after FAMILY TABLE CHAIN, joined by spaces, as nft does. */
static char *join_args(char **args, int n)
{
        size_t len = 1;
        char *text, *p;

        for (int i = 0; i < n; i++)
                len += strlen(args[i]) + 1;
        text = p = malloc(len);
        if (!text)
                return NULL;
        for (int i = 0; i < n; i++)
                p = stpcpy(stpcpy(p, i ? " " : ""), args[i]);
        return text;
}

static int add_rule(sd_bus *bus, char **args, int n, bool insert)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_free_ char *rule = join_args(args + 3, n - 3);
        uint64_t handle;
        int r;

        if (!rule)
                return EXIT_FAILED;
        if (arg_has_position && arg_position_before != insert) {
                fprintf(stderr, "nftbusctl: add-rule takes --after, insert-rule takes --before\n");
                return EXIT_USAGE;
        }
        r = node_message(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "AddRule", &m);
        if (r == -EINVAL)
                return EXIT_USAGE;
        if (r >= 0)
                r = sd_bus_message_append(m, "s", rule);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && arg_comment)
                r = sd_bus_message_append(m, "{sv}", "comment", "s", arg_comment);
        if (r >= 0 && arg_has_index)
                r = sd_bus_message_append(m, "{sv}", "index", "u", arg_index);
        if (r >= 0 && arg_has_position)
                r = sd_bus_message_append(m, "{sv}", insert ? "before" : "after", "t", arg_position);
        else if (r >= 0 && insert)
                r = sd_bus_message_append(m, "{sv}", "insert", "b", 1);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return call_failed("add the rule", &SD_BUS_ERROR_NULL, r);
        r = node_send(bus, m, args, "chain", "add the rule", &reply);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "t", &handle) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"handle\": %" PRIu64 "}\n", handle);
        else
                printf("%" PRIu64 "\n", handle);
        return EXIT_OK;
}

static int cmd_add_rule(sd_bus *bus, char **args, int n)
{
        return add_rule(bus, args, n, false);
}

static int cmd_insert_rule(sd_bus *bus, char **args, int n)
{
        return add_rule(bus, args, n, true);
}

static int parse_handle(const char *s, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || end == s || *s == '-' || v == 0) {
                fprintf(stderr, "nftbusctl: '%s' is not a rule handle\n", s);
                return -EINVAL;
        }
        *ret = v;
        return 0;
}

static int cmd_replace_rule(sd_bus *bus, char **args, int n)
{
        _cleanup_free_ char *rule = join_args(args + 4, n - 4);
        uint64_t handle;

        if (!rule)
                return EXIT_FAILED;
        if (parse_handle(args[3], &handle) < 0)
                return EXIT_USAGE;
        return node_call(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "ReplaceRule", "replace the rule", NULL, "ts",
                         handle, rule);
}

static int cmd_delete_rule(sd_bus *bus, char **args, int n _unused_)
{
        uint64_t handle;

        if (parse_handle(args[3], &handle) < 0)
                return EXIT_USAGE;
        return node_call(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "DeleteRule", "delete the rule", NULL, "t",
                         handle);
}

static int cmd_list_objects(sd_bus *bus, char **args, int n)
{
        _cleanup_(columns_freep) Columns *table = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        json_t *o;
        size_t i;
        int r;

        if (check_optional_table(args, n) < 0)
                return EXIT_USAGE;
        r = managed_objects(bus,
                            (const char *const[]){ NFTBUS_COUNTER_INTERFACE, NFTBUS_QUOTA_INTERFACE,
                                                   NFTBUS_LIMIT_INTERFACE, NFTBUS_FLOWTABLE_INTERFACE, NULL },
                            n ? args[0] : NULL, n ? args[1] : NULL, &list, &error);
        if (r < 0)
                return call_failed("list objects", &error, r);
        if (arg_json)
                return print_json(list);
        table = columns_new(
                (const Column[]){ { "KIND", 10 }, { "FAMILY", 8 }, { "TABLE", 16 }, { "NAME", 20 }, { "STATE" } }, 5);
        if (!table)
                return EXIT_FAILED;
        json_array_foreach (list, i, o) {
                const char *kind = json_str(o, "kind");
                char state[128] = "";
#define NUM(key) json_integer_value(json_object_get(o, key))
                if (streq(kind, "counter"))
                        snprintf(state, sizeof(state), "packets %" JSON_INTEGER_FORMAT " bytes %" JSON_INTEGER_FORMAT,
                                 NUM("Packets"), NUM("Bytes"));
                else if (streq(kind, "quota"))
                        snprintf(state, sizeof(state), "%s%" JSON_INTEGER_FORMAT " bytes, used %" JSON_INTEGER_FORMAT,
                                 json_is_true(json_object_get(o, "Over")) ? "over " : "", NUM("Bytes"), NUM("Used"));
                else if (streq(kind, "limit"))
                        snprintf(state, sizeof(state),
                                 "rate %s%" JSON_INTEGER_FORMAT " %s/%s burst %" JSON_INTEGER_FORMAT,
                                 json_is_true(json_object_get(o, "Over")) ? "over " : "", NUM("Rate"),
                                 json_str(o, "Unit"), json_str(o, "Per"), NUM("Burst"));
                else if (streq(kind, "flowtable"))
                        snprintf(state, sizeof(state), "hook %s priority %" JSON_INTEGER_FORMAT, json_str(o, "Hook"),
                                 NUM("Priority"));
#undef NUM
                if (columns_add(table, (const char *const[]){ kind, json_str(o, "family"), json_str(o, "table"),
                                                              json_str(o, "Name"), state }) < 0)
                        return EXIT_FAILED;
        }
        columns_print(table, stdout);
        return EXIT_OK;
}

static int cmd_reset_counter(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        uint64_t packets, bytes;
        int r;

        r = node_call(bus, args, "counter", NFTBUS_COUNTER_INTERFACE, "Reset", "reset the counter", &reply, NULL);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "tt", &packets, &bytes) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"packets\": %" PRIu64 ", \"bytes\": %" PRIu64 "}\n", packets, bytes);
        else
                printf("packets %" PRIu64 " bytes %" PRIu64 "\n", packets, bytes);
        return EXIT_OK;
}

/* Sets and maps share .../set/NAME; the element methods are the same on both interfaces. */
static int set_call(sd_bus *bus, char **args, const char *method, const char *what, sd_bus_message **ret_reply,
                    int (*append)(sd_bus_message *m, void *userdata), void *userdata)
{
        const char *interfaces[] = { NFTBUS_SET_INTERFACE, NFTBUS_MAP_INTERFACE };
        int r = EXIT_FAILED;

        for (size_t i = 0; i < ELEMENTSOF(interfaces); i++) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

                r = node_message(bus, args, "set", interfaces[i], method, &m);
                if (r == -EINVAL)
                        return EXIT_USAGE;
                if (r >= 0 && append)
                        r = append(m, userdata);
                if (r < 0)
                        return call_failed(what, &SD_BUS_ERROR_NULL, r);
                r = sd_bus_call(bus, m, 0, &error, ret_reply);
                if (r >= 0)
                        return EXIT_OK;
                if (i == 0 &&
                    sd_bus_error_has_names(&error, SD_BUS_ERROR_UNKNOWN_INTERFACE, SD_BUS_ERROR_UNKNOWN_METHOD))
                        continue;
                if (sd_bus_error_has_names(&error, SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_INTERFACE)) {
                        fprintf(stderr, "Failed to %s: no set or map %s in table %s %s (%s)\n", what, args[2], args[0],
                                args[1], NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed(what, &error, r);
        }
        return r;
}

static int cmd_list_sets(sd_bus *bus, char **args, int n)
{
        _cleanup_(columns_freep) Columns *table = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        json_t *o, *flag;
        size_t i, k;
        int r;

        if (check_optional_table(args, n) < 0)
                return EXIT_USAGE;
        r = managed_objects(bus, (const char *const[]){ NFTBUS_SET_INTERFACE, NFTBUS_MAP_INTERFACE, NULL },
                            n ? args[0] : NULL, n ? args[1] : NULL, &list, &error);
        if (r < 0)
                return call_failed("list sets", &error, r);
        if (arg_json)
                return print_json(list);
        table = columns_new(
                (const Column[]){
                        { "KIND", 5 }, { "FAMILY", 8 }, { "TABLE", 16 }, { "NAME", 20 }, { "TYPE", 32 }, { "FLAGS" } },
                6);
        if (!table)
                return EXIT_FAILED;
        json_array_foreach (list, i, o) {
                char type[512], flags[128] = "";

                if (streq(json_str(o, "kind"), "map"))
                        snprintf(type, sizeof(type), "%s : %s", json_str(o, "Type"), json_str(o, "ValueType"));
                else
                        snprintf(type, sizeof(type), "%s", json_str(o, "Type"));
                json_array_foreach (json_object_get(o, "Flags"), k, flag) {
                        if (k)
                                strncat(flags, ",", sizeof(flags) - strlen(flags) - 1);
                        strncat(flags, json_string_value(flag), sizeof(flags) - strlen(flags) - 1);
                }
                if (columns_add(table,
                                (const char *const[]){ json_str(o, "kind"), json_str(o, "family"),
                                                       json_str(o, "table"), json_str(o, "Name"), type, flags }) < 0)
                        return EXIT_FAILED;
        }
        columns_print(table, stdout);
        return EXIT_OK;
}

/* add-set FAMILY TABLE NAME TYPE...: the type's words joined ("ipv4_addr . inet_service"); "KEY : VALUE"
 * makes a map. */
static int cmd_add_set(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *type = NULL, *path = NULL;
        char *value = NULL;
        const char *created;
        size_t len = 0;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        for (int i = 3; i < n; i++)
                len += strlen(args[i]) + 1;
        type = calloc(1, len + 1);
        if (!type)
                return EXIT_FAILED;
        for (int i = 3; i < n; i++) {
                if (i > 3)
                        strcat(type, " ");
                strcat(type, args[i]);
        }
        value = strstr(type, " : ");
        if (value) {
                *value = '\0';
                value += 3;
        }
        r = table_path(args[0], args[1], &path);
        if (r >= 0)
                r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, path, NFTBUS_TABLE_INTERFACE,
                                                   value ? "AddMap" : "AddSet");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", args[2], type);
        if (r >= 0 && value)
                r = sd_bus_message_append(m, "s", value);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && arg_flags) {
                _cleanup_strv_free_ char **flags = NULL;
                _cleanup_free_ char *copy = strdup(arg_flags);
                size_t k = 0;
                char *p = copy, *f;

                flags = calloc(strlen(arg_flags) + 2, sizeof(char *));
                if (!flags || !copy)
                        return EXIT_FAILED;
                while ((f = strsep(&p, ",")))
                        if (!(flags[k++] = strdup(f)))
                                return EXIT_FAILED;
                r = append_strv_option(m, "flags", flags);
        }
        if (r >= 0 && arg_has_timeout)
                r = sd_bus_message_append(m, "{sv}", "timeout", "t", arg_timeout);
        if (r >= 0 && arg_size)
                r = sd_bus_message_append(m, "{sv}", "size", "u", (uint32_t) arg_size);
        if (r >= 0 && arg_comment)
                r = sd_bus_message_append(m, "{sv}", "comment", "s", arg_comment);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0)
                return call_failed("add the set", &SD_BUS_ERROR_NULL, r);
        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                if (sd_bus_error_has_name(&error, SD_BUS_ERROR_UNKNOWN_OBJECT)) {
                        fprintf(stderr, "Failed to add the set: no table %s %s (%s)\n", args[0], args[1],
                                NFTBUS_ERROR_NOT_FOUND);
                        return EXIT_NOT_FOUND;
                }
                return call_failed("add the set", &error, r);
        }
        if (sd_bus_message_read(reply, "o", &created) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"path\": \"%s\"}\n", created);
        else
                puts(created);
        return EXIT_OK;
}

static int cmd_delete_set(sd_bus *bus, char **args, int n _unused_)
{
        return set_call(bus, args, "Delete", "delete the set", NULL, NULL, NULL);
}

typedef struct ElementArgs {
        char **elements;
        int n;
        int fd;
        bool options;
} ElementArgs;

static int append_elements(sd_bus_message *m, void *userdata)
{
        ElementArgs *e = userdata;
        int r;

        if (e->fd >= 0)
                r = sd_bus_message_append(m, "h", e->fd);
        else {
                r = sd_bus_message_open_container(m, 'a', "s");
                for (int i = 0; r >= 0 && i < e->n; i++)
                        r = sd_bus_message_append(m, "s", e->elements[i]);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        if (r < 0 || !e->options)
                return r;
        r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && arg_has_timeout)
                r = sd_bus_message_append(m, "{sv}", "timeout", "t", arg_timeout);
        if (r >= 0 && arg_comment)
                r = sd_bus_message_append(m, "{sv}", "comment", "s", arg_comment);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static int cmd_add_element(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_close_ int fd = -EBADF;
        ElementArgs e = { args + 3, n - 3, -EBADF, true };
        uint64_t count = (uint64_t) (n - 3);
        int r;

        if (arg_file) {
                if (n > 3) {
                        fprintf(stderr, "nftbusctl: give elements on the command line or with -f, not both\n");
                        return EXIT_USAGE;
                }
                fd = streq(arg_file, "-") ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
                                          : open(arg_file, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                        fprintf(stderr, "nftbusctl: cannot open %s: %s\n", arg_file, strerror(errno));
                        return EXIT_USAGE;
                }
                e.fd = fd;
        } else if (n == 3) {
                fprintf(stderr, "nftbusctl: give elements, or -f FILE\n");
                return EXIT_USAGE;
        }
        r = set_call(bus, args, fd >= 0 ? "AddElementsFromFd" : "AddElements", "add the elements", &reply,
                     append_elements, &e);
        if (r != EXIT_OK)
                return r;
        if (fd >= 0 && sd_bus_message_read(reply, "t", &count) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"added\": %" PRIu64 "}\n", count);
        else if (fd >= 0)
                printf("%" PRIu64 " elements added\n", count);
        return EXIT_OK;
}

static int cmd_delete_element(sd_bus *bus, char **args, int n)
{
        ElementArgs e = { args + 3, n - 3, -EBADF, false };

        return set_call(bus, args, "DeleteElements", "delete the elements", NULL, append_elements, &e);
}

static int append_fd(sd_bus_message *m, void *userdata)
{
        return sd_bus_message_append(m, "h", *(int *) userdata);
}

/* Streamed to stdout by the service itself, however big the set; --json collects them. */
static int cmd_list_elements(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = NULL;
        const char *s;
        int out = STDOUT_FILENO, r;

        if (!arg_json) {
                fflush(stdout);
                return set_call(bus, args, "ListElementsToFd", "list the elements", NULL, append_fd, &out);
        }
        r = set_call(bus, args, "ListElements", "list the elements", &reply, NULL, NULL);
        if (r != EXIT_OK)
                return r;
        list = json_array();
        if (!list || sd_bus_message_enter_container(reply, 'a', "s") < 0)
                return EXIT_FAILED;
        while ((r = sd_bus_message_read_basic(reply, 's', &s)) > 0)
                if (json_array_append_new(list, json_string(s)) < 0)
                        return EXIT_FAILED;
        return r < 0 ? EXIT_FAILED : print_json(list);
}

static int append_element(sd_bus_message *m, void *userdata)
{
        return sd_bus_message_append(m, "s", (const char *) userdata);
}

/* Exit status 0 when the set has it, 1 when not, as grep does. */
static int cmd_has_element(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int found, r;

        r = set_call(bus, args, "HasElement", "look the element up", &reply, append_element, args[3]);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "b", &found) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"found\": %s}\n", found ? "true" : "false");
        else
                puts(found ? "yes" : "no");
        return found ? EXIT_OK : EXIT_FAILED;
}

#define RULE_PLACE (OPT_COMMENT | OPT_INDEX)

static const Verb verbs[] = {
        { "status", NULL, 0, 0, "", "Show the service's version and backend", 0, cmd_status },
        { "list-tables", NULL, 0, 0, "", "List the kernel's tables", 0, cmd_list_tables },
        { "add-table", NULL, 2, 2, "FAMILY NAME", "Add a table (ip ip6 inet arp bridge netdev)", 0, cmd_add_table },
        { "delete-table", NULL, 2, 2, "FAMILY NAME", "Delete a table and everything in it", 0, cmd_delete_table },
        { "flush-table", NULL, 2, 2, "FAMILY NAME", "Remove every rule of a table", 0, cmd_flush_table },
        { "list-chains", NULL, 0, 2, "[FAMILY TABLE]", "List chains with type, hook, priority, policy", 0,
          cmd_list_chains },
        { "add-chain", NULL, 3, 3, "FAMILY TABLE NAME", "Add a chain; a base chain with --hook",
          OPT_HOOK | OPT_TYPE | OPT_PRIORITY | OPT_POLICY | OPT_DEVICE | OPT_COMMENT, cmd_add_chain },
        { "delete-chain", NULL, 3, 3, "FAMILY TABLE NAME", "Delete a chain and its rules", 0, cmd_delete_chain },
        { "list-rules", NULL, 3, 3, "FAMILY TABLE CHAIN", "List a chain's rules with their handles", 0,
          cmd_list_rules },
        { "add-rule", NULL, 4, -1, "FAMILY TABLE CHAIN RULE...", "Append a rule (nft syntax); prints its handle",
          RULE_PLACE | OPT_AFTER, cmd_add_rule },
        { "insert-rule", NULL, 4, -1, "FAMILY TABLE CHAIN RULE...",
          "Insert a rule at the start (or --before, --index)", RULE_PLACE | OPT_BEFORE, cmd_insert_rule },
        { "replace-rule", NULL, 5, -1, "FAMILY TABLE CHAIN HANDLE RULE...", "Replace a rule, keeping its handle", 0,
          cmd_replace_rule },
        { "delete-rule", NULL, 4, 4, "FAMILY TABLE CHAIN HANDLE", "Delete a rule", 0, cmd_delete_rule },
        { "list-objects", NULL, 0, 2, "[FAMILY TABLE]", "List named counters, quotas, limits, flowtables", 0,
          cmd_list_objects },
        { "reset-counter", NULL, 3, 3, "FAMILY TABLE NAME", "Zero a named counter; prints what it held", 0,
          cmd_reset_counter },
        { "list-sets", NULL, 0, 2, "[FAMILY TABLE]", "List sets and maps with type and flags", 0, cmd_list_sets },
        { "add-set", NULL, 4, -1, "FAMILY TABLE NAME TYPE [: VALUE_TYPE]",
          "Add a set (TYPE e.g. ipv4_addr . inet_service);\n\"KEY_TYPE : VALUE_TYPE\" adds a map",
          OPT_FLAGS | OPT_TIMEOUT | OPT_SIZE | OPT_COMMENT, cmd_add_set },
        { "delete-set", NULL, 3, 3, "FAMILY TABLE NAME", "Delete a set or map", 0, cmd_delete_set },
        { "add-element", NULL, 3, -1, "FAMILY TABLE SET [ELEMENT...]",
          "Add elements in one transaction, or -f FILE\n(one per line, - for stdin) of any size",
          OPT_TIMEOUT | OPT_COMMENT | OPT_FILE, cmd_add_element },
        { "delete-element", NULL, 4, -1, "FAMILY TABLE SET ELEMENT...", "Delete elements in one transaction", 0,
          cmd_delete_element },
        { "list-elements", NULL, 3, 3, "FAMILY TABLE SET", "Print the elements, one per line", 0, cmd_list_elements },
        { "has-element", NULL, 4, 4, "FAMILY TABLE SET ELEMENT", "yes (exit 0) or no (exit 1)", 0, cmd_has_element },
        { "sysctl", "list", 0, 0, "", "The network sysctls nftbus manages, with values", 0, cmd_sysctl },
        { "sysctl", "get", 1, 1, "NAME", "One of them (e.g. net.ipv4.ip_forward)", 0, cmd_sysctl },
        { "sysctl", "set", 2, 2, "NAME VALUE", "Set one (net.ipv4.conf.IFNAME.* per interface)", 0, cmd_sysctl },
        { "nat", "masquerade", 1, -1, "OUT_INTERFACE [source=PREFIX] [family=ipv4|ipv6]",
          "Source NAT to OUT_INTERFACE's address", 0, cmd_nat },
        { "nat", "forward", 4, -1, "tcp|udp PORT TO_ADDRESS TO_PORT [in_interface=IF] [source=PREFIX]",
          "Forward a port", 0, cmd_nat },
        { "nat", "snat", 2, -1, "OUT_INTERFACE TO_ADDRESS [source=PREFIX]", "Source NAT to TO_ADDRESS", 0, cmd_nat },
        { "nat", "dnat", 2, -1,
          "DESTINATION TO_ADDRESS [in_interface=IF] [source=PREFIX] [protocol=P port=N to_port=N]", "Destination NAT",
          0, cmd_nat },
        { "nat", "static", 2, 2, "PUBLIC PRIVATE", "One-to-one NAT, both directions", 0, cmd_nat },
        { "nat", "redirect", 3, -1, "tcp|udp PORT TO_PORT [in_interface=IF] [source=PREFIX] [family=F]",
          "Redirect a port to this host", 0, cmd_nat },
        { "nat", "list", 0, 0, "", "The entries, with the ids the commands above print", 0, cmd_nat },
        { "nat", "remove", 1, 1, "ID", "Remove an entry", 0, cmd_nat },
        { "preset", "list", 0, 0, "", "The presets (workstation, server, router, harden)", 0, cmd_preset },
        { "preset", "show", 1, 1, "NAME", "A preset's options, types and defaults", 0, cmd_preset },
        { "preset", "preview", 1, -1, "NAME [OPTION=VALUE...]", "The nft commands and sysctls apply would send now", 0,
          cmd_preset },
        { "preset", "apply", 1, -1, "NAME [OPTION=VALUE...]",
          "Apply it, one transaction; lists are comma-separated\nor @FILE (one per line, @- for stdin)", 0,
          cmd_preset },
        { "apply", NULL, 0, 0, "",
          "Apply a batch (nft syntax or JSON) from -f as one\ntransaction; --check: the kernel checks it, nothing "
          "changes",
          OPT_FILE | OPT_CHECK, cmd_apply },
        { "export", NULL, 0, 0, "", "Print the ruleset as a batch apply takes back",
          OPT_FAMILY | OPT_TABLE | OPT_FORMAT, cmd_export },
        { "save", NULL, 0, -1, "[FAMILY NAME]...",
          "Save the tables made through nftbus (and those named)\nfor the service to restore at start", 0, cmd_save },
        { "monitor", NULL, 0, 0, "", "Print the firewall's changes as they happen, by anyone", 0, cmd_monitor },
};

static void help(void)
{
        printf("nftbusctl [OPTIONS...] COMMAND [OPTIONS...] [ARGS...]\n\n"
               "Manage the nftables firewall through the nftbus service (%s).\n\n"
               "Commands (nftbusctl COMMAND --help shows one with its options):\n",
               NFTBUS_BUS_NAME);
        verbs_list(stdout, verbs, ELEMENTSOF(verbs));
        printf("\nOptions for every command:\n"
               "  -h --help                 Show this help, or a command's\n"
               "     --version              Show the version\n"
               "     --json                 Print listings and results as JSON\n"
               "     --no-ask-password      Do not ask for a password; fail if polkit would\n"
               "  A command's own options go before its arguments: the rule text is the rest of the line.\n\n"
               "Exit status:\n"
               "  0 success, 1 the service refused or failed, 2 usage error or invalid argument,\n"
               "  3 not found, 4 access denied, 5 the service is not reachable.\n");
}

int parse_decimal(const char *s, uint64_t max, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno || *end || end == s || *s == '-' || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_number(const char *s, uint64_t max, uint64_t *ret)
{
        if (parse_decimal(s, max, ret) < 0) {
                fprintf(stderr, "nftbusctl: '%s' is not a number from 0 to %" PRIu64 "\n", s, max);
                return -EINVAL;
        }
        return 0;
}

/* Options may come before the command and between the command and its arguments; "+" stops at the
 * first argument, so rule text like "meta mark set 1" or a negative priority is never taken apart. */
static uint32_t arg_given; /* the OPT_* bits of the options given */
static bool arg_help;

static int parse_options(int argc, char *argv[])
{
        enum {
                ARG_VERSION = 0x100,
                ARG_JSON,
                ARG_NO_ASK_PASSWORD,
                ARG_TYPE,
                ARG_HOOK,
                ARG_PRIORITY,
                ARG_POLICY,
                ARG_DEVICE,
                ARG_COMMENT,
                ARG_INDEX,
                ARG_AFTER,
                ARG_BEFORE,
                ARG_FLAGS,
                ARG_TIMEOUT,
                ARG_SIZE,
                ARG_CHECK,
                ARG_FAMILY,
                ARG_TABLE,
                ARG_FORMAT,
        };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "json", no_argument, NULL, ARG_JSON },
                { "no-ask-password", no_argument, NULL, ARG_NO_ASK_PASSWORD },
                { "type", required_argument, NULL, ARG_TYPE },
                { "hook", required_argument, NULL, ARG_HOOK },
                { "priority", required_argument, NULL, ARG_PRIORITY },
                { "policy", required_argument, NULL, ARG_POLICY },
                { "device", required_argument, NULL, ARG_DEVICE },
                { "comment", required_argument, NULL, ARG_COMMENT },
                { "index", required_argument, NULL, ARG_INDEX },
                { "after", required_argument, NULL, ARG_AFTER },
                { "before", required_argument, NULL, ARG_BEFORE },
                { "flags", required_argument, NULL, ARG_FLAGS },
                { "timeout", required_argument, NULL, ARG_TIMEOUT },
                { "size", required_argument, NULL, ARG_SIZE },
                { "check", no_argument, NULL, ARG_CHECK },
                { "family", required_argument, NULL, ARG_FAMILY },
                { "table", required_argument, NULL, ARG_TABLE },
                { "format", required_argument, NULL, ARG_FORMAT },
                { "file", required_argument, NULL, 'f' },
                {},
        };
        uint64_t v;
        int c;

        while ((c = getopt_long(argc, argv, "+hf:", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        arg_help = true;
                        break;
                case ARG_VERSION:
                        puts(PROJECT_VERSION);
                        return 0;
                case ARG_JSON:
                        arg_json = true;
                        break;
                case ARG_NO_ASK_PASSWORD:
                        arg_ask_password = false;
                        break;
                case ARG_TYPE:
                        arg_given |= OPT_TYPE;
                        arg_type = optarg;
                        break;
                case ARG_HOOK:
                        arg_given |= OPT_HOOK;
                        arg_hook = optarg;
                        break;
                case ARG_PRIORITY:
                        arg_given |= OPT_PRIORITY;
                        arg_priority = optarg;
                        break;
                case ARG_POLICY:
                        arg_given |= OPT_POLICY;
                        arg_policy = optarg;
                        break;
                case ARG_DEVICE:
                        arg_given |= OPT_DEVICE;
                        if (arg_n_devices + 1 >= ELEMENTSOF(arg_devices)) {
                                fprintf(stderr, "nftbusctl: at most %zu devices\n", ELEMENTSOF(arg_devices) - 1);
                                return -EINVAL;
                        }
                        arg_devices[arg_n_devices++] = optarg;
                        break;
                case ARG_COMMENT:
                        arg_given |= OPT_COMMENT;
                        arg_comment = optarg;
                        break;
                case ARG_INDEX:
                        arg_given |= OPT_INDEX;
                        if (parse_number(optarg, UINT32_MAX, &v) < 0)
                                return -EINVAL;
                        arg_index = (uint32_t) v;
                        arg_has_index = true;
                        break;
                case ARG_AFTER:
                case ARG_BEFORE:
                        arg_given |= c == ARG_BEFORE ? OPT_BEFORE : OPT_AFTER;
                        if (parse_number(optarg, INT64_MAX, &v) < 0)
                                return -EINVAL;
                        arg_position = v;
                        arg_has_position = true;
                        arg_position_before = c == ARG_BEFORE;
                        break;
                case ARG_FLAGS:
                        arg_given |= OPT_FLAGS;
                        arg_flags = optarg;
                        break;
                case ARG_TIMEOUT:
                        arg_given |= OPT_TIMEOUT;
                        if (parse_number(optarg, UINT32_MAX, &arg_timeout) < 0)
                                return -EINVAL;
                        arg_has_timeout = true;
                        break;
                case ARG_SIZE:
                        arg_given |= OPT_SIZE;
                        if (parse_number(optarg, UINT32_MAX, &arg_size) < 0)
                                return -EINVAL;
                        break;
                case 'f':
                        arg_given |= OPT_FILE;
                        arg_file = optarg;
                        break;
                case ARG_CHECK:
                        arg_given |= OPT_CHECK;
                        arg_check = true;
                        break;
                case ARG_FAMILY:
                        arg_given |= OPT_FAMILY;
                        arg_family = optarg;
                        break;
                case ARG_TABLE:
                        arg_given |= OPT_TABLE;
                        arg_table = optarg;
                        break;
                case ARG_FORMAT:
                        arg_given |= OPT_FORMAT;
                        arg_format = optarg;
                        break;
                default:
                        return -EINVAL;
                }
        return 1;
}

int main(int argc, char *argv[])
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *why = NULL;
        const Verb *verb;
        bool group;
        int r, n;

        r = parse_options(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        if (optind >= argc) {
                if (arg_help) {
                        help();
                        return EXIT_OK;
                }
                fprintf(stderr, "nftbusctl: a command is needed; see --help\n");
                return EXIT_USAGE;
        }
        /* the verb (and the sub-verb of a group), then the verb's own options, then its arguments */
        argv += optind;
        argc -= optind;
        verb = verb_find(verbs, ELEMENTSOF(verbs), argv, argc, &group);
        if (!verb) {
                if (group) {
                        /* "nftbusctl sysctl --help" */
                        optind = 1;
                        if (parse_options(argc, argv) < 0)
                                return EXIT_USAGE;
                }
                if (group && arg_help) {
                        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                                if (streq(verbs[i].name, argv[0]))
                                        verb_help(stdout, &verbs[i]), putchar('\n');
                        return EXIT_OK;
                }
                if (group)
                        fprintf(stderr, "nftbusctl: %s needs one of:%s", argv[0], "");
                else
                        fprintf(stderr, "nftbusctl: unknown command '%s'; see --help\n", argv[0]);
                for (size_t i = 0; group && i < ELEMENTSOF(verbs); i++)
                        if (streq(verbs[i].name, argv[0]))
                                fprintf(stderr, " %s", verbs[i].sub);
                if (group)
                        fputc('\n', stderr);
                return EXIT_USAGE;
        }
        /* getopt takes argv[0] as the program: the sub-verb of a group stays in the arguments */
        optind = 1;
        r = parse_options(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        n = argc - optind;
        if (verb->sub && !arg_help) {
                /* the sub-verb came first; options may follow it */
                if (n < 1 || !streq(argv[optind], verb->sub)) {
                        fprintf(stderr, "nftbusctl: options go after \"%s %s\"\n", verb->name, verb->sub);
                        return EXIT_USAGE;
                }
                optind++;
                n--;
                r = parse_options(argc, argv);
                if (r <= 0)
                        return r < 0 ? EXIT_USAGE : EXIT_OK;
                n = argc - optind;
        }
        if (arg_help) {
                verb_help(stdout, verb);
                return EXIT_OK;
        }
        if (verb_check_options(verb, arg_given, &why) < 0) {
                fprintf(stderr, "nftbusctl: %s; see nftbusctl %s%s%s --help\n",
                        why ? why : "an option does not go here", verb->name, verb->sub ? " " : "",
                        verb->sub ? verb->sub : "");
                return EXIT_USAGE;
        }
        if (verb_check_arguments(verb, n) < 0) {
                fputs("nftbusctl: usage: nftbusctl ", stderr);
                verb_usage(stderr, verb);
                return EXIT_USAGE;
        }
        if (arg_has_index && arg_has_position) {
                fprintf(stderr, "nftbusctl: give --index or --after/--before, not both\n");
                return EXIT_USAGE;
        }
        r = nftbus_errors_register();
        if (r >= 0)
                r = sd_bus_open_system(&bus);
        if (r < 0) {
                fprintf(stderr, "Failed to connect to the system bus: %s\n", strerror(-r));
                return EXIT_UNAVAILABLE;
        }
        (void) sd_bus_set_allow_interactive_authorization(bus, arg_ask_password);
        agent_open();
        if (verb->sub) {
                /* a group's run() takes its sub-verb as the first argument */
                _cleanup_free_ char **args = calloc(n + 2, sizeof(char *));
                if (!args)
                        return EXIT_FAILED;
                args[0] = (char *) verb->sub;
                memcpy(args + 1, argv + optind, n * sizeof(char *));
                r = verb->run(bus, args, n + 1);
        } else
                r = verb->run(bus, argv + optind, n);
        agent_close();
        return r;
}
