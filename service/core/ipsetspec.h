/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld's ipsets (firewalld.ipset(5)) as sets of nftbus's zone table: a named set of one of firewalld's
 * types (hash:ip, hash:ip,port, ..., hash:mac), with its options (family, timeout, hashsize, maxelem), a short
 * name and a description, and entries written as firewalld writes them ("10.0.0.0/8", "192.0.2.1,tcp:80").
 * Here: the model, firewalld's checks of names, options and entries (its words and error codes), and what the
 * zones' ruleset says of an ipset: the set's declaration, an entry as an element, and the match of a zone
 * source or rich rule. Pure: no I/O but the FILE streams given.
 *
 * An ipset is the set ipset_NAME of table inet nftbus_zones (a ':' of the name, which nft's syntax cannot
 * write, is a '/' there: firewalld's names never hold one). Its entries are shared between copies of a
 * configuration (a million of them are not copied for every zone change); a change of them unshares first. */

#include <stdbool.h>
#include <stdio.h>

#include "core/zonespec.h"

#define IPSET_NAME_MAX 32         /* firewalld's IPSET_MAXNAMELEN */
#define IPSET_SET_PREFIX "ipset_" /* the set's name in the zones' table */

typedef enum IPSetType {
        IPSET_HASH_IP,
        IPSET_HASH_IP_PORT,
        IPSET_HASH_IP_PORT_IP,
        IPSET_HASH_IP_PORT_NET,
        IPSET_HASH_IP_MARK,
        IPSET_HASH_NET,
        IPSET_HASH_NET_NET,
        IPSET_HASH_NET_PORT,
        IPSET_HASH_NET_PORT_NET,
        IPSET_HASH_NET_IFACE,
        IPSET_HASH_MAC,
        _IPSET_TYPE_MAX,
} IPSetType;

/* An ipset's entries, shared by the copies of a configuration that hold the same ones. */
typedef struct IPSetEntries {
        unsigned n_ref;
        StrList list; /* in the order added, as firewalld lists them */
} IPSetEntries;

struct IPSet {
        char name[IPSET_NAME_MAX + 1];
        IPSetType type;
        char *version, *short_name, *description; /* never NULL */
        StrList options;                          /* "family=inet6", "timeout=60": firewalld's a{ss}, in order */
        IPSetEntries *entries;                    /* never NULL; empty for an ipset with a timeout */
};

const char *ipset_type_name(IPSetType t);
int ipset_type_of_name(const char *s); /* -EINVAL: not one of firewalld's */

/* A new ipset without options or entries; NULL: out of memory. */
IPSet *ipset_new(const char *name, IPSetType type);
void ipset_free(IPSet *s);
static inline void ipset_freep(IPSet **s)
{
        ipset_free(*s);
}
/* A copy that shares the entries; NULL: out of memory. */
IPSet *ipset_copy(const IPSet *s);
/* Makes s's entries its own, to change them (a copy when they are shared). */
int ipset_entries_unshare(IPSet *s);
/* Entries of list (taken, NULL: none), one reference; NULL: out of memory. */
IPSetEntries *ipset_entries_new(StrList *list);
void ipset_entries_unref(IPSetEntries *e);
/* s's entries are e's from now on (a reference of s's own). */
void ipset_entries_use(IPSet *s, IPSetEntries *e);
/* Puts entries (taken, NULL: none) in place of s's. */
int ipset_entries_replace(IPSet *s, StrList *entries);

/* options (key=value items) with key's value value, in place of the one it had, which goes (NULL: removed);
 * a new value goes last, as firewalld's dict takes a key anew. 0 or -ENOMEM. */
int ipset_options_put(StrList *options, const char *key, const char *value);
/* An option's value, or NULL. */
const char *ipset_option(const IPSet *s, const char *key);
/* 6 for family inet6, else 4 (hash:mac has no family: 0). */
int ipset_family(const IPSet *s);
/* Whether its entries carry a timeout: firewalld then keeps no list of them, the kernel alone has them. */
bool ipset_has_timeout(const IPSet *s);
/* Whether zones take it as a source (firewalld's SOURCE_IPSET_TYPES). */
bool ipset_usable_as_source(IPSetType t);
/* The number of fields of an entry ("hash:ip,port": 2). */
size_t ipset_dimension(IPSetType t);

/* ---- firewalld's checks: -EINVAL with *ret_code its error code and *ret_why its words ---- */

/* A name: letters, digits, '_', '-', ':', '.' (ASCII), 1 to 32 of them. */
int ipset_check_name(const char *name, const char **ret_code, char **ret_why);
/* A version, short name or description (field: its name, for the words): one line of at most IPSET_TEXT_MAX
 * bytes without control characters, as its file holds it (INVALID_SETTING: firewalld, whose files are XML,
 * takes any text). */
#define IPSET_TEXT_MAX 4096
int ipset_check_text(const char *field, const char *value, const char **ret_code, char **ret_why);
/* One option (key family, hashsize, maxelem or timeout) and its value. */
int ipset_check_option(const char *key, const char *value, const char **ret_code, char **ret_why);
/* Options and entries as a whole, as firewalld takes an ipset's settings: each option, then no entries with a
 * timeout (IPSET_WITH_TIMEOUT), then each entry (not normalized: firewalld checks them as given). */
int ipset_check_settings(IPSetType type, const StrList *options, const StrList *entries, const char **ret_code,
                         char **ret_why);
/* An entry for s: its networks normalized as firewalld does ("10.0.0.5/24" is "10.0.0.0/24") into
 * *ret_normalized, then checked against s's type and family. */
int ipset_check_entry(const IPSet *s, const char *entry, char **ret_normalized, const char **ret_code, char **ret_why);
/* firewalld's check of an entry as given, without normalizing (family: 4 or 6). */
int ipset_check_entry_as_is(IPSetType type, int family, const char *entry, const char **ret_code, char **ret_why);
/* The entry of list that overlaps entry, for entries that are one network each (NULL: none, or entry is not
 * one network): what firewalld refuses as INVALID_ENTRY. O(n): for the error path. */
const char *ipset_entry_overlapping(const StrList *list, const char *entry);
/* firewalld's check of a whole list (setEntries): when every entry is one network, two that overlap are
 * INVALID_ENTRY "Entry 'A' overlaps entry 'B'". n log n. */
int ipset_entries_check_overlaps(const StrList *entries, const char **ret_code, char **ret_why);

/* ---- the zones' ruleset ---- */

/* The set's name in the zones' table: "ipset_" and the name, ':' written '/'. */
void ipset_set_name(const char *name, char buf[static sizeof(IPSET_SET_PREFIX) + IPSET_NAME_MAX]);
/* The set's key type as nftables names it ("ipv4_addr . inet_proto . inet_service") and whether it takes
 * intervals (firewalld's: any ip, net or port field). */
int ipset_set_type(const IPSet *s, char **ret_type, bool *ret_interval);
/* An entry (checked) as an element of the set, in nftbus's element syntax (core/setelem.h):
 * "192.0.2.1 . tcp . 80". -EINVAL (*ret_why) for what the set cannot hold (an ICMP type as a port). */
int ipset_element_text(const IPSet *s, const char *entry, char **ret, char **ret_why);
/* "set ipset_NAME { ... }", a tab before each line; with elements, its elements: its entries, or for an ipset
 * with a timeout the lines "SETNAME\tELEMENT" of carried that are its. */
int ipset_declare(FILE *f, const IPSet *s, const StrList *carried, bool elements);
/* The match of a zone source or a rich rule's source or destination, as firewalld's nftables backend writes
 * it: "ip saddr . meta l4proto . th sport @ipset_NAME" (invert: "!=" before the set). A source's interface
 * field is the output interface and a destination's the input one, as firewalld has them. */
void ipset_match(FILE *f, const IPSet *s, bool destination, bool invert);

/* ---- the list of a configuration ---- */

IPSet *ipset_list_find(const IPSetList *l, const char *name);
/* The place of the one named name (true), or where it would go (false). */
bool ipset_list_index(const IPSetList *l, const char *name, size_t *ret);
/* Puts s (taken) into l, in place of the one of its name if there is one. */
int ipset_list_put(IPSetList *l, IPSet *s);
int ipset_list_remove(IPSetList *l, const char *name); /* 1 removed, 0 none */
int ipset_list_copy(const IPSetList *from, IPSetList *to);
void ipset_list_done(IPSetList *l);

/* ---- files: /etc/nftbus/ipsets/NAME.ipset ---- */

/* key=value lines, '#' comments: type (once, first), option (KEY=VALUE), short, description, version,
 * entry. Checked as the bus checks calls; a duplicate or bad entry is refused with its line (origin: the
 * file's path). */
int ipset_parse(const char *name, const char *origin, FILE *f, IPSet **ret, char **ret_why);
int ipset_format(const IPSet *s, char **ret);
/* Whether a and b make the same set (type, family, timeout, size), whatever their entries. */
bool ipset_same_set(const IPSet *a, const IPSet *b);
/* Whether a and b hold the same entries (shared, or equal in order). */
bool ipset_entries_equal(const IPSet *a, const IPSet *b);
/* Whether a and b say the same (settings, and entries compared only when not shared). */
bool ipset_equal(const IPSet *a, const IPSet *b);
