/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nftables/changes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bussize.h"
#include "nftables/node.h"
#include "common/objpath.h"
#include "common/util.h"
#include "common/validate.h"
#include "log.h"
#include "core/nftsyntax.h"
#include "core/rulechanges.h"

/* What one transaction changed in one chain or set. */
typedef struct Change {
        char *path;
        bool chain, map;
        int family;
        char *table, *name;
        RuleChanges events;
        RuleOutcome outcome;
        uint64_t elements_added, elements_removed;
} Change;

/* The rules of one table as the executor lists them after a transaction (rule handles are unique in a
 * table), sorted by handle. Shared: a listing queued and not started yet serves every transaction that
 * ends before it starts, so that a stream of small transactions costs one listing at a time per table,
 * however slow the listing. */
typedef struct TableRules {
        unsigned n_ref;
        Context *context;
        int family;
        char *table;
        uint64_t ticket; /* the executor's number for the listing */
        bool done;
        RuleEntry *rules;
        size_t n_rules;
} TableRules;

struct ChangeBatch {
        ChangeBatch *next;
        Context *context;
        Change *changes;
        size_t n_changes;
        json_t *index; /* path -> position in changes, while the transaction is read */
        TableRules **listings;
        size_t n_listings;
};

static TableRules *table_rules_unref(TableRules *l)
{
        if (!l || --l->n_ref > 0)
                return NULL;
        rule_entries_free(l->rules, l->n_rules);
        free(l->table);
        free(l);
        return NULL;
}

static ChangeBatch *batch_free(ChangeBatch *b)
{
        if (!b)
                return NULL;
        for (size_t i = 0; i < b->n_changes; i++) {
                Change *ch = &b->changes[i];
                free(ch->path);
                free(ch->table);
                free(ch->name);
                rule_changes_done(&ch->events);
                rule_outcome_done(&ch->outcome);
        }
        for (size_t i = 0; i < b->n_listings; i++)
                table_rules_unref(b->listings[i]);
        free(b->listings);
        free(b->changes);
        json_decref(b->index);
        free(b);
        return NULL;
}

static ChangeBatch *batch_new(Context *c)
{
        ChangeBatch *b = calloc(1, sizeof(*b));

        if (!b)
                return NULL;
        b->context = c;
        b->index = json_object();
        if (!b->index)
                return batch_free(b);
        return b;
}

/* The change of node n in the transaction being read, made on its first event. */
static Change *change_of(Context *c, Node *n)
{
        ChangeBatch *b = c->changes_reading;
        json_t *position;
        Change *changes, *ch;

        if (!b && !(b = c->changes_reading = batch_new(c)))
                return NULL;
        position = json_object_get(b->index, n->path);
        if (position)
                return &b->changes[json_integer_value(position)];
        changes = realloc(b->changes, (b->n_changes + 1) * sizeof(Change));
        if (!changes)
                return NULL;
        b->changes = changes;
        ch = &b->changes[b->n_changes];
        *ch = (Change){ .chain = n->kind == NFT_KIND_CHAIN,
                        .map = n->kind == NFT_KIND_MAP,
                        .family = n->table->family };
        ch->path = strdup(n->path);
        ch->table = strdup(n->table->name);
        ch->name = strdup(n->name);
        if (!ch->path || !ch->table || !ch->name ||
            json_object_set_new(b->index, n->path, json_integer((json_int_t) b->n_changes)) < 0) {
                free(ch->path);
                free(ch->table);
                free(ch->name);
                return NULL;
        }
        b->n_changes++;
        return ch;
}

/* The change of a chain, set or map, found by name in the mirror; NULL while nobody is subscribed. */
static Change *change_find(Context *c, int family, const char *table, NftKind kind, const char *name)
{
        Table *t;
        Node *n;

        if (!c->subscribers || !c->bus)
                return NULL;
        t = mirror_find_table(c->mirror, family, table);
        n = !t                       ? NULL
            : kind == NFT_KIND_CHAIN ? table_find_node(t, NFT_KIND_CHAIN, name)
                                     : table_find_node(t, NFT_KIND_SET, name) ?: table_find_node(t, NFT_KIND_MAP, name);
        return n ? change_of(c, n) : NULL;
}

static void note_elements(Context *c, int family, const char *table, const char *set, uint64_t added, uint64_t removed)
{
        Change *ch = change_find(c, family, table, NFT_KIND_SET, set);

        if (ch) {
                ch->elements_added += added;
                ch->elements_removed += removed;
        }
}

void changes_note(Context *c, const NftMessage *msg)
{
        Change *ch;

        if (msg->kind == NFT_KIND_ELEMENTS) {
                note_elements(c, msg->family, msg->table, msg->name, msg->deleted ? 0 : msg->n_elements,
                              msg->deleted ? msg->n_elements : 0);
                return;
        }
        ch = change_find(c, msg->family, msg->table, NFT_KIND_CHAIN, msg->chain);
        if (ch)
                (void) rule_changes_note(&ch->events, msg->handle, msg->deleted);
}

static TableRules *listing_of(const ChangeBatch *b, int family, const char *table)
{
        for (size_t i = 0; i < b->n_listings; i++)
                if (b->listings[i]->family == family && streq(b->listings[i]->table, table))
                        return b->listings[i];
        return NULL;
}

static int compare_handles(const void *a, const void *b)
{
        uint64_t x = ((const RuleEntry *) a)->handle, y = ((const RuleEntry *) b)->handle;

        return x < y ? -1 : x > y;
}

static const RuleEntry *find_rule(const TableRules *l, uint64_t handle)
{
        RuleEntry key = { .handle = handle };

        return l && l->n_rules ? bsearch(&key, l->rules, l->n_rules, sizeof(RuleEntry), compare_handles) : NULL;
}

/* How many handles a list of the outcome holds: none for a bulk change, which is counts only. */
static uint64_t listed(const uint64_t *handles, uint64_t n)
{
        return handles ? n : 0;
}

static size_t size_rules(size_t size, const TableRules *l, const uint64_t *handles, uint64_t n)
{
        size = dbus_size_array_start(size, 8);
        for (uint64_t i = 0; i < n; i++) {
                const RuleEntry *e = find_rule(l, handles[i]);
                size = dbus_size_string(dbus_size_string(dbus_size_u64(size), e ? strlen(e->text) : 0),
                                        e ? strlen(strempty(e->comment)) : 0);
        }
        return size;
}

/* The signal's size with the texts: a signal over the bus's limit would cost nftbusd its connection. */
static size_t rules_signal_size(const TableRules *l, const RuleOutcome *o)
{
        size_t size = dbus_size_u64(dbus_size_u64(dbus_size_u64(0)));

        size = size_rules(size, l, o->added, listed(o->added, o->n_added));
        size = dbus_size_array_start(size, 8) + listed(o->removed, o->n_removed) * 8;
        return size_rules(size, l, o->replaced, listed(o->replaced, o->n_replaced));
}

/* a(tss): handle, text, comment; the texts empty when the listing has none of the rule */
static int append_rules(sd_bus_message *m, const TableRules *l, const uint64_t *handles, uint64_t n)
{
        int r = sd_bus_message_open_container(m, 'a', "(tss)");

        for (uint64_t i = 0; r >= 0 && i < n; i++) {
                const RuleEntry *e = find_rule(l, handles[i]);
                r = sd_bus_message_append(m, "(tss)", handles[i], e ? e->text : "", e ? strempty(e->comment) : "");
        }
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* Whether the chain or set is still on the bus: one deleted (a table deleted with its rules, say) has had
 * its InterfacesRemoved, and no content signal follows it. */
static bool change_object_exists(Context *c, const Change *ch)
{
        Table *t = mirror_find_table(c->mirror, ch->family, ch->table);

        if (!t)
                return false;
        if (ch->chain)
                return table_find_node(t, NFT_KIND_CHAIN, ch->name);
        return table_find_node(t, ch->map ? NFT_KIND_MAP : NFT_KIND_SET, ch->name);
}

static int send_change(Context *c, const ChangeBatch *b, const Change *ch)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        const RuleOutcome *o = &ch->outcome;
        int r;

        if (!change_object_exists(c, ch))
                return 0;
        if (ch->chain) {
                const TableRules *l = listing_of(b, ch->family, ch->table);

                if (o->n_added + o->n_removed + o->n_replaced == 0)
                        return 0;
                if (rules_signal_size(l, o) + DBUS_HEADER_ALLOWANCE > c->message_max)
                        l = NULL; /* the handles without their texts */
                r = sd_bus_message_new_signal(c->bus, &m, ch->path, NFTBUS_CHAIN_INTERFACE, "RulesChanged");
                if (r >= 0)
                        r = sd_bus_message_append(m, "ttt", o->n_added, o->n_removed, o->n_replaced);
                if (r >= 0)
                        r = append_rules(m, l, o->added, listed(o->added, o->n_added));
                if (r >= 0)
                        r = sd_bus_message_append_array(m, 't', o->removed, listed(o->removed, o->n_removed) * 8);
                if (r >= 0)
                        r = append_rules(m, l, o->replaced, listed(o->replaced, o->n_replaced));
        } else {
                if (ch->elements_added + ch->elements_removed == 0)
                        return 0;
                r = sd_bus_message_new_signal(c->bus, &m, ch->path,
                                              ch->map ? NFTBUS_MAP_INTERFACE : NFTBUS_SET_INTERFACE,
                                              "ElementsChanged");
                if (r >= 0)
                        r = sd_bus_message_append(m, "tt", ch->elements_added, ch->elements_removed);
        }
        if (r >= 0)
                r = sd_bus_send(c->bus, m, NULL);
        return r;
}

static bool batch_ready(const ChangeBatch *b)
{
        for (size_t i = 0; i < b->n_listings; i++)
                if (!b->listings[i]->done)
                        return false;
        return true;
}

/* The batches go out in the order of their transactions, each once its listings are back. */
static void send_ready(Context *c)
{
        while (c->changes_queue && batch_ready(c->changes_queue)) {
                ChangeBatch *b = c->changes_queue;

                c->changes_queue = b->next;
                for (size_t i = 0; c->bus && i < b->n_changes; i++) {
                        int r = send_change(c, b, &b->changes[i]);
                        if (r < 0)
                                log_debug_errno(r, "Failed to send the changes of %s, ignoring: %m",
                                                b->changes[i].path);
                }
                batch_free(b);
        }
}

static void on_listing(int r, const ExecReply *reply, void *userdata)
{
        TableRules *l = userdata;
        Context *c = l->context;

        /* a table deleted since, or a listing that failed, leaves the texts empty */
        if (r >= 0 && reply->nft_rc == 0 && rule_listing_parse(reply->output, &l->rules, &l->n_rules) >= 0)
                qsort(l->rules, l->n_rules, sizeof(RuleEntry), compare_handles);
        l->done = true;
        table_rules_unref(l);
        send_ready(c);
}

/* A listing of the table queued for an earlier transaction and not started yet, if there is one. */
static TableRules *listing_waiting(Context *c, int family, const char *table)
{
        for (ChangeBatch *b = c->changes_queue; b; b = b->next) {
                TableRules *l = listing_of(b, family, table);
                if (l && !l->done && !executor_started(c->executor, l->ticket))
                        return l;
        }
        return NULL;
}

/* The texts of the rules a transaction added or replaced: their tables listed by the executor in its
 * turn, terse (the rules, not the sets' elements), each once. */
static int request_texts(Context *c, ChangeBatch *b, const Change *ch)
{
        _cleanup_free_ char *text = NULL;
        TableRules **listings, *l;
        size_t size;
        int r;

        if (ch->outcome.n_added + ch->outcome.n_replaced == 0 || ch->events.bulk ||
            listing_of(b, ch->family, ch->table) || !change_object_exists(c, ch) ||
            validate_object_name("table", ch->table, NULL) < 0)
                return 0;
        listings = realloc(b->listings, (b->n_listings + 1) * sizeof(TableRules *));
        if (!listings)
                return -ENOMEM;
        b->listings = listings;
        l = listing_waiting(c, ch->family, ch->table);
        if (l) {
                l->n_ref++;
                b->listings[b->n_listings++] = l;
                return 0;
        }
        if (asprintf(&text, "list table %s %s", family_to_string(ch->family), ch->table) < 0)
                return -ENOMEM;
        l = malloc(sizeof(*l));
        if (!l)
                return -ENOMEM;
        *l = (TableRules){ .n_ref = 2, .context = c, .family = ch->family, .table = strdup(ch->table) };
        if (!l->table) {
                free(l);
                return -ENOMEM;
        }
        size = strlen(text);
        r = executor_submit(c->executor, EXEC_NFT_SYNTAX | EXEC_TERSE, TAKE_PTR(text), size, on_listing, l);
        if (r < 0) {
                free(l->table);
                free(l);
                return r;
        }
        l->ticket = executor_last_queued(c->executor);
        b->listings[b->n_listings++] = l; /* one reference the batch's, the other the job's */
        return 0;
}

static void queue(Context *c, ChangeBatch *b)
{
        ChangeBatch **tail = &c->changes_queue;

        while (*tail)
                tail = &(*tail)->next;
        *tail = b;
        send_ready(c);
}

void changes_end_transaction(Context *c)
{
        ChangeBatch *b = TAKE_PTR(c->changes_reading);

        if (!b)
                return;
        for (size_t i = 0; i < b->n_changes; i++) {
                Change *ch = &b->changes[i];
                int r;

                if (!ch->chain)
                        continue;
                r = rule_changes_settle(&ch->events, &ch->outcome);
                if (r >= 0 && c->executor)
                        r = request_texts(c, b, ch);
                if (r < 0)
                        log_debug_errno(r, "Failed to read the rules %s changed, ignoring: %m", ch->path);
        }
        json_decref(b->index);
        b->index = NULL;
        queue(c, b);
}

void changes_forget(Context *c)
{
        c->changes_reading = batch_free(c->changes_reading);
}

void changes_announce_elements(Context *c, int family, const char *table, const char *set, uint64_t added,
                               uint64_t removed)
{
        ChangeBatch *reading = TAKE_PTR(c->changes_reading);

        /* a batch of its own, whatever transaction is being read meanwhile */
        note_elements(c, family, table, set, added, removed);
        changes_end_transaction(c);
        c->changes_reading = reading;
}

void changes_free(Context *c)
{
        c->changes_reading = batch_free(c->changes_reading);
        while (c->changes_queue) {
                ChangeBatch *b = c->changes_queue;
                c->changes_queue = b->next;
                batch_free(b);
        }
}
