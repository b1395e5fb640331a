/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the benchmarks share: a monotonic clock, percentiles, running a program to completion, and one
 * method call on the bus. */

#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static inline double now_us(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline int compare_doubles(const void *a, const void *b)
{
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

/* Sorts v. */
static inline double percentile(double *v, int n, double p)
{
        qsort(v, n, sizeof(double), compare_doubles);
        return v[(int) (p * (n - 1))];
}

/* Runs argv (searched in PATH), its output to /dev/null when quiet; 0 when it exits 0. */
static inline int run_program(char *const argv[], int quiet)
{
        posix_spawn_file_actions_t actions;
        pid_t pid;
        int status, r;

        posix_spawn_file_actions_init(&actions);
        if (quiet)
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1 /* O_WRONLY */, 0);
        r = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        if (r != 0)
                return -1;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -1;
        return 0;
}

#define BUS "org.nftbus.Firewall1"

/* Calls method of destination with the arguments types says (none when NULL), the reply to *reply when reply
 * is not NULL; a failure is printed. Waits up to two minutes: bulk calls are what is measured. */
static inline int bench_call_to(sd_bus *bus, const char *destination, const char *path, const char *interface,
                                const char *method, sd_bus_message **reply, const char *types, ...)
{
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL;
        va_list ap;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, destination, path, interface, method);
        if (r >= 0 && types) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_call(bus, m, 120 * 1000000ULL, &error, reply);
        if (r < 0)
                fprintf(stderr, "%s: %s\n", method, error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        sd_bus_message_unref(m);
        return r;
}

/* bench_call_to() nftbusd: bench_call(bus, path, interface, method, reply, types, ...) */
#define bench_call(bus, ...) bench_call_to((bus), BUS, __VA_ARGS__)
