/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The netfilter netlink socket, plain: open one, read the messages of a datagram, ask the kernel one
 * question on a socket of its own. The nf_tables meaning of the messages is nfmsg's and elembatch's. */

#include <linux/netlink.h>
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

/* Sends req on a socket of its own and hands each message of the answer to f. Returns 0 when the answer
 * is complete, else as nfnl_datagram. */
int nfnl_request(const void *req, size_t size, nfnl_message_t f, void *userdata);
/* The same on a socket of the caller's (nfnl_open(0, 0)), which the answer leaves empty when it returns 0; after an
 * error, the caller closes it (part of an answer may be left). */
int nfnl_request_on(int fd, const void *req, size_t size, nfnl_message_t f, void *userdata);
