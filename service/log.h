/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Logging of the daemon: to stderr (which journald reads under systemd, with <N> level prefixes), and
 * structured audit records of every change to the journal. Pure modules do not log. */

#include <syslog.h>
#include <systemd/sd-bus.h>

#include "common/util.h"

void log_set_max_level(int level);

/* Logs (with %m naming error) and returns error as a negative errno, so that a caller can
 * "return log_error_errno(r, ...)". */
int log_internal(int level, int error, const char *fmt, ...) _printf_(3, 4);

#define log_debug(...) (void) log_internal(LOG_DEBUG, 0, __VA_ARGS__)
#define log_info(...) (void) log_internal(LOG_INFO, 0, __VA_ARGS__)
#define log_notice(...) (void) log_internal(LOG_NOTICE, 0, __VA_ARGS__)
#define log_warning(...) (void) log_internal(LOG_WARNING, 0, __VA_ARGS__)
#define log_error(...) (void) log_internal(LOG_ERR, 0, __VA_ARGS__)
#define log_debug_errno(e, ...) log_internal(LOG_DEBUG, e, __VA_ARGS__)
#define log_warning_errno(e, ...) log_internal(LOG_WARNING, e, __VA_ARGS__)
#define log_error_errno(e, ...) log_internal(LOG_ERR, e, __VA_ARGS__)

/* One audit record of a change: who (uid and bus name of the sender of m), what (the polkit action
 * and the object), and the outcome. */
void log_change(sd_bus_message *m, const char *action, const char *object, const char *outcome);
