/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* All state of nftbusd, created in run() and freed when it returns. */

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "executor/executor.h"
#include "core/mirror.h"
#include "netlink/monitor.h"
#include "auth/polkit.h"

/* The rules one transaction added, as the kernel's events report them: how many, and the last one. */
typedef struct RuleTrace {
        unsigned count;
        int family;
        char table[256];
        char chain[256];
        uint64_t handle;
} RuleTrace;

typedef struct TableJob TableJob;

typedef struct Context {
        sd_event *event;
        sd_bus *bus;
        Executor *executor;
        Monitor *monitor;
        Mirror *mirror;
        Polkit *polkit;
        char *backend_version;        /* libnftables' version, as the executor reports it */
        size_t message_max;           /* the bus's max_message_size: no reply or signal may be larger */
        sd_event_source *trim_source; /* returns free heap memory a second after activity (nftbusd.c) */
        bool trim_just_ran;
        bool stopping;                  /* SIGTERM or SIGINT came: the zones' stop under way (zones_stop()) */
        char *restore_error;            /* what went wrong restoring the saved ruleset at start; NULL if nothing */
        uint64_t owned_refresh_usec;    /* event loop time of the last reread for owned tables */
        RuleTrace pending_rules;        /* of the transaction whose events are being read */
        RuleTrace executor_rules;       /* of the executor's last transaction; cleared after each job */
        uint64_t generation_check_usec; /* the loop iteration that last compared generations */
        sd_bus_track *subscribers;      /* Manager.Subscribe: the bus names that want change signals */
        struct ChangeBatch *changes_reading; /* rules and elements the transaction being read changed (changes.h) */
        struct ChangeBatch *changes_queue;   /* of transactions read, their signals waiting for rule texts */
        json_t *pending_signals;             /* of the transaction whose events are being read (objects.c) */
        TableJob *table_jobs;                /* calls that read a table, then change it (tablejob.h) */
        TableJob *table_job_running;         /* the one whose listing is being taken */
        struct Zones *zones;                 /* the zones' configurations (state/zones.h) */
        char *zones_error;                   /* what of the configuration is not in force, and why; NULL if all is */
        char *firewalld_api;                 /* Manager.FirewallDAPI: NULL while not asked for (firewalld/main.c) */
        uint32_t zones_generation;           /* the kernel's ruleset generation after the last zone transaction */
        bool zones_generation_known;         /* ... and nothing went wrong with it */
        struct RuleBook *zone_rule_book;     /* the handles of the zones' table's rules (core/rulebook.h) */
        struct ZoneJob *zone_jobs;           /* zone changes waiting, the first one running (zones/zone.c) */
        struct ZoneTimeout *zone_timeouts;   /* runtime additions that last a while (zones/timeouts.h) */
        struct Readers *readers;             /* listings under way, by user (bus/readers.h) */
} Context;

/* Bus glue, one file per interface. The Manager registers itself; the objects of the mirror are
 * registered by objects.c, one fallback vtable per interface. */
extern const sd_bus_vtable manager_vtable[];
int manager_register(Context *c);
extern const sd_bus_vtable sysctl_vtable[];
int sysctl_register(Context *c);
extern const sd_bus_vtable nat_vtable[];
int nat_register(Context *c);
/* the zones (zones/zone.c): their objects and the Manager's zone methods; at start, the permanent
 * configuration read and, when zones are on, put in force before done */
int zone_register(Context *c);
void zones_start(Context *c, void (*done)(Context *c));
/* the ipsets (zones/ipset.c): their objects and the Manager's ipset methods */
int ipset_register(Context *c);
/* the policies (zones/policy.c): their objects and the Manager's policy methods */
int policy_register(Context *c);
/* What GetManagedObjects' reply holds for the zones' and the ipsets' objects, at most (bytes). */
size_t zones_objects_size_bound(const Context *c);
/* Says what of the zones' configuration is not in force (NULL: all of it is): Manager.ZonesError and
 * ZonesState (failed), logged and signalled. */
__attribute__((format(printf, 2, 3))) void zones_set_error(Context *c, const char *fmt, ...);
/* firewalld's D-Bus API (firewalld/main.c), when nftbus.conf asks for it: its objects, and its name requested
 * (never taken from firewalld). */
int firewalld_start(Context *c);
/* Manager.FirewallDAPI: off (FirewallDAPI=no), requested (no answer yet), served, queued (another owner has
 * the name: nftbusd takes it when that one leaves), or refused (the bus's policy; the reason follows). */
const char *firewalld_api_state(const Context *c);
/* Drops the zone changes still waiting, unanswered: for the end of the service. */
void zone_jobs_free(Context *c);
extern const sd_bus_vtable preset_vtable[];
int preset_register(Context *c);
extern const sd_bus_vtable table_vtable[];
extern const sd_bus_vtable chain_vtable[];
extern const sd_bus_vtable counter_vtable[];
extern const sd_bus_vtable quota_vtable[];
extern const sd_bus_vtable limit_vtable[];
extern const sd_bus_vtable flowtable_vtable[];
extern const sd_bus_vtable object_vtable[];
extern const sd_bus_vtable set_vtable[];
extern const sd_bus_vtable map_vtable[];

/* objects.c: the mirror on the bus. */
int objects_register(Context *c);
/* Keeps the mirror and the bus in step with one message from the kernel. */
void objects_kernel_message(Context *c, const NftMessage *msg);
/* Reads all the kernel's objects into the mirror (at start). */
int objects_dump(Context *c);
/* After lost events: reread the kernel's objects and signal what changed; when events someone was
 * subscribed to were missed, Manager.Resynchronized. */
void objects_resync(Context *c, bool missed);
