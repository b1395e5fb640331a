/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>

#include "log.h"
#include "common/util.h"
#include "executor/worker.h"

typedef struct Work {
        struct Work *next; /* waiting for a descriptor thread */
        sd_event *event;
        bool descriptor;
        int event_fd;
        sd_event_source *source;
        pthread_t thread;
        work_run_t run;
        work_done_t done;
        void *userdata;
} Work;

static void *thread_main(void *p)
{
        Work *w = p;
        uint64_t one = 1;

        w->run(w->userdata);
        while (write(w->event_fd, &one, sizeof(one)) < 0 && errno == EINTR)
                ;
        return NULL;
}

/* The descriptor work running and waiting. nftbusd has one event loop, which alone touches these. */
static unsigned descriptor_running;
static Work *descriptor_waiting, **descriptor_waiting_tail = &descriptor_waiting;

static int launch(Work *w);

static void start_waiting(void)
{
        while (descriptor_waiting && descriptor_running < WORK_DESCRIPTOR_MAX) {
                Work *w = descriptor_waiting;
                descriptor_waiting = w->next;
                if (!descriptor_waiting)
                        descriptor_waiting_tail = &descriptor_waiting;
                descriptor_running++;
                if (launch(w) < 0) {
                        /* no thread to be had (the system is out of them): the work runs here rather than
                         * never, as a call must be answered */
                        descriptor_running--;
                        log_warning("Failed to start a thread for descriptor work, running it on the event loop");
                        w->run(w->userdata);
                        w->done(w->userdata);
                        free(w);
                }
        }
}

static int on_finished(sd_event_source *s, int fd _unused_, uint32_t revents _unused_, void *userdata)
{
        Work *w = userdata;
        bool descriptor = w->descriptor;

        (void) pthread_join(w->thread, NULL);
        sd_event_source_unref(s);
        safe_close(w->event_fd);
        w->done(w->userdata);
        free(w);
        if (descriptor) {
                descriptor_running--;
                start_waiting();
        }
        return 0;
}

int work_start_descriptor(sd_event *event, work_run_t run, work_done_t done, void *userdata)
{
        Work *w = calloc(1, sizeof(Work));

        if (!w)
                return -ENOMEM;
        *w = (Work){ .event = event, .descriptor = true, .run = run, .done = done, .userdata = userdata };
        if (descriptor_running < WORK_DESCRIPTOR_MAX) {
                int r = launch(w);
                if (r < 0) {
                        free(w);
                        return r;
                }
                descriptor_running++;
                return 0;
        }
        *descriptor_waiting_tail = w;
        descriptor_waiting_tail = &w->next;
        start_waiting();
        return 0;
}

int work_start(sd_event *event, work_run_t run, work_done_t done, void *userdata)
{
        Work *w = calloc(1, sizeof(Work));
        int r;

        if (!w)
                return -ENOMEM;
        *w = (Work){ .event = event, .run = run, .done = done, .userdata = userdata };
        r = launch(w);
        if (r < 0)
                free(w);
        return r;
}

static int launch(Work *w)
{
        sd_event *event = w->event;
        int r;

        w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (w->event_fd < 0)
                return -errno;
        r = sd_event_add_io(event, &w->source, w->event_fd, EPOLLIN, on_finished, w);
        if (r < 0)
                goto fail;
        r = -pthread_create(&w->thread, NULL, thread_main, w);
        if (r < 0) {
                w->source = sd_event_source_unref(w->source);
                goto fail;
        }
        return 0;
fail:
        w->event_fd = safe_close(w->event_fd);
        return r;
}
