/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The kinds of a zone's lists (interfaces, sources, services, ports, protocols, forward ports, ICMP blocks, rich
 * rules, source ports), each described once: its key in a zone file, its noun in the methods of nftbus's Zone
 * interface and of firewalld's API (which are the same: Zone.AddPort and firewalld's addPort), where a Zone keeps it,
 * how a value is checked, and how firewalld passes it and names a bad one. The zone file reader and writer
 * (core/zonespec.c), nftbus's Zone interface (zones/) and firewalld's API (firewalld/) all read this table. Pure. */

#include <stdbool.h>
#include <stddef.h>

#include "core/zonespec.h"

/* In the order of a zone file's lines. */
typedef enum ZoneListKind {
        ZONE_LIST_INTERFACE,
        ZONE_LIST_SOURCE,
        ZONE_LIST_SERVICE,
        ZONE_LIST_PORT,
        ZONE_LIST_PROTOCOL,
        ZONE_LIST_FORWARD_PORT,
        ZONE_LIST_ICMP_BLOCK,
        ZONE_LIST_RICH_RULE,
        ZONE_LIST_SOURCE_PORT,
        _ZONE_LIST_MAX,
} ZoneListKind;

typedef struct ZoneListType {
        /* "ForwardPort": nftbus's Zone.AddForwardPort, RemoveForwardPort and property ForwardPorts; firewalld's
         * addForwardPort, removeForwardPort, queryForwardPort and getForwardPorts */
        const char *noun;
        const char *file_key; /* "forward-port=" in a zone file */
        size_t offset;        /* of the StrList in Zone */
        /* The value's checker, which makes it canonical (*ret_canonical left NULL: the text as it is), or takes it
         * as it is (plain); -EINVAL with a sentence. Neither for services and rich rules, which need the catalogue
         * (zone_list_check()).
         * zone_list_check() is the one to call. */
        int (*canonical)(const char *text, char **ret_canonical, char **ret_why);
        int (*plain)(const char *text, char **ret_why);
        bool binding; /* an interface or a source: in one zone at a time; Change* moves it from the other */
        /* firewalld's API */
        const char *fwd_key;     /* in a zone's settings (getZoneSettings2, update2): "forward_ports" */
        const char *fwd_invalid; /* the code of its error for a bad value: "INVALID_FORWARD" */
        unsigned fwd_args;       /* the strings it passes for one value: 1, a port 2, a forward port 4 */
        bool fwd_timeout;        /* its runtime add takes a timeout */
} ZoneListType;

extern const ZoneListType zone_list_types[_ZONE_LIST_MAX];

/* Whether the kind's values are ports (PORT/PROTOCOL), counted as firewalld counts them (zone_ports_add()). */
static inline bool zone_list_ports(ZoneListKind k)
{
        return k == ZONE_LIST_PORT || k == ZONE_LIST_SOURCE_PORT;
}

static inline StrList *zone_list(Zone *z, ZoneListKind k)
{
        return (StrList *) ((char *) z + zone_list_types[k].offset);
}

static inline const StrList *zone_list_const(const Zone *z, ZoneListKind k)
{
        return (const StrList *) ((const char *) z + zone_list_types[k].offset);
}

/* A value of the kind checked and made canonical into *ret_canonical (always set on success); a service must be in
 * services. -EINVAL with a sentence, -ENOMEM. */
int zone_list_check(ZoneListKind k, const char *text, const ServiceCatalogue *services, char **ret_canonical,
                    char **ret_why);

/* What a list method does. */
typedef enum ZoneListOp {
        ZONE_LIST_ADD,
        ZONE_LIST_REMOVE,
        ZONE_LIST_CHANGE, /* of a binding kind: added, and out of the zone that had it */
        ZONE_LIST_QUERY,
        ZONE_LIST_GET, /* the noun in the plural: getPorts */
        _ZONE_LIST_OP_MAX,
} ZoneListOp;

/* The kind and operation of a list method's member, nftbus's ("AddPort", "ChangeSource") or firewalld's ("addPort",
 * "queryPort", "getPorts"): a verb (add, remove, change, query, get; its first letter in either case), then the
 * noun. -EINVAL for a member that is none. */
int zone_list_method(const char *member, ZoneListKind *ret_kind, ZoneListOp *ret_op);

/* The kind of a zone file key, of a firewalld settings key, of a property ("Ports"); -EINVAL for none. */
int zone_list_of_file_key(const char *key);
int zone_list_of_fwd_key(const char *key);
int zone_list_of_property(const char *property);

/* The zone of config that value of a binding kind (an interface, a source) is bound to; NULL: none, or a kind
 * that binds nothing. */
Zone *zone_config_bound(const ZoneConfig *config, ZoneListKind k, const char *value);
