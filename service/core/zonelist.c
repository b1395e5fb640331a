/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/zonelist.h"

static int check_interface(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical _unused_,
                           char **ret_why)
{
        return validate_ifname(text, ret_why);
}

static int check_source(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical,
                        char **ret_why)
{
        return zone_check_zone_source(text, ret_canonical, ret_why);
}

static int check_service(const char *text, const ServiceCatalogue *services, char **ret_canonical _unused_,
                         char **ret_why)
{
        if (services && catalogue_find(services, text))
                return 0;
        return why_value(ret_why, "Unknown %s '%s': not in the catalogue of services", "service", text);
}

static int check_port(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical,
                      char **ret_why)
{
        return zone_check_port(text, ret_canonical, ret_why);
}

static int check_protocol(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical _unused_,
                          char **ret_why)
{
        return zone_check_protocol(text, ret_why);
}

static int check_forward_port(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical,
                              char **ret_why)
{
        return zone_check_forward_port(text, ret_canonical, ret_why);
}

static int check_icmp_block(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical _unused_,
                            char **ret_why)
{
        return zone_check_icmp_type(text, ret_why);
}

static int check_rich_rule(const char *text, const ServiceCatalogue *services _unused_, char **ret_canonical,
                           char **ret_why)
{
        return zone_check_rich_rule(text, ret_canonical, ret_why);
}

/* clang-format off */
#define KIND(k, noun_, key, field, check_, binding_, fwd_key_, invalid, args, timeout)                                 \
        [k] = { .noun = noun_, .file_key = key, .offset = offsetof(Zone, field), .check = check_,                       \
                .binding = binding_, .fwd_key = fwd_key_, .fwd_invalid = invalid, .fwd_args = args,                    \
                .fwd_timeout = timeout }
const ZoneListType zone_list_types[_ZONE_LIST_MAX] = {
        KIND(ZONE_LIST_INTERFACE,    "Interface",   "interface",    interfaces,    check_interface,    true,  "interfaces",    "INVALID_INTERFACE", 1, false),
        KIND(ZONE_LIST_SOURCE,       "Source",      "source",       sources,       check_source,       true,  "sources",       "INVALID_ADDR",      1, false),
        KIND(ZONE_LIST_SERVICE,      "Service",     "service",      services,      check_service,      false, "services",      "INVALID_SERVICE",   1, true),
        KIND(ZONE_LIST_PORT,         "Port",        "port",         ports,         check_port,         false, "ports",         "INVALID_PORT",      2, true),
        KIND(ZONE_LIST_PROTOCOL,     "Protocol",    "protocol",     protocols,     check_protocol,     false, "protocols",     "INVALID_PROTOCOL",  1, true),
        KIND(ZONE_LIST_FORWARD_PORT, "ForwardPort", "forward-port", forward_ports, check_forward_port, false, "forward_ports", "INVALID_FORWARD",   4, true),
        KIND(ZONE_LIST_ICMP_BLOCK,   "IcmpBlock",   "icmp-block",   icmp_blocks,   check_icmp_block,   false, "icmp_blocks",   "INVALID_ICMPTYPE",  1, true),
        KIND(ZONE_LIST_RICH_RULE,    "RichRule",    "rule",         rich_rules,    check_rich_rule,    false, "rules_str",     "INVALID_RULE",      1, true),
};
/* clang-format on */

int zone_list_check(ZoneListKind k, const char *text, const ServiceCatalogue *services, char **ret_canonical,
                    char **ret_why)
{
        char *canonical = NULL;
        int r = zone_list_types[k].check(text, services, &canonical, ret_why);

        if (r < 0)
                return r;
        *ret_canonical = canonical ? canonical : strdup(text);
        return *ret_canonical ? 0 : -ENOMEM;
}

int zone_list_method(const char *member, ZoneListKind *ret_kind, ZoneListOp *ret_op)
{
        static const char *const verbs[_ZONE_LIST_OP_MAX] = {
                [ZONE_LIST_ADD] = "dd",     [ZONE_LIST_REMOVE] = "emove", [ZONE_LIST_CHANGE] = "hange",
                [ZONE_LIST_QUERY] = "uery", [ZONE_LIST_GET] = "et",
        };
        static const char initials[_ZONE_LIST_OP_MAX] = "arcqg";

        for (ZoneListOp op = 0; op < _ZONE_LIST_OP_MAX; op++) {
                const char *noun;
                /* "AddPort" and "addPort": the verb's first letter in either case, the rest as it is */
                if ((member[0] | 0x20) != initials[op] || !(noun = startswith(member + 1, verbs[op])))
                        continue;
                for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++) {
                        const char *rest = startswith(noun, zone_list_types[k].noun);
                        if (rest && streq(rest, op == ZONE_LIST_GET ? "s" : "")) {
                                *ret_kind = k;
                                *ret_op = op;
                                return 0;
                        }
                }
        }
        return -EINVAL;
}

/* the kind whose field at offset off of the table is key */
static int kind_of(size_t off, const char *key, const char *suffix)
{
        for (ZoneListKind k = 0; k < _ZONE_LIST_MAX; k++) {
                const char *name = *(const char *const *) ((const char *) &zone_list_types[k] + off);
                const char *rest = startswith(key, name);
                if (rest && streq(rest, suffix))
                        return (int) k;
        }
        return -EINVAL;
}

int zone_list_of_file_key(const char *key)
{
        return kind_of(offsetof(ZoneListType, file_key), key, "");
}

int zone_list_of_fwd_key(const char *key)
{
        return kind_of(offsetof(ZoneListType, fwd_key), key, "");
}

int zone_list_of_property(const char *property)
{
        return kind_of(offsetof(ZoneListType, noun), property, "s");
}

Zone *zone_config_bound(const ZoneConfig *config, ZoneListKind k, const char *value)
{
        return k == ZONE_LIST_INTERFACE ? zone_config_zone_of_interface(config, value)
               : k == ZONE_LIST_SOURCE  ? zone_config_zone_of_source(config, value)
                                        : NULL;
}
