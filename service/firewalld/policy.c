/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's policies (firewalld.policies(5)) over nftbus's zone table: org.fedoraproject.FirewallD1.policy on
 * /org/fedoraproject/FirewallD1 (the runtime policies: their settings as a whole, which ones are in force), the
 * policy members of org.fedoraproject.FirewallD1.config (the permanent ones by name, addPolicy), and
 * org.fedoraproject.FirewallD1.config.policy on each permanent policy's object, /org/fedoraproject/FirewallD1/config/
 * policy/N (N: its number, given once: firewalld/shared.c). firewall-cmd's --policy options all go through
 * these: it reads a policy's settings, changes them, and sends them back whole. Each call's settings are read and
 * checked as firewalld reads them (firewalld/shared.c) before polkit; the zone engine checks the policy within its
 * configuration (core/policyspec.h) and makes the change (zones/engine.h): a permanent one writes the policy's file,
 * a runtime one the zones' table. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "core/policyspec.h"
#include "firewalld/firewalld.h"
#include "state/zones.h"

static const ZoneConfig *config_of(Context *c, bool permanent)
{
        return permanent ? &c->zones->permanent : &c->zones->runtime;
}

static const Policy *named_policy(Context *c, const char *name, bool permanent, sd_bus_error *error)
{
        const Policy *p = policy_config_find(config_of(c, permanent), name);

        if (!p)
                (void) fwd_error(error, "INVALID_POLICY", "%s", name);
        return p;
}

/* the permanent policy of a config.policy object */
static const Policy *path_policy(Context *c, const char *path)
{
        const char *name = fwd_object_name(c, FWD_KIND_POLICY, path);

        return name ? policy_config_find(&c->zones->permanent, name) : NULL;
}

static int called_policy(Context *c, sd_bus_message *m, const Policy **ret, sd_bus_error *error)
{
        *ret = path_policy(c, sd_bus_message_get_path(m));
        return *ret ? 0 : fwd_error(error, "INVALID_POLICY", "%s", sd_bus_message_get_path(m));
}

static int policy_path(Context *c, const char *name, char **ret)
{
        return fwd_object_path(c, FWD_KIND_POLICY, name, ret);
}

static int reply_settings(sd_bus_message *m, const Policy *p)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = sd_bus_message_new_method_return(m, &reply);

        if (r >= 0)
                r = fwd_append_policy_settings(reply, p);
        return r < 0 ? r : sd_bus_message_send(reply);
}

/* ---- answers ---- */

/* setPolicySettings(policy, settings): PolicyUpdated(policy, settings), the settings as given, as firewalld's */
static int reply_runtime(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *signal = NULL;
        const char *name;
        int r = sd_bus_reply_method_return(m, NULL);

        if (sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "s", &name) >= 0 &&
            sd_bus_message_new_signal(c->bus, &signal, FWD_PATH, FWD_POLICY_INTERFACE, "PolicyUpdated") >= 0 &&
            sd_bus_message_append(signal, "s", name) >= 0 && sd_bus_message_copy(signal, m, true) >= 0)
                (void) sd_bus_send(c->bus, signal, NULL);
        return r;
}

/* addPolicy: the new object's path and config's PolicyAdded(name); the object's Updated(name), Removed(name),
 * Renamed(new name) */
static int reply_config(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        return fwd_reply_config_change(c, m, object, FWD_CONFIG_POLICY_INTERFACE, "addPolicy", "PolicyAdded",
                                       FWD_KIND_POLICY);
}

static const ZoneAnswer answer_runtime = { reply_runtime, fwd_map_error },
                        answer_config = { reply_config, fwd_map_error };

/* ---- org.fedoraproject.FirewallD1.policy: the runtime policies ---- */

static int method_get_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Policy *p;
        const char *name;
        int r;

        if (streq(sd_bus_message_get_interface(m), FWD_CONFIG_POLICY_INTERFACE))
                r = called_policy(c, m, &p, error);
        else if ((r = sd_bus_message_read(m, "s", &name)) >= 0)
                r = (p = named_policy(c, name, false, error)) ? 0 : -EINVAL;
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return reply_settings(m, p);
}

/* setPolicySettings(policy, settings): at runtime, what firewall-cmd's --policy options change (its lists, its
 * zones, masquerade); its version, short, description, target and priority are the permanent configuration's
 * (firewalld keeps them as they are) */
static int method_set_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *p = NULL;
        Context *c = userdata;
        const char *name;
        const Policy *now;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        now = named_policy(c, name, false, error);
        if (!now)
                return -EINVAL;
        r = fwd_policy_from_settings(c, m, now, &p, error);
        if (r < 0)
                return r;
        p->priority = now->priority;
        p->zone.target = now->zone.target;
        if (free_and_strdup(&p->zone.version, now->zone.version) < 0 ||
            free_and_strdup(&p->zone.short_name, now->zone.short_name) < 0 ||
            free_and_strdup(&p->zone.description, now->zone.description) < 0)
                return -ENOMEM;
        if (c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m, POLICY_UPDATE, name, TAKE_PTR(p), NULL, false, &answer_runtime, error);
}

static const char *policy_name_at(const void *config, size_t i)
{
        return ((const ZoneConfig *) config)->policies[i]->zone.name;
}

/* getPolicies() at runtime; config's getPolicyNames(), listPolicies() */
static int method_names(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const ZoneConfig *config = config_of(c, streq(sd_bus_message_get_interface(m), FWD_CONFIG_INTERFACE));
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (streq(sd_bus_message_get_member(m), "listPolicies"))
                return fwd_reply_objects(c, m, FWD_KIND_POLICY, true);
        return fwd_reply_names(m, config, config->n_policies, policy_name_at);
}

/* getActivePolicies() -> a{sa{sas}}: each policy in force, with its ingress and egress zones */
static int method_active(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ZoneConfig *config = &c->zones->runtime;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sa{sas}}");
        for (size_t i = 0; r >= 0 && i < config->n_policies; i++) {
                const Policy *p = config->policies[i];
                if (!policy_is_active(config, p))
                        continue;
                r = sd_bus_message_open_container(reply, 'e', "sa{sas}");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", p->zone.name);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'a', "{sas}");
                for (int side = 0; r >= 0 && side < 2; side++) {
                        r = sd_bus_message_open_container(reply, 'e', "sas");
                        if (r >= 0)
                                r = sd_bus_message_append(reply, "s", side ? "egress_zones" : "ingress_zones");
                        if (r >= 0)
                                r = bus_append_strlist(reply, side ? &p->egress : &p->ingress);
                        if (r >= 0)
                                r = sd_bus_message_close_container(reply);
                }
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_message_send(reply);
}

const FwdMember fwd_policy_members[] = {
        { "getPolicySettings", method_get_settings },
        { "setPolicySettings", method_set_settings },
        { "getPolicies", method_names },
        { "getActivePolicies", method_active },
        {},
};

/* ---- the policy members of org.fedoraproject.FirewallD1.config ---- */

int fwd_method_policy_names(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_names(m, userdata, error);
}

/* getPolicyByName(name) -> o */
int fwd_method_policy_by_name(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *path = NULL;
        Context *c = userdata;
        const char *name;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = policy_path(c, name, &path);
        if (r == -ENOENT)
                return fwd_error(error, "INVALID_POLICY", "%s", name);
        return r < 0 ? r : sd_bus_reply_method_return(m, "o", path);
}

/* addPolicy(name, settings) -> o: a new policy of the settings given */
int fwd_method_add_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *base = NULL, *p = NULL;
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *name;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        if (policy_config_find(&c->zones->permanent, name))
                return fwd_error(error, "NAME_CONFLICT", "new_policy_object(): '%s'", name);
        if (policy_check_name(name, &why) < 0)
                return fwd_error(error, "INVALID_NAME", "%s", why);
        base = policy_new(name);
        if (!base)
                return -ENOMEM;
        r = fwd_policy_from_settings(c, m, base, &p, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m, POLICY_ADD, name, TAKE_PTR(p), NULL, true, &answer_config, error);
}

/* ---- org.fedoraproject.FirewallD1.config.policy ---- */

/* update(settings): the settings given over the policy's (the keys not given stay) */
static int method_update(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(policy_freep) Policy *p = NULL;
        Context *c = userdata;
        const Policy *now;
        int r = called_policy(c, m, &now, error);

        if (r >= 0)
                r = fwd_policy_from_settings(c, m, now, &p, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m, POLICY_UPDATE, now->zone.name, TAKE_PTR(p), NULL, true, &answer_config, error);
}

/* remove(), rename(name), loadDefaults() */
static int method_lifecycle(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *name = NULL;
        const Policy *p;
        int r = called_policy(c, m, &p, error);

        if (r >= 0 && streq(member, "rename"))
                r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        if (name && policy_check_name(name, &why) < 0)
                return fwd_error(error, "INVALID_NAME", "%s", why);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return policy_request(c, m,
                              streq(member, "rename")   ? POLICY_RENAME
                              : streq(member, "remove") ? POLICY_REMOVE
                                                        : POLICY_LOAD_DEFAULTS,
                              p->zone.name, NULL, name, true, &answer_config, error);
}

/* name, filename, path; builtin: nftbus ships it; default: as shipped, or the admin's own */
static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *text = NULL;
        Context *c = userdata;
        const Policy *p = path_policy(c, path);

        if (!p)
                return fwd_error(error, "INVALID_POLICY", "%s", path);
        if (streq(property, "name"))
                return sd_bus_message_append(reply, "s", p->zone.name);
        const Policy *shipped = zones_default_policy(c->zones, p->zone.name);
        if (streq(property, "builtin"))
                return sd_bus_message_append(reply, "b", shipped && policy_equal(shipped, p));
        if (streq(property, "default"))
                return sd_bus_message_append(reply, "b", !shipped || policy_equal(shipped, p));
        if (streq(property, "filename"))
                return asprintf(&text, "%s%s", p->zone.name, zones_file_suffix(c->zones, ".policy")) < 0
                               ? -ENOMEM
                               : sd_bus_message_append(reply, "s", text);
        return asprintf(&text, "%s/policies", zones_files_directory(c->zones)) < 0
                       ? -ENOMEM
                       : sd_bus_message_append(reply, "s", text);
}

const FwdMember fwd_config_policy_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "getSettings", method_get_settings },
        { "update", method_update },
        { "loadDefaults", method_lifecycle },
        { "remove", method_lifecycle },
        { "rename", method_lifecycle },
        {},
};

int fwd_policy_register(Context *c)
{
        return fwd_register_numbered(c, FWD_KIND_POLICY, FWD_CONFIG_POLICY_INTERFACE, fwd_config_policy_vtable);
}
