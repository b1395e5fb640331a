/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "netlink/monitor.h"
#include "netlink/nfnl.h"
#include "common/util.h"

/* Room for bursts: a big transaction sends an event per object. */
#define RECV_BUFFER (64 * 1024)

struct Monitor {
        int event_fd;
        sd_event_source *event_source;
        monitor_message_t on_message;
        monitor_lost_t on_lost;
        void *userdata;
        uint32_t seq;
        unsigned paused;
        unsigned holds;          /* subscribers, transactions of nftbus's own in flight, the start, recent activity */
        sd_event_source *linger; /* the end of the hold of recent activity */
        bool lingering;
        bool member;          /* of the nftables event group */
        bool left_for_pause;  /* held, and out of the group only for a bulk commit */
        bool have_generation; /* synced_generation is the ruleset the mirror was read at */
        uint32_t synced_generation;
};

/* Where the messages of a dump or of events go: parsed, to on_message. */
typedef struct Delivery {
        monitor_message_t on_message;
        void *userdata;
} Delivery;

static int deliver(const struct nlmsghdr *nlh, void *userdata)
{
        const Delivery *d = userdata;
        NftMessage msg;
        int r;

        /* a dump of the objects is taken again rather than mirrored half old, half new */
        if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
                return -EINTR;
        r = nfmsg_parse(nlh, &msg);
        if (r < 0) {
                log_debug("Ignoring a malformed nf_tables message of type %u", nlh->nlmsg_type);
                return 0;
        }
        if (r > 0)
                d->on_message(&msg, d->userdata);
        return 0;
}

/* Sends one request on a socket of its own and hands each message of the answer to on_message. */
static int request(const void *req, size_t size, monitor_message_t on_message, void *userdata)
{
        return nfnl_request(req, size, deliver, &(Delivery){ on_message, userdata });
}

int monitor_drain(Monitor *mon)
{
        _cleanup_free_ char *buf = malloc(RECV_BUFFER);

        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n = recv(mon->event_fd, buf, RECV_BUFFER, 0);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                return 0;
                        if (errno == ENOBUFS) {
                                log_notice("Missed nftables change events, rereading the ruleset");
                                mon->on_lost(true, mon->userdata);
                                continue;
                        }
                        return -errno;
                }
                (void) nfnl_datagram(buf, (size_t) n, deliver, &(Delivery){ mon->on_message, mon->userdata });
        }
}

static int on_event(sd_event_source *s _unused_, int fd _unused_, uint32_t revents _unused_, void *userdata)
{
        int r = monitor_drain(userdata);
        if (r < 0)
                log_warning_errno(r, "Failed to read nftables change events, ignoring: %m");
        return 0;
}

/* A request of one nftables message type with no attributes (a dump, the generation), for all families. */
static int request_type(Monitor *mon, uint16_t msg_type, uint16_t flags, monitor_message_t on_message, void *userdata)
{
        struct {
                struct nlmsghdr nlh;
                struct nfgenmsg nfg;
        } req = {
                .nlh = {
                        .nlmsg_len = sizeof(req),
                        .nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | msg_type,
                        .nlmsg_flags = NLM_F_REQUEST | flags,
                        .nlmsg_seq = ++mon->seq,
                },
                .nfg = { .nfgen_family = AF_UNSPEC, .version = NFNETLINK_V0 },
        };

        return request(&req, sizeof(req), on_message, userdata);
}

static int dump_once(Monitor *mon, uint16_t msg_type)
{
        return request_type(mon, msg_type, NLM_F_DUMP, mon->on_message, mon->userdata);
}

int monitor_dump(Monitor *mon)
{
        /* tables first: everything else is recorded inside its table */
        static const uint16_t types[] = { NFT_MSG_GETTABLE, NFT_MSG_GETCHAIN, NFT_MSG_GETSET, NFT_MSG_GETOBJ,
                                          NFT_MSG_GETFLOWTABLE };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(types); i++) {
                /* a dump interrupted by a concurrent transaction is simply taken again */
                for (unsigned attempt = 0;; attempt++) {
                        r = dump_once(mon, types[i]);
                        if (r != -EINTR)
                                break;
                        if (attempt == 10)
                                return -EBUSY;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

static void take_object(const NftMessage *msg, void *userdata)
{
        NftMessage *ret = userdata;

        *ret = *msg;
}

int monitor_get_object(Monitor *mon, int family, const char *table, const char *name, NftKind kind, NftMessage *ret)
{
        _Alignas(struct nlmsghdr) char req[1024];
        NftMessage msg = {};
        int len, r;

        len = nfmsg_build_get_object(req, sizeof(req), ++mon->seq, family, table, name, kind);
        if (len < 0)
                return len;
        r = request(req, (size_t) len, take_object, &msg);
        if (r < 0)
                return r;
        if (msg.kind != kind)
                return -ENOENT;
        /* the strings pointed into the receive buffer, which is gone */
        msg.table = msg.name = msg.chain = msg.comment = msg.chain_type = NULL;
        msg.n_devices = 0;
        *ret = msg;
        return 0;
}

static void take_generation(const NftMessage *msg, void *userdata)
{
        if (msg->kind == NFT_KIND_GENERATION)
                *(uint32_t *) userdata = msg->generation;
}

int monitor_generation(Monitor *mon, uint32_t *ret)
{
        uint32_t generation = UINT32_MAX;
        /* the acknowledgement ends the answer */
        int r = request_type(mon, NFT_MSG_GETGEN, NLM_F_ACK, take_generation, &generation);

        if (r < 0)
                return r;
        if (generation == UINT32_MAX)
                return -EBADMSG;
        *ret = generation;
        return 0;
}

/* In the event group while anyone holds it and no bulk commit pauses it; out of it, the generation the
 * mirror is good for is kept, for monitor_sync(). */
static void update_membership(Monitor *mon)
{
        unsigned group = NFNLGRP_NFTABLES;
        bool want = mon->holds > 0 && mon->paused == 0;
        uint32_t generation = 0;
        int r;

        if (want == mon->member)
                return;
        if (want) {
                if (setsockopt(mon->event_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) {
                        log_error_errno(-errno, "Failed to follow nftables change events: %m");
                        return;
                }
                mon->member = true;
                /* what changed while out of the group is reread (events from here on follow) */
                if (!mon->have_generation || monitor_generation(mon, &generation) < 0 ||
                    generation != mon->synced_generation)
                        mon->on_lost(mon->left_for_pause, mon->userdata);
                mon->left_for_pause = false;
                return;
        }
        /* the generation first: whatever commits after it makes the next check reread */
        r = monitor_generation(mon, &generation);
        if (setsockopt(mon->event_fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &group, sizeof(group)) < 0) {
                log_warning_errno(-errno, "Failed to leave the nftables event group, staying: %m");
                return;
        }
        mon->member = false;
        r = r < 0 ? r : monitor_drain(mon); /* what was queued before leaving */
        mon->have_generation = r >= 0;
        mon->synced_generation = generation;
}

int monitor_pause(Monitor *mon)
{
        int r;

        if (mon->paused++ > 0)
                return 0;
        mon->left_for_pause = mon->member;
        if (mon->member) {
                r = monitor_drain(mon);
                if (r < 0)
                        log_warning_errno(r, "Failed to read nftables change events, ignoring: %m");
        }
        update_membership(mon);
        return 0;
}

void monitor_resume(Monitor *mon)
{
        if (mon->paused == 0 || --mon->paused > 0)
                return;
        update_membership(mon);
}

void monitor_own_commit(Monitor *mon)
{
        /* paused, no reread has moved synced_generation since the commit began */
        if (mon->paused > 0 && !mon->member && mon->have_generation)
                mon->synced_generation++;
}

void monitor_hold(Monitor *mon)
{
        mon->holds++;
        update_membership(mon);
}

void monitor_release(Monitor *mon)
{
        if (mon->holds == 0)
                return;
        mon->holds--;
        update_membership(mon);
}

/* Joining and leaving the event group costs the kernel an RCU grace period (milliseconds): calls that follow
 * each other keep the group for LINGER_USEC after the last one, rather than join and leave for each. */
#define LINGER_USEC (2 * 1000000ULL)

static int on_linger(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
        Monitor *mon = userdata;

        mon->lingering = false;
        monitor_release(mon);
        return 0;
}

void monitor_touch(Monitor *mon)
{
        if (!mon->lingering) {
                mon->lingering = true;
                monitor_hold(mon);
        }
        (void) sd_event_source_set_time_relative(mon->linger, LINGER_USEC);
        (void) sd_event_source_set_enabled(mon->linger, SD_EVENT_ONESHOT);
}

bool monitor_following(const Monitor *mon)
{
        return mon->member;
}

int monitor_sync(Monitor *mon)
{
        uint32_t generation;
        int r;

        if (mon->member || mon->paused > 0)
                return mon->member ? monitor_drain(mon) : 0;
        r = monitor_generation(mon, &generation);
        if (r < 0)
                return r;
        if (mon->have_generation && generation == mon->synced_generation)
                return 0;
        /* the generation before the reread: a commit during it makes the next check reread again */
        mon->synced_generation = generation;
        mon->have_generation = true;
        mon->on_lost(false, mon->userdata);
        return 1;
}

int monitor_new(sd_event *event, size_t event_buffer, monitor_message_t on_message, monitor_lost_t on_lost,
                void *userdata, Monitor **ret)
{
        _cleanup_(monitor_freep) Monitor *mon = calloc(1, sizeof(Monitor));
        int r;

        if (!mon)
                return -ENOMEM;
        mon->event_fd = -EBADF;
        mon->on_message = on_message;
        mon->on_lost = on_lost;
        mon->userdata = userdata;
        /* in the group from the start: the start holds it until the service has its name */
        mon->event_fd = nfnl_open(NFNLGRP_NFTABLES, (int) event_buffer);
        if (mon->event_fd < 0)
                return mon->event_fd;
        mon->member = true;
        mon->holds = 1;
        r = sd_event_add_io(event, &mon->event_source, mon->event_fd, EPOLLIN, on_event, mon);
        if (r < 0)
                return r;
        /* the kernel's picture comes before anything a caller asks */
        r = sd_event_source_set_priority(mon->event_source, SD_EVENT_PRIORITY_IMPORTANT);
        if (r < 0)
                return r;
        r = sd_event_add_time_relative(event, &mon->linger, CLOCK_MONOTONIC, LINGER_USEC, 0, on_linger, mon);
        if (r >= 0)
                r = sd_event_source_set_enabled(mon->linger, SD_EVENT_OFF);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(mon);
        return 0;
}

Monitor *monitor_free(Monitor *mon)
{
        if (!mon)
                return NULL;
        sd_event_source_disable_unref(mon->event_source);
        sd_event_source_disable_unref(mon->linger);
        safe_close(mon->event_fd);
        free(mon);
        return NULL;
}
