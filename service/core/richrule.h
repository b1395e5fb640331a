/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld's rich rules, the whole language of firewalld.richlanguage(5): a rule with a family and a priority,
 * a source (address, MAC or ipset, each may be NOT) and a destination (address or ipset), at most one element
 * (service, port, protocol, icmp-block, icmp-type, masquerade, forward-port, source-port, tcp-mss-clamp), a log
 * (log or nflog, with a limit), audit (with a limit) and an action (accept, reject with a type, drop, mark, each
 * with a limit). Pure.
 *
 * The parser reads a rule as firewalld's does (its stack of elements, its attributes, its checks in its order),
 * so that what firewalld refuses is refused with firewalld's code and words, and what it takes is taken. A zone
 * keeps a rule as firewalld's canonical text ('rule family="ipv4" source address="10.0.0.1" accept'), which is
 * how firewalld compares, lists and stores rules, and which rich_rule_canonical() makes of any form firewalld
 * accepts (attributes quoted or not, in any order, a limit in words or letters).
 *
 * Where a rule's nft rules go follows firewalld's nftables backend (rich_rule_place(), rich_rule_log_place()):
 * a priority below 0 before everything else of its chain, then the log rules of priority 0, then what refuses
 * (reject, drop, ICMP blocks), then what allows (accept, mark, the NAT elements), then a priority above 0; by
 * priority within each place, then in the order added. Which chain: the zone's input chain for most; its
 * port forwards (prerouting) for forward-port, its masquerade (postrouting, by where packets go) for
 * masquerade, its forwarding for tcp-mss-clamp, and mangle's prerouting for mark (rich_rule_chain()). */

#include <stdbool.h>
#include <stdio.h>

#include "core/zonespec.h"

#define RICH_VALUE_MAX 256

typedef enum RichElement {
        RICH_NO_ELEMENT,
        RICH_SERVICE,
        RICH_PORT,
        RICH_PROTOCOL,
        RICH_ICMP_BLOCK,
        RICH_ICMP_TYPE,
        RICH_MASQUERADE,
        RICH_FORWARD_PORT,
        RICH_SOURCE_PORT,
        RICH_TCP_MSS_CLAMP,
} RichElement;

typedef enum RichAction {
        RICH_NO_ACTION,
        RICH_ACCEPT,
        RICH_REJECT,
        RICH_DROP,
        RICH_MARK,
} RichAction;

typedef enum RichLog {
        RICH_NO_LOG,
        RICH_LOG,
        RICH_NFLOG,
} RichLog;

/* A source or a destination: one of an address (or prefix), a MAC (sources) or an ipset, as written (a MAC in
 * upper case, as firewalld keeps it); "" where not given. */
typedef struct RichPeer {
        bool present, invert;
        char address[RICH_VALUE_MAX];
        char mac[RICH_VALUE_MAX];
        char ipset[RICH_VALUE_MAX];
} RichPeer;

/* Every value is kept as written, as firewalld prints it back; "" where not given. A limit is "RATE/UNIT" with
 * UNIT one letter (s, m, h, d), as firewalld shortens it. */
typedef struct RichRule {
        int priority; /* -32768 to 32767 */
        int family;   /* 0 (both), 4 or 6 */
        RichPeer source, destination;

        RichElement element;
        char name[RICH_VALUE_MAX];     /* service, icmp-block, icmp-type */
        char port[RICH_VALUE_MAX];     /* port, source-port, forward-port */
        char protocol[RICH_VALUE_MAX]; /* the same, and protocol's value */
        char to_port[RICH_VALUE_MAX];  /* forward-port */
        char to_addr[RICH_VALUE_MAX];
        char value[RICH_VALUE_MAX]; /* tcp-mss-clamp's, "" for pmtu */

        RichLog log;
        char log_prefix[RICH_VALUE_MAX];
        char log_level[RICH_VALUE_MAX];   /* log */
        char nflog_group[RICH_VALUE_MAX]; /* nflog */
        char nflog_queue_size[RICH_VALUE_MAX];
        char log_limit[RICH_VALUE_MAX];

        bool audit;
        char audit_limit[RICH_VALUE_MAX];

        RichAction action;
        char reject_type[RICH_VALUE_MAX];
        char mark[RICH_VALUE_MAX]; /* "VALUE" or "VALUE/MASK" */
        char action_limit[RICH_VALUE_MAX];
} RichRule;

/* Parses a rule: 0 and *ret, or -EINVAL with *ret_code firewalld's error code (INVALID_RULE, INVALID_PRIORITY,
 * MISSING_FAMILY, INVALID_ADDR, INVALID_PORT, INVALID_LIMIT, ...) and *ret_why its words ("" where firewalld says
 * the code only). What the rule names (a service, an ICMP type, an ipset) is not looked up here: the zone
 * checks it. */
int rich_rule_parse(const char *text, RichRule *ret, const char **ret_code, char **ret_why);
/* firewalld's canonical text of a rule. */
int rich_rule_format(const RichRule *r, char **ret);
/* rich_rule_parse() then rich_rule_format(): the text a zone keeps. */
int rich_rule_canonical(const char *text, char **ret_canonical, const char **ret_code, char **ret_why);

/* Which of a zone's chains a rule's nft rules go to. */
typedef enum RichChain {
        RICH_CHAIN_INPUT,       /* what the zone lets reach the host */
        RICH_CHAIN_PREROUTING,  /* forward-port: the zone's port forwards */
        RICH_CHAIN_POSTROUTING, /* masquerade: what goes out through the zone */
        RICH_CHAIN_FORWARD,     /* tcp-mss-clamp: what the zone forwards */
        RICH_CHAIN_MANGLE,      /* mark: what comes in through the zone, before routing */
} RichChain;
RichChain rich_rule_chain(const RichRule *r);

/* Where in its chain (see above): 'p'riority below 0, 'L'og, 'd'eny, 'a'llow, 'l'ast (above 0); the log and
 * audit rules of a rule of priority 0 go apart, before its action. */
char rich_rule_place(const RichRule *r);
char rich_rule_log_place(const RichRule *r);

/* Whether a rule's family is not the family of an ipset it names (firewalld takes such a rule: it matches
 * nothing, and nft's syntax cannot say it). */
bool rich_rule_matches_nothing(const RichRule *r, const IPSetList *ipsets);
/* The nft matches of a rule's family, destination and source ("meta nfproto ipv4 ip saddr 10.0.0.0/8 "), each
 * followed by a space; an ipset's as ipset_match() writes it, from ipsets (core/ipsetspec.h). */
void rich_rule_print_peers(FILE *f, const RichRule *r, const IPSetList *ipsets);
/* The rules that end one match (a line each, with its tabs): of those that belong at place, the log, the audit
 * and the action, each after the match and its limit. match: the whole match ("meta nfproto ipv4 tcp dport 22
 * "). For the elements without an action (icmp-block: refuse; forward-port, masquerade, tcp-mss-clamp: their
 * statement), the statement after the match. */
void rich_rule_print_terminals(FILE *f, const RichRule *r, char place, const char *match, const char *statement);

/* The reject statement of a reject type ("reject with icmp type host-prohibited"); NULL for an unknown type. */
const char *rich_reject_statement(const char *type);
