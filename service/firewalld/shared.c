/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What firewalld's interfaces share (firewalld/firewalld.h): its errors and polkit refusals, its values and
 * nftbus's (core/fwdspec.h, core/zonelist.h), a zone's and a service's settings, the list methods of the runtime
 * and the permanent zones, the names of zones and services, and the dispatchers of the generated vtables. It calls
 * nothing of main.c, zone.c and config.c, which call it. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "core/helperspec.h"
#include "bus/call.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "core/richrule.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "firewalld/firewalld.h"
#include "state/zones.h"
#include "zones/engine.h"

int fwd_error(sd_bus_error *error, const char *code, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = call_error_codedv(error, FWD_EXCEPTION, code, fmt, ap);
        va_end(ap);
        return r;
}

int fwd_map_error(const sd_bus_error *e, sd_bus_error *ret)
{
        const char *message = strempty(e->message);
        size_t code = strspn(message, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

        /* firewalld's own code, as the zone engine says it for ipsets ("INVALID_IPSET: lab") */
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_INVALID_ARGUMENT) && code > 0 &&
            (message[code] == ':' || !message[code]))
                return fwd_error(ret, strndupa(message, code), "%s", message[code] ? message + code + 2 : "");
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_ALREADY_EXISTS))
                return fwd_error(ret, "ALREADY_ENABLED", "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_NOT_FOUND))
                return fwd_error(ret, startswith(strempty(e->message), "No zone") ? "INVALID_ZONE" : "NOT_ENABLED",
                                 "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_INVALID_ARGUMENT))
                return fwd_error(ret, "INVALID_VALUE", "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_REJECTED) && strstr(strempty(e->message), " is in zone "))
                return fwd_error(ret, "ZONE_CONFLICT", "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_ZONES_OFF))
                return fwd_error(ret, "NOT_RUNNING", "%s", strempty(e->message));
        return fwd_error(ret, "COMMAND_FAILED", "%s", strempty(e->message));
}

int fwd_reply_added(Context *c, sd_bus_message *m, FwdKind k, const char *name, const char *signal)
{
        _cleanup_free_ char *path = NULL;
        int r = fwd_object_path(c, k, name, &path);

        if (r < 0)
                return r;
        r = sd_bus_reply_method_return(m, "o", path);
        (void) sd_bus_emit_signal(c->bus, FWD_CONFIG_PATH, FWD_CONFIG_INTERFACE, signal, "s", name);
        return r;
}

int fwd_reply_signalled(Context *c, sd_bus_message *m, const char *interface, const char *signal, const char *name)
{
        int r = sd_bus_reply_method_return(m, NULL);

        (void) sd_bus_emit_signal(c->bus, sd_bus_message_get_path(m), interface, signal, "s", name);
        return r;
}

int fwd_reply_config_change(Context *c, sd_bus_message *m, const char *object, const char *interface,
                            const char *add_member, const char *added_signal, FwdKind k)
{
        const char *member = sd_bus_message_get_member(m), *name = NULL;

        if (streq(member, add_member)) {
                if (sd_bus_message_rewind(m, true) < 0 || sd_bus_message_read(m, "s", &name) < 0)
                        return -EINVAL;
                return fwd_reply_added(c, m, k, name, added_signal);
        }
        if (streq(member, "rename") && sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "s", &name) >= 0)
                fwd_object_renamed(sd_bus_message_get_path(m), name); /* the path is the renamed object's still */
        return fwd_reply_signalled(c, m, interface,
                                   streq(member, "remove")   ? "Removed"
                                   : streq(member, "rename") ? "Renamed"
                                                             : "Updated",
                                   name ? name : object + strlen("zone "));
}

int fwd_check_new_name(const char *kind, const char *name, const char *punctuation, size_t max, bool taken,
                       sd_bus_error *error)
{
        char allowed[128];
        size_t wrong;

        snprintf(allowed, sizeof(allowed), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%s",
                 punctuation);
        wrong = strspn(name, allowed);
        if (taken)
                return fwd_error(error, "NAME_CONFLICT", "new_%s(): '%s'", kind, name);
        if (!*name)
                return fwd_error(error, "INVALID_NAME", "name can't be empty");
        if (name[wrong]) { /* the character, whole: UTF-8's lead byte says how long it is */
                unsigned char lead = (unsigned char) name[wrong];
                int len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
                return fwd_error(error, "INVALID_NAME", "'%.*s' is not allowed in '%s'", len, name + wrong, name);
        }
        if (strlen(name) > max)
                return fwd_error(error, "INVALID_NAME", "'%s': %zu characters at most", name, max);
        return 0;
}

/* ---- the numbers of the config objects ---- */

/* firewalld numbers its config objects once and never gives a number to another object: a client that holds a
 * path calls the object it was given, or none (never the one that came after it in a list). A name keeps its number
 * until a reload, when firewalld makes every object anew, numbered from 0 in name order; a new one takes the next. */
static size_t zones_count(const Context *c)
{
        return c->zones->permanent.n_zones;
}

static const char *zone_at(const Context *c, size_t i)
{
        return c->zones->permanent.zones[i]->name;
}

/* the config.service objects: the permanent configuration's services */
static size_t services_count(const Context *c)
{
        return zones_services(c->zones, true)->n;
}

static const char *service_at(const Context *c, size_t i)
{
        return zones_services(c->zones, true)->services[i]->name;
}

static size_t ipsets_count(const Context *c)
{
        return c->zones->permanent.ipsets.n;
}

static const char *ipset_at(const Context *c, size_t i)
{
        return c->zones->permanent.ipsets.items[i]->name;
}

static size_t policies_count(const Context *c)
{
        return c->zones->permanent.n_policies;
}

static const char *policy_at(const Context *c, size_t i)
{
        return c->zones->permanent.policies[i]->zone.name;
}

/* the config.icmptype and config.helper objects: firewalld's ICMP types and helpers, nftbus's built-in ones */
static size_t icmp_types_count(const Context *c _unused_)
{
        size_t n;

        (void) zone_icmp_type_names(&n);
        return n;
}

static const char *icmp_type_at(const Context *c _unused_, size_t i)
{
        size_t n;

        return zone_icmp_type_names(&n)[i];
}

static size_t helpers_count(const Context *c)
{
        size_t n = 0;

        while (catalogue_helper_at(zones_services(c->zones, true), n))
                n++;
        return n;
}

static const char *helper_at(const Context *c, size_t i)
{
        return catalogue_helper_at(zones_services(c->zones, true), i);
}

static const struct {
        const char *prefix;
        size_t (*count)(const Context *c);
        const char *(*name_at)(const Context *c, size_t i);
} fwd_kinds[_FWD_KIND_MAX] = {
        [FWD_KIND_ZONE] = { FWD_CONFIG_ZONES_PATH, zones_count, zone_at },
        [FWD_KIND_SERVICE] = { FWD_CONFIG_SERVICES_PATH, services_count, service_at },
        [FWD_KIND_IPSET] = { FWD_CONFIG_IPSETS_PATH, ipsets_count, ipset_at },
        [FWD_KIND_POLICY] = { FWD_CONFIG_POLICIES_PATH, policies_count, policy_at },
        [FWD_KIND_ICMPTYPE] = { FWD_CONFIG_ICMPTYPES_PATH, icmp_types_count, icmp_type_at },
        [FWD_KIND_HELPER] = { FWD_CONFIG_HELPERS_PATH, helpers_count, helper_at },
};

/* the names numbered, in the order of their numbers (one daemon, one bus: kept for the process's life) */
static StrList numbered[_FWD_KIND_MAX];

/* every object of the kind has its number: those new since take the next ones, in name order */
static int numbering_sync(const Context *c, FwdKind k)
{
        size_t n = fwd_kinds[k].count(c);

        for (size_t i = 0; i < n; i++)
                if (strlist_add(&numbered[k], fwd_kinds[k].name_at(c, i)) < 0)
                        return -ENOMEM;
        return 0;
}

void fwd_numbering_reset(const Context *c)
{
        /* firewalld makes its objects anew, each told by config's *Added, in this order */
        static const struct {
                FwdKind kind;
                const char *signal;
        } told[] = { { FWD_KIND_IPSET, "IPSetAdded" },     { FWD_KIND_ICMPTYPE, "IcmpTypeAdded" },
                     { FWD_KIND_SERVICE, "ServiceAdded" }, { FWD_KIND_ZONE, "ZoneAdded" },
                     { FWD_KIND_HELPER, "HelperAdded" },   { FWD_KIND_POLICY, "PolicyAdded" } };

        for (FwdKind k = 0; k < _FWD_KIND_MAX; k++) {
                strlist_done(&numbered[k]);
                (void) numbering_sync(c, k); /* now: what comes later takes the next numbers */
        }
        for (size_t i = 0; i < ELEMENTSOF(told); i++)
                for (size_t n = fwd_kinds[told[i].kind].count(c), k = 0; k < n; k++)
                        (void) sd_bus_emit_signal(c->bus, FWD_CONFIG_PATH, FWD_CONFIG_INTERFACE, told[i].signal, "s",
                                                  fwd_kinds[told[i].kind].name_at(c, k));
}

bool fwd_object_exists(const Context *c, FwdKind k, const char *name)
{
        size_t n = fwd_kinds[k].count(c);

        for (size_t i = 0; i < n; i++)
                if (streq(fwd_kinds[k].name_at(c, i), name))
                        return true;
        return false;
}

int fwd_object_path(Context *c, FwdKind k, const char *name, char **ret)
{
        ssize_t i;
        int r = numbering_sync(c, k);

        if (r < 0)
                return r;
        if (!fwd_object_exists(c, k, name) || (i = strlist_find(&numbered[k], name)) < 0)
                return -ENOENT;
        return asprintf(ret, "%s/%zd", fwd_kinds[k].prefix, i) < 0 ? -ENOMEM : 0;
}

const char *fwd_object_name(Context *c, FwdKind k, const char *path)
{
        const char *tail = startswith(path, fwd_kinds[k].prefix), *name;
        unsigned long index;
        char *end;

        if (!tail || *tail != '/' || tail[1] < '0' || tail[1] > '9' || (tail[1] == '0' && tail[2]))
                return NULL;
        errno = 0;
        index = strtoul(tail + 1, &end, 10);
        if (errno || *end || numbering_sync(c, k) < 0 || index >= numbered[k].n)
                return NULL;
        name = numbered[k].items[index];
        return fwd_object_exists(c, k, name) ? name : NULL;
}

void fwd_object_renamed(const char *path, const char *new_name)
{
        for (FwdKind k = 0; k < _FWD_KIND_MAX; k++) {
                const char *tail = startswith(path, fwd_kinds[k].prefix);
                ssize_t other = strlist_find(&numbered[k], new_name);
                unsigned long index;
                char *end, *gone = NULL;
                if (!tail || *tail != '/')
                        continue;
                index = strtoul(tail + 1, &end, 10);
                if (*end || index >= numbered[k].n)
                        return;
                /* a number the new name had (an object of that name before) is no one's now: its name becomes one
                 * no object can have */
                if (other >= 0 && asprintf(&gone, "\n%zd", other) >= 0) {
                        free(numbered[k].items[other]);
                        numbered[k].items[other] = gone;
                }
                if (free_and_strdup(&numbered[k].items[index], new_name) >= 0)
                        strlist_index(&numbered[k]);
                return;
        }
}

int fwd_reply_objects(Context *c, sd_bus_message *m, FwdKind k, bool paths)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        size_t n = fwd_kinds[k].count(c);
        int r = sd_bus_message_new_method_return(m, &reply);

        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', paths ? "o" : "s");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                _cleanup_free_ char *path = NULL;
                const char *name = fwd_kinds[k].name_at(c, i);
                r = paths ? fwd_object_path(c, k, name, &path) : 0;
                if (r >= 0)
                        r = sd_bus_message_append_basic(reply, paths ? 'o' : 's', paths ? path : name);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

static int numbered_find(sd_bus *bus _unused_, const char *path, const char *interface _unused_, void *userdata,
                         void **found, sd_bus_error *error _unused_)
{
        Context *c = userdata;

        for (FwdKind k = 0; k < _FWD_KIND_MAX; k++)
                if (fwd_object_name(c, k, path)) {
                        *found = c;
                        return 1;
                }
        return 0;
}

/* what an enumerator of one kind's objects is given */
static struct {
        Context *context;
        FwdKind kind;
} enumerated[_FWD_KIND_MAX];

static int numbered_enumerate(sd_bus *bus _unused_, const char *prefix _unused_, void *userdata, char ***nodes,
                              sd_bus_error *error _unused_)
{
        Context *c = ((typeof(enumerated[0]) *) userdata)->context;
        FwdKind k = ((typeof(enumerated[0]) *) userdata)->kind;
        _cleanup_strv_free_ char **l = NULL;
        size_t n = 0;

        for (size_t i = 0; i < fwd_kinds[k].count(c); i++) {
                char *path = NULL;
                if (fwd_object_path(c, k, fwd_kinds[k].name_at(c, i), &path) < 0 || strv_push(&l, &n, path) < 0)
                        return -ENOMEM;
        }
        *nodes = TAKE_PTR(l);
        return 0;
}

int fwd_register_numbered(Context *c, FwdKind k, const char *interface, const sd_bus_vtable *vtable)
{
        int r = sd_bus_add_fallback_vtable(c->bus, NULL, fwd_kinds[k].prefix, interface, vtable, numbered_find, c);

        enumerated[k].context = c;
        enumerated[k].kind = k;
        return r >= 0 ? sd_bus_add_node_enumerator(c->bus, NULL, fwd_kinds[k].prefix, numbered_enumerate,
                                                   &enumerated[k])
                      : r;
}

int fwd_check(Context *c, sd_bus_message *m, sd_bus_error *error)
{
        int r = polkit_check(c->polkit, m, NULL, error);

        if (r < 0 && (sd_bus_error_has_name(error, SD_BUS_ERROR_ACCESS_DENIED) ||
                      sd_bus_error_has_name(error, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED))) {
                sd_bus_error_free(error);
                return sd_bus_error_setf(error, FWD_NOT_AUTHORIZED, "Not Authorized(polkit): %s",
                                         strempty(polkit_action_of(m)));
        }
        return r;
}

int fwd_read_args(sd_bus_message *m, ZoneListKind k, const char *args[FWD_ARGS_MAX])
{
        int r = 0;

        for (unsigned i = 0; r >= 0 && i < zone_list_types[k].fwd_args; i++)
                r = sd_bus_message_read(m, "s", &args[i]);
        return r;
}

bool fwd_permanent_call(sd_bus_message *m)
{
        const char *interface = sd_bus_message_get_interface(m);

        return interface && startswith(interface, FWD_CONFIG_INTERFACE);
}

int fwd_canonical(Context *c, bool permanent, ZoneListKind k, const char *const *args, char **ret, sd_bus_error *error)
{
        const ServiceCatalogue *services = zones_services(c->zones, permanent);
        _cleanup_free_ char *joined = NULL, *shown = NULL;
        int r;

        if (k == ZONE_LIST_RICH_RULE) { /* firewalld's own code for what is wrong with it */
                _cleanup_free_ char *why = NULL;
                const char *code;
                r = zone_rich_rule_check(args[0], services, NULL, ret, &code, &why);
                if (r == -ENOMEM)
                        return r;
                return r < 0 ? fwd_error(error, code, "%s", strempty(why)) : 0;
        }
        r = fwd_value_join(k, args, &joined);
        if (r >= 0)
                r = zone_list_check(k, joined, services, ret, NULL);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (fwd_value_shown(k, args, &shown) < 0)
                        return -ENOMEM;
                return fwd_error(error, zone_list_types[k].fwd_invalid, "%s", shown);
        }
        return 0;
}

int fwd_read_value(Context *c, sd_bus_message *m, ZoneListKind k, const char *args[FWD_ARGS_MAX], char **ret,
                   sd_bus_error *error)
{
        int r = fwd_read_args(m, k, args);

        return r < 0 ? r : fwd_canonical(c, fwd_permanent_call(m), k, args, ret, error);
}

int fwd_append_split(sd_bus_message *reply, ZoneListKind k, const StrList *values, bool structs)
{
        unsigned n = zone_list_types[k].fwd_args;
        const char *contents = structs ? (n == 2 ? "(ss)" : "(ssss)") : "as";
        int r = sd_bus_message_open_container(reply, 'a', contents);

        for (size_t i = 0; r >= 0 && i < values->n; i++) {
                char parts[FWD_ARGS_MAX][FWD_PART_MAX];
                if (fwd_value_split(k, values->items[i], parts) < 0)
                        continue; /* not one firewalld can show */
                r = structs ? sd_bus_message_open_container(reply, 'r', n == 2 ? "ss" : "ssss")
                            : sd_bus_message_open_container(reply, 'a', "s");
                for (unsigned a = 0; r >= 0 && a < n; a++)
                        r = sd_bus_message_append_basic(reply, 's', parts[a]);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int append_entry_open(sd_bus_message *reply, const char *key, const char *type)
{
        int r = sd_bus_message_open_container(reply, 'e', "sv");

        if (r >= 0)
                r = sd_bus_message_append_basic(reply, 's', key);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', type);
        return r;
}

static int append_entry_close(sd_bus_message *reply)
{
        int r = sd_bus_message_close_container(reply);

        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* an entry that holds a list, in the shape of kind k's values (ZONE_LIST_PROTOCOL: plain strings); left out when
 * the list is empty, as firewalld does */
static int append_list_entry(sd_bus_message *reply, const char *key, ZoneListKind k, const StrList *values)
{
        unsigned n = zone_list_types[k].fwd_args;
        int r;

        if (values->n == 0)
                return 0;
        r = append_entry_open(reply, key, n == 1 ? "as" : n == 2 ? "a(ss)" : "a(ssss)");
        if (r >= 0)
                r = fwd_append_list(reply, k, values, true);
        return r < 0 ? r : append_entry_close(reply);
}

/* a list's key in a policy's settings: a zone's, but rich_rules for its rich rules (a zone's are rules_str) */
static const char *policy_settings_key(ZoneListKind k)
{
        return k == ZONE_LIST_RICH_RULE ? "rich_rules" : zone_list_types[k].fwd_key;
}

/* The start of a zone's or (p not NULL) a policy's settings, an a{sv} left open: the texts it has, its target, its
 * lists (a policy's: no interfaces or sources) */
/* A list of a zone as firewalld shows it: its runtime ICMP blocks sorted (firewalld's runtime zones keep them so),
 * the rest in the order added */
static int append_zone_list_entry(sd_bus_message *reply, const char *key, ZoneListKind k, const StrList *values,
                                  bool runtime)
{
        _cleanup_(strlist_done) StrList sorted = {};

        if (!runtime || k != ZONE_LIST_ICMP_BLOCK)
                return append_list_entry(reply, key, k, values);
        return strlist_copy_sorted(values, &sorted) < 0 ? -ENOMEM : append_list_entry(reply, key, k, &sorted);
}

static int append_settings_head(sd_bus_message *reply, const Zone *z, const Policy *p, bool runtime)
{
        int r = sd_bus_message_open_container(reply, 'a', "{sv}");

        if (r >= 0 && z->version && *z->version)
                r = sd_bus_message_append(reply, "{sv}", "version", "s", z->version);
        if (r >= 0 && z->short_name && *z->short_name)
                r = sd_bus_message_append(reply, "{sv}", "short", "s", z->short_name);
        if (r >= 0 && z->description && *z->description)
                r = sd_bus_message_append(reply, "{sv}", "description", "s", z->description);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "target", "s",
                                          p ? policy_target_name(z->target) : fwd_target_to_string(z->target));
        for (ZoneListKind k = 0; r >= 0 && k < _ZONE_LIST_MAX; k++)
                if (!p || !IN_SET(k, ZONE_LIST_INTERFACE, ZONE_LIST_SOURCE))
                        r = append_zone_list_entry(reply, p ? policy_settings_key(k) : zone_list_types[k].fwd_key, k,
                                                   zone_list_const(z, k), runtime && !p);
        return r;
}

int fwd_append_zone_settings(sd_bus_message *reply, const Zone *z, bool runtime)
{
        int r;

        /* as firewalld's: the texts it has, the lists and flags always */
        r = append_settings_head(reply, z, NULL, runtime);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "masquerade", "b", z->masquerade);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "icmp_block_inversion", "b", z->icmp_block_inversion);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "forward", "b", z->forward);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int fwd_append_policy_settings(sd_bus_message *reply, const Policy *p)
{
        const Zone *z = &p->zone;
        int r;

        /* as firewalld's export_config_dict(): what is not empty, and the flag */
        r = append_settings_head(reply, z, p, false);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "masquerade", "b", z->masquerade);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "priority", "i", (int32_t) p->priority);
        for (int side = 0; r >= 0 && side < 2; side++) {
                const StrList *zones = side ? &p->egress : &p->ingress;
                if (zones->n == 0)
                        continue;
                r = append_entry_open(reply, side ? "egress_zones" : "ingress_zones", "as");
                if (r >= 0)
                        r = bus_append_strlist(reply, zones);
                if (r >= 0)
                        r = append_entry_close(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int fwd_read_list(Context *c, sd_bus_message *m, ZoneListKind k, StrList *ret, sd_bus_error *error)
{
        unsigned n = zone_list_types[k].fwd_args;
        const char *contents = n == 1 ? "s" : n == 2 ? "(ss)" : "(ssss)";
        StrList values = {};
        int r;

        r = sd_bus_message_enter_container(m, 'a', contents);
        while (r > 0) {
                const char *args[FWD_ARGS_MAX] = {};
                _cleanup_free_ char *canonical = NULL;
                if (n > 1)
                        r = sd_bus_message_enter_container(m, 'r', n == 2 ? "ss" : "ssss");
                for (unsigned i = 0; r > 0 && i < n; i++)
                        r = sd_bus_message_read_basic(m, 's', &args[i]);
                if (r <= 0) /* 0: the end of the array */
                        break;
                if (n > 1)
                        r = sd_bus_message_exit_container(m);
                if (r >= 0)
                        r = fwd_canonical(c, fwd_permanent_call(m), k, args, &canonical, error);
                if (r >= 0)
                        r = strlist_add(&values, canonical);
                if (r >= 0)
                        r = 1;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0) {
                strlist_done(&values);
                return r;
        }
        strlist_done(ret);
        *ret = values;
        return 0;
}

/* An "as" setting of a policy's zones (ingress_zones, egress_zones), in place of *ret's */
static int read_zone_names(sd_bus_message *m, StrList *ret, sd_bus_error *error)
{
        StrList names = {};
        const char *name;
        int r = sd_bus_message_enter_container(m, 'a', "s");

        while (r > 0 && (r = sd_bus_message_read_basic(m, 's', &name)) > 0) {
                _cleanup_free_ char *why = NULL;
                if (!IN_SET_STR(name, POLICY_ZONE_HOST, POLICY_ZONE_ANY) && zone_check_name(name, &why) < 0)
                        r = fwd_error(error, "INVALID_ZONE", "%s", name);
                else
                        r = strlist_add(&names, name) < 0 ? -ENOMEM : 1;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0) {
                strlist_done(&names);
                return r;
        }
        strlist_done(ret);
        *ret = names;
        return 0;
}

/* A service or ICMP type that is none, in firewalld's words of a policy's settings, or of a permanent zone's (error:
 * as a zone's method says it, "INVALID_SERVICE: NAME"); what (a zone's or a policy's) and its name */
static int unknown_name(const char *what, const char *name, ZoneListKind k, sd_bus_error *error, int r)
{
        const char *code = k == ZONE_LIST_SERVICE ? "INVALID_SERVICE" : "INVALID_ICMPTYPE";
        const char *value = error->message ? startswith(error->message, code) : NULL;
        _cleanup_free_ char *copy = NULL;

        if (!value || !startswith(value, ": ") || !(copy = strdup(value + 2)))
                return r;
        sd_bus_error_free(error);
        return fwd_error(error, code, "%s '%s': '%s' not among existing %s", what, name, copy,
                         k == ZONE_LIST_SERVICE ? "services" : "ICMP types");
}

/* Whether m changes the permanent configuration's zones (update, update2, addZone, addZone2), whose settings
 * firewalld checks as a whole and names the zone in its errors */
static bool permanent_settings(sd_bus_message *m)
{
        return startswith(strempty(sd_bus_message_get_interface(m)), FWD_CONFIG_INTERFACE);
}

static int invalid_target(sd_bus_message *m, const Zone *z, const char *text, sd_bus_error *error)
{
        return permanent_settings(m)
                       ? fwd_error(error, "INVALID_TARGET", "Zone '%s': invalid target '%s'", z->name, text)
                       : fwd_error(error, "INVALID_TARGET", "%s", text);
}

/* description, short, version: one line each in the zone's file; "" is none, as firewalld writes it */
static int set_text(Zone *z, const char *key, const char *text, sd_bus_error *error)
{
        if (strlen(text) > 1024 || validate_comment(text, NULL) < 0)
                return fwd_error(error, "INVALID_SETTING", "%s", key);
        return free_and_strdup(streq(key, "description") ? &z->description
                               : streq(key, "short")     ? &z->short_name
                                                         : &z->version,
                               empty_to_null(text));
}

/* One entry KEY: VARIANT of firewalld's settings into z, or (p not NULL) into the policy p (whose zone z is): its
 * value checked as its add method checks it */
static int read_setting(Context *c, sd_bus_message *m, Zone *z, Policy *p, sd_bus_error *error)
{
        const char *key, *type = NULL, *text;
        char kind;
        int b, l, r;

        r = sd_bus_message_read_basic(m, 's', &key);
        if (r >= 0)
                r = sd_bus_message_peek_type(m, &kind, &type);
        if (r < 0)
                return r;
        l = zone_list_of_fwd_key(key);
        if (p && IN_SET(l, ZONE_LIST_INTERFACE, ZONE_LIST_SOURCE, ZONE_LIST_RICH_RULE))
                l = -EINVAL; /* a policy has none: its zones have them; its rich rules' key is its own */
        if (p && streq(key, policy_settings_key(ZONE_LIST_RICH_RULE)))
                l = ZONE_LIST_RICH_RULE;
        if (l >= 0) {
                unsigned n = zone_list_types[l].fwd_args;
                if (!streq(type, n == 1 ? "as" : n == 2 ? "a(ss)" : "a(ssss)"))
                        return fwd_error(error, p ? "INVALID_TYPE" : "INVALID_SETTING", "%s: %s", key, type);
                r = sd_bus_message_enter_container(m, 'v', type);
                if (r >= 0)
                        r = fwd_read_list(c, m, (ZoneListKind) l, zone_list(z, (ZoneListKind) l), error);
                if (r < 0 && (p || permanent_settings(m)) && IN_SET(l, ZONE_LIST_SERVICE, ZONE_LIST_ICMP_BLOCK))
                        r = unknown_name(p ? "Policy" : "Zone", z->name, (ZoneListKind) l, error, r);
        } else if (IN_SET_STR(key, "description", "target", "short", "version")) {
                if (!streq(type, "s"))
                        return fwd_error(error, p ? "INVALID_TYPE" : "INVALID_SETTING", "%s: %s", key, type);
                r = sd_bus_message_enter_container(m, 'v', "s");
                if (r >= 0)
                        r = sd_bus_message_read_basic(m, 's', &text);
                if (r >= 0 && streq(key, "target")) {
                        int t = p ? policy_target_of_name(text) : fwd_target_from_string(text);
                        if (t < 0 && p)
                                return fwd_error(error, "INVALID_TARGET", "Policy '%s': '%s' is invalid target",
                                                 p->zone.name, text);
                        if (t < 0)
                                return invalid_target(m, z, text, error);
                        z->target = (ZoneTarget) t;
                } else if (r >= 0)
                        r = set_text(z, key, text, error);
        } else if (streq(key, "masquerade") || (!p && (streq(key, "forward") || streq(key, "icmp_block_inversion")))) {
                if (!streq(type, "b"))
                        return fwd_error(error, p ? "INVALID_TYPE" : "INVALID_SETTING", "%s: %s", key, type);
                r = sd_bus_message_enter_container(m, 'v', "b");
                if (r >= 0)
                        r = sd_bus_message_read_basic(m, 'b', &b);
                if (r >= 0 && streq(key, "masquerade"))
                        z->masquerade = b;
                else if (r >= 0 && streq(key, "forward")) /* firewall-cmd's --add-forward, --remove-forward */
                        z->forward = b;
                else if (r >= 0)
                        z->icmp_block_inversion = b;
        } else if (p && streq(key, "priority")) {
                int32_t priority;
                _cleanup_free_ char *why = NULL;
                if (!streq(type, "i"))
                        return fwd_error(error, "INVALID_TYPE", "%s: %s", key, type);
                r = sd_bus_message_enter_container(m, 'v', "i");
                if (r >= 0)
                        r = sd_bus_message_read_basic(m, 'i', &priority);
                if (r >= 0 && policy_check_priority(priority, p->zone.name, &why) < 0)
                        return fwd_error(error, "INVALID_PRIORITY", "%s", why);
                if (r >= 0)
                        p->priority = priority;
        } else if (p && (streq(key, "ingress_zones") || streq(key, "egress_zones"))) {
                if (!streq(type, "as"))
                        return fwd_error(error, "INVALID_TYPE", "%s: %s", key, type);
                r = sd_bus_message_enter_container(m, 'v', "as");
                if (r >= 0)
                        r = read_zone_names(m, streq(key, "ingress_zones") ? &p->ingress : &p->egress, error);
        } else if (p)
                return fwd_error(error, "INVALID_OPTION", "option '%s' is not valid", key);
        else if (streq(key, "ingress_priority") || streq(key, "egress_priority")) {
                /* what nftbus's zones do not have: fine when it is empty */
                if (streq(type, "as") || streq(type, "a(ss)")) {
                        r = sd_bus_message_enter_container(m, 'v', type);
                        if (r >= 0)
                                r = sd_bus_message_enter_container(m, 'a', type + 1);
                        if (r >= 0 && sd_bus_message_at_end(m, false) == 0)
                                return fwd_error(error, "NOT_SUPPORTED", "%s", key);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                } else if (streq(type, "i")) {
                        int32_t priority;
                        r = sd_bus_message_enter_container(m, 'v', "i");
                        if (r >= 0)
                                r = sd_bus_message_read_basic(m, 'i', &priority);
                        if (r >= 0 && priority != 0)
                                return fwd_error(error, "NOT_SUPPORTED", "%s", key);
                } else
                        return fwd_error(error, "INVALID_SETTING", "%s: %s", key, type);
        } else
                return fwd_error(error, "INVALID_SETTING", "%s", key);
        return r < 0 ? r : sd_bus_message_exit_container(m); /* the variant */
}

/* every entry of an a{sv} of settings into z (p: the policy z is of) */
static int read_settings(Context *c, sd_bus_message *m, Zone *z, Policy *p, sd_bus_error *error)
{
        int r = sd_bus_message_enter_container(m, 'a', "{sv}");

        while (r > 0) {
                r = sd_bus_message_enter_container(m, 'e', "sv");
                if (r <= 0)
                        break;
                r = read_setting(c, m, z, p, error);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m); /* the entry */
                if (r >= 0)
                        r = 1;
        }
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

int fwd_zone_from_settings(Context *c, sd_bus_message *m, const Zone *base, Zone **ret, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *z = zone_copy(base);
        int r;

        if (!z)
                return -ENOMEM;
        r = read_settings(c, m, z, NULL, error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(z);
        return 0;
}

int fwd_policy_from_settings(Context *c, sd_bus_message *m, const Policy *base, Policy **ret, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *p = policy_copy(base);
        int r;

        if (!p)
                return -ENOMEM;
        r = read_settings(c, m, &p->zone, p, error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

/* ---- firewalld's first form of a zone's settings, a tuple (getSettings, update, config's addZone) ---- */

/* Its fields in order: version, short, description, one unused, target, then these (no forward: it came later, in
 * the dictionary only) */
enum { TUPLE_MASQUERADE = -1, TUPLE_ICMP_BLOCK_INVERSION = -2 };
static const int tuple_fields[] = {
        ZONE_LIST_SERVICE,      ZONE_LIST_PORT,        ZONE_LIST_ICMP_BLOCK,       TUPLE_MASQUERADE,
        ZONE_LIST_FORWARD_PORT, ZONE_LIST_INTERFACE,   ZONE_LIST_SOURCE,           ZONE_LIST_RICH_RULE,
        ZONE_LIST_PROTOCOL,     ZONE_LIST_SOURCE_PORT, TUPLE_ICMP_BLOCK_INVERSION,
};
static const char *const tuple_texts[] = { "version", "short", "description" };

bool fwd_settings_tuple(sd_bus_message *m)
{
        return IN_SET_STR(strempty(sd_bus_message_get_member(m)), "getZoneSettings", "getSettings", "update",
                          "addZone");
}

int fwd_append_zone_tuple(sd_bus_message *reply, const Zone *z)
{
        int r = sd_bus_message_open_container(reply, 'r', FWD_ZONE_TUPLE_CONTENTS);

        if (r >= 0)
                r = sd_bus_message_append(reply, "sssbs", strempty(z->version), strempty(z->short_name),
                                          strempty(z->description), false, fwd_target_to_string(z->target));
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(tuple_fields); i++)
                r = tuple_fields[i] >= 0
                            ? fwd_append_list(reply, (ZoneListKind) tuple_fields[i],
                                              zone_list_const(z, (ZoneListKind) tuple_fields[i]), true)
                            : sd_bus_message_append(reply, "b",
                                                    tuple_fields[i] == TUPLE_MASQUERADE ? z->masquerade
                                                                                        : z->icmp_block_inversion);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int fwd_zone_from_tuple(Context *c, sd_bus_message *m, const Zone *base, Zone **ret, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *z = zone_copy(base);
        const char *text;
        int r, flag, t;

        if (!z)
                return -ENOMEM;
        r = sd_bus_message_enter_container(m, 'r', FWD_ZONE_TUPLE_CONTENTS);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(tuple_texts); i++) {
                r = sd_bus_message_read_basic(m, 's', &text);
                if (r >= 0)
                        r = set_text(z, tuple_texts[i], text, error);
        }
        if (r >= 0)
                r = sd_bus_message_read(m, "bs", &flag, &text);
        if (r >= 0 && (t = fwd_target_from_string(text)) < 0)
                return invalid_target(m, z, text, error);
        if (r >= 0)
                z->target = (ZoneTarget) t;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(tuple_fields); i++) {
                if (tuple_fields[i] >= 0) {
                        ZoneListKind k = (ZoneListKind) tuple_fields[i];
                        r = fwd_read_list(c, m, k, zone_list(z, k), error);
                        if (r < 0 && IN_SET(k, ZONE_LIST_SERVICE, ZONE_LIST_ICMP_BLOCK))
                                r = unknown_name("Zone", z->name, k, error, r);
                        continue;
                }
                r = sd_bus_message_read_basic(m, 'b', &flag);
                if (r >= 0 && tuple_fields[i] == TUPLE_MASQUERADE)
                        z->masquerade = flag;
                else if (r >= 0)
                        z->icmp_block_inversion = flag;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(z);
        return 0;
}

const char *fwd_zone_name_at(const void *config, size_t i)
{
        return ((const ZoneConfig *) config)->zones[i]->name;
}

const char *fwd_service_name_at(const void *catalogue, size_t i)
{
        return ((const ServiceCatalogue *) catalogue)->services[i]->name;
}

int fwd_reply_names(sd_bus_message *m, const void *list, size_t n, fwd_name_at_t name_at)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = sd_bus_message_new_method_return(m, &reply);

        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append_basic(reply, 's', name_at(list, i));
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

static int append_service_settings(sd_bus_message *reply, const ServiceDef *s)
{
        bool inc = s->includes.n > 0;
        int r = sd_bus_message_open_container(reply, 'a', "{sv}");

        if (r >= 0 && s->version)
                r = sd_bus_message_append(reply, "{sv}", "version", "s", s->version);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "short", "s", s->short_name ? s->short_name : s->name);
        if (r >= 0 && s->description)
                r = sd_bus_message_append(reply, "{sv}", "description", "s", s->description);
        /* a service that includes others: what it has of its own, as firewalld shows it */
        if (r >= 0)
                r = append_list_entry(reply, "ports", ZONE_LIST_PORT, inc ? &s->own_ports : &s->ports);
        if (r >= 0)
                r = append_list_entry(reply, "protocols", ZONE_LIST_PROTOCOL, inc ? &s->own_protocols : &s->protocols);
        if (r >= 0)
                r = append_list_entry(reply, "source_ports", ZONE_LIST_SOURCE_PORT,
                                      inc ? &s->own_source_ports : &s->source_ports);
        if (r >= 0)
                r = append_list_entry(reply, "helpers", ZONE_LIST_PROTOCOL, inc ? &s->own_helpers : &s->helpers);
        if (r >= 0)
                r = append_list_entry(reply, "includes", ZONE_LIST_PROTOCOL, &s->includes);
        if (r >= 0 && (s->destination_v4 || s->destination_v6)) {
                r = append_entry_open(reply, "destination", "a{ss}");
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'a', "{ss}");
                if (r >= 0 && s->destination_v4)
                        r = sd_bus_message_append(reply, "{ss}", "ipv4", s->destination_v4);
                if (r >= 0 && s->destination_v6)
                        r = sd_bus_message_append(reply, "{ss}", "ipv6", s->destination_v6);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
                if (r >= 0)
                        r = append_entry_close(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int fwd_reply_settings(sd_bus_message *m, const Zone *z, const ServiceDef *s)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = sd_bus_message_new_method_return(m, &reply);

        if (r >= 0)
                r = z ? fwd_append_zone_settings(reply, z,
                                                 streq_ptr(sd_bus_message_get_interface(m), FWD_ZONE_INTERFACE))
                      : append_service_settings(reply, s);
        return call_send_reply(reply, r);
}

int fwd_method_zone_of(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool interface = streq(sd_bus_message_get_member(m), "getZoneOfInterface");
        const ZoneConfig *config = streq(sd_bus_message_get_interface(m), FWD_CONFIG_INTERFACE) ? &c->zones->permanent
                                                                                                : &c->zones->runtime;
        const Zone *z;
        const char *value;
        int r;

        r = sd_bus_message_read(m, "s", &value);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        z = interface ? zone_config_zone_of_interface(config, value) : zone_config_zone_of_source(config, value);
        return sd_bus_reply_method_return(m, "s", z ? z->name : "");
}

/* ---- the list methods ---- */

int fwd_append_list(sd_bus_message *reply, ZoneListKind k, const StrList *values, bool structs)
{
        return zone_list_types[k].fwd_args == 1 ? bus_append_strlist(reply, values)
                                                : fwd_append_split(reply, k, values, structs);
}

int fwd_list_answer(Context *c, sd_bus_message *m, const FwdListCall *call, sd_bus_error *error)
{
        const StrList *list = zone_list_const(call->zone, call->kind);
        bool permanent = call->permanent, there;
        _cleanup_free_ char *shown = NULL;

        if (call->op == ZONE_LIST_GET) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                int r = sd_bus_message_new_method_return(m, &reply);
                _cleanup_(strlist_done) StrList sorted = {};
                if (r >= 0 && !permanent && call->kind == ZONE_LIST_ICMP_BLOCK) /* as firewalld's runtime zones */
                        r = strlist_copy_sorted(list, &sorted);
                if (r >= 0) /* the permanent configuration's in structs, the runtime's in arrays */
                        r = fwd_append_list(reply, call->kind, sorted.n ? &sorted : list, permanent);
                return call_send_reply(reply, r);
        }
        /* a port is there inside a range too, as firewalld counts them (zone_ports_add()) */
        there = zone_list_ports(call->kind) ? zone_ports_cover(list, call->canonical)
                                            : strlist_contains(list, call->canonical);
        if (call->op == ZONE_LIST_QUERY)
                return sd_bus_reply_method_return(m, "b", there);
        if (fwd_value_shown(call->kind, call->args, &shown) < 0)
                return -ENOMEM;
        /* the permanent configuration's messages name the value only */
        if (call->op == ZONE_LIST_ADD && there)
                return permanent
                               ? fwd_error(error, "ALREADY_ENABLED", "%s", shown)
                               : fwd_error(error, "ALREADY_ENABLED", "'%s' already in '%s'", shown, call->zone->name);
        if (call->op == ZONE_LIST_REMOVE && !there)
                return permanent ? fwd_error(error, "NOT_ENABLED", "%s", shown)
                                 : fwd_error(error, "NOT_ENABLED", "'%s' not in '%s'", shown, call->zone->name);
        return zone_list_request(c, m, call->kind, call->op, call->zone->name, call->canonical, permanent,
                                 call->answer, error);
}

/* ---- the objects of the permanent configuration ---- */

const Zone *fwd_path_zone(Context *c, const char *path)
{
        const char *name = fwd_object_name(c, FWD_KIND_ZONE, path);

        return name ? zone_config_find(&c->zones->permanent, name) : NULL;
}

const ServiceDef *fwd_path_service(Context *c, const char *path)
{
        const char *name = fwd_object_name(c, FWD_KIND_SERVICE, path);

        return name ? catalogue_find(zones_services(c->zones, true), name) : NULL;
}

int fwd_builtin_property(Context *c, FwdKind k, const char *path, const char *property, sd_bus_message *reply,
                         sd_bus_error *error)
{
        const char *name = fwd_object_name(c, k, path), *folder = k == FWD_KIND_ICMPTYPE ? "icmptypes" : "helpers";
        _cleanup_free_ char *text = NULL;
        int r;

        HelperView h = {};

        if (!name)
                return fwd_error(error, k == FWD_KIND_ICMPTYPE ? "INVALID_ICMPTYPE" : "INVALID_HELPER", "%s", path);
        if (k == FWD_KIND_HELPER)
                (void) catalogue_helper_view(zones_services(c->zones, true), name, &h);
        if (streq(property, "name"))
                return sd_bus_message_append(reply, "s", name);
        if (streq(property, "builtin") || streq(property, "default"))
                return sd_bus_message_append(reply, "b", !h.admin);
        /* an admin's helper: its folder and its file's name there */
        r = streq(property, "path") && h.admin ? asprintf(&text, "%s/%s", zones_files_directory(c->zones), folder)
            : streq(property, "path")
                    ? zones_builtin_directory(c->zones, folder, &text)
                    : asprintf(&text, "%s%s", name, h.admin ? zones_file_suffix(c->zones, ".helper") : ".xml");
        r = r < 0 ? -ENOMEM : 0;
        return r < 0 ? r : sd_bus_message_append(reply, "s", text);
}

int fwd_services_permanent_take(Context *c, ServiceCatalogue *next, int r, const char *why, sd_bus_error *error)
{
        if (r < 0) {
                if (next)
                        catalogue_done(next);
                free(next);
                /* a refusal has its error set already; the files' failure says why */
                return why ? fwd_error(error, "COMMAND_FAILED", "%s", why) : r;
        }
        zones_services_permanent_drop(c->zones);
        c->zones->services_permanent = next;
        return 0;
}

/* getServiceSettings2(name) of the main interface, getSettings2() of a config.service object */
int fwd_method_service_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *name = sd_bus_message_get_path(m);
        const ServiceDef *s;
        int r;

        if (streq_ptr(sd_bus_message_get_interface(m), FWD_CONFIG_SERVICE_INTERFACE))
                s = fwd_path_service(c, name);
        else {
                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                s = catalogue_find(&c->zones->services, name);
        }
        if (!s)
                return fwd_error(error, "INVALID_SERVICE", "%s", name);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_reply_settings(m, NULL, s);
}

/* ---- the dispatchers of the generated vtables ---- */

static const FwdMember *member_of(const FwdMember *members, const char *name)
{
        for (const FwdMember *i = members; i->name; i++)
                if (streq(i->name, name))
                        return i;
        return NULL;
}

/* what nftbus does not offer of firewalld's API (direct rules, custom helpers and ICMP types, ...)
 * is answered as firewalld answers what it cannot do, before polkit and changing nothing */
static int not_offered(sd_bus_error *error, const char *interface, const char *what, const char *member)
{
        return fwd_error(error, "NOT_SUPPORTED", "%s%s.%s is not offered by nftbus", what, interface, member);
}

int fwd_dispatch_method(const FwdMember *members, sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const FwdMember *i = member_of(members, sd_bus_message_get_member(m));

        if (!i || !i->method)
                return not_offered(error, sd_bus_message_get_interface(m), "", sd_bus_message_get_member(m));
        return i->method(m, userdata, error);
}

int fwd_dispatch_get(const FwdMember *members, sd_bus *bus, const char *path, const char *interface,
                     const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        const FwdMember *i = member_of(members, property);

        if (!i)
                i = member_of(members, FWD_EVERY_PROPERTY);
        if (!i || !i->get)
                return not_offered(error, interface, "reading ", property);
        return i->get(bus, path, interface, property, reply, userdata, error);
}

int fwd_dispatch_set(const FwdMember *members, sd_bus *bus, const char *path, const char *interface,
                     const char *property, sd_bus_message *value, void *userdata, sd_bus_error *error)
{
        const FwdMember *i = member_of(members, property);

        if (!i)
                i = member_of(members, FWD_EVERY_PROPERTY);
        if (!i || !i->set)
                return not_offered(error, interface, "setting ", property);
        return i->set(bus, path, interface, property, value, userdata, error);
}
