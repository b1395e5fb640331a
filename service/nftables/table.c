/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Table: one object per table in the kernel, whoever made it. */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/batch.h"
#include "bus/call.h"
#include "nftables/node.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "auth/actions.h"
#include "core/objspec.h"
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

/* Delete and Flush: {verb: {"table": ...}} */
static int method_change(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *verb = streq(sd_bus_message_get_member(m), "Delete") ? "delete" : "flush";
        Table *t = userdata;
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
        return call_execute(c, m, &(CallRequest){ .batch = batch, .object = object }, error);
}

/* A chain with a hook is a base chain: it decides for the host's traffic (actions.h). */
static const char *chain_action(const char *hook)
{
        return hook ? NFTBUS_ACTION_MANAGE_BASE_CHAINS : NULL;
}

/* What the part of an Add* method that is its own made: the JSON spec, or the command in nft syntax where JSON
 * cannot carry it, or why the arguments are invalid. */
typedef struct NodeBuild {
        int r; /* the builder's (core/objspec.h): 0, or -EINVAL with why */
        json_t *json;
        char *text;
        char *why;
        const char *action; /* polkit's, when the arguments decide it (NULL: the method's own) */
} NodeBuild;

static void node_build_done(NodeBuild *b)
{
        json_decref(b->json);
        free(b->text);
        free(b->why);
}

/* Reads the arguments after the name, with the options, and builds; negative errno with error set for arguments
 * that cannot be read. */
typedef int (*node_build_t)(sd_bus_message *m, Table *t, NftKind kind, const char *name, NodeBuild *b,
                            sd_bus_error *error);

/* The ObjectTarget of a new object name in table t, for the builders */
#define TARGET(t, n) (&(ObjectTarget){ .family = (t)->family, .table = (t)->name, .name = (n) })

static int build_chain(sd_bus_message *m, Table *t, NftKind kind _unused_, const char *name, NodeBuild *b,
                       sd_bus_error *error)
{
        _cleanup_free_ char *type = NULL, *hook = NULL, *priority = NULL, *policy = NULL, *device = NULL,
                            *comment = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        int r;

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
        b->r = chain_spec_build(TARGET(t, name),
                                &(ChainSpec){ .type = type,
                                              .hook = hook,
                                              .priority = priority,
                                              .policy = policy,
                                              .devices = devices,
                                              .comment = comment },
                                &b->json, &b->text, &b->why);
        b->action = chain_action(hook);
        return 0;
}

static int build_counter(sd_bus_message *m, Table *t, NftKind kind _unused_, const char *name, NodeBuild *b,
                         sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL;
        CounterSpec spec = {};
        int r;

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
        b->r = counter_spec_build(TARGET(t, name), &spec, &b->json, &b->why);
        return 0;
}

static int build_quota(sd_bus_message *m, Table *t, NftKind kind _unused_, const char *name, NodeBuild *b,
                       sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL;
        QuotaSpec spec = {};
        int over = false, r;

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
        b->r = quota_spec_build(TARGET(t, name), &spec, &b->json, &b->why);
        return 0;
}

static int build_limit(sd_bus_message *m, Table *t, NftKind kind _unused_, const char *name, NodeBuild *b,
                       sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL, *unit = NULL;
        LimitSpec spec = {};
        int over = false, r;

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
        b->r = limit_spec_build(TARGET(t, name), &spec, &b->json, &b->why);
        return 0;
}

static int build_flowtable(sd_bus_message *m, Table *t, NftKind kind _unused_, const char *name, NodeBuild *b,
                           sd_bus_error *error)
{
        _cleanup_free_ char *hook = NULL, *priority = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        int r;

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
        b->r = flowtable_spec_build(TARGET(t, name),
                                    &(FlowtableSpec){ .hook = hook, .priority = priority, .devices = devices },
                                    &b->json, &b->why);
        return 0;
}

/* AddSet and AddMap (core/objspec.c says what they send). */
static int build_set(sd_bus_message *m, Table *t, NftKind kind, const char *name, NodeBuild *b, sd_bus_error *error)
{
        _cleanup_free_ char *policy = NULL, *comment = NULL;
        _cleanup_strv_free_ char **flags = NULL;
        SetSpec spec = { .map = kind == NFT_KIND_MAP };
        int auto_merge = false, counter = false;
        int r;

        r = sd_bus_message_read(m, "s", &spec.type);
        if (r >= 0 && spec.map)
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
        b->r = set_spec_build(TARGET(t, name), &spec, &b->json, &b->text, &b->why);
        return 0;
}

static const struct {
        const char *member;
        NftKind kind;
        node_build_t build;
} add_methods[] = {
        { "AddChain", NFT_KIND_CHAIN, build_chain },
        { "AddCounter", NFT_KIND_COUNTER, build_counter },
        { "AddQuota", NFT_KIND_QUOTA, build_quota },
        { "AddLimit", NFT_KIND_LIMIT, build_limit },
        { "AddFlowtable", NFT_KIND_FLOWTABLE, build_flowtable },
        { "AddSet", NFT_KIND_SET, build_set },
        { "AddMap", NFT_KIND_MAP, build_set },
};

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

/* Every Add* method: the name, then the kind's own arguments built into one "create" command (an existing
 * object is an error, never a silent success); it must not exist yet, the caller must be allowed, then the
 * command is sent and the reply is the new object's path. */
static int method_add(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(node_build_done) NodeBuild b = {};
        _cleanup_free_ char *object = NULL, *path = NULL;
        const char *member = sd_bus_message_get_member(m), *name;
        Table *t = userdata;
        Context *c = table_context(t);
        const char *family = family_to_string(t->family);
        size_t i = 0;
        int r;

        while (i < ELEMENTSOF(add_methods) && !streq(add_methods[i].member, member))
                i++;
        if (i == ELEMENTSOF(add_methods))
                return -EINVAL;
        NftKind kind = add_methods[i].kind;
        const char *label = nft_kind_path_label(kind);

        r = read_node_name(m, kind, &name, error);
        if (r >= 0)
                r = add_methods[i].build(m, t, kind, name, &b, error);
        if (r < 0)
                return r;
        if (b.r == -EINVAL)
                return call_invalid(error, b.why);
        if (b.r < 0)
                return b.r;
        if (b.json && !(b.json = batch_one("create", nft_kind_to_string(kind), b.json)))
                return -ENOMEM;
        if (!b.json && !b.text)
                return -ENOMEM;
        /* sets and maps share their names */
        if (table_find_node(t, kind, name) ||
            ((kind == NFT_KIND_SET || kind == NFT_KIND_MAP) &&
             table_find_node(t, kind == NFT_KIND_SET ? NFT_KIND_MAP : NFT_KIND_SET, name)))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "The %s %s exists already in table %s %s",
                                         label, name, family, t->name);

        r = polkit_check_action(c->polkit, m, b.action,
                                (const char *const[]){ "family", family, "table", t->name, label, name, NULL }, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (asprintf(&object, "%s %s/%s/%s", label, family, t->name, name) < 0)
                return -ENOMEM;
        r = node_path(family, t->name, label, name, &path);
        if (r < 0)
                return r;
        return call_execute(
                c, m, &(CallRequest){ .batch = b.json, .text = b.text, .object = object, .reply_path = path }, error);
}

const sd_bus_vtable table_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Family", "s", property_get_family, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Name", "s", property_get_name, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Handle", "t", NULL, offsetof(Table, handle), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Flags", "as", property_get_flags, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, method_change, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Flush", NULL, NULL, method_change, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddChain", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_RESULT("o", chain),
                                method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddCounter", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_RESULT("o", counter),
                                method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddQuota", SD_BUS_ARGS("s", name, "t", bytes, "a{sv}", options),
                                SD_BUS_RESULT("o", quota), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddLimit", SD_BUS_ARGS("s", name, "t", rate, "s", per, "a{sv}", options),
                                SD_BUS_RESULT("o", limit), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddFlowtable", SD_BUS_ARGS("s", name, "a{sv}", options),
                                SD_BUS_RESULT("o", flowtable), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddSet", SD_BUS_ARGS("s", name, "s", type, "a{sv}", options), SD_BUS_RESULT("o", set),
                                method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddMap", SD_BUS_ARGS("s", name, "s", key_type, "s", value_type, "a{sv}", options),
                                SD_BUS_RESULT("o", map), method_add, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
