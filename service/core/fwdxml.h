/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld's configuration files (firewalld.zone(5), firewalld.policy(5), firewalld.service(5),
 * firewalld.ipset(5), firewalld.helper(5), firewalld.icmptype(5)) and nftbus's KEY=VALUE lines of the same
 * objects are two spellings of the same keys: an element or an attribute is a line (<port port="22"
 * protocol="tcp"/> is port=22/tcp, <zone target="DROP"> is target=drop, a <rule> the text of its rich rule), so that
 * one parser and one set of checks read both (core/zonespec.h, core/policyspec.h, core/ipsetspec.h). The XML is
 * read with expat, as firewalld reads it (Python's xml.sax is expat). Pure. */

#include <stddef.h>

typedef enum FwdFileKind {
        FWD_FILE_ZONE,
        FWD_FILE_POLICY,
        FWD_FILE_SERVICE,
        FWD_FILE_IPSET,
        FWD_FILE_HELPER,
        FWD_FILE_ICMPTYPE,
        _FWD_FILE_MAX,
} FwdFileKind;

/* The root element of a kind's files ("zone"), which is also the name of its folder without the 's'. */
const char *fwd_file_root(FwdFileKind kind);

/* The KEY=VALUE lines of firewalld's XML of one object, each said to be of the line where its element starts ("#line
 * N" before it, as C's preprocessor says it: key_values_line() reads it), so that a parser's "Line N of FILE" is the
 * XML's. A zone's lines say forward=no first: a zone file without
 * <forward/> does not forward within the zone. An element firewalld does not know is passed over, as firewalld
 * passes it over, and said in *ret_warnings (lines appended; NULL: not wanted). -EINVAL with a sentence naming
 * origin and line: XML that is not well-formed, another root element, a DOCTYPE (nothing is expanded or fetched),
 * an element without the attribute it needs, a value with a double quote or a line break where one cannot be. */
int fwd_xml_to_keys(FwdFileKind kind, const char *xml, size_t size, const char *origin, char **ret_keys,
                    char **ret_warnings, char **ret_why);

/* firewalld's XML of an object from its KEY=VALUE lines (as zone_format(), policy_format() and ipset_format()
 * write them; '#' comments passed over), in firewalld's order of elements and with its indentation. -EINVAL with
 * a sentence for a line no element says. */
int fwd_keys_to_xml(FwdFileKind kind, const char *keys, char **ret_xml, char **ret_why);
