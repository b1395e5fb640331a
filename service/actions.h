/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one table that maps every D-Bus method to the polkit action that guards it. The authorisation
 * code looks the action up from the message itself, so a method without an entry is refused. */

#include <stddef.h>

#define NFTBUS_ACTION_PREFIX "org.nftbus.Firewall1."

typedef struct MethodAction {
        const char *interface; /* full interface name */
        const char *method;
        const char *action; /* full polkit action id */
} MethodAction;

extern const MethodAction method_actions[];
extern const size_t method_actions_count;

/* Every action the policy file declares, NULL-terminated; some guard methods of later interfaces. */
extern const char *const nftbus_actions[];

const char *action_for_method(const char *interface, const char *method);
