/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>

#include "log.h"
#include "util.h"
#include "worker.h"

typedef struct Work {
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

static int on_finished(sd_event_source *s, int fd _unused_, uint32_t revents _unused_, void *userdata)
{
        Work *w = userdata;

        (void) pthread_join(w->thread, NULL);
        sd_event_source_unref(s);
        safe_close(w->event_fd);
        w->done(w->userdata);
        free(w);
        return 0;
}

int work_start(sd_event *event, work_run_t run, work_done_t done, void *userdata)
{
        Work *w = calloc(1, sizeof(Work));
        int r;

        if (!w)
                return -ENOMEM;
        *w = (Work){ .run = run, .done = done, .userdata = userdata };
        w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (w->event_fd < 0) {
                r = -errno;
                free(w);
                return r;
        }
        r = sd_event_add_io(event, &w->source, w->event_fd, EPOLLIN, on_finished, w);
        if (r < 0)
                goto fail;
        r = -pthread_create(&w->thread, NULL, thread_main, w);
        if (r < 0) {
                sd_event_source_unref(w->source);
                goto fail;
        }
        return 0;
fail:
        safe_close(w->event_fd);
        free(w);
        return r;
}
