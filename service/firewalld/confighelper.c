/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.fedoraproject.FirewallD1.config.helper on /org/fedoraproject/FirewallD1/config/helper/N: the conntrack helpers
 * a service may name (core/helperspec.h): firewalld's 13, built in, and the admin's, in its helpers/ folder. Read,
 * made (config's addHelper), changed (a built-in one changed becomes the admin's over it), renamed and removed as
 * firewalld does, each change permanent: in force at the next reload, as a service's. The main interface's
 * getHelperSettings gives the same settings. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "auth/polkit.h"
#include "core/helperspec.h"
#include "core/ipsetspec.h"
#include "state/zones.h"
#include "common/util.h"
#include "firewalld/firewalld.h"

/* its ports: a(ss), (port, protocol) */
static int append_ports(sd_bus_message *reply, const ServiceCatalogue *services, const char *name)
{
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");
        const char *port;

        for (size_t i = 0; r >= 0 && (port = catalogue_helper_port(services, name, i)); i++) {
                const char *slash = strchr(port, '/');
                char number[sizeof("65535-65535")];
                snprintf(number, sizeof(number), "%.*s", (int) (slash - port), port);
                r = sd_bus_message_append(reply, "(ss)", number, slash + 1);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (version, short, description, family, module, ports): firewalld's own have no version, short name or
 * description */
int fwd_append_helper(sd_bus_message *reply, const ServiceCatalogue *services, const char *name)
{
        HelperView h;
        int r = catalogue_helper_view(services, name, &h);

        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'r', "sssssa(ss)");
        if (r >= 0)
                r = sd_bus_message_append(reply, "sssss", h.version, h.short_name, h.description, h.family, h.module);
        if (r >= 0)
                r = append_ports(reply, services, name);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static bool has_port(const ServiceCatalogue *services, const char *name, const char *port, const char *protocol)
{
        char wanted[sizeof("65535-65535/sctp")];
        int n = snprintf(wanted, sizeof(wanted), "%s/%s", port, protocol);
        const char *p;

        for (size_t i = 0; n > 0 && (size_t) n < sizeof(wanted) && (p = catalogue_helper_port(services, name, i)); i++)
                if (streq(p, wanted))
                        return true;
        return false;
}

/* getSettings, and each field of it: getVersion, getShort, getDescription, getFamily, getModule, getPorts;
 * queryFamily(family), queryModule(module), queryPort(port, protocol): whether it is the helper's, as firewalld
 * answers them (anything else is not) */
static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        Context *c = userdata;
        const ServiceCatalogue *services = zones_services(c->zones, true);
        const char *member = sd_bus_message_get_member(m), *args[2] = {},
                   *name = fwd_object_name(c, FWD_KIND_HELPER, sd_bus_message_get_path(m));
        HelperView h;
        int r = 0;

        if (!name || catalogue_helper_view(services, name, &h) < 0)
                return fwd_error(error, "INVALID_HELPER", "%s", sd_bus_message_get_path(m));
        if (startswith(member, "query"))
                r = sd_bus_message_read(m, "s", &args[0]);
        if (r >= 0 && streq(member, "queryPort"))
                r = sd_bus_message_read(m, "s", &args[1]);
        if (r < 0)
                return r;
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r < 0)
                return r;
        if (streq(member, "getSettings"))
                r = fwd_append_helper(reply, services, name);
        else if (streq(member, "getPorts"))
                r = append_ports(reply, services, name);
        else if (args[0])
                r = sd_bus_message_append(reply, "b",
                                          streq(member, "queryFamily")   ? streq(args[0], h.family)
                                          : streq(member, "queryModule") ? streq(args[0], h.module)
                                                                         : has_port(services, name, args[0], args[1]));
        else
                r = sd_bus_message_append(reply, "s",
                                          streq(member, "getFamily")    ? h.family
                                          : streq(member, "getModule")  ? h.module
                                          : streq(member, "getVersion") ? h.version
                                          : streq(member, "getShort")   ? h.short_name
                                                                        : h.description);
        return r < 0 ? r : sd_bus_message_send(reply);
}

/* ---- changes: an admin's helper made, changed, renamed or removed, in force at the next reload ---- */

/* A helper's settings as firewalld's API has them: (version, short, description, family, module, ports) */
typedef struct Fields {
        const char *version, *short_name, *description, *family, *module;
        StrList ports; /* "2121/tcp" */
} Fields;

static void fields_done(Fields *f)
{
        strlist_done(&f->ports);
}

/* the settings of the helper of that name now (its strings the catalogue's) */
static int fields_of(const ServiceCatalogue *services, const char *name, Fields *ret)
{
        HelperView h;
        const char *port;
        int r = catalogue_helper_view(services, name, &h);

        *ret = (Fields){ h.version, h.short_name, h.description, h.family, h.module };
        for (size_t i = 0; r >= 0 && (port = catalogue_helper_port(services, name, i)); i++)
                r = strlist_add(&ret->ports, port) < 0 ? -ENOMEM : 0;
        return r;
}

/* PORT/PROTOCOL of a(ss)'s two strings, checked as firewalld checks a helper's, in its words (a protocol its helper
 * does not follow is refused with the rest: helper_of_fields()) */
static int join_port(const char *port, const char *protocol, char **ret, sd_bus_error *error)
{
        _cleanup_free_ char *joined = NULL;
        const char *p = port;

        if (!IN_SET_STR(protocol, "tcp", "udp", "sctp", "dccp"))
                return fwd_error(error, "INVALID_PROTOCOL", "'%s' not in {'tcp'|'udp'|'sctp'|'dccp'}", protocol);
        if (asprintf(&joined, "%s/%s", port, protocol) < 0)
                return -ENOMEM;
        if (zone_check_port(joined, ret, NULL) >= 0)
                return 0;
        while (*p && (!isdigit((unsigned char) *p) || strtoul(p, NULL, 10) <= 65535))
                p += strspn(p, "0123456789") + !isdigit((unsigned char) *p);
        return fwd_error(error, "INVALID_PORT", *p ? "port number in '%s' is too big" : "'%s' is invalid port range",
                         port);
}

/* The helper name of fields f, checked as firewalld checks them, in its codes; then as nftbus's file reader takes
 * it (helper_parse(): a module the kernel has a helper of, each port on a protocol that helper follows) */
static int helper_of_fields(const char *name, const Fields *f, HelperDef **ret, sd_bus_error *error)
{
        _cleanup_free_ char *text = NULL, *why = NULL;
        const char *texts[][2] = { { "version", f->version },
                                   { "short", f->short_name },
                                   { "description", f->description } };
        const char *code = NULL;
        size_t size = 0;
        FILE *stream;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(texts); i++)
                if (ipset_check_text(texts[i][0], texts[i][1], &code, &why) < 0)
                        return why ? fwd_error(error, code, "%s", why) : -ENOMEM;
        if (!IN_SET_STR(f->family, "", "ipv4", "ipv6"))
                return fwd_error(error, "INVALID_IPV", "'%s' not in '['ipv4', 'ipv6']'", f->family);
        if (!startswith(f->module, HELPER_MODULE_PREFIX))
                return fwd_error(error, "INVALID_MODULE", "'%s' does not start with 'nf_conntrack_'", f->module);
        if (!helper_module_known(f->module))
                return fwd_error(error, "INVALID_MODULE", "'%s': not one of the kernel's conntrack helpers",
                                 f->module);
        for (size_t i = 0; i < f->ports.n; i++) {
                const char *protocol = strchr(f->ports.items[i], '/') + 1;
                if (!helper_module_type(f->module, protocol))
                        return fwd_error(error, "INVALID_PROTOCOL", "'%s': the kernel's helper of %s follows no %s",
                                         f->ports.items[i], f->module, protocol);
        }
        stream = open_memstream(&text, &size);
        if (!stream)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(texts); i++)
                if (*texts[i][1])
                        fprintf(stream, "%s=%s\n", texts[i][0], texts[i][1]);
        fprintf(stream, "module=%s\nfamily=%s\n", f->module, f->family);
        for (size_t i = 0; i < f->ports.n; i++)
                fprintf(stream, "port=%s\n", f->ports.items[i]);
        if (fclose(stream) != 0 || !(stream = fmemopen(text, size, "r")))
                return -ENOMEM;
        why = mfree(why);
        r = helper_parse(name, NULL, stream, ret, &why);
        fclose(stream);
        return r == -EINVAL ? fwd_error(error, "INVALID_HELPER", "%s", why ? why : name) : r;
}

/* (version, short, description, family, module, ports) at m's position into f (its strings m's) */
static int read_fields(sd_bus_message *m, Fields *f, sd_bus_error *error)
{
        const char *port, *protocol;
        int r = sd_bus_message_enter_container(m, 'r', "sssssa(ss)");

        *f = (Fields){};
        if (r >= 0)
                r = sd_bus_message_read(m, "sssss", &f->version, &f->short_name, &f->description, &f->family,
                                        &f->module);
        if (r >= 0)
                r = sd_bus_message_enter_container(m, 'a', "(ss)");
        while (r >= 0 && (r = sd_bus_message_read(m, "(ss)", &port, &protocol)) > 0) {
                _cleanup_free_ char *joined = NULL;
                r = join_port(port, protocol, &joined, error);
                if (r >= 0 && strlist_add(&f->ports, joined) < 0)
                        r = -ENOMEM;
        }
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* the service that names helper name in services (NULL: none) */
static const char *helper_user(const ServiceCatalogue *services, const char *name)
{
        for (size_t i = 0; i < services->n; i++)
                if (strlist_contains(&services->services[i]->helpers, name))
                        return services->services[i]->name;
        return NULL;
}

/* The permanent catalogue with h (taken; NULL: none) in place of the admin's helper named old (NULL: none): a
 * helper that goes while a service names it stays (INVALID_HELPER); the admin's files written (old's removed),
 * then in force as the permanent configuration's */
static int helper_change(Context *c, const char *old, HelperDef *h, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;
        ServiceCatalogue *next = calloc(1, sizeof(ServiceCatalogue));
        const char *name = h ? h->name : NULL, *user;
        int r = next ? catalogue_copy(zones_services(c->zones, true), next) : -ENOMEM;

        if (r >= 0 && old && !streq_ptr(old, name)) {
                (void) catalogue_remove_helper(next, old);
                if (!catalogue_helper_known(next, old) && (user = helper_user(next, old)))
                        r = fwd_error(error, "INVALID_HELPER", "'%s' is used by '%s'", old, user);
        }
        if (r >= 0 && h)
                r = catalogue_put_helper(next, TAKE_PTR(h));
        if (r >= 0)
                r = zones_save_helper(c->zones, old, name ? catalogue_find_helper(next, name) : NULL, &why);
        helper_free(h);
        return fwd_services_permanent_take(c, next, r, why, error);
}

/* The helper name of fields f made (checked as firewalld, then as nftbus, checks it), then polkit asked: > 0 with
 * *ret the helper to put in place, else what the check or polkit answered */
static int helper_authorized(Context *c, sd_bus_message *m, const char *name, const Fields *f, HelperDef **ret,
                             sd_bus_error *error)
{
        HelperDef *h = NULL;
        int r = helper_of_fields(name, f, &h, error);

        if (r >= 0)
                r = fwd_check(c, m, error);
        if (r <= 0) {
                helper_free(h);
                return r;
        }
        *ret = h;
        return r;
}

/* update(settings); setVersion, setShort, setDescription, setFamily, setModule (ALREADY_ENABLED: the same),
 * setPorts, addPort (ALREADY_ENABLED: there), removePort (NOT_ENABLED: not there): the helper with them, the admin's
 * (a built-in one changed is the admin's over it, as firewalld's /etc file) */
static int method_change(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(fields_done) Fields f = {};
        HelperDef *h = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *value = NULL, *port = NULL,
                   *name = fwd_object_name(c, FWD_KIND_HELPER, sd_bus_message_get_path(m));
        _cleanup_free_ char *joined = NULL, *copy = name ? strdup(name) : NULL;
        int r;

        if (!name)
                return fwd_error(error, "INVALID_HELPER", "%s", sd_bus_message_get_path(m));
        if (!copy)
                return -ENOMEM;
        if (streq(member, "update"))
                r = read_fields(m, &f, error);
        else
                r = fields_of(zones_services(c->zones, true), name, &f);
        if (r >= 0 && IN_SET_STR(member, "addPort", "removePort")) {
                r = sd_bus_message_read(m, "ss", &port, &value);
                if (r >= 0)
                        r = join_port(port, value, &joined, error);
                if (r >= 0 && strlist_contains(&f.ports, joined) == streq(member, "addPort"))
                        r = fwd_error(error, streq(member, "addPort") ? "ALREADY_ENABLED" : "NOT_ENABLED", "%s:%s",
                                      port, value);
                if (r >= 0)
                        r = streq(member, "addPort") ? (strlist_add(&f.ports, joined) < 0 ? -ENOMEM : 0)
                                                     : (strlist_remove(&f.ports, joined), 0);
        } else if (r >= 0 && streq(member, "setPorts")) {
                strlist_done(&f.ports);
                r = sd_bus_message_enter_container(m, 'a', "(ss)");
                while (r >= 0 && (r = sd_bus_message_read(m, "(ss)", &port, &value)) > 0) {
                        joined = mfree(joined);
                        r = join_port(port, value, &joined, error);
                        if (r >= 0 && strlist_add(&f.ports, joined) < 0)
                                r = -ENOMEM;
                }
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        } else if (r >= 0 && startswith(member, "set")) {
                const char **field = streq(member, "setVersion")  ? &f.version
                                     : streq(member, "setShort")  ? &f.short_name
                                     : streq(member, "setFamily") ? &f.family
                                     : streq(member, "setModule") ? &f.module
                                                                  : &f.description;
                r = sd_bus_message_read(m, "s", &value);
                if (r >= 0 && IN_SET_STR(member, "setFamily", "setModule") && streq(*field, value))
                        r = fwd_error(error, "ALREADY_ENABLED", "'%s'", value);
                *field = value;
        }
        if (r >= 0)
                r = helper_authorized(c, m, name, &f, &h, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        r = helper_change(c, copy, h, error);
        return r < 0 ? r : fwd_reply_signalled(c, m, FWD_CONFIG_HELPER_INTERFACE, "Updated", copy);
}

/* A new helper's name, as firewalld checks it, and as nftbus's files take it (helper_check_name()) */
static int check_new_name(Context *c, const char *name, sd_bus_error *error)
{
        return fwd_check_new_name("helper", name, "-.", HELPER_NAME_MAX,
                                  catalogue_helper_known(zones_services(c->zones, true), name), error);
}

/* remove(), rename(name) of the admin's own helper (BUILTIN_HELPER for a built-in one, or one over it);
 * loadDefaults() of a built-in one changed by the admin (NO_DEFAULTS otherwise): as built in again */
static int method_lifecycle(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *name = NULL,
                   *old = fwd_object_name(c, FWD_KIND_HELPER, sd_bus_message_get_path(m));
        const ServiceCatalogue *services = zones_services(c->zones, true);
        bool defaults = streq(member, "loadDefaults"), builtin = old && zone_helper_find(old);
        const HelperDef *admin = old ? catalogue_find_helper(services, old) : NULL;
        _cleanup_free_ char *gone = old ? strdup(old) : NULL;
        HelperDef *next = NULL;
        int r;

        if (!old)
                return fwd_error(error, "INVALID_HELPER", "%s", sd_bus_message_get_path(m));
        if (!gone)
                return -ENOMEM;
        if (streq(member, "rename")) {
                r = sd_bus_message_read(m, "s", &name);
                if (r >= 0)
                        r = check_new_name(c, name, error);
                if (r < 0)
                        return r;
        }
        if (defaults && (!builtin || !admin))
                return fwd_error(error, "NO_DEFAULTS", builtin ? "%s" : "'%s' not a built-in helper", old);
        if (!defaults && builtin)
                return fwd_error(error, "BUILTIN_HELPER", "'%s' is built-in helper", old);
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (name) {
                next = helper_copy(admin);
                if (!next || free_and_strdup(&next->name, name) < 0) {
                        helper_free(next);
                        return -ENOMEM;
                }
        }
        r = helper_change(c, gone, next, error);
        if (r < 0)
                return r;
        if (name)
                fwd_object_renamed(sd_bus_message_get_path(m), name); /* the path is the renamed helper's still */
        return fwd_reply_signalled(c, m, FWD_CONFIG_HELPER_INTERFACE,
                                   defaults ? "Updated"
                                   : name   ? "Renamed"
                                            : "Removed",
                                   name ? name : gone);
}

/* config's addHelper(name, settings): the admin's new helper, its object's path; HelperAdded(name) after */
int fwd_method_add_helper(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(fields_done) Fields f = {};
        _cleanup_free_ char *copy = NULL;
        Context *c = userdata;
        HelperDef *h = NULL;
        const char *name;
        int r = sd_bus_message_read(m, "s", &name);

        if (r >= 0)
                r = check_new_name(c, name, error);
        if (r >= 0)
                r = read_fields(m, &f, error);
        if (r >= 0)
                r = helper_authorized(c, m, name, &f, &h, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (!(copy = strdup(name))) {
                helper_free(h);
                return -ENOMEM;
        }
        r = helper_change(c, NULL, h, error);
        return r < 0 ? r : fwd_reply_added(c, m, FWD_KIND_HELPER, copy, "HelperAdded");
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return fwd_builtin_property(userdata, FWD_KIND_HELPER, path, property, reply, error);
}

const FwdMember fwd_config_helper_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "getSettings", method_read },
        { "getVersion", method_read },
        { "getShort", method_read },
        { "getDescription", method_read },
        { "getFamily", method_read },
        { "queryFamily", method_read },
        { "getModule", method_read },
        { "queryModule", method_read },
        { "getPorts", method_read },
        { "queryPort", method_read },
        { "update", method_change },
        { "setVersion", method_change },
        { "setShort", method_change },
        { "setDescription", method_change },
        { "setFamily", method_change },
        { "setModule", method_change },
        { "setPorts", method_change },
        { "addPort", method_change },
        { "removePort", method_change },
        { "loadDefaults", method_lifecycle },
        { "remove", method_lifecycle },
        { "rename", method_lifecycle },
        {},
};
