/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "bus/options.h"
#include "common/busbasic.h"
#include "common/util.h"
#include "common/validate.h"

int options_read_strv(sd_bus_message *m, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        size_t n = 0, capacity = 0;
        const char *s;
        int r;

        /* sd_bus_message_read_strv() appends with strv_extend(), which measures the list again for every
         * string: 640,000 strings took a minute on the event loop. Here the array doubles. */
        r = sd_bus_message_enter_container(m, 'a', "s");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read_basic(m, 's', &s)) > 0) {
                if (ARRAY_RESERVE(l, capacity, n + 2, 8) < 0)
                        return -ENOMEM;
                l[n] = strdup(s);
                if (!l[n])
                        return -ENOMEM;
                l[++n] = NULL;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static bool is_integer_type(const char *t)
{
        return t[0] && !t[1] && strchr("ynqiuxt", t[0]);
}

/* Any integer type holds an integer option's value: dbus-python, dasbus and gdbus send 'i' for 600, a
 * shell's busctl 'u' or 't' as the caller writes it. The value must fit the option's type. */
static int read_integer(sd_bus_message *m, const OptionSpec *spec, const char *name, const char *contents,
                        sd_bus_error *error)
{
        bool negative;
        uint64_t magnitude;
        BusBasic v;
        int r;

        r = sd_bus_message_read_basic(m, contents[0], &v);
        if (r < 0)
                return r;
        if (!bus_basic_integer(contents[0], &v, &negative, &magnitude))
                return -EINVAL;
        if (spec->type[0] == 'i') {
                if (magnitude > (negative ? (uint64_t) INT32_MAX + 1 : (uint64_t) INT32_MAX))
                        goto out_of_range;
                *(int *) spec->ret = negative ? (int) (0 - (int64_t) magnitude) : (int) magnitude;
                return 0;
        }
        if (negative || (spec->type[0] == 'u' && magnitude > UINT32_MAX))
                goto out_of_range;
        if (spec->type[0] == 'u')
                *(uint32_t *) spec->ret = (uint32_t) magnitude;
        else
                *(uint64_t *) spec->ret = magnitude;
        return 0;
out_of_range:
        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                 "Option '%s' takes %s; %s%" PRIu64 " is out of range", name,
                                 spec->type[0] == 'i'   ? "a 32-bit integer"
                                 : spec->type[0] == 'u' ? "an integer from 0 to 4294967295"
                                                        : "an integer from 0 to 18446744073709551615",
                                 negative ? "-" : "", magnitude);
}

static int read_value(sd_bus_message *m, const OptionSpec *spec, const char *contents)
{
        const char *s;
        int32_t i;
        int r;

        if (streq(spec->type, "as")) {
                char **l = NULL;
                r = options_read_strv(m, &l);
                if (r < 0)
                        return r;
                strv_free(*(char ***) spec->ret);
                *(char ***) spec->ret = l;
                return 0;
        }
        if (streq(spec->type, "i|s") && streq(contents, "i")) {
                r = sd_bus_message_read_basic(m, 'i', &i);
                if (r < 0)
                        return r;
                free(*(char **) spec->ret);
                return asprintf((char **) spec->ret, "%" PRIi32, i) < 0 ? -ENOMEM : 0;
        }

        switch (contents[0]) {
        case 's':
                r = sd_bus_message_read_basic(m, 's', &s);
                if (r < 0)
                        return r;
                free(*(char **) spec->ret);
                *(char **) spec->ret = strdup(s);
                return *(char **) spec->ret ? 0 : -ENOMEM;
        case 'b':
                return sd_bus_message_read_basic(m, contents[0], spec->ret);
        default:
                return -EINVAL;
        }
}

/* "i|s" takes either; an integer option takes every integer type (read_integer()) */
static bool type_matches(const char *spec, const char *contents)
{
        if (streq(spec, "i|s"))
                return streq(contents, "i") || streq(contents, "s");
        if (is_integer_type(spec))
                return is_integer_type(contents);
        return streq(spec, contents);
}

/* The next entry of the a{sv} entered: its name, and the D-Bus type of its value, which is next to read; 0 at
 * the end. The caller exits the entry. */
static int option_next(sd_bus_message *m, const char **ret_name, const char **ret_contents)
{
        int r = sd_bus_message_enter_container(m, 'e', "sv");

        if (r <= 0)
                return r;
        r = sd_bus_message_read_basic(m, 's', ret_name);
        if (r >= 0)
                r = sd_bus_message_peek_type(m, NULL, ret_contents);
        return r < 0 ? r : 1;
}

int options_read(sd_bus_message *m, const OptionSpec *specs, sd_bus_error *error)
{
        const char *name, *contents;
        uint64_t seen = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;

        while ((r = option_next(m, &name, &contents)) > 0) {
                const OptionSpec *spec = NULL;
                size_t i;

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
                        return sd_bus_error_setf(error, NFTBUS_ERROR_INVALID_ARGUMENT, "Option '%s' is given twice",
                                                 name);
                seen |= UINT64_C(1) << i;

                if (!type_matches(spec->type, contents))
                        return sd_bus_error_setf(
                                error, NFTBUS_ERROR_INVALID_ARGUMENT,
                                "Option '%s' takes a value of D-Bus type '%s'%s, not '%s'", name, spec->type,
                                is_integer_type(spec->type) ? " (or another integer type)" : "", contents);
                r = sd_bus_message_enter_container(m, 'v', contents);
                if (r < 0)
                        return r;
                if (is_integer_type(spec->type))
                        r = read_integer(m, spec, name, contents, error);
                else
                        r = read_value(m, spec, contents);
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

int options_count_list_entries(sd_bus_message *m, size_t limit, size_t *ret)
{
        const char *name, *contents, *s;
        size_t n = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = option_next(m, &name, &contents)) > 0) {
                if (streq(contents, "as")) {
                        r = sd_bus_message_enter_container(m, 'v', "as");
                        if (r >= 0)
                                r = sd_bus_message_enter_container(m, 'a', "s");
                        while (r >= 0 && n <= limit && (r = sd_bus_message_read_basic(m, 's', &s)) > 0)
                                n++;
                        if (n > limit) {
                                *ret = n; /* enough said: the rest is not read */
                                return 0;
                        }
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                        if (r >= 0)
                                r = sd_bus_message_exit_container(m);
                } else
                        r = sd_bus_message_skip(m, "v");
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        *ret = n;
        return 0;
}

int options_read_permanent(sd_bus_message *m, int *ret, sd_bus_error *error)
{
        *ret = 0;
        return options_read(m, (const OptionSpec[]){ { "permanent", "b", ret }, {} }, error);
}
