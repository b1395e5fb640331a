/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What nftbusctl's command files share: exit statuses, --json, and how a failed call is reported. nftbusctl.c
 * has the verb table, the options and main(); call.c how a verb calls the service and reports; each group of
 * commands its file (tables.c, rules.c, objects.c, sets.c, sysctl.c, nat.c, preset.c, zones.c, ruleset.c,
 * monitor.c), with keyvalue.c for the NAME=VALUE options of sysctl, nat and preset. */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "columns.h"

/* Exit status, documented in --help. */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,        /* the service refused or failed */
        EXIT_USAGE = 2,         /* bad command line or invalid argument */
        EXIT_NOT_FOUND = 3,     /* no such table (or other object) */
        EXIT_ACCESS_DENIED = 4, /* polkit said no */
        EXIT_UNAVAILABLE = 5,   /* no bus, or the service is not running */
};

/* The options, as nftbusctl.c's parse_options() found them (verbs.h says which verb takes which). */
extern bool arg_json;
extern const char *arg_file, *arg_family, *arg_table, *arg_format;
extern bool arg_check;
extern bool arg_replace;
extern bool arg_details;
extern bool arg_permanent;
extern const char *arg_type, *arg_hook, *arg_priority, *arg_policy, *arg_comment, *arg_flags;
extern char *arg_devices[17];
extern size_t arg_n_devices;
extern uint64_t arg_timeout, arg_size;
extern bool arg_has_timeout, arg_has_index, arg_has_position, arg_position_before;
extern uint32_t arg_index;
extern uint64_t arg_position;
extern uint64_t arg_call_timeout;
/* the file of -f while a call reads it: its progress is shown on a terminal (call_method()) */
extern int progress_fd;

/* The object path a call made (its reply's "o"), printed with --json as {"path": ...}; quiet otherwise. */
int print_made(sd_bus_message *reply);

/* sd_bus_call(), with the progress of progress_fd on stderr while it waits, when that is a terminal. */
int call_method(sd_bus *bus, sd_bus_message *m, sd_bus_error *error, sd_bus_message **ret_reply);

/* What the verb groups share (call.c). */
/* FAMILY and NAME of a table, checked; EXIT_USAGE (said on stderr) or 0. */
int check_table_args(const char *family, const char *name);
/* [FAMILY TABLE]: none or both, checked. */
int check_optional_table(char **args, int n);
/* A method call to the object FAMILY TABLE NAME (args) of kind, built or sent; EXIT_*. */
int node_message(sd_bus *bus, char **args, const char *kind, const char *interface, const char *method,
                 sd_bus_message **ret);
int node_send(sd_bus *bus, sd_bus_message *m, char **args, const char *kind, const char *what,
              sd_bus_message **ret_reply);
int node_call(sd_bus *bus, char **args, const char *kind, const char *interface, const char *method, const char *what,
              sd_bus_message **ret_reply, const char *types, ...);
/* The objects of the interfaces (below family and table when given), from GetManagedObjects, as a JSON array
 * of {"kind", "family", "table", properties...}. */
int managed_objects(sd_bus *bus, const char *const *interfaces, const char *family, const char *table, json_t **ret,
                    sd_bus_error *error);
/* A list-* verb: the objects of interfaces below [FAMILY TABLE] (args), printed as JSON with --json, else as a
 * table of these columns, add_row() adding each object's row (-ENOMEM). Returns EXIT_*. */
typedef struct ObjectTable {
        const Column *columns;
        size_t n_columns;
        int (*add_row)(Columns *table, json_t *object);
} ObjectTable;
int list_objects(sd_bus *bus, char **args, int n, const char *const *interfaces, const char *what,
                 const ObjectTable *shown);

/* The failure of a call that adds to a table (args[0], args[1]): NotFound when the table is not there. */
int add_failed(const char *what, char **args, const sd_bus_error *error, int r);

/* A string member of a JSON object, "" when it has none. */
const char *json_str(json_t *o, const char *key);

/* The verbs, by group: tables.c (status, tables, chains), rules.c, objects.c (named objects), sets.c (sets,
 * maps and elements). */
int cmd_status(sd_bus *bus, char **args, int n);
int cmd_list_tables(sd_bus *bus, char **args, int n);
int cmd_add_table(sd_bus *bus, char **args, int n);
int cmd_delete_table(sd_bus *bus, char **args, int n);
int cmd_flush_table(sd_bus *bus, char **args, int n);
int cmd_list_chains(sd_bus *bus, char **args, int n);
int cmd_add_chain(sd_bus *bus, char **args, int n);
int cmd_delete_chain(sd_bus *bus, char **args, int n);
int cmd_list_rules(sd_bus *bus, char **args, int n);
int cmd_add_rule(sd_bus *bus, char **args, int n);
int cmd_insert_rule(sd_bus *bus, char **args, int n);
int cmd_replace_rule(sd_bus *bus, char **args, int n);
int cmd_delete_rule(sd_bus *bus, char **args, int n);
int cmd_list_objects(sd_bus *bus, char **args, int n);
/* zones.c */
int cmd_zone(sd_bus *bus, char **args, int n);
int cmd_reload(sd_bus *bus, char **args, int n);
int cmd_runtime_to_permanent(sd_bus *bus, char **args, int n);
int cmd_panic(sd_bus *bus, char **args, int n);
int cmd_service(sd_bus *bus, char **args, int n);
/* ipsets.c */
int cmd_ipset(sd_bus *bus, char **args, int n);
int cmd_policy(sd_bus *bus, char **args, int n);
/* The options {permanent, timeout} of a zone's or an ipset's change, as --permanent and --timeout say, appended
 * to m. */
int append_permanent_option(sd_bus_message *m);
/* A change of a zone's or an ipset's list (value, --permanent): adding what is there, or removing what is not,
 * is said and is no failure (exit 0), as firewall-cmd's ALREADY_ENABLED and NOT_ENABLED warnings. */
int change_call(sd_bus *bus, const char *path, const char *interface, const char *method, const char *what,
                const char *value);
/* The text of the file path ("-": stdin), NUL bytes refused; -EINVAL with the reason said on stderr. */
int read_file_text(const char *path, char **ret);
/* A name, or the word yes or no, as the verb's answer: {"KEY": value} with --json; EXIT_OK. */
int print_answer(const char *key, json_t *value);
int cmd_reset_counter(sd_bus *bus, char **args, int n);
int cmd_list_sets(sd_bus *bus, char **args, int n);
int cmd_add_set(sd_bus *bus, char **args, int n);
int cmd_delete_set(sd_bus *bus, char **args, int n);
int cmd_add_element(sd_bus *bus, char **args, int n);
int cmd_delete_element(sd_bus *bus, char **args, int n);
int cmd_list_elements(sd_bus *bus, char **args, int n);
int cmd_has_element(sd_bus *bus, char **args, int n);

/* Prints the failure of a call with its error name, and returns the exit status it means. */
int call_failed(const char *what, const sd_bus_error *e, int r);

/* A decimal number from 0 to max, all of s: 0, or -EINVAL (nothing printed). */
int parse_decimal(const char *s, uint64_t max, uint64_t *ret);

/* Calls method of nftbusd's object at path with the arguments types says (NULL: none), the reply to *ret_reply
 * when that is not NULL: EXIT_OK, or the failure printed ("Failed to <what>: ...") and its exit status. */
int call_nftbus(sd_bus *bus, const char *path, const char *interface, const char *method, const char *what,
                sd_bus_message **ret_reply, const char *types, ...);

/* Prints j, indented; EXIT_OK. */
int print_json(json_t *j);

/* Prints the number a verb answers: {"key": n} with --json, else n and then text ("", " elements added");
 * EXIT_OK. */
int print_number(const char *key, uint64_t n, const char *text);

/* A NAME=VALUE argument's name and the D-Bus type of its value. */
typedef struct KeyType {
        const char *name;
        const char *signature; /* b, u, q, s, as */
} KeyType;

/* Appends to the open a{sv} of m an entry { key: <s value> } for each key whose value is not NULL; keys and
 * values alternate, and a NULL key ends them. */
int append_string_options(sd_bus_message *m, const char *const *keys_values);

/* Appends the a{sv} entry { name: <as list> } to the open a{sv} of m. */
int append_strv_option(sd_bus_message *m, const char *name, char **list);

/* Appends args, NAME=VALUE each, to m as an a{sv}; -EINVAL (said on stderr) for a bad one. */
int append_key_values(sd_bus_message *m, char **args, int n, const KeyType *types, size_t n_types);

/* Sends the method call m and waits for its reply; a failure is reported as call_failed(what) does and
 * its exit status returned. */
int call_built(sd_bus *bus, sd_bus_message *m, const char *what, sd_bus_message **ret_reply);

/* sysctl get|set|list */
int cmd_sysctl(sd_bus *bus, char **args, int n);
/* nat masquerade|forward|snat|dnat|static|redirect|list|remove */
int cmd_nat(sd_bus *bus, char **args, int n);
/* preset list|show|preview|apply */
int cmd_preset(sd_bus *bus, char **args, int n);
/* apply, export, save */
int cmd_apply(sd_bus *bus, char **args, int n);
int cmd_export(sd_bus *bus, char **args, int n);
int cmd_save(sd_bus *bus, char **args, int n);
/* monitor */
int cmd_monitor(sd_bus *bus, char **args, int n);

/* The zones with interfaces or sources, appended to list as {name, interfaces, sources} (zone active,
 * status); 0 or negative errno with error set. zones_active_print() prints them, a zone and its lists. */
int zones_active(sd_bus *bus, json_t *list, sd_bus_error *error);
void zones_active_print(json_t *list);
