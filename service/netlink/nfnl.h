/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The netfilter netlink socket, plain: open one, read the messages of a datagram, ask the kernel one
 * question on a socket of its own. The nf_tables meaning of the messages is nfmsg's and elembatch's. */

#include <linux/netlink.h>
#include <pthread.h>
#include <stddef.h>

/* Called for each message that is not netlink's own (done, error, ack); negative stops the reading. */
typedef int (*nfnl_message_t)(const struct nlmsghdr *nlh, void *userdata);

/* A NETLINK_NETFILTER socket, bound. With group, it joins that multicast group and does not block.
 * rcvbuf, when not 0, is the receive buffer asked for (forced when the caller may). */
int nfnl_open(unsigned group, int rcvbuf);

/* Hands every message of one datagram to f. Returns 1 when the answer is complete (NLMSG_DONE, or the
 * kernel's acknowledgement), 0 when more is to come; the kernel's refusal as negative errno, or f's
 * negative return. Whether a dump that a concurrent change interrupted (NLM_F_DUMP_INTR) matters is f's
 * to say. */
int nfnl_datagram(const void *buf, size_t len, nfnl_message_t f, void *userdata);

/* A socket kept for the next use of its kind: a socket's close waits for the kernel's RCU grace period, 10 ms, which a
 * request or a small commit paid each time. Taken (-EBADF: none kept) and given back once all it was answered is
 * read, from any thread. */
typedef struct NfnlKept {
        pthread_mutex_t lock;
        int fd;
} NfnlKept;
#define NFNL_KEPT_INIT                                                                                                \
        {                                                                                                             \
                PTHREAD_MUTEX_INITIALIZER, -EBADF                                                                     \
        }
int nfnl_kept_take(NfnlKept *k);
void nfnl_kept_give(NfnlKept *k, int fd);

/* Sends req on a socket of the requests' (kept, or its own) and hands each message of the answer to f. Returns 0
 * when the answer is complete, else as nfnl_datagram. */
int nfnl_request(const void *req, size_t size, nfnl_message_t f, void *userdata);
