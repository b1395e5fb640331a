/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's lockdown, org.fedoraproject.FirewallD1.policies (main object) and .config.policies (config object):
 * nftbus has none, by design. firewalld's lockdown is a second gate after polkit's, letting only the callers of its
 * whitelist (commands, SELinux contexts, users, uids) change the firewall; in nftbus polkit alone decides who may
 * do what, and a polkit rule says all the whitelist can (a user, a group, a unit, an action: org.nftbus.Firewall1(5)
 * and polkit/examples). So
 * the lockdown is never on and its whitelist is empty: every query answers so, clients that show it start;
 * turning it on or adding to the whitelist answers NOT_SUPPORTED with where to go instead, removing what is not
 * there firewalld's NOT_ENABLED. */

#include <inttypes.h>
#include <string.h>

#include "auth/polkit.h"
#include "common/util.h"
#include "firewalld/firewalld.h"

static int not_supported(sd_bus_error *error)
{
        return fwd_error(error, "NOT_SUPPORTED",
                         "lockdown: nftbus authorises every call with polkit alone; write a polkit rule to restrict "
                         "who may change the firewall (org.nftbus.Firewall1(5))");
}

static int method_lockdown(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *member = sd_bus_message_get_member(m), *what = NULL;
        int32_t uid;
        int r = 0;

        /* the argument read first: a wrong one is the bus's error, before polkit */
        if (streq(member, "setLockdownWhitelist")) {
                r = sd_bus_message_skip(m, "(asasasai)");
        } else if (!startswith(member, "get") && !endswith(member, "Lockdown"))
                r = endswith(member, "Uid") ? sd_bus_message_read(m, "i", &uid) : sd_bus_message_read(m, "s", &what);
        if (r < 0)
                return r;
        r = fwd_check(userdata, m, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        if (startswith(member, "query"))
                return sd_bus_reply_method_return(m, "b", false);
        if (streq(member, "getLockdownWhitelist"))
                return sd_bus_reply_method_return(m, "(asasasai)", 0, 0, 0, 0);
        if (startswith(member, "get"))
                return endswith(member, "Uids") ? sd_bus_reply_method_return(m, "ai", 0)
                                                : sd_bus_reply_method_return(m, "as", 0);
        if (streq(member, "disableLockdown"))
                return fwd_error(error, "NOT_ENABLED", "disable_lockdown()"); /* firewalld's words */
        if (startswith(member, "remove")) { /* firewalld's words: 'User "root" not in whitelist.' */
                const char *noun = member + strlen("removeLockdownWhitelist");
                if (what)
                        return fwd_error(error, "NOT_ENABLED", "%s \"%s\" not in whitelist.", noun, what);
                return fwd_error(error, "NOT_ENABLED", "%s \"%" PRIi32 "\" not in whitelist.", noun, uid);
        }
        return not_supported(error); /* enableLockdown, add*, setLockdownWhitelist */
}

/* clang-format off */
#define WHITELIST_MEMBERS(noun) \
        { "add" noun, method_lockdown }, { "remove" noun, method_lockdown }, { "query" noun, method_lockdown }, \
        { "get" noun "s", method_lockdown }
/* clang-format on */

const FwdMember fwd_policies_members[] = {
        { "enableLockdown", method_lockdown },         { "disableLockdown", method_lockdown },
        { "queryLockdown", method_lockdown },          WHITELIST_MEMBERS("LockdownWhitelistCommand"),
        WHITELIST_MEMBERS("LockdownWhitelistUid"),     WHITELIST_MEMBERS("LockdownWhitelistUser"),
        WHITELIST_MEMBERS("LockdownWhitelistContext"), {},
};

const FwdMember fwd_config_policies_members[] = {
        { "getLockdownWhitelist", method_lockdown },
        { "setLockdownWhitelist", method_lockdown },
        WHITELIST_MEMBERS("LockdownWhitelistCommand"),
        WHITELIST_MEMBERS("LockdownWhitelistUid"),
        WHITELIST_MEMBERS("LockdownWhitelistUser"),
        WHITELIST_MEMBERS("LockdownWhitelistContext"),
        {},
};
