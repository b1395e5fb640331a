/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* Asynchronous polkit authorisation over sd-bus, as systemd's daemons do it: the first call of a
 * method handler sends CheckAuthorization and returns; when polkit answers, the method call is put
 * back into the bus's read queue, the handler runs again, and this time polkit_check() has the answer.
 * The action comes from actions.c's table, looked up from the message: a method without an entry is
 * refused. The handler must ask the same question when it runs again (the same actions with the same
 * details, in the same order): one that asks another is refused, AccessDenied, never authorised by an
 * answer to something else. Where the check goes in a handler, POLKIT_RETURN_UNLESS_AUTHORIZED shows the
 * re-dispatch: everything above it runs twice, unless its result is kept with the query (polkit_keep()). */

#include <systemd/sd-bus.h>

typedef struct Polkit Polkit;

/* The one way a method handler goes on after a polkit check, whose r is 1 when the call is authorised,
 * 0 while polkit is being asked and negative (error set) when refused: a refusal is returned; while
 * polkit is asked the handler returns 1, which tells sd-bus the call is answered later (the handler runs
 * again when polkit answers); authorised, the handler goes on. */
#define POLKIT_RETURN_UNLESS_AUTHORIZED(r)                                                                            \
        do {                                                                                                          \
                if ((r) <= 0)                                                                                         \
                        return (r) < 0 ? (r) : 1;                                                                     \
        } while (0)

Polkit *polkit_new(void);
Polkit *polkit_free(Polkit *p);

/* details: NULL-terminated key, value, key, value, ... (family, table, chain, set, ...). Returns 1 if
 * authorised, 0 if the answer is pending (the handler returns 1 and is called again), negative errno
 * with error set if refused. Callers with uid 0 are authorised without asking. polkit not on the bus
 * means refused. */
int polkit_check(Polkit *p, sd_bus_message *m, const char *const *details, sd_bus_error *error);

/* polkit_check() against another action than the method's own: where what a call does decides (a chain
 * with a hook is a base chain: NFTBUS_ACTION_MANAGE_BASE_CHAINS). The handler must name the same action
 * when it runs again. */
int polkit_check_action(Polkit *p, sd_bus_message *m, const char *action, const char *const *details,
                        sd_bus_error *error);

/* The action a message is checked against, or NULL. */
const char *polkit_action_of(sd_bus_message *m);

/* One check of several: an action (NULL: the method's own) and its details. */
typedef struct PolkitCheck {
        const char *action; /* static */
        const char *const *details;
} PolkitCheck;

/* polkit_check() against several actions at once, all of which must allow the call: a rule that writes
 * into sets is manage-rules for its chain and manage-elements for each set it writes. All are asked
 * together; the handler runs again once every answer is in, and must ask for the same checks. */
int polkit_check_many(Polkit *p, sd_bus_message *m, const PolkitCheck *checks, size_t n, sd_bus_error *error);

/* Work done before a check whose answer is pending (a parsed array), kept with the query for the handler's run
 * again instead of being done twice: freed with free_data if the call goes unanswered. -ENOENT (data freed) when
 * no check of m is pending. */
int polkit_keep(Polkit *p, sd_bus_message *m, void *data, void (*free_data)(void *data));
/* What polkit_keep() kept for m, now the caller's; NULL: nothing. Call it before polkit_check(), which forgets
 * the queries once they are answered. */
void *polkit_take_kept(Polkit *p, sd_bus_message *m);
