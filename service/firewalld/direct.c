/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's direct interface, org.fedoraproject.FirewallD1.direct (main object) and .config.direct (config
 * object): iptables, ip6tables and ebtables rules, chains and passthroughs, given in iptables' own words. nftbus has
 * no iptables to give them to, and none is in force: so every reading answers that there is none (an empty list,
 * false), which is true, and clients that list them (KDE's firewall settings lists its rules here) start and show the
 * zones' services; adding one answers NOT_SUPPORTED, saying what to use instead (a rich rule, or nftbus's own
 * rules); removing one answers firewalld's NOT_ENABLED (it is not there); removing all of a chain's, or every
 * passthrough, is done (there were none). ipv and table are checked as firewalld checks them (INVALID_IPV,
 * INVALID_TABLE), before polkit. */

#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "firewalld/firewalld.h"

static int not_supported(sd_bus_error *error)
{
        return fwd_error(error, "NOT_SUPPORTED",
                         "direct rules: nftbus has no iptables to pass them to; write a rich rule, or a rule of "
                         "nftbus's own tables (nftbusctl)");
}

/* ipv, and table when given: firewalld's ipvs and their built-in tables (its words: Python's of its lists) */
static int check_ipv_table(const char *ipv, const char *table, sd_bus_error *error)
{
        if (!IN_SET_STR(ipv, "ipv4", "ipv6", "eb"))
                return fwd_error(error, "INVALID_IPV", "'%s' not in '['ipv4', 'ipv6', 'eb']'", ipv);
        if (!table)
                return 0;
        if (streq(ipv, "eb") ? !IN_SET_STR(table, "broute", "nat", "filter")
                             : !IN_SET_STR(table, "security", "raw", "mangle", "nat", "filter"))
                return fwd_error(error, "INVALID_TABLE", "'%s' not in '%s'", table,
                                 streq(ipv, "eb") ? "dict_keys(['broute', 'nat', 'filter'])"
                                                  : "dict_keys(['security', 'raw', 'mangle', 'nat', 'filter'])");
        return 0;
}

/* the arguments: (ipv, table, chain[, priority, args]) for chains and rules, (ipv, args) for passthroughs, the
 * settings for config's update; the error of a bad ipv or table */
static int read_arguments(sd_bus_message *m, const char **ipv, const char **table, sd_bus_error *error)
{
        const char *member = sd_bus_message_get_member(m), *signature = sd_bus_message_get_signature(m, true);
        int r = 0;

        *ipv = *table = NULL;
        if (streq(signature, "") || streq(member, "update"))
                return 0;
        r = sd_bus_message_read(m, "s", ipv);
        if (r >= 0 && !strstr(member, "assthrough") && signature[1] == 's')
                r = sd_bus_message_read(m, "s", table);
        if (r < 0)
                return r;
        return check_ipv_table(*ipv, *table, error);
}

/* update(settings): whether they are empty (what there is); a list that is not is read no further */
static int settings_empty(sd_bus_message *m)
{
        static const char *const lists[] = { "(sss)", "(sssias)", "(sas)" };
        int r = sd_bus_message_enter_container(m, 'r', "a(sss)a(sssias)a(sas)");

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(lists); i++) {
                r = sd_bus_message_enter_container(m, 'a', lists[i]);
                if (r >= 0)
                        r = sd_bus_message_at_end(m, false);
                if (r == 0)
                        return 0;
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
        }
        return r < 0 ? r : 1;
}

static int method_direct(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *member = sd_bus_message_get_member(m), *ipv, *table;
        int empty = 1, r = read_arguments(m, &ipv, &table, error);

        if (r < 0)
                return r;
        if (streq(member, "update")) {
                empty = settings_empty(m);
                if (empty < 0)
                        return empty;
        }
        r = fwd_check(userdata, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (startswith(member, "query"))
                return sd_bus_reply_method_return(m, "b", false);
        if (streq(member, "getSettings"))
                return sd_bus_reply_method_return(m, "(a(sss)a(sssias)a(sas))", 0, 0, 0);
        if (startswith(member, "get")) { /* an empty list of the reply's type */
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
                const char *type = streq(member, "getChains")         ? "s"
                                   : streq(member, "getAllChains")    ? "(sss)"
                                   : streq(member, "getRules")        ? "(ias)"
                                   : streq(member, "getAllRules")     ? "(sssias)"
                                   : streq(member, "getPassthroughs") ? "as"
                                                                      : "(sas)"; /* getAllPassthroughs */
                r = sd_bus_message_new_method_return(m, &reply);
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'a', type);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
                return r < 0 ? r : sd_bus_message_send(reply);
        }
        if (IN_SET_STR(member, "removeRules", "removeAllPassthroughs") || (streq(member, "update") && empty))
                return sd_bus_reply_method_return(m, NULL); /* there were none: done */
        if (startswith(member, "remove"))
                return fwd_error(error, "NOT_ENABLED",
                                 "%s is not there: nftbus has no direct rules, chains or "
                                 "passthroughs",
                                 streq(member, "removeChain")  ? "the chain"
                                 : streq(member, "removeRule") ? "the rule"
                                                               : "the passthrough");
        return not_supported(error); /* add*, passthrough, an update with something in it */
}

/* clang-format off */
#define DIRECT_MEMBERS \
        { "addChain", method_direct }, { "removeChain", method_direct }, { "queryChain", method_direct }, \
        { "getChains", method_direct }, { "getAllChains", method_direct }, { "addRule", method_direct }, \
        { "removeRule", method_direct }, { "removeRules", method_direct }, { "queryRule", method_direct }, \
        { "getRules", method_direct }, { "getAllRules", method_direct }, { "addPassthrough", method_direct }, \
        { "removePassthrough", method_direct }, { "queryPassthrough", method_direct }, \
        { "getPassthroughs", method_direct }, { "getAllPassthroughs", method_direct }
/* clang-format on */

const FwdMember fwd_direct_members[] = {
        DIRECT_MEMBERS,
        { "passthrough", method_direct },
        { "removeAllPassthroughs", method_direct },
        {},
};

const FwdMember fwd_config_direct_members[] = {
        DIRECT_MEMBERS,
        { "getSettings", method_direct },
        { "update", method_direct },
        {},
};
