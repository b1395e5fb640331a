/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* firewalld's D-Bus API from one connection, as NetworkManager and Cockpit call it: the median time of
 * getDefaultZone (the daemon idle), of a runtime addService (with its removeService and a read that waits
 * until the daemon is done with both: halved) and of changeZoneOfInterface (to work and back to home, and the
 * read: halved), in microseconds, on one line. Whoever owns
 * org.fedoraproject.FirewallD1 answers: bench/firewalld-api runs it against firewalld and against nftbusd.
 * With "own", the same three through nftbus's own API (a DefaultZone read, Zone.AddService and RemoveService,
 * Zone.ChangeInterface there and back): what firewalld's front door costs over nftbus's own.
 *
 *   fwdcalls ROUNDS [own] */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "bench.h"

#define FWD "org.fedoraproject.FirewallD1"
#define FWD_PATH "/org/fedoraproject/FirewallD1"
#define ZONE_IFACE BUS ".Zone"
#define ZONES_PATH "/org/nftbus/Firewall1/zone/"

/* a call to firewalld's API, its reply dropped: call(bus, interface, method, types, ...) */
#define call(bus, interface, method, ...) bench_call_to((bus), FWD, FWD_PATH, (interface), (method), NULL, __VA_ARGS__)
/* a call of nftbus's own to a zone's object, runtime (no options) */
#define zone_call(bus, zone, method, value)                                                                           \
        bench_call((bus), ZONES_PATH zone, ZONE_IFACE, (method), NULL, "sa{sv}", (value), 0)

/* the three calls of a round, by firewalld's API or nftbus's own */
static int read_one(sd_bus *bus, bool own)
{
        return own ? bench_call(bus, "/org/nftbus/Firewall1", "org.freedesktop.DBus.Properties", "Get", NULL, "ss",
                                BUS ".Manager", "DefaultZone")
                   : call(bus, FWD, "getDefaultZone", NULL);
}

static int service_pair(sd_bus *bus, bool own)
{
        if (own)
                return zone_call(bus, "public", "AddService", "http") < 0 ||
                                       zone_call(bus, "public", "RemoveService", "http") < 0
                               ? -1
                               : 0;
        return call(bus, FWD ".zone", "addService", "ssi", "public", "http", 0) < 0 ||
                               call(bus, FWD ".zone", "removeService", "ss", "public", "http") < 0
                       ? -1
                       : 0;
}

static int interface_pair(sd_bus *bus, bool own)
{
        if (own)
                return zone_call(bus, "work", "ChangeInterface", "eth-bench") < 0 ||
                                       zone_call(bus, "home", "ChangeInterface", "eth-bench") < 0
                               ? -1
                               : 0;
        return call(bus, FWD ".zone", "changeZoneOfInterface", "ss", "work", "eth-bench") < 0 ||
                               call(bus, FWD ".zone", "changeZoneOfInterface", "ss", "home", "eth-bench") < 0
                       ? -1
                       : 0;
}

int main(int argc, char *argv[])
{
        int rounds = argc > 1 ? atoi(argv[1]) : 100;
        bool own = argc > 2 && strcmp(argv[2], "own") == 0;
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
                if (read_one(bus, own) < 0)
                        return 1;
                read[i] = now_us() - t0;
        }
        for (int i = 0; i < rounds; i++) {
                double t1 = now_us();
                if (service_pair(bus, own) < 0 || read_one(bus, own) < 0)
                        return 1;
                double t2 = now_us();
                if (interface_pair(bus, own) < 0 || read_one(bus, own) < 0)
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
