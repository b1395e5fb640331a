/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Chain: one object per chain in the kernel, and its rules, addressed by handle. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "auth/actions.h"
#include "core/basechain.h"
#include "bus/bussize.h"
#include "core/batch.h"
#include "bus/call.h"
#include "context.h"
#include "common/errors.h"
#include "log.h"
#include "core/nftsyntax.h"
#include "nftables/node.h"
#include "common/objpath.h"
#include "bus/options.h"
#include "common/util.h"
#include "common/validate.h"

/* JSON statements longer than this are refused; nft's own rule size limit is far below it. */
#define RULE_JSON_MAX (256 * 1024)

static int property_get_type(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append(reply, "s", strempty(n->info.chain_type));
}

static int property_get_hook(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append(
                reply, "s", n->info.has_hook ? strempty(hook_to_string(n->table->family, n->info.hooknum)) : "");
}

static int property_get_policy(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                               const char *property _unused_, sd_bus_message *reply, void *userdata,
                               sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append(reply, "s", n->info.has_policy ? strempty(policy_to_string(n->info.policy)) : "");
}

/* Runs a JSON batch, or an nft-syntax command, for a method of the chain, once polkit said yes. Takes
 * batch and text, of which one is NULL; both NULL means OOM. */
static int chain_execute(sd_bus_message *m, Node *n, json_t *batch, char *text, uint32_t flags,
                         call_reply_t on_success, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *owned_batch = batch;
        _cleanup_free_ char *owned_text = text, *object = NULL;
        Context *c = node_context(n);

        if ((!batch && !text) || node_object(n, &object) < 0)
                return -ENOMEM;
        return call_execute(
                c, m,
                &(CallRequest){
                        .batch = batch, .text = text, .flags = flags, .object = object, .on_success = on_success },
                error);
}

/* One command on the chain itself, authorised: {verb: {"chain": spec}}. Takes spec. */
static int chain_command(sd_bus_message *m, Node *n, const char *verb, json_t *spec, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *owned = spec;

        if (!spec)
                return -ENOMEM;
        return chain_execute(m, n, batch_one(verb, "chain", TAKE_PTR(owned)), NULL, 0, NULL, error);
}

static json_t *chain_spec(const Node *n)
{
        return object_spec(family_to_string(n->table->family), n->table->name, n->name);
}

/* chain_spec() with more keys; takes extra, NULL on OOM */
static json_t *chain_spec_with(const Node *n, json_t *extra)
{
        return object_spec_with(family_to_string(n->table->family), n->table->name, n->name, extra);
}

static json_t *rule_spec_of(const Node *n, json_t *extra)
{
        return rule_spec(family_to_string(n->table->family), n->table->name, n->name, extra);
}

static int method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *batch = NULL;
        Node *n = userdata;
        Context *c = node_context(n);
        int r;

        /* a base chain's going changes what happens to the host's traffic (actions.h) */
        r = polkit_check_action(c->polkit, m, n->info.has_hook ? NFTBUS_ACTION_MANAGE_BASE_CHAINS : NULL,
                                NODE_DETAILS(n), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        /* the kernel deletes only empty chains: its rules go in the same transaction */
        batch = batch_one("flush", "chain", chain_spec(n));
        if (!batch || batch_add(batch, "delete", "chain", chain_spec(n)) < 0)
                return -ENOMEM;
        return chain_execute(m, n, TAKE_PTR(batch), NULL, 0, NULL, error);
}

static int method_flush(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = node_authorize(m, userdata, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return chain_command(m, userdata, "flush", chain_spec(userdata), error);
}

static int method_set_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Node *n = userdata;
        const char *policy;
        int r;

        r = sd_bus_message_read(m, "s", &policy);
        if (r < 0)
                return r;
        if (!streq(policy, "accept") && !streq(policy, "drop")) {
                _cleanup_free_ char *shown = escape_for_message(policy);
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "Invalid policy '%s': expected accept or drop", strempty(shown));
        }
        if (!n->info.has_hook)
                return call_invalid(error, "A regular chain has no policy: only base chains (with a hook) do");
        if (n->info.has_policy && streq_ptr(policy_to_string(n->info.policy), policy))
                return sd_bus_reply_method_return(m, NULL);

        r = node_authorize(m, n, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        /* an update of a base chain restates its hook */
        return chain_command(
                m, n, "add",
                chain_spec_with(n, json_pack("{s:s, s:s, s:i, s:s, s:s*}", "type", strempty(n->info.chain_type),
                                             "hook", strempty(hook_to_string(n->table->family, n->info.hooknum)),
                                             "prio", n->info.priority, "policy", policy, "dev",
                                             n->info.devices ? n->info.devices[0] : NULL)),
                error);
}

static int method_rename(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *batch = NULL;
        _cleanup_free_ char *why = NULL, *object = NULL, *path = NULL;
        Node *n = userdata;
        Context *c = node_context(n);
        const char *new_name, *family = family_to_string(n->table->family);
        int r;

        r = sd_bus_message_read(m, "s", &new_name);
        if (r < 0)
                return r;
        if (validate_object_name("chain", new_name, &why) < 0)
                return call_invalid(error, why);
        if (streq(new_name, n->name))
                return sd_bus_reply_method_return(m, "o", n->path);
        if (table_find_node(n->table, NFT_KIND_CHAIN, new_name))
                return sd_bus_error_setf(error, NFTBUS_ERROR_ALREADY_EXISTS,
                                         "The chain %s exists already in table %s %s", new_name, family,
                                         n->table->name);

        r = polkit_check(c->polkit, m, NODE_DETAILS(n), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        batch = batch_one("rename", "chain", chain_spec_with(n, json_pack("{s:s}", "newname", new_name)));
        if (!batch || node_object(n, &object) < 0)
                return -ENOMEM;
        r = node_path(family, n->table->name, "chain", new_name, &path);
        if (r < 0)
                return r;
        return call_execute(c, m, &(CallRequest){ .batch = batch, .object = object, .reply_path = path }, error);
}

/* manage-rules for the chain, and manage-elements for every set the rule writes into (actions.h). Takes
 * written. */
static int authorize_rule(sd_bus_message *m, Node *n, char **written, sd_bus_error *error)
{
        _cleanup_strv_free_ char **sets = written;
        const char *family = family_to_string(n->table->family);
        Context *c = node_context(n);
        size_t count = 0;

        while (sets && sets[count])
                count++;
        if (count > RULE_WRITTEN_SETS_MAX)
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "The rule writes into %zu sets; at most %d are accepted", count,
                                         RULE_WRITTEN_SETS_MAX);

        const char *details[RULE_WRITTEN_SETS_MAX][7];
        PolkitCheck checks[RULE_WRITTEN_SETS_MAX + 1] = { { NULL, NODE_DETAILS(n) } };
        for (size_t i = 0; i < count; i++) {
                details[i][0] = "family", details[i][1] = family;
                details[i][2] = "table", details[i][3] = n->table->name;
                details[i][4] = "set", details[i][5] = sets[i];
                details[i][6] = NULL;
                checks[i + 1] = (PolkitCheck){ NFTBUS_ACTION_MANAGE_ELEMENTS, details[i] };
        }
        return polkit_check_many(c->polkit, m, checks, count + 1, error);
}

/* authorize_rule() for a rule in nft syntax. */
static int authorize_rule_text(sd_bus_message *m, Node *n, const char *body, sd_bus_error *error)
{
        char **written = NULL;

        if (rule_written_sets(body, &written) < 0)
                return -ENOMEM;
        return authorize_rule(m, n, written, error);
}

/* Where a new rule goes, from the options index, after, before and insert. */

/* AddRule's and AddRuleJSON's arguments: the rule as text, then its options (comment, place) */
static int read_rule_call(sd_bus_message *m, const char **ret_text, RulePlace *ret_place, char **ret_comment,
                          sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL, *why = NULL;
        uint64_t after = 0, before = 0;
        bool has_after = false, has_before = false, has_index = false;
        uint32_t index = 0;
        int insert = false;
        int r;

        r = sd_bus_message_read(m, "s", ret_text);
        if (r < 0)
                return r;
        r = options_read(m,
                         (const OptionSpec[]){
                                 { "comment", "s", &comment },
                                 { "index", "u", &index, &has_index },
                                 { "after", "t", &after, &has_after },
                                 { "before", "t", &before, &has_before },
                                 { "insert", "b", &insert },
                                 {},
                         },
                         error);
        if (r < 0)
                return r;
        if (comment && validate_comment(comment, &why) < 0)
                return call_invalid(error, why);
        if (has_index + has_after + has_before > 1)
                return call_invalid(error, "Give at most one of index, after and before");
        if (has_after && insert)
                return call_invalid(error, "insert puts a rule before another; it cannot go with after");
        if ((has_after && after == 0) || (has_before && before == 0))
                return call_invalid(error, "Rule handles start at 1");

        *ret_place = (RulePlace){
                .insert = insert || has_before,
                .has_index = has_index,
                .index = index,
                .handle = has_after ? after : before,
        };
        *ret_comment = TAKE_PTR(comment);
        return 0;
}

/* The handle of the one rule the executor's transaction added to this chain, from the kernel's events. */
static int reply_rule_handle(Context *c, sd_bus_message *m, const ExecReply *reply _unused_,
                             const char *object _unused_)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *family = NULL, *table = NULL, *label = NULL, *chain = NULL;
        const RuleTrace *t = &c->executor_rules;
        int r;

        r = object_path_parse(sd_bus_message_get_path(m), &family, &table, &label, &chain);
        if (r < 0)
                return r;
        if (r == 2 && t->count == 1 && t->family == family_from_string(family) && streq(t->table, table) &&
            streq(t->chain, chain))
                return sd_bus_reply_method_return(m, "t", t->handle);

        log_warning("A rule was added to %s %s %s, but the kernel's events did not report it as the only one "
                    "(%u rules seen)",
                    strempty(family), strempty(table), strempty(chain), t->count);
        (void) sd_bus_error_set(&error, NFTBUS_ERROR_BACKEND_FAILED,
                                "The rule was added, but its handle could not be read from the kernel's events; "
                                "ListRules shows it");
        return sd_bus_reply_method_error(m, &error);
}

/* The names of the chain as nft syntax can state them. Names made by other tools may not fit. */
static int check_syntax_names(const Node *n, sd_bus_error *error)
{
        if (validate_object_name("table", n->table->name, NULL) < 0 ||
            validate_object_name("chain", n->name, NULL) < 0)
                return call_invalid(error, "The names of this chain or its table cannot be written in nft syntax; "
                                           "use the JSON methods");
        return 0;
}

/* A rule body in nft syntax for this chain: one rule, in a chain nft syntax can name. */
static int check_rule_body(const Node *n, const char *body, sd_bus_error *error)
{
        _cleanup_free_ char *why = NULL;

        if (rule_body_check(body, &why) < 0)
                return call_invalid(error, why);
        return check_syntax_names(n, error);
}

static int method_add_rule(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *comment = NULL, *text = NULL;
        Node *n = userdata;
        RulePlace p;
        const char *body;
        int r;

        r = read_rule_call(m, &body, &p, &comment, error);
        if (r < 0)
                return r;
        r = check_rule_body(n, body, error);
        if (r < 0)
                return r;

        r = authorize_rule_text(m, n, body, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (rule_add_text(family_to_string(n->table->family), n->table->name, n->name, &p, body, comment, &text) < 0)
                return -ENOMEM;
        return chain_execute(m, n, NULL, TAKE_PTR(text), CALL_MISSING_IS_REJECTED, reply_rule_handle, error);
}

static int method_add_rule_json(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *statements = NULL;
        _cleanup_free_ char *comment = NULL;
        char **written = NULL;
        Node *n = userdata;
        json_error_t jerr;
        json_t *spec, *item;
        const char *text;
        RulePlace p;
        size_t i;
        int r;

        r = read_rule_call(m, &text, &p, &comment, error);
        if (r < 0)
                return r;
        if (strlen(text) > RULE_JSON_MAX)
                return call_invalid(error, "The statements are longer than 256 KiB");
        statements = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
        if (!statements)
                return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                         "The statements are not valid JSON: %s (line %d, column %d)", jerr.text,
                                         jerr.line, jerr.column);
        if (!json_is_array(statements) || json_array_size(statements) == 0)
                return call_invalid(error, "The statements are a non-empty JSON array of statement objects, as "
                                           "in a rule's \"expr\" (libnftables-json(5))");
        json_array_foreach (statements, i, item)
                if (!json_is_object(item) || json_object_size(item) != 1)
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Statement %zu is not an object with one key", i + 1);

        if (rule_json_written_sets(statements, &written) < 0)
                return -ENOMEM;
        r = authorize_rule(m, n, TAKE_PTR(written), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        spec = rule_spec_of(n, json_pack("{s:O, s:s*, s:o*, s:o*}", "expr", statements, "comment", comment, "index",
                                         p.has_index ? json_integer(p.index) : NULL, "handle",
                                         p.handle ? json_integer((json_int_t) p.handle) : NULL));
        return chain_execute(m, n, batch_one(p.insert ? "insert" : "add", "rule", spec), NULL,
                             CALL_MISSING_IS_REJECTED, reply_rule_handle, error);
}

static int read_handle(sd_bus_message *m, uint64_t *ret, sd_bus_error *error)
{
        int r = sd_bus_message_read(m, "t", ret);
        if (r < 0)
                return r;
        if (*ret == 0 || *ret > INT64_MAX)
                return call_invalid(error, "Rule handles are from 1 to 2^63-1");
        return 0;
}

/* ReplaceRule's arguments: a rule's handle, and the body that replaces the rule's */
static int read_replacement(sd_bus_message *m, const Node *n, uint64_t *ret_handle, const char **ret_body,
                            sd_bus_error *error)
{
        int r = read_handle(m, ret_handle, error);

        if (r >= 0)
                r = sd_bus_message_read(m, "s", ret_body);
        return r < 0 ? r : check_rule_body(n, *ret_body, error);
}

static int method_replace_rule(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *text = NULL;
        Node *n = userdata;
        const char *body;
        uint64_t handle;
        int r;

        r = read_replacement(m, n, &handle, &body, error);
        if (r < 0)
                return r;

        r = authorize_rule_text(m, n, body, error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (rule_replace_text(family_to_string(n->table->family), n->table->name, n->name, handle, body, &text) < 0)
                return -ENOMEM;
        return chain_execute(m, n, NULL, TAKE_PTR(text), 0, NULL, error);
}

static int method_delete_rule(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Node *n = userdata;
        Context *c = node_context(n);
        uint64_t handle;
        int r;

        r = read_handle(m, &handle, error);
        if (r < 0)
                return r;

        r = polkit_check(c->polkit, m, NODE_DETAILS(n), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        _cleanup_(json_decrefp) json_t *batch =
                batch_one("delete", "rule", rule_spec_of(n, json_pack("{s:I}", "handle", (json_int_t) handle)));
        _cleanup_free_ char *object = NULL, *not_found = NULL;
        if (!batch || node_object(n, &object) < 0 ||
            asprintf(&not_found, "No rule with handle %" PRIu64 " in chain %s %s %s", handle,
                     family_to_string(n->table->family), n->table->name, n->name) < 0)
                return -ENOMEM;
        return call_execute(c, m, &(CallRequest){ .batch = batch, .object = object, .not_found = not_found }, error);
}

#define RULES_ALTERNATIVE "Manager.ExportToFd with the options family and table"

static int reply_rules(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *answer = NULL;
        RuleEntry *entries = NULL;
        size_t n = 0, size;
        int r;

        r = rule_listing_parse(reply->output, &entries, &n);
        if (r < 0)
                return r;
        size = dbus_size_array_start(0, 8);
        for (size_t i = 0; i < n; i++)
                size = dbus_size_string(dbus_size_string(dbus_size_u64(size), strlen(entries[i].text)),
                                        strlen(strempty(entries[i].comment)));
        r = call_reply_fits(c, m, size, RULES_ALTERNATIVE);
        if (r <= 0) {
                rule_entries_free(entries, n);
                return r;
        }
        r = sd_bus_message_new_method_return(m, &answer);
        if (r >= 0)
                r = sd_bus_message_open_container(answer, 'a', "(tss)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append(answer, "(tss)", entries[i].handle, entries[i].text,
                                          strempty(entries[i].comment));
        if (r >= 0)
                r = sd_bus_message_close_container(answer);
        rule_entries_free(entries, n);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, answer, NULL);
}

static int method_list_rules(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        _cleanup_free_ char *text = NULL;
        Node *n = userdata;
        Context *c = node_context(n);
        int r;

        r = check_syntax_names(n, error);
        if (r < 0)
                return r;
        r = polkit_check(c->polkit, m, NODE_DETAILS(n), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        if (asprintf(&text, "list chain %s %s %s", family_to_string(n->table->family), n->table->name, n->name) < 0)
                return -ENOMEM;
        return chain_execute(m, n, NULL, TAKE_PTR(text), EXEC_NFT_SYNTAX, reply_rules, error);
}

/* The rule objects of a JSON listing, as an array of their bodies. */
static int reply_rules_json(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        _cleanup_(json_decrefp) json_t *root = json_loads(reply->output, 0, NULL), *rules = json_array();
        _cleanup_free_ char *text = NULL;
        json_t *item;
        size_t i;

        if (!root || !rules)
                return -ENOMEM;
        json_array_foreach (json_object_get(root, "nftables"), i, item) {
                json_t *rule = json_object_get(item, "rule");
                if (rule && json_array_append(rules, rule) < 0)
                        return -ENOMEM;
        }
        text = json_dumps(rules, JSON_COMPACT);
        if (!text)
                return -ENOMEM;
        return call_reply_string(c, m, text, RULES_ALTERNATIVE);
}

static int method_list_rules_json(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        Node *n = userdata;
        Context *c = node_context(n);
        int r;

        r = polkit_check(c->polkit, m, NODE_DETAILS(n), error);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);

        return chain_execute(m, n, batch_one("list", "chain", chain_spec(n)), NULL, 0, reply_rules_json, error);
}

const sd_bus_vtable chain_vtable[] = {
        SD_BUS_VTABLE_START(0),
        NODE_PROPERTIES,
        SD_BUS_PROPERTY("Type", "s", property_get_type, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Hook", "s", property_get_hook, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Priority", "i", NULL, offsetof(Node, info.priority), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Policy", "s", property_get_policy, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Devices", "as", node_property_get_devices, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Comment", "s", node_property_get_comment, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD("Delete", NULL, NULL, method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Flush", NULL, NULL, method_flush, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("SetPolicy", SD_BUS_ARGS("s", policy), SD_BUS_NO_RESULT, method_set_policy,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Rename", SD_BUS_ARGS("s", name), SD_BUS_RESULT("o", chain), method_rename,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddRule", SD_BUS_ARGS("s", rule, "a{sv}", options), SD_BUS_RESULT("t", handle),
                                method_add_rule, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddRuleJSON", SD_BUS_ARGS("s", statements, "a{sv}", options),
                                SD_BUS_RESULT("t", handle), method_add_rule_json, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ReplaceRule", SD_BUS_ARGS("t", handle, "s", rule), SD_BUS_NO_RESULT,
                                method_replace_rule, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("DeleteRule", SD_BUS_ARGS("t", handle), SD_BUS_NO_RESULT, method_delete_rule,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListRules", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(tss)", rules), method_list_rules,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListRulesJSON", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", rules), method_list_rules_json,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("RulesChanged",
                                SD_BUS_ARGS("t", added, "t", removed, "t", replaced, "a(tss)", added_rules, "at",
                                            removed_handles, "a(tss)", replaced_rules),
                                0),
        SD_BUS_VTABLE_END,
};
