/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Messages for the unit tests of bus-level code: made on a started connection (to a socket nobody reads),
 * then sealed and rewound, as the bus would deliver them to a handler. */

#include <stdbool.h>
#include <sys/socket.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "tap.h"

static sd_bus *test_bus;
static int test_bus_peer = -1;

static inline int test_bus_setup(void **state)
{
        int fds[2];

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
                return -1;
        test_bus_peer = fds[1];
        return sd_bus_new(&test_bus) < 0 || sd_bus_set_fd(test_bus, fds[0], fds[0]) < 0 || sd_bus_start(test_bus) < 0
                       ? -1
                       : 0;
}

static inline int test_bus_teardown(void **state)
{
        test_bus = sd_bus_close_unref(test_bus);
        if (test_bus_peer >= 0)
                close(test_bus_peer);
        test_bus_peer = -1;
        return 0;
}

/* A method call, to fill before test_message_seal(). */
static inline sd_bus_message *test_message_new(void)
{
        sd_bus_message *m = NULL;

        assert_true(sd_bus_message_new_method_call(test_bus, &m, "org.nftbus.Firewall1", "/", "x.y", "Z") >= 0);
        return m;
}

/* m sealed and rewound for reading, as a handler gets it. */
static inline void test_message_seal(sd_bus_message *m)
{
        assert_true(sd_bus_message_seal(m, 1, 0) >= 0);
        assert_true(sd_bus_message_rewind(m, true) >= 0);
}
