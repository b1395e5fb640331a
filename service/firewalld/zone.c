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

/* the zone a call names ("" is the default zone), or INVALID_ZONE */
static const Zone *named_zone(Context *c, const char *name, sd_bus_error *error)
{
        const Zone *z = zone_config_find(&c->zones->runtime, *name ? name : c->zones->runtime.default_zone);

        if (!z)
                (void) fwd_error(error, "INVALID_ZONE", "%s", name);
        return z;
}

/* A change is done: the zone's name is the reply, and firewalld's signal for it carries the call's arguments
 * (the zone named as it is): addService(zone, service, timeout) -> ServiceAdded(zone, service, timeout). */
static int reply_changed(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *signal = NULL;
        const char *member = sd_bus_message_get_member(m), *zone = object + strlen("zone ");
        char name[64];
        int r;

        if (startswith(member, "add"))
                snprintf(name, sizeof(name), "%sAdded", member + 3);
        else if (startswith(member, "remove"))
                snprintf(name, sizeof(name), "%sRemoved", member + 6);
        else /* changeZoneOfInterface, changeZoneOfSource; changeZone: ZoneChanged */
                snprintf(name, sizeof(name), "%sChanged", member + 6);
        r = sd_bus_message_new_signal(c->bus, &signal, FWD_PATH, FWD_ZONE_INTERFACE, name);
        if (r >= 0)
                r = sd_bus_message_rewind(m, true);
        for (bool first = true; r >= 0; first = false) {
                char type;
                const char *s;
                int32_t i;
                r = sd_bus_message_peek_type(m, &type, NULL);
                if (r <= 0)
                        break;
                if (type == 's') {
                        r = sd_bus_message_read_basic(m, 's', &s);
                        if (r >= 0)
                                r = sd_bus_message_append_basic(signal, 's', first ? zone : s);
                } else {
                        r = sd_bus_message_read_basic(m, 'i', &i);
                        if (r >= 0)
                                r = sd_bus_message_append_basic(signal, 'i', &i);
                }
        }
        if (r >= 0)
                r = sd_bus_send(c->bus, signal, NULL);
        if (r < 0)
                log_warning_errno(r, "Failed to emit firewalld's %s: %m", name);
        return sd_bus_reply_method_return(m, "s", zone);
}

static int method_get_zones(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_reply_names(m, &c->zones->runtime, c->zones->runtime.n_zones, fwd_zone_name_at, NULL);
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
                r = fwd_append_strlist(reply, l);
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
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

/* the zone a call names first ("s"), or INVALID_ZONE */
static int read_zone(Context *c, sd_bus_message *m, const Zone **ret, sd_bus_error *error)
{
        const char *zone;
        int r = sd_bus_message_read(m, "s", &zone);

        if (r < 0)
                return r;
        *ret = named_zone(c, zone, error);
        return *ret ? 0 : -ENOENT;
}

static int method_zone_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const Zone *z;
        int r;

        r = read_zone(c, m, &z, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = fwd_append_zone_settings(reply, z);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

/* The runtime changes' answer: the zone's name, and firewalld's signal; errors as firewalld says them. */
static const ZoneAnswer changed = { reply_changed, fwd_map_error };

/* Binding an interface or a source, as firewalld checks it: bound here already is ZONE_ALREADY_SET, to another
 * zone ZONE_CONFLICT; unbinding what no zone has is UNKNOWN_INTERFACE or UNKNOWN_SOURCE, what another zone has
 * ZONE_CONFLICT. 1 when the change is to be made. */
static int check_binding(Context *c, ZoneListKind k, ZoneListOp op, const char *zone, const Zone *z, const char *value,
                         sd_bus_error *error)
{
        bool interface = k == ZONE_LIST_INTERFACE;
        const Zone *bound = zone_config_bound(&c->zones->runtime, k, value);

        if (op == ZONE_LIST_ADD && bound == z)
                return fwd_error(error, "ZONE_ALREADY_SET", "'%s' already bound to '%s'", value, z->name);
        if (op == ZONE_LIST_ADD && bound)
                return interface ? fwd_error(error, "ZONE_CONFLICT", "'%s' already bound to '%s'", value, bound->name)
                                 : fwd_error(error, "ZONE_CONFLICT", "'%s' already bound to a zone", value);
        if (op == ZONE_LIST_REMOVE && !bound)
                return fwd_error(error, interface ? "UNKNOWN_INTERFACE" : "UNKNOWN_SOURCE", "'%s' is not in any zone",
                                 value);
        if (op == ZONE_LIST_REMOVE && bound != z)
                return fwd_error(error, "ZONE_CONFLICT", "remove_%s(%s, %s): %s='%s'",
                                 interface ? "interface" : "source", zone, value, interface ? "zoi" : "zos",
                                 bound->name);
        return 1;
}

/* add*, remove*, query*, get* of a zone's lists (core/zonelist.h): (zone, value..., timeout on add) */
static int method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *zone, *args[FWD_ARGS_MAX] = {};
        _cleanup_free_ char *canonical = NULL;
        bool change;
        int32_t timeout = 0;
        ZoneListKind k;
        ZoneListOp op;
        const Zone *z;
        int r;

        if (zone_list_method(sd_bus_message_get_member(m), &k, &op) < 0)
                return -EINVAL;
        change = op == ZONE_LIST_ADD || op == ZONE_LIST_REMOVE;
        r = sd_bus_message_read(m, "s", &zone);
        if (r >= 0 && op != ZONE_LIST_GET)
                r = fwd_read_args(m, k, args);
        if (r >= 0 && op == ZONE_LIST_ADD && zone_list_types[k].fwd_timeout)
                r = sd_bus_message_read(m, "i", &timeout);
        if (r < 0)
                return r;
        /* removing an interface or source from zone "": from whichever zone has it (NetworkManager's call) */
        if (op == ZONE_LIST_REMOVE && !*zone && zone_list_types[k].binding) {
                const Zone *bound = zone_config_bound(&c->zones->runtime, k, args[0]);
                if (bound)
                        zone = bound->name;
        }
        z = named_zone(c, zone, error);
        if (!z)
                return -ENOENT;
        if (op != ZONE_LIST_GET) {
                r = fwd_canonical(c, k, args, &canonical, error);
                if (r < 0)
                        return r;
        }
        if (timeout != 0)
                return fwd_error(error, "NOT_SUPPORTED", "timeouts: nftbus keeps runtime changes until a reload");
        if (change && c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        if (change && zone_list_types[k].binding) {
                r = check_binding(c, k, op, zone, z, canonical, error);
                if (r < 0)
                        return r;
        }
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_list_answer(c, m, &(FwdListCall){ z, k, op, args, canonical, false, &changed }, error);
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
        z = named_zone(c, zone, error);
        if (!z)
                return -ENOENT;
        r = fwd_canonical(c, k, &value, &canonical, error);
        if (r < 0)
                return r;
        if (c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* bound here already: done, as firewalld answers it */
        if (strlist_contains(zone_list_const(z, k), canonical))
                return sd_bus_reply_method_return(m, "s", z->name);
        return zone_list_request(c, m, k, ZONE_LIST_CHANGE, z->name, canonical, false, &changed, error);
}

/* addMasquerade(zone, timeout), removeMasquerade(zone), queryMasquerade(zone) */
static int method_masquerade(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *zone;
        bool query = streq(member, "queryMasquerade"), add = streq(member, "addMasquerade");
        int32_t timeout = 0;
        const Zone *z;
        int r;

        r = sd_bus_message_read(m, "s", &zone);
        if (r >= 0 && add)
                r = sd_bus_message_read(m, "i", &timeout);
        if (r < 0)
                return r;
        z = named_zone(c, zone, error);
        if (!z)
                return -ENOENT;
        if (timeout != 0)
                return fwd_error(error, "NOT_SUPPORTED", "timeouts: nftbus keeps runtime changes until a reload");
        if (!query && c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (query)
                return sd_bus_reply_method_return(m, "b", z->masquerade);
        if (add == z->masquerade)
                return fwd_error(error, add ? "ALREADY_ENABLED" : "NOT_ENABLED", "masquerade %s in '%s'",
                                 add ? "already enabled" : "not enabled", z->name);
        return zone_setting_request(c, m, "Masquerade", z->name, add ? "yes" : "no", false, &changed, error);
}

/* setZoneSettings2(zone, settings): the settings given over the runtime zone's (firewall-cmd's --add-forward,
 * --remove-forward) */
static int method_set_zone_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *updated = NULL;
        Context *c = userdata;
        const Zone *z;
        int r;

        r = read_zone(c, m, &z, error);
        if (r >= 0)
                r = fwd_zone_from_settings(c, m, z, &updated, error);
        if (r < 0)
                return r;
        if (c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_replace_request(c, m, TAKE_PTR(updated), false, &(const ZoneAnswer){ NULL, fwd_map_error }, error);
}

const FwdMember fwd_zone_members[] = {
        { "getZoneSettings2", method_zone_settings },
        { "setZoneSettings2", method_set_zone_settings },
        { "getZones", method_get_zones },
        { "getActiveZones", method_get_active_zones },
        { "getZoneOfInterface", fwd_method_zone_of },
        { "getZoneOfSource", fwd_method_zone_of },
        { "changeZoneOfInterface", method_change_zone },
        { "changeZoneOfSource", method_change_zone },
        { "changeZone", method_change_zone },
        FWD_LIST_MEMBERS(method_list, "Interface"),
        FWD_LIST_MEMBERS(method_list, "Source"),
        FWD_LIST_MEMBERS(method_list, "Service"),
        FWD_LIST_MEMBERS(method_list, "Port"),
        FWD_LIST_MEMBERS(method_list, "Protocol"),
        FWD_LIST_MEMBERS(method_list, "IcmpBlock"),
        FWD_LIST_MEMBERS(method_list, "ForwardPort"),
        FWD_LIST_MEMBERS(method_list, "RichRule"),
        { "addMasquerade", method_masquerade },
        { "removeMasquerade", method_masquerade },
        { "queryMasquerade", method_masquerade },
        {},
};
