/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.fedoraproject.FirewallD1.config.helper on /org/fedoraproject/FirewallD1/config/helper/N: the conntrack helpers
 * a service may name (core/helperspec.h): firewalld's 13, built in, and the admin's, read from its helpers/ folder.
 * Read here; a change answers NOT_SUPPORTED (the dispatcher's, firewalld/shared.c). The main interface's
 * getHelperSettings gives the same settings. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth/polkit.h"
#include "core/helperspec.h"
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
        {},
};
