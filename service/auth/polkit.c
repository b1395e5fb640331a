/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "auth/actions.h"
#include "common/errors.h"
#include "log.h"
#include "auth/polkit.h"
#include "common/util.h"

#define POLKIT_CHECK_ALLOW_USER_INTERACTION 1U

/* dbus-daemon lets a connection wait for at most 128 replies (max_replies_per_connection); past that its
 * calls fail at once. nftbusd asks polkit over its one connection, so a flood of callers that polkit will
 * refuse could make the checks of authorised callers fail. Hence: at most POLKIT_IN_FLIGHT_MAX checks are
 * sent at a time, the others wait in nftbusd; the next one sent is the oldest of the user with the fewest
 * checks in flight, so one user's flood delays others by little; and one user may have at most
 * POLKIT_PER_USER_MAX checks waiting or in flight, beyond which the call is Busy. */
#define POLKIT_IN_FLIGHT_MAX 32
#define POLKIT_PER_USER_MAX 128

typedef struct PolkitQuery {
        struct PolkitQuery *next;
        Polkit *registry;
        sd_bus_message *request; /* the method call being authorised */
        const char *action;      /* static, from actions.c */
        char **details;          /* the question's details, which the handler must ask again when it runs again */
        uid_t uid;               /* the caller's */
        sd_bus_message *check;   /* the CheckAuthorization call, until it is sent */
        uint64_t timeout_usec;
        sd_bus_slot *slot;     /* the CheckAuthorization call while it is pending */
        sd_bus_message *reply; /* polkit's answer once it came */
        void *kept;            /* polkit_keep()'s, for the handler's run again */
        void (*free_kept)(void *data);
} PolkitQuery;

/* How many checks of one user wait or are in flight. */
typedef struct UserQueries {
        uid_t uid;
        unsigned queued, in_flight;
} UserQueries;

/* The effective uid behind each recent sender. Asking the bus costs a synchronous round trip per call;
 * a unique name is never reused while the bus runs, and a connection's credentials never change. */
#define SENDER_CACHE_SIZE 32

typedef struct SenderUid {
        char *name;
        uid_t uid;
} SenderUid;

struct Polkit {
        PolkitQuery *queries; /* in arrival order */
        SenderUid senders[SENDER_CACHE_SIZE];
        unsigned next_sender; /* the slot to reuse next, round robin */
        unsigned in_flight;
        UserQueries *users;
        size_t n_users;
};

static UserQueries *user_queries(Polkit *p, uid_t uid, bool create)
{
        UserQueries *u;

        for (size_t i = 0; i < p->n_users; i++)
                if (p->users[i].uid == uid)
                        return &p->users[i];
        if (!create)
                return NULL;
        u = reallocarray(p->users, p->n_users + 1, sizeof(UserQueries));
        if (!u)
                return NULL;
        p->users = u;
        p->users[p->n_users] = (UserQueries){ .uid = uid };
        return &p->users[p->n_users++];
}

/* Forgets the users with nothing queued, so that the table holds only those with checks under way. */
static void user_queries_put(Polkit *p, UserQueries *u)
{
        if (u->queued > 0)
                return;
        *u = p->users[--p->n_users];
}

static PolkitQuery *query_free(PolkitQuery *q)
{
        if (!q)
                return NULL;
        if (q->registry) {
                Polkit *p = q->registry;
                UserQueries *u = user_queries(p, q->uid, false);
                for (PolkitQuery **i = &p->queries; *i; i = &(*i)->next)
                        if (*i == q) {
                                *i = q->next;
                                break;
                        }
                if (q->slot)
                        p->in_flight--;
                if (u) {
                        u->queued--;
                        if (q->slot)
                                u->in_flight--;
                        user_queries_put(p, u);
                }
        }
        sd_bus_message_unref(q->check);
        sd_bus_slot_unref(q->slot);
        sd_bus_message_unref(q->request);
        sd_bus_message_unref(q->reply);
        if (q->kept && q->free_kept)
                q->free_kept(q->kept);
        strv_free(q->details);
        free(q);
        return NULL;
}

Polkit *polkit_new(void)
{
        return calloc(1, sizeof(Polkit));
}

Polkit *polkit_free(Polkit *p)
{
        if (!p)
                return NULL;
        while (p->queries)
                query_free(p->queries);
        for (size_t i = 0; i < SENDER_CACHE_SIZE; i++)
                free(p->senders[i].name);
        free(p->users);
        free(p);
        return NULL;
}

const char *polkit_action_of(sd_bus_message *m)
{
        return action_for_method(sd_bus_message_get_interface(m), sd_bus_message_get_member(m));
}

static void send_waiting(Polkit *p);
static void queries_of_free(Polkit *p, sd_bus_message *m);

static int on_polkit_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error _unused_)
{
        PolkitQuery *q = userdata;
        Polkit *p = q->registry;
        UserQueries *u = user_queries(p, q->uid, false);
        int r;

        q->slot = sd_bus_slot_unref(q->slot);
        q->reply = sd_bus_message_ref(reply);
        p->in_flight--;
        if (u)
                u->in_flight--;
        send_waiting(p);

        /* a call checked against several actions runs again once all of them are answered */
        for (PolkitQuery *other = p->queries; other; other = other->next)
                if (other->request == q->request && !other->reply)
                        return 1;

        /* run the method call again: its handler finds the answer in the registry */
        r = sd_bus_message_rewind(q->request, true);
        if (r >= 0)
                r = sd_bus_enqueue_for_read(sd_bus_message_get_bus(q->request), q->request);
        if (r < 0) {
                sd_bus_message *request = sd_bus_message_ref(q->request);
                log_warning_errno(r, "Failed to re-dispatch a method call after polkit answered: %m");
                (void) sd_bus_reply_method_errno(request, r, NULL);
                queries_of_free(p, request);
                sd_bus_message_unref(request);
        }
        return 1;
}

static int evaluate(PolkitQuery *q, sd_bus_error *error)
{
        const sd_bus_error *e = sd_bus_message_get_error(q->reply);
        int authorized, challenge, r;

        if (e) {
                log_debug("polkit answered %s: %s", e->name, strempty(e->message));
                if (sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
                        return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                                 "Access denied: polkit is not running to authorise %s", q->action);
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Access denied: polkit failed to authorise %s: %s", q->action,
                                         e->message ? e->message : e->name);
        }

        r = sd_bus_message_enter_container(q->reply, 'r', "bba{ss}");
        if (r >= 0)
                r = sd_bus_message_read(q->reply, "bb", &authorized, &challenge);
        if (r < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Access denied: polkit's answer could not be read");
        if (authorized)
                return 1;
        /* interaction would help, but the caller did not allow it; if it did, nobody could answer */
        if (challenge && sd_bus_message_get_allow_interactive_authorization(q->request) <= 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
                                         "Interactive authentication required for %s", q->action);
        return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED, "Access denied: not authorised for %s", q->action);
}

/* The caller's effective uid, from the bus (never from /proc, which can be raced). */
static int sender_uid(Polkit *p, sd_bus_message *m, uid_t *ret)
{
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        const char *sender = sd_bus_message_get_sender(m);
        SenderUid *slot;
        uid_t uid;
        int r;

        for (size_t i = 0; sender && i < SENDER_CACHE_SIZE; i++)
                if (p->senders[i].name && streq(p->senders[i].name, sender)) {
                        *ret = p->senders[i].uid;
                        return 0;
                }

        r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds);
        if (r < 0)
                return r;
        /* augmented credentials come from /proc and can be raced: never trust them for this */
        if (sd_bus_creds_get_augmented_mask(creds) & SD_BUS_CREDS_EUID)
                return -EPERM;
        r = sd_bus_creds_get_euid(creds, &uid);
        if (r < 0)
                return r;
        if (sender && sender[0] == ':') {
                slot = &p->senders[p->next_sender++ % SENDER_CACHE_SIZE];
                free(slot->name);
                slot->name = strdup(sender);
                slot->uid = uid;
        }
        *ret = uid;
        return 0;
}

/* Sends waiting checks while there is room: each time the oldest of the user with the fewest in flight. */
static void send_waiting(Polkit *p)
{
        while (p->in_flight < POLKIT_IN_FLIGHT_MAX) {
                PolkitQuery *best = NULL;
                unsigned best_in_flight = UINT32_MAX;
                UserQueries *u;
                int r;

                for (PolkitQuery *q = p->queries; q; q = q->next) {
                        if (!q->check)
                                continue;
                        u = user_queries(p, q->uid, false);
                        if (u && u->in_flight < best_in_flight) {
                                best = q;
                                best_in_flight = u->in_flight;
                        }
                }
                if (!best)
                        return;
                r = sd_bus_call_async(sd_bus_message_get_bus(best->request), &best->slot, best->check, on_polkit_reply,
                                      best, best->timeout_usec);
                best->check = sd_bus_message_unref(best->check);
                if (r < 0) {
                        log_warning_errno(r, "Failed to ask polkit: %m");
                        (void) sd_bus_reply_method_errorf(best->request, SD_BUS_ERROR_ACCESS_DENIED,
                                                          "Access denied: polkit could not be asked to "
                                                          "authorise %s",
                                                          best->action);
                        query_free(best);
                        continue;
                }
                p->in_flight++;
                u = user_queries(p, best->uid, false);
                if (u)
                        u->in_flight++;
        }
}

static int send_query(Polkit *p, sd_bus_message *m, uid_t uid, const char *action, const char *const *details)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL;
        _cleanup_strv_free_ char **asked = NULL;
        sd_bus *bus = sd_bus_message_get_bus(m);
        size_t n_asked = 0;
        uint32_t flags = 0;
        UserQueries *user;
        PolkitQuery *q;
        int r;

        if (sd_bus_message_get_allow_interactive_authorization(m) > 0)
                flags |= POLKIT_CHECK_ALLOW_USER_INTERACTION;

        r = sd_bus_message_new_method_call(bus, &call, "org.freedesktop.PolicyKit1",
                                           "/org/freedesktop/PolicyKit1/Authority",
                                           "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
        if (r < 0)
                return r;
        r = sd_bus_message_append(call, "(sa{sv})s", "system-bus-name", 1, "name", "s", sd_bus_message_get_sender(m),
                                  action);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(call, 'a', "{ss}");
        if (r < 0)
                return r;
        for (const char *const *d = details; d && d[0] && d[1]; d += 2) {
                r = sd_bus_message_append(call, "{ss}", d[0], d[1]);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_close_container(call);
        if (r < 0)
                return r;
        r = sd_bus_message_append(call, "us", flags, "");
        if (r < 0)
                return r;

        for (const char *const *d = details; d && d[0] && d[1]; d += 2)
                if (strv_push(&asked, &n_asked, strdup(d[0])) < 0 || strv_push(&asked, &n_asked, strdup(d[1])) < 0)
                        return -ENOMEM;
        user = user_queries(p, uid, true);
        if (!user)
                return -ENOMEM;
        if (user->queued >= POLKIT_PER_USER_MAX) {
                user_queries_put(p, user);
                return -EBUSY;
        }
        q = calloc(1, sizeof(PolkitQuery));
        if (!q) {
                user_queries_put(p, user);
                return -ENOMEM;
        }
        q->registry = p;
        q->request = sd_bus_message_ref(m);
        q->action = action;
        q->details = TAKE_PTR(asked);
        q->uid = uid;
        q->check = TAKE_PTR(call);
        /* an interactive check waits for a person typing a password: give it the caller's patience */
        q->timeout_usec = flags & POLKIT_CHECK_ALLOW_USER_INTERACTION ? UINT64_C(120) * 1000000 : 0;
        user->queued++;
        /* at the end: the oldest first among one user's */
        PolkitQuery **end = &p->queries;
        while (*end)
                end = &(*end)->next;
        *end = q;

        send_waiting(p);
        return 0;
}

int polkit_check(Polkit *p, sd_bus_message *m, const char *const *details, sd_bus_error *error)
{
        return polkit_check_action(p, m, NULL, details, error);
}

int polkit_check_action(Polkit *p, sd_bus_message *m, const char *action, const char *const *details,
                        sd_bus_error *error)
{
        return polkit_check_many(p, m, &(const PolkitCheck){ action, details }, 1, error);
}

static PolkitQuery *query_of(Polkit *p, sd_bus_message *m)
{
        for (PolkitQuery *q = p->queries; q; q = q->next)
                if (q->request == m)
                        return q;
        return NULL;
}

static void queries_of_free(Polkit *p, sd_bus_message *m)
{
        for (PolkitQuery *q; (q = query_of(p, m));)
                query_free(q);
}

static bool same_details(char **kept, const char *const *details)
{
        size_t i = 0;

        for (const char *const *d = details; d && d[0] && d[1]; d += 2, i += 2)
                if (!kept || !kept[i] || !streq(kept[i], d[0]) || !streq(kept[i + 1], d[1]))
                        return false;
        return !kept || !kept[i];
}

/* Whether the queries of m are the checks asked now, in the same order. */
static bool same_questions(Polkit *p, sd_bus_message *m, const char *method_action, const PolkitCheck *checks,
                           size_t n)
{
        size_t i = 0;

        for (PolkitQuery *q = p->queries; q; q = q->next) {
                if (q->request != m)
                        continue;
                if (i >= n || !streq(q->action, checks[i].action ? checks[i].action : method_action) ||
                    !same_details(q->details, checks[i].details))
                        return false;
                i++;
        }
        return i == n;
}

int polkit_keep(Polkit *p, sd_bus_message *m, void *data, void (*free_data)(void *data))
{
        PolkitQuery *q = query_of(p, m);

        if (!q) {
                free_data(data);
                return -ENOENT;
        }
        if (q->kept && q->free_kept)
                q->free_kept(q->kept);
        q->kept = data;
        q->free_kept = free_data;
        return 0;
}

void *polkit_take_kept(Polkit *p, sd_bus_message *m)
{
        PolkitQuery *q = query_of(p, m);
        void *data;

        if (!q)
                return NULL;
        data = q->kept;
        q->kept = NULL;
        return data;
}

int polkit_check_many(Polkit *p, sd_bus_message *m, const PolkitCheck *checks, size_t n, sd_bus_error *error)
{
        const char *method_action = polkit_action_of(m);
        PolkitQuery *q;
        uid_t uid;
        int r;

        /* the method's own, unless one only a method's arguments can tell applies: both are in actions.c */
        if (!method_action)
                return sd_bus_error_setf(
                        error, SD_BUS_ERROR_ACCESS_DENIED, "Access denied: %s.%s has no polkit action",
                        strempty(sd_bus_message_get_interface(m)), strempty(sd_bus_message_get_member(m)));

        /* run again after polkit answered every check: the first refusal, in the order asked, decides */
        if ((q = query_of(p, m))) {
                /* the same questions as the first run asked, or none is answered: a handler that asks another
                 * (the call's target changed meanwhile, or a bug) would be authorised by an answer to
                 * something else (systemd's bus-polkit fails such a call with -ESTALE) */
                if (!same_questions(p, m, method_action, checks, n)) {
                        log_warning("%s.%s asked polkit another question when it ran again; refused",
                                    strempty(sd_bus_message_get_interface(m)), strempty(sd_bus_message_get_member(m)));
                        queries_of_free(p, m);
                        return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                                 "Access denied: what this call needs authorising changed while "
                                                 "polkit was asked; try again");
                }
                for (; q; q = q->next)
                        if (q->request == m && !q->reply)
                                return 0; /* still waiting */
                r = 1;
                while ((q = query_of(p, m))) {
                        if (r > 0)
                                r = evaluate(q, error);
                        query_free(q);
                }
                return r;
        }

        r = sender_uid(p, m, &uid);
        if (r < 0)
                return sd_bus_error_set_errnof(error, r, "Failed to read the caller's credentials: %m");
        if (uid == 0)
                return 1;

        for (size_t i = 0; i < n; i++) {
                r = send_query(p, m, uid, checks[i].action ? checks[i].action : method_action, checks[i].details);
                if (r < 0) {
                        queries_of_free(p, m);
                        if (r == -EBUSY)
                                return sd_bus_error_setf(error, NFTBUS_ERROR_BUSY,
                                                         "Too many calls of this user are waiting for "
                                                         "authorisation (%d); try again when they are answered",
                                                         POLKIT_PER_USER_MAX);
                        return sd_bus_error_set_errnof(error, r, "Failed to ask polkit: %m");
                }
        }
        return 0;
}
