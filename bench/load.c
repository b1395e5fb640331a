/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Many clients at once (through bench/load, inside the sandbox's namespaces): C client processes, each
 * with its own bus connection, for S seconds each call their mix — element writes (AddElements of one
 * address of their own, a new one every time), element reads (HasElement), table reads (ListTables),
 * property reads (Get of their chain's Name) and rule writes (AddRule then DeleteRule in a chain of their
 * own). Then: calls per second, latency percentiles per kind, and the set compared with what the clients
 * were told: lost (acknowledged, not in the kernel) and duplicated or unasked (in the kernel, never
 * acknowledged). Last, whether grouping queued element writes into one transaction would pay: one
 * client adding one address per call, against one call adding 32.
 *
 *   load [CLIENTS [SECONDS]]      (default 32 clients, 10 s) */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define TABLE "/org/nftbus/Firewall1/table/inet/load"
#define SET TABLE "/set/s"
#define KINDS 5
#define MAX_SAMPLES 200000

static const char *const kind_names[KINDS] = { "AddElements (1)", "HasElement", "ListTables", "Get Name",
                                               "AddRule+DeleteRule" };

typedef struct Result {
        int n[KINDS];
        int failed[KINDS];
        int added; /* acknowledged element writes */
} Result;

static void address(int client, int i, char *buf, size_t size)
{
        /* 10.C.x.y: each client its own /16 */
        snprintf(buf, size, "10.%d.%d.%d", client, (i >> 8) & 255, i & 255);
}

static void client_main(int client, double seconds, Result *res, double *lat, FILE *acked)
{
        sd_bus *bus = NULL;
        char chain_path[256], name[64];
        double end;
        int i = 0;

        if (sd_bus_open_system(&bus) < 0)
                exit(1);
        snprintf(name, sizeof(name), "c%d", client);
        snprintf(chain_path, sizeof(chain_path), TABLE "/chain/%s", name);
        if (bench_call(bus, TABLE, "org.nftbus.Firewall1.Table", "AddChain", NULL, "sa{sv}", name, 0) < 0)
                exit(1);
        end = now_us() + seconds * 1e6;
        for (int k = 0; now_us() < end; k = (k + 1) % 10) {
                /* the mix: 4 element writes, 2 element reads, 2 table reads, 1 property read, 1 rule pair */
                int kind = k < 4 ? 0 : k < 6 ? 1 : k < 8 ? 2 : k < 9 ? 3 : 4;
                sd_bus_error error = SD_BUS_ERROR_NULL;
                sd_bus_message *reply = NULL;
                char addr[32];
                double t0 = now_us();
                int r;

                switch (kind) {
                case 0:
                        address(client, i++, addr, sizeof(addr));
                        r = sd_bus_call_method(bus, BUS, SET, "org.nftbus.Firewall1.Set", "AddElements", &error, NULL,
                                               "asa{sv}", 1, addr, 0);
                        if (r >= 0) {
                                res->added++;
                                fprintf(acked, "%s\n", addr);
                        }
                        break;
                case 1:
                        address(client, i > 0 ? i - 1 : 0, addr, sizeof(addr));
                        r = sd_bus_call_method(bus, BUS, SET, "org.nftbus.Firewall1.Set", "HasElement", &error, &reply,
                                               "s", addr);
                        break;
                case 2:
                        r = sd_bus_call_method(bus, BUS, "/org/nftbus/Firewall1", "org.nftbus.Firewall1.Manager",
                                               "ListTables", &error, &reply, NULL);
                        break;
                case 3:
                        r = sd_bus_get_property(bus, BUS, chain_path, "org.nftbus.Firewall1.Chain", "Name", &error,
                                                &reply, "s");
                        break;
                default: {
                        uint64_t handle = 0;
                        r = sd_bus_call_method(bus, BUS, chain_path, "org.nftbus.Firewall1.Chain", "AddRule", &error,
                                               &reply, "sa{sv}", "tcp dport 22 accept", 0);
                        if (r >= 0 && sd_bus_message_read(reply, "t", &handle) >= 0)
                                r = sd_bus_call_method(bus, BUS, chain_path, "org.nftbus.Firewall1.Chain",
                                                       "DeleteRule", &error, NULL, "t", handle);
                }
                }
                if (r < 0) {
                        res->failed[kind]++;
                        if (res->failed[kind] <= 3)
                                fprintf(stderr, "client %d, %s: %s\n", client, kind_names[kind],
                                        error.message ? error.message : strerror(-r));
                } else if (res->n[kind] < MAX_SAMPLES)
                        lat[kind * MAX_SAMPLES + res->n[kind]++] = now_us() - t0;
                sd_bus_error_free(&error);
                sd_bus_message_unref(reply);
        }
        sd_bus_flush_close_unref(bus);
}

/* The set's elements as the kernel has them, one per line, sorted (nft, not the service). */
static int kernel_elements(const char *path)
{
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "nft -j list set inet load s | jq -r '.nftables[] | select(.set) | .set.elem // [] | .[]' | sort >%s",
                 path);
        return system(cmd);
}

static double grouped_us(sd_bus *bus, int n, int base)
{
        sd_bus_message *m = NULL;
        double t0;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, BUS, SET, "org.nftbus.Firewall1.Set", "AddElements");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "s");
        for (int i = 0; r >= 0 && i < n; i++) {
                char addr[32];
                snprintf(addr, sizeof(addr), "10.250.%d.%d", (base + i) >> 8 & 255, (base + i) & 255);
                r = sd_bus_message_append_basic(m, 's', addr);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "a{sv}", 0);
        t0 = now_us();
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, NULL, NULL);
        sd_bus_message_unref(m);
        return r < 0 ? -1 : now_us() - t0;
}

int main(int argc, char *argv[])
{
        int clients = argc > 1 ? atoi(argv[1]) : 32;
        double seconds = argc > 2 ? atof(argv[2]) : 10;
        size_t lat_size = sizeof(double) * KINDS * MAX_SAMPLES;
        Result *results =
                mmap(NULL, sizeof(Result) * clients, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        double *lat = mmap(NULL, lat_size * clients, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        char dir[] = "/tmp/nftbus-load.XXXXXX";
        sd_bus *bus = NULL;
        int total_calls = 0, added = 0;
        char cmd[512];

        if (clients < 1 || clients > 256 || seconds <= 0 || results == MAP_FAILED || lat == MAP_FAILED ||
            !mkdtemp(dir) || sd_bus_open_system(&bus) < 0)
                return 1;
        if (bench_call(bus, "/org/nftbus/Firewall1", "org.nftbus.Firewall1.Manager", "AddTable", NULL, "ssa{sv}",
                       "inet", "load", 0) < 0 ||
            bench_call(bus, TABLE, "org.nftbus.Firewall1.Table", "AddSet", NULL, "ssa{sv}", "s", "ipv4_addr", 0) < 0)
                return 1;

        printf("%d clients, %.0f s, each with its own connection\n", clients, seconds);
        for (int c = 0; c < clients; c++)
                if (fork() == 0) {
                        char path[600];
                        snprintf(path, sizeof(path), "%s/acked.%d", dir, c);
                        FILE *acked = fopen(path, "w");
                        if (!acked)
                                _exit(1);
                        client_main(c, seconds, &results[c], lat + (size_t) c * KINDS * MAX_SAMPLES, acked);
                        fclose(acked);
                        _exit(0);
                }
        for (int c = 0; c < clients; c++)
                wait(NULL);

        printf("%-20s %8s %8s %10s %10s %10s %10s\n", "call", "calls", "failed", "p50 (ms)", "p90 (ms)", "p99 (ms)",
               "max (ms)");
        for (int k = 0; k < KINDS; k++) {
                int n = 0, failed = 0;
                double *v;
                for (int c = 0; c < clients; c++)
                        n += results[c].n[k], failed += results[c].failed[k];
                v = malloc(sizeof(double) * (n ? n : 1));
                for (int c = 0, j = 0; c < clients; c++)
                        for (int i = 0; i < results[c].n[k]; i++)
                                v[j++] = lat[((size_t) c * KINDS + k) * MAX_SAMPLES + i];
                total_calls += n + failed;
                if (n)
                        printf("%-20s %8d %8d %10.2f %10.2f %10.2f %10.2f\n", kind_names[k], n, failed,
                               percentile(v, n, 0.5) / 1e3, percentile(v, n, 0.9) / 1e3, percentile(v, n, 0.99) / 1e3,
                               percentile(v, n, 1.0) / 1e3);
                free(v);
        }
        for (int c = 0; c < clients; c++)
                added += results[c].added;
        printf("%.0f calls per second in all\n", total_calls / seconds);

        /* what the kernel has against what the clients were told */
        snprintf(cmd, sizeof(cmd), "cat %s/acked.* | sort >%s/acked", dir, dir);
        if (system(cmd) != 0)
                return 1;
        snprintf(cmd, sizeof(cmd), "%s/kernel", dir);
        if (kernel_elements(cmd) != 0)
                return 1;
        printf("elements acknowledged %d; ", added);
        fflush(stdout);
        snprintf(
                cmd, sizeof(cmd),
                "echo \"in the kernel $(wc -l <%s/kernel); lost $(comm -23 %s/acked %s/kernel | wc -l);"
                " duplicated or unasked $(( $(comm -13 %s/acked %s/kernel | wc -l) + $(uniq -d %s/acked | wc -l) ))\"",
                dir, dir, dir, dir, dir, dir);
        if (system(cmd) != 0)
                return 1;

        /* grouping: 32 writes as 32 calls one after the other, against one call of 32 */
        {
                double single = 0, grouped;
                for (int i = 0; i < 32; i++) {
                        double t = grouped_us(bus, 1, 1000 + i);
                        if (t < 0)
                                return 1;
                        single += t;
                }
                grouped = grouped_us(bus, 32, 2000);
                printf("grouping: 32 single-element AddElements one after another %.2f ms, one AddElements of 32 "
                       "%.2f ms (x%.1f)\n",
                       single / 1e3, grouped / 1e3, single / grouped);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        (void) system(cmd);
        sd_bus_flush_close_unref(bus);
        return 0;
}
