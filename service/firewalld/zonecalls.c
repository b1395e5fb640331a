/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The zone methods firewalld's runtime zones (.zone, the zone named by the call's first argument) and its
 * permanent ones (.config.zone, the zone of the object called) share: a zone's settings, their update, its lists
 * and its masquerading, each one handler that tells the two apart by the call's interface. What differs is
 * firewalld's: at runtime a change is answered with the zone's name and told by a signal named after the method
 * (ServiceAdded, ...), refused in panic mode, and an add may carry a timeout; a permanent change is answered
 * empty and told by the zone object's Updated. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "firewalld/firewalld.h"
#include "log.h"
#include "state/zones.h"
#include "zones/engine.h"
#include "zones/timeouts.h"

/* ---- the zone of a call ---- */

const Zone *fwd_named_zone(Context *c, const char *name, sd_bus_error *error)
{
        const Zone *z = zone_config_find(&c->zones->runtime, *name ? name : c->zones->runtime.default_zone);

        if (!z)
                (void) fwd_error(error, "INVALID_ZONE", "%s", name);
        return z;
}

/* Whether a call is to the permanent configuration (.config.zone) rather than to the runtime (.zone). */
static bool call_permanent(sd_bus_message *m)
{
        return streq_ptr(sd_bus_message_get_interface(m), FWD_CONFIG_ZONE_INTERFACE);
}

int fwd_call_zone(Context *c, sd_bus_message *m, const char *name, const Zone **ret, sd_bus_error *error)
{
        int r;

        if (call_permanent(m)) {
                *ret = fwd_path_zone(c, sd_bus_message_get_path(m));
                return *ret ? 0 : fwd_error(error, "INVALID_ZONE", "%s", sd_bus_message_get_path(m));
        }
        if (!name) {
                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
        }
        *ret = fwd_named_zone(c, name, error);
        return *ret ? 0 : -ENOENT;
}

/* ---- how a change is answered ---- */

/* A timed addition's end, as firewalld's own: remove<Noun>(zone, value...), a call nftbusd makes itself, answered
 * to nobody and told by firewalld's signal (ServiceRemoved(zone, service)). */
static void remove_timed(Context *c, ZoneListKind k, const char *zone, const char *value, char *const *args)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        char member[32];
        int r;

        bool masquerade = k == ZONE_TIMEOUT_MASQUERADE;

        snprintf(member, sizeof(member), "remove%s", masquerade ? "Masquerade" : zone_list_types[k].noun);
        r = sd_bus_message_new_method_call(c->bus, &m, NULL, FWD_PATH, FWD_ZONE_INTERFACE, member);
        if (r >= 0)
                r = sd_bus_message_append(m, "s", zone);
        for (unsigned i = 0; r >= 0 && !masquerade && i < zone_list_types[k].fwd_args; i++)
                r = sd_bus_message_append(m, "s", strempty(args[i]));
        if (r >= 0)
                r = sd_bus_message_set_expect_reply(m, false);
        if (r >= 0)
                r = sd_bus_message_seal(m, 1, 0);
        if (r >= 0)
                r = masquerade
                            ? zone_setting_request(c, m, "Masquerade", zone, "no", false, &fwd_changed, &error)
                            : zone_list_request(c, m, k, ZONE_LIST_REMOVE, zone, value, false, &fwd_changed, &error);
        if (r < 0)
                log_warning("The %s of zone %s could not be taken back: %s", value, zone,
                            error.message ? error.message : strerror(-r));
}

/* An addition with a timeout: its timer, once it is in force */
static void schedule_removal(Context *c, const char *member, const char *zone, const char *const *args,
                             int32_t timeout)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *canonical = NULL;
        ZoneListKind k;
        ZoneListOp op;
        int r;

        if (timeout > 0 && streq(member, "addMasquerade")) {
                r = zone_timeout_add(c, ZONE_TIMEOUT_MASQUERADE, zone, "masquerade", NULL, (uint32_t) timeout,
                                     remove_timed);
                if (r < 0)
                        log_warning_errno(r, "Failed to time the masquerading of zone %s, it stays until a reload: %m",
                                          zone);
                return;
        }
        if (timeout <= 0 || zone_list_method(member, &k, &op) < 0 || op != ZONE_LIST_ADD)
                return;
        r = fwd_canonical(c, false, k, args, &canonical, &error);
        if (r >= 0)
                r = zone_timeout_add(c, k, zone, canonical, args, (uint32_t) timeout, remove_timed);
        if (r < 0)
                log_warning_errno(r, "Failed to time the %s of zone %s, it stays until a reload: %m", member, zone);
}

/* At runtime: the zone's name is the reply, and firewalld's signal for it carries the call's arguments (the zone
 * named as it is): addService(zone, service, timeout) -> ServiceAdded(zone, service, timeout). An addition with
 * a timeout is taken back when it is over. */
static int reply_changed(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *signal = NULL;
        const char *member = sd_bus_message_get_member(m), *zone = object + strlen("zone ");
        const char *args[ZONE_TIMEOUT_ARGS + 1] = {};
        int32_t timeout = 0;
        size_t n_args = 0;
        char name[64];
        int r;

        if (startswith(member, "add"))
                snprintf(name, sizeof(name), "%sAdded", member + 3);
        else if (startswith(member, "remove"))
                snprintf(name, sizeof(name), "%sRemoved", member + 6);
        else if (streq(member, "changeZone")) /* firewalld's changeZone is its changeZoneOfInterface */
                snprintf(name, sizeof(name), "ZoneOfInterfaceChanged");
        else /* changeZoneOfInterface, changeZoneOfSource */
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
                        if (r >= 0 && !first && n_args < ZONE_TIMEOUT_ARGS)
                                args[n_args++] = s;
                } else {
                        r = sd_bus_message_read_basic(m, 'i', &i);
                        if (r >= 0)
                                r = sd_bus_message_append_basic(signal, 'i', &i);
                        timeout = i;
                }
        }
        if (r >= 0)
                schedule_removal(c, member, zone, args, timeout);
        if (r >= 0)
                r = sd_bus_send(c->bus, signal, NULL);
        /* and the deprecated ZoneChanged after ZoneOfInterfaceChanged, as firewalld's sends it */
        if (r >= 0 && streq(name, "ZoneOfInterfaceChanged") && args[0])
                r = sd_bus_emit_signal(c->bus, FWD_PATH, FWD_ZONE_INTERFACE, "ZoneChanged", "ss", zone, args[0]);
        if (r < 0)
                log_warning_errno(r, "Failed to emit firewalld's %s: %m", name);
        return sd_bus_reply_method_return(m, "s", zone);
}

/* In the permanent configuration: the zone object's Updated(name), and an empty reply. */
static int reply_updated(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        int r = sd_bus_emit_signal(c->bus, sd_bus_message_get_path(m), FWD_CONFIG_ZONE_INTERFACE, "Updated", "s",
                                   object + strlen("zone "));

        if (r < 0)
                log_warning_errno(r, "Failed to emit firewalld's Updated: %m");
        return sd_bus_reply_method_return(m, NULL);
}

const ZoneAnswer fwd_changed = { reply_changed, fwd_map_error };
const ZoneAnswer fwd_updated = { reply_updated, fwd_map_error };

static const ZoneAnswer *call_answer(sd_bus_message *m)
{
        return call_permanent(m) ? &fwd_updated : &fwd_changed;
}

/* ---- the methods ---- */

/* getZoneSettings2(zone), config.zone's getSettings2() */
int fwd_method_zone_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const Zone *z;
        int r;

        r = fwd_call_zone(c, m, NULL, &z, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (fwd_settings_tuple(m)) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                r = sd_bus_message_new_method_return(m, &reply);
                if (r >= 0)
                        r = fwd_append_zone_tuple(reply, z);
                return call_send_reply(reply, r);
        }
        return fwd_reply_settings(m, z, NULL);
}

/* setZoneSettings2(zone, settings) at runtime (firewall-cmd's --add-forward, --remove-forward), config.zone's
 * update2(settings) (Cockpit binds interfaces and sources so) and update(tuple): the settings given over the zone's */
int fwd_method_zone_update(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *settings = NULL;
        Context *c = userdata;
        bool permanent = call_permanent(m);
        const Zone *z;
        int r;

        r = fwd_call_zone(c, m, NULL, &z, error);
        if (r >= 0)
                r = fwd_settings_tuple(m) ? fwd_zone_from_tuple(c, m, z, &settings, error)
                                          : fwd_zone_from_settings(c, m, z, &settings, error);
        if (r < 0)
                return r;
        if (!permanent && c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* (the handler runs again once polkit answers: the settings are read over the zone as it is then) */
        return zone_replace_request(c, m, TAKE_PTR(settings), permanent,
                                    permanent ? &fwd_updated : &(const ZoneAnswer){ NULL, fwd_map_error }, error);
}

/* Binding an interface or a source at runtime, as firewalld checks it: bound here already is ZONE_ALREADY_SET,
 * to another zone ZONE_CONFLICT; unbinding what no zone has is UNKNOWN_INTERFACE or UNKNOWN_SOURCE, what another
 * zone has ZONE_CONFLICT. 1 when the change is to be made. */
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

/* add*, remove*, query*, get* of a zone's lists (core/zonelist.h): at runtime (zone, value..., timeout on add),
 * in the permanent configuration (value...) */
int fwd_method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool permanent = call_permanent(m), change;
        const char *zone = NULL, *args[FWD_ARGS_MAX] = {};
        _cleanup_free_ char *canonical = NULL;
        int32_t timeout = 0;
        ZoneListKind k;
        ZoneListOp op;
        const Zone *z;
        int r = 0;

        if (zone_list_method(sd_bus_message_get_member(m), &k, &op) < 0)
                return -EINVAL;
        change = op == ZONE_LIST_ADD || op == ZONE_LIST_REMOVE;
        if (!permanent)
                r = sd_bus_message_read(m, "s", &zone);
        if (r >= 0 && op != ZONE_LIST_GET)
                r = fwd_read_args(m, k, args);
        if (r >= 0 && !permanent && op == ZONE_LIST_ADD && zone_list_types[k].fwd_timeout)
                r = sd_bus_message_read(m, "i", &timeout);
        if (r < 0)
                return r;
        /* removing an interface or source from zone "": from whichever zone has it (NetworkManager's call) */
        if (!permanent && op == ZONE_LIST_REMOVE && !*zone && zone_list_types[k].binding) {
                const Zone *bound = zone_config_bound(&c->zones->runtime, k, args[0]);
                if (bound)
                        zone = bound->name;
        }
        r = fwd_call_zone(c, m, zone, &z, error);
        if (r >= 0 && op != ZONE_LIST_GET)
                r = fwd_canonical(c, permanent, k, args, &canonical, error);
        if (r < 0)
                return r;
        if (timeout < 0)
                return fwd_error(error, "INVALID_VALUE", "timeout '%d' is not positive number", timeout);
        if (!permanent && change && c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        if (!permanent && change && zone_list_types[k].binding) {
                r = check_binding(c, k, op, zone, z, canonical, error);
                if (r < 0)
                        return r;
        }
        if (permanent && op == ZONE_LIST_ADD && zone_list_types[k].binding) {
                const Zone *bound = zone_config_bound(&c->zones->permanent, k, canonical);
                if (bound && bound != z) /* in firewalld's words: the value alone */
                        return fwd_error(error, "ZONE_CONFLICT", "%s", canonical);
        }
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_list_answer(c, m, &(FwdListCall){ z, k, op, args, canonical, permanent, call_answer(m) }, error);
}

/* addMasquerade, removeMasquerade, queryMasquerade: at runtime (zone, timeout on add), in the permanent
 * configuration () with getMasquerade, queryMasquerade's twin; the same of IcmpBlockInversion (at runtime
 * without a timeout): a flag of the zone */
int fwd_method_flag(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m);
        bool permanent = call_permanent(m), masquerade = endswith(member, "Masquerade"),
             query = startswith(member, "query") || startswith(member, "get"), add = startswith(member, "add");
        const char *what = masquerade ? "masquerade" : "icmp-block-inversion";
        int32_t timeout = 0;
        const Zone *z;
        bool on;
        int r;

        r = fwd_call_zone(c, m, NULL, &z, error);
        if (r >= 0 && !permanent && add && masquerade)
                r = sd_bus_message_read(m, "i", &timeout);
        if (r < 0)
                return r;
        if (timeout < 0)
                return fwd_error(error, "INVALID_VALUE", "timeout '%d' is not positive number", timeout);
        if (!permanent && !query && c->zones->panic)
                return fwd_error(error, "PANIC_MODE", "%s", "");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        on = masquerade ? z->masquerade : z->icmp_block_inversion;
        if (query)
                return sd_bus_reply_method_return(m, "b", on);
        if (add == on && permanent)
                return fwd_error(error, add ? "ALREADY_ENABLED" : "NOT_ENABLED", "%s", what);
        if (add == on)
                return fwd_error(error, add ? "ALREADY_ENABLED" : "NOT_ENABLED", "%s %s in '%s'", what,
                                 add ? "already enabled" : "not enabled", z->name);
        return zone_setting_request(c, m, masquerade ? "Masquerade" : "IcmpBlockInversion", z->name,
                                    add ? "yes" : "no", permanent, call_answer(m), error);
}
