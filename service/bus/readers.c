/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "bus/readers.h"
#include "common/errors.h"

typedef struct ReaderCount {
        uid_t uid;
        unsigned n;
} ReaderCount;

struct Readers {
        ReaderCount *users;
        size_t n_users;
        unsigned total;
};

static ReaderCount *reader_count(Readers *r, uid_t uid)
{
        for (size_t i = 0; i < r->n_users; i++)
                if (r->users[i].uid == uid)
                        return &r->users[i];
        return NULL;
}

int readers_enter(Context *c, sd_bus_message *m, uid_t *ret_uid, sd_bus_error *error)
{
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        ReaderCount *count;
        uid_t uid;
        int r;

        r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds);
        if (r >= 0)
                r = sd_bus_creds_get_euid(creds, &uid);
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "The caller's user could not be told: %m");
        if (!c->readers && !(c->readers = calloc(1, sizeof(Readers))))
                return -ENOMEM;
        count = reader_count(c->readers, uid);
        if (c->readers->total >= READERS_MAX || (uid != 0 && count && count->n >= READERS_PER_USER))
                return sd_bus_error_setf(error, NFTBUS_ERROR_BUSY,
                                         "%u listings of this user are under way already (%u in all at most): "
                                         "read what they wrote first",
                                         count ? count->n : 0, READERS_MAX);
        if (!count) {
                ReaderCount *users = reallocarray(c->readers->users, c->readers->n_users + 1, sizeof(ReaderCount));
                if (!users)
                        return -ENOMEM;
                c->readers->users = users;
                count = &users[c->readers->n_users++];
                *count = (ReaderCount){ uid, 0 };
        }
        count->n++;
        c->readers->total++;
        *ret_uid = uid;
        return 0;
}

void readers_leave(Context *c, uid_t uid)
{
        ReaderCount *count = uid == UID_INVALID || !c->readers ? NULL : reader_count(c->readers, uid);

        if (!count)
                return;
        c->readers->total--;
        if (--count->n == 0) /* the last of this user's: its entry goes */
                *count = c->readers->users[--c->readers->n_users];
}

void readers_done(Context *c)
{
        if (c->readers)
                free(c->readers->users);
        free(c->readers);
        c->readers = NULL;
}
