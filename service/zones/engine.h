/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The zone engine: the changes of the zones of state/zones.h, queued and run one after the other, each on the
 * result of the one before. A change is made on a copy of the configuration it is for; a permanent one then
 * writes the zones' files, a runtime one is sent as one transaction of table inet nftbus_zones (element by
 * element when only elements differ) and kept only when the kernel took it. Its front doors are nftbus's Zone
 * interface and the Manager's zone methods (zones/zone.c) and firewalld's API (firewalld/): each checks and asks
 * polkit, then queues a request here; the reply comes when the change is done. At start, zones_start() puts the
 * permanent configuration in force, failing closed. */

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "bus/call.h"
#include "common/objpath.h"
#include "context.h"
#include "core/zonelist.h"
#include "core/zonespec.h"

#define ZONES_PATH NFTBUS_PATH "/zone"
#define ZONE_INTERFACE NFTBUS_INTERFACE_PREFIX "Zone"
#define IPSETS_PATH NFTBUS_PATH "/ipset"
#define IPSET_INTERFACE NFTBUS_INTERFACE_PREFIX "IPSet"
#define POLICIES_PATH NFTBUS_PATH "/policy"
#define POLICY_INTERFACE NFTBUS_INTERFACE_PREFIX "Policy"

/* The objects PREFIX/NAME of interface, one for each zone (ZONES_PATH) or ipset (IPSETS_PATH) of the runtime or
 * the permanent configuration (zones/objects.c), and the Manager's methods of them (manager_methods): the calls get
 * the Context. */
int config_objects_register(Context *c, const char *prefix, const char *interface, const sd_bus_vtable *vtable,
                            const sd_bus_vtable *manager_methods);
/* NotFound for a zone, ipset or policy (noun) that the configuration a call is for does not have. */
int config_object_not_found(sd_bus_error *error, const char *noun, const char *name, bool permanent);
/* The reply of a GetPermanent: an a{sv} of the n properties (name, type) as append writes each of object. */
typedef struct ConfigProperty {
        const char *name, *type;
} ConfigProperty;
int config_object_reply_settings(sd_bus_message *m, const ConfigProperty *properties, size_t n,
                                 int (*append)(sd_bus_message *reply, const void *object, const char *property),
                                 const void *object);
/* The object path of a zone, of an ipset. */
int zone_path(const char *name, char **ret);
int ipset_object_path(const char *name, char **ret);
int policy_object_path(const char *name, char **ret);

/* How a front door answers a change once it is done: on_success's reply (NULL: an empty one), and errors through
 * map_error (NULL: as the engine says them). NULL as a whole: nftbus's own answers. */
typedef struct ZoneAnswer {
        call_reply_t on_success;
        int (*map_error)(const sd_bus_error *e, sd_bus_error *ret);
} ZoneAnswer;

/* A value of a list kind, checked and made canonical into *ret_canonical; a bad one is InvalidArgument saying
 * why. 0 or negative errno with error set. */
int zone_value_check(Context *c, bool permanent, ZoneListKind k, const char *value, char **ret_canonical,
                     sd_bus_error *error);

/* The zone a binding value (an interface, a source) is bound to now, when a CHANGE would take it from there
 * (NULL: none, zone itself, or not a CHANGE): what polkit is asked about besides zone. */
const char *zone_left(Context *c, ZoneListKind k, ZoneListOp op, const char *zone, const char *value, bool permanent);

/* Queued changes; each returns 1 (the reply comes later) or negative errno with error set. */

/* ADD, REMOVE or CHANGE of a value of zone's list of kind k (value checked again as zone_value_check() does). */
int zone_list_request(Context *c, sd_bus_message *m, ZoneListKind k, ZoneListOp op, const char *zone,
                      const char *value, bool permanent, const ZoneAnswer *answer, sd_bus_error *error);
/* A setting of a zone: what is "Target" (nftbus's name of one), "Masquerade" or "Forward" ("yes", "no"), or
 * "Description". */
int zone_setting_request(Context *c, sd_bus_message *m, const char *what, const char *zone, const char *value,
                         bool permanent, const ZoneAnswer *answer, sd_bus_error *error);
/* The default zone; AddZone's empty zone; DeleteZone. */
int zone_default_request(Context *c, sd_bus_message *m, const char *zone, bool permanent, const ZoneAnswer *answer,
                         sd_bus_error *error);
int zone_add_request(Context *c, sd_bus_message *m, const char *zone, bool permanent, const ZoneAnswer *answer,
                     sd_bus_error *error);
int zone_delete_request(Context *c, sd_bus_message *m, const char *zone, bool permanent, const ZoneAnswer *answer,
                        sd_bus_error *error);
/* A new zone with z's settings (taken): firewalld's addZone2. A custom zone under another name (its interfaces
 * and sources go with it): firewalld's config.zone rename. */
int zone_create_request(Context *c, sd_bus_message *m, Zone *z, bool permanent, const ZoneAnswer *answer,
                        sd_bus_error *error);
int zone_rename_request(Context *c, sd_bus_message *m, const char *zone, const char *new_name, bool permanent,
                        const ZoneAnswer *answer, sd_bus_error *error);
/* What is logged of the packets zones refuse (firewalld's LogDenied). */
int zone_log_denied_request(Context *c, sd_bus_message *m, LogDenied l, bool permanent, const ZoneAnswer *answer,
                            sd_bus_error *error);
/* A zone as a whole (z, taken) in place of the one of its name: firewalld's update2 and setZoneSettings2. */
int zone_replace_request(Context *c, sd_bus_message *m, Zone *z, bool permanent, const ZoneAnswer *answer,
                         sd_bus_error *error);
/* Panic on or off, zones on or off, or a reload (the permanent configuration read again and put in force, with
 * the files' ZonesEnabled). */
typedef enum ZoneSwitch {
        ZONE_SWITCH_ZONES,
        ZONE_SWITCH_PANIC,
        ZONE_SWITCH_RELOAD,
} ZoneSwitch;
int zone_switch_request(Context *c, sd_bus_message *m, ZoneSwitch what, bool on, const ZoneAnswer *answer,
                        sd_bus_error *error);

/* firewalld's ipsets (core/ipsetspec.h): made (IPSET_ADD, with settings), changed as a whole (IPSET_UPDATE) or
 * but for its entries (IPSET_SETTINGS: those it has when the change runs stay, and must fit), renamed (to
 * new_name), removed (IPSET_REMOVE): in the permanent configuration (firewalld's API), or at runtime (nftbus's
 * IPSet: the zones' table made anew, keeping the sets of the other ipsets); entries added, removed (one or more,
 * checked and normalized: entries, taken) or set: at runtime element by element, through the kernel's netlink
 * element messages. A runtime change that would leave a zone naming an ipset that is not there, or of a type it
 * cannot take, is InvalidArgument. Errors carry firewalld's code: InvalidArgument "CODE: words", AlreadyExists
 * for ALREADY_ENABLED, NotFound for NOT_ENABLED. settings and entries are taken (NULL: none). */
typedef enum IPSetOp {
        IPSET_ADD,
        IPSET_UPDATE,
        IPSET_SETTINGS,
        IPSET_RENAME,
        IPSET_REMOVE,
        IPSET_ENTRY_ADD, /* the entries' changes from here on */
        IPSET_ENTRY_REMOVE,
        IPSET_ENTRIES_SET,
} IPSetOp;
int ipset_request(Context *c, sd_bus_message *m, IPSetOp op, const char *name, IPSet *settings, const char *new_name,
                  StrList *entries, bool permanent, const ZoneAnswer *answer, sd_bus_error *error);
/* One entry (checked and normalized) added to s or removed from it. */
int ipset_entry_request(Context *c, sd_bus_message *m, const IPSet *s, bool add, const char *entry, bool permanent,
                        const ZoneAnswer *answer, sd_bus_error *error);
/* The checks of a call's entries, before polkit, with the errors above. One entry for s: normalized as firewalld
 * does into *ret_normalized; an addition checked against s's type (and, in the permanent configuration, for
 * overlaps with what is there); a removal or a query (query) of what is no entry taken as it is. The permanent
 * configuration lists no entries of an ipset with a timeout, and none is queried (IPSET_WITH_TIMEOUT). */
int ipset_entry_value_check(const IPSet *s, const char *entry, bool add, bool query, bool permanent,
                            char **ret_normalized, sd_bus_error *error);
/* A whole list of entries for s (setEntries): firewalld's checks (overlaps, then each entry as given). */
int ipset_entries_value_check(const IPSet *s, const StrList *entries, bool permanent, sd_bus_error *error);

/* firewalld's policies (core/policyspec.h): made (POLICY_ADD, with settings), changed as a whole (POLICY_UPDATE,
 * with settings), renamed (to new_name), removed (POLICY_REMOVE), or the built-in one as shipped again
 * (POLICY_LOAD_DEFAULTS), at runtime or in the permanent configuration; each checked as firewalld checks it in its
 * configuration (policy_check()), with firewalld's codes (zone_coded_error()). settings taken (NULL: none). A zone
 * that a policy names cannot be deleted or renamed (INVALID_ZONE). */
typedef enum PolicyOp {
        POLICY_ADD,
        POLICY_UPDATE,
        POLICY_RENAME,
        POLICY_REMOVE,
        POLICY_LOAD_DEFAULTS,
} PolicyOp;
int policy_request(Context *c, sd_bus_message *m, PolicyOp op, const char *name, Policy *settings,
                   const char *new_name, bool permanent, const ZoneAnswer *answer, sd_bus_error *error);

/* error set to firewalld's code and words: InvalidArgument "CODE: words", AlreadyExists for ALREADY_ENABLED,
 * NotFound for NOT_ENABLED. Returns the negative errno of what it set. */
_printf_(3, 4) int zone_coded_error(sd_bus_error *error, const char *code, const char *fmt, ...);

/* The runtime configuration written as the permanent one (Busy while a change runs). 0 or negative errno with
 * error set. */
int zone_runtime_to_permanent(Context *c, sd_bus_error *error);
/* Manager.ZonesState: "off", "running" or "failed" (ZonesError says what is not in force). */
const char *zones_state(const Context *c);

/* The kernel's change events of the zones' table (its rules' handles, for changes by difference), and their loss. */
void zones_kernel_message(Context *c, const NftMessage *msg);
void zones_kernel_messages_lost(Context *c);
/* At a stop: with firewalld's files and its CleanupOnExit=yes, the zones' table taken away as firewalld takes its
 * own (nftbus's files: it stays, fail closed); then done(c). */
void zones_stop(Context *c, void (*done)(Context *c));
