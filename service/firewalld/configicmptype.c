/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.fedoraproject.FirewallD1.config.icmptype on /org/fedoraproject/FirewallD1/config/icmptype/N: firewalld's ICMP
 * types, each as nftbus knows it (core/zonespec.c has all of firewalld's), read only. A change answers
 * NOT_SUPPORTED (the dispatcher's, firewalld/shared.c): an ICMP type is the kernel's, named by a zone's ICMP
 * blocks; nftbus takes no custom ones. The main interface's getIcmpTypeSettings gives the same settings. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "firewalld/firewalld.h"

/* its short name: its words ("host-redirect": "Host Redirect") */
static char *short_name_of(const char *name)
{
        char *short_name = strdup(name);

        for (char *s = short_name; s && *s; s++)
                if (*s == '-')
                        *s = ' ';
                else if (s == short_name || s[-1] == ' ')
                        *s = (char) (*s - 'a' + 'A');
        return short_name;
}

/* its families, "ipv4" and "ipv6" (firewalld's destinations) */
static int append_destinations(sd_bus_message *reply, int families)
{
        int r = sd_bus_message_open_container(reply, 'a', "s");

        if (r >= 0 && (families & ZONE_ICMP_IPV4))
                r = sd_bus_message_append(reply, "s", "ipv4");
        if (r >= 0 && (families & ZONE_ICMP_IPV6))
                r = sd_bus_message_append(reply, "s", "ipv6");
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* (version, short, description, destinations): no version, no description */
int fwd_append_icmp_type(sd_bus_message *reply, const char *name)
{
        _cleanup_free_ char *short_name = NULL;
        int families = zone_icmp_type_families(name), r;

        if (!families)
                return -ENOENT;
        short_name = short_name_of(name);
        if (!short_name)
                return -ENOMEM;
        r = sd_bus_message_open_container(reply, 'r', "sssas");
        if (r >= 0)
                r = sd_bus_message_append(reply, "sss", "", short_name, "");
        if (r >= 0)
                r = append_destinations(reply, families);
        return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* getSettings, and each field of it: getVersion, getShort, getDescription, getDestinations; queryDestination(family):
 * whether it is one of them, as firewalld answers it (anything else is not) */
static int method_read(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *short_name = NULL;
        Context *c = userdata;
        const char *member = sd_bus_message_get_member(m), *family = NULL,
                   *name = fwd_object_name(c, FWD_KIND_ICMPTYPE, sd_bus_message_get_path(m));
        int families, r;

        if (!name)
                return fwd_error(error, "INVALID_ICMPTYPE", "%s", sd_bus_message_get_path(m));
        if (streq(member, "queryDestination")) {
                r = sd_bus_message_read(m, "s", &family);
                if (r < 0)
                        return r;
        }
        r = fwd_check(c, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        families = zone_icmp_type_families(name);
        r = sd_bus_message_new_method_return(m, &reply);
        if (r < 0)
                return r;
        if (streq(member, "getSettings"))
                r = fwd_append_icmp_type(reply, name);
        else if (streq(member, "getDestinations"))
                r = append_destinations(reply, families);
        else if (family)
                r = sd_bus_message_append(reply, "b",
                                          (streq(family, "ipv4") && (families & ZONE_ICMP_IPV4)) ||
                                                  (streq(family, "ipv6") && (families & ZONE_ICMP_IPV6)));
        else if (streq(member, "getShort"))
                r = (short_name = short_name_of(name)) ? sd_bus_message_append(reply, "s", short_name) : -ENOMEM;
        else /* getVersion, getDescription */
                r = sd_bus_message_append(reply, "s", "");
        return r < 0 ? r : sd_bus_message_send(reply);
}

static int property_get(sd_bus *bus _unused_, const char *path, const char *interface _unused_, const char *property,
                        sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return fwd_builtin_property(userdata, FWD_KIND_ICMPTYPE, path, property, reply, error);
}

const FwdMember fwd_config_icmptype_members[] = {
        { FWD_EVERY_PROPERTY, .get = property_get },
        { "getSettings", method_read },
        { "getVersion", method_read },
        { "getShort", method_read },
        { "getDescription", method_read },
        { "getDestinations", method_read },
        { "queryDestination", method_read },
        {},
};
