/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's permanent configuration: org.fedoraproject.FirewallD1.config on /org/fedoraproject/FirewallD1/config
 * (the zones and services by name), org.fedoraproject.FirewallD1.config.zone on each zone's object,
 * /org/fedoraproject/FirewallD1/config/zone/N (N: its number, given once, as firewalld numbers them) and
 * org.fedoraproject.FirewallD1.config.service on each service's, /org/fedoraproject/FirewallD1/config/service/N
 * (firewalld/configservice.c), config.icmptype and config.helper on firewalld's ICMP types and helpers
 * (configicmptype.c, confighelper.c), config.policies (the lockdown whitelist nftbus has not: lockdown.c). A change is
 * a permanent change of nftbus's zones (the zone's file in /etc/nftbus/zones, zones/zone.c), told by the zone object's
 * Updated signal. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "firewalld/firewalld.h"
#include "zones/engine.h"
#include "common/util.h"
#include "common/validate.h"
#include "log.h"
#include "state/zones.h"

/* ---- org.fedoraproject.FirewallD1.config ---- */

/* the kinds config's list and by-name methods name: listZones, getZoneNames, getZoneByName ... */
static const struct {
        const char *noun, *error;
        FwdKind kind;
} named_kinds[] = {
        { "Zone", "INVALID_ZONE", FWD_KIND_ZONE },
        { "Service", "INVALID_SERVICE", FWD_KIND_SERVICE },
        { "IcmpType", "INVALID_ICMPTYPE", FWD_KIND_ICMPTYPE },
        { "Helper", "INVALID_HELPER", FWD_KIND_HELPER },
};

/* the kind of a member of config's table (below): each names one */
static int named_kind(sd_bus_message *m)
{
        const char *member = sd_bus_message_get_member(m);
        size_t i = 0;

        while (i < ELEMENTSOF(named_kinds) - 1 && !strstr(member, named_kinds[i].noun))
                i++;
        return (int) i;
}

/* listZones, listServices, listIcmpTypes, listHelpers (paths); getZoneNames ... (names) */
static int method_names(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        FwdKind k = named_kinds[named_kind(m)].kind;
        int r = fwd_check(userdata, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_reply_objects(userdata, m, k, startswith(sd_bus_message_get_member(m), "list"));
}

/* getZoneByName(s), getServiceByName(s), getIcmpTypeByName(s), getHelperByName(s): the path PREFIX/INDEX of the one
 * named, or firewalld's error when none is */
static int method_by_name(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int i = named_kind(m);
        _cleanup_free_ char *path = NULL;
        const char *name;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = fwd_object_path(c, named_kinds[i].kind, name, &path);
        if (r == -ENOENT)
                return fwd_error(error, named_kinds[i].error, "%s", name);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, "o", path);
}

/* firewalld.conf's settings as nftbus behaves: the zones keep filtering when nftbusd stops (fail closed: no
 * cleanup on exit, unless firewalld's files say so: above); a change is one transaction (no individual calls); a
 * reload makes the kernel's table the configuration's (flush all); a packet meets one zone (no zone drifting). nftbus
 * has no such switches: setting one to another value is NOT_SUPPORTED. */
static const struct {
        const char *name, *value;
} config_settings[] = {
        { "CleanupOnExit", "no" },         { "CleanupModulesOnExit", "no" }, { "Lockdown", "no" },
        { "IPv6_rpfilter", "yes" },        { "IndividualCalls", "no" },      { "AutomaticHelpers", "no" },
        { "FirewallBackend", "nftables" }, { "FlushAllOnReload", "yes" },    { "RFC3964_IPv4", "no" },
        { "AllowZoneDrifting", "no" },
};

/* a string setting's value: the permanent log denied, cleanup on exit as firewalld's files say it, the others
 * above; NULL for another property */
static const char *setting_value(const Context *c, const char *property)
{
        if (streq(property, "LogDenied"))
                return log_denied_name(c->zones->permanent.log_denied);
        if (streq(property, "CleanupOnExit")) /* followed with firewalld's files (zones_stop()) */
                return c->zones->firewalld_files && c->zones->cleanup_on_exit ? "yes" : "no";
        for (size_t i = 0; i < ELEMENTSOF(config_settings); i++)
                if (streq(property, config_settings[i].name))
                        return config_settings[i].value;
        return NULL;
}

/* the config object's properties: the permanent default zone, the minimal mark and the settings above */
static int config_property_get(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property, sd_bus_message *reply, void *userdata,
                               sd_bus_error *error _unused_)
{
        Context *c = userdata;
        const char *value = setting_value(c, property);

        if (streq(property, "DefaultZone"))
                return sd_bus_message_append(reply, "s", c->zones->permanent.default_zone);
        if (streq(property, "MinimalMark"))
                return sd_bus_message_append(reply, "i", 100);
        return value ? sd_bus_message_append(reply, "s", value) : -ENOENT; /* the generated vtable has no other */
}

/* a setting set to what nftbus does is nothing to do, and succeeds (firewall-cmd --lockdown-off sets Lockdown to
 * "no" first), for anyone: nothing changes; any other value is one nftbus cannot take (setLogDenied changes the
 * log denied) */
static int config_property_set(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property, sd_bus_message *value, void *userdata, sd_bus_error *error)
{
        const char *text = NULL, *now = setting_value(userdata, property);
        int32_t mark = 0;
        int r = now ? sd_bus_message_read(value, "s", &text) : sd_bus_message_read(value, "i", &mark);

        if (r < 0)
                return r;
        if (now ? streq(text, now) : mark == 100)
                return 0;
        if (!now)
                return fwd_error(error, "NOT_SUPPORTED", "%s %" PRIi32 ": nftbus's marks are its own (%s 100)",
                                 property, mark, property);
        return fwd_error(error, "NOT_SUPPORTED", "%s '%s': nftbus behaves as %s=%s%s", property, text, property, now,
                         streq(property, "LogDenied") ? " (setLogDenied changes it)" : "");
}

const FwdMember fwd_config_members[] = {
        { FWD_EVERY_PROPERTY, .get = config_property_get, .set = config_property_set },
        { "listZones", method_names },
        { "getZoneNames", method_names },
        { "getZoneByName", method_by_name },
        { "getZoneOfInterface", fwd_method_zone_of },
        { "getZoneOfSource", fwd_method_zone_of },
        { "getServiceNames", method_names },
        { "getServiceByName", method_by_name },
        { "listServices", method_names },
        { "listIPSets", fwd_method_ipset_names },
        { "getIPSetNames", fwd_method_ipset_names },
        { "getIPSetByName", fwd_method_ipset_by_name },
        { "addIPSet", fwd_method_add_ipset },
        { "addZone", fwd_method_add_zone },
        { "addZone2", fwd_method_add_zone },
        { "getPolicyNames", fwd_method_policy_names },
        { "listPolicies", fwd_method_policy_names },
        { "getPolicyByName", fwd_method_policy_by_name },
        { "addPolicy", fwd_method_add_policy },
        { "addService", fwd_method_add_service },
        { "addService2", fwd_method_add_service },
        { "addHelper", fwd_method_add_helper },
        { "listIcmpTypes", method_names },
        { "getIcmpTypeNames", method_names },
        { "getIcmpTypeByName", method_by_name },
        { "listHelpers", method_names },
        { "getHelperNames", method_names },
        { "getHelperByName", method_by_name },
        {},
};

int fwd_config_register(Context *c)
{
        int r = sd_bus_add_object_vtable(c->bus, NULL, FWD_CONFIG_PATH, FWD_CONFIG_INTERFACE ".policies",
                                         fwd_config_policies_vtable, c);

        if (r >= 0)
                r = sd_bus_add_object_vtable(c->bus, NULL, FWD_CONFIG_PATH, FWD_CONFIG_INTERFACE, fwd_config_vtable,
                                             c);
        if (r >= 0)
                r = sd_bus_add_object_vtable(c->bus, NULL, FWD_CONFIG_PATH, FWD_CONFIG_INTERFACE ".direct",
                                             fwd_config_direct_vtable, c);
        if (r >= 0)
                r = fwd_config_zone_register(c);
        if (r >= 0)
                r = fwd_register_numbered(c, FWD_KIND_SERVICE, FWD_CONFIG_SERVICE_INTERFACE,
                                          fwd_config_service_vtable);
        if (r >= 0)
                r = fwd_ipset_register(c);
        if (r >= 0)
                r = fwd_register_numbered(c, FWD_KIND_ICMPTYPE, FWD_CONFIG_INTERFACE ".icmptype",
                                          fwd_config_icmptype_vtable);
        if (r >= 0)
                r = fwd_register_numbered(c, FWD_KIND_HELPER, FWD_CONFIG_INTERFACE ".helper",
                                          fwd_config_helper_vtable);
        return r >= 0 ? fwd_policy_register(c) : r;
}
