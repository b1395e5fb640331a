/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Builders of libnftables JSON batches (libnftables-json(5)). Pure: values in, JSON out. Every value
 * reaching these functions has been validated; nothing is ever spliced into nft syntax. */

#include <jansson.h>

#ifndef json_auto_t /* jansson >= 2.9 with cleanup support defines json_decrefp itself */
static inline void json_decrefp(json_t **j)
{
        json_decref(*j);
}
#endif

/* {"nftables": []} */
json_t *batch_new(void);

/* Appends {verb: {object: spec}}; takes ownership of spec. Returns 0 or -ENOMEM. */
int batch_add(json_t *batch, const char *verb, const char *object, json_t *spec);

/* A batch of the one command {verb: {object: spec}}; takes ownership of spec. NULL on OOM. */
json_t *batch_one(const char *verb, const char *object, json_t *spec);

/* {"family": family, "name": name} */
json_t *table_spec(const char *family, const char *name);

/* {"family": family, "table": table, "name": name}: a chain, counter, quota, limit or flowtable; callers
 * add the kind's own keys. */
json_t *object_spec(const char *family, const char *table, const char *name);

/* object_spec() with the keys of extra added (built with json_pack(), whose "s*" leaves out a NULL
 * string). Takes extra; NULL when extra is NULL or on OOM. */
json_t *object_spec_with(const char *family, const char *table, const char *name, json_t *extra);

/* {"family": family, "table": table, "chain": chain} and the keys of extra (expr, handle, index, comment):
 * a rule. Takes extra; NULL when extra is NULL or on OOM. */
json_t *rule_spec(const char *family, const char *table, const char *chain, json_t *extra);

/* Compact text of a batch, for the executor. NULL on OOM. */
char *batch_dump(const json_t *batch);

/* The libnftables version from the metainfo object of its JSON output. */
int nft_output_version(const char *output, char **ret);
