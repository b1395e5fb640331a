/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the benchmarks share: a monotonic clock, percentiles, and running a program to completion. */

#include <spawn.h>
#include <stdlib.h>
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
