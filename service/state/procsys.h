/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The allow-listed sysctls (core/sysctlparam.h) under /proc/sys: read, and written all or nothing. Used
 * by the Sysctl interface (features/sysctl.c) and by the presets that change sysctls. */

#include <stddef.h>
#include <systemd/sd-bus.h>

#include "core/sysctlparam.h"

typedef struct SysctlWrite {
        const char *name;
        const char *value;
} SysctlWrite;

/* Checks every name and value, and that the parameter exists here; InvalidArgument or NotFound in error. */
int sysctl_check_all(const SysctlWrite *w, size_t n, sd_bus_error *error);

/* Writes them in order after sysctl_check_all(); when the kernel refuses one, the ones written before it
 * get their old values back, and error says which and why. */
int sysctl_write_all(const SysctlWrite *w, size_t n, sd_bus_error *error);

/* The parameter name stands for, and its path under /proc/sys; InvalidArgument or NotFound in error. */
int sysctl_resolve(const char *name, const SysctlParam **ret_param, char **ret_path, sd_bus_error *error);

/* Reads a value from /proc/sys, without its newline: 0 or negative errno. */
int procsys_read(const char *path, char **ret);

/* Sets error for a failed read or write of name (and value, when writing); returns the negative errno. */
int sysctl_io_error(sd_bus_error *error, int r, const char *name, const char *value);
