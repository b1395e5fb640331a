/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "auth/actions.h"
#include "common/objpath.h"
#include "common/util.h"

#define READ NFTBUS_ACTION_PREFIX "read"
#define SUBSCRIBE NFTBUS_ACTION_PREFIX "subscribe"
#define MANAGE_TABLES NFTBUS_ACTION_PREFIX "manage-tables"
#define MANAGE_RULES NFTBUS_ACTION_PREFIX "manage-rules"
#define MANAGE_ELEMENTS NFTBUS_ACTION_PREFIX "manage-elements"
#define SYSCTL NFTBUS_ACTION_PREFIX "sysctl"
#define NAT NFTBUS_ACTION_PREFIX "nat"
#define APPLY_PRESET NFTBUS_ACTION_PREFIX "apply-preset"
#define MANAGE_ZONES NFTBUS_ACTION_PREFIX "manage-zones"
#define MANAGE_IPSETS NFTBUS_ACTION_PREFIX "manage-ipsets"
#define MANAGE_IPSET_ENTRIES NFTBUS_ACTION_PREFIX "manage-ipset-entries"
#define IPSET_INTERFACE NFTBUS_INTERFACE_PREFIX "IPSet"
#define ZONE_INTERFACE NFTBUS_INTERFACE_PREFIX "Zone"
#define FIREWALLD_INTERFACE "org.fedoraproject.FirewallD1"
#define FIREWALLD_ZONE_INTERFACE "org.fedoraproject.FirewallD1.zone"
#define FIREWALLD_CONFIG_INTERFACE "org.fedoraproject.FirewallD1.config"
#define FIREWALLD_CONFIG_ZONE_INTERFACE "org.fedoraproject.FirewallD1.config.zone"
#define FIREWALLD_CONFIG_SERVICE_INTERFACE "org.fedoraproject.FirewallD1.config.service"
#define FIREWALLD_IPSET_INTERFACE "org.fedoraproject.FirewallD1.ipset"
#define FIREWALLD_CONFIG_IPSET_INTERFACE "org.fedoraproject.FirewallD1.config.ipset"
#define FWD_ALL FIREWALLD_ACTION_PREFIX "all"
#define FWD_INFO FIREWALLD_ACTION_PREFIX "info"
#define FWD_CONFIG FIREWALLD_ACTION_PREFIX "config"
#define FWD_CONFIG_INFO FIREWALLD_ACTION_PREFIX "config.info"

const char *const nftbus_actions[] = {
        NFTBUS_ACTION_PREFIX "read",
        NFTBUS_ACTION_PREFIX "subscribe",
        NFTBUS_ACTION_PREFIX "manage-tables",
        NFTBUS_ACTION_PREFIX "manage-base-chains",
        NFTBUS_ACTION_PREFIX "manage-rules",
        NFTBUS_ACTION_PREFIX "manage-elements",
        NFTBUS_ACTION_PREFIX "sysctl",
        NFTBUS_ACTION_PREFIX "nat",
        NFTBUS_ACTION_PREFIX "apply-preset",
        NFTBUS_ACTION_PREFIX "apply-batch",
        NFTBUS_ACTION_PREFIX "persist",
        NFTBUS_ACTION_PREFIX "manage-zones",
        NFTBUS_ACTION_PREFIX "manage-ipsets",
        NFTBUS_ACTION_PREFIX "manage-ipset-entries",
        NULL,
};

const char *const firewalld_actions[] = { FWD_ALL, FWD_INFO, FWD_CONFIG, FWD_CONFIG_INFO, NULL };

const MethodAction method_actions[] = {
        { NFTBUS_MANAGER_INTERFACE, "ListTables", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetTable", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetChain", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetSet", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetMap", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetCounter", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetQuota", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetLimit", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetFlowtable", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetObject", READ },
        { NFTBUS_MANAGER_INTERFACE, "AddTable", MANAGE_TABLES },
        { NFTBUS_MANAGER_INTERFACE, "Apply", NFTBUS_ACTION_PREFIX "apply-batch" },
        { NFTBUS_MANAGER_INTERFACE, "Export", READ },
        { NFTBUS_MANAGER_INTERFACE, "ExportToFd", READ },
        { NFTBUS_MANAGER_INTERFACE, "Save", NFTBUS_ACTION_PREFIX "persist" },
        { NFTBUS_MANAGER_INTERFACE, "Subscribe", SUBSCRIBE },
        { NFTBUS_MANAGER_INTERFACE, "Unsubscribe", SUBSCRIBE },
        /* firewalld's API (firewalld/main.c), under firewalld's own actions and as firewalld 1.x guards each
         * method, so that polkit rules written for firewalld keep their meaning: runtime reads info or
         * config.info, runtime changes config, the permanent configuration config throughout. */
        { FIREWALLD_INTERFACE, "authorizeAll", FWD_ALL },
        { FIREWALLD_INTERFACE, "getDefaultZone", FWD_INFO },
        { FIREWALLD_INTERFACE, "queryPanicMode", FWD_INFO },
        { FIREWALLD_INTERFACE, "listServices", FWD_INFO },
        { FIREWALLD_INTERFACE, "getServiceSettings2", FWD_CONFIG_INFO },
        { FIREWALLD_INTERFACE, "setDefaultZone", FWD_CONFIG },
        { FIREWALLD_INTERFACE, "reload", FWD_CONFIG },
        { FIREWALLD_INTERFACE, "enablePanicMode", FWD_CONFIG },
        { FIREWALLD_INTERFACE, "disablePanicMode", FWD_CONFIG },
        { FIREWALLD_INTERFACE, "runtimeToPermanent", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "getZones", FWD_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getActiveZones", FWD_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getZoneOfInterface", FWD_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getZoneOfSource", FWD_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getZoneSettings2", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "setZoneSettings2", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "changeZoneOfInterface", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "changeZoneOfSource", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "changeZone", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "addService", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeService", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryService", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getServices", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addInterface", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeInterface", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryInterface", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getInterfaces", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addSource", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeSource", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "querySource", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getSources", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addPort", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removePort", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryPort", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getPorts", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addProtocol", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeProtocol", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryProtocol", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getProtocols", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addIcmpBlock", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeIcmpBlock", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryIcmpBlock", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getIcmpBlocks", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addRichRule", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeRichRule", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryRichRule", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getRichRules", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addForwardPort", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeForwardPort", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryForwardPort", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "getForwardPorts", FWD_CONFIG_INFO },
        { FIREWALLD_ZONE_INTERFACE, "addMasquerade", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "removeMasquerade", FWD_CONFIG },
        { FIREWALLD_ZONE_INTERFACE, "queryMasquerade", FWD_CONFIG_INFO },
        { FIREWALLD_CONFIG_INTERFACE, "getZoneNames", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getZoneByName", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "listZones", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getZoneOfInterface", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getZoneOfSource", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getServiceNames", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getSettings2", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "update2", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getServiceByName", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "listServices", FWD_CONFIG },
        { FIREWALLD_CONFIG_SERVICE_INTERFACE, "getSettings2", FWD_CONFIG },
        { FIREWALLD_IPSET_INTERFACE, "queryIPSet", FWD_INFO },
        { FIREWALLD_IPSET_INTERFACE, "getIPSets", FWD_INFO },
        { FIREWALLD_IPSET_INTERFACE, "getIPSetSettings", FWD_CONFIG_INFO },
        { FIREWALLD_IPSET_INTERFACE, "addEntry", FWD_CONFIG },
        { FIREWALLD_IPSET_INTERFACE, "removeEntry", FWD_CONFIG },
        { FIREWALLD_IPSET_INTERFACE, "queryEntry", FWD_INFO },
        { FIREWALLD_IPSET_INTERFACE, "getEntries", FWD_INFO },
        { FIREWALLD_IPSET_INTERFACE, "setEntries", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getIPSetNames", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "listIPSets", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "getIPSetByName", FWD_CONFIG },
        { FIREWALLD_CONFIG_INTERFACE, "addIPSet", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getSettings", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "update", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "remove", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "rename", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getVersion", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "setVersion", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getShort", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "setShort", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getDescription", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "setDescription", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getType", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "setType", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getOptions", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "setOptions", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "addOption", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "removeOption", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "queryOption", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "getEntries", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "setEntries", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "addEntry", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "removeEntry", FWD_CONFIG },
        { FIREWALLD_CONFIG_IPSET_INTERFACE, "queryEntry", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addService", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeService", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryService", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getServices", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addInterface", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeInterface", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryInterface", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getInterfaces", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addSource", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeSource", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "querySource", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getSources", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addPort", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removePort", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryPort", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getPorts", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addProtocol", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeProtocol", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryProtocol", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getProtocols", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addIcmpBlock", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeIcmpBlock", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryIcmpBlock", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getIcmpBlocks", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addRichRule", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeRichRule", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryRichRule", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getRichRules", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addForwardPort", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeForwardPort", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryForwardPort", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getForwardPorts", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "getTarget", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "setTarget", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "addMasquerade", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "removeMasquerade", FWD_CONFIG },
        { FIREWALLD_CONFIG_ZONE_INTERFACE, "queryMasquerade", FWD_CONFIG },
        { NFTBUS_MANAGER_INTERFACE, "SetZonesEnabled", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "SetPanic", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "SetDefaultZone", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "AddZone", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "DeleteZone", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "Reload", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "RuntimeToPermanent", MANAGE_ZONES },
        { NFTBUS_MANAGER_INTERFACE, "ListZones", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetZoneOfInterface", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetZoneOfSource", READ },
        { NFTBUS_MANAGER_INTERFACE, "ListServices", READ },
        { NFTBUS_MANAGER_INTERFACE, "GetService", READ },
        { ZONE_INTERFACE, "GetPermanent", READ },
        { ZONE_INTERFACE, "AddInterface", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveInterface", MANAGE_ZONES },
        { ZONE_INTERFACE, "ChangeInterface", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddSource", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveSource", MANAGE_ZONES },
        { ZONE_INTERFACE, "ChangeSource", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddService", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveService", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddPort", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemovePort", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddProtocol", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveProtocol", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddForwardPort", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveForwardPort", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddIcmpBlock", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveIcmpBlock", MANAGE_ZONES },
        { ZONE_INTERFACE, "AddRichRule", MANAGE_ZONES },
        { ZONE_INTERFACE, "RemoveRichRule", MANAGE_ZONES },
        { ZONE_INTERFACE, "SetTarget", MANAGE_ZONES },
        { ZONE_INTERFACE, "SetMasquerade", MANAGE_ZONES },
        { ZONE_INTERFACE, "SetForward", MANAGE_ZONES },
        { ZONE_INTERFACE, "SetDescription", MANAGE_ZONES },
        /* what an ipset is, and what it holds: a delegate that bans into an ipset changes no ipset's type */
        { NFTBUS_MANAGER_INTERFACE, "ListIPSets", READ },
        { NFTBUS_MANAGER_INTERFACE, "AddIPSet", MANAGE_IPSETS },
        { NFTBUS_MANAGER_INTERFACE, "DeleteIPSet", MANAGE_IPSETS },
        { IPSET_INTERFACE, "GetPermanent", READ },
        { IPSET_INTERFACE, "GetEntries", READ },
        { IPSET_INTERFACE, "HasEntry", READ },
        { IPSET_INTERFACE, "Update", MANAGE_IPSETS },
        { IPSET_INTERFACE, "AddEntry", MANAGE_IPSET_ENTRIES },
        { IPSET_INTERFACE, "RemoveEntry", MANAGE_IPSET_ENTRIES },
        { IPSET_INTERFACE, "SetEntries", MANAGE_IPSET_ENTRIES },
        { NFTBUS_TABLE_INTERFACE, "Delete", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "Flush", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddChain", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddCounter", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddQuota", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddLimit", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddFlowtable", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddSet", MANAGE_TABLES },
        { NFTBUS_TABLE_INTERFACE, "AddMap", MANAGE_TABLES },
        /* a chain's structure is the table's business; what is in it, the rules' */
        { NFTBUS_CHAIN_INTERFACE, "Delete", MANAGE_TABLES },
        { NFTBUS_CHAIN_INTERFACE, "SetPolicy", NFTBUS_ACTION_MANAGE_BASE_CHAINS },
        { NFTBUS_CHAIN_INTERFACE, "Rename", MANAGE_TABLES },
        { NFTBUS_CHAIN_INTERFACE, "Flush", MANAGE_RULES },
        { NFTBUS_CHAIN_INTERFACE, "AddRule", MANAGE_RULES },
        { NFTBUS_CHAIN_INTERFACE, "AddRuleJSON", MANAGE_RULES },
        { NFTBUS_CHAIN_INTERFACE, "ReplaceRule", MANAGE_RULES },
        { NFTBUS_CHAIN_INTERFACE, "DeleteRule", MANAGE_RULES },
        { NFTBUS_CHAIN_INTERFACE, "ListRules", READ },
        { NFTBUS_CHAIN_INTERFACE, "ListRulesJSON", READ },
        { NFTBUS_COUNTER_INTERFACE, "Reset", MANAGE_TABLES },
        { NFTBUS_COUNTER_INTERFACE, "Delete", MANAGE_TABLES },
        { NFTBUS_QUOTA_INTERFACE, "Delete", MANAGE_TABLES },
        { NFTBUS_LIMIT_INTERFACE, "Delete", MANAGE_TABLES },
        { NFTBUS_FLOWTABLE_INTERFACE, "Delete", MANAGE_TABLES },
/* a set is the table's business; its elements are the unit of delegation (a fail2ban may add and
 * remove addresses of one set, and do nothing else) */
#define ELEMENT_METHODS(interface)                                                                                    \
        { interface, "Delete", MANAGE_TABLES }, { interface, "Flush", MANAGE_ELEMENTS },                              \
                { interface, "AddElements", MANAGE_ELEMENTS }, { interface, "DeleteElements", MANAGE_ELEMENTS },      \
                { interface, "AddElementsFromFd", MANAGE_ELEMENTS }, { interface, "ListElements", READ },             \
                { interface, "ListElementsToFd", READ }, { interface, "ListElementsRange", READ },                    \
                { interface, "ListElementsDetailed", READ }, { interface, "ListElementsDetailedToFd", READ },         \
        {                                                                                                             \
                interface, "HasElement", READ                                                                         \
        }
        { NFTBUS_OBJECT_INTERFACE, "Describe", READ },
        { NFTBUS_OBJECT_INTERFACE, "Delete", MANAGE_TABLES },
        ELEMENT_METHODS(NFTBUS_SET_INTERFACE),
        ELEMENT_METHODS(NFTBUS_MAP_INTERFACE),
        { NFTBUS_SYSCTL_INTERFACE, "Get", READ },
        { NFTBUS_SYSCTL_INTERFACE, "List", READ },
        { NFTBUS_SYSCTL_INTERFACE, "Set", SYSCTL },
        { NFTBUS_NAT_INTERFACE, "Masquerade", NAT },
        { NFTBUS_NAT_INTERFACE, "PortForward", NAT },
        { NFTBUS_NAT_INTERFACE, "SourceNat", NAT },
        { NFTBUS_NAT_INTERFACE, "DestinationNat", NAT },
        { NFTBUS_NAT_INTERFACE, "StaticNat", NAT },
        { NFTBUS_NAT_INTERFACE, "Redirect", NAT },
        { NFTBUS_NAT_INTERFACE, "Remove", NAT },
        { NFTBUS_NAT_INTERFACE, "List", READ },
        { NFTBUS_PRESET_INTERFACE, "Apply", APPLY_PRESET },
        { NFTBUS_PRESET_INTERFACE, "Preview", READ },
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
