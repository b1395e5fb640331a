/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's D-Bus API over nftbus's zones (firewalld.dbus(5)), a second front door to the same model: the
 * main object /org/fedoraproject/FirewallD1 with org.fedoraproject.FirewallD1 (here) and its .zone interface
 * (firewalld-zone.c), the permanent configuration under /org/fedoraproject/FirewallD1/config
 * (firewalld-config.c), for firewall-cmd, NetworkManager and the tools that know firewalld. nftbusd serves the
 * name org.fedoraproject.FirewallD1 when nftbus.conf says FirewallDAPI=yes, and never takes it from firewalld.
 * Errors are firewalld's: org.fedoraproject.FirewallD1.Exception, its message "CODE: detail", the code deciding
 * firewall-cmd's exit status; what nftbus does not offer (rich rules, direct rules, policies, ipsets, helpers,
 * lockdown, timeouts) answers NOT_SUPPORTED. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/actions.h"
#include "auth/polkit.h"
#include "bus/call.h"
#include "bus/firewalld.h"
#include "bus/zone.h"
#include "common/objpath.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/validate.h"
#include "config.h"
#include "log.h"
#include "spec/richrule.h"
#include "state/zones.h"

/* the version of firewalld whose API this is */
#define FWD_API_VERSION "1.3.3"

int fwd_error(sd_bus_error *error, const char *code, const char *fmt, ...)
{
        _cleanup_free_ char *detail = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&detail, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (!*detail) /* firewalld's bare codes: "PANIC_MODE" */
                return sd_bus_error_setf(error, FWD_EXCEPTION, "%s", code);
        return sd_bus_error_setf(error, FWD_EXCEPTION, "%s: %s", code, detail);
}

int fwd_map_error(const sd_bus_error *e, sd_bus_error *ret)
{
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_ALREADY_EXISTS))
                return fwd_error(ret, "ALREADY_ENABLED", "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_NOT_FOUND))
                return fwd_error(ret, startswith(strempty(e->message), "No zone") ? "INVALID_ZONE" : "NOT_ENABLED",
                                 "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_INVALID_ARGUMENT))
                return fwd_error(ret, "INVALID_VALUE", "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_REJECTED) && strstr(strempty(e->message), " is in zone "))
                return fwd_error(ret, "ZONE_CONFLICT", "%s", strempty(e->message));
        if (sd_bus_error_has_name(e, NFTBUS_ERROR_ZONES_OFF))
                return fwd_error(ret, "NOT_RUNNING", "%s", strempty(e->message));
        return fwd_error(ret, "COMMAND_FAILED", "%s", strempty(e->message));
}

int fwd_check(Context *c, sd_bus_message *m, sd_bus_error *error)
{
        int r = polkit_check(c->polkit, m, NULL, error);

        if (r < 0 && (sd_bus_error_has_name(error, SD_BUS_ERROR_ACCESS_DENIED) ||
                      sd_bus_error_has_name(error, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED))) {
                sd_bus_error_free(error);
                return sd_bus_error_setf(error, FWD_NOT_AUTHORIZED, "Not Authorized(polkit): %s",
                                         strempty(polkit_action_of(m)));
        }
        return r;
}

static const FwdList fwd_lists[] = {
        { "Service", FWD_KIND_SERVICE, offsetof(Zone, services), "INVALID_SERVICE", true, "services" },
        { "Interface", FWD_KIND_INTERFACE, offsetof(Zone, interfaces), "INVALID_INTERFACE", false, "interfaces" },
        { "Source", FWD_KIND_SOURCE, offsetof(Zone, sources), "INVALID_ADDR", false, "sources" },
        { "Port", FWD_KIND_PORT, offsetof(Zone, ports), "INVALID_PORT", true, "ports" },
        { "Protocol", FWD_KIND_PROTOCOL, offsetof(Zone, protocols), "INVALID_PROTOCOL", true, "protocols" },
        { "IcmpBlock", FWD_KIND_ICMP_BLOCK, offsetof(Zone, icmp_blocks), "INVALID_ICMPTYPE", true, "icmp_blocks" },
        { "ForwardPort", FWD_KIND_FORWARD_PORT, offsetof(Zone, forward_ports), "INVALID_FORWARD", true,
          "forward_ports" },
        { "RichRule", FWD_KIND_RICH_RULE, offsetof(Zone, rich_rules), "INVALID_RULE", true, "rules_str" },
};

const FwdList *fwd_list_of(const char *member, char *ret_op)
{
        static const struct {
                const char *prefix;
                char op;
        } ops[] = { { "add", 'a' }, { "remove", 'r' }, { "query", 'q' }, { "get", 'g' } };

        for (size_t i = 0; i < ELEMENTSOF(ops); i++) {
                const char *noun = startswith(member, ops[i].prefix);
                if (!noun)
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(fwd_lists); k++) {
                        size_t len = strlen(fwd_lists[k].noun);
                        /* getServices: the noun and an 's' */
                        if (strncmp(noun, fwd_lists[k].noun, len) == 0 &&
                            streq(noun + len, ops[i].op == 'g' ? "s" : "")) {
                                *ret_op = ops[i].op;
                                return &fwd_lists[k];
                        }
                }
        }
        return NULL;
}

const StrList *fwd_zone_list(const Zone *z, const FwdList *l)
{
        return (const StrList *) ((const char *) z + l->offset);
}

int fwd_read_args(sd_bus_message *m, const FwdList *l, const char *args[FWD_ARGS_MAX])
{
        int r = 0;

        for (unsigned i = 0; r >= 0 && i < fwd_kind_args(l->kind); i++)
                r = sd_bus_message_read(m, "s", &args[i]);
        return r;
}

int fwd_canonical(Context *c, const FwdList *l, const char *const *args, char **ret, sd_bus_error *error)
{
        _cleanup_free_ char *joined = NULL, *shown = NULL;
        char *canonical = NULL;
        int r;

        if (l->kind == FWD_KIND_RICH_RULE) { /* firewalld's own code for what is wrong with it */
                _cleanup_free_ char *why = NULL;
                const char *code;
                r = rich_rule_canonical(args[0], ret, &code, &why);
                if (r == -ENOMEM)
                        return r;
                return r < 0 ? fwd_error(error, code, "%s", strempty(why)) : 0;
        }
        r = fwd_value_join(l->kind, args, &joined);
        if (r == -ENOMEM)
                return r;
        if (r >= 0)
                switch (l->kind) {
                case FWD_KIND_SERVICE:
                        r = catalogue_find(&c->zones->services, joined) ? 0 : -EINVAL;
                        break;
                case FWD_KIND_INTERFACE:
                        r = validate_ifname(joined, NULL);
                        break;
                case FWD_KIND_SOURCE:
                        r = zone_check_zone_source(joined, &canonical, NULL);
                        break;
                case FWD_KIND_PORT:
                        r = zone_check_port(joined, &canonical, NULL);
                        break;
                case FWD_KIND_PROTOCOL:
                        r = zone_check_protocol(joined, NULL);
                        break;
                case FWD_KIND_ICMP_BLOCK:
                        r = zone_check_icmp_type(joined, NULL);
                        break;
                default:
                        r = zone_check_forward_port(joined, &canonical, NULL);
                        break;
                }
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (fwd_value_shown(l->kind, args, &shown) < 0)
                        return -ENOMEM;
                return fwd_error(error, l->invalid, "%s", shown);
        }
        *ret = canonical ? canonical : TAKE_PTR(joined);
        return 0;
}

int fwd_append_strlist(sd_bus_message *reply, const StrList *l)
{
        int r = sd_bus_message_open_container(reply, 'a', "s");

        for (size_t i = 0; r >= 0 && i < l->n; i++)
                r = sd_bus_message_append_basic(reply, 's', l->items[i]);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

int fwd_append_split(sd_bus_message *reply, const FwdList *l, const StrList *values, bool structs)
{
        unsigned n = fwd_kind_args(l->kind);
        const char *contents = structs ? (n == 2 ? "(ss)" : "(ssss)") : "as";
        int r = sd_bus_message_open_container(reply, 'a', contents);

        for (size_t i = 0; r >= 0 && i < values->n; i++) {
                char parts[FWD_ARGS_MAX][FWD_PART_MAX];
                if (fwd_value_split(l->kind, values->items[i], parts) < 0)
                        continue; /* not one firewalld can show */
                r = structs ? sd_bus_message_open_container(reply, 'r', n == 2 ? "ss" : "ssss")
                            : sd_bus_message_open_container(reply, 'a', "s");
                for (unsigned k = 0; r >= 0 && k < n; k++)
                        r = sd_bus_message_append_basic(reply, 's', parts[k]);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int append_entry_open(sd_bus_message *reply, const char *key, const char *type)
{
        int r = sd_bus_message_open_container(reply, 'e', "sv");

        if (r >= 0)
                r = sd_bus_message_append_basic(reply, 's', key);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', type);
        return r;
}

static int append_entry_close(sd_bus_message *reply)
{
        int r = sd_bus_message_close_container(reply);

        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* a list's entry, left out when the list is empty (as firewalld does) */
static int append_list_entry(sd_bus_message *reply, const Zone *z, const FwdList *l)
{
        const StrList *values = fwd_zone_list(z, l);
        unsigned n = fwd_kind_args(l->kind);
        int r;

        if (values->n == 0)
                return 0;
        r = append_entry_open(reply, l->key, n == 1 ? "as" : n == 2 ? "a(ss)" : "a(ssss)");
        if (r >= 0)
                r = n == 1 ? fwd_append_strlist(reply, values) : fwd_append_split(reply, l, values, true);
        return r < 0 ? r : append_entry_close(reply);
}

int fwd_append_zone_settings(sd_bus_message *reply, const Zone *z)
{
        char short_name[ZONE_NAME_MAX + 1];
        int r;

        /* firewalld's short name; nftbus's zones have their name only */
        snprintf(short_name, sizeof(short_name), "%s", z->name);
        if (short_name[0] >= 'a' && short_name[0] <= 'z')
                short_name[0] = (char) (short_name[0] - 'a' + 'A');
        r = sd_bus_message_open_container(reply, 'a', "{sv}");
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "short", "s", short_name);
        if (r >= 0 && z->description)
                r = sd_bus_message_append(reply, "{sv}", "description", "s", z->description);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "target", "s", fwd_target_to_string(z->target));
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(fwd_lists); i++)
                r = append_list_entry(reply, z, &fwd_lists[i]);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "masquerade", "b", z->masquerade);
        /* no inverted ICMP blocks */
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "icmp_block_inversion", "b", false);
        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "forward", "b", z->forward);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* one list of a settings dictionary: "as" of the kind's values, or an array of (ss) or (ssss) */
static int read_settings_list(Context *c, sd_bus_message *m, const FwdList *l, StrList *ret, sd_bus_error *error)
{
        unsigned n = fwd_kind_args(l->kind);
        const char *contents = n == 1 ? "s" : n == 2 ? "(ss)" : "(ssss)";
        StrList values = {};
        int r;

        r = sd_bus_message_enter_container(m, 'a', contents);
        while (r > 0) {
                const char *args[FWD_ARGS_MAX] = {};
                _cleanup_free_ char *canonical = NULL;
                if (n > 1)
                        r = sd_bus_message_enter_container(m, 'r', n == 2 ? "ss" : "ssss");
                for (unsigned i = 0; r > 0 && i < n; i++)
                        r = sd_bus_message_read_basic(m, 's', &args[i]);
                if (r <= 0) /* 0: the end of the array */
                        break;
                if (n > 1)
                        r = sd_bus_message_exit_container(m);
                if (r >= 0)
                        r = fwd_canonical(c, l, args, &canonical, error);
                if (r >= 0)
                        r = strlist_add(&values, canonical);
                if (r >= 0)
                        r = 1;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0) {
                strlist_done(&values);
                return r;
        }
        strlist_done(ret);
        *ret = values;
        return 0;
}

int fwd_zone_from_settings(Context *c, sd_bus_message *m, const Zone *base, Zone **ret, sd_bus_error *error)
{
        _cleanup_(zone_freep) Zone *z = zone_copy(base);
        int r;

        if (!z)
                return -ENOMEM;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        while (r > 0) {
                const char *key, *type = NULL, *text;
                char kind;
                int b;
                r = sd_bus_message_enter_container(m, 'e', "sv");
                if (r <= 0)
                        break;
                r = sd_bus_message_read_basic(m, 's', &key);
                if (r >= 0)
                        r = sd_bus_message_peek_type(m, &kind, &type);
                if (r < 0)
                        return r;
                const FwdList *l = NULL;
                for (size_t i = 0; i < ELEMENTSOF(fwd_lists); i++)
                        if (streq(key, fwd_lists[i].key))
                                l = &fwd_lists[i];
                if (l) {
                        unsigned n = fwd_kind_args(l->kind);
                        if (!streq(type, n == 1 ? "as" : n == 2 ? "a(ss)" : "a(ssss)"))
                                return fwd_error(error, "INVALID_SETTING", "%s: %s", key, type);
                        r = sd_bus_message_enter_container(m, 'v', type);
                        if (r >= 0)
                                r = read_settings_list(c, m, l, (StrList *) ((char *) z + l->offset), error);
                } else if (streq(key, "description") || streq(key, "target") || streq(key, "short") ||
                           streq(key, "version")) {
                        if (!streq(type, "s"))
                                return fwd_error(error, "INVALID_SETTING", "%s: %s", key, type);
                        r = sd_bus_message_enter_container(m, 'v', "s");
                        if (r >= 0)
                                r = sd_bus_message_read_basic(m, 's', &text);
                        if (r >= 0 && streq(key, "target")) {
                                int t = fwd_target_from_string(text);
                                if (t < 0)
                                        return fwd_error(error, "INVALID_TARGET", "%s", text);
                                z->target = (ZoneTarget) t;
                        } else if (r >= 0 && streq(key, "description")) {
                                if (strlen(text) > 1024 || validate_comment(text, NULL) < 0)
                                        return fwd_error(error, "INVALID_SETTING", "description");
                                free(z->description);
                                z->description = strdup(text);
                                if (!z->description)
                                        return -ENOMEM;
                        } /* short and version: nftbus's zones have none */
                } else if (streq(key, "masquerade") || streq(key, "forward") || streq(key, "icmp_block_inversion")) {
                        if (!streq(type, "b"))
                                return fwd_error(error, "INVALID_SETTING", "%s: %s", key, type);
                        r = sd_bus_message_enter_container(m, 'v', "b");
                        if (r >= 0)
                                r = sd_bus_message_read_basic(m, 'b', &b);
                        if (r >= 0 && streq(key, "masquerade"))
                                z->masquerade = b;
                        else if (r >= 0 && streq(key, "forward")) /* firewall-cmd's --add-forward, --remove-forward */
                                z->forward = b;
                        else if (r >= 0 && b)
                                return fwd_error(error, "NOT_SUPPORTED", "%s %s", key, b ? "on" : "off");
                } else if (streq(key, "source_ports") || streq(key, "ingress_priority") ||
                           streq(key, "egress_priority")) {
                        /* what nftbus's zones do not have: fine when it is empty */
                        if (streq(type, "as") || streq(type, "a(ss)")) {
                                r = sd_bus_message_enter_container(m, 'v', type);
                                if (r >= 0)
                                        r = sd_bus_message_enter_container(m, 'a', type + 1);
                                if (r >= 0 && sd_bus_message_at_end(m, false) == 0)
                                        return fwd_error(error, "NOT_SUPPORTED", "%s", key);
                                if (r >= 0)
                                        r = sd_bus_message_exit_container(m);
                        } else if (streq(type, "i")) {
                                int32_t priority;
                                r = sd_bus_message_enter_container(m, 'v', "i");
                                if (r >= 0)
                                        r = sd_bus_message_read_basic(m, 'i', &priority);
                                if (r >= 0 && priority != 0)
                                        return fwd_error(error, "NOT_SUPPORTED", "%s", key);
                        } else
                                return fwd_error(error, "INVALID_SETTING", "%s: %s", key, type);
                } else
                        return fwd_error(error, "INVALID_SETTING", "%s", key);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m); /* the variant */
                if (r >= 0)
                        r = sd_bus_message_exit_container(m); /* the entry */
                if (r < 0)
                        return r;
                r = 1;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(z);
        return 0;
}

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
        if (streq(zone, c->zones->runtime.default_zone))
                return fwd_error(error, "ZONE_ALREADY_SET", "%s", zone);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_change_request(c, m, "DefaultZone", NULL, zone, false, reply_switched, fwd_map_error, error);
}

/* reload, enablePanicMode, disablePanicMode */
static int method_switch(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m);
        bool reload = streq(member, "reload"), on = streq(member, "enablePanicMode");
        int r;

        if (!reload && on == c->zones->panic)
                return fwd_error(error, on ? "ALREADY_ENABLED" : "NOT_ENABLED",
                                 on ? "panic mode already enabled" : "panic mode is not enabled");
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return zone_switch_request(c, m, !reload, on, reload, reply_switched, fwd_map_error);
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

const char *fwd_zone_name_at(const void *config, size_t i)
{
        return ((const ZoneConfig *) config)->zones[i]->name;
}

const char *fwd_service_name_at(const void *catalogue, size_t i)
{
        return ((const ServiceCatalogue *) catalogue)->services[i]->name;
}

int fwd_reply_names(Context *c, sd_bus_message *m, const void *list, size_t n, fwd_name_at_t name_at,
                    const char *paths, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r = fwd_check(c, m, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', paths ? "o" : "s");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                _cleanup_free_ char *path = NULL;

                if (!paths)
                        r = sd_bus_message_append_basic(reply, 's', name_at(list, i));
                else
                        r = asprintf(&path, "%s/%zu", paths, i) < 0 ? -ENOMEM
                                                                    : sd_bus_message_append_basic(reply, 'o', path);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

static int method_list_services(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;

        return fwd_reply_names(c, m, &c->zones->services, c->zones->services.n, fwd_service_name_at, NULL, error);
}

int fwd_append_service_settings(sd_bus_message *reply, const ServiceDef *s)
{
        static const FwdList ports = { "Port", FWD_KIND_PORT, 0, NULL, false, "ports" };
        int r = sd_bus_message_open_container(reply, 'a', "{sv}");

        if (r >= 0)
                r = sd_bus_message_append(reply, "{sv}", "short", "s", s->name);
        if (r >= 0 && s->description)
                r = sd_bus_message_append(reply, "{sv}", "description", "s", s->description);
        if (r >= 0 && s->ports.n) {
                r = append_entry_open(reply, "ports", "a(ss)");
                if (r >= 0)
                        r = fwd_append_split(reply, &ports, &s->ports, true);
                if (r >= 0)
                        r = append_entry_close(reply);
        }
        if (r >= 0 && s->protocols.n) {
                r = append_entry_open(reply, "protocols", "as");
                if (r >= 0)
                        r = fwd_append_strlist(reply, &s->protocols);
                if (r >= 0)
                        r = append_entry_close(reply);
        }
        if (r >= 0 && s->helpers.n) {
                r = append_entry_open(reply, "helpers", "as");
                if (r >= 0)
                        r = fwd_append_strlist(reply, &s->helpers);
                if (r >= 0)
                        r = append_entry_close(reply);
        }
        if (r >= 0 && (s->destination_v4 || s->destination_v6)) {
                r = append_entry_open(reply, "destination", "a{ss}");
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'a', "{ss}");
                if (r >= 0 && s->destination_v4)
                        r = sd_bus_message_append(reply, "{ss}", "ipv4", s->destination_v4);
                if (r >= 0 && s->destination_v6)
                        r = sd_bus_message_append(reply, "{ss}", "ipv6", s->destination_v6);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
                if (r >= 0)
                        r = append_entry_close(reply);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* getServiceSettings2(s) -> a{sv}: short, description, ports, protocols, helpers, destination, each when set */
static int method_service_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ServiceDef *s;
        const char *name;
        int r;

        r = sd_bus_message_read(m, "s", &name);
        if (r < 0)
                return r;
        s = catalogue_find(&c->zones->services, name);
        if (!s)
                return fwd_error(error, "INVALID_SERVICE", "%s", name);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = fwd_append_service_settings(reply, s);
        return r < 0 ? r : sd_bus_send(NULL, reply, NULL);
}

static int property_get(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                        const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error _unused_)
{
        if (streq(property, "version"))
                return sd_bus_message_append(reply, "s", FWD_API_VERSION);
        if (streq(property, "interface_version"))
                return sd_bus_message_append(reply, "s", "1");
        if (streq(property, "state")) { /* firewall-cmd --state: running, failed, or not running */
                const char *state = zones_state(userdata);
                return sd_bus_message_append(reply, "s",
                                             streq(state, "running")  ? "RUNNING"
                                             : streq(state, "failed") ? "FAILED"
                                                                      : "NOT_RUNNING");
        }
        /* the zones' rpfilter chain drops what fails IPv6's reverse path check (spec/zonespec.c) */
        if (streq(property, "IPv4") || streq(property, "IPv6") || streq(property, "BRIDGE") ||
            streq(property, "IPv6_rpfilter"))
                return sd_bus_message_append(reply, "b", true);
        if (streq(property, "IPSet") || streq(property, "nf_conntrack_helper_setting"))
                return sd_bus_message_append(reply, "b", false);
        if (streq(property, "IPSetTypes") || streq(property, "IPv4ICMPTypes") || streq(property, "IPv6ICMPTypes"))
                return sd_bus_message_append(reply, "as", 0);
        return sd_bus_message_append(reply, "a{sas}", 0); /* nf_conntrack_helpers, nf_nat_helpers */
}

const FwdMember fwd_main_members[] = {
        { "version", .get = property_get },
        { "interface_version", .get = property_get },
        { "state", .get = property_get },
        { "IPv4", .get = property_get },
        { "IPv6", .get = property_get },
        { "IPv6_rpfilter", .get = property_get },
        { "BRIDGE", .get = property_get },
        { "IPSet", .get = property_get },
        { "IPSetTypes", .get = property_get },
        { "IPv4ICMPTypes", .get = property_get },
        { "IPv6ICMPTypes", .get = property_get },
        { "nf_conntrack_helper_setting", .get = property_get },
        { "nf_conntrack_helpers", .get = property_get },
        { "nf_nat_helpers", .get = property_get },
        { "authorizeAll", method_authorize_all },
        { "getDefaultZone", method_get_default_zone },
        { "setDefaultZone", method_set_default_zone },
        { "reload", method_switch },
        { "enablePanicMode", method_switch },
        { "disablePanicMode", method_switch },
        { "queryPanicMode", method_query_panic },
        { "runtimeToPermanent", method_runtime_to_permanent },
        { "listServices", method_list_services },
        { "getServiceSettings2", method_service_settings },
        {},
};

/* what nftbus has none of: firewalld's policies and lockdown whitelist, direct (iptables) rules and ipsets */
const FwdMember fwd_policies_members[] = { {} };
const FwdMember fwd_policy_members[] = { {} };
const FwdMember fwd_direct_members[] = { {} };
const FwdMember fwd_ipset_members[] = { {} };
const FwdMember fwd_config_policies_members[] = { {} };
const FwdMember fwd_config_direct_members[] = { {} };

/* ---- the dispatchers of the generated vtables ---- */

static const FwdMember *member_of(const FwdMember *members, const char *name)
{
        for (const FwdMember *i = members; i->name; i++)
                if (streq(i->name, name))
                        return i;
        return NULL;
}

/* what nftbus does not offer of firewalld's API (rich and direct rules, policies, ipsets, helpers, lockdown, ...)
 * is answered as firewalld answers what it cannot do, before polkit and changing nothing */
static int not_offered(sd_bus_error *error, const char *interface, const char *what, const char *member)
{
        return fwd_error(error, "NOT_SUPPORTED", "%s%s.%s is not offered by nftbus", what, interface, member);
}

int fwd_dispatch_method(const FwdMember *members, sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const FwdMember *i = member_of(members, sd_bus_message_get_member(m));

        if (!i || !i->method)
                return not_offered(error, sd_bus_message_get_interface(m), "", sd_bus_message_get_member(m));
        return i->method(m, userdata, error);
}

int fwd_dispatch_get(const FwdMember *members, sd_bus *bus, const char *path, const char *interface,
                     const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        const FwdMember *i = member_of(members, property);

        if (!i || !i->get)
                return not_offered(error, interface, "reading ", property);
        return i->get(bus, path, interface, property, reply, userdata, error);
}

int fwd_dispatch_set(const FwdMember *members, sd_bus *bus, const char *path, const char *interface,
                     const char *property, sd_bus_message *value, void *userdata, sd_bus_error *error)
{
        const FwdMember *i = member_of(members, property);

        if (!i || !i->set)
                return not_offered(error, interface, "setting ", property);
        return i->set(bus, path, interface, property, value, userdata, error);
}

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
