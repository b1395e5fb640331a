/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The zones' two configurations and their files. The permanent one lives in the configuration directory
 * ($CONFIGURATION_DIRECTORY, as systemd's ConfigurationDirectory= gives it, else /etc/nftbus):
 * nftbus.conf (Zones=yes|no, DefaultZone=NAME) and zones/NAME.zone, one file per zone that differs from
 * the built-in one or is the admin's own; the services catalogue is the shipped one ($NFTBUS_DATA_DIR, else
 * the installed share/nftbus) with the admin's services/NAME.service over it. The runtime configuration
 * is a copy of the permanent one at start and after a reload, changed by every call that is not
 * permanent. */

#include <stdbool.h>

#include "core/zonespec.h"

typedef struct Zones {
        ZoneConfig runtime, permanent;
        /* what the permanent configuration comes back to (loadDefaults, resetToDefaults): nftbus's built-in zones
         * and policies, under firewalld's shipped ones with firewalld's files */
        ZoneConfig defaults;
        ServiceCatalogue services; /* in force: what the running zones' services mean */
        /* the files' services since a permanent change of one (firewalld's config.service), until a reload puts
         * them in force; NULL: the same as services */
        ServiceCatalogue *services_permanent;
        bool enabled;           /* table nftbus_zones is in force */
        bool enabled_permanent; /* Zones=yes in nftbus.conf */
        bool panic;
        bool firewalld_api; /* FirewallDAPI=yes: serve org.fedoraproject.FirewallD1 too (firewalld/main.c) */
        /* the configuration is firewalld's files (zones_load()) */
        bool firewalld_files;
        bool cleanup_on_exit; /* firewalld.conf's CleanupOnExit (firewalld's files only): the table goes at a stop */
        char *notes;          /* what the loader says that is neither a problem nor a warning (NULL: nothing) */
        /* what the last transaction made of the runtime configuration, when it went by difference: the next one
         * starts from it (not known after a whole table) */
        ZoneSkeleton applied;
} Zones;

const char *zones_config_directory(void);
/* The services of the running configuration, or of the permanent one */
const ServiceCatalogue *zones_services(const Zones *z, bool permanent);
/* The definition of service name as shipped (firewalld's defaults with firewalld's files, else nftbus's), read
 * from its file: -ENOENT when none is shipped. */
int zones_service_shipped(const Zones *z, const char *name, ServiceDef **ret);
/* The admin's file of service s written (NULL: none), and that of gone removed (NULL: none; a rename gives both),
 * all or none. -EINVAL/-EFBIG with a sentence. */
int zones_save_service(const Zones *z, const char *gone, const ServiceDef *s, char **ret_why);
/* The same of an admin's conntrack helper (core/helperspec.h): helpers/NAME.helper, or firewalld's NAME.xml */
int zones_save_helper(const Zones *z, const char *gone, const HelperDef *h, char **ret_why);
/* The permanent services the same as those in force again (a reload read them) */
void zones_services_permanent_drop(Zones *z);
/* The zone or policy of that name as shipped (in z->defaults), or NULL: not one of the defaults (firewalld's
 * "builtin") */
const Zone *zones_default_zone(const Zones *z, const char *name);
const Policy *zones_default_policy(const Zones *z, const char *name);
/* The folder of the admin's files of z's configuration: the configuration directory, or firewalld's
 * ($NFTBUS_FIREWALLD_CONFIG_DIR, else /etc/firewalld) */
const char *zones_files_directory(const Zones *z);
/* The ending of a file of kind (".zone", ".policy", ".ipset"): kind, or firewalld's ".xml" */
const char *zones_file_suffix(const Zones *z, const char *kind);
/* The directory a service of the catalogue was read from: the admin's (FILES/services) or the shipped one
 * (firewalld's defaults, $NFTBUS_FIREWALLD_DEFAULTS_DIR else /usr/lib/firewalld, or nftbus's DATA/services), newly
 * allocated. */
int zones_service_directory(const Zones *z, const ServiceDef *s, char **ret);
/* The folder of firewalld's own files of a kind nftbus has built in ("icmptypes", "helpers"): firewalld's defaults
 * folder's, in firewalld's layout; "" in nftbus's (no file: nftbusd's own table). */
int zones_builtin_directory(const Zones *z, const char *folder, char **ret);

/* Reads the catalogue and the permanent configuration into a new Zones (runtime = permanent), after
 * finishing a write a crash interrupted. A file that cannot be read or does not parse, or a zone file that
 * claims an interface or source an earlier zone file has, is refused alone: the rest is read, and
 * *ret_problems says what was refused, one sentence a line naming the file and line (NULL: nothing).
 * *ret_warnings (may be NULL): the settings of nftbus.conf passed over. Negative errno only for -ENOMEM. */
int zones_load(Zones **ret, char **ret_problems, char **ret_warnings);
Zones *zones_free(Zones *z);

/* Writes the permanent configuration: the files of the zones that differ from before (all: every zone's),
 * removes the files of zones that before had and it has not, and nftbus.conf when it changed: all of them
 * or none (state/files.h). What zone_config_check() refuses, or a file larger than the loader reads
 * (-EFBIG), is not written: -EINVAL or -EFBIG with a sentence in *ret_why. */
int zones_save(const Zones *z, const ZoneConfig *before, bool all, char **ret_why);

/* The nft commands that make table nftbus_zones what the runtime configuration says (or remove it when
 * zones are off), as one transaction. */
int zones_ruleset(const Zones *z, const StrList *carried, char **ret_text);
/* The same, from what the table holds now (old, when it is what nftbusd last made of it, in force and not in
 * panic: in_force; z->applied its build when known): by what differs, unless whole, "" when nothing does, with
 * *ret_skeleton the runtime configuration's build; else the whole table anew but for the ipsets' sets that stay as
 * they are (zone_ruleset_update()). */
int zones_ruleset_update(const Zones *z, const ZoneConfig *old, bool in_force, bool whole, const StrList *carried,
                         zone_chain_handles_t handles, void *userdata, ZoneSkeleton *ret_skeleton, char **ret_text);
