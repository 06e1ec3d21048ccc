/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gp-probe-batch.h"
#include "gp-secret-snapshot.h"
#include "gp-verdict.h"

/* Tests many profiles at once, as `test --all` and the window's "Test All
 * Profiles" do: each password read from the keyring (in a worker thread),
 * at most max_in_flight probes at a time so that 1,000 profiles do not
 * exhaust file descriptors, the results in profile order. ::result tells
 * of each as it comes, with the keyring item's modification time.
 *
 * A cancelled run records nothing more: no ::result for the profiles it
 * did not finish, so that each keeps its previous result.
 *
 * When the secret store has a budget (headless) and it runs out, every
 * lookup still waiting fails at once, and every profile not yet started
 * that needs a password gets keyring-error without asking again.
 *
 * Many profiles with passwords are read from the keyring in one go (a
 * snapshot): a thousand lookups one by one take seconds, more than the
 * headless budget allows on a busy machine. The snapshot has no
 * modification times, which only a rejected password's result needs
 * (clear-stale compares it with the item's): those few are asked for
 * after their test, see confirm_rejected (). */

/* From how many passwords on one read of the whole keyring is cheaper. */
#define SNAPSHOT_MIN_PROFILES 8

struct _GpProbeBatch
{
  GObject         parent_instance;

  GpProber       *prober;
  GpSecretStore  *secrets;
  guint           max_in_flight;
};

G_DEFINE_FINAL_TYPE (GpProbeBatch, gp_probe_batch, G_TYPE_OBJECT)

enum {
  RESULT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GPtrArray *profiles;
  GPtrArray *results;     /* GpProbeResult or NULL, same order */
  guint      next;
  guint      in_flight;
  guint      done;
  GError    *keyring_timeout;   /* set once the store's budget is spent, or the
                                 * snapshot could not be read: no profile asks again */
  GpSecretSnapshot *snapshot;   /* the passwords, when read in one go; it grows
                                 * part by part until snapshot_read */
  gboolean   snapshot_read;
  GQueue     waiting;           /* indices of profiles whose password has not come */
  GQueue     ready;             /* ... and has: they start first */
} Run;

typedef struct
{
  GTask     *task;        /* the batch's */
  guint      index;
  GpProfile *profile;
  char      *id;          /* copies for the keyring threads, see start_one () */
  char      *username;
  GpPassword *password;
  guint64    modified;
  gboolean   from_snapshot;  /* modified is unknown */
  GpProbeResult *result;     /* while confirm_rejected () runs */
} Slot;

/* A cancelled run leaves holes in its results. */
static void
unref_result (gpointer result)
{
  if (result != NULL)
    g_object_unref (result);
}

static void
run_free (Run *run)
{
  g_ptr_array_unref (run->profiles);
  g_ptr_array_unref (run->results);
  g_clear_error (&run->keyring_timeout);
  g_clear_pointer (&run->snapshot, gp_secret_snapshot_free);
  g_queue_clear (&run->waiting);
  g_queue_clear (&run->ready);
  g_free (run);
}

static void
slot_free (Slot *slot)
{
  g_object_unref (slot->task);
  g_object_unref (slot->profile);
  g_free (slot->id);
  g_free (slot->username);
  gp_password_free (slot->password);
  g_clear_object (&slot->result);
  g_free (slot);
}

static void start_more (GTask *task);

static void
record_result (GTask         *task,
               guint          index,
               GpProfile     *profile,
               GpProbeResult *result,
               gint64         credential_modified)
{
  GpProbeBatch *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_ptr_array_index (run->results, index) = g_object_ref (result);
  run->done++;
  g_signal_emit (self, signals[RESULT], 0, index, profile, result, credential_modified);
}

/* A cancelled test found nothing: it records no result, and the
 * profile's previous one stands. */
static gboolean
is_cancelled (GTask        *task,
              const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

/* result NULL: the test was cancelled. */
static void
slot_done (Slot          *slot,
           GpProbeResult *result,
           gint64         credential_modified)
{
  GTask *task = g_object_ref (slot->task);
  Run *run = g_task_get_task_data (task);

  if (result != NULL)
    record_result (task, slot->index, slot->profile, result, credential_modified);
  else
    run->done++;
  run->in_flight--;
  slot_free (slot);
  start_more (task);
  g_object_unref (task);
}


/* Once the store's budget is spent, no profile asks the keyring again. */
static void
note_budget_spent (Run          *run,
                   const GError *error)
{
  if (run->keyring_timeout == NULL && g_error_matches (error, GP_SECRET_ERROR, GP_SECRET_ERROR_TIMED_OUT))
    run->keyring_timeout = g_error_copy (error);
}

/* The item's modification time, read before its password: the time
 * counts only if the password is still the one that was rejected. Had it
 * changed meanwhile, the result is of a password no longer stored, and
 * has no time (-1), so that clear-stale never takes the new one for it. */
static void
confirm_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Slot *slot = task_data;
  GError *error = NULL;
  guint64 modified = 0;
  g_autoptr(GpPassword) now = gp_secret_store_lookup_full (source_object, slot->id, slot->username, &modified,
                                                           cancellable, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, now != NULL && strcmp (now, slot->password) == 0 ? (gssize) modified : -1);
}

static void
on_confirmed (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Slot *slot = user_data;
  Run *run = g_task_get_task_data (slot->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = g_steal_pointer (&slot->result);
  gssize modified = g_task_propagate_int (G_TASK (res), &error);

  if (error != NULL)
    {
      modified = -1;
      note_budget_spent (run, error);
    }
  slot_done (slot, is_cancelled (slot->task, error) ? NULL : result, modified);
}

static void
confirm_rejected (Slot          *slot,
                  GpProbeResult *result)
{
  GpProbeBatch *self = g_task_get_source_object (slot->task);
  Run *run = g_task_get_task_data (slot->task);
  g_autoptr(GTask) confirm = NULL;

  if (run->keyring_timeout != NULL)
    {
      slot_done (slot, result, -1);
      return;
    }
  slot->result = g_object_ref (result);
  confirm = g_task_new (self->secrets, g_task_get_cancellable (slot->task), on_confirmed, slot);
  g_task_set_task_data (confirm, slot, NULL);
  g_task_run_in_thread (confirm, confirm_thread);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  Slot *slot = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = gp_prober_probe_finish (GP_PROBER (source), res, &error);

  if (result == NULL && !is_cancelled (slot->task, error))
    result = gp_verdict_result_for_error (slot->profile, GP_VERDICT_UNREACHABLE, error,
                                gp_prober_get_ip_echo_url (GP_PROBER (source)));
  if (result != NULL && slot->from_snapshot && slot->password != NULL &&
      gp_probe_result_get_verdict (result) == GP_VERDICT_AUTH_REJECTED)
    {
      confirm_rejected (slot, result);
      return;
    }
  slot_done (slot, result, slot->password != NULL && !slot->from_snapshot ? (gint64) slot->modified : -1);
}

static void
probe (Slot *slot)
{
  GpProbeBatch *self = g_task_get_source_object (slot->task);

  gp_prober_probe_async (self->prober, slot->profile, slot->password,
                         g_task_get_cancellable (slot->task), on_probe_done, slot);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Slot *slot = task_data;
  GError *error = NULL;

  slot->password = gp_secret_store_lookup_full (source_object, slot->id, slot->username, &slot->modified,
                                                cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Slot *slot = user_data;
  GpProbeBatch *self = g_task_get_source_object (slot->task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error) && is_cancelled (slot->task, error))
    {
      slot_done (slot, NULL, -1);
      return;
    }
  if (error != NULL)
    {
      /* A password that cannot be read is a result, not a failure of the batch. */
      g_autoptr(GpProbeResult) result =
        gp_verdict_result_for_error (slot->profile, GP_VERDICT_KEYRING_ERROR, error, gp_prober_get_ip_echo_url (self->prober));
      note_budget_spent (g_task_get_task_data (slot->task), error);
      slot_done (slot, result, -1);
      return;
    }
  probe (slot);
}

static void
take_from_snapshot (Slot             *slot,
                    GpSecretSnapshot *snapshot)
{
  GpProbeBatch *self = g_task_get_source_object (slot->task);
  g_autoptr(GError) error = NULL;

  slot->from_snapshot = TRUE;
  slot->password = gp_secret_snapshot_lookup (snapshot, slot->id, slot->username, &error);
  if (error != NULL)
    {
      g_autoptr(GpProbeResult) result =
        gp_verdict_result_for_error (slot->profile, GP_VERDICT_KEYRING_ERROR, error, gp_prober_get_ip_echo_url (self->prober));

      slot_done (slot, result, -1);
      return;
    }
  probe (slot);
}

/* The keyring's budget is spent: no profile waits for it again. */
static void
fail_without_keyring (GTask *task,
                      guint  index)
{
  GpProbeBatch *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GpProfile *profile = g_ptr_array_index (run->profiles, index);
  g_autoptr(GpProbeResult) result =
    gp_verdict_result_for_error (profile, GP_VERDICT_KEYRING_ERROR, run->keyring_timeout,
                       gp_prober_get_ip_echo_url (self->prober));

  record_result (task, index, profile, result, -1);
}

static gboolean
has_snapshot_password (Run       *run,
                       GpProfile *profile)
{
  return run->snapshot != NULL &&
         gp_secret_snapshot_has_password (run->snapshot, gp_profile_get_id (profile), gp_profile_get_username (profile));
}

/* While the keyring is read part by part, a profile whose password has
 * not come yet waits; one whose password has starts at once. */
static gboolean
needs_snapshot_part (Run       *run,
                     GpProfile *profile)
{
  return run->snapshot != NULL && !run->snapshot_read && gp_profile_sends_credentials (profile) &&
         !has_snapshot_password (run, profile);
}

static void
start_one (GTask *task,
           guint  index)
{
  GpProbeBatch *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Slot *slot;
  g_autoptr(GTask) lookup = NULL;

  if (needs_snapshot_part (run, g_ptr_array_index (run->profiles, index)))
    {
      g_queue_push_tail (&run->waiting, GUINT_TO_POINTER (index));
      return;
    }
  if (run->keyring_timeout != NULL && gp_profile_sends_credentials (g_ptr_array_index (run->profiles, index)) &&
      !has_snapshot_password (run, g_ptr_array_index (run->profiles, index)))
    {
      fail_without_keyring (task, index);
      return;
    }

  slot = g_new0 (Slot, 1);
  slot->task = g_object_ref (task);
  slot->index = index;
  slot->profile = g_object_ref (g_ptr_array_index (run->profiles, index));
  run->in_flight++;

  if (!gp_profile_sends_credentials (slot->profile))
    {
      probe (slot);
      return;
    }
  /* The profiles may be the window's own, which a reload or a publish by
   * the manager changes on the main thread, freeing their strings while
   * a lookup runs (lookup_thread (), confirm_thread ()): threads read
   * only these copies. */
  slot->id = g_strdup (gp_profile_get_id (slot->profile));
  slot->username = g_strdup (gp_profile_get_username (slot->profile));
  if (run->snapshot != NULL)
    {
      take_from_snapshot (slot, run->snapshot);
      return;
    }

  lookup = g_task_new (self->secrets, g_task_get_cancellable (task), on_lookup_done, slot);
  g_task_set_task_data (lookup, slot, NULL);
  g_task_run_in_thread (lookup, lookup_thread);
}

static void
start_more (GTask *task)
{
  GpProbeBatch *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  /* Once cancelled, no profile starts: none is recorded. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      run->done += run->profiles->len - run->next + run->waiting.length + run->ready.length;
      run->next = run->profiles->len;
      g_queue_clear (&run->waiting);
      g_queue_clear (&run->ready);
    }
  while (run->in_flight < self->max_in_flight && (run->ready.length > 0 || run->next < run->profiles->len))
    start_one (task, run->ready.length > 0 ? GPOINTER_TO_UINT (g_queue_pop_head (&run->ready)) : run->next++);

  /* Only once: the last result can come from a slot or from the loop. */
  if (run->done == run->profiles->len)
    g_task_return_pointer (task, g_ptr_array_ref (run->results), (GDestroyNotify) g_ptr_array_unref);
}

static guint
count_with_credentials (GPtrArray *profiles)
{
  guint count = 0;

  for (guint i = 0; i < profiles->len; i++)
    if (gp_profile_sends_credentials (g_ptr_array_index (profiles, i)))
      count++;
  return count;
}

/* What the reading thread hands to the batch's main context, in order:
 * a part of the keyring, then (part NULL) the end, with the error that
 * ended it, if any. */
typedef struct
{
  GTask            *task;
  GpSecretSnapshot *part;
  GError           *error;
} SnapshotNews;

static void
snapshot_news_free (SnapshotNews *news)
{
  g_object_unref (news->task);
  g_clear_pointer (&news->part, gp_secret_snapshot_free);
  g_clear_error (&news->error);
  g_free (news);
}

/* The waiting profiles that the keyring has answered for, in their order. */
static void
wake_answered (Run *run)
{
  GQueue still = G_QUEUE_INIT;

  while (run->waiting.length > 0)
    {
      gpointer index = g_queue_pop_head (&run->waiting);

      if (run->snapshot_read || has_snapshot_password (run, g_ptr_array_index (run->profiles, GPOINTER_TO_UINT (index))))
        g_queue_push_tail (&run->ready, index);
      else
        g_queue_push_tail (&still, index);
    }
  run->waiting = still;
}

/* A keyring that cannot be read is keyring-error for every credentialed
 * profile that got no password from it, given at once. */
static gboolean
on_snapshot_news (gpointer user_data)
{
  SnapshotNews *news = user_data;
  Run *run = g_task_get_task_data (news->task);

  if (g_task_get_completed (news->task) || run->snapshot_read)
    return G_SOURCE_REMOVE;
  if (news->part != NULL)
    gp_secret_snapshot_merge (run->snapshot, news->part);
  else
    {
      run->snapshot_read = TRUE;
      if (news->error != NULL && !is_cancelled (news->task, news->error))
        run->keyring_timeout = g_steal_pointer (&news->error);
    }
  wake_answered (run);
  start_more (news->task);
  return G_SOURCE_REMOVE;
}

static void
tell_batch (GTask            *task,
            GpSecretSnapshot *part,
            GError           *error)
{
  SnapshotNews *news = g_new0 (SnapshotNews, 1);

  news->task = g_object_ref (task);
  news->part = part;
  news->error = error;
  /* Sources of one priority are dispatched in the order they came. */
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, on_snapshot_news, news,
                              (GDestroyNotify) snapshot_news_free);
}

static void
on_snapshot_part (GpSecretSnapshot *part,
                  gpointer          user_data)
{
  tell_batch (user_data, part, NULL);
}

/* task_data: the batch's task. */
static void
snapshot_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  gp_secret_store_read_all_parts (source_object, on_snapshot_part, task_data, cancellable, &error);
  tell_batch (task_data, NULL, error);
  g_task_return_boolean (task, TRUE);
}

static void
read_snapshot (GTask *task)
{
  GpProbeBatch *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) read = g_task_new (self->secrets, g_task_get_cancellable (task), NULL, NULL);

  run->snapshot = gp_secret_snapshot_new ();
  g_task_set_task_data (read, g_object_ref (task), g_object_unref);
  g_task_run_in_thread (read, snapshot_thread);
  start_more (task);
}

static void
gp_probe_batch_finalize (GObject *object)
{
  GpProbeBatch *self = GP_PROBE_BATCH (object);

  g_clear_object (&self->prober);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (gp_probe_batch_parent_class)->finalize (object);
}

static void
gp_probe_batch_class_init (GpProbeBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_probe_batch_finalize;

  /**
   * GpProbeBatch::result:
   * @index: the profile's position in the batch
   * @profile: the profile
   * @result: its result
   * @credential_modified: the keyring item's modification time, or -1
   */
  signals[RESULT] = g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 4, G_TYPE_UINT, GP_TYPE_PROFILE, GP_TYPE_PROBE_RESULT, G_TYPE_INT64);
}

static void
gp_probe_batch_init (GpProbeBatch *self)
{
}

GpProbeBatch *
gp_probe_batch_new (GpProber      *prober,
                    GpSecretStore *secrets,
                    guint          max_in_flight)
{
  GpProbeBatch *self;

  g_return_val_if_fail (GP_IS_PROBER (prober), NULL);
  g_return_val_if_fail (GP_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (max_in_flight > 0, NULL);

  self = g_object_new (GP_TYPE_PROBE_BATCH, NULL);
  self->prober = g_object_ref (prober);
  self->secrets = g_object_ref (secrets);
  self->max_in_flight = max_in_flight;
  return self;
}

void
gp_probe_batch_run_async (GpProbeBatch        *self,
                          GPtrArray           *profiles,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (GP_IS_PROBE_BATCH (self));
  g_return_if_fail (profiles != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_probe_batch_run_async);

  run = g_new0 (Run, 1);
  run->profiles = g_ptr_array_ref (profiles);
  run->results = g_ptr_array_new_with_free_func (unref_result);
  g_ptr_array_set_size (run->results, profiles->len);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (profiles->len == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (run->results), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (count_with_credentials (profiles) >= SNAPSHOT_MIN_PROFILES)
    {
      read_snapshot (task);
      return;
    }
  start_more (task);
}

/* The results, in the order of the profiles given; G_IO_ERROR_CANCELLED
 * when cancelled (the results that came before were told by ::result). */
GPtrArray *
gp_probe_batch_run_finish (GpProbeBatch  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
