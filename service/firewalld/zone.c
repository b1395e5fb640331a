/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's runtime zones, org.fedoraproject.FirewallD1.zone on /org/fedoraproject/FirewallD1: the zones in
 * force, which interfaces and sources are bound to which, and each zone's services, ports, protocols, ICMP
 * blocks, port forwards and masquerading. A change is a runtime change of nftbus's zones (zones/zone.c), answered
 * with the zone's name and told by firewalld's signal (ServiceAdded, InterfaceRemoved, ...), whose arguments are
 * the call's. The checks and their messages are firewalld's, so that firewall-cmd prints what it prints against
 * firewalld. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "firewalld/firewalld.h"
#include "zones/engine.h"
#include "common/util.h"
#include "log.h"
#include "state/zones.h"

static int method_get_zones(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_reply_names(m, &c->zones->runtime, c->zones->runtime.n_zones, fwd_zone_name_at);
}

static int append_named_list(sd_bus_message *reply, const char *key, const StrList *l)
{
        int r;

        if (l->n == 0)
                return 0;
        r = sd_bus_message_open_container(reply, 'e', "sas");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", key);
        if (r >= 0)
                r = bus_append_strlist(reply, l);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* {zone: {"interfaces": [...], "sources": [...]}} of the zones bound to anything, each key when it has some */
static int method_get_active_zones(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sa{sas}}");
        for (size_t i = 0; r >= 0 && i < c->zones->runtime.n_zones; i++) {
                const Zone *z = c->zones->runtime.zones[i];
                if (z->interfaces.n == 0 && z->sources.n == 0)
                        continue;
                r = sd_bus_message_open_container(reply, 'e', "sa{sas}");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", z->name);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'a', "{sas}");
                if (r >= 0)
                        r = append_named_list(reply, "interfaces", &z->interfaces);
                if (r >= 0)
                        r = append_named_list(reply, "sources", &z->sources);
                r = call_close_containers(reply, 2, r);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

/* changeZoneOfInterface(zone, interface), changeZoneOfSource(zone, source): bound elsewhere or to none, now here;
 * changeZone(zone, interface), their old name, which NetworkManager before 1.30 calls */
static int method_change_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        ZoneListKind k =
                streq(sd_bus_message_get_member(m), "changeZoneOfSource") ? ZONE_LIST_SOURCE : ZONE_LIST_INTERFACE;
        const char *zone, *value;
        _cleanup_free_ char *canonical = NULL;
        const Zone *z;
        int r;

        r = sd_bus_message_read(m, "ss", &zone, &value);
        if (r < 0)
                return r;
        z = fwd_named_zone(c, zone, error);
        if (!z)
                return -ENOENT;
        r = fwd_canonical(c, false, k, &value, &canonical, error);
        if (r < 0)
                return r;
        if (c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* bound here already: done, as firewalld answers it */
        if (strlist_contains(zone_list_const(z, k), canonical))
                return sd_bus_reply_method_return(m, "s", z->name);
        return zone_list_request(c, m, k, ZONE_LIST_CHANGE, z->name, canonical, false, &fwd_changed, error);
}

const FwdMember fwd_zone_members[] = {
        { "getZoneSettings2", fwd_method_zone_settings },
        { "setZoneSettings2", fwd_method_zone_update },
        { "getZones", method_get_zones },
        { "getActiveZones", method_get_active_zones },
        { "getZoneOfInterface", fwd_method_zone_of },
        { "getZoneOfSource", fwd_method_zone_of },
        { "changeZoneOfInterface", method_change_zone },
        { "changeZoneOfSource", method_change_zone },
        { "changeZone", method_change_zone },
        FWD_LIST_MEMBERS(fwd_method_list, "Interface"),
        FWD_LIST_MEMBERS(fwd_method_list, "Source"),
        FWD_LIST_MEMBERS(fwd_method_list, "Service"),
        FWD_LIST_MEMBERS(fwd_method_list, "Port"),
        FWD_LIST_MEMBERS(fwd_method_list, "Protocol"),
        FWD_LIST_MEMBERS(fwd_method_list, "IcmpBlock"),
        FWD_LIST_MEMBERS(fwd_method_list, "ForwardPort"),
        FWD_LIST_MEMBERS(fwd_method_list, "RichRule"),
        FWD_LIST_MEMBERS(fwd_method_list, "SourcePort"),
        { "addMasquerade", fwd_method_flag },
        { "removeMasquerade", fwd_method_flag },
        { "queryMasquerade", fwd_method_flag },
        { "addIcmpBlockInversion", fwd_method_flag },
        { "removeIcmpBlockInversion", fwd_method_flag },
        { "queryIcmpBlockInversion", fwd_method_flag },
        {},
};
