/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Not for pure code: the pure library is built with NFTBUS_PURE (service/meson.build). */
#ifdef NFTBUS_PURE
#error "pure code (common/, core/, auth/actions, netlink/nfmsg, netlink/elembatch) cannot include this layer"
#endif

/* The framing between nftbusd and its executor over a SOCK_STREAM socketpair: one request, then one
 * reply, each a fixed header followed by its payload. */

#include <stddef.h>
#include <stdint.h>

enum {
        EXEC_ECHO = 1 << 0,       /* report what was added, with handles (NFT_CTX_OUTPUT_ECHO) */
        EXEC_DRY_RUN = 1 << 1,    /* validate in the kernel, then abort the transaction */
        EXEC_TERSE = 1 << 2,      /* listings without set elements (NFT_CTX_OUTPUT_TERSE) */
        EXEC_NFT_SYNTAX = 1 << 3, /* the payload is nft syntax, not JSON; the output is nft's text too */
        EXEC_FRESH = 1 << 4,      /* a new libnftables context: its cache does not know what a reset did */
        EXEC_LOCATE = 1 << 5,     /* when a JSON batch fails, find its failing command (dry runs) and say it */
        EXEC_REPLACE = 1 << 6,    /* the tables the batch declares are made anew (batch_replacing()) */
};

#define EXEC_FLAGS (EXEC_ECHO | EXEC_DRY_RUN | EXEC_TERSE | EXEC_NFT_SYNTAX | EXEC_FRESH | EXEC_LOCATE | EXEC_REPLACE)

typedef struct ExecRequestHeader {
        uint32_t flags;
        uint32_t reserved;
        uint64_t size; /* payload: a libnftables JSON batch or nft syntax, no terminating NUL */
} ExecRequestHeader;

typedef struct ExecReplyHeader {
        int32_t nft_rc; /* nft_run_cmd_from_buffer()'s return value */
        uint32_t reserved;
        uint64_t output_size;
        uint64_t error_size;
} ExecReplyHeader;

/* Nothing legitimate comes near this; a larger frame means a broken peer. */
#define EXEC_FRAME_MAX (UINT64_C(1) << 34)

/* Runs the executor loop on fd until the other end closes it. Returns an exit status. */
int executor_child_main(int fd);
