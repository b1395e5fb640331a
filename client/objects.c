/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl's named object verbs: list-objects, reset-counter. */

#include <jansson.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "columns.h"
#include "common/objpath.h"
#include "common/util.h"
#include "nftbusctl.h"

/* KIND FAMILY TABLE NAME STATE; the Object interface's kinds as nft writes them: "ct helper" */
static int object_row(Columns *table, json_t *o)
{
        const char *kind = json_str(o, "kind");
        char state[128] = "";

#define NUM(key) json_integer_value(json_object_get(o, key))
        if (streq(kind, "counter"))
                snprintf(state, sizeof(state), "packets %" JSON_INTEGER_FORMAT " bytes %" JSON_INTEGER_FORMAT,
                         NUM("packets"), NUM("bytes"));
        else if (streq(kind, "quota"))
                snprintf(state, sizeof(state), "%s%" JSON_INTEGER_FORMAT " bytes, used %" JSON_INTEGER_FORMAT,
                         json_is_true(json_object_get(o, "over")) ? "over " : "", NUM("bytes"), NUM("used"));
        else if (streq(kind, "limit"))
                snprintf(state, sizeof(state), "rate %s%" JSON_INTEGER_FORMAT " %s/%s burst %" JSON_INTEGER_FORMAT,
                         json_is_true(json_object_get(o, "over")) ? "over " : "", NUM("rate"), json_str(o, "unit"),
                         json_str(o, "per"), NUM("burst"));
        else if (streq(kind, "flowtable"))
                snprintf(state, sizeof(state), "hook %s priority %" JSON_INTEGER_FORMAT, json_str(o, "hook"),
                         NUM("priority"));
#undef NUM
        return columns_add(table, (const char *const[]){ kind, json_str(o, "family"), json_str(o, "table"),
                                                         json_str(o, "name"), state });
}

static const Column object_columns[] = {
        { "KIND", 10 }, { "FAMILY", 8 }, { "TABLE", 16 }, { "NAME", 20 }, { "STATE" }
};

int cmd_list_objects(sd_bus *bus, char **args, int n)
{
        return list_objects(
                bus, args, n,
                (const char *const[]){ NFTBUS_COUNTER_INTERFACE, NFTBUS_QUOTA_INTERFACE, NFTBUS_LIMIT_INTERFACE,
                                       NFTBUS_FLOWTABLE_INTERFACE, NFTBUS_OBJECT_INTERFACE, NULL },
                "list objects", &(const ObjectTable){ object_columns, ELEMENTSOF(object_columns), object_row });
}

int cmd_reset_counter(sd_bus *bus, char **args, int n _unused_)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        uint64_t packets, bytes;
        int r;

        r = node_call(bus, args, "counter", NFTBUS_COUNTER_INTERFACE, "Reset", "reset the counter", &reply, NULL);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "tt", &packets, &bytes) < 0)
                return EXIT_FAILED;
        if (arg_json)
                printf("{\"packets\": %" PRIu64 ", \"bytes\": %" PRIu64 "}\n", packets, bytes);
        else
                printf("packets %" PRIu64 " bytes %" PRIu64 "\n", packets, bytes);
        return EXIT_OK;
}
