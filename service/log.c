/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-journal.h>

#include "log.h"

static int max_level = LOG_INFO;

void log_set_max_level(int level)
{
        max_level = level;
}

static bool under_journal(void)
{
        return getenv("JOURNAL_STREAM") != NULL;
}

int log_internal(int level, int error, const char *fmt, ...)
{
        int saved = error < 0 ? -error : error;
        va_list ap;

        if (level <= max_level) {
                errno = saved;
                va_start(ap, fmt);
                if (under_journal())
                        fprintf(stderr, "<%d>", level);
                else
                        fputs("nftbusd: ", stderr);
                vfprintf(stderr, fmt, ap);
                fputc('\n', stderr);
                va_end(ap);
        }
        return -saved;
}

void log_change(sd_bus_message *m, const char *action, const char *object, const char *outcome)
{
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        const char *sender = strempty(sd_bus_message_get_sender(m));
        uid_t uid = (uid_t) -1;

        if (sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds) >= 0)
                (void) sd_bus_creds_get_euid(creds, &uid);

        if (under_journal())
                (void) sd_journal_send("MESSAGE=%s %s by uid %d (%s): %s", action, object, (int) uid, sender, outcome,
                                       "PRIORITY=%d", LOG_NOTICE, "NFTBUS_ACTION=%s", action, "NFTBUS_OBJECT=%s",
                                       object, "NFTBUS_UID=%d", (int) uid, "NFTBUS_SENDER=%s", sender,
                                       "NFTBUS_OUTCOME=%s", outcome, NULL);
        else if (LOG_NOTICE <= max_level)
                fprintf(stderr, "nftbusd: %s %s by uid %d (%s): %s\n", action, object, (int) uid, sender, outcome);
}
