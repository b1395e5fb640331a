/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Table: one object per table in the kernel, whoever made it. */

#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <stdbool.h>
#include <stdlib.h>

#include "spec/batch.h"
#include "bus/call.h"
#include "bus/node.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "auth/actions.h"
#include "spec/basechain.h"
#include "spec/nftsyntax.h"
#include "common/objpath.h"
#include "bus/options.h"
#include "spec/setelem.h"
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

static int check_comment(const char *comment, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;

        if (comment && validate_comment(comment, &why) < 0)
                return call_invalid(error, why);
        return 0;
}

static int method_add_chain(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *type = NULL, *hook = NULL, *priority = NULL, *policy = NULL, *device = NULL,
                            *comment = NULL, *why = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        Table *t = userdata;
        const char *name;
        int32_t prio;
        char *text = NULL;
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
        r = chain_options_check(
                t->family,
                &(ChainOptions){
                        .type = type, .hook = hook, .priority = priority, .policy = policy, .devices = devices },
                &prio, &why);
        if (r < 0)
                return call_invalid(error, why);
        r = check_comment(comment, error);
        if (r < 0)
                return r;
        /* libnftables 1.0.6 takes one "dev" per chain in JSON and drops a chain's "comment": those chains
         * go in nft syntax, built from the validated values alone */
        if (comment || (devices && devices[0] && devices[1])) {
                if (validate_object_name("table", t->name, NULL) < 0)
                        return call_invalid(error, "The table's name cannot be written in nft syntax, which a chain "
                                                   "with a comment or several devices needs");
                if (chain_command_text(family_to_string(t->family), t->name, name, type ? type : "filter", hook,
                                       devices, prio, policy, comment, &text) < 0)
                        return -ENOMEM;
                return table_add_node(m, t, NFT_KIND_CHAIN, name, NULL, text, chain_action(hook), error);
        }
        return table_add_node(m, t, NFT_KIND_CHAIN, name,
                              object_spec_with(family_to_string(t->family), t->name, name,
                                               hook ? json_pack("{s:s, s:s, s:i, s:s*, s:s*}", "type",
                                                                type ? type : "filter", "hook", hook, "prio", prio,
                                                                "policy", policy, "dev", devices ? devices[0] : NULL)
                                                    : json_object()),
                              NULL, chain_action(hook), error);
}

static int method_add_counter(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL;
        uint64_t packets = 0, bytes = 0;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_COUNTER, &name, error);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "packets", "t", &packets },
                                 { "bytes", "t", &bytes },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        r = check_comment(comment, error);
        if (r < 0)
                return r;
        if (packets > INT64_MAX || bytes > INT64_MAX)
                return call_invalid(error, "Initial packets and bytes go up to 2^63-1");

        return table_add_node(m, t, NFT_KIND_COUNTER, name,
                              object_spec_with(family_to_string(t->family), t->name, name,
                                               json_pack("{s:I, s:I, s:s*}", "packets", (json_int_t) packets, "bytes",
                                                         (json_int_t) bytes, "comment", comment)),
                              NULL, NULL, error);
}

static int method_add_quota(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL;
        uint64_t bytes, used = 0;
        int over = false;
        Table *t = userdata;
        const char *name;
        int r;

        r = read_node_name(m, NFT_KIND_QUOTA, &name, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "t", &bytes);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "over", "b", &over },
                                 { "used", "t", &used },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        r = check_comment(comment, error);
        if (r < 0)
                return r;
        if (bytes == 0 || bytes > INT64_MAX)
                return call_invalid(error, "A quota is from 1 to 2^63-1 bytes");
        if (used > bytes)
                return call_invalid(error, "A quota's used bytes cannot exceed the quota");

        return table_add_node(m, t, NFT_KIND_QUOTA, name,
                              object_spec_with(family_to_string(t->family), t->name, name,
                                               json_pack("{s:I, s:I, s:b, s:s*}", "bytes", (json_int_t) bytes, "used",
                                                         (json_int_t) used, "inv", over, "comment", comment)),
                              NULL, NULL, error);
}

static int method_add_limit(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL, *unit = NULL;
        const char *name, *per;
        uint64_t rate;
        uint32_t burst = 0;
        bool has_burst = false;
        int over = false;
        Table *t = userdata;
        int r;

        r = read_node_name(m, NFT_KIND_LIMIT, &name, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "ts", &rate, &per);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "burst", "u", &burst, &has_burst },
                                 { "unit", "s", &unit },
                                 { "over", "b", &over },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        r = check_comment(comment, error);
        if (r < 0)
                return r;
        if (rate == 0 || rate > INT64_MAX)
                return call_invalid(error, "A limit's rate is from 1 to 2^63-1");
        if (limit_per_seconds(per) == 0) {
                _cleanup_free_ char *shown = escape_for_message(per);
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Invalid per '%s': expected second, minute, hour, day or week",
                                         strempty(shown));
        }
        if (unit && !streq(unit, "packets") && !streq(unit, "bytes"))
                return call_invalid(error, "A limit's unit is packets or bytes");

        /* the rate's unit is the burst's too */
        return table_add_node(
                m, t, NFT_KIND_LIMIT, name,
                object_spec_with(family_to_string(t->family), t->name, name,
                                 json_pack("{s:I, s:s, s:s, s:b, s:o*, s:s*, s:s*}", "rate", (json_int_t) rate, "per",
                                           per, "rate_unit", unit ? unit : "packets", "inv", over, "burst",
                                           has_burst ? json_integer(burst) : NULL, "burst_unit",
                                           has_burst ? (unit ? unit : "packets") : NULL, "comment", comment)),
                NULL, NULL, error);
}

static int method_add_flowtable(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *hook = NULL, *priority = NULL, *why = NULL;
        _cleanup_strv_free_ char **devices = NULL;
        int32_t prio = 0;
        Table *t = userdata;
        const char *name;
        json_t *devs;
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
        if (t->family != NFTBUS_FAMILY_INET && t->family != NFTBUS_FAMILY_IP && t->family != NFTBUS_FAMILY_IP6)
                return call_invalid(error, "Flowtables exist in the ip, ip6 and inet families");
        if (hook && !streq(hook, "ingress"))
                return call_invalid(error, "A flowtable's hook is ingress");
        if (!devices || !devices[0])
                return call_invalid(error, "A flowtable needs its devices: give the devices option");
        for (char **d = devices; *d; d++)
                if (validate_ifname(*d, &why) < 0)
                        return call_invalid(error, why);
        if (priority && priority_parse(t->family, priority, &prio, &why) < 0)
                return call_invalid(error, why);

        devs = json_array();
        for (char **d = devices; devs && *d; d++)
                if (json_array_append_new(devs, json_string(*d)) < 0)
                        devs = (json_decref(devs), NULL);
        return table_add_node(
                m, t, NFT_KIND_FLOWTABLE, name,
                object_spec_with(family_to_string(t->family), t->name, name,
                                 devs ? json_pack("{s:s, s:i, s:o}", "hook", "ingress", "prio", prio, "dev", devs)
                                      : NULL),
                NULL, NULL, error);
}

/* AddSet and AddMap: the key's fields and the value's type are checked against nftables' types, the rest
 * as libnftables would; JSON where it carries everything, nft syntax for a comment and auto-merge, which
 * libnftables 1.0.6 drops from JSON. */
static int table_add_set(sd_bus_message *m, Table *t, bool map, sd_bus_error *error)
{
        _cleanup_free_ char *policy = NULL, *comment = NULL, *why = NULL, *flags_text = NULL;
        _cleanup_strv_free_ char **flags = NULL;
        const DataType *fields[SET_FIELDS_MAX], *value = NULL;
        const char *name, *type, *value_type = NULL;
        uint64_t timeout = 0;
        uint32_t gc_interval = 0, size = 0;
        int auto_merge = false, counter = false, interval = false, has_timeout = false;
        size_t n_fields;
        _cleanup_(json_decrefp) json_t *spec = NULL;
        NftKind kind = map ? NFT_KIND_MAP : NFT_KIND_SET;
        int r;

        r = read_node_name(m, kind, &name, error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(m, "s", &type);
        if (r < 0)
                return r;
        if (map) {
                r = sd_bus_message_read(m, "s", &value_type);
                if (r < 0)
                        return r;
        }
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "flags", "as", &flags },
                                 { "timeout", "t", &timeout },
                                 { "gc-interval", "u", &gc_interval },
                                 { "size", "u", &size },
                                 { "policy", "s", &policy },
                                 { "auto-merge", "b", &auto_merge },
                                 { "counter", "b", &counter },
                                 { "comment", "s", &comment },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        if (set_type_parse(type, fields, &n_fields, &why) < 0)
                return call_invalid(error, why);
        if (map) {
                value = datatype_by_name(value_type);
                if (!value)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Unknown value type: expected verdict, ipv4_addr, ipv6_addr, "
                                                 "ether_addr, inet_proto, inet_service, mark, ifname or another "
                                                 "nftables type");
        }
        r = set_flags_check(flags, &interval, &has_timeout, &flags_text, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return call_invalid(error, why);
        if (timeout > UINT32_MAX)
                return call_invalid(error, "The timeout goes up to 4294967295 seconds");
        if (gc_interval && !timeout && !has_timeout)
                return call_invalid(error, "gc-interval needs the timeout flag or a timeout");
        if (auto_merge && !interval)
                return call_invalid(error, "auto-merge needs the interval flag");
        if (policy && !streq(policy, "performance") && !streq(policy, "memory"))
                return call_invalid(error, "Invalid policy: expected performance or memory");
        r = check_comment(comment, error);
        if (r < 0)
                return r;

        if (comment || auto_merge) {
                char *text = NULL;
                if (validate_object_name("table", t->name, NULL) < 0)
                        return call_invalid(error, "The table's name cannot be written in nft syntax, which a set "
                                                   "with a comment or auto-merge needs");
                if (set_command_text(family_to_string(t->family), t->name, name, map, type, value_type, flags_text,
                                     timeout, gc_interval, size, policy, counter, auto_merge, comment, &text) < 0)
                        return -ENOMEM;
                return table_add_node(m, t, kind, name, NULL, text, NULL, error);
        }

        spec = object_spec_with(family_to_string(t->family), t->name, name,
                                json_pack("{s:o, s:s*, s:o, s:s*}", "type", json_string(type), "map", value_type,
                                          "flags", json_array(), "policy", policy));
        if (!spec)
                return -ENOMEM;
        /* a concatenation is a list of the fields' types */
        if (n_fields > 1) {
                json_t *list = json_array();
                for (size_t i = 0; list && i < n_fields; i++)
                        if (json_array_append_new(list, json_string(fields[i]->name)) < 0)
                                return -ENOMEM;
                if (!list || json_object_set_new(spec, "type", list) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; flags && flags[i]; i++)
                if (json_array_append_new(json_object_get(spec, "flags"), json_string(flags[i])) < 0)
                        return -ENOMEM;
        if ((timeout && json_object_set_new(spec, "timeout", json_integer((json_int_t) timeout)) < 0) ||
            (gc_interval && json_object_set_new(spec, "gc-interval", json_integer((json_int_t) gc_interval)) < 0) ||
            (size && json_object_set_new(spec, "size", json_integer((json_int_t) size)) < 0) ||
            (counter && json_object_set_new(spec, "stmt", json_pack("[{s:n}]", "counter")) < 0))
                return -ENOMEM;
        return table_add_node(m, t, kind, name, TAKE_PTR(spec), NULL, NULL, error);
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
