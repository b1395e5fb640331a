/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Long output through a pager when it goes to a terminal, as systemd's tools do: $NFTBUS_PAGER, else
 * $PAGER, else less (LESS=FRSXMK: it quits when the output fits the screen and keeps colours), else more;
 * --no-pager, or "" or "cat" as the pager, turn it off. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "pager.h"

static pid_t pager_pid;
static int saved_stdout = -1;

void pager_open(void)
{
        const char *pager = getenv("NFTBUS_PAGER");
        int fds[2];

        if (pager_pid > 0 || !isatty(STDOUT_FILENO))
                return;
        if (!pager)
                pager = getenv("PAGER");
        if (pager && (!*pager || streq(pager, "cat")))
                return;
        fflush(stdout);
        if (pipe2(fds, O_CLOEXEC) < 0)
                return;
        pager_pid = fork();
        if (pager_pid < 0) {
                pager_pid = 0;
                close(fds[0]);
                close(fds[1]);
                return;
        }
        if (pager_pid == 0) {
                if (dup2(fds[0], STDIN_FILENO) < 0)
                        _exit(EXIT_FAILURE);
                setenv("LESS", "FRSXMK", 0);
                if (pager)
                        execl("/bin/sh", "sh", "-c", pager, (char *) NULL);
                execlp("less", "less", (char *) NULL);
                execlp("more", "more", (char *) NULL);
                /* no pager at all: the output as it is */
                char buf[4096];
                ssize_t k;
                while ((k = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
                        if (write(STDOUT_FILENO, buf, (size_t) k) != k)
                                break;
                _exit(EXIT_SUCCESS);
        }
        saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (saved_stdout < 0 || dup2(fds[1], STDOUT_FILENO) < 0) {
                /* the output stays where it was; the pager gets nothing and ends */
                close(fds[0]);
                close(fds[1]);
                return;
        }
        close(fds[0]);
        close(fds[1]);
        /* the pager quitting early must not kill us with SIGPIPE (write errors are reported instead) */
        signal(SIGPIPE, SIG_IGN);
}

void pager_close(void)
{
        if (pager_pid <= 0)
                return;
        fflush(stdout);
        if (saved_stdout >= 0) {
                (void) dup2(saved_stdout, STDOUT_FILENO); /* the pager sees the end of its input */
                close(saved_stdout);
                saved_stdout = -1;
        }
        while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
                ;
        pager_pid = 0;
}
