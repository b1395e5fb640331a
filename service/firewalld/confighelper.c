/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.fedoraproject.FirewallD1.config.helper on /org/fedoraproject/FirewallD1/config/helper/N: firewalld's conntrack
 * helpers, each as nftbus knows it (core/zonespec.c has firewalld's 13), read only. A change answers NOT_SUPPORTED
 * (the dispatcher's, firewalld/shared.c): a helper is a kernel module's, named by a service, attached by a zone that
 * has the service; nftbus takes no custom ones. The main interface's getHelperSettings gives the same settings. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "firewalld/firewalld.h"

/* its ports: a(ss), (port, protocol) */
static int append_ports(sd_bus_message *reply, const ZoneHelper *h)
{
        int r = sd_bus_message_open_container(reply, 'a', "(ss)");

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(h->ports) && h->ports[i]; i++) {
                const char *slash = strchr(h->ports[i], '/');
                char port[sizeof("65535-65535")];
                snprintf(port, sizeof(port), "%.*s", (int) (slash - h->ports[i]), h->ports[i]);
                r = sd_bus_message_append(reply, "(ss)", port, slash + 1);
        }
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (version, short, description, family, module, ports): no version, short name or description (firewalld's files
 * have none) */
int fwd_append_helper(sd_bus_message *reply, const char *name)
{
        const ZoneHelper *h = zone_helper_find(name);
        int r;

        if (!h)
                return -ENOENT;
        r = sd_bus_message_open_container(reply, 'r', "sssssa(ss)");
        if (r >= 0)
                r = sd_bus_message_append(reply, "sssss", "", "", "", h->family, h->module);
        if (r >= 0)
                r = append_ports(reply, h);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

static bool has_port(const ZoneHelper *h, const char *port, const char *protocol)
{
        char wanted[sizeof("65535-65535/sctp")];
        int n = snprintf(wanted, sizeof(wanted), "%s/%s", port, protocol);

        for (size_t i = 0; n > 0 && (size_t) n < sizeof(wanted) && i < ELEMENTSOF(h->ports) && h->ports[i]; i++)
                if (streq(h->ports[i], wanted))
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
        const char *member = sd_bus_message_get_member(m), *args[2] = {},
                   *name = fwd_object_name(c, FWD_KIND_HELPER, sd_bus_message_get_path(m));
        const ZoneHelper *h = name ? zone_helper_find(name) : NULL;
        int r = 0;

        if (!h)
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
                r = fwd_append_helper(reply, name);
        else if (streq(member, "getPorts"))
                r = append_ports(reply, h);
        else if (args[0])
                r = sd_bus_message_append(reply, "b",
                                          streq(member, "queryFamily")   ? streq(args[0], h->family)
                                          : streq(member, "queryModule") ? streq(args[0], h->module)
                                                                         : has_port(h, args[0], args[1]));
        else
                r = sd_bus_message_append(reply, "s",
                                          streq(member, "getFamily")   ? h->family
                                          : streq(member, "getModule") ? h->module
                                                                       : ""); /* version, short, description */
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
