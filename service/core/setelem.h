/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Set and map elements as text and as the kernel's bytes: the data types nftables names, the shape of a
 * set's elements (its key fields, interval or not, map data), and the parser and printer of one element.
 * Elements are never spliced into nft syntax: they are parsed here, strictly, into the bytes the kernel
 * stores, and printed back from them. Pure: no bus, no I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* nftables' data type numbers (its enum datatypes), as the kernel stores them in NFTA_SET_KEY_TYPE and
 * NFTA_SET_DATA_TYPE; a concatenation packs one per 6 bits, the first field highest. */
#define DATATYPE_VERDICT 1
#define DATATYPE_BITS 6

/* The kernel's limits: 16 registers of 4 bytes for a key, one of 16 bytes for data. */
#define SET_KEY_MAX 64
#define SET_DATA_MAX 64
#define SET_FIELDS_MAX 16

typedef struct DataType {
        uint32_t id;
        const char *name;
        uint32_t len;    /* bytes in the kernel; 0 when nftbus does not encode this type itself */
        bool ordered;    /* big-endian bytes, so that ranges and prefixes make sense */
        uint32_t prefix; /* bits of an address, for prefixes; 0 when the type has none */
} DataType;

const DataType *datatype_by_name(const char *name);
const DataType *datatype_by_id(uint32_t id);

/* What the elements of one set look like. */
typedef struct SetShape {
        const DataType *key[SET_FIELDS_MAX];
        size_t n_key;
        size_t key_len; /* each field padded to 4 bytes when there are several */
        bool interval;
        bool map;
        const DataType *data; /* maps: the value's type (DATATYPE_VERDICT for verdict maps) */
        size_t data_len;
} SetShape;

/* "ipv4_addr" or "ipv4_addr . inet_service" into the field types; every name must be known. Returns 0,
 * or -EINVAL with a sentence in *ret_why. */
int set_type_parse(const char *text, const DataType **ret_fields, size_t *ret_n, char **ret_why);

/* A set's flags as AddSet takes them: constant, interval, timeout, dynamic, each once. Reports whether
 * interval and timeout are among them, and the flags joined by commas for nft syntax (NULL for none). */
int set_flags_check(char *const *flags, int *ret_interval, int *ret_timeout, char **ret_text, char **ret_why);

/* The kernel's packed type number back into "ipv4_addr . inet_service"; an unknown number prints as
 * "type 99". */
int set_type_to_string(uint32_t packed, char **ret);

/* The packed number of fields, for the shape of a set created through nftbus. */
uint32_t set_type_pack(const DataType *const *fields, size_t n);

/* The shape from the kernel's description of a set. Returns 0, or -EOPNOTSUPP when a field's or the
 * data's type is one nftbus does not encode itself (its elements then cannot be changed through nftbus). */
int set_shape_from_kernel(uint32_t key_type, uint32_t data_type, bool interval, bool map, SetShape *ret);

typedef struct Element {
        uint8_t key[SET_KEY_MAX];
        uint8_t key_last[SET_KEY_MAX]; /* interval sets: the last value the element covers */
        bool range;                    /* key_last differs from key */
        uint8_t data[SET_DATA_MAX];
        int32_t verdict; /* NF_ACCEPT, NF_DROP, NFT_CONTINUE, NFT_RETURN, NFT_JUMP, NFT_GOTO */
        char chain[256]; /* jump and goto */
} Element;

/* What the kernel keeps with an element besides its key and value. */
typedef struct ElementDetails {
        uint64_t timeout_ms; /* the element's own timeout, or the set's; 0: none */
        uint64_t expires_ms; /* what is left of it; 0: none */
        bool has_counter;
        uint64_t packets, bytes;
        char comment[256]; /* "" for none */
} ElementDetails;

/* One element and its details as a line of JSON, without the newline: {"element": text, "timeout_ms",
 * "expires_ms", "packets", "bytes", "comment"}, each detail only when the element has it. -ENOMEM. */
int element_details_json(const char *text, const ElementDetails *d, char **ret);

/* One element as a person writes it: fields joined by " . ", "VALUE", "ADDR/PREFIX" or "FROM-TO" in
 * interval sets, and " : VALUE" for maps. Returns 0, or -EINVAL with a sentence in *ret_why. */
int element_parse(const SetShape *shape, const char *text, Element *ret, char **ret_why);

/* The text of an element, as element_parse() reads it and nft prints it. */
int element_format(const SetShape *shape, const Element *e, char **ret);

/* Adds one to a big-endian key of len bytes; false when it wraps past the highest value. */
bool key_increment(uint8_t *key, size_t len);
/* Subtracts one; false when it was zero. */
bool key_decrement(uint8_t *key, size_t len);
