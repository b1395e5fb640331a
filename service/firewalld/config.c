/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's permanent configuration: org.fedoraproject.FirewallD1.config on /org/fedoraproject/FirewallD1/config
 * (the zones and services by name), org.fedoraproject.FirewallD1.config.zone on each zone's object,
 * /org/fedoraproject/FirewallD1/config/zone/N (N: its number, given once, as firewalld numbers them) and
 * org.fedoraproject.FirewallD1.config.service on each service's, /org/fedoraproject/FirewallD1/config/service/N
 * (firewalld/configservice.c). A change is a permanent change of nftbus's zones (the zone's file in
 * /etc/nftbus/zones, zones/zone.c), told by the zone object's Updated signal. */

#include <errno.h>
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

/* listZones, listServices (paths); getZoneNames, getServiceNames (names) */
static int method_names(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m);
        bool paths = startswith(member, "list"), zones = strstr(member, "Zone");
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (paths)
                return fwd_reply_paths(c, m, zones ? FWD_KIND_ZONE : FWD_KIND_SERVICE);
        if (zones)
                return fwd_reply_names(m, &c->zones->permanent, c->zones->permanent.n_zones, fwd_zone_name_at);
        return fwd_reply_names(m, zones_services(c->zones, true), zones_services(c->zones, true)->n,
                               fwd_service_name_at);
}

/* getZoneByName(s), getServiceByName(s): the path FWD_CONFIG_ZONES_PATH/INDEX of the one named, or firewalld's
 * error when none is */
static int method_by_name(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool zone = streq(sd_bus_message_get_member(m), "getZoneByName");
        _cleanup_free_ char *path = NULL;
        const char *name;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = fwd_object_path(c, zone ? FWD_KIND_ZONE : FWD_KIND_SERVICE, name, &path);
        if (r == -ENOENT)
                return fwd_error(error, zone ? "INVALID_ZONE" : "INVALID_SERVICE", "%s", name);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, "o", path);
}

/* firewalld.conf's settings as nftbus behaves: the zones keep filtering when nftbusd stops (fail closed: no
 * cleanup on exit, unless firewalld's files say so: above); a change is one transaction (no individual calls); a
 * reload makes the kernel's table the configuration's (flush all); a packet meets one zone (no zone drifting). nftbus
 * has no such switches: setting one is NOT_SUPPORTED. */
static const struct {
        const char *name, *value;
} config_settings[] = {
        { "CleanupOnExit", "no" },         { "CleanupModulesOnExit", "no" }, { "Lockdown", "no" },
        { "IPv6_rpfilter", "yes" },        { "IndividualCalls", "no" },      { "AutomaticHelpers", "no" },
        { "FirewallBackend", "nftables" }, { "FlushAllOnReload", "yes" },    { "RFC3964_IPv4", "no" },
        { "AllowZoneDrifting", "no" },
};

/* the config object's properties: the permanent default zone and the settings above */
static int config_property_get(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property, sd_bus_message *reply, void *userdata,
                               sd_bus_error *error _unused_)
{
        Context *c = userdata;

        if (streq(property, "DefaultZone"))
                return sd_bus_message_append(reply, "s", c->zones->permanent.default_zone);
        if (streq(property, "MinimalMark"))
                return sd_bus_message_append(reply, "i", 100);
        if (streq(property, "LogDenied"))
                return sd_bus_message_append(reply, "s", log_denied_name(c->zones->permanent.log_denied));
        if (streq(property, "CleanupOnExit")) /* followed with firewalld's files (zones_stop()) */
                return sd_bus_message_append(reply, "s",
                                             c->zones->firewalld_files && c->zones->cleanup_on_exit ? "yes" : "no");
        for (size_t i = 0; i < ELEMENTSOF(config_settings); i++)
                if (streq(property, config_settings[i].name))
                        return sd_bus_message_append(reply, "s", config_settings[i].value);
        return -ENOENT; /* the generated vtable has no other */
}

const FwdMember fwd_config_members[] = {
        { FWD_EVERY_PROPERTY, .get = config_property_get },
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
        return r >= 0 ? fwd_policy_register(c) : r;
}
