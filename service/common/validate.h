/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Pure validation of what callers send: no bus, no I/O. Every function returns 0 when the value is
 * acceptable and -EINVAL otherwise, with a sentence for the caller in *ret_why (owned by the caller). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

/* A comment of a rule, chain or object: at most 128 bytes of UTF-8, no control characters, no double
 * quotes or backslashes (a comment may travel inside an nft-syntax rule). */
int validate_comment(const char *comment, char **ret_why);

/* A network interface name as the kernel accepts it. */
int validate_ifname(const char *name, char **ret_why);

/* A limit's period: "second", "minute", "hour", "day", "week" and its length in seconds; 0 or NULL for
 * anything else. */
uint64_t limit_per_seconds(const char *per);
const char *limit_per_to_string(uint64_t seconds);

/* Sets *ret_why (when ret_why is not NULL) to the formatted sentence; returns -EINVAL. */
__attribute__((format(printf, 2, 3))) int why(char **ret_why, const char *fmt, ...);

/* For firewalld's checks, which say what is wrong with an error code and words: sets *ret_code to code and
 * *ret_why to the formatted words; returns -EINVAL (-ENOMEM when the words could not be made). */
__attribute__((format(printf, 4, 5))) int refuse_code(const char **ret_code, char **ret_why, const char *code,
                                                      const char *fmt, ...);

/* why() for a message quoting an untrusted value, escaped; a macro so the format stays a literal */
#define why_value(ret_why, fmt, what, value)                                                                          \
        ({                                                                                                            \
                char *_shown = escape_for_message(value);                                                             \
                int _r = _shown ? why(ret_why, fmt, what, _shown) : -EINVAL;                                          \
                free(_shown);                                                                                         \
                _r;                                                                                                   \
        })

/* The port /etc/services gives name for proto ("tcp", "udp"), as nft looks it up. */
bool service_port(const char *name, const char *proto, uint16_t *ret);

/* D-Bus strings must be valid UTF-8; kernel object names need not be. */
bool utf8_is_valid(const char *s);

/* A printable, bounded rendering of untrusted text for messages and logs: control characters and
 * quotes escaped, long values cut. Returns NULL on OOM. */
char *escape_for_message(const char *s);
