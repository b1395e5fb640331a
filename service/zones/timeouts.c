/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>

#include "common/util.h"
#include "log.h"
#include "zones/timeouts.h"

struct ZoneTimeout {
        struct ZoneTimeout *next;
        Context *context;
        sd_event_source *source;
        ZoneListKind kind;
        char *zone, *value;
        char *args[ZONE_TIMEOUT_ARGS + 1];
        zone_timeout_fire_t fire;
};

static struct ZoneTimeout *timeout_free(struct ZoneTimeout *t)
{
        if (!t)
                return NULL;
        sd_event_source_disable_unref(t->source);
        FREE_MANY(t->zone, t->value);
        for (size_t i = 0; i < ZONE_TIMEOUT_ARGS; i++)
                free(t->args[i]);
        free(t);
        return NULL;
}

/* Takes the timer of value out of the list, and returns it (NULL: none). */
static struct ZoneTimeout *timeout_take(Context *c, ZoneListKind k, const char *zone, const char *value)
{
        for (struct ZoneTimeout **p = &c->zone_timeouts; *p; p = &(*p)->next)
                if ((*p)->kind == k && streq((*p)->zone, zone) && streq((*p)->value, value)) {
                        struct ZoneTimeout *t = *p;
                        *p = t->next;
                        t->next = NULL;
                        return t;
                }
        return NULL;
}

static int on_timeout(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
        struct ZoneTimeout *t = userdata;
        Context *c = t->context;

        t = timeout_take(c, t->kind, t->zone, t->value);
        if (t) {
                log_info("The %s %s of zone %s is taken back: its timeout is over",
                         t->kind == ZONE_TIMEOUT_MASQUERADE ? "setting" : zone_list_types[t->kind].file_key, t->value,
                         t->zone);
                t->fire(c, t->kind, t->zone, t->value, t->args);
        }
        timeout_free(t);
        return 0;
}

int zone_timeout_add(Context *c, ZoneListKind k, const char *zone, const char *value, const char *const *args,
                     uint32_t seconds, zone_timeout_fire_t fire)
{
        struct ZoneTimeout *t = calloc(1, sizeof(struct ZoneTimeout));
        int r;

        if (!t || !(t->zone = strdup(zone)) || !(t->value = strdup(value))) {
                timeout_free(t);
                return -ENOMEM;
        }
        for (size_t i = 0; args && i < ZONE_TIMEOUT_ARGS && args[i]; i++)
                if (!(t->args[i] = strdup(args[i]))) {
                        timeout_free(t);
                        return -ENOMEM;
                }
        t->context = c;
        t->kind = k;
        t->fire = fire;
        r = sd_event_add_time_relative(c->event, &t->source, CLOCK_MONOTONIC, (uint64_t) seconds * 1000000ULL, 0,
                                       on_timeout, t);
        if (r < 0) {
                timeout_free(t);
                return r;
        }
        zone_timeout_cancel(c, k, zone, value);
        t->next = c->zone_timeouts;
        c->zone_timeouts = t;
        return 0;
}

void zone_timeout_cancel(Context *c, ZoneListKind k, const char *zone, const char *value)
{
        timeout_free(timeout_take(c, k, zone, value));
}

void zone_timeouts_free(Context *c)
{
        while (c->zone_timeouts) {
                struct ZoneTimeout *t = c->zone_timeouts;
                c->zone_timeouts = t->next;
                timeout_free(t);
        }
}
