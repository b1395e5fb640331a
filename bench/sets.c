/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Sets at scale, side by side in one run (through bench/sets, inside the sandbox's namespaces):
 *   - N IPv4 addresses into a hash set with AddElementsFromFd, against nft -j -f of the same elements,
 *     for each N given (default 100000 and 1000000); and 100000 CIDR prefixes into an interval set;
 *     wall time and peak memory (nftbusd and its executor together; nft's own);
 *   - one element added with an empty table, and with a million-element set present;
 *   - ListElements (and ListElementsToFd) of the biggest set against nft -j list set.
 * nft's side runs first (--reference FILE), before nftbusd is started, each in a network namespace of
 * its own: the kernel builds nftables' change events whenever anyone on the host listens to them, in any
 * namespace (netlink's listener bitmap is per protocol, not per namespace), which makes a million-element
 * nft -j -f take 23 s instead of 3 s; nftbusd listens, except during its own bulk commits. Then the bus
 * side runs inside the sandbox (--compare FILE) and prints both with the ratios. */

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "bench.h"

#define TABLE "/org/nftbus/Firewall1/table/inet/bench"
#define SET_IFACE "org.nftbus.Firewall1.Set"

static int add_set(sd_bus *bus, const char *name, int interval)
{
        if (interval)
                return bench_call(bus, TABLE, "org.nftbus.Firewall1.Table", "AddSet", NULL, "ssa{sv}", name,
                                  "ipv4_addr", 1, "flags", "as", 1, "interval");
        return bench_call(bus, TABLE, "org.nftbus.Firewall1.Table", "AddSet", NULL, "ssa{sv}", name, "ipv4_addr", 0);
}

/* Set names here need no escaping in paths (no "_"). */

/* The elements, one per line, and the same as a libnftables JSON batch for set "s" of table inet b. */
static void write_files(const char *lines, const char *json, int n, int prefixes)
{
        FILE *l = fopen(lines, "w"), *j = fopen(json, "w");

        if (!l || !j)
                exit(1);
        fprintf(j, "{\"nftables\": [{\"add\": {\"element\": {\"family\": \"inet\", \"table\": \"b\", \"name\": \"s\", "
                   "\"elem\": [");
        for (int i = 0; i < n; i++) {
                /* prefixes: n /24s from 1.0.0.0; addresses: n from 10.0.0.0 */
                unsigned a = prefixes ? 0x01000000u + ((unsigned) i << 8) : 0x0a000000u + (unsigned) i;
                char addr[32];
                snprintf(addr, sizeof(addr), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
                if (prefixes) {
                        fprintf(l, "%s/24\n", addr);
                        fprintf(j, "%s{\"prefix\": {\"addr\": \"%s\", \"len\": 24}}", i ? ", " : "", addr);
                } else {
                        fprintf(l, "%s\n", addr);
                        fprintf(j, "%s\"%s\"", i ? ", " : "", addr);
                }
        }
        fprintf(j, "]}}}]}\n");
        fclose(l);
        fclose(j);
}

/* The PIDs of nftbusd and its executor, found by name. */
static int service_pids(pid_t pids[2])
{
        DIR *d = opendir("/proc");
        struct dirent *e;
        int n = 0;

        while (d && (e = readdir(d)) && n < 2) {
                char path[300], comm[64] = "";
                FILE *f;
                snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
                if (!(f = fopen(path, "r")))
                        continue;
                if (fgets(comm, sizeof(comm), f) &&
                    (strcmp(comm, "nftbusd\n") == 0 || strcmp(comm, "nftbus-executor\n") == 0))
                        pids[n++] = atoi(e->d_name);
                fclose(f);
        }
        if (d)
                closedir(d);
        return n;
}

/* Peak memory since the last reset (clear_refs 5), in kB, summed over the service's processes. */
static long peak_kb(const pid_t *pids, int n, int reset)
{
        long total = 0;

        for (int i = 0; i < n; i++) {
                char path[64], line[256];
                FILE *f;
                snprintf(path, sizeof(path), "/proc/%d/%s", (int) pids[i], reset ? "clear_refs" : "status");
                f = fopen(path, reset ? "w" : "r");
                if (!f)
                        continue;
                if (reset)
                        fputs("5", f);
                else
                        while (fgets(line, sizeof(line), f))
                                if (strncmp(line, "VmHWM:", 6) == 0)
                                        total += atol(line + 6);
                fclose(f);
        }
        return total;
}

/* Runs the shell command in a fresh network namespace and reads "SECONDS KB" from its last line. */
static void nft_reference(const char *command, double *ret_s, long *ret_kb)
{
        char buf[4096], line[4096] = "";
        FILE *p;

        snprintf(buf, sizeof(buf), "unshare -n sh -c '%s' 2>&1", command);
        p = popen(buf, "r");
        while (p && fgets(buf, sizeof(buf), p))
                snprintf(line, sizeof(line), "%s", buf);
        if (!p || pclose(p) != 0 || sscanf(line, "%lf %ld", ret_s, ret_kb) != 2) {
                fprintf(stderr, "nft failed: %s", line);
                exit(1);
        }
}

/* nft's numbers, measured before nftbusd ran: "KEY SECONDS KB" lines */
static FILE *reference;

static void reference_get(const char *key, double *ret_s, long *ret_kb)
{
        char k[64];

        rewind(reference);
        while (fscanf(reference, "%63s %lf %ld", k, ret_s, ret_kb) == 3)
                if (strcmp(k, key) == 0)
                        return;
        fprintf(stderr, "no reference for %s\n", key);
        exit(1);
}

static void nft_load_reference(FILE *out, const char *key, const char *json, int interval)
{
        char command[1024];
        double s;
        long kb;

        snprintf(command, sizeof(command),
                 "nft add table inet b && nft add set inet b s \"{ type ipv4_addr; %s}\" && "
                 "/usr/bin/time -f \"%%e %%M\" nft -j -f %s",
                 interval ? "flags interval; " : "", json);
        nft_reference(command, &s, &kb);
        fprintf(out, "%s %f %ld\n", key, s, kb);
}

static void load(sd_bus *bus, const pid_t *pids, int n_pids, const char *set, const char *lines, const char *key,
                 int n, int interval, const char *what)
{
        double start, ours, theirs;
        long kb, nft_kb;
        uint64_t count;
        sd_bus_message *reply = NULL;
        int fd = open(lines, O_RDONLY | O_CLOEXEC);
        char path[256];

        snprintf(path, sizeof(path), TABLE "/set/%s", set);
        if (fd < 0 || add_set(bus, set, interval) < 0)
                exit(1);
        (void) peak_kb(pids, n_pids, 1);
        start = now_us();
        if (bench_call(bus, path, SET_IFACE, "AddElementsFromFd", &reply, "ha{sv}", fd, 0) < 0 ||
            sd_bus_message_read(reply, "t", &count) < 0 || count != (uint64_t) n)
                exit(1);
        ours = (now_us() - start) / 1e6;
        kb = peak_kb(pids, n_pids, 0);
        sd_bus_message_unref(reply);
        close(fd);

        reference_get(key, &theirs, &nft_kb);
        printf("%-34s nftbus %6.2f s %7.1f MB | nft -j -f %6.2f s %7.1f MB | time x%.2f, memory x%.2f\n", what, ours,
               kb / 1024.0, theirs, nft_kb / 1024.0, ours / theirs, (double) kb / nft_kb);
}

/* User and system CPU seconds of a process so far. */
static void cpu_seconds(pid_t pid, double *ret_user, double *ret_system)
{
        char path[64], buf[2048], *p;
        unsigned long utime = 0, stime = 0;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        f = fopen(path, "r");
        if (f && fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
                /* after the command: state, then fields 4..13, then utime and stime (14, 15) */
                (void) sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
        if (f)
                fclose(f);
        *ret_user = (double) utime / sysconf(_SC_CLK_TCK);
        *ret_system = (double) stime / sysconf(_SC_CLK_TCK);
}

static double single_adds(sd_bus *bus, const char *set, int calls)
{
        double *t = calloc(calls, sizeof(double));
        char path[256], element[32];
        double median;

        snprintf(path, sizeof(path), TABLE "/set/%s", set);
        for (int i = 0; i < calls; i++) {
                snprintf(element, sizeof(element), "192.0.%d.%d", (i >> 8) & 255, i & 255);
                double start = now_us();
                if (bench_call(bus, path, SET_IFACE, "AddElements", NULL, "asa{sv}", 1, element, 0) < 0)
                        exit(1);
                t[i] = now_us() - start;
        }
        median = percentile(t, calls, 0.5);
        free(t);
        return median;
}

static void make_files(const char *lines, const char *json, int n, int prefixes)
{
        write_files(lines, json, n, prefixes);
}

/* --reference FILE SIZES...: nft's side, outside the sandbox. */
static int run_reference(const char *file, const int *sizes, int n_sizes)
{
        FILE *out = fopen(file, "w");
        char lines[64], json[64], key[32], command[1024];
        int biggest = 0;
        double s;
        long kb;

        if (!out)
                return 1;
        for (int i = 0; i < n_sizes; i++) {
                snprintf(lines, sizeof(lines), "/tmp/nftbus-bench-%d.txt", sizes[i]);
                snprintf(json, sizeof(json), "/tmp/nftbus-bench-%d.json", sizes[i]);
                snprintf(key, sizeof(key), "load-%d", sizes[i]);
                make_files(lines, json, sizes[i], 0);
                nft_load_reference(out, key, json, 0);
                if (sizes[i] > sizes[biggest])
                        biggest = i;
                unlink(lines);
                if (i != biggest)
                        unlink(json);
        }
        make_files("/tmp/nftbus-bench-cidr.txt", "/tmp/nftbus-bench-cidr.json", 100000, 1);
        nft_load_reference(out, "cidr", "/tmp/nftbus-bench-cidr.json", 1);
        unlink("/tmp/nftbus-bench-cidr.txt");
        unlink("/tmp/nftbus-bench-cidr.json");

        snprintf(json, sizeof(json), "/tmp/nftbus-bench-%d.json", sizes[biggest]);
        snprintf(command, sizeof(command),
                 "nft add table inet b && nft add set inet b s \"{ type ipv4_addr; }\" && nft -j -f %s && "
                 "/usr/bin/time -f \"%%e %%M\" nft -j list set inet b s >/dev/null",
                 json);
        nft_reference(command, &s, &kb);
        fprintf(out, "list %f %ld\n", s, kb);
        unlink(json);
        return fclose(out) == 0 ? 0 : 1;
}

int main(int argc, char *argv[])
{
        int sizes[8] = { 100000, 1000000 }, n_sizes = 2, biggest = 0, calls = 500;
        char lines[64], key[32], name[32];
        sd_bus *bus = NULL;
        pid_t pids[2];
        int n_pids;

        if (argc < 3 || (strcmp(argv[1], "--reference") != 0 && strcmp(argv[1], "--compare") != 0)) {
                fprintf(stderr, "usage: sets --reference|--compare FILE [SIZES...]; run bench/sets\n");
                return 2;
        }
        if (argc > 3) {
                n_sizes = 0;
                for (int i = 3; i < argc && n_sizes < 8; i++)
                        sizes[n_sizes++] = atoi(argv[i]);
        }
        for (int i = 0; i < n_sizes; i++)
                if (sizes[i] > sizes[biggest])
                        biggest = i;
        if (strcmp(argv[1], "--reference") == 0)
                return run_reference(argv[2], sizes, n_sizes);
        reference = fopen(argv[2], "r");
        if (!reference)
                return 1;

        if (sd_bus_open_system(&bus) < 0 || bench_call(bus, "/org/nftbus/Firewall1", "org.nftbus.Firewall1.Manager",
                                                       "AddTable", NULL, "ssa{sv}", "inet", "bench", 0) < 0)
                return 1;
        n_pids = service_pids(pids);
        if (n_pids != 2) {
                fprintf(stderr, "nftbusd and its executor not found\n");
                return 1;
        }

        /* a single add before any big set exists */
        if (add_set(bus, "small", 0) < 0)
                return 1;
        double empty = single_adds(bus, "small", calls);

        for (int i = 0; i < n_sizes; i++) {
                char what[64];
                snprintf(lines, sizeof(lines), "/tmp/nftbus-bench-%d.txt", sizes[i]);
                snprintf(name, sizeof(name), "ipv4x%d", sizes[i]);
                snprintf(key, sizeof(key), "load-%d", sizes[i]);
                snprintf(what, sizeof(what), "%d IPv4 addresses, hash set", sizes[i]);
                make_files(lines, "/dev/null", sizes[i], 0);
                load(bus, pids, n_pids, name, lines, key, sizes[i], 0, what);
                unlink(lines);
        }
        make_files("/tmp/nftbus-bench-cidr.txt", "/dev/null", 100000, 1);
        load(bus, pids, n_pids, "cidr", "/tmp/nftbus-bench-cidr.txt", "cidr", 100000, 1,
             "100000 CIDR prefixes, interval set");
        unlink("/tmp/nftbus-bench-cidr.txt");

        /* single adds with the big set present: into another set, and into the big set itself */
        snprintf(name, sizeof(name), "ipv4x%d", sizes[biggest]);
        double other = single_adds(bus, "small", calls), same = single_adds(bus, name, calls);
        printf("one-element AddElements, median of %d: empty table %.0f us | with %d-element set present %.0f us "
               "(x%.2f) | into that set %.0f us (x%.2f)\n",
               calls, empty, sizes[biggest], other, other / empty, same, same / empty);

        /* listings of the biggest set */
        {
                char path[256];
                sd_bus_message *reply = NULL;
                double start, as, to_fd, theirs;
                long nft_kb;
                int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
                uint64_t count;

                double user0, system0, user1, system1;
                pid_t daemon = pids[0];

                for (int i = 0; i < n_pids; i++) {
                        char comm[64], p[64];
                        FILE *f;
                        snprintf(p, sizeof(p), "/proc/%d/comm", (int) pids[i]);
                        if ((f = fopen(p, "r"))) {
                                if (fgets(comm, sizeof(comm), f) && strcmp(comm, "nftbusd\n") == 0)
                                        daemon = pids[i];
                                fclose(f);
                        }
                }
                snprintf(path, sizeof(path), TABLE "/set/%s", name);
                cpu_seconds(daemon, &user0, &system0);
                start = now_us();
                if (bench_call(bus, path, SET_IFACE, "ListElements", &reply, NULL) < 0)
                        return 1;
                as = (now_us() - start) / 1e6;
                cpu_seconds(daemon, &user1, &system1);
                sd_bus_message_unref(reply);
                reply = NULL;
                start = now_us();
                if (bench_call(bus, path, SET_IFACE, "ListElementsToFd", &reply, "h", devnull) < 0 ||
                    sd_bus_message_read(reply, "t", &count) < 0)
                        return 1;
                to_fd = (now_us() - start) / 1e6;
                sd_bus_message_unref(reply);
                reference_get("list", &theirs, &nft_kb);
                printf("listing %d elements: ListElements %.2f s (x%.2f) | ListElementsToFd %.2f s (x%.2f) | "
                       "nft -j list set %.2f s\n",
                       (int) count, as, as / theirs, to_fd, to_fd / theirs, theirs);
                printf("  nftbusd's CPU during ListElements: %.2f s in the kernel (the set dump), %.2f s its own\n",
                       system1 - system0, user1 - user0);
        }
        sd_bus_unref(bus);
        fclose(reference);
        return 0;
}
