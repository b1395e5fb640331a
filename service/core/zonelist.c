/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/validate.h"
#include "core/zonelist.h"

/* clang-format off */
#define KIND(k, noun_, key, field, check_, binding_, fwd_key_, invalid, args, timeout)                                 \
        [k] = { .noun = noun_, .file_key = key, .offset = offsetof(Zone, field), check_,                                \
                .binding = binding_, .fwd_key = fwd_key_, .fwd_invalid = invalid, .fwd_args = args,                    \
                .fwd_timeout = timeout }
#define CANONICAL(f) .canonical = f
#define PLAIN(f) .plain = f
const ZoneListType zone_list_types[_ZONE_LIST_MAX] = {
        /*   kind                    noun           file key        field          checker                             binding fwd key          fwd error           args timeout */
        KIND(ZONE_LIST_INTERFACE,    "Interface",   "interface",    interfaces,    PLAIN(validate_ifname),             true,  "interfaces",    "INVALID_INTERFACE", 1, false),
        KIND(ZONE_LIST_SOURCE,       "Source",      "source",       sources,       CANONICAL(zone_check_zone_source),  true,  "sources",       "INVALID_ADDR",      1, false),
        KIND(ZONE_LIST_SERVICE,      "Service",     "service",      services,      PLAIN(NULL),                        false, "services",      "INVALID_SERVICE",   1, true),
        KIND(ZONE_LIST_PORT,         "Port",        "port",         ports,         CANONICAL(zone_check_port),         false, "ports",         "INVALID_PORT",      2, true),
        KIND(ZONE_LIST_PROTOCOL,     "Protocol",    "protocol",     protocols,     PLAIN(zone_check_protocol),         false, "protocols",     "INVALID_PROTOCOL",  1, true),
        KIND(ZONE_LIST_FORWARD_PORT, "ForwardPort", "forward-port", forward_ports, CANONICAL(zone_check_forward_port), false, "forward_ports", "INVALID_FORWARD",   4, true),
        KIND(ZONE_LIST_ICMP_BLOCK,   "IcmpBlock",   "icmp-block",   icmp_blocks,   PLAIN(zone_check_icmp_type),        false, "icmp_blocks",   "INVALID_ICMPTYPE",  1, true),
        KIND(ZONE_LIST_RICH_RULE,    "RichRule",    "rule",         rich_rules,    PLAIN(NULL),                        false, "rules_str",     "INVALID_RULE",      1, true),
        KIND(ZONE_LIST_SOURCE_PORT,  "SourcePort",  "source-port",  source_ports,  CANONICAL(zone_check_port),         false, "source_ports",  "INVALID_PORT",      2, true),
};
/* clang-format on */

int zone_list_check(ZoneListKind k, const char *text, const ServiceCatalogue *services, char **ret_canonical,
                    char **ret_why)
{
        const ZoneListType *t = &zone_list_types[k];
        char *canonical = NULL;
        int r;

        if (k == ZONE_LIST_SERVICE) /* the catalogue's */
                r = services && catalogue_find(services, text)
                            ? 0
                            : why_value(ret_why, "Unknown %s '%s': not in the catalogue of services", "service", text);
        else if (k == ZONE_LIST_RICH_RULE) /* its service too */
                r = zone_check_rich_rule(text, services, &canonical, ret_why);
        else
                r = t->canonical ? t->canonical(text, &canonical, ret_why) : t->plain(text, ret_why);
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
