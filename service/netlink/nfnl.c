/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "netlink/nfnl.h"
#include "common/util.h"

/* a dump's datagrams are at most 32 KiB; events and reports can be bigger */
#define RECV_BUFFER (128 * 1024)

int nfnl_open(unsigned group, int rcvbuf)
{
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | (group ? SOCK_NONBLOCK : 0), NETLINK_NETFILTER);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return -errno;
        if (group && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
                return -errno;
        if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
                (void) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
        return TAKE_FD(fd);
}

int nfnl_datagram(const void *buf, size_t len, nfnl_message_t f, void *userdata)
{
        for (const struct nlmsghdr *nlh = buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
                int r;

                if (nlh->nlmsg_type == NLMSG_DONE)
                        return 1;
                if (nlh->nlmsg_type == NLMSG_ERROR) {
                        const struct nlmsgerr *e = NLMSG_DATA(nlh);
                        if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
                                return -EBADMSG;
                        return e->error != 0 ? e->error : 1;
                }
                r = f(nlh, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int nfnl_kept_take(NfnlKept *k)
{
        int fd;

        pthread_mutex_lock(&k->lock);
        fd = k->fd;
        k->fd = -EBADF;
        pthread_mutex_unlock(&k->lock);
        return fd;
}

void nfnl_kept_give(NfnlKept *k, int fd)
{
        pthread_mutex_lock(&k->lock);
        if (k->fd < 0) {
                k->fd = fd;
                fd = -EBADF;
        }
        pthread_mutex_unlock(&k->lock);
        safe_close(fd); /* one is kept already */
}

/* the answer to req on fd: 0 when it is all read */
static int request_on(int fd, const void *req, size_t size, nfnl_message_t f, void *userdata)
{
        _cleanup_free_ char *buf = NULL;

        if (send(fd, req, size, 0) < 0)
                return -errno;
        buf = malloc(RECV_BUFFER);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n = recv(fd, buf, RECV_BUFFER, 0);
                int r;

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                r = nfnl_datagram(buf, (size_t) n, f, userdata);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
}

int nfnl_request(const void *req, size_t size, nfnl_message_t f, void *userdata)
{
        static NfnlKept requests = NFNL_KEPT_INIT;
        int fd = nfnl_kept_take(&requests), r;

        if (fd < 0)
                fd = nfnl_open(0, 0);
        if (fd < 0)
                return fd;
        r = request_on(fd, req, size, f, userdata);
        if (r == 0)
                nfnl_kept_give(&requests, fd);
        else /* part of an answer may be left in it */
                safe_close(fd);
        return r;
}
