/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Zone on /org/nftbus/Firewall1/zone/NAME, and the zone methods of the Manager: the
 * zones of state/zones.h on the bus. Each method checks its arguments, asks polkit, and queues its change in the
 * zone engine (zones/engine.h), which answers once the change is done. A change is runtime unless its option
 * permanent says otherwise. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "bus/options.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"
#include "context.h"
#include "log.h"
#include "core/mirror.h"
#include "core/presetspec.h"
#include "state/zones.h"
#include "zones/engine.h"
#include "zones/timeouts.h"

/* ---- method glue ---- */

static int zone_polkit(Context *c, sd_bus_message *m, const char *zone, const char *interface, sd_bus_error *error)
{
        return polkit_check(c->polkit, m,
                            interface ? (const char *const[]){ "zone", zone, "interface", interface, NULL }
                                      : (const char *const[]){ "zone", zone, NULL },
                            error);
}

/* What a change is the business of, as polkit is told: the zone it changes, the zone an interface or source
 * leaves (asked about too: a grant for the zone it goes to is no grant to take it out of another), and "*"
 * for what reaches past one zone: a source that covers every address, a target that accepts everything. */
static int zone_polkit_change(Context *c, sd_bus_message *m, const char *zone, const char *from, const char *key,
                              const char *value, sd_bus_error *error)
{
        const char *const to_details[] = { "zone", zone, key, value, NULL };
        const char *const from_details[] = { "zone", strempty(from), key, value, NULL };
        const PolkitCheck checks[] = { { NULL, to_details }, { NULL, from_details } };

        return polkit_check_many(c->polkit, m, checks, from ? 2 : 1, error);
}

/* A source of every address of a family (0.0.0.0/0, ::/0): the business of every zone. */
static bool source_covers_all(const char *canonical)
{
        const char *slash = strrchr(canonical, '/');
        return slash && streq(slash, "/0");
}

/* The zone of the object path, from the runtime or the permanent configuration. */
static const Zone *zone_of_path(Context *c, const char *path, bool *ret_runtime)
{
        _cleanup_free_ char *name = NULL;
        const Zone *z;

        if (!c->zones || sd_bus_path_decode(path, ZONES_PATH, &name) <= 0)
                return NULL;
        z = zone_config_find(&c->zones->runtime, name);
        if (ret_runtime)
                *ret_runtime = z != NULL;
        return z ? z : zone_config_find(&c->zones->permanent, name);
}

/* A timed addition's end: Remove<Noun>(value, {}) made by nftbusd itself, answered to nobody */
static void remove_timed(Context *c, ZoneListKind k, const char *zone, const char *value, char *const *args _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        _cleanup_free_ char *path = NULL;
        char member[32];
        int r = zone_path(zone, &path);

        snprintf(member, sizeof(member), "Remove%s", zone_list_types[k].noun);
        if (r >= 0)
                r = sd_bus_message_new_method_call(c->bus, &m, NULL, path, ZONE_INTERFACE, member);
        if (r >= 0)
                r = sd_bus_message_append(m, "sa{sv}", value, 0);
        if (r >= 0)
                r = sd_bus_message_set_expect_reply(m, false);
        if (r >= 0)
                r = sd_bus_message_seal(m, 1, 0);
        if (r >= 0)
                r = zone_list_request(c, m, k, ZONE_LIST_REMOVE, zone, value, false, NULL, &error);
        if (r < 0)
                log_warning("The %s %s of zone %s could not be taken back: %s", zone_list_types[k].file_key, value,
                            zone, error.message ? error.message : strerror(-r));
}

/* an Add* with option timeout, done: its timer */
static int reply_timed(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *canonical = NULL;
        const char *value, *zone = object + strlen("zone ");
        uint32_t timeout = 0;
        ZoneListKind k;
        ZoneListOp op;
        int permanent, r = zone_list_method(sd_bus_message_get_member(m), &k, &op);

        if (r >= 0)
                r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = sd_bus_message_read(m, "s", &value);
        if (r >= 0)
                r = options_read(
                        m, (const OptionSpec[]){ { "timeout", "u", &timeout }, { "permanent", "b", &permanent }, {} },
                        &error);
        if (r >= 0)
                r = zone_value_check(c, false, k, value, &canonical, &error);
        if (r >= 0)
                r = zone_timeout_add(c, k, zone, canonical, (const char *const[]){ value, NULL }, timeout,
                                     remove_timed);
        if (r < 0)
                log_warning_errno(r, "Failed to time the %s %s of zone %s, it stays until a reload: %m",
                                  zone_list_types[k].file_key, value, zone);
        return sd_bus_reply_method_return(m, NULL);
}

/* AddInterface(s, options), RemovePort(s, options), ChangeSource(s, options), ...: a change of one of the zone's
 * lists (core/zonelist.h); an addition at runtime may last a while (option timeout, as firewalld's) */
static int method_list_change(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        _cleanup_free_ char *canonical = NULL, *name = NULL;
        const char *value;
        uint32_t timeout = 0;
        ZoneListKind k;
        ZoneListOp op;
        int permanent = 0, r;

        if (zone_list_method(sd_bus_message_get_member(m), &k, &op) < 0 ||
            sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return -EINVAL;
        r = sd_bus_message_read(m, "s", &value);
        if (r >= 0)
                r = options_read(
                        m, (const OptionSpec[]){ { "permanent", "b", &permanent }, { "timeout", "u", &timeout }, {} },
                        error);
        if (r < 0)
                return r;
        if (timeout > 0 && (permanent || op != ZONE_LIST_ADD || !zone_list_types[k].fwd_timeout))
                return call_invalid(error, "Invalid option timeout: for a runtime addition of a service, port, "
                                           "protocol, forward port, ICMP block or rich rule");
        r = zone_value_check(c, permanent, k, value, &canonical, error);
        if (r < 0)
                return r;
        const char *from = zone_left(c, k, op, name, canonical, permanent);
        bool binding = zone_list_types[k].binding;
        r = zone_polkit_change(
                c, m, k == ZONE_LIST_SOURCE && op != ZONE_LIST_REMOVE && source_covers_all(canonical) ? "*" : name,
                from, binding ? zone_list_types[k].file_key : NULL, canonical, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_list_request(c, m, k, op, name, canonical, permanent,
                                 timeout > 0 ? &(const ZoneAnswer){ reply_timed, NULL } : NULL, error);
}

/* SetTarget(s), SetMasquerade(b), SetDescription(s), SetForward(b), SetIcmpBlockInversion(b) */
static int method_set(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *value = NULL;
        _cleanup_free_ char *name = NULL;
        int permanent, masquerade = 0, r;

        if (sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return -EINVAL;
        r = IN_SET_STR(member, "SetMasquerade", "SetForward", "SetIcmpBlockInversion")
                    ? sd_bus_message_read(m, "b", &masquerade)
                    : sd_bus_message_read(m, "s", &value);
        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        if (streq(member, "SetTarget") && zone_target_of_name(value, false) < 0)
                return call_invalid(error, "Invalid target: default, accept, reject or drop");
        if (streq(member, "SetDescription") &&
            (strlen(value) > 1024 || strpbrk(value, "\n\r") || validate_comment(value, NULL) < 0) && strlen(value) > 0)
                return call_invalid(error, "Invalid description: one line of at most 1024 bytes, without control "
                                           "characters");
        /* a zone that accepts everything is no longer a zone's business alone */
        r = zone_polkit_change(c, m, streq(member, "SetTarget") && streq(value, "accept") ? "*" : name, NULL,
                               streq(member, "SetTarget") ? "target" : NULL, value, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_setting_request(c, m, member + strlen("Set"), name,
                                    value        ? value
                                    : masquerade ? "yes"
                                                 : "no",
                                    permanent, NULL, error);
}

/* a list as nftbus's Zone shows it: sorted (firewalld's API shows the order added, firewalld/main.c) */
static int append_strlist(sd_bus_message *reply, const StrList *l)
{
        int r = sd_bus_message_open_container(reply, 'a', "s");

        for (size_t i = 0; r >= 0 && i < l->n; i++)
                r = sd_bus_message_append_basic(reply, 's', strlist_sorted(l, i));
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* ---- Zone's properties, of the runtime configuration (of the permanent one for a zone only it has) ---- */

/* One of a zone's properties, by its name; -EINVAL for a name that is not one. */
static int append_zone_property(sd_bus_message *reply, const Zone *z, const char *property)
{
        const StrList *l;
        int k;

        if (streq(property, "Name"))
                return sd_bus_message_append(reply, "s", z->name);
        if (streq(property, "Description"))
                return sd_bus_message_append(reply, "s", strempty(z->description));
        if (streq(property, "Target"))
                return sd_bus_message_append(reply, "s", zone_target_name(z->target, false));
        if (streq(property, "Masquerade"))
                return sd_bus_message_append(reply, "b", z->masquerade);
        if (streq(property, "Forward"))
                return sd_bus_message_append(reply, "b", z->forward);
        if (streq(property, "IcmpBlockInversion"))
                return sd_bus_message_append(reply, "b", z->icmp_block_inversion);
        k = zone_list_of_property(property); /* "Interfaces", "ForwardPorts", ... */
        if (k < 0)
                return -EINVAL;
        l = zone_list_const(z, (ZoneListKind) k);
        return append_strlist(reply, l);
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        const Zone *z = zone_of_path(userdata, path, NULL);

        if (!z)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "The zone is gone");
        return append_zone_property(reply, z, property);
}

/* GetPermanent(): the zone's properties as its file has them, by the same names */
static int method_get_permanent(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        /* the settings, then the lists (core/zonelist.h), each by its property's name */
        static const struct {
                const char *name, *signature;
        } settings[] = {
                { "Name", "s" },       { "Description", "s" }, { "Target", "s" },
                { "Masquerade", "b" }, { "Forward", "b" },     { "IcmpBlockInversion", "b" },
        };
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *name = NULL;
        Context *c = userdata;
        const Zone *z;
        int r;

        if (sd_bus_path_decode(sd_bus_message_get_path(m), ZONES_PATH, &name) <= 0)
                return -EINVAL;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        z = zone_config_find(&c->zones->permanent, name);
        if (!z)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND,
                                         "Zone %s has no permanent configuration (it "
                                         "runs only until a reload)",
                                         name);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "{sv}");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(settings) + _ZONE_LIST_MAX; i++) {
                bool list = i >= ELEMENTSOF(settings);
                ZoneListKind k = list ? (ZoneListKind) (i - ELEMENTSOF(settings)) : 0;
                char property[32];
                if (list) /* "Interfaces", "ForwardPorts", ... */
                        snprintf(property, sizeof(property), "%ss", zone_list_types[k].noun);
                else
                        snprintf(property, sizeof(property), "%s", settings[i].name);
                r = sd_bus_message_open_container(reply, 'e', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", property);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'v', list ? "as" : settings[i].signature);
                if (r >= 0)
                        r = list ? append_strlist(reply, zone_list_const(z, k))
                                 : append_zone_property(reply, z, property);
                r = call_close_containers(reply, 2, r);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

#define ZONE_LIST_METHOD(name)                                                                                        \
        SD_BUS_METHOD_WITH_ARGS(name, SD_BUS_ARGS("s", value, "a{sv}", options), SD_BUS_NO_RESULT,                    \
                                method_list_change, SD_BUS_VTABLE_UNPRIVILEGED)

static const sd_bus_vtable zone_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Name", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Description", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Target", "s", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Masquerade", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Forward", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("IcmpBlockInversion", "b", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Interfaces", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Sources", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Services", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Ports", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Protocols", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ForwardPorts", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("IcmpBlocks", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("RichRules", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        SD_BUS_PROPERTY("SourcePorts", "as", property_get, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("GetPermanent", SD_BUS_NO_ARGS, SD_BUS_RESULT("a{sv}", settings), method_get_permanent,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        ZONE_LIST_METHOD("AddInterface"),
        ZONE_LIST_METHOD("RemoveInterface"),
        ZONE_LIST_METHOD("ChangeInterface"),
        ZONE_LIST_METHOD("AddSource"),
        ZONE_LIST_METHOD("RemoveSource"),
        ZONE_LIST_METHOD("ChangeSource"),
        ZONE_LIST_METHOD("AddService"),
        ZONE_LIST_METHOD("RemoveService"),
        ZONE_LIST_METHOD("AddPort"),
        ZONE_LIST_METHOD("RemovePort"),
        ZONE_LIST_METHOD("AddProtocol"),
        ZONE_LIST_METHOD("RemoveProtocol"),
        ZONE_LIST_METHOD("AddForwardPort"),
        ZONE_LIST_METHOD("RemoveForwardPort"),
        ZONE_LIST_METHOD("AddIcmpBlock"),
        ZONE_LIST_METHOD("RemoveIcmpBlock"),
        ZONE_LIST_METHOD("AddRichRule"),
        ZONE_LIST_METHOD("RemoveRichRule"),
        ZONE_LIST_METHOD("AddSourcePort"),
        ZONE_LIST_METHOD("RemoveSourcePort"),
        SD_BUS_METHOD_WITH_ARGS("SetTarget", SD_BUS_ARGS("s", target, "a{sv}", options), SD_BUS_NO_RESULT, method_set,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetMasquerade", SD_BUS_ARGS("b", masquerade, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetDescription", SD_BUS_ARGS("s", description, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetForward", SD_BUS_ARGS("b", forward, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetIcmpBlockInversion", SD_BUS_ARGS("b", inversion, "a{sv}", options),
                                SD_BUS_NO_RESULT, method_set, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* ---- the Manager's zone methods ---- */

static int method_list_zones(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ZoneConfig *config = &c->zones->runtime;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(so)");
        for (size_t i = 0; r >= 0 && i < config->n_zones; i++) {
                _cleanup_free_ char *path = NULL;
                r = zone_path(config->zones[i]->name, &path);
                if (r >= 0)
                        r = sd_bus_message_append(reply, "(so)", config->zones[i]->name, path);
        }
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

/* GetZoneOfInterface(s), GetZoneOfSource(s): the zone's path, or NotFound (an interface in no zone is in the
 * default zone: GetZoneOfInterface says so) */
static int method_zone_of(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool interface = streq(sd_bus_message_get_member(m), "GetZoneOfInterface");
        _cleanup_free_ char *canonical = NULL, *why = NULL, *path = NULL;
        const Zone *z;
        const char *value;
        int r;

        r = sd_bus_message_read(m, "s", &value);
        if (r < 0)
                return r;
        r = interface ? validate_ifname(value, &why) : zone_check_zone_source(value, &canonical, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return call_invalid(error, why);
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        z = interface ? zone_config_zone_of_interface(&c->zones->runtime, value)
                      : zone_config_zone_of_source(&c->zones->runtime, canonical);
        if (!z && interface)
                z = zone_config_find(&c->zones->runtime, c->zones->runtime.default_zone);
        if (!z)
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND, "Source %s is bound to no zone", canonical);
        r = zone_path(z->name, &path);
        return r < 0 ? r : sd_bus_reply_method_return(m, "o", path);
}

typedef int (*zone_request_t)(Context *c, sd_bus_message *m, const char *zone, bool permanent,
                              const ZoneAnswer *answer, sd_bus_error *error);

/* SetDefaultZone, AddZone, DeleteZone: (zone, options) */
static int method_zone_change(sd_bus_message *m, void *userdata, sd_bus_error *error, zone_request_t request)
{
        Context *c = userdata;
        _cleanup_free_ char *why = NULL;
        const char *name;
        int permanent, r;

        r = sd_bus_message_read(m, "s", &name);
        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        if (zone_check_name(name, &why) < 0)
                return call_invalid(error, why);
        /* the default zone is every unbound interface's: the business of every zone, not the one named */
        r = request == zone_default_request ? zone_polkit_change(c, m, "*", NULL, "default-zone", name, error)
                                            : zone_polkit(c, m, name, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return request(c, m, name, permanent, NULL, error);
}

static int method_set_default_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_zone_change(m, userdata, error, zone_default_request);
}

static int method_add_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_zone_change(m, userdata, error, zone_add_request);
}

static int method_delete_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        return method_zone_change(m, userdata, error, zone_delete_request);
}

/* Reload(options): the permanent configuration read again and put in force; RuntimeToPermanent(options): the
 * runtime configuration written as the permanent one. The business of every zone. */
static int method_reload_or_save(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r;

        r = options_read(m, (const OptionSpec[]){ {} }, error);
        if (r < 0)
                return r;
        r = zone_polkit(c, m, "*", NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (streq(sd_bus_message_get_member(m), "Reload")) /* with ZonesEnabled as the files say */
                return zone_switch_request(c, m, ZONE_SWITCH_RELOAD, false, NULL, error);
        r = zone_runtime_to_permanent(c, error);
        return r < 0 ? r : sd_bus_reply_method_return(m, NULL);
}

/* SetZonesEnabled(b, options), SetPanic(b): the table made or removed, or replaced by one that drops all */
static int method_switch(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        bool panic = streq(sd_bus_message_get_member(m), "SetPanic");
        int on, permanent = 0, r;

        r = sd_bus_message_read(m, "b", &on);
        if (r >= 0)
                r = panic ? options_read(m, (const OptionSpec[]){ {} }, error)
                          : options_read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        r = zone_polkit(c, m, "*", NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (permanent) {
                _cleanup_free_ char *why = NULL;
                bool saved = c->zones->enabled_permanent;
                c->zones->enabled_permanent = on;
                r = zones_save(c->zones, &c->zones->permanent, false, &why);
                if (r < 0) {
                        c->zones->enabled_permanent = saved;
                        return sd_bus_error_set(error, SD_BUS_ERROR_FAILED, why ? why : strerror(-r));
                }
                return sd_bus_reply_method_return(m, NULL);
        }
        if (!panic &&
            on) /* the presets that filter what zones filter would decide a second time (features/preset.c) */
                for (size_t i = 0; i < presets_count; i++)
                        if (preset_zones_overlap(&presets[i]) &&
                            mirror_find_table(c->mirror, family_from_string("inet"), presets[i].table))
                                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                                         "The %s preset's table %s filters %s; with zones on, both "
                                                         "would decide, and one would drop what the other allows. "
                                                         "Delete that table first, or leave zones off",
                                                         presets[i].name, presets[i].table,
                                                         preset_zones_overlap(&presets[i]));
        return zone_switch_request(c, m, panic ? ZONE_SWITCH_PANIC : ZONE_SWITCH_ZONES, on, NULL, error);
}

/* SetLogDenied(value, options): what is logged of what zones refuse; the business of every zone */
static int method_set_log_denied(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *value;
        int permanent, l, r = sd_bus_message_read(m, "s", &value);

        if (r >= 0)
                r = options_read_permanent(m, &permanent, error);
        if (r < 0)
                return r;
        l = log_denied_of_name(value);
        if (l < 0)
                return call_invalid(error, "Invalid log denied: off, all, unicast, broadcast or multicast");
        r = zone_polkit_change(c, m, "*", NULL, "log-denied", value, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_log_denied_request(c, m, (LogDenied) l, permanent, NULL, error);
}

static int method_list_services(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        int r;

        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < c->zones->services.n; i++)
                r = sd_bus_message_append_basic(reply, 's', c->zones->services.services[i]->name);
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

/* GetService(s) -> (description, ports, protocols, helpers, destinations) */
static int method_get_service(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ServiceDef *s;
        const char *name;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NULL, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        s = catalogue_find(&c->zones->services, name);
        if (!s) {
                _cleanup_free_ char *shown = escape_for_message(name);
                return sd_bus_error_setf(error, NFTBUS_ERROR_NOT_FOUND,
                                         "Unknown service '%s': not in the catalogue of services", strempty(shown));
        }
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", strempty(s->description));
        if (r >= 0)
                r = append_strlist(reply, &s->ports);
        if (r >= 0)
                r = append_strlist(reply, &s->protocols);
        if (r >= 0)
                r = append_strlist(reply, &s->helpers);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        if (r >= 0 && s->destination_v4)
                r = sd_bus_message_append(reply, "s", s->destination_v4);
        if (r >= 0 && s->destination_v6)
                r = sd_bus_message_append(reply, "s", s->destination_v6);
        return call_send_reply(reply, call_close_containers(reply, 1, r));
}

static int property_get_manager(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                                const char *property, sd_bus_message *reply, void *userdata,
                                sd_bus_error *error _unused_)
{
        Context *c = userdata;

        if (streq(property, "DefaultZone"))
                return sd_bus_message_append(reply, "s", c->zones->runtime.default_zone);
        if (streq(property, "ZonesEnabled"))
                return sd_bus_message_append(reply, "b", c->zones->enabled);
        if (streq(property, "Panic"))
                return sd_bus_message_append(reply, "b", c->zones->panic);
        if (streq(property, "ZonesState"))
                return sd_bus_message_append(reply, "s", zones_state(c));
        if (streq(property, "FirewallDAPI"))
                return sd_bus_message_append(reply, "s", firewalld_api_state(c));
        if (streq(property, "PermanentDefaultZone"))
                return sd_bus_message_append(reply, "s", c->zones->permanent.default_zone);
        if (streq(property, "LogDenied"))
                return sd_bus_message_append(reply, "s", log_denied_name(c->zones->runtime.log_denied));
        return sd_bus_message_append(reply, "s", strempty(c->zones_error)); /* ZonesError */
}

static const sd_bus_vtable manager_zone_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("ZonesEnabled", "b", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("DefaultZone", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Panic", "b", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ZonesState", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("ZonesError", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("FirewallDAPI", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("PermanentDefaultZone", "s", property_get_manager, 0, 0),
        SD_BUS_PROPERTY("LogDenied", "s", property_get_manager, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("SetZonesEnabled", SD_BUS_ARGS("b", enabled, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_switch, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetPanic", SD_BUS_ARGS("b", panic, "a{sv}", options), SD_BUS_NO_RESULT, method_switch,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListZones", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(so)", zones), method_list_zones,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetZoneOfInterface", SD_BUS_ARGS("s", interface), SD_BUS_RESULT("o", zone),
                                method_zone_of, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetZoneOfSource", SD_BUS_ARGS("s", source), SD_BUS_RESULT("o", zone), method_zone_of,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetDefaultZone", SD_BUS_ARGS("s", zone, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set_default_zone, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddZone", SD_BUS_ARGS("s", zone, "a{sv}", options), SD_BUS_NO_RESULT, method_add_zone,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DeleteZone", SD_BUS_ARGS("s", zone, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_delete_zone, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT, method_reload_or_save,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("RuntimeToPermanent", SD_BUS_ARGS("a{sv}", options), SD_BUS_NO_RESULT,
                                method_reload_or_save, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetLogDenied", SD_BUS_ARGS("s", value, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set_log_denied, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListServices", SD_BUS_NO_ARGS, SD_BUS_RESULT("as", services), method_list_services,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS(
                "GetService", SD_BUS_ARGS("s", service),
                SD_BUS_RESULT("s", description, "as", ports, "as", protocols, "as", helpers, "as", destinations),
                method_get_service, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

/* ---- registration and start ---- */

int zone_register(Context *c)
{
        return config_objects_register(c, ZONES_PATH, ZONE_INTERFACE, zone_vtable, manager_zone_vtable);
}
