/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl's rule verbs: list-rules, add-rule, insert-rule, replace-rule, delete-rule. */

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "common/objpath.h"
#include "common/util.h"
#include "nftbusctl.h"

int cmd_list_rules(sd_bus *bus, char **args, int n _unused_)
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
        if (r >= 0)
                r = append_string_options(m, (const char *const[]){ "comment", arg_comment, NULL });
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
        return print_number("handle", handle, "");
}

int cmd_add_rule(sd_bus *bus, char **args, int n)
{
        return add_rule(bus, args, n, false);
}

int cmd_insert_rule(sd_bus *bus, char **args, int n)
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

int cmd_replace_rule(sd_bus *bus, char **args, int n)
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

int cmd_delete_rule(sd_bus *bus, char **args, int n _unused_)
{
        uint64_t handle;

        if (parse_handle(args[3], &handle) < 0)
                return EXIT_USAGE;
        return node_call(bus, args, "chain", NFTBUS_CHAIN_INTERFACE, "DeleteRule", "delete the rule", NULL, "t",
                         handle);
}
