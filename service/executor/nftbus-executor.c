/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbus-executor: libnftables in a process of its own (executor-child.c says why), started by nftbusd
 * with its socket as fd 3 (executor.c). Not for people to run. */

#include <stdio.h>
#include <stdlib.h>

#include "executor/frame.h"
#include "common/util.h"

int main(int argc, char *argv[])
{
        if (argc != 2 || !streq(argv[1], "--executor")) {
                fprintf(stderr, "nftbus-executor runs libnftables for nftbusd, which starts it\n");
                return EXIT_FAILURE;
        }
        return executor_child_main(3);
}
