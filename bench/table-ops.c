/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Median latency of one AddTable + Delete pair, three ways, side by side in one run: over a persistent
 * sd-bus connection, as nftbusctl processes, and as nft processes. Run it through bench/table-ops,
 * inside the sandbox's namespaces. Prints one line per way and the ratios. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "bench.h"

static int pair_sdbus(sd_bus *bus, const char *name)
{
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *path;
        char *p;
        int r;

        r = sd_bus_call_method(bus, "org.nftbus.Firewall1", "/org/nftbus/Firewall1", "org.nftbus.Firewall1.Manager",
                               "AddTable", &error, &reply, "ssa{sv}", "inet", name, 0);
        if (r < 0 || sd_bus_message_read(reply, "o", &path) < 0) {
                fprintf(stderr, "AddTable: %s\n", error.message);
                return -1;
        }
        p = strdup(path);
        sd_bus_message_unref(reply);
        r = sd_bus_call_method(bus, "org.nftbus.Firewall1", p, "org.nftbus.Firewall1.Table", "Delete", &error, NULL,
                               NULL);
        free(p);
        if (r < 0)
                fprintf(stderr, "Delete: %s\n", error.message);
        sd_bus_error_free(&error);
        return r < 0 ? -1 : 0;
}

static int pair_exec(const char *tool, const char *name)
{
        if (strcmp(tool, "nft") == 0) {
                char *add[] = { "nft", "add", "table", "inet", (char *) name, NULL };
                char *del[] = { "nft", "delete", "table", "inet", (char *) name, NULL };
                return run_program(add, 0) < 0 || run_program(del, 0) < 0 ? -1 : 0;
        }
        char *add[] = { "nftbusctl", "add-table", "inet", (char *) name, NULL };
        char *del[] = { "nftbusctl", "delete-table", "inet", (char *) name, NULL };
        return run_program(add, 0) < 0 || run_program(del, 0) < 0 ? -1 : 0;
}

int main(int argc, char *argv[])
{
        int n = argc > 1 ? atoi(argv[1]) : 1000;
        const char *ways[] = { "sd-bus persistent", "nftbusctl processes", "nft processes" };
        double median[3], p90[3];
        double *t = calloc(n, sizeof(double));
        sd_bus *bus = NULL;

        if (sd_bus_open_system(&bus) < 0)
                return 1;

        for (int w = 0; w < 3; w++) {
                /* warm up, then measure */
                for (int i = -n / 10; i < n; i++) {
                        char name[32];
                        double start;
                        int r;

                        snprintf(name, sizeof(name), "bench%d", i < 0 ? -i : i);
                        start = now_us();
                        r = w == 0 ? pair_sdbus(bus, name) : pair_exec(w == 1 ? "nftbusctl" : "nft", name);
                        if (r < 0)
                                return 1;
                        if (i >= 0)
                                t[i] = now_us() - start;
                }
                median[w] = percentile(t, n, 0.5);
                p90[w] = percentile(t, n, 0.9);
                printf("%-20s median %8.1f us   p90 %8.1f us   (%d AddTable+Delete pairs)\n", ways[w], median[w],
                       p90[w], n);
        }
        printf("ratio sd-bus persistent / nft processes:   %.2f\n", median[0] / median[2]);
        printf("ratio nftbusctl processes / nft processes: %.2f\n", median[1] / median[2]);
        sd_bus_flush_close_unref(bus);
        free(t);
        return 0;
}
