/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Pure validation of what callers send: no bus, no I/O. Every function returns 0 when the value is
 * acceptable and -EINVAL otherwise, with a sentence for the caller in *ret_why (owned by the caller). */

#include <stdbool.h>
#include <stddef.h>

/* The kernel's NFT_NAME_MAXLEN counts the terminating NUL. */
#define NFTBUS_NAME_MAX 255

/* nftables families; the numbers are the kernel's NFPROTO_* values. */
enum {
        NFTBUS_FAMILY_INET = 1,
        NFTBUS_FAMILY_IP = 2,
        NFTBUS_FAMILY_ARP = 3,
        NFTBUS_FAMILY_NETDEV = 5,
        NFTBUS_FAMILY_BRIDGE = 7,
        NFTBUS_FAMILY_IP6 = 10,
};

int family_from_string(const char *s);
const char *family_to_string(int family);

int validate_family(const char *family, char **ret_why);

/* what names the kind of object for the message: "table", "chain", ... */
int validate_object_name(const char *what, const char *name, char **ret_why);

int validate_comment(const char *comment, char **ret_why);

/* D-Bus strings must be valid UTF-8; kernel object names need not be. */
bool utf8_is_valid(const char *s);

/* A printable, bounded rendering of untrusted text for messages and logs: control characters and
 * quotes escaped, long values cut. Returns NULL on OOM. */
char *escape_for_message(const char *s);
