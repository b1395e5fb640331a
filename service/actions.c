/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "actions.h"
#include "objpath.h"
#include "util.h"

#define READ NFTBUS_ACTION_PREFIX "read"
#define MANAGE_TABLES NFTBUS_ACTION_PREFIX "manage-tables"

const char *const nftbus_actions[] = {
        NFTBUS_ACTION_PREFIX "read",
        NFTBUS_ACTION_PREFIX "manage-tables",
        NFTBUS_ACTION_PREFIX "manage-rules",
        NFTBUS_ACTION_PREFIX "manage-elements",
        NFTBUS_ACTION_PREFIX "sysctl",
        NFTBUS_ACTION_PREFIX "nat",
        NFTBUS_ACTION_PREFIX "apply-preset",
        NFTBUS_ACTION_PREFIX "apply-batch",
        NFTBUS_ACTION_PREFIX "persist",
        NULL,
};

const MethodAction method_actions[] = {
        { NFTBUS_MANAGER_INTERFACE, "ListTables", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetTable", READ },
        { NFTBUS_MANAGER_INTERFACE, "AddTable", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "Delete", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "Flush", MANAGE_TABLES },
};

const size_t method_actions_count = ELEMENTSOF(method_actions);

const char *action_for_method(const char *interface, const char *method)
{
        if (!interface || !method)
                return NULL;
        for (size_t i = 0; i < method_actions_count; i++)
                if (streq(method_actions[i].interface, interface) && streq(method_actions[i].method, method))
                        return method_actions[i].action;
        return NULL;
}
