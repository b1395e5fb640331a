/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld's values as its D-Bus API passes them, and nftbus's zone values (spec/zonespec.h) they are: a port
 * is ("8080", "tcp") there and "8080/tcp" here, a forward port ("22", "tcp", "2222", "") there and
 * "port=22:proto=tcp:toport=2222" here; firewalld's target names; the text firewalld's messages show. Pure. */

#include "spec/zonespec.h"

typedef enum FwdKind {
        FWD_KIND_SERVICE,
        FWD_KIND_INTERFACE,
        FWD_KIND_SOURCE,
        FWD_KIND_PORT,
        FWD_KIND_PROTOCOL,
        FWD_KIND_ICMP_BLOCK,
        FWD_KIND_FORWARD_PORT,
        FWD_KIND_RICH_RULE,
        _FWD_KIND_MAX,
} FwdKind;

#define FWD_ARGS_MAX 4

/* How many strings firewalld passes for one value of the kind: 1, a port 2, a forward port 4. */
unsigned fwd_kind_args(FwdKind k);

/* nftbus's text of firewalld's arguments (fwd_kind_args() of them), not yet checked: the zone checkers of
 * zonespec.h canonicalise it. "" for an empty toport or toaddr. */
int fwd_value_join(FwdKind k, const char *const *args, char **ret);

/* firewalld's arguments of a canonical nftbus value, into parts (each of size FWD_PART_MAX): "" where a forward
 * port has no toport or toaddr. -EINVAL if the value is not of the kind's form. */
#define FWD_PART_MAX 64
int fwd_value_split(FwdKind k, const char *canonical, char parts[FWD_ARGS_MAX][FWD_PART_MAX]);

/* The arguments joined by ':' as firewalld's messages show a value: "8080:tcp", "22:tcp:2222:". */
int fwd_value_shown(FwdKind k, const char *const *args, char **ret);

/* firewalld's name of a target: "default", "ACCEPT", "%%REJECT%%", "DROP"; and back (-EINVAL). */
const char *fwd_target_to_string(ZoneTarget t);
int fwd_target_from_string(const char *s);
