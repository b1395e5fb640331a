/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld's rich rules (firewalld.richlanguage(5)) as far as nftbus's zones have them: a rule with a family,
 * a priority, a source and a destination address (each may be NOT) and the action accept, reject or drop. The
 * rest of the language (services, ports, protocols, ICMP, masquerade, port forwards, logging, marks, limits,
 * reject types, MACs and ipsets) is refused as not offered, not as invalid. Pure.
 *
 * A zone keeps a rule as firewalld's canonical text ('rule family="ipv4" source address="10.0.0.1" accept'),
 * which is how firewalld compares, lists and stores them, and which rich_rule_canonical() makes of any form
 * firewalld accepts (attributes quoted or not, in any order). Where in the zone's chain a rule goes follows
 * firewalld's nftables backend: a priority below 0 before everything else, 0 with the ICMP blocks (reject,
 * drop) or with what the zone allows (accept), above 0 after that and before the target; by priority within
 * each place, then in the order added. A zone's rich rules filter what comes in, not what it forwards. */

#include <stdbool.h>
#include <stdio.h>

typedef enum RichAction {
        RICH_ACCEPT,
        RICH_REJECT,
        RICH_DROP,
} RichAction;

typedef struct RichRule {
        int priority;    /* -32768 to 32767 */
        int family;      /* 0 (both), 4 or 6 */
        char source[64]; /* an address or prefix as written, or "" */
        bool source_not;
        char destination[64];
        bool destination_not;
        RichAction action;
} RichRule;

/* Parses a rich rule. 0 and *ret; -EINVAL for a rule firewalld refuses too, *ret_code its error code
 * (INVALID_RULE, INVALID_PRIORITY, INVALID_FAMILY, MISSING_FAMILY, INVALID_ADDR); -EOPNOTSUPP for a rule of the
 * language that nftbus does not offer yet, *ret_code NOT_SUPPORTED; either way *ret_why a sentence. */
int rich_rule_parse(const char *text, RichRule *ret, const char **ret_code, char **ret_why);
/* firewalld's canonical text of a rule. */
int rich_rule_format(const RichRule *r, char **ret);
/* rich_rule_parse() then rich_rule_format(): the text a zone keeps. */
int rich_rule_canonical(const char *text, char **ret_canonical, const char **ret_code, char **ret_why);

/* Where a rule goes in a zone's chain (see above): 'p'riority below 0, 'd'eny, 'a'llow, 'l'ast (above 0). */
char rich_rule_place(const RichRule *r);
/* The nft rule of one (a line for a chain of table inet nftbus_zones, with its tabs and newline). */
void rich_rule_print_nft(FILE *f, const RichRule *r);
