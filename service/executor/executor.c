/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executor/executor.h"
#include "log.h"
#include "common/util.h"

/* More crashes than this within the window and the next start waits a second. */
#define CRASH_BURST 5
#define CRASH_WINDOW_USEC (10 * 1000000ULL)
#define RESTART_DELAY_USEC (1000000ULL)

typedef struct Job {
        struct Job *next;
        ExecRequestHeader header;
        char *payload;
        exec_done_t done;
        exec_hold_t hold; /* a hold of the queue instead of a request */
        void *userdata;
        uint64_t ticket; /* its number in the order of queueing */
} Job;

struct Executor {
        sd_event *event;
        int program; /* nftbus-executor, opened at start (O_PATH): an upgrade does not change it under us */
        pid_t pid;
        int fd;
        sd_event_source *io_source;
        sd_event_source *child_source;
        sd_event_source *restart_source;

        Job *head, *tail; /* head is in flight while busy */
        bool busy;
        size_t written; /* of head's header + payload */

        ExecReplyHeader reply;
        size_t reply_read;
        char *body; /* output, NUL, error, NUL */
        size_t body_size, body_read;

        unsigned crashes;
        uint64_t crash_window_start;

        uint64_t queued;  /* the ticket of the last job queued */
        uint64_t started; /* of the last job started */
};

static Job *job_free(Job *j)
{
        if (j) {
                free(j->payload);
                free(j);
        }
        return NULL;
}

static int executor_spawn(Executor *x);
static void executor_start_next(Executor *x);

static void finish_head(Executor *x, int r, const ExecReply *reply)
{
        Job *j = x->head;

        x->head = j->next;
        if (!x->head)
                x->tail = NULL;
        x->busy = false;
        x->written = 0;
        x->reply_read = 0;
        x->body = NULL;
        x->body_size = x->body_read = 0;

        if (j->done)
                j->done(r, reply, j->userdata);
        job_free(j);
}

static void executor_disconnect(Executor *x)
{
        x->io_source = sd_event_source_disable_unref(x->io_source);
        x->fd = safe_close(x->fd);
        free(x->body);
        x->body = NULL;
        x->body_size = x->body_read = 0;
        x->reply_read = 0;
        x->written = 0;
}

static int update_events(Executor *x)
{
        uint32_t events = EPOLLIN;

        if (x->busy && x->written < sizeof(ExecRequestHeader) + x->head->header.size)
                events |= EPOLLOUT;
        return sd_event_source_set_io_events(x->io_source, events);
}

static int do_write(Executor *x)
{
        Job *j = x->head;
        size_t total = sizeof(j->header) + j->header.size;

        while (x->written < total) {
                struct iovec iov[2];
                int n = 0;
                ssize_t k;

                if (x->written < sizeof(j->header))
                        iov[n++] = (struct iovec){ (char *) &j->header + x->written, sizeof(j->header) - x->written };
                size_t off = x->written > sizeof(j->header) ? x->written - sizeof(j->header) : 0;
                if (off < j->header.size)
                        iov[n++] = (struct iovec){ j->payload + off, j->header.size - off };

                k = writev(x->fd, iov, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        return -errno;
                }
                x->written += (size_t) k;
        }
        return update_events(x);
}

/* Returns 1 when a whole reply has been handled, 0 when more is needed, negative errno on failure. */
static int do_read(Executor *x)
{
        for (;;) {
                ssize_t k;

                if (x->reply_read < sizeof(x->reply)) {
                        k = read(x->fd, (char *) &x->reply + x->reply_read, sizeof(x->reply) - x->reply_read);
                } else {
                        if (!x->body) {
                                if (x->reply.output_size >= EXEC_FRAME_MAX || x->reply.error_size >= EXEC_FRAME_MAX)
                                        return -EBADMSG;
                                x->body_size = x->reply.output_size + x->reply.error_size;
                                x->body = malloc(x->body_size + 2);
                                if (!x->body)
                                        return -ENOMEM;
                        }
                        if (x->body_read == x->body_size)
                                break;
                        k = read(x->fd, x->body + x->body_read, x->body_size - x->body_read);
                }
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                return 0;
                        return -errno;
                }
                if (k == 0)
                        return -EPIPE;
                if (x->reply_read < sizeof(x->reply))
                        x->reply_read += (size_t) k;
                else
                        x->body_read += (size_t) k;
        }

        if (!x->busy)
                return -EBADMSG; /* a reply nobody asked for */

        /* lay out "output\0error\0" in place */
        _cleanup_free_ char *body = TAKE_PTR(x->body);
        memmove(body + x->reply.output_size + 1, body + x->reply.output_size, x->reply.error_size);
        body[x->reply.output_size] = '\0';
        body[x->reply.output_size + 1 + x->reply.error_size] = '\0';

        ExecReply reply = {
                .nft_rc = x->reply.nft_rc,
                .output = body,
                .error = body + x->reply.output_size + 1,
        };
        finish_head(x, 0, &reply);
        return 1;
}

static int on_io(sd_event_source *s _unused_, int fd _unused_, uint32_t revents, void *userdata)
{
        Executor *x = userdata;
        int r = 0;

        if (revents & EPOLLIN) {
                r = do_read(x);
                if (r > 0) {
                        executor_start_next(x);
                        return 0;
                }
        }
        if (r >= 0 && (revents & EPOLLOUT) && x->busy)
                r = do_write(x);
        if (r >= 0 && (revents & (EPOLLHUP | EPOLLERR)) && !(revents & EPOLLIN))
                r = -EPIPE;

        if (r < 0) {
                /* the child stops making sense: make sure it is gone; on_child_exit() takes over */
                log_warning_errno(r, "Executor connection failed, killing executor %d: %m", (int) x->pid);
                executor_disconnect(x);
                if (x->pid > 0)
                        (void) kill(x->pid, SIGKILL);
        }
        return 0;
}

static void executor_start_next(Executor *x)
{
        int r;

        if (x->busy || !x->head)
                return;
        if (x->head->hold) {
                x->busy = true;
                x->started = x->head->ticket;
                x->head->hold(x->head->userdata);
                return;
        }
        if (x->fd < 0)
                return;
        x->busy = true;
        x->started = x->head->ticket;
        x->written = 0;
        r = do_write(x);
        if (r < 0) {
                log_warning_errno(r, "Writing to the executor failed, killing it: %m");
                executor_disconnect(x);
                if (x->pid > 0)
                        (void) kill(x->pid, SIGKILL);
        }
}

static int on_restart(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
        Executor *x = userdata;
        int r;

        x->restart_source = sd_event_source_unref(x->restart_source);
        r = executor_spawn(x);
        if (r < 0) {
                log_error_errno(r, "Failed to restart the executor: %m");
                while (x->head)
                        finish_head(x, r, NULL);
                return 0;
        }
        executor_start_next(x);
        return 0;
}

static int on_child_exit(sd_event_source *s _unused_, const siginfo_t *si, void *userdata)
{
        Executor *x = userdata;
        uint64_t now = 0;
        int r;

        if (si->si_code == CLD_EXITED)
                log_warning("Executor %d exited with status %d", (int) si->si_pid, si->si_status);
        else
                log_warning("Executor %d was killed by signal %s", (int) si->si_pid, strsignal(si->si_status));

        x->child_source = sd_event_source_unref(x->child_source);
        x->pid = 0;
        executor_disconnect(x);
        if (x->busy && !x->head->hold)
                finish_head(x, -EPIPE, NULL);

        (void) sd_event_now(x->event, CLOCK_MONOTONIC, &now);
        if (now - x->crash_window_start > CRASH_WINDOW_USEC) {
                x->crash_window_start = now;
                x->crashes = 0;
        }
        x->crashes++;

        r = sd_event_add_time_relative(x->event, &x->restart_source, CLOCK_MONOTONIC,
                                       x->crashes > CRASH_BURST ? RESTART_DELAY_USEC : 0, 0, on_restart, x);
        if (r < 0)
                log_error_errno(r, "Failed to schedule the executor's restart: %m");
        return 0;
}

static int executor_spawn(Executor *x)
{
        _cleanup_close_ int ours = -EBADF, theirs = -EBADF;
        int pair[2], r;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
                return -errno;
        ours = pair[0];
        theirs = pair[1];

        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                /* only async-signal-safe calls between fork and exec */
                sigset_t none;
                sigemptyset(&none);
                (void) sigprocmask(SIG_SETMASK, &none, NULL);
                if (theirs == 3) {
                        if (fcntl(3, F_SETFD, 0) < 0)
                                _exit(127);
                } else if (dup2(theirs, 3) < 0)
                        _exit(127);
                (void) execveat(x->program, "",
                                (char *const[]){ (char *) "nftbus-executor", (char *) "--executor", NULL }, environ,
                                AT_EMPTY_PATH);
                _exit(127);
        }

        x->pid = pid;
        r = sd_event_add_child(x->event, &x->child_source, pid, WEXITED, on_child_exit, x);
        if (r < 0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                x->pid = 0;
                return r;
        }

        if (fcntl(ours, F_SETFL, O_NONBLOCK) < 0)
                return -errno;
        r = sd_event_add_io(x->event, &x->io_source, ours, EPOLLIN, on_io, x);
        if (r < 0)
                return r;
        x->fd = TAKE_FD(ours);
        log_debug("Started executor %d", (int) pid);
        return 0;
}

/* nftbus-executor lives beside nftbusd: in the build tree, and in libexecdir once installed. Only the
 * executor links libnftables (and libnftnl, libgmp, libxtables), which nftbusd does not map at all. */
static int open_program(void)
{
        char self[PATH_MAX], *slash;
        _cleanup_free_ char *path = NULL;
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        int fd;

        if (n < 0)
                return -errno;
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (!slash)
                return -ENOENT;
        *slash = '\0';
        if (asprintf(&path, "%s/nftbus-executor", self) < 0)
                return -ENOMEM;
        fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to find the executor %s: %m", path);
        return fd;
}

int executor_new(sd_event *event, Executor **ret)
{
        Executor *x = calloc(1, sizeof(Executor));
        int r;

        if (!x)
                return -ENOMEM;
        x->event = sd_event_ref(event);
        x->fd = -EBADF;
        x->program = -EBADF;
        x->program = open_program();
        if (x->program < 0) {
                r = x->program;
                executor_free(x);
                return r;
        }
        r = executor_spawn(x);
        if (r < 0) {
                executor_free(x);
                return r;
        }
        *ret = x;
        return 0;
}

Executor *executor_free(Executor *x)
{
        if (!x)
                return NULL;

        executor_disconnect(x);
        if (x->pid > 0) {
                x->child_source = sd_event_source_disable_unref(x->child_source);
                /* the kernel's transactions are atomic: stopping mid-call commits nothing half-way */
                (void) kill(x->pid, SIGTERM);
                (void) waitpid(x->pid, NULL, 0);
        }
        x->restart_source = sd_event_source_disable_unref(x->restart_source);
        x->program = safe_close(x->program);
        while (x->head) {
                x->busy = true;
                finish_head(x, -ECANCELED, NULL);
        }
        sd_event_unref(x->event);
        free(x);
        return NULL;
}

/* Puts j at the end of the queue, and starts it if nothing runs. */
static void enqueue(Executor *x, Job *j)
{
        j->ticket = ++x->queued;
        if (x->tail)
                x->tail->next = j;
        else
                x->head = j;
        x->tail = j;
        executor_start_next(x);
}

int executor_submit(Executor *x, uint32_t flags, char *payload, size_t size, exec_done_t done, void *userdata)
{
        Job *j = calloc(1, sizeof(Job));

        if (!j) {
                free(payload);
                return -ENOMEM;
        }
        j->header = (ExecRequestHeader){ .flags = flags, .size = size };
        j->payload = payload;
        j->done = done;
        j->userdata = userdata;
        enqueue(x, j);
        return 0;
}

uint64_t executor_last_queued(const Executor *x)
{
        return x->queued;
}

bool executor_started(const Executor *x, uint64_t ticket)
{
        return ticket <= x->started;
}

int executor_hold(Executor *x, exec_hold_t start, void *userdata)
{
        Job *j = calloc(1, sizeof(Job));

        if (!j)
                return -ENOMEM;
        j->hold = start;
        j->userdata = userdata;
        enqueue(x, j);
        return 0;
}

void executor_release(Executor *x)
{
        if (!x->busy || !x->head || !x->head->hold)
                return;
        finish_head(x, 0, NULL);
        executor_start_next(x);
}

pid_t executor_pid(const Executor *x)
{
        return x->pid;
}
