/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "common/objpath.h"
#include "common/util.h"

int table_path(const char *family, const char *name, char **ret)
{
        return sd_bus_path_encode_many(ret, NFTBUS_TABLES_PATH "/%/%", family, name);
}

int node_path(const char *family, const char *table, const char *kind, const char *name, char **ret)
{
        return sd_bus_path_encode_many(ret, NFTBUS_TABLES_PATH "/%/%/%/%", family, table, kind, name);
}

int object_path_parse(const char *path, char **ret_family, char **ret_table, char **ret_kind, char **ret_name)
{
        _cleanup_free_ char *family = NULL, *table = NULL, *kind = NULL, *name = NULL;
        const char *rest;
        size_t labels = 1;
        int r;

        if (strncmp(path, NFTBUS_TABLES_PATH "/", strlen(NFTBUS_TABLES_PATH "/")) != 0)
                return 0;
        rest = path + strlen(NFTBUS_TABLES_PATH "/");
        for (const char *p = rest; *p; p++)
                labels += *p == '/';

        /* each % of the pattern would match across a '/', so the label count decides the pattern */
        if (labels == 2)
                r = sd_bus_path_decode_many(path, NFTBUS_TABLES_PATH "/%/%", &family, &table);
        else if (labels == 4)
                r = sd_bus_path_decode_many(path, NFTBUS_TABLES_PATH "/%/%/%/%", &family, &table, &kind, &name);
        else
                return 0;
        if (r <= 0)
                return r;

        *ret_family = TAKE_PTR(family);
        *ret_table = TAKE_PTR(table);
        *ret_kind = TAKE_PTR(kind);
        *ret_name = TAKE_PTR(name);
        return labels == 2 ? 1 : 2;
}
