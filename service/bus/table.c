/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Table: one object per table in the kernel, whoever made it. */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "spec/batch.h"
#include "bus/call.h"
#include "bus/node.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "auth/actions.h"
#include "spec/objspec.h"
#include "common/objpath.h"
#include "bus/options.h"
#include "common/util.h"
#include "common/validate.h"

static int property_get_family(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property _unused_, sd_bus_message *reply, void *userdata,
                               sd_bus_error *error _unused_)
{
        Table *t = userdata;
        return sd_bus_message_append(reply, "s", family_to_string(t->family));
}

static int property_get_name(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Table *t = userdata;
        return sd_bus_message_append(reply, "s", t->name);
}

static int property_get_flags(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                              const char *property _unused_, sd_bus_message *reply, void *userdata,
                              sd_bus_error *error _unused_)
{
        Table *t = userdata;
        const char *names[3];

        table_flags_to_names(t->flags, names);
        return sd_bus_message_append_strv(reply, (char **) names);
}

/* Family and name of the table a method was called on, copied: the Table may be gone when the
 * executor answers. */
static int table_batch(Table *t, const char *verb, json_t **ret_batch, char **ret_object)
{
        const char *family = family_to_string(t->family);
        _cleanup_(json_decrefp) json_t *batch = batch_one(verb, "table", table_spec(family, t->name));
        char *object = NULL;

        if (!batch)
                return -ENOMEM;
        if (asprintf(&object, "table %s/%s", family, t->name) < 0)
                return -ENOMEM;
        *ret_batch = TAKE_PTR(batch);
        *ret_object = object;
        return 0;
}

static int table_change(sd_bus_message *m, Table *t, const char *verb, sd_bus_error *error)
{
        Context *c = table_context(t);
        _cleanup_(json_decrefp) json_t *batch = NULL;
        _cleanup_free_ char *object = NULL;
        int r;

        r = polkit_check(c->polkit, m,
                         (const char *const[]){ "family", family_to_string(t->family), "table", t->name, NULL },
                         error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        r = table_batch(t, verb, &batch, &object);
        if (r < 0)
                return sd_bus_error_set_errno(error, r);
        return call_execute(c, m, batch, 0, object, NULL, error);
}

static int method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return table_change(m, userdata, "delete", error);
}

static int method_flush(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return table_change(m, userdata, "flush", error);
}

/* A chain with a hook is a base chain: it decides for the host's traffic (actions.h). */
static const char *chain_action(const char *hook)
{
        return hook ? NFTBUS_ACTION_MANAGE_BASE_CHAINS : NULL;
}

/* The common end of every Add* method: it must not exist yet, the caller must be allowed, then one
 * "create" command (an existing object is an error, never a silent success): the JSON spec, or the
 * command in nft syntax where JSON cannot carry it. Takes spec and text, one of them NULL; both NULL
 * means OOM. */
static int table_add_node(sd_bus_message *m, Table *t, NftKind kind, const char *name, json_t *spec, char *text,
                          const char *action, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *batch = NULL;
        _cleanup_free_ char *owned_text = text, *object = NULL, *path = NULL;
        Context *c = table_context(t);
        const char *family = family_to_string(t->family), *label = nft_kind_path_label(kind);
        int r;

        if (spec)
                batch = batch_one("create", nft_kind_to_string(kind), spec);
        if (!batch && !text)
                return -ENOMEM;
        /* sets and maps share their names */
        if (table_find_node(t, kind, name) ||
            ((kind == NFT_KIND_SET || kind == NFT_KIND_MAP) &&
             table_find_node(t, kind == NFT_KIND_SET ? NFT_KIND_MAP : NFT_KIND_SET, name)))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "The %s %s exists already in table %s %s",
                                         label, name, family, t->name);

        r = polkit_check_action(c->polkit, m, action,
                                (const char *const[]){ "family", family, "table", t->name, label, name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (asprintf(&object, "%s %s/%s/%s", label, family, t->name, name) < 0)
                return -ENOMEM;
        r = node_path(family, t->name, label, name, &path);
        if (r < 0)
                return r;
        if (text)
                return call_execute_text_path(c, m, text, object, path, error);
        return call_execute_path(c, m, batch, object, path, error);
}

/* Reads the name every Add* method starts with, and checks it. */
static int read_node_name(sd_bus_message *m, NftKind kind, const char **ret_name, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        int r;

        r = sd_bus_message_read(m, "s", ret_name);
        if (r < 0)
                return r;
        if (validate_object_name(nft_kind_to_string(kind), *ret_name, &why) < 0)
                return call_invalid(error, why);
        return 0;
}

/* The end of an Add* method whose spec the builder of spec/objspec.c made (r its result): the refusal, or
 * table_add_node() with the JSON or the nft syntax. Takes json and text. */
static int table_add_built(sd_bus_message *m, Table *t, NftKind kind, const char *name, int r, json_t *json,
                           char *text, char *why, const char *action, sd_bus_error *error)
{
        _cleanup_free_ char *owned_why = why;

        if (r == -EINVAL)
                return call_invalid(error, why);
        if (r < 0)
                return r;
        return table_add_node(m, t, kind, name, json, text, action, error);
}

/* The ObjectTarget of a new object name in table t, for the builders */
#define TARGET(t, n) (&(ObjectTarget){ .family = (t)->family, .table = (t)->name, .name = (n) })

static int method_add_chain(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *type = NULL, *hook = NULL, *priority = NULL, *policy = NULL, *device = NULL,
                            *comment = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        json_t *json = NULL;
        char *text = NULL, *why = NULL;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_CHAIN, &name, error);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "type", "s", &type },
                                 { "hook", "s", &hook },
                                 { "priority", "i|s", &priority },
                                 { "policy", "s", &policy },
                                 { "device", "s", &device },
                                 { "devices", "as", &devices },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        if (device && devices)
                return call_invalid(error, "Give either device or devices, not both");
        if (device) {
                devices = calloc(2, sizeof(char *));
                if (!devices)
                        return -ENOMEM;
                devices[0] = TAKE_PTR(device);
        }
        r = chain_spec_build(TARGET(t, name),
                             &(ChainSpec){ .type = type,
                                           .hook = hook,
                                           .priority = priority,
                                           .policy = policy,
                                           .devices = devices,
                                           .comment = comment },
                             &json, &text, &why);
        return table_add_built(m, t, NFT_KIND_CHAIN, name, r, json, text, why, chain_action(hook), error);
}

static int method_add_counter(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL;
        CounterSpec spec = {};
        json_t *json = NULL;
        char *why = NULL;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_COUNTER, &name, error);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "packets", "t", &spec.packets },
                                 { "bytes", "t", &spec.bytes },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        spec.comment = comment;
        r = counter_spec_build(TARGET(t, name), &spec, &json, &why);
        return table_add_built(m, t, NFT_KIND_COUNTER, name, r, json, NULL, why, NULL, error);
}

static int method_add_quota(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL;
        QuotaSpec spec = {};
        int over = false;
        json_t *json = NULL;
        char *why = NULL;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_QUOTA, &name, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "t", &spec.bytes);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "over", "b", &over },
                                 { "used", "t", &spec.used },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        spec.over = over;
        spec.comment = comment;
        r = quota_spec_build(TARGET(t, name), &spec, &json, &why);
        return table_add_built(m, t, NFT_KIND_QUOTA, name, r, json, NULL, why, NULL, error);
}

static int method_add_limit(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL, *unit = NULL;
        LimitSpec spec = {};
        int over = false;
        json_t *json = NULL;
        char *why = NULL;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_LIMIT, &name, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "ts", &spec.rate, &spec.per);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "burst", "u", &spec.burst, &spec.has_burst },
                                 { "unit", "s", &unit },
                                 { "over", "b", &over },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        spec.unit = unit;
        spec.over = over;
        spec.comment = comment;
        r = limit_spec_build(TARGET(t, name), &spec, &json, &why);
        return table_add_built(m, t, NFT_KIND_LIMIT, name, r, json, NULL, why, NULL, error);
}

static int method_add_flowtable(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *hook = NULL, *priority = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        json_t *json = NULL;
        char *why = NULL;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_FLOWTABLE, &name, error);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "hook", "s", &hook },
                                 { "priority", "i|s", &priority },
                                 { "devices", "as", &devices },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        r = flowtable_spec_build(TARGET(t, name),
                                 &(FlowtableSpec){ .hook = hook, .priority = priority, .devices = devices }, &json,
                                 &why);
        return table_add_built(m, t, NFT_KIND_FLOWTABLE, name, r, json, NULL, why, NULL, error);
}

/* AddSet and AddMap (spec/objspec.c says what they send). */
static int table_add_set(sd_bus_message *m, Table *t, bool map, sd_bus_error *error)
{
        _cleanup_free_ char *policy = NULL, *comment = NULL;
        _cleanup_strv_free_ char **flags = NULL;
        SetSpec spec = { .map = map };
        int auto_merge = false, counter = false;
        NftKind kind = map ? NFT_KIND_MAP : NFT_KIND_SET;
        json_t *json = NULL;
        char *text = NULL, *why = NULL;
        const char *name;
        int r;

        r = read_node_name(m, kind, &name, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "s", &spec.type);
        if (r >= 0 && map)
                r = sd_bus_message_read(m, "s", &spec.value_type);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "flags", "as", &flags },
                                 { "timeout", "t", &spec.timeout },
                                 { "gc-interval", "u", &spec.gc_interval },
                                 { "size", "u", &spec.size },
                                 { "policy", "s", &policy },
                                 { "auto-merge", "b", &auto_merge },
                                 { "counter", "b", &counter },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        spec.flags = flags;
        spec.policy = policy;
        spec.auto_merge = auto_merge;
        spec.counter = counter;
        spec.comment = comment;
        r = set_spec_build(TARGET(t, name), &spec, &json, &text, &why);
        return table_add_built(m, t, kind, name, r, json, text, why, NULL, error);
}

static int method_add_set(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return table_add_set(m, userdata, false, error);
}

static int method_add_map(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return table_add_set(m, userdata, true, error);
}

const sd_bus_vtable table_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Family", "s", property_get_family, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Name", "s", property_get_name, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Handle", "t", NULL, offsetof(Table, handle), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Flags", "as", property_get_flags, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Flush", NULL, NULL, method_flush, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddChain", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_RESULT("o", chain),
                                method_add_chain, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddCounter", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_RESULT("o", counter),
                                method_add_counter, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddQuota", SD_BUS_ARGS("s", name, "t", bytes, "a{sv}", options),
                                SD_BUS_RESULT("o", quota), method_add_quota, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddLimit", SD_BUS_ARGS("s", name, "t", rate, "s", per, "a{sv}", options),
                                SD_BUS_RESULT("o", limit), method_add_limit, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddFlowtable", SD_BUS_ARGS("s", name, "a{sv}", options),
                                SD_BUS_RESULT("o", flowtable), method_add_flowtable, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddSet", SD_BUS_ARGS("s", name, "s", type, "a{sv}", options), SD_BUS_RESULT("o", set),
                                method_add_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddMap", SD_BUS_ARGS("s", name, "s", key_type, "s", value_type, "a{sv}", options),
                                SD_BUS_RESULT("o", map), method_add_map, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
