/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's D-Bus API from one connection, as NetworkManager and Cockpit call it: the median time of
 * getDefaultZone (the daemon idle), of a runtime addService (with its removeService and a read that waits
 * until the daemon is done with both: halved) and of changeZoneOfInterface (to work and back to home, and the
 * read: halved), in microseconds, on one line. Whoever owns
 * org.fedoraproject.FirewallD1 answers: bench/firewalld-api runs it against firewalld and against nftbusd.
 *
 *   fwdcalls ROUNDS */

#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-bus.h>

#include "bench.h"

#define FWD "org.fedoraproject.FirewallD1"
#define FWD_PATH "/org/fedoraproject/FirewallD1"

/* a call to firewalld's API, its reply dropped: call(bus, interface, method, types, ...) */
#define call(bus, interface, method, ...) bench_call_to((bus), FWD, FWD_PATH, (interface), (method), NULL, __VA_ARGS__)

int main(int argc, char *argv[])
{
        int rounds = argc > 1 ? atoi(argv[1]) : 100;
        double *read = calloc(rounds, sizeof(double)), *change = calloc(rounds, sizeof(double)),
               *zone = calloc(rounds, sizeof(double));
        sd_bus *bus = NULL;

        if (rounds < 1 || !read || !change || !zone || sd_bus_open_system(&bus) < 0)
                return 1;
        /* the interface NetworkManager moves, in a zone first */
        if (call(bus, FWD ".zone", "addInterface", "ss", "home", "eth-bench") < 0)
                return 1;
        /* the reads back to back, the daemon idle; then the changes, each pair followed by a read that waits
         * for what the daemon still does after its replies (signals, its state file): the pair's whole cost */
        for (int i = 0; i < rounds; i++) {
                double t0 = now_us();
                if (call(bus, FWD, "getDefaultZone", NULL) < 0)
                        return 1;
                read[i] = now_us() - t0;
        }
        for (int i = 0; i < rounds; i++) {
                double t1 = now_us();
                if (call(bus, FWD ".zone", "addService", "ssi", "public", "http", 0) < 0 ||
                    call(bus, FWD ".zone", "removeService", "ss", "public", "http") < 0 ||
                    call(bus, FWD, "getDefaultZone", NULL) < 0)
                        return 1;
                double t2 = now_us();
                if (call(bus, FWD ".zone", "changeZoneOfInterface", "ss", "work", "eth-bench") < 0 ||
                    call(bus, FWD ".zone", "changeZoneOfInterface", "ss", "home", "eth-bench") < 0 ||
                    call(bus, FWD, "getDefaultZone", NULL) < 0)
                        return 1;
                double t3 = now_us();
                change[i] = (t2 - t1) / 2;
                zone[i] = (t3 - t2) / 2;
        }
        printf("%.0f %.0f %.0f\n", percentile(read, rounds, 0.5), percentile(change, rounds, 0.5),
               percentile(zone, rounds, 0.5));
        (void) call(bus, FWD ".zone", "removeInterface", "ss", "", "eth-bench");
        sd_bus_unref(bus);
        free(read);
        free(change);
        free(zone);
        return 0;
}
