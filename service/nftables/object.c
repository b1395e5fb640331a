/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* org.nftbus.Firewall1.Object: the stateful objects that have no interface of their own, one interface for
 * all: ct helpers, ct timeouts, ct expectations, synproxies, secmarks, ct count (connlimit) and tunnel
 * objects, at /org/nftbus/Firewall1/table/FAMILY/TABLE/ct_helper/NAME and so on. nftbus makes none of
 * them itself (Manager.Apply does); it shows them, describes them as nft prints them, and deletes them. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/call.h"
#include "nftables/node.h"
#include "context.h"
#include "common/errors.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"
#include "core/nftsyntax.h"

static int property_get_kind(sd_bus *bus _unused_, const char *path _unused_, const char *interface _unused_,
                             const char *property _unused_, sd_bus_message *reply, void *userdata,
                             sd_bus_error *error _unused_)
{
        Node *n = userdata;
        return sd_bus_message_append(reply, "s", nft_kind_to_string(n->kind));
}

static int reply_description(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        _cleanup_free_ char *text = strdup(strempty(reply->output));

        if (!text)
                return -ENOMEM;
        listing_strip_handles(text);
        return call_reply_string(c, m, text, "Manager.ExportToFd with the options family and table");
}

/* "VERB KIND FAMILY TABLE NAME" in nft syntax, whose JSON (libnftables 1.0.6) lacks some of these kinds;
 * authorised. */
static int object_command(sd_bus_message *m, Node *n, const char *verb, call_reply_t on_success, sd_bus_error *error)
{
        _cleanup_free_ char *text = NULL, *object = NULL;
        Context *c = node_context(n);

        /* the names come from the kernel: only those nft syntax carries as they are go into a command */
        if (validate_object_name("table", n->table->name, NULL) < 0 ||
            validate_object_name("object", n->name, NULL) < 0)
                return sd_bus_error_setf(error, NFTBUS_ERROR_REJECTED,
                                         "The %s's or its table's name cannot be written in nft syntax; "
                                         "Manager.Apply with a JSON batch can %s it",
                                         nft_kind_to_string(n->kind), verb);
        if (asprintf(&text, "%s %s %s %s %s", verb, nft_kind_to_string(n->kind), family_to_string(n->table->family),
                     n->table->name, n->name) < 0 ||
            node_object(n, &object) < 0)
                return -ENOMEM;
        return call_execute(
                c, m,
                &(CallRequest){ .text = text, .flags = EXEC_NFT_SYNTAX, .object = object, .on_success = on_success },
                error);
}

/* The object as nft lists it, in its table. */
static int method_describe(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = node_authorize(m, userdata, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return object_command(m, userdata, "list", reply_description, error);
}

static int method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = node_authorize(m, userdata, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return object_command(m, userdata, "delete", NULL, error);
}

const sd_bus_vtable object_vtable[] = {
        SD_BUS_VTABLE_START(0),
        NODE_PROPERTIES,
        SD_BUS_PROPERTY("Kind", "s", property_get_kind, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Comment", "s", node_property_get_comment, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("Describe", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", description), method_describe,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Delete", NULL, NULL, method_delete, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};
