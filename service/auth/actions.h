/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one table that maps every D-Bus method to the polkit action that guards it. The authorisation
 * code looks the action up from the message itself, so a method without an entry is refused. */

#include <stddef.h>

#define NFTBUS_ACTION_PREFIX "org.nftbus.Firewall1."
/* firewalld's actions, for its API (firewalld/main.c), declared by polkit/org.fedoraproject.FirewallD1.nftbus.policy
 */
#define FIREWALLD_ACTION_PREFIX "org.fedoraproject.FirewallD1."

typedef struct MethodAction {
        const char *interface; /* full interface name */
        const char *method;
        const char *action; /* full polkit action id */
} MethodAction;

extern const MethodAction method_actions[];
extern const size_t method_actions_count;

/* Every action the policy file declares, NULL-terminated; some guard methods of later interfaces. */
extern const char *const nftbus_actions[];
/* firewalld's actions that its API's methods are checked against, NULL-terminated. */
extern const char *const firewalld_actions[];

const char *action_for_method(const char *interface, const char *method);

/* What hooks into the traffic itself: base chains (a hook, a priority, a policy) are made, deleted and
 * given policies under this action, not under manage-tables, so that delegating a table (or a chain's
 * rules) never hands over the host's traffic: a base chain at priority -400 with policy drop decides for
 * every packet. Table.AddChain with option hook and Chain.Delete of a base chain are checked against it;
 * Chain.SetPolicy always is (only base chains have policies). */
#define NFTBUS_ACTION_MANAGE_BASE_CHAINS NFTBUS_ACTION_PREFIX "manage-base-chains"

/* A rule that writes into a set from the packet path ("add @blocklist { ip saddr }") changes that set's
 * elements as surely as AddElements does: beside manage-rules for its chain, it needs manage-elements
 * for each set it writes, with the details family, table and set. */
#define NFTBUS_ACTION_MANAGE_ELEMENTS NFTBUS_ACTION_PREFIX "manage-elements"
