/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's D-Bus API over nftbus's zones (firewalld.dbus(5)), a second front door to the same model: the
 * main object /org/fedoraproject/FirewallD1 with org.fedoraproject.FirewallD1 (here) and its .zone interface
 * (zone.c), the permanent configuration under /org/fedoraproject/FirewallD1/config
 * (config.c), for firewall-cmd, NetworkManager and the tools that know firewalld. nftbusd serves the
 * name org.fedoraproject.FirewallD1 when nftbus.conf says FirewallDAPI=yes, and never takes it from firewalld.
 * Errors are firewalld's: org.fedoraproject.FirewallD1.Exception, its message "CODE: detail", the code deciding
 * firewall-cmd's exit status; what nftbus does not offer (direct rules: firewalld/direct.c; custom helpers and ICMP
 * types; the lockdown: firewalld/lockdown.c) answers NOT_SUPPORTED. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/actions.h"
#include "auth/polkit.h"
#include "core/helperspec.h"
#include "bus/call.h"
#include "core/ipsetspec.h"
#include "firewalld/firewalld.h"
#include "zones/engine.h"
#include "common/objpath.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "config.h"
#include "log.h"
#include "core/richrule.h"
#include "state/zones.h"

/* the version of firewalld whose API this is */
#define FWD_API_VERSION "1.3.3"

/* ---- org.fedoraproject.FirewallD1 ---- */

static int method_authorize_all(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = fwd_check(userdata, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, NULL);
}

static int method_get_default_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, "s", c->zones->runtime.default_zone);
}

/* the reply of setDefaultZone, reload and panic, and the signal firewalld sends for each */
static int reply_switched(Context *c, sd_bus_message *m, const ExecReply *reply _unused_, const char *object _unused_)
{
        const char *member = sd_bus_message_get_member(m);
        int r;

        if (streq(member, "setLogDenied")) { /* then a reload, as firewalld's */
                const char *value = NULL;
                if (sd_bus_message_rewind(m, true) >= 0 && sd_bus_message_read(m, "s", &value) >= 0)
                        (void) sd_bus_emit_signal(c->bus, FWD_PATH, FWD_MAIN_INTERFACE, "LogDeniedChanged", "s",
                                                  value);
                member = "reload";
        }
        if (IN_SET_STR(member, "completeReload", "resetToDefaults"))
                member = "reload";
        if (streq(member, "reload")) /* firewalld makes its config objects anew, numbered from 0 */
                fwd_numbering_reset(c);
        if (streq(member, "setDefaultZone")) {
                const char *zone = NULL;
                r = sd_bus_message_rewind(m, true);
                if (r >= 0)
                        r = sd_bus_message_read(m, "s", &zone);
                if (r >= 0)
                        r = sd_bus_emit_signal(c->bus, FWD_PATH, FWD_MAIN_INTERFACE, "DefaultZoneChanged", "s", zone);
        } else
                r = sd_bus_emit_signal(c->bus, FWD_PATH, FWD_MAIN_INTERFACE,
                                       streq(member, "reload")            ? "Reloaded"
                                       : streq(member, "enablePanicMode") ? "PanicModeEnabled"
                                                                          : "PanicModeDisabled",
                                       NULL);
        if (r < 0)
                log_warning_errno(r, "Failed to emit firewalld's signal of %s: %m", member);
        return sd_bus_reply_method_return(m, NULL);
}

static const ZoneAnswer switched = { reply_switched, fwd_map_error };

static int method_set_default_zone(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *zone;
        int r;

        r = sd_bus_message_read(m, "s", &zone);
        if (r < 0)
                return r;
        if (!zone_config_find(&c->zones->runtime, zone))
                return fwd_error(error, "INVALID_ZONE", "%s", zone);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* what is in force, told to whom polkit allowed (as firewalld: its check comes after polkit's) */
        if (streq(zone, c->zones->runtime.default_zone))
                return fwd_error(error, "ZONE_ALREADY_SET", "%s", zone);
        return zone_default_request(c, m, zone, false, &switched, error);
}

/* reload, enablePanicMode, disablePanicMode */
static int method_switch(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m);
        /* completeReload: the same, nothing more to lose (one transaction swaps the table, no module to unload) */
        bool reload = IN_SET_STR(member, "reload", "completeReload"), on = streq(member, "enablePanicMode");
        int r;

        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!reload && on == c->zones->panic) /* after polkit, as firewalld: state for whom polkit allowed */
                return fwd_error(error, on ? "ALREADY_ENABLED" : "NOT_ENABLED",
                                 on ? "panic mode already enabled" : "panic mode is not enabled");
        return zone_switch_request(c, m, reload ? ZONE_SWITCH_RELOAD : ZONE_SWITCH_PANIC, on, &switched, error);
}

static int method_runtime_to_permanent(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (c->zones_error)
                return fwd_error(error, "RUNNING_BUT_FAILED",
                                 "Saving runtime to permanent is not allowed while the zones in force are not the "
                                 "configuration's: %s",
                                 c->zones_error);
        r = zone_runtime_to_permanent(c, error);
        return r < 0 ? r : sd_bus_reply_method_return(m, NULL);
}

static int method_query_panic(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, "b", c->zones->panic);
}

static int method_list_services(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return fwd_reply_names(m, &c->zones->services, c->zones->services.n, fwd_service_name_at);
}

static const char *helper_name_at(const void *catalogue, size_t i)
{
        return catalogue_helper_at(catalogue, i);
}

/* listIcmpTypes(), getHelpers(): firewalld's names of ICMP types, all of which nftbus has, or of the helpers in force
 * (an admin's new one after the reload, as firewalld's); getIcmpTypeSettings(name), getHelperSettings(name): as the
 * config objects' getSettings (firewalld/configicmptype.c, confighelper.c) */
static int method_builtin(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ServiceCatalogue *in_force = &c->zones->services;
        const char *member = sd_bus_message_get_member(m), *name = NULL;
        bool icmp = strstr(member, "Icmp");
        size_t n = 0;
        int r;

        if (endswith(member, "Settings")) {
                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                if (icmp ? !fwd_object_exists(c, FWD_KIND_ICMPTYPE, name) : !catalogue_helper_known(in_force, name))
                        return fwd_error(error, icmp ? "INVALID_ICMPTYPE" : "INVALID_HELPER", "%s", name);
        }
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!name && icmp)
                return fwd_reply_objects(c, m, FWD_KIND_ICMPTYPE, false);
        if (!name) {
                while (catalogue_helper_at(in_force, n))
                        n++;
                return fwd_reply_names(m, in_force, n, helper_name_at);
        }
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = icmp ? fwd_append_icmp_type(reply, name) : fwd_append_helper(reply, in_force, name);
        return r < 0 ? r : sd_bus_message_send(reply);
}

/* getAutomaticHelpers(): "no", as firewalld since 0.9 (the feature is gone: a service names its helpers);
 * setAutomaticHelpers(value): nothing to do, as firewalld (which takes any value and keeps "no"), but a value that
 * asks for them ("yes", "system") is told it cannot have them */
static int method_automatic_helpers(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *value = NULL;
        int r;

        if (streq(sd_bus_message_get_member(m), "setAutomaticHelpers")) {
                r = sd_bus_message_read(m, "s", &value);
                if (r < 0)
                        return r;
        }
        r = fwd_check(userdata, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!value)
                return sd_bus_reply_method_return(m, "s", "no");
        if (IN_SET_STR(value, "yes", "system"))
                return fwd_error(error, "NOT_SUPPORTED",
                                 "automatic helpers (gone from firewalld since 0.9): a service names its helpers");
        return sd_bus_reply_method_return(m, NULL);
}

static int property_get(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                        const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error _unused_)
{
        if (streq(property, "version"))
                return sd_bus_message_append(reply, "s", FWD_API_VERSION);
        if (streq(property, "interface_version"))
                return sd_bus_message_append(reply, "s", "1.15"); /* firewalld 1.3.3: its API version.revision */
        if (streq(property, "state")) { /* firewall-cmd --state: running, failed, or not running */
                const char *state = zones_state(userdata);
                return sd_bus_message_append(reply, "s",
                                             streq(state, "running")  ? "RUNNING"
                                             : streq(state, "failed") ? "FAILED"
                                                                      : "NOT_RUNNING");
        }
        /* the zones' rpfilter chain drops what fails IPv6's reverse path check (core/zonespec.c) */
        if (streq(property, "IPv4") || streq(property, "IPv6") || streq(property, "BRIDGE") ||
            streq(property, "IPv6_rpfilter"))
                return sd_bus_message_append(reply, "b", true);
        /* ipsets, as sets of the zones' table (firewalld/ipset.c) */
        if (streq(property, "IPSet"))
                return sd_bus_message_append(reply, "b", true);
        if (streq(property, "nf_conntrack_helper_setting"))
                return sd_bus_message_append(reply, "b", false);
        if (streq(property, "IPSetTypes")) {
                int r = sd_bus_message_open_container(reply, 'a', "s");
                for (int t = 0; r >= 0 && t < _IPSET_TYPE_MAX; t++)
                        r = sd_bus_message_append(reply, "s", ipset_type_name((IPSetType) t));
                return r < 0 ? r : sd_bus_message_close_container(reply);
        }
        if (streq(property, "IPv4ICMPTypes") || streq(property, "IPv6ICMPTypes")) {
                int family = streq(property, "IPv4ICMPTypes") ? ZONE_ICMP_IPV4 : ZONE_ICMP_IPV6, r;
                size_t n;
                const char *const *names = zone_icmp_type_names(&n);
                r = sd_bus_message_open_container(reply, 'a', "s");
                for (size_t i = 0; r >= 0 && i < n; i++)
                        if (zone_icmp_type_families(names[i]) & family)
                                r = sd_bus_message_append(reply, "s", names[i]);
                return r < 0 ? r : sd_bus_message_close_container(reply);
        }
        return sd_bus_message_append(reply, "a{sas}", 0); /* nf_conntrack_helpers, nf_nat_helpers */
}

/* resetToDefaults(): the permanent configuration as nftbus ships it (the built-in zones, no ipsets, default zone
 * public, nothing logged; the files of the others deleted), then a reload; nftbus.conf's Zones= and FirewallDAPI=
 * stay (the API answering is one of them), and so do the admin's services */
static int method_reset_to_defaults(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        ZoneConfig fresh = {}, before;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = zone_config_copy(&c->zones->defaults, &fresh);
        if (r < 0)
                return r;
        before = c->zones->permanent;
        c->zones->permanent = fresh;
        r = zones_save(c->zones, &before, true, &why);
        if (r < 0) {
                zone_config_done(&c->zones->permanent);
                c->zones->permanent = before;
                return fwd_error(error, "COMMAND_FAILED", "%s", why ? why : strerror(-r));
        }
        zone_config_done(&before);
        return zone_switch_request(c, m, ZONE_SWITCH_RELOAD, false, &switched, error);
}

/* checkPermanentConfig(): the files read again as a reload would read them, nothing put in force */
static int method_check_config(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *problems = NULL;
        Context *c = userdata;
        Zones *read = NULL;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = zones_load(&read, &problems, NULL);
        zones_free(read);
        if (r < 0)
                return r;
        if (problems)
                return fwd_error(error, "INVALID_ZONE", "%s", problems);
        return sd_bus_reply_method_return(m, NULL);
}

/* getLogDenied(): what is logged of what zones refuse, in force; setLogDenied(value): the permanent value
 * (nftbus.conf's LogDenied=), then a reload, as firewalld does it (runtime changes are dropped) */
static int method_log_denied(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        Context *c = userdata;
        const char *value;
        LogDenied saved;
        int l, r;

        if (streq(sd_bus_message_get_member(m), "getLogDenied")) {
                r = fwd_check(c, m, error);
                POLKIT_RETURN_UNLESS_AUTHORIZED(r);
                return sd_bus_reply_method_return(m, "s", log_denied_name(c->zones->runtime.log_denied));
        }
        r = sd_bus_message_read(m, "s", &value);
        if (r < 0)
                return r;
        l = log_denied_of_name(value);
        if (l < 0)
                return fwd_error(error, "INVALID_VALUE",
                                 "'%s', choose from 'all','unicast','broadcast','multicast','off'", value);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if ((LogDenied) l == c->zones->runtime.log_denied)
                return fwd_error(error, "ALREADY_SET", "%s", value);
        saved = c->zones->permanent.log_denied;
        c->zones->permanent.log_denied = (LogDenied) l;
        r = zones_save(c->zones, &c->zones->permanent, false, &why);
        if (r < 0) {
                c->zones->permanent.log_denied = saved;
                return fwd_error(error, "COMMAND_FAILED", "%s", why ? why : strerror(-r));
        }
        return zone_switch_request(c, m, ZONE_SWITCH_RELOAD, false, &switched, error);
}

const FwdMember fwd_main_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "authorizeAll", method_authorize_all },
        { "getDefaultZone", method_get_default_zone },
        { "setDefaultZone", method_set_default_zone },
        { "reload", method_switch },
        { "completeReload", method_switch },
        { "resetToDefaults", method_reset_to_defaults },
        { "checkPermanentConfig", method_check_config },
        { "enablePanicMode", method_switch },
        { "disablePanicMode", method_switch },
        { "queryPanicMode", method_query_panic },
        { "runtimeToPermanent", method_runtime_to_permanent },
        { "listServices", method_list_services },
        { "listIcmpTypes", method_builtin },
        { "getIcmpTypeSettings", method_builtin },
        { "getHelpers", method_builtin },
        { "getHelperSettings", method_builtin },
        { "getAutomaticHelpers", method_automatic_helpers },
        { "setAutomaticHelpers", method_automatic_helpers },
        { "getServiceSettings2", fwd_method_service_settings },
        { "getZoneSettings", fwd_method_zone_settings },
        { "getLogDenied", method_log_denied },
        { "setLogDenied", method_log_denied },
        {},
};

/* ---- the name ---- */

/* RequestName's answer: 1 the name is ours, 3 someone (firewalld) has it, and we do not wait in line */
const char *firewalld_api_state(const Context *c)
{
        return c->firewalld_api ? c->firewalld_api : "off";
}

/* FirewallDAPI's new value, logged and signalled */
_printf_(2, 3) static void fwd_api_set(Context *c, const char *fmt, ...)
{
        char *text = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&text, fmt, ap) < 0)
                text = NULL;
        va_end(ap);
        if (!text || streq_ptr(text, c->firewalld_api)) {
                free(text);
                return;
        }
        free(c->firewalld_api);
        c->firewalld_api = text;
        if (streq(text, "served"))
                log_info("Serving %s too (FirewallDAPI=yes)", FWD_NAME);
        else
                log_warning("Not serving %s: %s", FWD_NAME, text);
        (void) sd_bus_emit_properties_changed(c->bus, NFTBUS_PATH, NFTBUS_MANAGER_INTERFACE, "FirewallDAPI", NULL);
}

static int on_name(sd_bus_message *m, void *userdata, sd_bus_error *ret_error _unused_)
{
        const sd_bus_error *e = sd_bus_message_get_error(m);
        Context *c = userdata;
        uint32_t answer = 0;

        if (e && sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED))
                fwd_api_set(c,
                            "refused: the bus's policy does not let nftbusd own %s (install "
                            "org.fedoraproject.FirewallD1.nftbus.conf in the bus's system.d and reload the bus)",
                            FWD_NAME);
        else if (e)
                fwd_api_set(c, "refused: %s", strempty(e->message));
        else if (sd_bus_message_read(m, "u", &answer) < 0)
                fwd_api_set(c, "refused: the bus's answer could not be read");
        else if (answer == 2) /* DBUS_REQUEST_NAME_REPLY_IN_QUEUE */
                fwd_api_set(c, "queued: another owner has the name (firewalld?); nftbusd takes it when that one "
                               "leaves");
        else
                fwd_api_set(c, "served");
        return 0;
}

/* the bus gives nftbusd the name it waited for (its owner left) */
static int on_name_acquired(sd_bus_message *m, void *userdata, sd_bus_error *ret_error _unused_)
{
        const char *name;

        if (sd_bus_message_read(m, "s", &name) >= 0 && streq(name, FWD_NAME))
                fwd_api_set(userdata, "served");
        return 0;
}

/* the interfaces of /org/fedoraproject/FirewallD1, in firewalld's order */
static const struct {
        const char *interface;
        const sd_bus_vtable *vtable;
} main_object[] = {
        { FWD_MAIN_INTERFACE, fwd_main_vtable },
        { FWD_MAIN_INTERFACE ".policies", fwd_policies_vtable },
        { FWD_ZONE_INTERFACE, fwd_zone_vtable },
        { FWD_MAIN_INTERFACE ".policy", fwd_policy_vtable },
        { FWD_MAIN_INTERFACE ".direct", fwd_direct_vtable },
        { FWD_MAIN_INTERFACE ".ipset", fwd_ipset_vtable },
};

int firewalld_start(Context *c)
{
        int r;

        if (!c->zones || !c->zones->firewalld_api)
                return 0;
        r = 0;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(main_object); i++)
                r = sd_bus_add_object_vtable(c->bus, NULL, FWD_PATH, main_object[i].interface, main_object[i].vtable,
                                             c);
        if (r >= 0)
                r = fwd_config_register(c);
        /* never taken from firewalld, which has it while it runs: in the queue, nftbusd has it once it left */
        if (r >= 0)
                r = sd_bus_match_signal(c->bus, NULL, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                        "org.freedesktop.DBus", "NameAcquired", on_name_acquired, c);
        if (r >= 0)
                fwd_api_set(c, "requested");
        if (r >= 0)
                r = sd_bus_request_name_async(c->bus, NULL, FWD_NAME, SD_BUS_NAME_QUEUE, on_name, c);
        return r;
}
