/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl: a small client of org.nftbus.Firewall1, in the manner of busctl and systemctl. */

#include <errno.h>
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

#include "batch.h"
#include "config.h"
#include "errors.h"
#include "objpath.h"
#include "util.h"
#include "validate.h"

/* Exit status, documented in --help. */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,        /* the service refused or failed */
        EXIT_USAGE = 2,         /* bad command line or invalid argument */
        EXIT_NOT_FOUND = 3,     /* no such table (or other object) */
        EXIT_ACCESS_DENIED = 4, /* polkit said no */
        EXIT_UNAVAILABLE = 5,   /* no bus, or the service is not running */
};

#define PKTTYAGENT "/usr/bin/pkttyagent"

static bool arg_json = false;
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

/* Prints the failure of a call with its error name, and returns the exit status it means. */
static int call_failed(const char *what, const sd_bus_error *e, int r)
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

static int print_json(json_t *j)
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
        return sd_bus_get_property_string(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, property,
                                          error, ret);
}

static int cmd_status(sd_bus *bus, char **args _unused_)
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
                _cleanup_(json_decrefp) json_t *j =
                        json_pack("{s:s, s:s, s:s}", "service", NFTBUS_BUS_NAME, "version", version,
                                  "backend_version", backend);
                return j ? print_json(j) : EXIT_FAILED;
        }
        printf("Service: %s\nVersion: %s\nBackend: libnftables %s\n", NFTBUS_BUS_NAME, version, backend);
        return EXIT_OK;
}

static int cmd_list_tables(sd_bus *bus, char **args _unused_)
{
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
        if (!arg_json)
                printf("%-8s %s\n", "FAMILY", "NAME");
        while ((r = sd_bus_message_read(reply, "(sso)", &family, &name, &path)) > 0) {
                if (arg_json)
                        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "family", family, "name", name,
                                                              "path", path));
                else
                        printf("%-8s %s\n", family, name);
        }
        if (r < 0)
                return call_failed("read the tables", &error, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

static int cmd_add_table(sd_bus *bus, char **args)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (check_table_args(args[0], args[1]) < 0)
                return EXIT_USAGE;
        r = sd_bus_call_method(bus, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "AddTable", &error,
                               NULL, "ssa{sv}", args[0], args[1], 0);
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

static int cmd_delete_table(sd_bus *bus, char **args)
{
        return table_method(bus, args, "Delete", "delete the table");
}

static int cmd_flush_table(sd_bus *bus, char **args)
{
        return table_method(bus, args, "Flush", "flush the table");
}

static const struct {
        const char *name;
        int args;
        const char *usage;
        int (*run)(sd_bus *bus, char **args);
} commands[] = {
        { "status", 0, "status", cmd_status },
        { "list-tables", 0, "list-tables", cmd_list_tables },
        { "add-table", 2, "add-table FAMILY NAME", cmd_add_table },
        { "delete-table", 2, "delete-table FAMILY NAME", cmd_delete_table },
        { "flush-table", 2, "flush-table FAMILY NAME", cmd_flush_table },
};

static void help(void)
{
        printf("nftbusctl [OPTIONS...] COMMAND [ARGS...]\n\n"
               "Manage the nftables firewall through the nftbus service (%s).\n\n"
               "Commands:\n"
               "  status                    Show the service's version and backend\n"
               "  list-tables               List the kernel's tables\n"
               "  add-table FAMILY NAME     Add a table (families: ip ip6 inet arp bridge netdev)\n"
               "  delete-table FAMILY NAME  Delete a table and everything in it\n"
               "  flush-table FAMILY NAME   Remove every rule of a table\n\n"
               "Options:\n"
               "  -h --help                 Show this help\n"
               "     --version              Show the version\n"
               "     --json                 Print listings as JSON\n"
               "     --no-ask-password      Do not ask for a password; fail if polkit would\n\n"
               "Exit status:\n"
               "  0 success, 1 the service refused or failed, 2 usage error or invalid argument,\n"
               "  3 not found, 4 access denied, 5 the service is not reachable.\n",
               NFTBUS_BUS_NAME);
}

static int parse_argv(int argc, char *argv[])
{
        enum { ARG_VERSION = 0x100, ARG_JSON, ARG_NO_ASK_PASSWORD };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "json", no_argument, NULL, ARG_JSON },
                { "no-ask-password", no_argument, NULL, ARG_NO_ASK_PASSWORD },
                {},
        };
        int c;

        /* "+": options end at the command, as for nft's rule text later */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        puts(PROJECT_VERSION);
                        return 0;
                case ARG_JSON:
                        arg_json = true;
                        break;
                case ARG_NO_ASK_PASSWORD:
                        arg_ask_password = false;
                        break;
                default:
                        return -EINVAL;
                }
        return 1;
}

int main(int argc, char *argv[])
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        int r;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_OK;
        if (optind >= argc) {
                fprintf(stderr, "nftbusctl: a command is needed; see --help\n");
                return EXIT_USAGE;
        }

        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                if (!streq(commands[i].name, argv[optind]))
                        continue;
                if (argc - optind - 1 != commands[i].args) {
                        fprintf(stderr, "nftbusctl: usage: nftbusctl %s\n", commands[i].usage);
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
                r = commands[i].run(bus, argv + optind + 1);
                agent_close();
                return r;
        }
        fprintf(stderr, "nftbusctl: unknown command '%s'; see --help\n", argv[optind]);
        return EXIT_USAGE;
}
