/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The stable D-Bus error names of org.nftbus.Firewall1 and the mapping of libnftables' messages onto
 * them. Pure: no bus connection, no I/O. */

#include <systemd/sd-bus.h>

#define NFTBUS_ERROR_PREFIX "org.nftbus.Firewall1.Error."
/* A value the method does not take (a name, family, rule body, option, ...), said before polkit is asked and
 * before anything changes; the message names the value and what is expected. */
#define NFTBUS_ERROR_INVALID_ARGUMENT NFTBUS_ERROR_PREFIX "InvalidArgument"
/* What the call names is not there: a table, chain, rule handle, set, element, zone, ... */
#define NFTBUS_ERROR_NOT_FOUND NFTBUS_ERROR_PREFIX "NotFound"
/* What the call would make is there already. */
#define NFTBUS_ERROR_ALREADY_EXISTS NFTBUS_ERROR_PREFIX "AlreadyExists"
/* nftables refused the transaction; the message is libnftables', cut to a sane size. Nothing changed. */
#define NFTBUS_ERROR_REJECTED NFTBUS_ERROR_PREFIX "Rejected"
/* The answer or the input would not fit in a message of the bus, or exceeds a limit; the message names the
 * method that passes a file descriptor instead. */
#define NFTBUS_ERROR_TOO_LARGE NFTBUS_ERROR_PREFIX "TooLarge"
/* The object is in use (a chain a rule jumps to), or too many calls of one caller wait for polkit. */
#define NFTBUS_ERROR_BUSY NFTBUS_ERROR_PREFIX "Busy"
/* The executor died during the call; it is restarted. Whether the kernel committed is unknown. */
#define NFTBUS_ERROR_BACKEND_FAILED NFTBUS_ERROR_PREFIX "BackendFailed"
/* A runtime zone change while zones are off (Manager.ZonesState "off"): it would change nothing that
 * filters. */
#define NFTBUS_ERROR_ZONES_OFF NFTBUS_ERROR_PREFIX "ZonesOff"

extern const sd_bus_error_map nftbus_error_map[];

/* Registers nftbus_error_map with sd-bus so errno values and names translate both ways. */
int nftbus_errors_register(void);

/* The error name that fits a libnftables error message: NotFound for ENOENT, AlreadyExists for
 * EEXIST, TooLarge for E2BIG/ERANGE/EFBIG, Busy for EBUSY, otherwise Rejected. */
const char *nft_error_name(const char *message);

/* libnftables' message as the caller should read it: the location prefix of JSON input
 * ("internal:0:0-0: ") and trailing white space removed, lines longer than NFT_ERROR_LINE_MAX cut
 * (ending in "..."), and nothing after NFT_ERROR_MESSAGE_MAX bytes. NULL on OOM. */
#define NFT_ERROR_LINE_MAX 1024
#define NFT_ERROR_MESSAGE_MAX (64 * 1024)
char *nft_error_message(const char *message);

/* message (as nft_error_message() gives it) with each "No such file or directory" and "File exists" that
 * nft underlines said in words, named from the underlined text and the command around it: "No rule with
 * handle 99 in chain inet t c", "No set or map 'blocked' in table inet t", "No chain 'x' in table inet t",
 * "No counter 'c' in table inet t", "No element 10.0.0.9 in set inet t s", "Table inet t exists already",
 * "Element 10.0.0.1 exists already in set inet t s", otherwise "'X' does not exist"; the quoted command and
 * its underline stay. Other text is unchanged. NULL on OOM. */
char *nft_error_explain(const char *message);
