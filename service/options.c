/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "options.h"
#include "util.h"
#include "validate.h"

static int read_value(sd_bus_message *m, const OptionSpec *spec)
{
        const char *s;
        int r;

        switch (spec->type[0]) {
        case 's':
                r = sd_bus_message_read_basic(m, 's', &s);
                if (r < 0)
                        return r;
                free(*(char **) spec->ret);
                *(char **) spec->ret = strdup(s);
                return *(char **) spec->ret ? 0 : -ENOMEM;
        case 'b':
        case 'i':
        case 'u':
        case 't':
                return sd_bus_message_read_basic(m, spec->type[0], spec->ret);
        default:
                return -EINVAL;
        }
}

int options_read(sd_bus_message *m, const OptionSpec *specs, sd_bus_error *error)
{
        uint64_t seen = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;

        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const OptionSpec *spec = NULL;
                const char *name, *contents;
                size_t i;

                r = sd_bus_message_read_basic(m, 's', &name);
                if (r < 0)
                        return r;
                for (i = 0; specs[i].name; i++)
                        if (streq(specs[i].name, name)) {
                                spec = &specs[i];
                                break;
                        }
                if (!spec) {
                        _cleanup_free_ char *shown = escape_for_message(name);
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT, "Unknown option '%s'",
                                                 shown ? shown : "?");
                }
                if (seen & (UINT64_C(1) << i))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Option '%s' is given twice", name);
                seen |= UINT64_C(1) << i;

                r = sd_bus_message_peek_type(m, NULL, &contents);
                if (r < 0)
                        return r;
                if (!streq(contents, spec->type))
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                                 "Option '%s' takes a value of D-Bus type '%s', not '%s'",
                                                 name, spec->type, contents);
                r = sd_bus_message_enter_container(m, 'v', spec->type);
                if (r < 0)
                        return r;
                r = read_value(m, spec);
                if (r < 0)
                        return r;
                if (spec->ret_present)
                        *spec->ret_present = true;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}
