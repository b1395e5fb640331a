/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Object paths of nftbus: they mirror the kernel's objects, each name escaped the way
 * sd_bus_path_encode() does it. Pure. */

#define NFTBUS_BUS_NAME "org.nftbus.Firewall1"
#define NFTBUS_PATH "/org/nftbus/Firewall1"
#define NFTBUS_TABLES_PATH NFTBUS_PATH "/table"

#define NFTBUS_INTERFACE_PREFIX "org.nftbus.Firewall1."
#define NFTBUS_MANAGER_INTERFACE NFTBUS_INTERFACE_PREFIX "Manager"
#define NFTBUS_TABLE_INTERFACE NFTBUS_INTERFACE_PREFIX "Table"

/* /org/nftbus/Firewall1/table/<family>/<name> */
int table_path(const char *family, const char *name, char **ret);

/* Splits a table's object path. Returns 1 and the decoded parts when path names a table exactly, 0
 * when it does not (another object, or a prefix), negative errno on OOM. */
int table_path_parse(const char *path, char **ret_family, char **ret_name);
