/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl apply, export and save: the Manager's whole-ruleset methods. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"

int read_file_text(const char *path, char **ret)
{
        FILE *f = streq(path, "-") ? stdin : fopen(path, "re");
        int r;

        if (!f) {
                fprintf(stderr, "nftbusctl: cannot open %s: %s\n", path, strerror(errno));
                return -EINVAL;
        }
        r = read_text_stream(f, ret);
        if (f != stdin)
                fclose(f);
        if (r == -EBADMSG)
                fprintf(stderr, "nftbusctl: %s holds a NUL byte: not text\n", path);
        else if (r < 0)
                fprintf(stderr, "nftbusctl: cannot read %s: %s\n", path, strerror(-r));
        return r < 0 ? -EINVAL : 0;
}

int cmd_apply(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *batch = NULL;
        const char *echo;
        int r;

        if (!arg_file) {
                fprintf(stderr, "nftbusctl: usage: nftbusctl apply [--check] [--replace] -f FILE|-\n");
                return EXIT_USAGE;
        }
        if (read_file_text(arg_file, &batch) < 0)
                return EXIT_USAGE;
        r = call_nftbus(bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Apply",
                        arg_check ? "check the batch" : "apply the batch", &reply, "sa{sv}", batch, 2, "check", "b",
                        arg_check, "replace", "b", arg_replace);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "s", &echo) < 0)
                return EXIT_FAILED;
        if (arg_json) {
                _cleanup_(json_decrefp) json_t *j = json_pack("{s:s, s:b}", "echo", echo, "applied", !arg_check);
                return j ? print_json(j) : EXIT_FAILED;
        }
        fputs(echo, stdout);
        return EXIT_OK;
}

int cmd_export(sd_bus *bus, char **args _unused_, int n _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r;

        /* written to stdout by the service itself: a ruleset of any size, even one larger than a message
         * of the bus; where the connection passes no descriptors (ssh, -H), in the reply */
        bool fd = sd_bus_can_send(bus, SD_BUS_TYPE_UNIX_FD) > 0;
        fflush(stdout);
        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE,
                                           fd ? "ExportToFd" : "Export");
        if (r >= 0 && fd)
                r = sd_bus_message_append(m, "h", STDOUT_FILENO);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0)
                r = append_string_options(m, (const char *const[]){ "family", arg_family, "table", arg_table, "format",
                                                                    arg_format ? arg_format
                                                                    : arg_json ? "json"
                                                                               : NULL,
                                                                    NULL });
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return call_failed("export the ruleset", &error, r);
        if (!fd) {
                const char *batch;
                if (sd_bus_message_read(reply, "s", &batch) < 0)
                        return EXIT_FAILED;
                fputs(batch, stdout);
        }
        return EXIT_OK;
}

int cmd_save(sd_bus *bus, char **args, int n)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        if (n % 2 != 0) {
                fprintf(stderr, "nftbusctl: usage: nftbusctl save [FAMILY NAME]...\n");
                return EXIT_USAGE;
        }
        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "Save");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && n > 0) {
                r = sd_bus_message_open_container(m, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(m, "s", "tables");
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'v', "as");
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'a', "s");
                for (int i = 0; r >= 0 && i < n; i += 2) {
                        _cleanup_free_ char *name = NULL;
                        r = asprintf(&name, "%s %s", args[i], args[i + 1]) < 0 ? -ENOMEM : 0;
                        if (r >= 0)
                                r = sd_bus_message_append(m, "s", name);
                }
                for (int k = 0; r >= 0 && k < 3; k++)
                        r = sd_bus_message_close_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, NULL);
        if (r < 0)
                return call_failed("save the ruleset", &error, r);
        return EXIT_OK;
}
