/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bus/call.h"
#include "common/errors.h"
#include "log.h"
#include "core/nftsyntax.h"
#include "bus/options.h"
#include "state/files.h"
#include "nftables/persist.h"
#include "core/statefile.h"
#include "common/util.h"
#include "common/validate.h"

typedef struct Restore {
        Context *context;
        void (*done)(Context *c);
} Restore;

const char *persist_directory(void)
{
        static char dir[4096];
        const char *env = getenv("STATE_DIRECTORY");

        if (!env || !*env)
                return "/var/lib/nftbus";
        /* several directories are separated by ':'; ours is the first */
        snprintf(dir, sizeof(dir), "%.*s", (int) strcspn(env, ":"), env);
        return dir;
}

/* The saved ruleset is read only when it is a regular file of a sane size (state/files.h): the service
 * takes its name only after the restore. */
#define PERSIST_FILE_MAX (256 * 1024 * 1024)

static void set_restore_error(Context *c, const char *text)
{
        free(c->restore_error);
        c->restore_error = strdup(text);
        log_warning("%s", text);
}

/* Moves the damaged file aside, with the time in its name, and says so. */
static void set_aside(Context *c, const char *path, const char *why)
{
        _cleanup_free_ char *aside = NULL, *text = NULL;

        if (asprintf(&aside, "%s.damaged-%lld", path, (long long) time(NULL)) < 0)
                return;
        if (rename(path, aside) < 0) {
                free(aside);
                aside = NULL;
        }
        if (asprintf(&text, "%s; nothing was restored from it%s%s", why, aside ? ", it is kept as " : "",
                     aside ? aside : "") >= 0)
                set_restore_error(c, text);
}

static void on_restored(int r, const ExecReply *reply, void *userdata)
{
        Restore *restore = userdata;
        Context *c = restore->context;

        if (r < 0 || reply->nft_rc != 0) {
                _cleanup_free_ char *text = NULL, *message = r < 0 ? NULL : nft_error_message(reply->error);
                if (asprintf(&text, "nftables refused the saved ruleset %s/%s: %s; nothing was restored",
                             persist_directory(), PERSIST_FILE, message ? message : strerror(r < 0 ? -r : EIO)) >= 0)
                        set_restore_error(c, text);
        } else
                log_info("Restored the saved ruleset %s/%s", persist_directory(), PERSIST_FILE);
        restore->done(c);
        free(restore);
}

void persist_restore(Context *c, void (*done)(Context *c))
{
        _cleanup_free_ char *path = NULL, *content = NULL, *why = NULL, *batch = NULL;
        StateTable *tables = NULL;
        size_t n = 0, size = 0;
        Restore *restore;
        FILE *f;
        int r;

        if (asprintf(&path, "%s/%s", persist_directory(), PERSIST_FILE) < 0)
                return done(c);
        r = file_read_regular(path, PERSIST_FILE_MAX, &content);
        if (r == -ENOENT)
                return done(c);
        if (r < 0) {
                _cleanup_free_ char *text = NULL;
                if (asprintf(&text, "The saved ruleset %s cannot be read (%s)", path,
                             r == -EMEDIUMTYPE ? "it is not a regular file"
                             : r == -EFBIG     ? "it is larger than 256 MiB"
                                               : strerror(-r)) >= 0)
                        set_aside(c, path, text);
                return done(c);
        }
        r = state_file_parse(content, &tables, &n, &why);
        if (r < 0) {
                _cleanup_free_ char *text = NULL;
                if (asprintf(&text, "%s (%s)", why ? why : "The saved ruleset cannot be read", path) >= 0)
                        set_aside(c, path, text);
                return done(c);
        }

        /* only what is missing: a restart of the service must not undo what happened since the save */
        f = open_memstream(&batch, &size);
        if (!f) {
                state_tables_free(tables, n);
                return done(c);
        }
        for (size_t i = 0; i < n; i++)
                if (!mirror_find_table(c->mirror, family_from_string(tables[i].family), tables[i].name))
                        fputs(tables[i].text, f);
        state_tables_free(tables, n);
        if (fclose(f) != 0 || !batch || !*batch)
                return done(c);

        restore = calloc(1, sizeof(Restore));
        if (!restore)
                return done(c);
        *restore = (Restore){ c, done };
        r = executor_submit(c->executor, EXEC_NFT_SYNTAX, TAKE_PTR(batch), size, on_restored, restore);
        if (r < 0) {
                free(restore);
                set_restore_error(c, "The nftables executor could not take the saved ruleset; nothing was restored");
                done(c);
        }
}

/* Whether the table is in list (of "FAMILY NAME") */
static bool listed(char **list, const char *family, const char *name)
{
        char text[300];

        snprintf(text, sizeof(text), "%s %s", family, name);
        for (char **l = list; l && *l; l++)
                if (streq(*l, text))
                        return true;
        return false;
}

/* The "FAMILY NAME" of the tables in the saved file now, for Save: they stay managed across restarts. */
static char **saved_tables(void)
{
        _cleanup_free_ char *path = NULL, *content = NULL;
        StateTable *tables = NULL;
        size_t n = 0;
        char **names;

        if (asprintf(&path, "%s/%s", persist_directory(), PERSIST_FILE) < 0 ||
            file_read_regular(path, PERSIST_FILE_MAX, &content) < 0 ||
            state_file_parse(content, &tables, &n, NULL) < 0)
                return NULL;
        names = calloc(n + 1, sizeof(char *));
        for (size_t i = 0, k = 0; names && i < n; i++)
                if (asprintf(&names[k], "%s %s", tables[i].family, tables[i].name) >= 0)
                        k++;
        state_tables_free(tables, n);
        return names;
}

/* nft lists one table per command: the whole ruleset is listed, and the managed tables kept. */
static int on_listed(Context *c, sd_bus_message *m, const ExecReply *reply, const char *object _unused_)
{
        _cleanup_free_ char *listing = strdup(strempty(reply->output)), *kept = NULL, *content = NULL;
        _cleanup_strv_free_ char **extra = NULL, **saved = saved_tables();
        StateTable *tables = NULL;
        size_t n = 0, size = 0;
        FILE *f;
        int r;

        if (!listing)
                return -ENOMEM;
        /* the tables option, again */
        r = sd_bus_message_rewind(m, true);
        if (r >= 0)
                r = options_read(m, (const OptionSpec[]){ { "tables", "as", &extra }, {} }, NULL);
        if (r < 0)
                return r;
        listing_strip_handles(listing);
        r = state_tables_split(listing, strlen(listing), &tables, &n, NULL);
        if (r < 0)
                return sd_bus_reply_method_errorf(m, NFTBUS_ERROR_REJECTED, "Could not read nft's listing");
        f = open_memstream(&kept, &size);
        if (!f) {
                state_tables_free(tables, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                Table *t = mirror_find_table(c->mirror, family_from_string(tables[i].family), tables[i].name);
                if (!t || !(t->managed || listed(extra, tables[i].family, tables[i].name) ||
                            listed(saved, tables[i].family, tables[i].name)))
                        continue;
                t->managed = true;
                fprintf(f, "%s%s", size > 0 ? "\n" : "", tables[i].text);
                fflush(f);
        }
        state_tables_free(tables, n);
        if (fclose(f) != 0)
                return -ENOMEM;
        r = state_file_compose(strempty(kept), &content);
        if (r >= 0)
                r = file_write_atomic(persist_directory(), PERSIST_FILE, content);
        if (r < 0)
                return sd_bus_reply_method_errorf(m, NFTBUS_ERROR_REJECTED, "Could not write %s/%s: %s",
                                                  persist_directory(), PERSIST_FILE, strerror(-r));
        return sd_bus_reply_method_return(m, NULL);
}

int persist_save(Context *c, sd_bus_message *m, sd_bus_error *error)
{
        return call_execute(c, m,
                            &(CallRequest){ .text = "list ruleset",
                                            .flags = EXEC_NFT_SYNTAX,
                                            .object = "saved ruleset",
                                            .on_success = on_listed },
                            error);
}
