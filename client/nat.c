/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl nat ...: org.nftbus.Firewall1.NAT. Each kind of entry is one method with its positional
 * arguments (s or q each) and NAME=VALUE options after them. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "busjson.h"
#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"

/* The method behind each kind; its usage and argument count are in nftbusctl.c's verb table. */
typedef struct NatCommand {
        const char *name;
        const char *method;
        const char *signature; /* of the positional arguments */
} NatCommand;

static const NatCommand nat_commands[] = {
        { "masquerade", "Masquerade", "s" }, { "forward", "PortForward", "sqsq" }, { "snat", "SourceNat", "ss" },
        { "dnat", "DestinationNat", "ss" },  { "static", "StaticNat", "ss" },      { "redirect", "Redirect", "sqq" },
};

static const KeyType nat_options[] = {
        { "in_interface", "s" }, { "source", "s" },    { "family", "s" },  { "protocol", "s" },
        { "port", "u" },         { "port_last", "u" }, { "to_port", "u" },
};

static int nat_add(sd_bus *bus, const NatCommand *cmd, char **args, int n)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int positional = (int) strlen(cmd->signature), r;
        _cleanup_free_ char *port_last = NULL;
        const char *id;

        if (n < positional)
                return EXIT_USAGE; /* the verb table made sure */
        r = sd_bus_message_new_method_call(bus, &m, NFTBUS_BUS_NAME, NFTBUS_NAT_PATH, NFTBUS_NAT_INTERFACE,
                                           cmd->method);
        for (int i = 0; r >= 0 && i < positional; i++) {
                if (cmd->signature[i] == 's') {
                        r = sd_bus_message_append(m, "s", args[i]);
                        continue;
                }
                /* PORT, the argument after PROTOCOL, may be a range FIRST-LAST: LAST is option port_last */
                _cleanup_free_ char *first = strdup(args[i]);
                char *dash = first ? strchr(first, '-') : NULL;
                uint64_t v, last;
                if (!first)
                        return call_failed("build the call", NULL, -ENOMEM);
                if (dash && (i != 1 || parse_decimal(dash + 1, UINT16_MAX, &last) < 0 ||
                             asprintf(&port_last, "port_last=%" PRIu64, last) < 0)) {
                        fprintf(stderr, "nftbusctl: '%s' is not a port or a range of ports (FIRST-LAST)\n", args[i]);
                        return EXIT_USAGE;
                }
                if (dash)
                        *dash = '\0';
                if (parse_decimal(first, UINT16_MAX, &v) < 0) {
                        fprintf(stderr, "nftbusctl: '%s' is not a port (0 to 65535)\n", args[i]);
                        return EXIT_USAGE;
                }
                r = sd_bus_message_append(m, "q", (uint16_t) v);
        }
        if (r >= 0) {
                /* the options given, and port_last from a range */
                _cleanup_free_ char **options = calloc((size_t) (n - positional) + 1, sizeof(char *));
                int n_options = 0;
                if (!options)
                        return call_failed("build the call", NULL, -ENOMEM);
                for (int i = positional; i < n; i++)
                        options[n_options++] = args[i];
                if (port_last)
                        options[n_options++] = port_last;
                r = append_key_values(m, options, n_options, nat_options, ELEMENTSOF(nat_options));
        }
        if (r == -EINVAL)
                return EXIT_USAGE;
        if (r < 0)
                return call_failed("build the call", NULL, r);
        r = call_built(bus, m, "add the NAT entry", &reply);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "s", &id) < 0)
                return EXIT_FAILED;
        if (arg_json) {
                _cleanup_(json_decrefp) json_t *j = json_pack("{s:s}", "id", id);
                return j ? print_json(j) : EXIT_FAILED;
        }
        puts(id);
        return EXIT_OK;
}

/* The strings of array joined by separator; NULL when out of memory. */
static char *json_join_strings(const json_t *array, const char *separator)
{
        char *buf = NULL;
        size_t size = 0, i;
        json_t *item;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        json_array_foreach (array, i, item)
                fprintf(f, "%s%s", i ? separator : "", strempty(json_string_value(item)));
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

/* one entry's parameters (a{sv}) as JSON, and appended to line as " name=value" */
static int read_parameters(sd_bus_message *reply, json_t **ret_params, char **line)
{
        const char *name;
        json_t *params = NULL, *value;
        int r;

        r = bus_read_json(reply, &params);
        if (r < 0)
                return r;
        json_object_foreach (params, name, value) {
                char *grown = NULL;
                if (json_is_integer(value))
                        r = asprintf(&grown, "%s %s=%" JSON_INTEGER_FORMAT, *line, name, json_integer_value(value));
                else if (json_is_array(value)) { /* absent_interfaces=wg0,wg1 */
                        _cleanup_free_ char *joined = json_join_strings(value, ",");
                        r = joined ? asprintf(&grown, "%s %s=%s", *line, name, joined) : -1;
                } else
                        r = asprintf(&grown, "%s %s=%s", *line, name, strempty(json_string_value(value)));
                if (r < 0) {
                        json_decref(params);
                        return -ENOMEM;
                }
                free(*line);
                *line = grown;
        }
        *ret_params = params;
        return 0;
}

static int nat_list(sd_bus *bus)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *id, *kind;
        int r;

        r = call_nftbus(bus, NFTBUS_NAT_PATH, NFTBUS_NAT_INTERFACE, "List", "list the NAT entries", &reply, NULL);
        if (r != EXIT_OK)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "(ssa{sv})");
        while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'r', "ssa{sv}")) > 0) {
                json_t *params = NULL;
                _cleanup_free_ char *line = NULL;
                r = sd_bus_message_read(reply, "ss", &id, &kind);
                if (r >= 0)
                        r = asprintf(&line, "%s %s", id, kind) < 0 ? -ENOMEM : 0;
                if (r >= 0)
                        r = read_parameters(reply, &params, &line);
                if (r >= 0)
                        r = sd_bus_message_exit_container(reply);
                if (r >= 0 && arg_json)
                        json_array_append_new(
                                list, json_pack("{s:s, s:s, s:o}", "id", id, "kind", kind, "parameters", params));
                else {
                        json_decref(params);
                        if (r >= 0)
                                puts(line);
                }
        }
        if (r < 0)
                return call_failed("read the NAT entries", NULL, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

static int nat_remove(sd_bus *bus, const char *id)
{
        return call_nftbus(bus, NFTBUS_NAT_PATH, NFTBUS_NAT_INTERFACE, "Remove", "remove the NAT entry", NULL, "s",
                           id);
}

int cmd_nat(sd_bus *bus, char **args, int n)
{
        for (size_t i = 0; i < ELEMENTSOF(nat_commands); i++)
                if (streq(args[0], nat_commands[i].name))
                        return nat_add(bus, &nat_commands[i], args + 1, n - 1);
        if (streq(args[0], "list") && n == 1)
                return nat_list(bus);
        if (streq(args[0], "remove") && n == 2)
                return nat_remove(bus, args[1]);
        return EXIT_USAGE; /* the verb table let through nothing else */
}
