/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Policies, as firewalld (0.9 and later) knows them: what is allowed of the traffic that goes from some zones
 * (ingress) to others (egress), where HOST stands for this host and ANY for any zone. A policy has what a zone has
 * of services, ports, protocols, ICMP blocks, masquerade, port forwards, source ports and rich rules, a target
 * (CONTINUE, the default: on to what else applies; ACCEPT, REJECT, DROP) and a priority: below 0 it is looked at
 * before the zones' own rules, above 0 after them, lower first. It applies while one of its ingress zones and one
 * of its egress zones is active (has interfaces or sources; HOST and ANY always are), as firewalld's.
 *
 * The model, firewalld's checks, the built-in policy (allow-host-ipv6), and the policy file format of
 * /etc/nftbus/policies/. The ruleset is made with the zones' (core/zonespec.c). Pure. */

#include <stdbool.h>
#include <stdio.h>

#include "core/zonespec.h"

#define POLICY_PRIORITY_DEFAULT (-1)
#define POLICY_PRIORITY_MIN (-32768)
#define POLICY_PRIORITY_MAX 32767
/* firewalld's limit of a policy's name (before a '/', if it has one) */
#define POLICY_NAME_FIREWALLD_MAX 18
#define POLICY_ZONE_HOST "HOST"
#define POLICY_ZONE_ANY "ANY"

struct Policy {
        /* its name, texts and lists as a zone's: services, ports, protocols, forward ports, ICMP blocks, rich rules,
         * source ports; masquerade. No interfaces or sources; zone.target's ZONE_TARGET_DEFAULT is CONTINUE. */
        Zone zone;
        int priority;
        StrList ingress, egress; /* zone names, or HOST, or ANY, in the order added */
};

Policy *policy_new(const char *name); /* target CONTINUE, priority -1, nothing else; NULL: out of memory */
void policy_free(Policy *p);
Policy *policy_copy(const Policy *p);
static inline void policy_freep(Policy **p)
{
        policy_free(*p);
}
bool policy_equal(const Policy *a, const Policy *b);

/* CONTINUE, ACCEPT, REJECT, DROP (firewalld's names, which nftbus uses too) */
const char *policy_target_name(ZoneTarget t);
int policy_target_of_name(const char *s); /* -EINVAL */

/* firewalld's check of a policy's name: letters, digits, '_', '-', and one '/' neither first nor last; at most 18
 * characters before the '/', 64 in all. -EINVAL with firewalld's words (INVALID_NAME). */
int policy_check_name(const char *name, char **ret_why);
int policy_check_priority(int priority, const char *name, char **ret_why); /* INVALID_PRIORITY */

/* The policies of a configuration (sorted by name), found, added (-EEXIST), replaced and removed (-ENOENT). */
Policy *policy_config_find(const ZoneConfig *c, const char *name);
int policy_config_put(ZoneConfig *c, Policy *p);     /* p taken */
int policy_config_replace(ZoneConfig *c, Policy *p); /* p taken, in place of the one of its name if any */
int policy_config_remove(ZoneConfig *c, const char *name);
/* Whether a policy of c names the zone as an ingress or egress zone: the first that does, or NULL. */
const Policy *policy_config_naming(const ZoneConfig *c, const char *zone);

/* firewalld's checks of a policy within its configuration (its io/policy.py _check_config): no zone of its name;
 * ingress and egress zones that exist, either HOST, ANY or zones, HOST not on both sides; masquerade and port
 * forwards where they can work; its ICMP types, services and ipsets known. -EINVAL with firewalld's code in
 * *ret_code and its words. */
int policy_check(const Policy *p, const ZoneConfig *c, const ServiceCatalogue *services, const char **ret_code,
                 char **ret_why);

/* Whether p applies: one of its ingress zones and one of its egress zones active (HOST and ANY always are; a zone
 * is when it has interfaces or sources). */
bool policy_is_active(const ZoneConfig *c, const Policy *p);

/* The built-in policy firewalld ships: allow-host-ipv6 (from ANY to HOST, priority -15000: IPv6's neighbour
 * discovery and redirects accepted, whatever the zone). Adds it to c. */
int policy_config_builtin(ZoneConfig *c);
/* The built-in policy of that name as shipped, or NULL (not built in, or out of memory). */
Policy *policy_builtin(const char *name);

/* A policy file: key=value lines (short, version, description, target, priority, ingress-zone, egress-zone,
 * masquerade yes|no, and a zone file's service, port, protocol, forward-port, icmp-block, rule, source-port), '#'
 * comments. Zones are checked against the configuration once all is read (policy_check()). -EINVAL with a
 * sentence naming the line of origin. */
int policy_parse(const char *name, const char *origin, FILE *f, const ServiceCatalogue *services, Policy **ret,
                 char **ret_why);
int policy_format(const Policy *p, char **ret);
