/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld's values as its D-Bus API passes them, and nftbus's zone values (core/zonespec.h) they are: a port
 * is ("8080", "tcp") there and "8080/tcp" here, a forward port ("22", "tcp", "2222", "") there and
 * "port=22:proto=tcp:toport=2222" here; firewalld's target names; the text firewalld's messages show. Pure. */

#include "core/zonelist.h"
#include "core/zonespec.h"

#define FWD_ARGS_MAX 4

/* nftbus's text of firewalld's arguments (zone_list_types[k].fwd_args of them), not yet checked: the zone checkers of
 * zonespec.h canonicalise it. "" for an empty toport or toaddr. */
int fwd_value_join(ZoneListKind k, const char *const *args, char **ret);

/* firewalld's arguments of a canonical nftbus value, into parts (each of size FWD_PART_MAX): "" where a forward
 * port has no toport or toaddr. -EINVAL if the value is not of the kind's form. */
#define FWD_PART_MAX 64
int fwd_value_split(ZoneListKind k, const char *canonical, char parts[FWD_ARGS_MAX][FWD_PART_MAX]);

/* The arguments joined by ':' as firewalld's messages show a value: "8080:tcp", "22:tcp:2222:". */
int fwd_value_shown(ZoneListKind k, const char *const *args, char **ret);

/* firewalld's name of a target: "default", "ACCEPT", "%%REJECT%%", "DROP"; and back (-EINVAL). */
const char *fwd_target_to_string(ZoneTarget t);
int fwd_target_from_string(const char *s);
