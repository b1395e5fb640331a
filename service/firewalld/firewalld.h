/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* firewalld's D-Bus API (firewalld.dbus(5)) over nftbus's zones, what its three files share: firewalld/main.c
 * (the main interface, the name, what is not supported), firewalld/zone.c (the runtime zones) and
 * firewalld/config.c (the permanent configuration). */

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "bus/strlists.h"
#include "context.h"
#include "core/fwdspec.h"
#include "core/zonelist.h"
#include "zones/engine.h"

#define FWD_NAME "org.fedoraproject.FirewallD1"
#define FWD_PATH "/org/fedoraproject/FirewallD1"
#define FWD_CONFIG_PATH FWD_PATH "/config"
#define FWD_CONFIG_ZONES_PATH FWD_CONFIG_PATH "/zone"
#define FWD_CONFIG_SERVICES_PATH FWD_CONFIG_PATH "/service"
#define FWD_CONFIG_IPSETS_PATH FWD_CONFIG_PATH "/ipset"
#define FWD_CONFIG_POLICIES_PATH FWD_CONFIG_PATH "/policy"
#define FWD_CONFIG_ICMPTYPES_PATH FWD_CONFIG_PATH "/icmptype"
#define FWD_CONFIG_HELPERS_PATH FWD_CONFIG_PATH "/helper"
#define FWD_MAIN_INTERFACE "org.fedoraproject.FirewallD1"
#define FWD_ZONE_INTERFACE FWD_MAIN_INTERFACE ".zone"
#define FWD_CONFIG_INTERFACE FWD_MAIN_INTERFACE ".config"
#define FWD_CONFIG_ZONE_INTERFACE FWD_MAIN_INTERFACE ".config.zone"
#define FWD_CONFIG_SERVICE_INTERFACE FWD_MAIN_INTERFACE ".config.service"
#define FWD_CONFIG_HELPER_INTERFACE FWD_MAIN_INTERFACE ".config.helper"
#define FWD_CONFIG_IPSET_INTERFACE FWD_MAIN_INTERFACE ".config.ipset"
#define FWD_IPSET_INTERFACE FWD_MAIN_INTERFACE ".ipset"
#define FWD_POLICY_INTERFACE FWD_MAIN_INTERFACE ".policy"
#define FWD_CONFIG_POLICY_INTERFACE FWD_MAIN_INTERFACE ".config.policy"
#define FWD_EXCEPTION FWD_MAIN_INTERFACE ".Exception"
#define FWD_NOT_AUTHORIZED FWD_MAIN_INTERFACE ".NotAuthorizedException"

/* firewalld's error: org.fedoraproject.FirewallD1.Exception, "CODE: detail" (the code decides
 * firewall-cmd's exit status). Returns a negative errno. */
__attribute__((format(printf, 3, 4))) int fwd_error(sd_bus_error *error, const char *code, const char *fmt, ...);
/* What nftbus's zones answered, as firewalld says it. */
int fwd_map_error(const sd_bus_error *e, sd_bus_error *ret);
/* The method's polkit check (firewalld's action, auth/actions.c); a refusal as firewalld's
 * NotAuthorizedException, which firewall-cmd prints as "Authorization failed". */
int fwd_check(Context *c, sd_bus_message *m, sd_bus_error *error);

/* The names of the zones of a configuration (a ZoneConfig), or of the services (a ServiceCatalogue). */
typedef const char *(*fwd_name_at_t)(const void *list, size_t i);
const char *fwd_zone_name_at(const void *config, size_t i);
const char *fwd_service_name_at(const void *catalogue, size_t i);
/* A list method's reply (the caller authorised): the n names of list ("as"). */
int fwd_reply_names(sd_bus_message *m, const void *list, size_t n, fwd_name_at_t name_at);

/* A zone's lists are described in core/zonelist.h: firewalld's noun, settings key, error code and number of
 * arguments of each kind. */

/* The canonical nftbus value of firewalld's arguments for a value of kind k, or firewalld's error for a bad one; a
 * service looked for among the permanent configuration's services or the running one's. */
int fwd_canonical(Context *c, bool permanent, ZoneListKind k, const char *const *args, char **ret,
                  sd_bus_error *error);
/* Whether m is a call of the permanent configuration's interfaces (config, config.zone, ...) */
bool fwd_permanent_call(sd_bus_message *m);
/* Reads the kind's arguments (zone_list_types[k].fwd_args strings) into args. */
int fwd_read_args(sd_bus_message *m, ZoneListKind k, const char *args[FWD_ARGS_MAX]);
/* Both: the arguments read, then made canonical. */
int fwd_read_value(Context *c, sd_bus_message *m, ZoneListKind k, const char *args[FWD_ARGS_MAX], char **ret,
                   sd_bus_error *error);

/* A list method's call once read, checked and authorised: add, remove, query or get of a value of zone's list of
 * kind, at runtime (.zone) or in the permanent configuration (.config.zone). */
typedef struct FwdListCall {
        const Zone *zone;
        ZoneListKind kind;
        ZoneListOp op;
        const char *const *args; /* firewalld's arguments, as its messages show them */
        const char *canonical;   /* nftbus's value (NULL for get) */
        bool permanent;
        const ZoneAnswer *answer; /* how the change is answered */
} FwdListCall;
/* Its answer: the list, whether the value is there, or firewalld's error for a value there already (not there),
 * or the change queued. */
int fwd_list_answer(Context *c, sd_bus_message *m, const FwdListCall *call, sd_bus_error *error);
/* The entries of a member table (below) for the add, remove, query and get methods of a list: zone_list_method()
 * tells them apart. */
/* clang-format off */
#define FWD_LIST_MEMBERS(handler, noun) \
        { "add" noun, handler }, { "remove" noun, handler }, { "query" noun, handler }, { "get" noun "s", handler }
/* clang-format on */

/* The values of a list split into firewalld's arguments: each an "as" (runtime) or a struct (permanent). */
int fwd_append_split(sd_bus_message *reply, ZoneListKind k, const StrList *values, bool structs);
/* A list as firewalld gives it: strings for a kind of one argument, else fwd_append_split(). */
int fwd_append_list(sd_bus_message *reply, ZoneListKind k, const StrList *values, bool structs);
/* A zone's settings as getZoneSettings2 (runtime: its ICMP blocks sorted, as firewalld's) and
 * config.zone.getSettings2 give them. */
int fwd_append_zone_settings(sd_bus_message *reply, const Zone *z, bool runtime);
/* The reply to m of a zone's settings as getZoneSettings2 and config.zone.getSettings2 give them, or (z NULL)
 * of a service's, as getServiceSettings2 and config.service.getSettings2 give them. */
int fwd_reply_settings(sd_bus_message *m, const Zone *z, const ServiceDef *s);

/* A copy of base with firewalld's settings read from m (update2, setZoneSettings2: the keys given replace the
 * zone's, the others stay), each value checked as its add method checks it; or firewalld's error. */
int fwd_zone_from_settings(Context *c, sd_bus_message *m, const Zone *base, Zone **ret, sd_bus_error *error);
/* firewalld's first form of a zone's settings, a tuple of 16 fields (getSettings, update, config's addZone): written
 * from z, and read over base as fwd_zone_from_settings() reads the dictionary. */
#define FWD_ZONE_TUPLE_CONTENTS "sssbsasa(ss)asba(ssss)asasasasa(ss)b"
int fwd_append_zone_tuple(sd_bus_message *reply, const Zone *z);
/* Whether m is a call of the tuple's form: getZoneSettings, getSettings, update, addZone (not their "2"s) */
bool fwd_settings_tuple(sd_bus_message *m);
int fwd_zone_from_tuple(Context *c, sd_bus_message *m, const Zone *base, Zone **ret, sd_bus_error *error);
/* A policy's settings as getPolicySettings and config.policy.getSettings give them; a copy of base with those of m
 * (setPolicySettings, update, addPolicy), as fwd_zone_from_settings() reads a zone's (priority, ingress_zones and
 * egress_zones besides; a key firewalld's policies lack is INVALID_OPTION, as firewalld says it). */
int fwd_append_policy_settings(sd_bus_message *reply, const Policy *p);
int fwd_policy_from_settings(Context *c, sd_bus_message *m, const Policy *base, Policy **ret, sd_bus_error *error);

/* What nftbus implements of one of firewalld's interfaces, a member by name: a method's handler, a property's
 * getter and setter. The interface's vtable, fwd_<id>_vtable, is generated from its introspection/ file
 * (firewalld/vtables.py), so that every member of firewalld's is published with firewalld's signature; it
 * sends each call to these dispatchers with the table fwd_<id>_members, and a member without an entry there
 * answers NOT_SUPPORTED. A table ends with an entry without a name. */
typedef struct FwdMember {
        const char *name;
        sd_bus_message_handler_t method;
        sd_bus_property_get_t get;
        sd_bus_property_set_t set;
} FwdMember;

/* A table's entry for every property of its interface (its introspection/ file lists them), read by one getter
 * that tells them apart by name. */
#define FWD_EVERY_PROPERTY "*"

int fwd_dispatch_method(const FwdMember *members, sd_bus_message *m, void *userdata, sd_bus_error *error);
int fwd_dispatch_get(const FwdMember *members, sd_bus *bus, const char *path, const char *interface,
                     const char *property, sd_bus_message *reply, void *userdata, sd_bus_error *error);
int fwd_dispatch_set(const FwdMember *members, sd_bus *bus, const char *path, const char *interface,
                     const char *property, sd_bus_message *value, void *userdata, sd_bus_error *error);

/* The interfaces: each its table (main.c, zone.c, config.c) and its generated vtable. On
 * /org/fedoraproject/FirewallD1: org.fedoraproject.FirewallD1 (main), .zone, .policies, .policy, .direct and
 * .ipset; on its /config: .config, .config.policies and .config.direct; on each zone's and service's object under
 * that: .config.zone and .config.service. */
extern const FwdMember fwd_main_members[], fwd_zone_members[], fwd_policies_members[], fwd_policy_members[],
        fwd_direct_members[], fwd_ipset_members[], fwd_config_members[], fwd_config_policies_members[],
        fwd_config_direct_members[], fwd_config_zone_members[], fwd_config_service_members[],
        fwd_config_ipset_members[], fwd_config_policy_members[], fwd_config_icmptype_members[],
        fwd_config_helper_members[];
extern const sd_bus_vtable fwd_main_vtable[], fwd_zone_vtable[], fwd_policies_vtable[], fwd_policy_vtable[],
        fwd_direct_vtable[], fwd_ipset_vtable[], fwd_config_vtable[], fwd_config_policies_vtable[],
        fwd_config_direct_vtable[], fwd_config_zone_vtable[], fwd_config_service_vtable[], fwd_config_ipset_vtable[],
        fwd_config_policy_vtable[], fwd_config_icmptype_vtable[], fwd_config_helper_vtable[];

/* getZoneOfInterface(s), getZoneOfSource(s) of the main interface (the runtime zones) and of config (the
 * permanent ones): the zone's name, "" when bound to none. */
bus_method_handler fwd_method_zone_of;
/* zonecalls.c: the zone methods .zone and .config.zone share, telling a runtime call from a permanent one by its
 * interface; how their changes are answered (at runtime: the zone's name and firewalld's signal; permanent: the
 * zone object's Updated); the zone of a call. */
bus_method_handler fwd_method_zone_settings, fwd_method_zone_update, fwd_method_list, fwd_method_flag;
extern const ZoneAnswer fwd_changed, fwd_updated;
/* The permanent zone of the object called (.config.zone), or the runtime one the call names first (NULL name: read
 * it; "" is the default zone); or INVALID_ZONE. */
int fwd_call_zone(Context *c, sd_bus_message *m, const char *name, const Zone **ret, sd_bus_error *error);
const Zone *fwd_named_zone(Context *c, const char *name, sd_bus_error *error);
/* shared.c: the permanent zone or service of a config object's path, or NULL */
const Zone *fwd_path_zone(Context *c, const char *path);
const ServiceDef *fwd_path_service(Context *c, const char *path);
/* getServiceSettings2(name) of the main interface, getSettings2() of a config.service object */
bus_method_handler fwd_method_service_settings;

/* A new config object's name, as firewalld checks one of its kind ("service": NAME_CONFLICT "new_service(): ..."
 * when taken, then INVALID_NAME at its first character that is neither a letter, a digit nor of punctuation,
 * whole), and at most max bytes, as nftbus's files take it */
int fwd_check_new_name(const char *kind, const char *name, const char *punctuation, size_t max, bool taken,
                       sd_bus_error *error);
/* The permanent configuration's objects of a kind, numbered as firewalld numbers them: once, a number never given
 * to another object (a client that holds a path calls the object it was given, or none). */
typedef enum FwdKind {
        FWD_KIND_ZONE,
        FWD_KIND_SERVICE,
        FWD_KIND_IPSET,
        FWD_KIND_POLICY,
        FWD_KIND_ICMPTYPE, /* built in: firewalld's ICMP types and helpers, nftbus knows them all */
        FWD_KIND_HELPER,
        _FWD_KIND_MAX,
} FwdKind;
/* The reply of a call that made config object name of kind k: its path; then config's signal(name) (ZoneAdded, ...) */
int fwd_reply_added(Context *c, sd_bus_message *m, FwdKind k, const char *name, const char *signal);
/* The empty reply of a change of a config object, then the object's signal(name) on interface (Updated, Removed,
 * Renamed) */
int fwd_reply_signalled(Context *c, sd_bus_message *m, const char *interface, const char *signal, const char *name);
/* A permanent config object's change answered as firewalld answers it (a ZoneAnswer's on_success; object: the
 * engine's "zone NAME", NAME the object's name before the change): add_member's reply is the new object's (of kind
 * k) path and config's added_signal(name); any other's an empty one and the object's Updated(name), Removed(name)
 * or Renamed(new name), on interface. */
int fwd_reply_config_change(Context *c, sd_bus_message *m, const char *object, const char *interface,
                            const char *add_member, const char *added_signal, FwdKind k);
/* A reload: the objects numbered again from 0, as firewalld makes them anew (a path held before calls another object
 * after it, or none, as with firewalld), each told by config's *Added (ipsets, services, zones, policies), as
 * firewall-config hears them. */
void fwd_numbering_reset(const Context *c);
/* Its objects PREFIX/N with interface (the calls get the Context). */
int fwd_register_numbered(Context *c, FwdKind k, const char *interface, const sd_bus_vtable *vtable);
/* The path of the object named name (-ENOENT: none now); the name of the object of a path (NULL: none now). */
int fwd_object_path(Context *c, FwdKind k, const char *name, char **ret);
const char *fwd_object_name(Context *c, FwdKind k, const char *path);
bool fwd_object_exists(const Context *c, FwdKind k, const char *name);
/* The object of path renamed: its number is the new name's (firewalld keeps a renamed object's path) */
void fwd_object_renamed(const char *path, const char *new_name);
/* A list method's reply of the objects' paths ("ao"), or of their names ("as"), in name order (the caller
 * authorised) */
int fwd_reply_objects(Context *c, sd_bus_message *m, FwdKind k, bool paths);
/* config.c: the objects of the permanent zones and services, for firewalld_start() (main.c) */
int fwd_config_register(Context *c);
/* configzone.c: the permanent zones' objects; config's addZone2 */
int fwd_config_zone_register(Context *c);
bus_method_handler fwd_method_add_zone;
/* One list of a zone's settings (an "as", or an array of (ss) or (ssss) by the kind), each value checked and made
 * canonical, in place of *ret's. */
int fwd_read_list(Context *c, sd_bus_message *m, ZoneListKind k, StrList *ret, sd_bus_error *error);
/* ipset.c: firewalld's ipsets: config's getIPSetNames and listIPSets, getIPSetByName, addIPSet; the objects of the
 * permanent ipsets */
bus_method_handler fwd_method_ipset_names, fwd_method_ipset_by_name, fwd_method_add_ipset;
/* config's addService, addService2 (firewalld/configservice.c) */
bus_method_handler fwd_method_add_service;
/* next (taken: a changed copy of the permanent services and helpers) in force as the permanent one when r is not
 * negative; else dropped, and r (COMMAND_FAILED with why, when the files could not be written) */
int fwd_services_permanent_take(Context *c, ServiceCatalogue *next, int r, const char *why, sd_bus_error *error);
/* config's addHelper (firewalld/confighelper.c) */
bus_method_handler fwd_method_add_helper;
int fwd_ipset_register(Context *c);
/* policy.c: firewalld's policies: config's getPolicyNames and listPolicies, getPolicyByName, addPolicy; the objects
 * of the permanent policies */
bus_method_handler fwd_method_policy_names, fwd_method_policy_by_name, fwd_method_add_policy;
int fwd_policy_register(Context *c);
/* configicmptype.c, confighelper.c: an ICMP type's settings as getIcmpTypeSettings gives them, "(sssas)"; a
 * helper's as getHelperSettings, "(sssssa(ss))" (-ENOENT: none of that name) */
int fwd_append_icmp_type(sd_bus_message *reply, const char *name);
int fwd_append_helper(sd_bus_message *reply, const ServiceCatalogue *services, const char *name);
/* config.icmptype's and config.helper's name, filename, path, default and builtin (k: FWD_KIND_ICMPTYPE or
 * FWD_KIND_HELPER): those of a built-in object of firewalld's folder (icmptypes, helpers), or firewalld's error for
 * a path of none */
int fwd_builtin_property(Context *c, FwdKind k, const char *path, const char *property, sd_bus_message *reply,
                         sd_bus_error *error);
