/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The allow-listed sysctls (sysctlparam.h) under /proc/sys: read, and written all or nothing. Used by the
 * Sysctl interface and by the presets that change sysctls. */

#include <stddef.h>
#include <systemd/sd-bus.h>

typedef struct SysctlWrite {
        const char *name;
        const char *value;
} SysctlWrite;

/* Checks every name and value, and that the parameter exists here; InvalidArgument or NotFound in error. */
int sysctl_check_all(const SysctlWrite *w, size_t n, sd_bus_error *error);

/* Writes them in order after sysctl_check_all(); when the kernel refuses one, the ones written before it
 * get their old values back, and error says which and why. */
int sysctl_write_all(const SysctlWrite *w, size_t n, sd_bus_error *error);
