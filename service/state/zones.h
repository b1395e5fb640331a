/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, spec/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The zones' two configurations and their files. The permanent one lives in the configuration directory
 * ($CONFIGURATION_DIRECTORY, as systemd's ConfigurationDirectory= gives it, else /etc/nftbus):
 * nftbus.conf (Zones=yes|no, DefaultZone=NAME) and zones/NAME.zone, one file per zone that differs from
 * the built-in one or is the admin's own; the services catalogue is the shipped one ($NFTBUS_DATA_DIR, else
 * the installed share/nftbus) with the admin's services/NAME.service over it. The runtime configuration
 * is a copy of the permanent one at start and after a reload, changed by every call that is not
 * permanent. */

#include <stdbool.h>

#include "spec/zonespec.h"

typedef struct Zones {
        ZoneConfig runtime, permanent;
        ServiceCatalogue services;
        bool enabled;           /* table nftbus_zones is in force */
        bool enabled_permanent; /* Zones=yes in nftbus.conf */
        bool panic;
        bool firewalld_api; /* FirewallDAPI=yes: serve org.fedoraproject.FirewallD1 too (bus/firewalld.c) */
} Zones;

const char *zones_config_directory(void);

/* Reads the catalogue and the permanent configuration into a new Zones (runtime = permanent). A file that
 * does not parse is -EINVAL with a sentence naming it and its line; nothing of it is taken. */
int zones_load(Zones **ret, char **ret_why);
Zones *zones_free(Zones *z);

/* Writes zone (or removes its file, when the zone is gone or is built-in and unchanged), and nftbus.conf. */
int zones_save_zone(const Zones *z, const char *name);
int zones_save_settings(const Zones *z);

/* The nft commands that make table nftbus_zones what the runtime configuration says (or remove it when
 * zones are off), as one transaction. */
int zones_ruleset(const Zones *z, const StrList *carried, char **ret_text);
/* The same, from what the table holds now (old, when it was in force and not in panic: in_force): element by
 * element when only elements differ, "" when nothing does. */
int zones_ruleset_update(const Zones *z, const ZoneConfig *old, bool in_force, const StrList *carried,
                         char **ret_text);
