/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The executor: the only code that touches libnftables. It runs in a process of its own because
 * libnftables keeps process-global state and exits or aborts on allocation and netlink faults; a crash
 * here costs one failed call, not the service. */

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <jansson.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "executor/frame.h"
#include "common/util.h"
#include "core/batch.h"
#include "core/nftsyntax.h"

static void nft_ctx_freep(struct nft_ctx **ctx)
{
        if (*ctx)
                nft_ctx_free(*ctx);
}

/* A batch of several lines in nft syntax is read from a file (a memfd): libnftables then names the line
 * of an error and quotes it, where from a buffer it quotes the first line whatever failed. */
static int run_text(struct nft_ctx *ctx, const ExecRequestHeader *req, const char *payload)
{
        _cleanup_close_ int mfd = -EBADF;
        char path[64];

        if (!(req->flags & EXEC_NFT_SYNTAX) || !strchr(payload, '\n'))
                return nft_run_cmd_from_buffer(ctx, payload);
        mfd = memfd_create("nftbus-batch", MFD_CLOEXEC);
        if (mfd < 0 || write_full(mfd, payload, strlen(payload)) < 0)
                return nft_run_cmd_from_buffer(ctx, payload);
        snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
        return nft_run_cmd_from_filename(ctx, path);
}

/* Whether the first k commands of a JSON batch fail, by a dry run; the buffers' contents are dropped. */
static bool prefix_fails(struct nft_ctx *ctx, json_t *items, size_t k)
{
        _cleanup_(json_decrefp) json_t *prefix = json_array(), *batch = json_object();
        _cleanup_free_ char *text = NULL;
        int rc;

        for (size_t i = 0; i < k; i++)
                json_array_append(prefix, json_array_get(items, i));
        json_object_set(batch, "nftables", prefix);
        text = json_dumps(batch, JSON_COMPACT);
        if (!text)
                return false;
        nft_ctx_set_dry_run(ctx, true);
        rc = nft_run_cmd_from_buffer(ctx, text);
        (void) nft_ctx_get_output_buffer(ctx);
        (void) nft_ctx_get_error_buffer(ctx);
        return rc != 0;
}

/* libnftables' JSON errors name no command: the first failing one is found by dry runs of prefixes
 * (a binary search) and written after the error, "The failing command is number N: {...}". */
static char *locate_failing(struct nft_ctx *ctx, const char *payload, size_t prepended, const char *error)
{
        _cleanup_(json_decrefp) json_t *root = json_loads(payload, 0, NULL);
        json_t *items = json_object_get(root, "nftables");
        size_t lo = 1, hi = json_array_size(items);
        _cleanup_free_ char *command = NULL;
        char *out;

        if (hi < 2)
                return NULL;
        if (!prefix_fails(ctx, items, hi))
                return NULL; /* it fails only together with the commit: nothing to tell */
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (prefix_fails(ctx, items, mid))
                        hi = mid;
                else
                        lo = mid + 1;
        }
        if (lo <= prepended)
                return NULL; /* one of nftbus's own: the caller cannot be told a number of theirs */
        command = json_dumps(json_array_get(items, lo - 1), JSON_COMPACT);
        if (!command)
                return NULL;
        if (strlen(command) > 400)
                strcpy(command + 396, "...}");
        return asprintf(&out, "%s\nThe failing command is number %zu: %s\n", strempty(error), lo - prepended,
                        command) < 0
                       ? NULL
                       : out;
}

static int write_reply(int fd, ExecReplyHeader *reply, const char *out, const char *err)
{
        int r;

        reply->output_size = strlen(strempty(out));
        reply->error_size = strlen(strempty(err));
        r = write_full(fd, reply, sizeof(*reply));
        if (r >= 0)
                r = write_full(fd, strempty(out), reply->output_size);
        if (r >= 0)
                r = write_full(fd, strempty(err), reply->error_size);
        return r;
}

static int run_one(struct nft_ctx *ctx, int fd, const ExecRequestHeader *req, const char *payload)
{
        _cleanup_free_ char *replacing = NULL, *why_not = NULL;
        size_t prepended = 0;
        /* with JSON output, libnftables 1.0.6 reads input as JSON first and falls back to nft syntax */
        unsigned output = (req->flags & EXEC_NFT_SYNTAX ? 0 : NFT_CTX_OUTPUT_JSON) | NFT_CTX_OUTPUT_HANDLE;
        ExecReplyHeader reply = {};
        _cleanup_free_ char *out_copy = NULL, *err_copy = NULL;
        const char *out, *err;
        int r;

        if (req->flags & EXEC_ECHO)
                output |= NFT_CTX_OUTPUT_ECHO;
        if (req->flags & EXEC_TERSE)
                output |= NFT_CTX_OUTPUT_TERSE;
        nft_ctx_output_set_flags(ctx, output);
        nft_ctx_set_dry_run(ctx, !!(req->flags & EXEC_DRY_RUN));

        if (req->flags & EXEC_REPLACE) {
                r = batch_replacing(payload, !(req->flags & EXEC_NFT_SYNTAX), &replacing, &prepended, &why_not);
                if (r < 0) {
                        reply.nft_rc = 1;
                        return write_reply(fd, &reply, NULL, why_not ? why_not : "Out of memory");
                }
                payload = replacing;
        }
        reply.nft_rc = run_text(ctx, req, payload);
        out = nft_ctx_get_output_buffer(ctx);
        err = nft_ctx_get_error_buffer(ctx);
        if (reply.nft_rc != 0 && (req->flags & EXEC_LOCATE) && !(req->flags & EXEC_NFT_SYNTAX)) {
                /* the buffers are reused by the dry runs */
                out_copy = strdup(strempty(out));
                err_copy = locate_failing(ctx, payload, prepended, err);
                if (!err_copy)
                        err_copy = strdup(strempty(err));
                nft_ctx_set_dry_run(ctx, !!(req->flags & EXEC_DRY_RUN));
                out = out_copy;
                err = err_copy;
        }
        return write_reply(fd, &reply, out, err);
}

static struct nft_ctx *context_new(void)
{
        struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);

        if (ctx && (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0)) {
                nft_ctx_free(ctx);
                return NULL;
        }
        return ctx;
}

/* How long the executor waits for the next job before it lets its memory go. */
#define REST_MS 1000

static bool readable_within(int fd, int timeout_ms)
{
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r;

        do
                r = poll(&p, 1, timeout_ms);
        while (r < 0 && errno == EINTR);
        return r != 0;
}

int executor_child_main(int fd)
{
        _cleanup_(nft_ctx_freep) struct nft_ctx *ctx = NULL;
        bool stale = false; /* the last job's dry run left its objects in ctx's cache */

        /* die with nftbusd, whatever kills it */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
                return EXIT_FAILURE;
        /* exec'd through a descriptor, the process would be called by its number */
        (void) prctl(PR_SET_NAME, "nftbus-executor");

        ctx = context_new();
        if (!ctx)
                return EXIT_FAILURE;

        for (;;) {
                _cleanup_free_ char *payload = NULL;
                ExecRequestHeader req;
                int r;

                /* at rest, libnftables' cache goes (after 10,000 rules, 40 MB of it) and the heap with it:
                 * the next job reads the ruleset anew, as it would after any change by someone else */
                if (ctx && !readable_within(fd, REST_MS)) {
                        nft_ctx_free(TAKE_PTR(ctx));
                        (void) malloc_trim(0);
                }
                r = read_full(fd, &req, sizeof(req));
                if (r == -EPIPE)
                        return EXIT_SUCCESS; /* nftbusd closed the socket: a clean stop */
                if (r < 0 || req.size >= EXEC_FRAME_MAX)
                        return EXIT_FAILURE;

                payload = malloc(req.size + 1);
                if (!payload)
                        return EXIT_FAILURE;
                r = read_full(fd, payload, req.size);
                if (r < 0)
                        return EXIT_FAILURE;
                payload[req.size] = '\0';

                /* A fresh libnftables context for this job when its cache cannot be trusted: it
                 * revalidates by the ruleset's generation, which a reset of stateful objects does not
                 * change (EXEC_FRESH); and a dry run (Apply's check, or the dry runs that find a failing
                 * command) leaves what the aborted transaction would have made in it: an interval set
                 * checked first was then "conflicting intervals" when applied. */
                if (!ctx || stale || (req.flags & EXEC_FRESH)) {
                        if (ctx)
                                nft_ctx_free(TAKE_PTR(ctx));
                        ctx = context_new();
                        if (!ctx)
                                return EXIT_FAILURE;
                }
                stale = req.flags & (EXEC_DRY_RUN | EXEC_LOCATE);

                if (run_one(ctx, fd, &req, payload) < 0)
                        return EXIT_FAILURE;
        }
}
