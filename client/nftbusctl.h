/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What nftbusctl's command files share: exit statuses, --json, and how a failed call is reported. The
 * commands of the table, chain, rule and set families live in nftbusctl.c; sysctl, nat and preset in files
 * of their own, with keyvalue.c for their NAME=VALUE options. */

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

/* Exit status, documented in --help. */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,        /* the service refused or failed */
        EXIT_USAGE = 2,         /* bad command line or invalid argument */
        EXIT_NOT_FOUND = 3,     /* no such table (or other object) */
        EXIT_ACCESS_DENIED = 4, /* polkit said no */
        EXIT_UNAVAILABLE = 5,   /* no bus, or the service is not running */
};

extern bool arg_json;
/* -f, --check, --family, --table, --format */
extern const char *arg_file, *arg_family, *arg_table, *arg_format;
extern bool arg_check;

/* Prints the failure of a call with its error name, and returns the exit status it means. */
int call_failed(const char *what, const sd_bus_error *e, int r);

/* A decimal number from 0 to max, all of s: 0, or -EINVAL (nothing printed). */
int parse_decimal(const char *s, uint64_t max, uint64_t *ret);

/* Prints j, indented; EXIT_OK. */
int print_json(json_t *j);

/* A NAME=VALUE argument's name and the D-Bus type of its value. */
typedef struct KeyType {
        const char *name;
        const char *signature; /* b, u, q, s, as */
} KeyType;

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
