/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's services in the permanent configuration: org.fedoraproject.FirewallD1.config.service on each service's
 * object (/org/fedoraproject/FirewallD1/config/service/N) and config's addService and addService2. A change is of
 * the permanent configuration's services (Zones.services_permanent) and of the admin's file of the service, which
 * a reload puts in force, as firewalld's does (firewall/server/config_service.py: every setter is a change of the
 * settings, checked as io/service.py checks them). Conntrack modules are nftbus's helpers; their methods are not
 * offered. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "core/helperspec.h"
#include "common/util.h"
#include "common/validate.h"
#include "core/ipsetspec.h"
#include "core/policyspec.h"
#include "firewalld/firewalld.h"
#include "log.h"
#include "state/zones.h"

/* the lists of a service a method names: addPort, getSourcePorts, queryInclude, ... */
typedef struct ServiceList {
        const char *noun;  /* "Port": addPort, getPorts */
        unsigned args;     /* 2: (port, protocol) */
        const char *value; /* the a{sv} key */
} ServiceList;

static const ServiceList service_lists[] = {
        { "Port", 2, "ports" },
        { "Protocol", 1, "protocols" },
        { "SourcePort", 2, "source_ports" },
        { "Include", 1, "includes" },
        { "Helper", 1, "helpers" },
        { "Module", 1, "modules" }, /* conntrack modules: nftbus's helpers (nf_conntrack_ftp is ftp) */
};

static StrList *list_of(ServiceDef *s, const ServiceList *l)
{
        StrList *lists[] = { &s->ports, &s->protocols, &s->source_ports, &s->includes, &s->helpers, &s->helpers };
        return lists[l - service_lists];
}

/* a module's helper, as firewalld's reader names it: nf_conntrack_netbios_ns is netbios-ns */
static char *module_helper(const char *module)
{
        char *name = strdup(startswith(module, "nf_conntrack_") ?: module);

        for (char *p = name; p && *p; p++)
                if (*p == '_')
                        *p = '-';
        return name;
}

/* ---- a service's settings, checked as firewalld checks them ---- */

/* "22/tcp" from ("22", "tcp"); a port of "" is its protocol (firewalld's reader takes it so) */
static int check_pair(ServiceDef *s, const ServiceList *l, const char *port, const char *protocol, char **ret,
                      sd_bus_error *error)
{
        _cleanup_free_ char *joined = NULL;

        if (!*port && l == &service_lists[0]) {
                if (zone_check_protocol(protocol, NULL) < 0)
                        return fwd_error(error, "INVALID_PROTOCOL", "%s", protocol);
                (void) s;
                *ret = NULL; /* a protocol, not a port */
                return 0;
        }
        if (!IN_SET_STR(protocol, "tcp", "udp", "sctp", "dccp"))
                return fwd_error(error, "INVALID_PROTOCOL", "'%s' not in {'tcp'|'udp'|'sctp'|'dccp'}", protocol);
        if (asprintf(&joined, "%s/%s", port, protocol) < 0)
                return -ENOMEM;
        if (zone_check_port(joined, ret, NULL) < 0)
                return fwd_error(error, "INVALID_PORT", "%s", port);
        return 0;
}

/* value added to list l of s (a port's two arguments in args): 1 added, 0 there already */
static int list_add(ServiceDef *s, const ServiceList *l, const char *const *args, sd_bus_error *error)
{
        _cleanup_free_ char *canonical = NULL, *why = NULL;
        int r = 0;

        if (l->args == 2) {
                r = check_pair(s, l, args[0], args[1], &canonical, error);
                if (r >= 0 && !canonical)
                        return strlist_add(&s->protocols, args[1]);
        } else if (streq(l->noun, "Protocol")) {
                if (zone_check_protocol(args[0], NULL) < 0)
                        return fwd_error(error, "INVALID_PROTOCOL", "%s", args[0]);
        } else if (IN_SET_STR(l->noun, "Helper", "Module")) {
                _cleanup_free_ char *helper = module_helper(args[0]);
                if (!helper)
                        return -ENOMEM;
                /* a module is a built-in helper's; a helper is any name, known to the catalogue (helpers_known()) */
                if (streq(l->noun, "Helper") ? helper_check_name(helper, NULL) < 0 : !zone_helper_find(helper))
                        return fwd_error(error, streq(l->noun, "Helper") ? "INVALID_HELPER" : "INVALID_MODULE", "%s",
                                         args[0]);
                return strlist_add(list_of(s, l), helper);
        } else if (service_check_name(args[0], &why) < 0)
                return fwd_error(error, "INVALID_SERVICE", "%s", args[0]);
        if (r < 0)
                return r;
        return strlist_add(list_of(s, l), canonical ? canonical : args[0]);
}

/* "ipv4"/"ipv6" and an address: the service limited to it */
static int destination_set(ServiceDef *s, const char *family, const char *address, sd_bus_error *error)
{
        _cleanup_free_ char *canonical = NULL;
        bool v6 = streq(family, "ipv6");

        if (!v6 && !streq(family, "ipv4"))
                return fwd_error(error, "INVALID_DESTINATION", "'%s' not in {'ipv4'|'ipv6'}", family);
        if (zone_check_source(address, &canonical, NULL) < 0 || strlen(canonical) == 17 ||
            (strchr(canonical, ':') != NULL) != v6)
                return fwd_error(error, "INVALID_ADDR", "%s", address);
        free(v6 ? s->destination_v6 : s->destination_v4);
        *(v6 ? &s->destination_v6 : &s->destination_v4) = TAKE_PTR(canonical);
        return 0;
}

/* Each helper s names one the permanent catalogue has (built in or the admin's): INVALID_HELPER otherwise */
static int helpers_known(Context *c, const ServiceDef *s, sd_bus_error *error)
{
        for (size_t i = 0; i < s->helpers.n; i++)
                if (!catalogue_helper_known(zones_services(c->zones, true), s->helpers.items[i]))
                        return fwd_error(error, "INVALID_HELPER", "%s", s->helpers.items[i]);
        return 0;
}

/* The values of list l, an array at m's position ("a(ss)" or "as"), each checked and added to s */
static int read_values(sd_bus_message *m, ServiceDef *s, const ServiceList *l, sd_bus_error *error)
{
        const char *args[2];
        int r = sd_bus_message_enter_container(m, 'a', l->args == 2 ? "(ss)" : "s");

        while (r >= 0 && (r = l->args == 2 ? sd_bus_message_read(m, "(ss)", &args[0], &args[1])
                                           : sd_bus_message_read(m, "s", &args[0])) > 0)
                r = list_add(s, l, args, error);
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* The destinations, an a{ss} at m's position, in place of s's */
static int read_destinations(sd_bus_message *m, ServiceDef *s, sd_bus_error *error)
{
        const char *family, *address;
        int r = sd_bus_message_enter_container(m, 'a', "{ss}");

        s->destination_v4 = mfree(s->destination_v4);
        s->destination_v6 = mfree(s->destination_v6);
        while (r >= 0 && (r = sd_bus_message_read(m, "{ss}", &family, &address)) > 0)
                r = destination_set(s, family, address, error);
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* Into the variant of setting key at m's position, when it holds contents; else firewalld's INVALID_TYPE */
static int enter_variant(sd_bus_message *m, const char *key, const char *contents, sd_bus_error *error)
{
        const char *inside = NULL;
        char type;
        int r = sd_bus_message_peek_type(m, &type, &inside);

        if (r < 0)
                return r;
        if (type != 'v' || !streq_ptr(inside, contents))
                return fwd_error(error, "INVALID_TYPE", "'%s' is not of type %s", key, contents);
        return sd_bus_message_enter_container(m, 'v', contents);
}

/* A service's version, short name or description (key: firewalld's name of it) checked, as an ipset's: one line
 * of its file (a newline would make the rest a line of its own); "" is none, as firewalld writes it */
static int check_text(const char *key, const char *text, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        const char *code = NULL;

        if (ipset_check_text(key, text, &code, &why) < 0)
                return why ? fwd_error(error, code, "%s", why) : -ENOMEM;
        return 0;
}

static int set_text(ServiceDef *s, const char *key, const char *text, sd_bus_error *error)
{
        int r = check_text(key, text, error);

        if (r < 0)
                return r;
        return free_and_strdup(streq(key, "version") ? &s->version
                               : streq(key, "short") ? &s->short_name
                                                     : &s->description,
                               empty_to_null(text));
}

/* One entry of an a{sv} of a service's settings (firewalld's keys) into s, in place of what s had */
static int read_setting(sd_bus_message *m, const char *key, ServiceDef *s, sd_bus_error *error)
{
        const char *text;
        int r;

        if (IN_SET_STR(key, "version", "short", "description")) {
                r = enter_variant(m, key, "s", error);
                if (r >= 0)
                        r = sd_bus_message_read(m, "s", &text);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                return r < 0 ? r : set_text(s, key, text, error);
        }
        if (streq(key, "destination")) {
                r = enter_variant(m, key, "a{ss}", error);
                if (r >= 0)
                        r = read_destinations(m, s, error);
                return r < 0 ? r : sd_bus_message_exit_container(m);
        }
        for (size_t i = 0; i < ELEMENTSOF(service_lists); i++) {
                const ServiceList *l = &service_lists[i];
                if (!streq(key, l->value))
                        continue;
                strlist_done(list_of(s, l));
                if (l == &service_lists[0])
                        strlist_done(&s->protocols); /* ports of "" are protocols: both lists anew */
                r = enter_variant(m, key, l->args == 2 ? "a(ss)" : "as", error);
                if (r >= 0)
                        r = read_values(m, s, l, error);
                return r < 0 ? r : sd_bus_message_exit_container(m);
        }
        return fwd_error(error, "INVALID_SETTING", "%s", key);
}

/* the settings of an a{sv} into s: those given in place of s's, the others kept (firewalld's update2) */
static int read_settings(sd_bus_message *m, ServiceDef *s, sd_bus_error *error)
{
        const char *key;
        int r = sd_bus_message_enter_container(m, 'a', "{sv}");

        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                r = sd_bus_message_read_basic(m, 's', &key);
                if (r >= 0)
                        r = read_setting(m, key, s, error);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* the settings of firewalld's first form, (version, short, description, ports, modules, destinations,
 * protocols, source ports), into s; its includes and helpers kept, a module added as a helper */
static int read_tuple(sd_bus_message *m, ServiceDef *s, sd_bus_error *error)
{
        const char *version, *short_name, *description;
        int r = sd_bus_message_enter_container(m, 'r', "sssa(ss)asa{ss}asa(ss)");

        if (r >= 0)
                r = sd_bus_message_read(m, "sss", &version, &short_name, &description);
        if (r >= 0)
                r = set_text(s, "version", version, error);
        if (r >= 0)
                r = set_text(s, "short", short_name, error);
        if (r >= 0)
                r = set_text(s, "description", description, error);
        strlist_done(&s->ports);
        strlist_done(&s->protocols);
        strlist_done(&s->source_ports);
        /* ports, modules (helpers), destinations, protocols, source ports */
        if (r >= 0)
                r = read_values(m, s, &service_lists[0], error);
        if (r >= 0)
                r = read_values(m, s, &service_lists[5], error);
        if (r >= 0)
                r = read_destinations(m, s, error);
        if (r >= 0)
                r = read_values(m, s, &service_lists[1], error);
        if (r >= 0)
                r = read_values(m, s, &service_lists[2], error);
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* the settings of a call in the form its method takes: the tuple (update, addService) or an a{sv} */
static int read_given(sd_bus_message *m, bool tuple, ServiceDef *s, sd_bus_error *error)
{
        return tuple ? read_tuple(m, s, error) : read_settings(m, s, error);
}

/* ---- the change ---- */

/* Whether a zone or policy of the permanent configuration, or another service, names service name */
static const char *service_user(const Zones *z, const ServiceCatalogue *services, const char *name)
{
        _cleanup_free_ char *in_rule = NULL;
        const ZoneConfig *c = &z->permanent;

        if (asprintf(&in_rule, "service name=\"%s\"", name) < 0)
                return "?";
        for (size_t i = 0; i < c->n_zones + c->n_policies; i++) {
                const Zone *zone = i < c->n_zones ? c->zones[i] : &c->policies[i - c->n_zones]->zone;
                if (strlist_contains(&zone->services, name))
                        return zone->name;
                for (size_t k = 0; k < zone->rich_rules.n; k++)
                        if (strstr(zone->rich_rules.items[k], in_rule))
                                return zone->name;
        }
        for (size_t i = 0; i < services->n; i++)
                if (strlist_contains(&services->services[i]->includes, name))
                        return services->services[i]->name;
        return NULL;
}

/* The permanent services with s (taken; NULL: none) in place of the one named old (NULL: none): checked (its
 * includes there, what old was still named by nothing when it goes), the admin's file of it written (none when it
 * is as shipped: shipped), then in force as the permanent configuration's */
static int service_change(Context *c, const char *old, ServiceDef *s, bool shipped, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL, *problems = NULL, *name = s ? strdup(s->name) : NULL;
        Zones *z = c->zones;
        ServiceCatalogue *next = calloc(1, sizeof(ServiceCatalogue));
        const char *user;
        int r = !next || (s && !name) ? -ENOMEM : catalogue_copy(zones_services(z, true), next);

        if (r >= 0 && old && !streq_ptr(old, name)) {
                (void) catalogue_remove(next, old);
                if ((user = service_user(z, next, old)))
                        r = fwd_error(error, "INVALID_SERVICE", "'%s' is used by '%s'", old, user);
        }
        for (size_t i = 0; r >= 0 && s && i < s->includes.n; i++)
                if (!streq(s->includes.items[i], s->name) && !catalogue_find(next, s->includes.items[i]))
                        r = fwd_error(error, "INVALID_SERVICE", "Service '%s': Included service '%s' not found.",
                                      s->name, s->includes.items[i]);
        if (r >= 0 && s) {
                s->admin = !shipped;
                r = catalogue_put(next, TAKE_PTR(s));
        }
        if (r >= 0)
                r = catalogue_resolve(next, &problems);
        if (r >= 0) /* the admin's file: the new definition's (written from its own lists), none when as shipped */
                r = zones_save_service(z, shipped ? name : old, shipped || !name ? NULL : catalogue_find(next, name),
                                       &why);
        service_free(s);
        return fwd_services_permanent_take(c, next, r, why, error);
}

/* A new service's name, as firewalld checks it, and as nftbus's files take it (service_check_name()) */
static int check_new_name(Context *c, const char *name, sd_bus_error *error)
{
        return fwd_check_new_name("service", name, "_-", 64, catalogue_find(zones_services(c->zones, true), name),
                                  error);
}

static void service_freep(ServiceDef **s)
{
        service_free(*s);
}

/* the service of the object called, or firewalld's INVALID_SERVICE */
static const ServiceDef *called_service(Context *c, sd_bus_message *m, sd_bus_error *error)
{
        const ServiceDef *s = fwd_path_service(c, sd_bus_message_get_path(m));

        if (!s)
                (void) fwd_error(error, "INVALID_SERVICE", "%s", sd_bus_message_get_path(m));
        return s;
}

/* s changed into copy (taken): in force, and the object's Updated(name) after the reply */
static int service_update(Context *c, sd_bus_message *m, const ServiceDef *s, ServiceDef *copy, sd_bus_error *error)
{
        _cleanup_free_ char *name = strdup(s->name); /* s goes with the catalogue it was in */
        int r;

        if (!name) {
                service_free(copy);
                return -ENOMEM;
        }
        r = service_change(c, name, copy, false, error);
        return r < 0 ? r : fwd_reply_signalled(c, m, FWD_CONFIG_SERVICE_INTERFACE, "Updated", name);
}

/* a copy of s to change: its own lists, without what it includes */
static int editable(const ServiceDef *s, ServiceDef **ret)
{
        *ret = service_copy(s);
        return *ret ? 0 : -ENOMEM;
}

/* ---- replies of a service's lists ---- */

static int append_list(sd_bus_message *reply, const ServiceList *l, const StrList *values)
{
        int r = sd_bus_message_open_container(reply, 'a', l->args == 2 ? "(ss)" : "s");

        for (size_t i = 0; r >= 0 && i < values->n; i++) {
                const char *v = values->items[i], *slash = strrchr(v, '/');
                if (l->args == 2 && slash) {
                        _cleanup_free_ char *port = strndup(v, (size_t) (slash - v));
                        r = port ? sd_bus_message_append(reply, "(ss)", port, slash + 1) : -ENOMEM;
                } else
                        r = sd_bus_message_append_basic(reply, 's', v);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int append_destinations(sd_bus_message *reply, const ServiceDef *s)
{
        int r = sd_bus_message_open_container(reply, 'a', "{ss}");

        if (r >= 0 && s->destination_v4)
                r = sd_bus_message_append(reply, "{ss}", "ipv4", s->destination_v4);
        if (r >= 0 && s->destination_v6)
                r = sd_bus_message_append(reply, "{ss}", "ipv6", s->destination_v6);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* ---- the methods ---- */

/* getSettings(): firewalld's first form, (version, short, description, ports, modules, destinations,
 * protocols, source ports), of what the service has of its own */
static int method_get_settings(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(service_freep) ServiceDef *own = NULL;
        Context *c = userdata;
        const ServiceDef *s = called_service(c, m, error);
        int r;

        if (!s)
                return -ENOENT;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = editable(s, &own);
        if (r >= 0)
                r = sd_bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'r', "sssa(ss)asa{ss}asa(ss)");
        if (r >= 0)
                r = sd_bus_message_append(reply, "sss", strempty(own->version), strempty(own->short_name),
                                          strempty(own->description));
        if (r >= 0)
                r = append_list(reply, &service_lists[0], &own->ports);
        if (r >= 0)
                r = sd_bus_message_append(reply, "as", 0); /* modules: nftbus's helpers */
        if (r >= 0)
                r = append_destinations(reply, own);
        if (r >= 0)
                r = append_list(reply, &service_lists[1], &own->protocols);
        if (r >= 0)
                r = append_list(reply, &service_lists[2], &own->source_ports);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return call_send_reply(reply, r);
}

/* update(settings), update2(settings): the settings given in place of the service's (update2: the others kept) */
static int method_update(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(service_freep) ServiceDef *copy = NULL;
        Context *c = userdata;
        const ServiceDef *s = called_service(c, m, error);
        bool tuple = streq(sd_bus_message_get_member(m), "update");
        int r;

        if (!s)
                return -ENOENT;
        r = editable(s, &copy);
        if (r >= 0)
                r = read_given(m, tuple, copy, error);
        if (r >= 0)
                r = helpers_known(c, copy, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return service_update(c, m, s, TAKE_PTR(copy), error);
}

/* remove(), rename(name) of the admin's own service (BUILTIN_SERVICE for a shipped one); loadDefaults() of a
 * shipped one changed by the admin (NO_DEFAULTS otherwise): as shipped again */
static int method_lifecycle(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(service_freep) ServiceDef *next = NULL;
        _cleanup_free_ char *old = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *name = NULL;
        const ServiceDef *s = called_service(c, m, error);
        bool defaults = streq(member, "loadDefaults");
        int r;

        if (!s)
                return -ENOENT;
        if (streq(member, "rename")) {
                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                r = check_new_name(c, name, error);
                if (r < 0)
                        return r;
        }
        if (defaults && (!s->shipped || !s->admin))
                return fwd_error(error, "NO_DEFAULTS", s->shipped ? "%s" : "'%s' not a built-in service", s->name);
        if (!defaults && s->shipped)
                return fwd_error(error, "BUILTIN_SERVICE", "'%s' is built-in service", s->name);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!(old = strdup(s->name)))
                return -ENOMEM;
        if (defaults)
                r = zones_service_shipped(c->zones, old, &next);
        else if (name) {
                r = editable(s, &next);
                if (r >= 0)
                        r = free_and_strdup(&next->name, name);
        }
        if (r < 0)
                return r;
        r = service_change(c, old, TAKE_PTR(next), defaults, error);
        if (r < 0)
                return r;
        if (name)
                fwd_object_renamed(sd_bus_message_get_path(m), name); /* the path is the renamed service's still */
        return fwd_reply_signalled(c, m, FWD_CONFIG_SERVICE_INTERFACE,
                                   defaults ? "Updated"
                                   : name   ? "Renamed"
                                            : "Removed",
                                   name ? name : old);
}

/* getVersion(), getShort(), getDescription() ("" when none); setVersion(s), setShort(s), setDescription(s) */
static int method_text(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(service_freep) ServiceDef *copy = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *text = NULL, *field = member + strlen("get"), *key;
        const ServiceDef *s = called_service(c, m, error);
        bool set = startswith(member, "set");
        int r;

        if (!s)
                return -ENOENT;
        if (set && (r = sd_bus_message_read(m, "s", &text)) < 0)
                return r;
        key = streq(field, "Version") ? "version" : streq(field, "Short") ? "short" : "description";
        if (set && (r = check_text(key, text, error)) < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = editable(s, &copy);
        if (r < 0)
                return r;
        if (!set)
                return sd_bus_reply_method_return(m, "s",
                                                  strempty(streq(key, "version") ? copy->version
                                                           : streq(key, "short") ? copy->short_name
                                                                                 : copy->description));
        r = set_text(copy, key, text, error);
        return r < 0 ? r : service_update(c, m, s, TAKE_PTR(copy), error);
}

/* getPorts(), setPorts(ports), addPort(port, protocol), removePort, queryPort; the same of Protocol, SourcePort,
 * Include, Helper: what the service has of its own */
static int method_list(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(service_freep) ServiceDef *copy = NULL;
        _cleanup_free_ char *canonical = NULL, *shown = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *args[2] = { "", "" }, *noun = NULL;
        const ServiceDef *s = called_service(c, m, error);
        const ServiceList *l = NULL;
        int r;

        if (!s)
                return -ENOENT;
        static const char *const ops[] = { "get", "set", "add", "remove", "query" };
        size_t op = 0;
        for (; op < ELEMENTSOF(ops) && !(noun = startswith(member, ops[op])); op++)
                ;
        for (size_t i = 0; noun && i < ELEMENTSOF(service_lists); i++) {
                size_t n = strlen(service_lists[i].noun);
                if (strncmp(noun, service_lists[i].noun, n) == 0 && streq(noun + n, op < 2 ? "s" : ""))
                        l = &service_lists[i];
        }
        if (!l)
                return -EINVAL; /* the table below has no other */
        r = editable(s, &copy);
        if (r < 0)
                return r;
        StrList *values = list_of(copy, l);
        if (op == 1) { /* set: the list anew, each value checked */
                _cleanup_(service_freep) ServiceDef *fresh = NULL;
                r = editable(s, &fresh);
                if (r >= 0) {
                        strlist_done(list_of(fresh, l));
                        if (l == &service_lists[0])
                                strlist_done(&fresh->protocols);
                        r = read_values(m, fresh, l, error);
                }
                if (r >= 0)
                        r = helpers_known(c, fresh, error);
                if (r < 0)
                        return r;
                service_free(copy);
                copy = TAKE_PTR(fresh);
        } else if (op >= 2) {
                r = l->args == 2 ? sd_bus_message_read(m, "ss", &args[0], &args[1])
                                 : sd_bus_message_read(m, "s", &args[0]);
                if (r < 0)
                        return r;
                if (asprintf(&shown, l->args == 2 ? "%s:%s" : "%s%s", args[0], l->args == 2 ? args[1] : "") < 0)
                        return -ENOMEM;
                if (op == 2) { /* add: checked, ALREADY_ENABLED when there */
                        r = list_add(copy, l, args, error);
                        if (r == 0)
                                return fwd_error(error, "ALREADY_ENABLED", "%s", shown);
                        if (r > 0)
                                r = helpers_known(c, copy, error);
                        if (r < 0)
                                return r;
                } else if (l->args == 2) {
                        /* "": no such port (never there), or a port of "" (its protocol's) */
                        if (check_pair(copy, l, args[0], args[1], &canonical, NULL) < 0 || !canonical)
                                free_and_strdup(&canonical, "");
                        if (!canonical)
                                return -ENOMEM;
                } else if (!(canonical = strdup(args[0])))
                        return -ENOMEM;
        }
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        values = list_of(copy, l);
        if (op == 0) {
                r = sd_bus_message_new_method_return(m, &reply);
                if (r >= 0)
                        r = append_list(reply, l, values);
                return call_send_reply(reply, r);
        }
        bool there = op >= 3 && canonical &&
                     (*canonical ? strlist_contains(values, canonical)
                                 : l == &service_lists[0] && !*args[0] && strlist_contains(&copy->protocols, args[1]));
        if (op == 4)
                return sd_bus_reply_method_return(m, "b", there);
        if (op == 3) {
                if (!there)
                        return fwd_error(error, "NOT_ENABLED", "%s", shown);
                (void) strlist_remove(*canonical ? values : &copy->protocols, *canonical ? canonical : args[1]);
        }
        return service_update(c, m, s, TAKE_PTR(copy), error);
}

/* getDestinations(), setDestinations(a{ss}), getDestination(family), setDestination(family, address),
 * removeDestination(family), queryDestination(family, address) */
static int method_destination(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(service_freep) ServiceDef *copy = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *family = NULL, *address = NULL;
        const ServiceDef *s = called_service(c, m, error);
        int r;

        if (!s)
                return -ENOENT;
        r = editable(s, &copy);
        if (r < 0)
                return r;
        if (streq(member, "setDestinations"))
                r = read_destinations(m, copy, error);
        else if (IN_SET_STR(member, "getDestination", "removeDestination"))
                r = sd_bus_message_read(m, "s", &family);
        else if (IN_SET_STR(member, "setDestination", "queryDestination"))
                r = sd_bus_message_read(m, "ss", &family, &address);
        if (r < 0)
                return r;
        /* the one family named (NULL: none of the two) */
        char **slot = !family || streq(member, "setDestinations") ? NULL
                      : streq(family, "ipv4")                     ? &copy->destination_v4
                      : streq(family, "ipv6")                     ? &copy->destination_v6
                                                                  : NULL;
        if (family && !slot && IN_SET_STR(member, "setDestination", "getDestination", "removeDestination"))
                return fwd_error(error, streq(member, "setDestination") ? "INVALID_DESTINATION" : "NOT_ENABLED",
                                 streq(member, "setDestination") ? "'%s' not in {'ipv4'|'ipv6'}" : "%s", family);
        if (streq(member, "setDestination") && *slot && streq(*slot, address))
                return fwd_error(error, "ALREADY_ENABLED", "'%s': '%s'", family, address);
        if (streq(member, "setDestination") && (r = destination_set(copy, family, address, error)) < 0)
                return r;
        if (IN_SET_STR(member, "getDestination", "removeDestination") && !*slot)
                return fwd_error(error, "NOT_ENABLED", "%s", family);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (streq(member, "getDestinations")) {
                r = sd_bus_message_new_method_return(m, &reply);
                if (r >= 0)
                        r = append_destinations(reply, copy);
                return call_send_reply(reply, r);
        }
        if (streq(member, "getDestination"))
                return sd_bus_reply_method_return(m, "s", *slot);
        if (streq(member, "queryDestination"))
                return sd_bus_reply_method_return(m, "b", slot && *slot && streq(*slot, address));
        if (streq(member, "removeDestination"))
                *slot = mfree(*slot);
        return service_update(c, m, s, TAKE_PTR(copy), error);
}

/* config's addService(name, settings), addService2(name, settings): a new service of the admin's, its object's
 * path, and config's ServiceAdded(name) */
int fwd_method_add_service(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(service_freep) ServiceDef *s = NULL;
        _cleanup_free_ char *copy = NULL;
        Context *c = userdata;
        bool tuple = streq(sd_bus_message_get_member(m), "addService");
        const char *name;
        FILE *f;
        int r = sd_bus_message_read(m, "s", &name);

        if (r < 0)
                return r;
        r = check_new_name(c, name, error);
        if (r < 0)
                return r;
        f = fmemopen((void *) "\n", 1, "r"); /* an empty definition, the settings then */
        if (!f)
                return -ENOMEM;
        r = service_parse(name, NULL, f, &s, NULL);
        fclose(f);
        if (r >= 0)
                r = read_given(m, tuple, s, error);
        if (r >= 0)
                r = helpers_known(c, s, error);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!(copy = strdup(name)))
                return -ENOMEM;
        r = service_change(c, NULL, TAKE_PTR(s), false, error);
        return r < 0 ? r : fwd_reply_added(c, m, FWD_KIND_SERVICE, copy, "ServiceAdded");
}

/* name, filename, path: the file it is read from; builtin: shipped; default: and the admin's directory has none in
 * its place */
static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const ServiceDef *s = fwd_path_service(c, path);
        _cleanup_free_ char *dir = NULL, *file = NULL;

        if (!s)
                return fwd_error(error, "INVALID_SERVICE", "%s", path);
        if (streq(property, "name"))
                return sd_bus_message_append(reply, "s", s->name);
        if (streq(property, "builtin"))
                return sd_bus_message_append(reply, "b", s->shipped);
        if (streq(property, "default"))
                return sd_bus_message_append(reply, "b", s->shipped && !s->admin);
        if (streq(property, "path"))
                return zones_service_directory(c->zones, s, &dir) < 0 ? -ENOMEM
                                                                      : sd_bus_message_append(reply, "s", dir);
        if (asprintf(&file, "%s%s", s->name, zones_file_suffix(c->zones, ".service")) < 0)
                return -ENOMEM;
        return sd_bus_message_append(reply, "s", file); /* filename */
}

const FwdMember fwd_config_service_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "getSettings", method_get_settings },
        { "getSettings2", fwd_method_service_settings },
        { "update", method_update },
        { "update2", method_update },
        { "loadDefaults", method_lifecycle },
        { "remove", method_lifecycle },
        { "rename", method_lifecycle },
        { "getVersion", method_text },
        { "setVersion", method_text },
        { "getShort", method_text },
        { "setShort", method_text },
        { "getDescription", method_text },
        { "setDescription", method_text },
        FWD_LIST_MEMBERS(method_list, "Port"),
        { "setPorts", method_list },
        FWD_LIST_MEMBERS(method_list, "Protocol"),
        { "setProtocols", method_list },
        FWD_LIST_MEMBERS(method_list, "SourcePort"),
        { "setSourcePorts", method_list },
        FWD_LIST_MEMBERS(method_list, "Include"),
        { "setIncludes", method_list },
        { "getDestinations", method_destination },
        { "setDestinations", method_destination },
        { "getDestination", method_destination },
        { "setDestination", method_destination },
        { "removeDestination", method_destination },
        { "queryDestination", method_destination },
        {},
};
