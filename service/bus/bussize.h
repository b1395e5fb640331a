/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The size of values as D-Bus marshals them (the specification's alignment rules), so that a reply can
 * be measured against the bus's message limit before it is sent: dbus-daemon drops the connection of a
 * service that sends it a message over its max_message_size. Offsets count from the start of a body
 * (the header is padded to 8). Pure. */

#include <stddef.h>

/* dbus-daemon's default max_message_size, for the system bus and the session bus alike */
#define DBUS_MESSAGE_MAX_DEFAULT ((size_t) 32 * 1024 * 1024)
/* what a reply's header takes at most beside its body: serial, reply serial, destination, sender,
 * signature, error name */
#define DBUS_HEADER_ALLOWANCE ((size_t) 4096)

static inline size_t dbus_align(size_t offset, size_t alignment)
{
        return (offset + alignment - 1) & ~(alignment - 1);
}

/* s, o: a 32-bit length, the bytes, a NUL */
static inline size_t dbus_size_string(size_t offset, size_t length)
{
        return dbus_align(offset, 4) + 4 + length + 1;
}

/* t, x, d; structs and dict entries start at 8 */
static inline size_t dbus_size_u64(size_t offset)
{
        return dbus_align(offset, 8) + 8;
}

/* The start of an array's first element: a 32-bit length, then padding to the element's alignment. */
static inline size_t dbus_size_array_start(size_t offset, size_t element_alignment)
{
        return dbus_align(dbus_align(offset, 4) + 4, element_alignment);
}
