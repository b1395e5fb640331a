/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* auth/polkit.c over a real sd-bus connection, peer to peer: a server process runs handlers that ask polkit as
 * nftbusd's do, and the caller, which connected as nobody (the server reads its uid from the socket), answers
 * their CheckAuthorization itself in polkitd's place, so that each question and its re-dispatch are seen. A
 * handler that asks another question when it runs again is refused, never authorised by the answer to the first
 * one; work kept with a pending question comes back to the handler's run again. */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "auth/polkit.h"
#include "common/objpath.h"
#include "common/util.h"
#include "tap.h"

#define TEST_PATH "/org/nftbus/Firewall1/table/inet/test"

static Polkit *polkit;
static unsigned runs;       /* of the handler under test, this call */
static unsigned questions;  /* CheckAuthorization calls the caller answered */
static char last_table[64]; /* the table detail of the last one */

/* ---- the server: handlers as nftbusd writes them ---- */

/* Flush on table "steady": the same question each run */
static int method_steady(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = polkit_check(polkit, m, (const char *const[]){ "family", "inet", "table", "steady", NULL }, error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, NULL);
}

/* Delete: a question that changes between the runs (as if what the call is about had moved meanwhile) */
static int method_changing(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        int r = polkit_check(
                polkit, m, (const char *const[]){ "family", "inet", "table", runs++ == 0 ? "first" : "second", NULL },
                error);

        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, NULL);
}

/* AddChain: work done before the question kept with it; the reply says whether the run again got it back */
static int method_keeping(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        unsigned *kept = polkit_take_kept(polkit, m);
        bool again = kept != NULL;
        int r;

        if (!kept) {
                kept = malloc(sizeof(unsigned));
                if (!kept)
                        return -ENOMEM;
                *kept = 4711;
        }
        r = polkit_check(polkit, m, (const char *const[]){ "family", "inet", "table", "keeping", NULL }, error);
        if (r == 0) {
                (void) polkit_keep(polkit, m, kept, free);
                return 1;
        }
        again = again && *kept == 4711;
        free(kept);
        POLKIT_RETURN_UNLESS_AUTHORIZED(r);
        return sd_bus_reply_method_return(m, "b", again);
}

static const sd_bus_vtable table_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("Flush", NULL, NULL, method_steady, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD("Delete", NULL, NULL, method_changing, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("AddChain", SD_BUS_ARGS("s", name, "a{sv}", options), SD_BUS_RESULT("b", kept),
                                method_keeping, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

static int serve(int listener)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        sd_id128_t id = SD_ID128_MAKE(6e, 66, 74, 62, 75, 73, 70, 6f, 6c, 6b, 69, 74, 74, 65, 73, 74);
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC), r;

        if (fd < 0 || sd_bus_new(&bus) < 0 || sd_bus_set_fd(bus, fd, fd) < 0 || sd_bus_set_server(bus, 1, id) < 0 ||
            sd_bus_negotiate_creds(bus, true, SD_BUS_CREDS_EUID) < 0 || sd_bus_start(bus) < 0 ||
            sd_bus_add_object_vtable(bus, NULL, TEST_PATH, NFTBUS_TABLE_INTERFACE, table_vtable, NULL) < 0)
                return 1;
        polkit = polkit_new();
        for (;;) {
                r = sd_bus_process(bus, NULL);
                if (r == -ECONNRESET || r == -ENOTCONN)
                        break;
                if (r < 0)
                        return 1;
                if (r == 0 && sd_bus_wait(bus, UINT64_MAX) < 0)
                        break;
        }
        polkit = polkit_free(polkit);
        return 0;
}

/* ---- the caller, and polkitd's part ---- */

static int check_authorization(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        const char *kind, *action, *key, *value;
        int r;

        questions++;
        r = sd_bus_message_enter_container(m, 'r', "sa{sv}");
        if (r >= 0)
                r = sd_bus_message_read(m, "s", &kind);
        if (r >= 0)
                r = sd_bus_message_skip(m, "a{sv}");
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r >= 0)
                r = sd_bus_message_read(m, "s", &action);
        if (r >= 0)
                r = sd_bus_message_enter_container(m, 'a', "{ss}");
        while (r > 0 && (r = sd_bus_message_read(m, "{ss}", &key, &value)) > 0)
                if (streq(key, "table"))
                        snprintf(last_table, sizeof(last_table), "%s", value);
        if (r < 0)
                return r;
        /* yes to whatever is asked: what is under test is that nftbusd asks the right question */
        return sd_bus_reply_method_return(m, "(bba{ss})", 1, 0, 0);
}

static const sd_bus_vtable authority_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("CheckAuthorization", "(sa{sv})sa{ss}us", "(bba{ss})", check_authorization, 0),
        SD_BUS_VTABLE_END,
};

typedef struct Answer {
        bool done;
        char error[256];
        int kept;
} Answer;

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        Answer *a = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        a->done = true;
        if (e)
                snprintf(a->error, sizeof(a->error), "%s: %s", e->name, strempty(e->message));
        else if (streq(sd_bus_message_get_signature(m, true), "b"))
                (void) sd_bus_message_read(m, "b", &a->kept);
        return 1;
}

static sd_bus *caller;

/* Calls member and serves CheckAuthorization until the reply is in. */
static void call(const char *member, Answer *a)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;

        *a = (Answer){ .kept = -1 };
        runs = 0;
        questions = 0;
        assert_true(sd_bus_message_new_method_call(caller, &m, NULL, TEST_PATH, NFTBUS_TABLE_INTERFACE, member) >= 0);
        if (streq(member, "AddChain"))
                assert_true(sd_bus_message_append(m, "sa{sv}", "c", 0) >= 0);
        assert_true(sd_bus_call_async(caller, NULL, m, on_reply, a, 10 * 1000000) >= 0);
        while (!a->done) {
                int r = sd_bus_process(caller, NULL);
                assert_true(r >= 0);
                if (r == 0)
                        assert_true(sd_bus_wait(caller, 10 * 1000000) >= 0);
        }
}

static int group_setup(void **state)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int listener, fd;
        pid_t pid;

        if (geteuid() != 0)
                return 0; /* the caller must connect as another user: needs root; the tests skip */
        snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "nftbus-test-polkit-%d", getpid());
        socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sa.sun_path + 1);
        listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener < 0 || bind(listener, (struct sockaddr *) &sa, len) < 0 || listen(listener, 1) < 0)
                return -1;
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0)
                _exit(serve(listener));
        close(listener);
        /* the server reads the caller's uid from the socket, as it was when it connected */
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || seteuid(65534) < 0)
                return -1;
        int r = connect(fd, (struct sockaddr *) &sa, len);
        if (seteuid(0) < 0 || r < 0)
                return -1;
        if (sd_bus_new(&caller) < 0 || sd_bus_set_fd(caller, fd, fd) < 0 || sd_bus_start(caller) < 0 ||
            sd_bus_add_object_vtable(caller, NULL, "/org/freedesktop/PolicyKit1/Authority",
                                     "org.freedesktop.PolicyKit1.Authority", authority_vtable, NULL) < 0)
                return -1;
        *state = (void *) (intptr_t) pid;
        return 0;
}

static int group_teardown(void **state)
{
        pid_t pid = (pid_t) (intptr_t) *state;
        int status = -1;

        caller = sd_bus_flush_close_unref(caller);
        if (pid > 0 && waitpid(pid, &status, 0) != pid)
                return -1;
        /* the server's run ends cleanly (under the sanitizers: without leaks) */
        return pid <= 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 0) ? 0 : -1;
}

/* Calls member and checks what polkit was asked (once, about table) and the answer. */
static void assert_call(const char *member, const char *table, const char *error, int kept)
{
        Answer a;

        if (!caller)
                skip();
        call(member, &a);
        assert_int_equal(questions, 1);
        assert_string_equal(last_table, table);
        assert_string_equal(a.error, error);
        assert_int_equal(a.kept, kept);
}

static void test_same_question_authorised(void **state)
{
        assert_call("Flush", "steady", "", -1);
}

static void test_changed_question_refused(void **state)
{
        /* asked about "first"; the run again asks about "second", which polkit was never asked */
        assert_call("Delete", "first",
                    "org.freedesktop.DBus.Error.AccessDenied: Access denied: what this call needs authorising changed "
                    "while polkit was asked; try again",
                    -1);
}

static void test_kept_work_comes_back(void **state)
{
        assert_call("AddChain", "keeping", "", 1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_same_question_authorised),
                cmocka_unit_test(test_changed_question_refused),
                cmocka_unit_test(test_kept_work_comes_back),
        };

        signal(SIGPIPE, SIG_IGN);
        cmocka_set_message_output(CM_OUTPUT_TAP);
        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
