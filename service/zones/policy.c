/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Policy on /org/nftbus/Firewall1/policy/NAME, and the Manager's policy methods: firewalld's
 * policies (core/policyspec.h: what goes from some zones to others) as nftbus's own objects, under a polkit action
 * of their own, manage-policies, told the policy and its ingress and egress zones (as the change would leave them:
 * a rule can let a delegate change what goes from one zone to another and nothing else). Each method reads and
 * checks its settings, asks polkit, and queues the change in the zone engine (zones/engine.h), which checks the
 * policy within its configuration as firewalld does. A change is runtime unless its option permanent says
 * otherwise; a runtime one lasts until the next Reload. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "bus/options.h"
#include "bus/strlists.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "context.h"
#include "core/policyspec.h"
#include "core/zonelist.h"
#include "state/zones.h"
#include "zones/engine.h"

static const ZoneConfig *config_of(Context *c, bool permanent)
{
        return permanent ? &c->zones->permanent : &c->zones->runtime;
}

/* The policy of an object path: the runtime one, or the permanent one for a policy only it has. */
static const Policy *policy_of_path(Context *c, const char *path)
{
        _cleanup_free_ char *name = NULL;
        const Policy *p;

        if (!c->zones || sd_bus_path_decode(path, POLICIES_PATH, &name) <= 0)
                return NULL;
        p = policy_config_find(&c->zones->runtime, name);
        return p ? p : policy_config_find(&c->zones->permanent, name);
}

static int no_policy(sd_bus_error *error, const char *name, bool permanent)
{
        return config_object_not_found(error, "policy", name, permanent);
}

/* The policy a call on a Policy object is about, in the configuration it is for. */
static int called_policy(Context *c, sd_bus_message *m, bool permanent, const Policy **ret, sd_bus_error *error)
{
        _cleanup_free_ char *name = NULL;

        if (sd_bus_path_decode(sd_bus_message_get_path(m), POLICIES_PATH, &name) <= 0)
                return -EINVAL;
        *ret = policy_config_find(config_of(c, permanent), name);
        return *ret ? 0 : no_policy(error, name, permanent);
}

/* polkit, for manage-policies: the policy, and its ingress and egress zones as p has them (comma-separated) */
static int policy_polkit(Context *c, sd_bus_message *m, const Policy *p, sd_bus_error *error)
{
        _cleanup_free_ char *ingress = strlist_join(&p->ingress, ","), *egress = strlist_join(&p->egress, ",");

        if (!ingress || !egress)
                return -ENOMEM;
        return polkit_check(
                c->polkit, m,
                (const char *const[]){ "policy", p->zone.name, "ingress", ingress, "egress", egress, NULL }, error);
}

/* The reply of a change, and the object's signal: made, deleted, or changed */
static int reply_change(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        const char *member = sd_bus_message_get_member(m);
        _cleanup_free_ char *path = NULL;
        int r = sd_bus_reply_method_return(m, NULL);

        if (policy_object_path(object + strlen("zone "), &path) < 0)
                return r;
        if (streq(member, "AddPolicy"))
                (void) sd_bus_emit_object_added(c->bus, path);
        else if (streq(member, "DeletePolicy") && !policy_of_path(c, path))
                (void) sd_bus_emit_object_removed(c->bus, path);
        else
                (void) sd_bus_emit_properties_changed_strv(c->bus, path, POLICY_INTERFACE, NULL);
        return r;
}

static const ZoneAnswer answer_change = { reply_change, NULL };

/* ---- settings: a{sv} by the properties' names ---- */

static int read_zones(sd_bus_message *m, StrList *ret, sd_bus_error *error)
{
        _cleanup_(strlist_done) StrList zones = {};
        int r = bus_read_strlist(m, &zones);

        if (r < 0)
                return r;
        for (size_t i = 0; i < zones.n; i++) {
                _cleanup_free_ char *why = NULL;
                if (!IN_SET_STR(zones.items[i], POLICY_ZONE_HOST, POLICY_ZONE_ANY) &&
                    zone_check_name(zones.items[i], &why) < 0)
                        return call_invalid(error, why);
        }
        strlist_done(ret);
        *ret = zones;
        zones = (StrList){};
        return 0;
}

/* A list setting (Services, Ports, ...): each value checked and made canonical as Zone's Add methods do */
static int read_list(Context *c, sd_bus_message *m, bool permanent, ZoneListKind k, StrList *ret, sd_bus_error *error)
{
        _cleanup_(strlist_done) StrList given = {}, values = {};
        int r = bus_read_strlist(m, &given);

        for (size_t i = 0; r >= 0 && i < given.n; i++) {
                _cleanup_free_ char *canonical = NULL;
                r = zone_value_check(c, permanent, k, given.items[i], &canonical, error);
                if (r >= 0)
                        r = zone_list_ports(k) ? zone_ports_add(&values, canonical) : strlist_add(&values, canonical);
        }
        if (r < 0)
                return r;
        strlist_done(ret);
        *ret = values;
        values = (StrList){};
        return 0;
}

/* One setting of the a{sv} at m's position (its key read) into p */
static int read_setting(Context *c, sd_bus_message *m, bool permanent, const char *key, Policy *p, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *text, *type = NULL;
        char kind;
        int k = zone_list_of_property(key), r, t;

        if (IN_SET(k, ZONE_LIST_INTERFACE, ZONE_LIST_SOURCE))
                k = -EINVAL; /* a policy's zones have them */
        r = sd_bus_message_peek_type(m, &kind, &type);
        if (r < 0)
                return r;
        if (k >= 0 || streq(key, "IngressZones") || streq(key, "EgressZones")) {
                if (!streq(type, "as"))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Invalid setting %s: an array of strings", key);
                r = sd_bus_message_enter_container(m, 'v', "as");
                if (r >= 0)
                        r = k >= 0 ? read_list(c, m, permanent, (ZoneListKind) k, zone_list(&p->zone, k), error)
                            : streq(key, "IngressZones") ? read_zones(m, &p->ingress, error)
                                                         : read_zones(m, &p->egress, error);
        } else if (streq(key, "Priority")) {
                int32_t priority;
                if (!streq(type, "i"))
                        return call_invalid(error, "Invalid setting Priority: a 32-bit integer");
                r = sd_bus_message_read(m, "v", "i", &priority);
                if (r >= 0 && policy_check_priority(priority, p->zone.name, &why) < 0)
                        return zone_coded_error(error, "INVALID_PRIORITY", "%s", why);
                p->priority = priority;
                return r;
        } else if (streq(key, "Masquerade")) {
                int b;
                if (!streq(type, "b"))
                        return call_invalid(error, "Invalid setting Masquerade: a boolean");
                r = sd_bus_message_read(m, "v", "b", &b);
                p->zone.masquerade = b;
                return r;
        } else if (IN_SET_STR(key, "Target", "Short", "Description")) {
                if (!streq(type, "s"))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT, "Invalid setting %s: a string",
                                                 key);
                r = sd_bus_message_read(m, "v", "s", &text);
                if (r < 0)
                        return r;
                if (streq(key, "Target")) {
                        t = policy_target_of_name(text);
                        if (t < 0)
                                return call_invalid(error, "Invalid target: CONTINUE, ACCEPT, REJECT or DROP");
                        p->zone.target = (ZoneTarget) t;
                        return 0;
                }
                if (strlen(text) > 1024 || validate_comment(text, NULL) < 0)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Invalid setting %s: one line of printable text", key);
                return free_and_strdup(streq(key, "Short") ? &p->zone.short_name : &p->zone.description,
                                       empty_to_null(text));
        } else {
                _cleanup_free_ char *shown = escape_for_message(key);
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Unknown setting '%s': Target, Priority, IngressZones, EgressZones, "
                                         "Masquerade, Short, Description, Services, Ports, Protocols, ForwardPorts, "
                                         "IcmpBlocks, RichRules or SourcePorts",
                                         strempty(shown));
        }
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* The settings of a call: a copy of base (NULL: a new policy named name) with those given */
static int read_settings(Context *c, sd_bus_message *m, bool permanent, const char *name, const Policy *base,
                         Policy **ret, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *p = base ? policy_copy(base) : policy_new(name);
        const char *key;
        int r;

        if (!p)
                return -ENOMEM;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = sd_bus_message_read_basic(m, 's', &key);
                if (r >= 0)
                        r = read_setting(c, m, permanent, key, p, error);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

/* ---- Policy's properties, of the runtime policy (of the permanent one for a policy only it has) ---- */

static const ConfigProperty policy_properties[] = {
        { "Name", "s" },        { "Short", "s" },         { "Description", "s" },  { "Target", "s" },
        { "Priority", "i" },    { "IngressZones", "as" }, { "EgressZones", "as" }, { "Masquerade", "b" },
        { "Services", "as" },   { "Ports", "as" },        { "Protocols", "as" },   { "ForwardPorts", "as" },
        { "IcmpBlocks", "as" }, { "RichRules", "as" },    { "SourcePorts", "as" },
};

static int append_policy_property(sd_bus_message *reply, const void *object, const char *property)
{
        const Policy *p = object;
        int k = zone_list_of_property(property);

        if (k >= 0)
                return bus_append_strlist(reply, zone_list_const(&p->zone, k));
        if (streq(property, "IngressZones") || streq(property, "EgressZones"))
                return bus_append_strlist(reply, streq(property, "IngressZones") ? &p->ingress : &p->egress);
        if (streq(property, "Priority"))
                return sd_bus_message_append(reply, "i", (int32_t) p->priority);
        if (streq(property, "Masquerade"))
                return sd_bus_message_append(reply, "b", p->zone.masquerade);
        return sd_bus_message_append(reply, "s",
                                     streq(property, "Name")          ? p->zone.name
                                     : streq(property, "Short")       ? strempty(p->zone.short_name)
                                     : streq(property, "Description") ? strempty(p->zone.description)
                                                                      : policy_target_name(p->zone.target));
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Policy *p = policy_of_path(c, path);

        if (!p)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "The policy is gone");
        if (streq(property, "Active"))
                return sd_bus_message_append(reply, "b",
                                             policy_is_active(&c->zones->runtime, p) &&
                                                     policy_config_find(&c->zones->runtime, p->zone.name));
        return append_policy_property(reply, p, property);
}

/* GetPermanent() -> a{sv}: the policy's file, by the properties' names */
static int method_get_permanent(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Policy *p;
        int r = called_policy(c, m, true, &p, error);

        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return config_object_reply_settings(m, policy_properties, ELEMENTSOF(policy_properties),
                                            append_policy_property, p);
}

/* Update(settings, options): the settings given changed, the others kept */
static int method_update(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *changed = NULL;
        Context *c = userdata;
        const Policy *p;
        int permanent, r;

        /* the settings are read after the options, which say which configuration they change */
        r = sd_bus_message_skip(m, "a{sv}");
        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r >= 0)
                r = called_policy(c, m, permanent, &p, error);
        if (r >= 0)
                r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = read_settings(c, m, permanent, p->zone.name, p, &changed, error);
        if (r < 0)
                return r;
        r = policy_polkit(c, m, changed, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m, POLICY_UPDATE, p->zone.name, TAKE_PTR(changed), NULL, permanent, &answer_change,
                              error);
}

static const sd_bus_vtable policy_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Name", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Short", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Description", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Target", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Priority", "i", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("IngressZones", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("EgressZones", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Masquerade", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Services", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Ports", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Protocols", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("ForwardPorts", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("IcmpBlocks", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("RichRules", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("SourcePorts", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("Active", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_METHOD_WITH_ARGS("GetPermanent", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", settings), method_get_permanent,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Update", SD_BUS_ARGS("a{sv}", settings, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_update, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* ---- the Manager's policy methods ---- */

/* ListPolicies(options) -> a(ssio): name, target, priority, object path */
static int method_list_policies(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ZoneConfig *config;
        int permanent, r = options_read_permanent(m, &permanent, error);

        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        config = config_of(c, permanent);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssio)");
        for (size_t i = 0; r >= 0 && i < config->n_policies; i++) {
                const Policy *p = config->policies[i];
                _cleanup_free_ char *path = NULL;
                r = policy_object_path(p->zone.name, &path);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "(ssio)", p->zone.name, policy_target_name(p->zone.target),
                                                  (int32_t) p->priority, path);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

static int check_name(const char *name, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;

        return policy_check_name(name, &why) < 0 ? zone_coded_error(error, "INVALID_NAME", "%s", why) : 0;
}

/* AddPolicy(name, settings, options) */
static int method_add_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *p = NULL;
        Context *c = userdata;
        const char *name;
        int permanent, r = sd_bus_message_read(m, "s", &name);

        if (r >= 0)
                r = check_name(name, error);
        /* the settings are read after the options, which say which configuration's services they may name */
        if (r >= 0)
                r = sd_bus_message_skip(m, "a{sv}");
        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r >= 0)
                r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = sd_bus_message_skip(m, "s");
        if (r >= 0)
                r = read_settings(c, m, permanent, name, NULL, &p, error);
        if (r < 0)
                return r;
        if (policy_config_find(config_of(c, permanent), name))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS, "There is a policy '%s' already", name);
        r = policy_polkit(c, m, p, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m, POLICY_ADD, name, TAKE_PTR(p), NULL, permanent, &answer_change, error);
}

/* DeletePolicy(name, options) */
static int method_delete_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Policy *p;
        const char *name;
        int permanent, r = sd_bus_message_read(m, "s", &name);

        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r >= 0)
                r = check_name(name, error);
        if (r < 0)
                return r;
        p = policy_config_find(config_of(c, permanent), name);
        if (!p)
                return no_policy(error, name, permanent);
        r = policy_polkit(c, m, p, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m, POLICY_REMOVE, name, NULL, NULL, permanent, &answer_change, error);
}

static const sd_bus_vtable manager_policy_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_ARGS("ListPolicies", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("a(ssio)", policies),
                                method_list_policies, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddPolicy", SD_BUS_ARGS("s", name, "a{sv}", settings, "a{sv}", options),
                                SD_BUS_NO_RESULT, method_add_policy, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DeletePolicy", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_delete_policy, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int policy_register(Context *c)
{
        return config_objects_register(c, POLICIES_PATH, POLICY_INTERFACE, policy_vtable, manager_policy_vtable);
}
