/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusctl sysctl get|set|list: org.nftbus.Firewall1.Sysctl. */

#include <stdio.h>
#include <string.h>

#include "nftbusctl.h"
#include "common/objpath.h"
#include "common/util.h"

static int sysctl_get(sd_bus *bus, const char *name)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *value;
        int r;

        r = call_nftbus(bus, NFTBUS_SYSCTL_PATH, NFTBUS_SYSCTL_INTERFACE, "Get", "read the sysctl", &reply, "s", name);
        if (r != EXIT_OK)
                return r;
        if (sd_bus_message_read(reply, "s", &value) < 0)
                return EXIT_FAILED;
        if (arg_json) {
                _cleanup_(json_decrefp) json_t *j = json_pack("{s:s, s:s}", "name", name, "value", value);
                return j ? print_json(j) : EXIT_FAILED;
        }
        puts(value);
        return EXIT_OK;
}

static int sysctl_set(sd_bus *bus, const char *name, const char *value)
{
        return call_nftbus(bus, NFTBUS_SYSCTL_PATH, NFTBUS_SYSCTL_INTERFACE, "Set", "set the sysctl", NULL, "ss", name,
                           value);
}

static int sysctl_list(sd_bus *bus)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(json_decrefp) json_t *list = json_array();
        const char *name, *value;
        int r;

        r = call_nftbus(bus, NFTBUS_SYSCTL_PATH, NFTBUS_SYSCTL_INTERFACE, "List", "list the sysctls", &reply, NULL);
        if (r != EXIT_OK)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "(ss)");
        while (r >= 0 && (r = sd_bus_message_read(reply, "(ss)", &name, &value)) > 0) {
                if (arg_json)
                        json_array_append_new(list, json_pack("{s:s, s:s}", "name", name, "value", value));
                else
                        printf("%s = %s\n", name, value);
        }
        if (r < 0)
                return call_failed("read the sysctls", NULL, r);
        return arg_json ? print_json(list) : EXIT_OK;
}

int cmd_sysctl(sd_bus *bus, char **args, int n)
{
        if (streq(args[0], "get") && n == 2)
                return sysctl_get(bus, args[1]);
        if (streq(args[0], "set") && n == 3)
                return sysctl_set(bus, args[1], args[2]);
        if (streq(args[0], "list") && n == 1)
                return sysctl_list(bus);
        return EXIT_USAGE; /* the verb table let through nothing else */
}
