/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The saved ruleset, pure: nft's listing of the managed tables between a header line and a trailer
 * line that carries the body's length and checksum, so that a truncated or altered file is known as
 * such and nothing of it is applied. */

#include <stddef.h>

#define STATE_FILE_HEADER "# nftbus saved ruleset, format 1: nftbusd restores the tables missing at start\n"

/* header, listing, trailer ("# end of nftbus saved ruleset: N bytes, fnv1a XXXXXXXX") */
int state_file_compose(const char *listing, char **ret);

typedef struct StateTable {
        char *family;
        char *name;
        char *text; /* "table FAMILY NAME {\n...\n}\n" */
} StateTable;

void state_tables_free(StateTable *tables, size_t n);

/* Splits nft's listing (len bytes of text) into its tables, each checked as an Apply batch would be. */
int state_tables_split(const char *text, size_t len, StateTable **ret, size_t *ret_n, char **ret_why);

/* Checks the header, the trailer, length and checksum, and splits the body into its tables, each
 * checked as an Apply batch would be. A sentence for the log in *ret_why. */
int state_file_parse(const char *content, StateTable **ret, size_t *ret_n, char **ret_why);
