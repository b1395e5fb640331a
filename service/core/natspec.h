/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NAT entries (the NAT interface's Masquerade, PortForward, SourceNat, DestinationNat, StaticNat and
 * Redirect): validated, written as the nft rules of table inet nftbus_nat, and read back from those
 * rules' comments. An entry's comment is its canonical spec ("port-forward proto=tcp port=8080
 * to=192.0.2.2 to_port=80"); its id is a hash of that spec, so the same call twice is the same entry.
 * Pure: no I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define NAT_TABLE "nftbus_nat"

typedef enum NatKind {
        NAT_MASQUERADE,
        NAT_PORT_FORWARD,
        NAT_SOURCE,
        NAT_DESTINATION,
        NAT_STATIC,
        NAT_REDIRECT,
        _NAT_KIND_MAX,
} NatKind;

/* Every text field is normalised (addresses as inet_ntop prints them) or NULL when not given. */
typedef struct NatEntry {
        NatKind kind;
        char *out_interface;
        char *in_interface;
        char *source;      /* an address or prefix the packet comes from */
        char *destination; /* an address the packet goes to */
        char *protocol;    /* tcp, udp, sctp or udplite */
        uint16_t port;
        uint16_t port_last; /* the end of a port range "port-port_last"; 0 for one port */
        char *to_address;
        uint16_t to_port;
        char *family; /* ipv4 or ipv6; NULL for both */
} NatEntry;

void nat_entry_clear(NatEntry *e);

typedef enum NatFieldType {
        NAT_FIELD_FAMILY,    /* ipv4 or ipv6 */
        NAT_FIELD_INTERFACE, /* an interface name */
        NAT_FIELD_PREFIX,    /* an address or prefix (where a method takes one address, its setter says so) */
        NAT_FIELD_PROTOCOL,  /* tcp, udp, sctp or udplite */
        NAT_FIELD_PORT,      /* a uint16_t, 0 when not given */
        NAT_FIELD_PORTS,     /* a uint16_t and the port_last after it: "8000" or "8000-8010" */
} NatFieldType;

/* A field of NatEntry: its key in a spec, its name on the bus (List's parameters), and where it is. */
typedef struct NatField {
        const char *key;
        const char *name;
        NatFieldType type;
        size_t offset;
} NatField;

/* In the order a spec writes them. */
extern const NatField nat_fields[];
extern const size_t nat_fields_count;

/* The field in e: a char * for every type but the two port types, a uint16_t for those (NAT_FIELD_PORTS: the
 * first port, port_last follows it). */
bool nat_field_is_port(const NatField *f);
char **nat_field_string(const NatEntry *e, const NatField *f);
uint16_t *nat_field_port(const NatEntry *e, const NatField *f);

const char *nat_kind_to_string(NatKind k);

/* Setters that validate and normalise; -EINVAL with a sentence in *ret_why. */
int nat_set_interface(char **field, const char *what, const char *value, char **ret_why);
int nat_set_address(char **field, const char *what, const char *value, bool prefix_allowed, char **ret_why);
int nat_set_protocol(NatEntry *e, const char *value, char **ret_why);
int nat_set_port(uint16_t *field, const char *what, uint32_t value, bool zero_allowed, char **ret_why);
/* The end of e's port range (0: none): above the port, and not without one. */
int nat_set_port_last(NatEntry *e, uint32_t value, char **ret_why);

/* Checks that the fields fit together (one address family, what each kind needs, a static entry's two
 * prefixes of one length) and fills in the family. */
int nat_entry_check(NatEntry *e, char **ret_why);

/* The canonical spec, at most 127 bytes (a rule comment's limit), and the id that names it. */
int nat_entry_spec(const NatEntry *e, char **ret_spec);
void nat_spec_id(const char *spec, char ret_id[static 9]);

/* Reads a spec back (from a rule comment); -EINVAL when it is not one. */
int nat_spec_parse(const char *spec, NatEntry *ret);

/* The nft commands that make the table and its base chains (idempotent: "add"). */
const char *nat_setup_commands(void);

/* How specific the entry's rule in chain ("prerouting" or "postrouting") is: the address bits it matches
 * (source and destination prefix lengths), then a port over a port range over none, then a protocol, then
 * interfaces. A chain keeps its entries in falling order, so that a 1:1 or source-specific SNAT comes
 * before the masquerade of its interface and a specific DNAT before a broad one, whatever the call order. */
unsigned nat_entry_rank(const NatEntry *e, const char *chain);

/* A rule of table inet nftbus_nat with its comment. */
typedef struct NatRule {
        char chain[32];
        uint64_t handle;
        const char *spec; /* the comment, in the listing it was read from */
} NatRule;

/* The rules with comments of the table's libnftables JSON listing; the specs point into listing. 0 or
 * -ENOMEM. */
int nat_rules_of(const json_t *listing, NatRule **ret, size_t *ret_n);

/* "delete rule inet nftbus_nat CHAIN handle H" for each rule of the entry id, one per line; *ret is NULL
 * when the entry has none. 0 or -ENOMEM. */
int nat_delete_commands(const NatRule *rules, size_t n, const char *id, char **ret);

/* The nft commands that add the entry's rules, each carrying the spec as its comment, each in its chain
 * before the first of rules (the table's, in chain order) that is less specific (nat_entry_rank), at the
 * end when none is. */
int nat_entry_commands(const NatEntry *e, const char *spec, const NatRule *rules, size_t n, char **ret_text);
