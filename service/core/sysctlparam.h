/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The sysctl parameters nftbus reads and writes: a fixed allow-list of net.* names, each with the values
 * the kernel gives meaning to. Names map to files under /proc/sys/net and never to a free path.
 * Pure: no I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum SysctlKind {
        SYSCTL_INTEGER,    /* one integer from min to max */
        SYSCTL_PORT_RANGE, /* two ports, "low high", low <= high */
} SysctlKind;

typedef struct SysctlParam {
        const char *name; /* dotted; for a per-interface parameter, with "*" for the interface */
        SysctlKind kind;
        int64_t min, max;
        const char *description;
} SysctlParam;

/* The allow-list, in the order List() shows it. */
extern const SysctlParam sysctl_params[];
extern const size_t sysctl_params_count;

/* Whether p is per interface: net.ipv4.conf.*.X, net.ipv6.conf.*.X. */
bool sysctl_param_per_interface(const SysctlParam *p);

/* The parameter a dotted name names, and its file under /proc/sys. net.ipv4.conf.<ifname>.X takes all,
 * default or an interface name (which may contain dots); whether the interface exists is the caller's to
 * check. -EINVAL with a sentence in *ret_why for anything else. */
int sysctl_param_find(const char *name, const SysctlParam **ret_param, char **ret_path, char **ret_why);

/* The dotted name of a per-interface parameter for one interface (or all, default). */
int sysctl_param_name_for(const SysctlParam *p, const char *ifname, char **ret_name);

/* Checks value for p and returns the text to write, normalised ("1", "1024 65000"). */
int sysctl_value_check(const SysctlParam *p, const char *name, const char *value, char **ret_text, char **ret_why);

/* The kernel's text of a value as the bus shows it: trailing new line gone, tabs as single spaces. */
int sysctl_value_from_kernel(const char *raw, char **ret_text);
