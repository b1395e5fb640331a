/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "core/batch.h"
#include "common/util.h"

json_t *batch_new(void)
{
        return json_pack("{s:[]}", "nftables");
}

int batch_add(json_t *batch, const char *verb, const char *object, json_t *spec)
{
        json_t *cmds = json_object_get(batch, "nftables");

        if (!spec)
                return -ENOMEM;
        if (json_array_append_new(cmds, json_pack("{s:{s:o}}", verb, object, spec)) < 0)
                return -ENOMEM;
        return 0;
}

json_t *batch_one(const char *verb, const char *object, json_t *spec)
{
        json_t *batch = batch_new();

        if (!batch || batch_add(batch, verb, object, spec) < 0) {
                json_decref(batch);
                return NULL;
        }
        return batch;
}

json_t *table_spec(const char *family, const char *name)
{
        return json_pack("{s:s, s:s}", "family", family, "name", name);
}

json_t *object_spec(const char *family, const char *table, const char *name)
{
        return json_pack("{s:s, s:s, s:s}", "family", family, "table", table, "name", name);
}

json_t *object_spec_with(const char *family, const char *table, const char *name, json_t *extra)
{
        json_t *spec = object_spec(family, table, name);

        /* json_object_update_new() takes extra, NULL or not */
        if (!spec || json_object_update_new(spec, extra) < 0) {
                json_decref(spec);
                return NULL;
        }
        return spec;
}

json_t *rule_spec(const char *family, const char *table, const char *chain, json_t *extra)
{
        json_t *spec = json_pack("{s:s, s:s, s:s}", "family", family, "table", table, "chain", chain);

        if (!spec || json_object_update_new(spec, extra) < 0) {
                json_decref(spec);
                return NULL;
        }
        return spec;
}

char *batch_dump(const json_t *batch)
{
        return json_dumps(batch, JSON_COMPACT);
}

int nft_output_version(const char *output, char **ret)
{
        _cleanup_(json_decrefp) json_t *root = json_loads(output, 0, NULL);
        json_t *item;
        size_t i;

        json_array_foreach (json_object_get(root, "nftables"), i, item) {
                const char *v = json_string_value(json_object_get(json_object_get(item, "metainfo"), "version"));
                if (v) {
                        char *s = strdup(v);
                        if (!s)
                                return -ENOMEM;
                        *ret = s;
                        return 0;
                }
        }
        return -EBADMSG;
}
