/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/basechain.h"
#include "core/batch.h"
#include "core/nftsyntax.h"
#include "core/objspec.h"
#include "core/setelem.h"

static int fail(char **ret_why, const char *text)
{
        if (ret_why)
                *ret_why = strdup(text);
        return -EINVAL;
}

static int check_comment(const char *comment, char **ret_why)
{
        return comment ? validate_comment(comment, ret_why) : 0;
}

/* The spec's object with extra's fields; takes extra. */
static int object(const ObjectTarget *t, json_t *extra, json_t **ret_json)
{
        json_t *j = object_spec_with(family_to_string(t->family), t->table, t->name, extra);

        if (!j)
                return -ENOMEM;
        *ret_json = j;
        return 0;
}

int chain_spec_build(const ObjectTarget *t, const ChainSpec *s, json_t **ret_json, char **ret_text, char **ret_why)
{
        int32_t prio;
        int r;

        r = chain_options_check(t->family,
                                &(ChainOptions){ .type = s->type,
                                                 .hook = s->hook,
                                                 .priority = s->priority,
                                                 .policy = s->policy,
                                                 .devices = s->devices },
                                &prio, ret_why);
        if (r < 0)
                return r;
        r = check_comment(s->comment, ret_why);
        if (r < 0)
                return r;
        /* libnftables 1.0.6 takes one "dev" per chain in JSON and drops a chain's "comment" */
        if (s->comment || (s->devices && s->devices[0] && s->devices[1])) {
                if (validate_object_name("table", t->table, NULL) < 0)
                        return fail(ret_why, "The table's name cannot be written in nft syntax, which a chain with "
                                             "a comment or several devices needs");
                return chain_command_text(family_to_string(t->family), t->table, t->name, s->type ? s->type : "filter",
                                          s->hook, s->devices, prio, s->policy, s->comment, ret_text) < 0
                               ? -ENOMEM
                               : 0;
        }
        return object(t,
                      s->hook ? json_pack("{s:s, s:s, s:i, s:s*, s:s*}", "type", s->type ? s->type : "filter", "hook",
                                          s->hook, "prio", prio, "policy", s->policy, "dev",
                                          s->devices ? s->devices[0] : NULL)
                              : json_object(),
                      ret_json);
}

int counter_spec_build(const ObjectTarget *t, const CounterSpec *s, json_t **ret_json, char **ret_why)
{
        int r = check_comment(s->comment, ret_why);

        if (r < 0)
                return r;
        if (s->packets > INT64_MAX || s->bytes > INT64_MAX)
                return fail(ret_why, "Initial packets and bytes go up to 2^63-1");
        return object(t,
                      json_pack("{s:I, s:I, s:s*}", "packets", (json_int_t) s->packets, "bytes", (json_int_t) s->bytes,
                                "comment", s->comment),
                      ret_json);
}

int quota_spec_build(const ObjectTarget *t, const QuotaSpec *s, json_t **ret_json, char **ret_why)
{
        int r = check_comment(s->comment, ret_why);

        if (r < 0)
                return r;
        if (s->bytes == 0 || s->bytes > INT64_MAX)
                return fail(ret_why, "A quota is from 1 to 2^63-1 bytes");
        if (s->used > s->bytes)
                return fail(ret_why, "A quota's used bytes cannot exceed the quota");
        return object(t,
                      json_pack("{s:I, s:I, s:b, s:s*}", "bytes", (json_int_t) s->bytes, "used", (json_int_t) s->used,
                                "inv", s->over, "comment", s->comment),
                      ret_json);
}

int limit_spec_build(const ObjectTarget *t, const LimitSpec *s, json_t **ret_json, char **ret_why)
{
        const char *unit = s->unit ? s->unit : "packets";
        int r = check_comment(s->comment, ret_why);

        if (r < 0)
                return r;
        if (s->rate == 0 || s->rate > INT64_MAX)
                return fail(ret_why, "A limit's rate is from 1 to 2^63-1");
        if (limit_per_seconds(s->per) == 0) {
                _cleanup_free_ char *shown = escape_for_message(s->per);
                if (ret_why && asprintf(ret_why, "Invalid per '%s': expected second, minute, hour, day or week",
                                        strempty(shown)) < 0)
                        *ret_why = NULL;
                return -EINVAL;
        }
        if (!streq(unit, "packets") && !streq(unit, "bytes"))
                return fail(ret_why, "A limit's unit is packets or bytes");
        /* the rate's unit is the burst's too */
        return object(t,
                      json_pack("{s:I, s:s, s:s, s:b, s:o*, s:s*, s:s*}", "rate", (json_int_t) s->rate, "per", s->per,
                                "rate_unit", unit, "inv", s->over, "burst",
                                s->has_burst ? json_integer(s->burst) : NULL, "burst_unit", s->has_burst ? unit : NULL,
                                "comment", s->comment),
                      ret_json);
}

int flowtable_spec_build(const ObjectTarget *t, const FlowtableSpec *s, json_t **ret_json, char **ret_why)
{
        json_t *devs;
        int32_t prio = 0;

        if (t->family != NFTBUS_FAMILY_INET && t->family != NFTBUS_FAMILY_IP && t->family != NFTBUS_FAMILY_IP6)
                return fail(ret_why, "Flowtables exist in the ip, ip6 and inet families");
        if (s->hook && !streq(s->hook, "ingress"))
                return fail(ret_why, "A flowtable's hook is ingress");
        if (!s->devices || !s->devices[0])
                return fail(ret_why, "A flowtable needs its devices: give the devices option");
        for (char **d = s->devices; *d; d++)
                if (validate_ifname(*d, ret_why) < 0)
                        return -EINVAL;
        if (s->priority && priority_parse(t->family, s->priority, &prio, ret_why) < 0)
                return -EINVAL;
        devs = json_array();
        for (char **d = s->devices; devs && *d; d++)
                if (json_array_append_new(devs, json_string(*d)) < 0)
                        devs = (json_decref(devs), NULL);
        if (!devs)
                return -ENOMEM;
        return object(t, json_pack("{s:s, s:i, s:o}", "hook", "ingress", "prio", prio, "dev", devs), ret_json);
}

int set_spec_build(const ObjectTarget *t, const SetSpec *s, json_t **ret_json, char **ret_text, char **ret_why)
{
        _cleanup_free_ char *flags_text = NULL;
        _cleanup_(json_decrefp) json_t *spec = NULL;
        const DataType *fields[SET_FIELDS_MAX];
        int interval = false, has_timeout = false, r;
        size_t n_fields;

        if (set_type_parse(s->type, fields, &n_fields, ret_why) < 0)
                return -EINVAL;
        if (s->map && !datatype_by_name(s->value_type))
                return fail(ret_why, "Unknown value type: expected verdict, ipv4_addr, ipv6_addr, ether_addr, "
                                     "inet_proto, inet_service, mark, ifname or another nftables type");
        r = set_flags_check(s->flags, &interval, &has_timeout, &flags_text, ret_why);
        if (r < 0)
                return r;
        if (s->timeout > UINT32_MAX)
                return fail(ret_why, "The timeout goes up to 4294967295 seconds");
        if (s->gc_interval && !s->timeout && !has_timeout)
                return fail(ret_why, "gc-interval needs the timeout flag or a timeout");
        if (s->auto_merge && !interval)
                return fail(ret_why, "auto-merge needs the interval flag");
        if (s->policy && !streq(s->policy, "performance") && !streq(s->policy, "memory"))
                return fail(ret_why, "Invalid policy: expected performance or memory");
        r = check_comment(s->comment, ret_why);
        if (r < 0)
                return r;

        /* libnftables 1.0.6 drops a set's comment and auto-merge from JSON, and refuses the dynamic flag */
        bool dynamic = false;
        for (size_t i = 0; s->flags && s->flags[i]; i++)
                dynamic = dynamic || streq(s->flags[i], "dynamic");
        if (s->comment || s->auto_merge || dynamic) {
                if (validate_object_name("table", t->table, NULL) < 0)
                        return fail(ret_why, "The table's name cannot be written in nft syntax, which a set with a "
                                             "comment, auto-merge or the dynamic flag needs");
                return set_command_text(family_to_string(t->family), t->table, t->name, s->map, s->type, s->value_type,
                                        flags_text, s->timeout, s->gc_interval, s->size, s->policy, s->counter,
                                        s->auto_merge, s->comment, ret_text) < 0
                               ? -ENOMEM
                               : 0;
        }

        spec = object_spec_with(family_to_string(t->family), t->table, t->name,
                                json_pack("{s:o, s:s*, s:o, s:s*}", "type", json_string(s->type), "map",
                                          s->map ? s->value_type : NULL, "flags", json_array(), "policy", s->policy));
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
        for (size_t i = 0; s->flags && s->flags[i]; i++)
                if (json_array_append_new(json_object_get(spec, "flags"), json_string(s->flags[i])) < 0)
                        return -ENOMEM;
        if ((s->timeout && json_object_set_new(spec, "timeout", json_integer((json_int_t) s->timeout)) < 0) ||
            (s->gc_interval &&
             json_object_set_new(spec, "gc-interval", json_integer((json_int_t) s->gc_interval)) < 0) ||
            (s->size && json_object_set_new(spec, "size", json_integer((json_int_t) s->size)) < 0) ||
            (s->counter && json_object_set_new(spec, "stmt", json_pack("[{s:n}]", "counter")) < 0))
                return -ENOMEM;
        *ret_json = TAKE_PTR(spec);
        return 0;
}
