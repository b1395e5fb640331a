/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The objects of the zones' configuration on the bus, one per name: the zones (/org/nftbus/Firewall1/zone/NAME,
 * zones/zone.c), the ipsets (/org/nftbus/Firewall1/ipset/NAME, zones/ipset.c) and the policies
 * (/org/nftbus/Firewall1/policy/NAME, zones/policy.c). An object is there for every
 * name of the runtime configuration and for those only the permanent one has; its properties are the runtime
 * one's, else the permanent one's. Here: finding them, listing them, NotFound for a name that is none, and what
 * GetManagedObjects' reply holds for them. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "context.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "state/zones.h"
#include "zones/engine.h"

typedef struct ConfigObjects {
        const char *prefix, *noun;
        size_t (*count)(const ZoneConfig *config);
        const char *(*name_at)(const ZoneConfig *config, size_t i);
        /* what the object of name i adds to GetManagedObjects' reply, at most: its fixed part (its interface,
         * property names and signatures, the standard interfaces: measured under 700 bytes) and its strings,
         * each with its length, terminator and padding */
        size_t (*size_bound)(const ZoneConfig *config, size_t i);
} ConfigObjects;

static size_t zones_count(const ZoneConfig *config)
{
        return config->n_zones;
}

static const char *zone_name_at(const ZoneConfig *config, size_t i)
{
        return config->zones[i]->name;
}

/* a zone's (or a policy's) name, texts and lists, in GetManagedObjects' reply */
static size_t zone_size_bound_of(const Zone *z)
{
        size_t size = 1024 + 3 * strlen(z->name) + strlen(ZONES_PATH) + strlen(strempty(z->description)) +
                      strlen(strempty(z->short_name));

        for (ZoneListKind l = 0; l < _ZONE_LIST_MAX; l++)
                for (size_t e = 0; e < zone_list_const(z, l)->n; e++)
                        size += strlen(zone_list_const(z, l)->items[e]) + 8;
        return size;
}

static size_t zone_size_bound(const ZoneConfig *config, size_t i)
{
        return zone_size_bound_of(config->zones[i]);
}

static size_t ipsets_count(const ZoneConfig *config)
{
        return config->ipsets.n;
}

static const char *ipset_name_at(const ZoneConfig *config, size_t i)
{
        return config->ipsets.items[i]->name;
}

static size_t ipset_size_bound(const ZoneConfig *config, size_t i)
{
        const IPSet *s = config->ipsets.items[i];
        size_t size =
                1024 + 4 * strlen(s->name) + strlen(IPSETS_PATH) + strlen(s->short_name) + strlen(s->description);

        for (size_t o = 0; o < s->options.n; o++)
                size += strlen(s->options.items[o]) + 16;
        return size;
}

static size_t policies_count(const ZoneConfig *config)
{
        return config->n_policies;
}

static const char *policy_name_at(const ZoneConfig *config, size_t i)
{
        return config->policies[i]->zone.name;
}

static size_t policy_size_bound(const ZoneConfig *config, size_t i)
{
        const Policy *p = config->policies[i];
        size_t size = 1024 + zone_size_bound_of(&p->zone) + strlen(POLICIES_PATH);

        for (size_t e = 0; e < p->ingress.n + p->egress.n; e++)
                size += strlen(e < p->ingress.n ? p->ingress.items[e] : p->egress.items[e - p->ingress.n]) + 8;
        return size;
}

static const ConfigObjects kinds[] = {
        { ZONES_PATH, "zone", zones_count, zone_name_at, zone_size_bound },
        { IPSETS_PATH, "ipset", ipsets_count, ipset_name_at, ipset_size_bound },
        { POLICIES_PATH, "policy", policies_count, policy_name_at, policy_size_bound },
};

static const ConfigObjects *kind_of_prefix(const char *prefix)
{
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++)
                if (streq(kinds[k].prefix, prefix))
                        return &kinds[k];
        return NULL;
}

/* The kind of an object's path (PREFIX/NAME), and NAME decoded. */
static const ConfigObjects *kind_of_path(const char *path, char **ret_name)
{
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++)
                if (sd_bus_path_decode(path, kinds[k].prefix, ret_name) > 0)
                        return &kinds[k];
        return NULL;
}

static bool config_has(const ConfigObjects *k, const ZoneConfig *config, const char *name)
{
        for (size_t i = 0; i < k->count(config); i++)
                if (streq(k->name_at(config, i), name))
                        return true;
        return false;
}

/* Whether the name of config's i-th object of kind k is an object of its own (a permanent one only when the
 * runtime configuration has no such name). */
static bool shown(const Context *c, const ConfigObjects *k, const ZoneConfig *config, size_t i)
{
        return config == &c->zones->runtime || !config_has(k, &c->zones->runtime, k->name_at(config, i));
}

static bool object_exists(Context *c, const char *path)
{
        _cleanup_free_ char *name = NULL;
        const ConfigObjects *k = c->zones ? kind_of_path(path, &name) : NULL;

        return k && (config_has(k, &c->zones->runtime, name) || config_has(k, &c->zones->permanent, name));
}

static int object_find(sd_bus *bus _unused_, const char *path, const char *interface _unused_, void *userdata,
                       void **ret_found, sd_bus_error *error _unused_)
{
        if (!object_exists(userdata, path))
                return 0;
        *ret_found = userdata;
        return 1;
}

/* The objects of kind k. sd-bus asks with the path it lists (the root's for GetManagedObjects), not the prefix the
 * enumerator was added for: each kind has its own. */
static int objects_enumerate(Context *c, const ConfigObjects *k, char ***ret_nodes)
{
        const ZoneConfig *configs[] = { &c->zones->runtime, &c->zones->permanent };
        _cleanup_strv_free_ char **nodes = NULL;
        size_t n = 0;

        for (size_t j = 0; j < ELEMENTSOF(configs); j++)
                for (size_t i = 0; i < k->count(configs[j]); i++) {
                        char *p = NULL;
                        if (!shown(c, k, configs[j], i))
                                continue;
                        if (sd_bus_path_encode(k->prefix, k->name_at(configs[j], i), &p) < 0 ||
                            strv_push(&nodes, &n, p) < 0)
                                return -ENOMEM;
                }
        *ret_nodes = TAKE_PTR(nodes);
        return 0;
}

static int zones_enumerate(sd_bus *bus _unused_, const char *path _unused_, void *userdata, char ***ret_nodes,
                           sd_bus_error *error _unused_)
{
        return objects_enumerate(userdata, &kinds[0], ret_nodes);
}

static int ipsets_enumerate(sd_bus *bus _unused_, const char *path _unused_, void *userdata, char ***ret_nodes,
                            sd_bus_error *error _unused_)
{
        return objects_enumerate(userdata, &kinds[1], ret_nodes);
}

static int policies_enumerate(sd_bus *bus _unused_, const char *path _unused_, void *userdata, char ***ret_nodes,
                              sd_bus_error *error _unused_)
{
        return objects_enumerate(userdata, &kinds[2], ret_nodes);
}

/* A call to PREFIX/NAME for a NAME that is none: NotFound naming it ("No zone 'x'"), instead of sd-bus's
 * UnknownObject (introspection and Peer calls go on to sd-bus). */
static int unknown_object(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *interface = sd_bus_message_get_interface(m);
        _cleanup_free_ char *name = NULL, *text = NULL;
        const ConfigObjects *k;

        if (!sd_bus_message_is_method_call(m, NULL, NULL) ||
            streq_ptr(interface, "org.freedesktop.DBus.Introspectable") ||
            streq_ptr(interface, "org.freedesktop.DBus.Peer") || object_exists(userdata, sd_bus_message_get_path(m)))
                return 0;
        k = kind_of_path(sd_bus_message_get_path(m), &name);
        if (!k)
                return 0;
        text = escape_for_message(name);
        return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "No %s '%s'", k->noun, strempty(text));
}

int config_objects_register(Context *c, const char *prefix, const char *interface, const sd_bus_vtable *vtable,
                            const sd_bus_vtable *manager_methods)
{
        int r = sd_bus_add_fallback_vtable(c->bus, NULL, prefix, interface, vtable, object_find, c);

        if (r >= 0)
                r = sd_bus_add_fallback(c->bus, NULL, prefix, unknown_object, c);
        if (r >= 0)
                r = sd_bus_add_node_enumerator(
                        c->bus, NULL, prefix,
                        (sd_bus_node_enumerator_t[]){ zones_enumerate, ipsets_enumerate,
                                                      policies_enumerate }[kind_of_prefix(prefix) - kinds],
                        c);
        if (r >= 0)
                r = sd_bus_add_object_vtable(c->bus, NULL, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, manager_methods, c);
        return r;
}

size_t zones_objects_size_bound(const Context *c)
{
        size_t size = 0;

        if (!c->zones)
                return 0;
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++)
                for (size_t j = 0; j < 2; j++) {
                        const ZoneConfig *config = j == 0 ? &c->zones->runtime : &c->zones->permanent;
                        for (size_t i = 0; i < kinds[k].count(config); i++)
                                if (shown(c, &kinds[k], config, i))
                                        size += kinds[k].size_bound(config, i);
                }
        return size;
}

int config_object_not_found(sd_bus_error *error, const char *noun, const char *name, bool permanent)
{
        _cleanup_free_ char *shown = escape_for_message(name);

        return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND,
                                 permanent ? "No %s '%s' in the permanent configuration"
                                           : "No %s '%s' in force (one made with permanent is put in force by "
                                             "Reload)",
                                 noun, strempty(shown));
}

int config_object_reply_settings(sd_bus_message *m, const ConfigProperty *properties, size_t n,
                                 int (*append)(sd_bus_message *reply, const void *object, const char *property),
                                 const void *object)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = sd_bus_message_new_method_return(m, &reply);

        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sv}");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = sd_bus_message_open_container(reply, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", properties[i].name);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'v', properties[i].type);
                if (r >= 0)
                        r = append(reply, object, properties[i].name);
                r = call_close_containers(reply, 2, r);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}
