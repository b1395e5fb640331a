/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Rules at scale, side by side in one run: N rules added one call each over a persistent sd-bus
 * connection, as N nft processes, and as one nft -f of all of them; then ListRules of the N-rule chain
 * against nft -j list chain. Run it through bench/rules, inside the sandbox's namespaces. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "bench.h"

#define TABLE "/org/nftbus/Firewall1/table/inet/bench"
#define CHAIN TABLE "/chain/c"

static void rule_text(int i, char *buf, size_t size)
{
        snprintf(buf, size, "ip saddr 10.%d.%d.%d tcp dport 22 counter accept", (i >> 16) & 255, (i >> 8) & 255,
                 i & 255);
}

static int flush(sd_bus *bus)
{
        return bench_call(bus, CHAIN, "org.nftbus.Firewall1.Chain", "Flush", NULL, NULL);
}

int main(int argc, char *argv[])
{
        int n = argc > 1 ? atoi(argv[1]) : 10000, listings = 5;
        double *t = calloc(n, sizeof(double)), bus_add, nft_add, file_add, bus_list, nft_list, start;
        char rule[128], path[] = "/tmp/nftbus-bench-rules-XXXXXX";
        sd_bus *bus = NULL;
        FILE *f;
        int fd;

        if (!t || sd_bus_open_system(&bus) < 0)
                return 1;
        if (bench_call(bus, "/org/nftbus/Firewall1", "org.nftbus.Firewall1.Manager", "AddTable", NULL, "ssa{sv}",
                       "inet", "bench", 0) < 0 ||
            bench_call(bus, TABLE, "org.nftbus.Firewall1.Table", "AddChain", NULL, "sa{sv}", "c", 0) < 0)
                return 1;

        /* 1. one AddRule call per rule, persistent connection */
        for (int i = 0; i < n; i++) {
                rule_text(i, rule, sizeof(rule));
                start = now_us();
                if (bench_call(bus, CHAIN, "org.nftbus.Firewall1.Chain", "AddRule", NULL, "sa{sv}", rule, 0) < 0)
                        return 1;
                t[i] = now_us() - start;
        }
        bus_add = percentile(t, n, 0.5);
        printf("AddRule, persistent sd-bus:  median %8.1f us per rule, p90 %8.1f us (%d rules)\n", bus_add,
               percentile(t, n, 0.9), n);

        /* 4. listing the full chain, both ways (before it is flushed) */
        for (int i = 0; i < listings; i++) {
                start = now_us();
                if (bench_call(bus, CHAIN, "org.nftbus.Firewall1.Chain", "ListRules", NULL, NULL) < 0)
                        return 1;
                t[i] = now_us() - start;
        }
        bus_list = percentile(t, listings, 0.5);
        for (int i = 0; i < listings; i++) {
                char *list[] = { "nft", "-j", "list", "chain", "inet", "bench", "c", NULL };
                start = now_us();
                if (run_program(list, 1) < 0)
                        return 1;
                t[i] = now_us() - start;
        }
        nft_list = percentile(t, listings, 0.5);
        printf("ListRules of %d rules:       median %8.1f ms\n", n, bus_list / 1000);
        printf("nft -j list chain:           median %8.1f ms\n", nft_list / 1000);

        /* 2. one nft process per rule */
        if (flush(bus) < 0)
                return 1;
        for (int i = 0; i < n; i++) {
                char *add[16] = { "nft", "add", "rule", "inet", "bench", "c" };
                char *words = NULL, *save = NULL;
                int k = 6;

                rule_text(i, rule, sizeof(rule));
                words = strdup(rule);
                for (char *w = strtok_r(words, " ", &save); w && k < 15; w = strtok_r(NULL, " ", &save))
                        add[k++] = w;
                add[k] = NULL;
                start = now_us();
                if (run_program(add, 0) < 0)
                        return 1;
                t[i] = now_us() - start;
                free(words);
        }
        nft_add = percentile(t, n, 0.5);
        printf("nft add rule processes:      median %8.1f us per rule, p90 %8.1f us\n", nft_add,
               percentile(t, n, 0.9));

        /* 3. one nft -f of all the rules */
        if (flush(bus) < 0)
                return 1;
        fd = mkstemp(path);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f)
                return 1;
        for (int i = 0; i < n; i++) {
                rule_text(i, rule, sizeof(rule));
                fprintf(f, "add rule inet bench c %s\n", rule);
        }
        fclose(f);
        {
                char *load[] = { "nft", "-f", path, NULL };
                start = now_us();
                if (run_program(load, 0) < 0)
                        return 1;
                file_add = (now_us() - start) / n;
        }
        unlink(path);
        printf("nft -f of all %d rules:   %8.1f us per rule\n", n, file_add);

        printf("ratio AddRule (persistent) / nft add rule process: %.2f\n", bus_add / nft_add);
        printf("ratio AddRule (persistent) / nft -f, per rule:      %.2f\n", bus_add / file_add);
        printf("ratio ListRules / nft -j list chain:                %.2f\n", bus_list / nft_list);

        bench_call(bus, TABLE, "org.nftbus.Firewall1.Table", "Delete", NULL, NULL);
        sd_bus_flush_close_unref(bus);
        free(t);
        return 0;
}
