/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Zones, as firewalld users know them: a trust level (target) bound to interfaces and source networks,
 * allowing services, ports and protocols, with masquerading, port forwards and ICMP blocks. The model,
 * the built-in zones, the services catalogue, the zone file format of /etc/nftbus/zones/, and the nft
 * ruleset of table inet nftbus_zones that a configuration makes. Pure: no I/O but the FILE streams given.
 *
 * The kernel side dispatches in constant time: a packet's source is looked up in interval maps (IPv4, IPv6)
 * and a MAC map, then its input interface in an ifname map, each giving "goto zone_NAME"; a zone's ports
 * are one set of "protocol . port" (intervals), so neither the number of interfaces and sources nor of
 * services lengthens the packet path. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/ports.h"
#include "core/zonediff.h"

#define ZONE_TABLE "nftbus_zones"
#define ZONE_NAME_MAX 17   /* firewalld's limit; with "zone_" and "_pre" a chain name stays short */
#define POLICY_NAME_MAX 64 /* nftbus's limit of a policy's whole name (core/policyspec.h) */

typedef enum ZoneTarget {
        ZONE_TARGET_DEFAULT, /* what no rule allows is rejected; ICMP allowed */
        ZONE_TARGET_ACCEPT,
        ZONE_TARGET_REJECT,
        ZONE_TARGET_DROP,
        _ZONE_TARGET_MAX,
} ZoneTarget;

/* A growing list of strings without duplicates, in the order they were added (as firewalld keeps a zone's
 * ports: firewall-cmd shows them so), looked up by binary search through a sorted index. */
typedef struct StrList {
        char **items; /* in the order added */
        size_t n;
        size_t *index;    /* positions of items, in strcmp order */
        size_t allocated; /* room in items and index */
} StrList;

int strlist_add(StrList *l, const char *s);    /* 1 added, 0 there already, -ENOMEM */
int strlist_remove(StrList *l, const char *s); /* 1 removed, 0 not there */
bool strlist_contains(const StrList *l, const char *s);
/* The same items in the same order */
bool strlist_equal(const StrList *a, const StrList *b);
/* The place of s among the items in the order added, or -1 */
ssize_t strlist_find(const StrList *l, const char *s);
void strlist_done(StrList *l);
int strlist_copy(const StrList *from, StrList *to);
/* A copy of from with its items in strcmp order */
int strlist_copy_sorted(const StrList *from, StrList *to);
/* The items in the order added, separator between them; NULL: out of memory */
char *strlist_join(const StrList *l, const char *separator);
/* Bulk building: s (taken) appended unchecked, without its index entry; strlist_index() orders the index once
 * all are in, and lookups work from then on (duplicates are the caller's to avoid). */
int strlist_push(StrList *l, char *s);
void strlist_index(StrList *l);
/* The k-th item in strcmp order: the ruleset is made in this order, whatever order the items came in. */
static inline const char *strlist_sorted(const StrList *l, size_t k)
{
        return l->items[l->index[k]];
}

typedef struct Zone {
        char name[POLICY_NAME_MAX + 1]; /* a zone's, or a policy's (core/policyspec.h: a Policy holds a Zone) */
        char *description;
        char *short_name, *version; /* firewalld's short name ("Public") and version; NULL: none */
        ZoneTarget target;
        bool masquerade;
        bool forward;              /* forwarding within the zone, to its own interfaces and sources (firewalld's
                                    * <forward/>: the built-in zones and new ones have it) */
        bool icmp_block_inversion; /* the ICMP blocks are the types let in, and the rest of ICMP refused */
        StrList interfaces;        /* names */
        StrList sources;           /* "10.0.0.0/8", "2001:db8::/32", "52:54:00:12:34:56" (canonical) */
        StrList services;          /* names of the catalogue */
        StrList ports;             /* "22/tcp", "6000-6010/udp" */
        StrList protocols;         /* "gre", "icmp", ... */
        StrList forward_ports;     /* "port=22:proto=tcp:toport=2222:toaddr=10.0.0.2" (firewalld's form) */
        StrList icmp_blocks;       /* "echo-request", ... */
        StrList rich_rules;        /* firewalld's canonical text of each (core/richrule.h) */
        StrList source_ports;      /* "53/udp", "1024-2048/tcp": what comes from them is allowed */
} Zone;

/* firewalld's ipsets (core/ipsetspec.h) */
typedef struct IPSet IPSet;
typedef struct IPSetList {
        IPSet **items; /* sorted by name */
        size_t n;
} IPSetList;

/* What is logged of the packets zones refuse (firewalld's LogDenied): nothing, all of them, or those of one
 * kind of destination address. */
typedef enum LogDenied {
        LOG_DENIED_OFF,
        LOG_DENIED_ALL,
        LOG_DENIED_UNICAST,
        LOG_DENIED_BROADCAST,
        LOG_DENIED_MULTICAST,
        _LOG_DENIED_MAX,
} LogDenied;
const char *log_denied_name(LogDenied l);
int log_denied_of_name(const char *s); /* -EINVAL: none of off, all, unicast, broadcast, multicast */

/* firewalld's policies (core/policyspec.h) */
typedef struct Policy Policy;

typedef struct ZoneConfig {
        Zone **zones; /* sorted by name */
        size_t n_zones;
        char default_zone[ZONE_NAME_MAX + 1];
        IPSetList ipsets;
        LogDenied log_denied;
        Policy **policies; /* sorted by name */
        size_t n_policies;
} ZoneConfig;

void zone_free(Zone *z);
Zone *zone_copy(const Zone *from); /* NULL: out of memory */
/* A new zone as an admin makes one: target default, nothing allowed, forwarding within it on. NULL: out of
 * memory. */
Zone *zone_new_custom(const char *name);
static inline void zone_freep(Zone **z)
{
        zone_free(*z);
}
void zone_config_done(ZoneConfig *c);
int zone_config_copy(const ZoneConfig *from, ZoneConfig *to);
Zone *zone_config_find(const ZoneConfig *c, const char *name);
/* Adds a new empty zone (default target, forwarding within itself); -EEXIST when there is one of that name. */
int zone_config_add(ZoneConfig *c, const char *name, Zone **ret);
int zone_config_remove(ZoneConfig *c, const char *name);
/* Puts z (taken) into c, in place of the zone of its name if there is one. */
int zone_config_replace(ZoneConfig *c, Zone *z);

/* The zone an interface or source is bound to, or NULL. */
Zone *zone_config_zone_of_interface(const ZoneConfig *c, const char *ifname);
Zone *zone_config_zone_of_source(const ZoneConfig *c, const char *source);

/* Two zones that claim one interface or source: the first pair found, the zones in name order (second: the
 * one whose claim is later). 1 found, 0 none, -ENOMEM. */
typedef struct ZoneConflict {
        const char *value;
        bool source;
        const Zone *first, *second;
} ZoneConflict;
int zone_config_find_conflict(const ZoneConfig *c, ZoneConflict *ret);
/* What makes a configuration valid as a whole, for the loader and the writer alike: its default zone
 * exists, every interface and source is in one zone only, and the ipsets its zones name are there
 * (zone_ipsets_check()). -EINVAL with a sentence. */
int zone_config_check(const ZoneConfig *c, char **ret_why);

/* The built-in zones with firewalld's names and meaning: drop, block, public (default), external, dmz,
 * work, home, internal, trusted; and NetworkManager's nm-shared, where it puts the interfaces it shares a
 * connection through (hotspots): forwarded traffic accepted, to this host only DHCP, DNS, SSH and ICMP. */
int zone_config_builtin(ZoneConfig *ret);
bool zone_is_builtin(const char *name);

/* A target's name, nftbus's ("reject") or firewalld's ("%%REJECT%%", on its D-Bus API and in its zone files),
 * and back (-EINVAL). */
const char *zone_target_name(ZoneTarget t, bool firewalld);
int zone_target_of_name(const char *s, bool firewalld);

/* Checkers that canonicalise; -EINVAL with a sentence. */
int zone_check_name(const char *name, char **ret_why);
int zone_check_source(const char *text, char **ret_canonical, char **ret_why);
int zone_check_port(const char *text, char **ret_canonical, char **ret_why); /* "22/tcp", "6000-6010/udp" */
int zone_check_protocol(const char *text, char **ret_why);
int zone_check_icmp_type(const char *text, char **ret_why);
/* The names of firewalld's ICMP types nftbus knows (all of firewalld's), in name order; the families of one
 * (ZONE_ICMP_IPV4 | ZONE_ICMP_IPV6; 0: none of that name). */
const char *const *zone_icmp_type_names(size_t *ret_n);
#define ZONE_ICMP_IPV4 1
#define ZONE_ICMP_IPV6 2
int zone_icmp_type_families(const char *name);
/* "port=22:proto=tcp[:toport=2222][:toaddr=10.0.0.2]", at least one of toport and toaddr */
int zone_check_forward_port(const char *text, char **ret_canonical, char **ret_why);

/* ---- ports, as firewalld counts them ---- */

/* A zone's ports never overlap (per protocol): a port inside one of them is there already (0), a range that
 * overlaps others takes their place, merged (1). Removing a port inside a range breaks the range around it
 * (1); one inside none is not there (0). port is canonical (zone_check_port()). */
int zone_ports_add(StrList *ports, const char *port);
/* Whether one of ports holds all of port (firewalld's portInPortRange(): a query of 25/udp in 20-30/udp). */
bool zone_ports_cover(const StrList *ports, const char *port);
int zone_ports_remove(StrList *ports, const char *port);
/* Merges what overlaps in a list read from a file, once (n log n): 1 when something did (the list is then in
 * port order), 0 when nothing overlaps (the list as it was). */
int zone_ports_normalize(StrList *ports);

/* Appends the ranges of canonical ports to *ranges (grown). */
int port_ranges_of(const StrList *ports, PortRange **ranges, size_t *n);
/* Sorts ranges and merges those that overlap, in place: the new count. */
size_t port_ranges_merge(PortRange *ranges, size_t n);

/* conntrack helpers: core/helperspec.h */
typedef struct HelperDef HelperDef;

/* ---- the services catalogue ---- */

typedef struct ServiceDef {
        char *name;
        char *short_name; /* "SIP" (NULL: none) */
        char *description;
        char *version; /* firewalld's version of the definition (NULL: none) */
        StrList ports; /* "22/tcp", with those of the services it includes (catalogue_resolve()) */
        StrList protocols;
        StrList source_ports; /* "53/udp": what comes from them */
        StrList helpers;      /* conntrack helpers: "ftp", "netbios-ns" */
        StrList includes;     /* the services it takes all of (firewalld's <include>), by name */
        /* with includes: its own ports, protocols, source ports and helpers, as its file has them (firewalld shows
         * these) */
        StrList own_ports, own_protocols, own_source_ports, own_helpers;
        bool resolved;        /* its includes taken in (catalogue_resolve()) */
        char *destination_v4; /* an address or prefix the service is limited to, or NULL */
        char *destination_v6;
        bool shipped; /* nftbus ships a definition of this name */
        bool admin;   /* the one in force is the admin's (over the shipped one, if any) */
} ServiceDef;

typedef struct RichMemo RichMemo;

typedef struct ServiceCatalogue {
        ServiceDef **services; /* sorted by name */
        size_t n;
        HelperDef **helpers; /* the admin's conntrack helpers, sorted by name (core/helperspec.h) */
        size_t n_helpers;
        /* what rich rules come to with these services (core/richmemo.h), made with the first service, emptied
         * when a service changes */
        RichMemo *rich_memo;
} ServiceCatalogue;

/* Reads one service definition ("name" from its file name): key=value lines, '#' comments; keys short,
 * description, port, protocol, source-port, helper, include, destination (ipv4:ADDR or ipv6:ADDR). -EINVAL with
 * a sentence naming the line of origin (the file's path; NULL: "service NAME"). */
int service_parse(const char *name, const char *origin, FILE *f, ServiceDef **ret, char **ret_why);
void service_free(ServiceDef *s);
/* The service file text of s: what it has of its own (without what it includes), as service_parse() reads it. */
int service_format(const ServiceDef *s, char **ret);
/* A copy of s (its lists of its own; those of what it includes once its catalogue is resolved); NULL: out of
 * memory. */
ServiceDef *service_copy(const ServiceDef *s);
/* A copy of a catalogue, not resolved: each service with what it has of its own (catalogue_resolve() then). */
int catalogue_copy(const ServiceCatalogue *from, ServiceCatalogue *to);
/* The service of that name taken out: 1, or 0 when there is none. */
int catalogue_remove(ServiceCatalogue *c, const char *name);
/* Adds s (taken), replacing one of the same name (the admin's /etc file over the shipped one, which s then
 * says was shipped). */
int catalogue_put(ServiceCatalogue *c, ServiceDef *s);
const ServiceDef *catalogue_find(const ServiceCatalogue *c, const char *name);
/* Once all are read: each service takes the ports, protocols, source ports and helpers of the services it includes,
 * and theirs (firewalld's includes, followed to the end). An include of a service that is not there, or a helper
 * that is not (built in or the catalogue's), is dropped and said in *problems (appended, lines apart). */
int catalogue_resolve(ServiceCatalogue *c, char **problems);
/* A service's name as firewalld takes one: letters, digits, '_' and '-', 64 at most. */
int service_check_name(const char *name, char **ret_why);
void catalogue_done(ServiceCatalogue *c);

/* A rich rule as a zone takes it: firewalld's language, and what the rule names known to nftbus (its service in
 * services, its ipsets in ipsets, when not NULL; its ICMP type; its protocol), as firewalld checks them when it
 * applies a rule. -EINVAL with *ret_code firewalld's error code and *ret_why its words. */
int zone_rich_rule_check(const char *text, const ServiceCatalogue *services, const IPSetList *ipsets,
                         char **ret_canonical, const char **ret_code, char **ret_why);
/* zone_rich_rule_check() with a sentence ("Invalid rich rule '...': CODE: words"), as the zone lists' checkers
 * say what is wrong (services NULL: not looked up) */
int zone_check_rich_rule(const char *text, const ServiceCatalogue *services, char **ret_canonical, char **ret_why);
/* ---- zone files ---- */

/* A zone file: key=value lines (description, target, interface, source, service, port, protocol,
 * masquerade yes|no, forward yes|no (when absent: yes for a built-in zone's name, as firewalld's shipped
 * zones say <forward/>, no for others, as a zone file without it), forward-port, icmp-block, rule (a rich
 * rule)),
 * '#' comments. Checked as the bus checks calls; services
 * must be in the catalogue; overlapping ports are merged. -EINVAL with a sentence naming the line of origin
 * (the file's path; NULL: "zone NAME"). */
int zone_parse(const char *name, const char *origin, FILE *f, const ServiceCatalogue *services, Zone **ret,
               char **ret_why);
/* The zone file text of z. */
int zone_format(const Zone *z, char **ret);
/* A file of kind ("zone", "policy") with z's texts and lists, and between them the lines settings writes. */
int zone_file_format(const Zone *z, const char *kind, void (*settings)(FILE *f, const void *userdata),
                     const void *userdata, char **ret);
/* One key=value line of a zone file into z (policy files share them: core/policyspec.c). -EINVAL with a sentence,
 * -ENOMEM. */
int zone_file_line(Zone *z, const ServiceCatalogue *services, const char *key, const char *value, char **ret_why);
/* Whether line is "#line N", which says the next line is line N of the origin (a file firewalld's XML was read from:
 * core/fwdxml.h): *number then counts so. */
bool key_values_line(const char *line, unsigned *number);
/* The key=value lines of f, each given to line (blank lines and '#' comments passed over); a line without '=' or
 * one line refuses is -EINVAL, the sentence naming the line of what. */
int key_values_read(FILE *f, const char *what,
                    int (*line)(const char *key, const char *value, void *userdata, char **ret_why), void *userdata,
                    char **ret_why);

/* ---- the ruleset ---- */

/* The nft commands that make table inet nftbus_zones exactly as config says, in one transaction
 * ("add table", "delete table", then the whole table). With panic, the table drops everything in and
 * out instead (the zones stay configured, in memory). */
int zone_ruleset(const ZoneConfig *config, const ServiceCatalogue *services, bool panic, const StrList *carried,
                 char **ret_text);

/* What a build of the ruleset left in the table: its text without the elements (the skeleton), and the elements
 * apart ("SET\tKEY\tVALUE", indexed), core/zonediff.h's two sides. text NULL: not known. */
typedef struct ZoneSkeleton {
        char *text;
        StrList elements;
} ZoneSkeleton;
void zone_skeleton_done(ZoneSkeleton *s);

/* The nft commands that take table inet nftbus_zones from what old made (old_skeleton, when known: what old's build
 * was, else built again) to what config says: unless whole, by what differs (core/zonediff.h: objects, rules, by
 * handle where handles says them, elements), and "" when nothing does; then *ret_skeleton is config's, for the next
 * update. Else the whole table anew, as zone_ruleset(), but for the sets of the ipsets that are as they were (the
 * same declaration and entries, or a timeout): those stay in the table with their elements, the rest of it emptied
 * ("flush table", each object deleted) and made again, in the same transaction; *ret_skeleton is left empty. */
int zone_ruleset_update(const ZoneConfig *old, const ZoneSkeleton *old_skeleton, const ZoneConfig *config,
                        const ServiceCatalogue *services, const StrList *carried, bool whole,
                        zone_chain_handles_t handles, void *userdata, ZoneSkeleton *ret_skeleton, char **ret_text);

/* Sources may be "ipset:NAME", an ipset of the configuration (core/ipsetspec.h): the set ipset_NAME of table
 * nftbus_zones. zone_check_zone_source() takes them (the name checked as firewalld checks ipsets' names), and the
 * rest as zone_check_source(); zone_source_ipset_check() says whether ipsets has it and zones take its type as a
 * source (INVALID_IPSET with firewalld's words). */
int zone_check_zone_source(const char *text, char **ret_canonical, char **ret_why);
int zone_source_ipset_check(const IPSetList *ipsets, const char *source, const char **ret_code, char **ret_why);
/* Whether the ipsets z names (its ipset sources, its rich rules' ipsets) are in ipsets and of a type that
 * fits. -EINVAL with a sentence naming the zone, the source or rule, and firewalld's code and words. */
int zone_ipsets_check(const Zone *z, const IPSetList *ipsets, char **ret_why);
/* Whether z names the ipset name: a source "ipset:NAME", or a rich rule's source or destination. */
bool zone_uses_ipset(const Zone *z, const char *name);
/* Whether the configuration has ipsets with a timeout: their entries are the kernel's alone, which a rebuild of
 * the table must carry ("SET\tELEMENT" lines in carried). */
bool zone_config_has_timeout_ipsets(const ZoneConfig *c);
