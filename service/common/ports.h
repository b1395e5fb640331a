/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Ports as firewalld reads them (its getPortRange() and check_port()): a number from 0 to 65535 or a name of
 * /etc/services (of any protocol), or a range of two such, either way round ("30-20" is 20-30, "ftp-data-ftp"
 * 20-21), followed by "/PROTOCOL". Pure, but for the lookup of names in /etc/services. */

#include <stdbool.h>
#include <stddef.h>

typedef struct PortRange {
        char proto[8];
        unsigned lo, hi;
} PortRange;

/* The port or range of text[0..len) into lo and hi (lo == hi: one port); -EINVAL when it reads as none, or more
 * than one way. Numbers alone ("22", "6000-6010") are read without looking up a name. */
int port_spec_parse(const char *text, size_t len, unsigned *ret_lo, unsigned *ret_hi);
/* "SPEC/PROTOCOL" (port_spec_parse()) into *ret; the protocol is not checked but for its length. */
int port_range_parse(const char *text, PortRange *ret);
/* Whether outer holds all of inner (firewalld's portInPortRange()). */
bool port_range_covers(const PortRange *outer, const PortRange *inner);
