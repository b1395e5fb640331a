/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Conntrack helpers as firewalld has them (firewalld.helper(5)): a name for one of the kernel's helpers (its
 * module, nf_conntrack_ftp) on ports of its own, which a service names (<helper name="ftp"/>). firewalld's 13
 * are built in; an admin's (firewalld's /etc/firewalld/helpers, nftbus's helpers/ beside its services) are
 * read into the services catalogue (core/zonespec.h) and go before a built-in of the same name. What a zone's
 * service does with its helpers is firewalld's: for each port of each helper, the helper attached there
 * ("tcp dport 2121 ct helper set \"helper-ftp2-tcp\""), the kernel's helper object of the module's type for that
 * protocol. Pure: no I/O but the FILE streams given. */

#include <stdbool.h>
#include <stdio.h>

#include "core/zonespec.h"

#define HELPER_NAME_MAX 32 /* firewalld's HELPER_MAXNAMELEN */
#define HELPER_MODULE_PREFIX "nf_conntrack_"

/* One of firewalld's helpers as its file in firewalld's helpers/ has it, built in: i-th in name order (NULL past
 * the last), or by name (NULL: none) */
typedef struct ZoneHelper {
        const char *name, *tcp, *udp; /* the kernel's helper type on each protocol (NULL: none) */
        const char *module, *family;  /* "nf_conntrack_ftp"; "ipv4", or "" for both */
        const char *ports[2];         /* "21/tcp" */
} ZoneHelper;
const ZoneHelper *zone_helper_at(size_t i);
const ZoneHelper *zone_helper_find(const char *name);

/* The kernel's helper type of a module on a protocol ("Q.931" for nf_conntrack_h323 on tcp), or NULL when the
 * kernel has none there (nf_conntrack_netbios_ns on tcp, or a module it has no helper of) */
const char *helper_module_type(const char *module, const char *protocol);
/* Whether module is one of the kernel's conntrack helper modules nftbus knows (proto_gre's is tracking alone:
 * nothing to attach, but a module) */
bool helper_module_known(const char *module);

/* An admin's helper */
struct HelperDef {
        char *name;
        char *module;                             /* "nf_conntrack_ftp" */
        char *family;                             /* "ipv4", "ipv6", or "" for both */
        char *short_name, *description, *version; /* NULL: none */
        StrList ports;                            /* "2121/tcp": where the kernel's helper is attached */
};

/* A helper's name as firewalld takes one: letters, digits, '_', '-', '.' and ':' (Q.931), 32 at most. */
int helper_check_name(const char *name, char **ret_why);
/* Reads one helper ("name" from its file name): key=value lines, '#' comments; keys module (required), family,
 * port, short, description, version. A module the kernel has no helper of, or a port on a protocol its helper
 * does not follow, is refused here (firewalld would take it, then fail when a zone uses it). -EINVAL with a
 * sentence naming the line of origin (the file's path; NULL: "helper NAME"). */
int helper_parse(const char *name, const char *origin, FILE *f, HelperDef **ret, char **ret_why);
void helper_free(HelperDef *h);
/* The helper file text of h, as helper_parse() reads it */
int helper_format(const HelperDef *h, char **ret);
/* A copy of h; NULL: out of memory */
HelperDef *helper_copy(const HelperDef *h);

/* ---- a helper as a service names it: the admin's first, then the built-in one ---- */

/* Whether a service may name helper */
bool catalogue_helper_known(const ServiceCatalogue *c, const char *helper);
/* Its module ("nf_conntrack_ftp"), NULL when there is no such helper */
const char *catalogue_helper_module(const ServiceCatalogue *c, const char *helper);
/* Its i-th port ("21/tcp"), NULL past the last */
const char *catalogue_helper_port(const ServiceCatalogue *c, const char *helper, size_t i);
/* The kernel's helper type of helper on a protocol, NULL when none (the port gets no helper) */
const char *catalogue_helper_type(const ServiceCatalogue *c, const char *helper, const char *protocol);
/* The admin's helper of that name, NULL: none */
const HelperDef *catalogue_find_helper(const ServiceCatalogue *c, const char *name);
/* Adds h (taken), replacing an admin's helper of the same name */
int catalogue_put_helper(ServiceCatalogue *c, HelperDef *h);
/* The admin's helper of that name taken out: 1, or 0 when there is none */
int catalogue_remove_helper(ServiceCatalogue *c, const char *name);
/* Each service's helpers known (an include's, too): one line each in *problems for those that are not */
int catalogue_check_helpers(const ServiceCatalogue *c, char **problems);
/* The i-th helper's name, the built-in ones' and the admin's in name order (NULL past the last) */
const char *catalogue_helper_at(const ServiceCatalogue *c, size_t i);
/* A helper's fields as firewalld's API gives them ("" for none), its ports by catalogue_helper_port() */
typedef struct HelperView {
        const char *name, *module, *family, *short_name, *description, *version;
        bool admin; /* the admin's (else built in) */
} HelperView;
int catalogue_helper_view(const ServiceCatalogue *c, const char *name, HelperView *ret);
