/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <stdlib.h>

#include "core/batch.h"
#include "bus/call.h"
#include "context.h"
#include "nftables/node.h"
#include "common/util.h"
#include "common/validate.h"

int node_property_get_devices(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                              const char *property _unused_, sd_bus_message *reply, void *userdata,
                              sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append_strv(reply, n->info.devices);
}

int node_property_get_comment(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                              const char *property _unused_, sd_bus_message *reply, void *userdata,
                              sd_bus_error *error _unused_)
{
        Node *n = userdata;
        /* the kernel keeps any bytes; D-Bus carries UTF-8 only */
        return sd_bus_message_append(reply, "s",
                                     n->info.comment && utf8_is_valid(n->info.comment) ? n->info.comment : "");
}

int node_property_get_over(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                           const char *property _unused_, sd_bus_message *reply, void *userdata,
                           sd_bus_error *error _unused_)
{
        Node *n = userdata;
        uint32_t inv = n->kind == NFT_KIND_QUOTA ? NFT_QUOTA_F_INV : NFT_LIMIT_F_INV;
        return sd_bus_message_append(reply, "b", !!(n->info.flags & inv));
}

int node_read_live(Node *n, sd_bus_error *error)
{
        Context *c = node_context(n);
        uint64_t now = 0;
        NftMessage msg;
        int r;

        if (sd_event_now(c->event, CLOCK_MONOTONIC, &now) >= 0 && now != 0 && n->live.read_usec == now)
                return 0;
        r = monitor_get_object(c->monitor, n->table->family, n->table->name, n->name, n->kind, &msg);
        if (r < 0)
                return sd_bus_error_set_errnof(error, r, "Failed to read %s %s: %m", nft_kind_to_string(n->kind),
                                               n->name);
        n->live.read_usec = now;
        n->live.packets = msg.packets;
        n->live.bytes = msg.bytes;
        n->live.consumed = msg.consumed;
        return 0;
}

int node_object(const Node *n, char **ret)
{
        return asprintf(ret, "%s %s/%s/%s", nft_kind_to_string(n->kind), family_to_string(n->table->family),
                        n->table->name, n->name) < 0
                       ? -ENOMEM
                       : 0;
}

int node_authorize(sd_bus_message *m, Node *n, sd_bus_error *error)
{
        return polkit_check(node_context(n)->polkit, m, NODE_DETAILS(n), error);
}

int node_command(sd_bus_message *m, Node *n, const char *verb, uint32_t flags, call_reply_t on_success,
                 sd_bus_error *error)
{
        _cleanup_(json_decrefp) json_t *batch = NULL;
        _cleanup_free_ char *object = NULL;
        Context *c = node_context(n);

        batch = batch_one(verb, nft_kind_to_string(n->kind),
                          object_spec(family_to_string(n->table->family), n->table->name, n->name));
        if (!batch || node_object(n, &object) < 0)
                return -ENOMEM;
        return call_execute(
                c, m, &(CallRequest){ .batch = batch, .flags = flags, .object = object, .on_success = on_success },
                error);
}

int node_method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = node_authorize(m, userdata, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return node_command(m, userdata, "delete", 0, NULL, error);
}
