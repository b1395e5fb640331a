/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "objpath.h"
#include "util.h"

int table_path(const char *family, const char *name, char **ret)
{
        return sd_bus_path_encode_many(ret, NFTBUS_TABLES_PATH "/%/%", family, name);
}

int table_path_parse(const char *path, char **ret_family, char **ret_name)
{
        _cleanup_free_ char *family = NULL, *name = NULL;
        const char *rest;
        int r;

        /* exactly two labels below the prefix */
        if (strncmp(path, NFTBUS_TABLES_PATH "/", strlen(NFTBUS_TABLES_PATH "/")) != 0)
                return 0;
        rest = path + strlen(NFTBUS_TABLES_PATH "/");
        if (!strchr(rest, '/') || strchr(strchr(rest, '/') + 1, '/'))
                return 0;

        r = sd_bus_path_decode_many(path, NFTBUS_TABLES_PATH "/%/%", &family, &name);
        if (r <= 0)
                return r;

        *ret_family = TAKE_PTR(family);
        *ret_name = TAKE_PTR(name);
        return 1;
}
