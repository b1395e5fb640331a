/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Object paths of nftbus: they mirror the kernel's objects, each name escaped the way
 * sd_bus_path_encode() does it. Pure. */

#define NFTBUS_BUS_NAME "org.nftbus.Firewall1"
#define NFTBUS_PATH "/org/nftbus/Firewall1"
#define NFTBUS_TABLES_PATH NFTBUS_PATH "/table"
#define NFTBUS_SYSCTL_PATH NFTBUS_PATH "/sysctl"
#define NFTBUS_NAT_PATH NFTBUS_PATH "/nat"
#define NFTBUS_PRESETS_PATH NFTBUS_PATH "/preset"

#define NFTBUS_INTERFACE_PREFIX "org.nftbus.Firewall1."
#define NFTBUS_MANAGER_INTERFACE NFTBUS_INTERFACE_PREFIX "Manager"
#define NFTBUS_TABLE_INTERFACE NFTBUS_INTERFACE_PREFIX "Table"
#define NFTBUS_CHAIN_INTERFACE NFTBUS_INTERFACE_PREFIX "Chain"
#define NFTBUS_COUNTER_INTERFACE NFTBUS_INTERFACE_PREFIX "Counter"
#define NFTBUS_QUOTA_INTERFACE NFTBUS_INTERFACE_PREFIX "Quota"
#define NFTBUS_LIMIT_INTERFACE NFTBUS_INTERFACE_PREFIX "Limit"
#define NFTBUS_FLOWTABLE_INTERFACE NFTBUS_INTERFACE_PREFIX "Flowtable"
#define NFTBUS_OBJECT_INTERFACE NFTBUS_INTERFACE_PREFIX "Object"
#define NFTBUS_SET_INTERFACE NFTBUS_INTERFACE_PREFIX "Set"
#define NFTBUS_MAP_INTERFACE NFTBUS_INTERFACE_PREFIX "Map"
#define NFTBUS_SYSCTL_INTERFACE NFTBUS_INTERFACE_PREFIX "Sysctl"
#define NFTBUS_NAT_INTERFACE NFTBUS_INTERFACE_PREFIX "NAT"
#define NFTBUS_PRESET_INTERFACE NFTBUS_INTERFACE_PREFIX "Preset"

/* /org/nftbus/Firewall1/table/<family>/<name> */
int table_path(const char *family, const char *name, char **ret);

/* /org/nftbus/Firewall1/table/<family>/<table>/<kind>/<name>, kind being "chain", "counter", ... */
int node_path(const char *family, const char *table, const char *kind, const char *name, char **ret);

/* Splits an object path below /org/nftbus/Firewall1/table. Returns 1 for a table's path (ret_kind and
 * ret_name are set to NULL), 2 for an object inside a table, 0 when path names neither (another object,
 * a prefix), negative errno on OOM. The parts are decoded and owned by the caller. */
int object_path_parse(const char *path, char **ret_family, char **ret_table, char **ret_kind, char **ret_name);
