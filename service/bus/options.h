/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Reading the a{sv} options every method takes: each known option with its D-Bus type (an integer option
 * takes any integer type whose value fits it); an unknown option, a repeated one, one of the wrong type or
 * out of range is InvalidArgument, naming it. */

#include <stdbool.h>
#include <systemd/sd-bus.h>

typedef struct OptionSpec {
        const char *name;
        const char *type;  /* "s", "b", "u", "t", "i", "as", or "i|s" (either; read as text) */
        void *ret;         /* char ** (malloc'd, also for "i|s"), int * (b, i), uint32_t *, uint64_t *, char *** */
        bool *ret_present; /* optional */
} OptionSpec;

/* Reads the a{sv} at the current position of m. specs ends with an entry whose name is NULL. */
int options_read(sd_bus_message *m, const OptionSpec *specs, sd_bus_error *error);

/* The options of a zone's or an ipset's change: permanent (b), into *ret (0 when not given). */
int options_read_permanent(sd_bus_message *m, int *ret, sd_bus_error *error);

/* Reads an "as" at the current position of m into a NULL-terminated list, in time linear in its length. */
int options_read_strv(sd_bus_message *m, char ***ret);

/* How many strings the "as" values of the a{sv} at the current position of m hold, without keeping any,
 * counting no further than limit + 1 (then m is left inside the a{sv}: rewind it): the cheap measure by
 * which a big call is parsed only after polkit allowed it. */
int options_count_list_entries(sd_bus_message *m, size_t limit, size_t *ret);
