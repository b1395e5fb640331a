/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink/elemio.h"
#include "netlink/nfnl.h"
#include "common/util.h"

#define RECV_BUFFER (128 * 1024)
/* room for the kernel's error reports: one per refused message at most */
#define ERROR_RCVBUF (8 * 1024 * 1024)

/* A socket for one batch of send_bytes, with room for the kernel's reports on it. */
static int open_batch_socket(size_t send_bytes)
{
        _cleanup_close_ int fd = nfnl_open(0, ERROR_RCVBUF);
        int one = 1;
        /* a batch is one datagram, so the send buffer must hold all of it */
        int snd = send_bytes + 65536 > INT32_MAX / 2 ? INT32_MAX / 2 : (int) (send_bytes + 65536);

        if (fd < 0)
                return fd;
        /* the failing attribute's offset in error reports, and the reports without the request */
        (void) setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
        (void) setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)) < 0 &&
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd)) < 0)
                return -errno;
        return TAKE_FD(fd);
}

/* A socket kept for the batches that fit its send buffer (one element: a fail2ban ban, an ipset entry), nfnl.h says
 * why; a bigger batch has a socket of its own */
#define KEPT_SEND_BYTES (1024 * 1024)
static NfnlKept commits = NFNL_KEPT_INIT;

/* The extended ack's attributes after an error report. */
static void read_ack_tlvs(const struct nlmsghdr *nlh, uint32_t *ret_offset, bool *ret_has_offset, char *msg,
                          size_t msg_size)
{
        const struct nlmsgerr *e = NLMSG_DATA(nlh);
        size_t off = NLMSG_HDRLEN + sizeof(*e);

        *ret_has_offset = false;
        if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
                return;
        if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
                off += e->msg.nlmsg_len - NLMSG_HDRLEN;
        off = NLMSG_ALIGN(off);
        while (off + sizeof(struct nlattr) <= nlh->nlmsg_len) {
                const struct nlattr *a = (const struct nlattr *) ((const char *) nlh + off);
                size_t len = a->nla_len;

                if (len < sizeof(*a) || off + len > nlh->nlmsg_len)
                        return;
                if (a->nla_type == NLMSGERR_ATTR_OFFS && len >= sizeof(*a) + sizeof(uint32_t)) {
                        memcpy(ret_offset, a + 1, sizeof(uint32_t));
                        *ret_has_offset = true;
                } else if (a->nla_type == NLMSGERR_ATTR_MSG && len > sizeof(*a))
                        snprintf(msg, msg_size, "%.*s", (int) (len - sizeof(*a)), (const char *) (a + 1));
                off += NLA_ALIGN(len);
        }
}

int elemio_commit(ElemBatch *b, ElemRefusal *ret)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        const struct iovec *iov;
        struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
        size_t n_iov, bytes;
        uint32_t first_seq = UINT32_MAX;
        bool kept;
        int r;

        *ret = (ElemRefusal){};
        r = elem_batch_finish(b, &iov, &n_iov, &bytes);
        if (r < 0)
                return r;
        kept = bytes <= KEPT_SEND_BYTES;
        fd = kept ? nfnl_kept_take(&commits) : -EBADF;
        if (fd < 0)
                fd = open_batch_socket(kept ? KEPT_SEND_BYTES : bytes);
        if (fd < 0)
                return fd;
        buf = malloc(RECV_BUFFER);
        if (!buf)
                return -ENOMEM;

        /* the kernel handles the whole batch inside sendmsg(): when it returns, every report is queued */
        if (sendmsg(fd,
                    &(struct msghdr){ .msg_name = &kernel,
                                      .msg_namelen = sizeof(kernel),
                                      .msg_iov = (struct iovec *) iov,
                                      .msg_iovlen = n_iov },
                    0) < 0)
                return -errno;

        for (;;) {
                ssize_t n = recv(fd, buf, RECV_BUFFER, MSG_DONTWAIT);
                size_t len;

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        return -errno;
                }
                len = (size_t) n;
                for (const struct nlmsghdr *nlh = (const void *) buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
                        const struct nlmsgerr *e = NLMSG_DATA(nlh);
                        char message[sizeof(ret->message)] = "";
                        uint32_t offset = 0;
                        bool has_offset;
                        size_t index;

                        if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ||
                            e->error == 0)
                                continue;
                        /* the first refused message names the first bad element */
                        if (e->msg.nlmsg_seq >= first_seq)
                                continue;
                        first_seq = e->msg.nlmsg_seq;
                        read_ack_tlvs(nlh, &offset, &has_offset, message, sizeof(message));
                        *ret = (ElemRefusal){ .error = -e->error };
                        snprintf(ret->message, sizeof(ret->message), "%s", message);
                        if (has_offset && elem_batch_element_at(b, e->msg.nlmsg_seq, offset, &index) == 0) {
                                ret->has_index = true;
                                ret->index = index;
                        }
                }
        }
        if (kept) /* every report read */
                nfnl_kept_give(&commits, TAKE_FD(fd));
        return 0;
}

/* Where the elements of an answer go. */
typedef struct Delivery {
        int (*f)(const RawElement *e, void *userdata);
        void *userdata;
} Delivery;

static int deliver(const struct nlmsghdr *nlh, void *userdata)
{
        const Delivery *d = userdata;

        if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFT_MSG_NEWSETELEM)
                return 0;
        return elem_message_parse(nlh, d->f, d->userdata);
}

int elemio_dump(int family, const char *table, const char *set, int (*f)(const RawElement *e, void *userdata),
                void *userdata)
{
        char req[1024];
        int len;

        len = elem_build_get(req, sizeof(req), 1, family, table, set, NULL, 0, NULL, 0);
        if (len < 0)
                return len;
        return nfnl_request(req, (size_t) len, deliver, &(Delivery){ f, userdata });
}

static int ignore(const RawElement *e _unused_, void *userdata _unused_)
{
        return 0;
}

int elemio_get(int family, const char *table, const char *set, const uint8_t *key, const uint8_t *key_end,
               size_t key_len, int (*f)(const RawElement *e, void *userdata), void *userdata, bool *ret_found)
{
        char req[2048];
        int len, r;

        len = elem_build_get(req, sizeof(req), 1, family, table, set, key, key_len, key_end, key_end ? key_len : 0);
        if (len < 0)
                return len;
        /* the kernel answers a key it does not hold with ENOENT */
        r = nfnl_request(req, (size_t) len, deliver, &(Delivery){ f ? f : ignore, userdata });
        if (r < 0 && r != -ENOENT)
                return r;
        *ret_found = r == 0;
        return 0;
}
