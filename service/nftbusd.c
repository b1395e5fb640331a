/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftbusd: the nftables firewall on the D-Bus system bus. */

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

#include "core/batch.h"
#include "bus/bussize.h"
#include "config.h"
#include "bus/readers.h"
#include "context.h"
#include "common/errors.h"
#include "executor/frame.h"
#include "log.h"
#include "common/objpath.h"
#include "nftables/persist.h"
#include "state/zones.h"
#include "core/rulebook.h"
#include "zones/engine.h"
#include "nftables/changes.h"
#include "bus/tablejob.h"
#include "common/util.h"
#include "zones/timeouts.h"

static Context *context_free(Context *c)
{
        if (!c)
                return NULL;
        /* NAT calls not started yet are dropped; then the executor: it answers the calls still queued, on
         * the bus that is still there */
        table_jobs_free(c);
        zone_jobs_free(c);
        zone_timeouts_free(c);
        c->executor = executor_free(c->executor);
        c->polkit = polkit_free(c->polkit);
        c->subscribers = sd_bus_track_unref(c->subscribers);
        c->bus = sd_bus_flush_close_unref(c->bus);
        c->monitor = monitor_free(c->monitor);
        c->mirror = mirror_free(c->mirror);
        c->trim_source = sd_event_source_disable_unref(c->trim_source);
        c->event = sd_event_unref(c->event);
        free(c->backend_version);
        free(c->restore_error);
        c->zones = zones_free(c->zones);
        c->zone_rule_book = rule_book_free(c->zone_rule_book);
        free(c->zones_error);
        free(c->firewalld_api);
        readers_done(c);
        json_decref(c->pending_signals);
        changes_free(c);
        free(c);
        return NULL;
}
DEFINE_POINTER_CLEANUP(Context, context_free)

static void on_kernel_message(const NftMessage *msg, void *userdata)
{
        zones_kernel_message(userdata, msg);
        objects_kernel_message(userdata, msg);
}

static void on_kernel_messages_lost(bool missed, void *userdata)
{
        zones_kernel_messages_lost(userdata);
        objects_resync(userdata, missed);
}

static int on_name_acquired(sd_bus_message *m, void *userdata, sd_bus_error *ret_error _unused_)
{
        const sd_bus_error *e = sd_bus_message_get_error(m);
        int r;

        if (e) {
                log_error("Failed to acquire %s: %s", NFTBUS_BUS_NAME, e->message ? e->message : e->name);
                return sd_event_exit(sd_bus_get_event(sd_bus_message_get_bus(m)), EXIT_FAILURE);
        }
        log_info("Serving %s", NFTBUS_BUS_NAME);
        r = firewalld_start(userdata);
        if (r < 0)
                log_warning_errno(r, "Failed to offer firewalld's D-Bus API: %m");
        (void) sd_notify(false, "READY=1\nSTATUS=Serving the nftables firewall");
        return 0;
}

static int on_name_lost(sd_bus_message *m, void *userdata, sd_bus_error *ret_error _unused_)
{
        Context *c = userdata;
        const char *name;

        if (sd_bus_message_read(m, "s", &name) < 0 || !streq(name, NFTBUS_BUS_NAME))
                return 0;
        log_error("Lost the bus name %s, exiting so that the service is restarted", NFTBUS_BUS_NAME);
        return sd_event_exit(c->event, EXIT_FAILURE);
}

static void take_name(Context *c)
{
        int r;

        /* the start held the event group (restore, zones); from here on only subscribers and calls do */
        monitor_release(c->monitor);
        r = sd_bus_request_name_async(c->bus, NULL, NFTBUS_BUS_NAME, 0, on_name_acquired, c);
        if (r < 0) {
                log_error_errno(r, "Failed to request %s: %m", NFTBUS_BUS_NAME);
                (void) sd_event_exit(c->event, EXIT_FAILURE);
        }
}

/* after the saved ruleset, the zones' permanent configuration; then the name */
static void start_zones(Context *c)
{
        zones_start(c, take_name);
}

/* The first job of every start: proves the executor and libnftables work, and reads the backend's
 * version. Only then does the service take its name. */
static void on_backend_ready(int r, const ExecReply *reply, void *userdata)
{
        Context *c = userdata;

        if (r >= 0 && reply->nft_rc != 0)
                r = -EIO;
        if (r >= 0)
                r = nft_output_version(reply->output, &c->backend_version);
        if (r < 0) {
                log_error_errno(r, "The nftables executor does not work: %m");
                (void) sd_event_exit(c->event, EXIT_FAILURE);
                return;
        }
        log_debug("libnftables %s", c->backend_version);
        /* the saved ruleset first: clients see the firewall as it was saved */
        persist_restore(c, start_zones);
}

/* Memory back to the system after a big call. glibc keeps freed heap memory for reuse: after parsing a
 * large batch nftbusd kept hundreds of MB. A second after any activity, when more than TRIM_SLACK bytes
 * lie free in the heap, malloc_trim() returns them; while nothing happens, nothing runs. */
#define TRIM_SLACK (4 * 1024 * 1024)
#define TRIM_DELAY_USEC (1000000ULL)

static int on_trim(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
        Context *c = userdata;
        struct mallinfo2 mi = mallinfo2();

        if (mi.fordblks > TRIM_SLACK)
                (void) malloc_trim(0);
        c->trim_just_ran = true;
        return 0;
}

static int on_iteration_done(sd_event_source *s _unused_, void *userdata)
{
        Context *c = userdata;
        int enabled = SD_EVENT_OFF;

        if (c->trim_just_ran) {
                c->trim_just_ran = false;
                return 0;
        }
        (void) sd_event_source_get_enabled(c->trim_source, &enabled);
        if (enabled == SD_EVENT_OFF) {
                (void) sd_event_source_set_time_relative(c->trim_source, TRIM_DELAY_USEC);
                (void) sd_event_source_set_enabled(c->trim_source, SD_EVENT_ONESHOT);
        }
        return 0;
}

static int setup_trim(Context *c)
{
        int r;

        /* big buffers (bus messages, listings) straight from and back to the system, whatever came before:
         * a fixed threshold also stops glibc from raising it after the first big free */
        (void) mallopt(M_MMAP_THRESHOLD, 256 * 1024);
        r = sd_event_add_time_relative(c->event, &c->trim_source, CLOCK_MONOTONIC, TRIM_DELAY_USEC, 0, on_trim, c);
        if (r >= 0)
                r = sd_event_source_set_enabled(c->trim_source, SD_EVENT_OFF);
        if (r >= 0)
                r = sd_event_add_post(c->event, NULL, on_iteration_done, c);
        return r;
}

static int probe_backend(Context *c)
{
        _cleanup_(json_decrefp) json_t *batch = batch_new();
        char *text;

        if (!batch || batch_add(batch, "list", "tables", json_object()) < 0)
                return -ENOMEM;
        text = batch_dump(batch);
        if (!text)
                return -ENOMEM;
        return executor_submit(c->executor, EXEC_TERSE, text, strlen(text), on_backend_ready, c);
}

static int connect_bus(Context *c)
{
        int r;

        /* honours DBUS_SYSTEM_BUS_ADDRESS */
        r = sd_bus_open_system(&c->bus);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the system bus: %m");
        r = manager_register(c);
        if (r >= 0)
                r = sysctl_register(c);
        if (r >= 0)
                r = nat_register(c);
        if (r >= 0)
                r = preset_register(c);
        if (r >= 0)
                r = zone_register(c);
        if (r >= 0)
                r = ipset_register(c);
        if (r >= 0)
                r = policy_register(c);
        if (r >= 0)
                r = objects_register(c);
        if (r < 0)
                return log_error_errno(r, "Failed to register the bus objects: %m");
        r = sd_bus_attach_event(c->bus, c->event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                return log_error_errno(r, "Failed to attach the bus to the event loop: %m");
        /* A service that is alive without its bus or its name answers nobody, and systemd's Restart=
         * never sees it: the bus gone (dbus-daemon killed, or a message it would not take) or the name
         * taken away ends nftbusd with a failure. */
        r = sd_bus_set_exit_on_disconnect(c->bus, true);
        if (r < 0)
                return log_error_errno(r, "Failed to set the bus to end the service when it goes: %m");
        r = sd_bus_match_signal_async(c->bus, NULL, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                      "org.freedesktop.DBus", "NameLost", on_name_lost, NULL, c);
        if (r < 0)
                return log_error_errno(r, "Failed to watch for the loss of %s: %m", NFTBUS_BUS_NAME);
        return 0;
}

static int help(void)
{
        printf("nftbusd [OPTIONS...]\n\n"
               "The nftables firewall on the D-Bus system bus, as %s.\n\n"
               "  -h --help      Show this help\n"
               "     --version   Show the version\n"
               "     --debug     Log every batch and more\n"
               "     --max-message-size=BYTES\n"
               "                 The bus's max_message_size, when it is set below dbus-daemon's\n"
               "                 default of 32 MiB: no reply is sent larger\n"
               "     --event-buffer=BYTES\n"
               "                 The receive buffer for nftables change events (16 MiB); when\n"
               "                 a transaction's events overflow it, subscribers get\n"
               "                 Manager.Resynchronized\n",
               NFTBUS_BUS_NAME);
        return 0;
}

static size_t arg_message_max = DBUS_MESSAGE_MAX_DEFAULT;
static size_t arg_event_buffer = MONITOR_EVENT_BUFFER_DEFAULT;

/* A size option's value: a number of bytes from min to max. */
static int parse_bytes(const char *option, const char *value, unsigned long long min, unsigned long long max,
                       size_t *ret)
{
        unsigned long long size;
        char *end;

        errno = 0;
        size = strtoull(value, &end, 10);
        if (errno || *end || end == value || size < min || size > max) {
                log_error("%s takes a number of bytes from %llu to %llu", option, min, max);
                return -EINVAL;
        }
        *ret = (size_t) size;
        return 0;
}

static int parse_argv(int argc, char *argv[])
{
        enum { ARG_VERSION = 0x100, ARG_DEBUG, ARG_MESSAGE_MAX, ARG_EVENT_BUFFER };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "debug", no_argument, NULL, ARG_DEBUG },
                { "max-message-size", required_argument, NULL, ARG_MESSAGE_MAX },
                { "event-buffer", required_argument, NULL, ARG_EVENT_BUFFER },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        puts(PROJECT_VERSION);
                        return 0;
                case ARG_DEBUG:
                        log_set_max_level(LOG_DEBUG);
                        break;
                case ARG_MESSAGE_MAX:
                        if (parse_bytes("--max-message-size", optarg, 65536, 128ULL * 1024 * 1024, &arg_message_max) <
                            0)
                                return -EINVAL;
                        break;
                case ARG_EVENT_BUFFER:
                        if (parse_bytes("--event-buffer", optarg, 4096, 1024ULL * 1024 * 1024, &arg_event_buffer) < 0)
                                return -EINVAL;
                        break;
                default:
                        return -EINVAL;
                }
        if (optind < argc) {
                log_error("%s takes no arguments", program_invocation_short_name);
                return -EINVAL;
        }
        return 1;
}

static const int ignored_signals[] = { SIGPIPE, SIGHUP, SIGUSR1, SIGUSR2 };

static void stopped(Context *c)
{
        (void) sd_event_exit(c->event, 0);
}

/* SIGTERM, SIGINT: the zones' stop (zones_stop()), then the end of the loop; a second signal ends it at once */
static int on_stop_signal(sd_event_source *s _unused_, const struct signalfd_siginfo *si _unused_, void *userdata)
{
        Context *c = userdata;

        if (c->stopping)
                return sd_event_exit(c->event, 0);
        c->stopping = true;
        zones_stop(c, stopped);
        return 0;
}

static int run(int argc, char *argv[])
{
        _cleanup_(context_freep) Context *c = NULL;
        sigset_t mask;
        int r, status;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r;

        r = nftbus_errors_register();
        if (r < 0)
                return log_error_errno(r, "Failed to register the error names: %m");

        /* A write to a pipe or socket whose reader has gone (a ListElementsToFd descriptor closed by its
         * caller, an executor killed mid-request) is an EPIPE for the code that wrote, never the end of the
         * service. HUP and USR1/2 mean nothing to nftbusd: a stray one must not stop the firewall's
         * service. Ignored dispositions survive exec, so the executor child ignores them too. */
        for (size_t i = 0; i < ELEMENTSOF(ignored_signals); i++)
                if (sigaction(ignored_signals[i], &(struct sigaction){ .sa_handler = SIG_IGN }, NULL) < 0)
                        return log_error_errno(errno, "Failed to ignore signal %d: %m", ignored_signals[i]);

        /* sd-event handles these; SIGCHLD for the executor */
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGCHLD);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return log_error_errno(errno, "Failed to block signals: %m");

        c = calloc(1, sizeof(Context));
        if (!c)
                return log_error_errno(ENOMEM, "Out of memory");
        c->message_max = arg_message_max;

        r = sd_event_default(&c->event);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate the event loop: %m");
        r = sd_event_add_signal(c->event, NULL, SIGTERM, on_stop_signal, c);
        if (r >= 0)
                r = sd_event_add_signal(c->event, NULL, SIGINT, on_stop_signal, c);
        if (r < 0)
                return log_error_errno(r, "Failed to handle SIGTERM and SIGINT: %m");

        r = setup_trim(c);
        if (r < 0)
                return log_error_errno(r, "Failed to set up memory trimming: %m");

        c->polkit = polkit_new();
        c->mirror = mirror_new(c);
        c->zone_rule_book = rule_book_new();
        if (!c->polkit || !c->mirror || !c->zone_rule_book)
                return log_error_errno(ENOMEM, "Out of memory");

        /* subscribe first, then dump: a change in between arrives as an event after the dump */
        r = monitor_new(c->event, arg_event_buffer, on_kernel_message, on_kernel_messages_lost, c, &c->monitor);
        if (r < 0)
                return log_error_errno(r, "Failed to follow nftables over netlink: %m");
        r = objects_dump(c);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel's tables: %m");

        r = executor_new(c->event, &c->executor);
        if (r < 0)
                return log_error_errno(r, "Failed to start the nftables executor: %m");

        r = connect_bus(c);
        if (r < 0)
                return r;

        r = probe_backend(c);
        if (r < 0)
                return log_error_errno(r, "Failed to query the nftables executor: %m");

        r = sd_event_loop(c->event);
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        status = r;

        (void) sd_notify(false, "STOPPING=1");
        log_info("Stopped");
        return status == 0 ? 0 : -EIO;
}

int main(int argc, char *argv[])
{
        return run(argc, argv) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
