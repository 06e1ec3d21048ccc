/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-result-cache.h"
#include "gp-result-store.h"

/* The last result of each profile, with when it ran, read from the
 * result store when a row or the editor first asks, so that 1,000
 * profiles do not mean 1,000 reads at start; ::changed tells them when a
 * result has arrived or a new test has finished.
 *
 * Nothing here blocks the main thread: the files are read and written in
 * worker threads (a save fsyncs), the table is changed on the main
 * thread only. One read and one save run at a time, each for everything
 * that waited meanwhile, so that a later result never lands before an
 * earlier one. */
struct _GpResultCache
{
  GObject     parent_instance;

  char       *dir;
  GHashTable *entries;    /* profile id → Entry */

  GPtrArray  *to_load;    /* ids asked for while a read runs */
  gboolean    loading;

  GPtrArray  *pending_profiles;   /* what waits to be saved, one per id */
  GPtrArray  *pending_results;
  GArray     *pending_modified;
  GHashTable *pending_index;      /* profile id → index + 1 */
  gboolean    saving;
};

G_DEFINE_FINAL_TYPE (GpResultCache, gp_result_cache, G_TYPE_OBJECT)

/* What is known of one profile's last test. */
typedef struct
{
  gboolean       loading;
  GpProbeResult *result;      /* NULL: never tested (or unreadable) */
  GDateTime     *tested_at;   /* NULL when the file did not say */
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->result);
  g_clear_pointer (&entry->tested_at, g_date_time_unref);
  g_free (entry);
}

static Entry *
entry_new (gboolean       loading,
           GpProbeResult *result,
           GDateTime     *tested_at)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->loading = loading;
  entry->result = result != NULL ? g_object_ref (result) : NULL;
  entry->tested_at = tested_at != NULL ? g_date_time_ref (tested_at) : NULL;
  return entry;
}

enum {
  PROP_0,
  PROP_SAVING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- reading ------------------------------------------------------------------ */

#define LOAD_BATCH_MAX 32

typedef struct
{
  char      *dir;
  GPtrArray *ids;
  Entry    **loaded;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  for (guint i = 0; i < job->ids->len; i++)
    g_clear_pointer (&job->loaded[i], entry_free);
  g_free (job->dir);
  g_ptr_array_unref (job->ids);
  g_free (job->loaded);
  g_free (job);
}

static Entry *
load_entry (const char *dir,
            const char *profile_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpStoredResult) stored = gp_result_store_load (dir, profile_id, &error);
  g_autoptr(GDateTime) tested_at = NULL;

  /* A result that cannot be read is as good as none: the row says "not
   * tested", and the next test replaces the file. */
  if (error != NULL)
    g_debug ("Ignoring the kept result of %s: %s", profile_id, error->message);
  if (stored == NULL)
    return entry_new (FALSE, NULL, NULL);
  if (stored->tested_at != NULL)
    tested_at = g_date_time_new_from_iso8601 (stored->tested_at, NULL);
  return entry_new (FALSE, stored->result, tested_at);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;

  for (guint i = 0; i < job->ids->len; i++)
    job->loaded[i] = load_entry (job->dir, g_ptr_array_index (job->ids, i));
  g_task_return_boolean (task, TRUE);
}

static void start_load (GpResultCache *self);

static void
on_loaded (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GpResultCache *self = GP_RESULT_CACHE (source);
  LoadJob *job = g_task_get_task_data (G_TASK (res));

  self->loading = FALSE;
  for (guint i = 0; i < job->ids->len; i++)
    {
      const char *id = g_ptr_array_index (job->ids, i);
      Entry *entry = g_hash_table_lookup (self->entries, id);
      gboolean tested = job->loaded[i]->result != NULL;

      /* A test that finished meanwhile knows better than the file. */
      if (entry == NULL || !entry->loading)
        continue;
      g_hash_table_insert (self->entries, g_strdup (id), g_steal_pointer (&job->loaded[i]));
      if (tested)
        g_signal_emit (self, signals[CHANGED], 0, id);
    }
  start_load (self);
}

/* The ids asked for first, in that order: the rows on screen are bound
 * first, and their verdicts should not wait for the 200 rows that GTK
 * 4.8's list view builds beyond them. */
static GPtrArray *
take_first_ids (GPtrArray *ids,
                guint      max)
{
  guint n = MIN (ids->len, max);
  GPtrArray *taken = g_ptr_array_new_full (n, g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (taken, g_steal_pointer (&g_ptr_array_index (ids, i)));
  g_ptr_array_remove_range (ids, 0, n);
  return taken;
}

static void
start_load (GpResultCache *self)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job;

  if (self->loading || self->to_load->len == 0)
    return;

  job = g_new0 (LoadJob, 1);
  job->dir = g_strdup (self->dir);
  job->ids = take_first_ids (self->to_load, LOAD_BATCH_MAX);
  job->loaded = g_new0 (Entry *, job->ids->len);
  self->loading = TRUE;

  task = g_task_new (self, NULL, on_loaded, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_thread);
}

/* --- saving ------------------------------------------------------------------- */

static void
clear_pending (GpResultCache *self)
{
  g_ptr_array_set_size (self->pending_profiles, 0);
  g_ptr_array_set_size (self->pending_results, 0);
  g_array_set_size (self->pending_modified, 0);
  g_hash_table_remove_all (self->pending_index);
}

static gboolean start_save (GpResultCache *self);

static void
on_saved (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(GpResultCache) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gp_result_store_save_all_finish (res, &error))
    g_warning ("Cannot keep the test results in %s: %s", self->dir, error->message);

  /* Still saving when more waited: "saving" goes false once, at the end. */
  self->saving = FALSE;
  if (!start_save (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

/* TRUE when a save started: "saving" was FALSE. */
static gboolean
start_save (GpResultCache *self)
{
  if (self->saving || self->pending_profiles->len == 0)
    return FALSE;

  /* The call takes its own copies: the pending lists can be reused. */
  gp_result_store_save_all_async (self->dir, self->pending_profiles, self->pending_results,
                                  (const gint64 *) (gpointer) self->pending_modified->data,
                                  NULL, on_saved, g_object_ref (self));
  clear_pending (self);
  self->saving = TRUE;
  return TRUE;
}

/* --- the object ----------------------------------------------------------------- */

static void
gp_result_cache_finalize (GObject *object)
{
  GpResultCache *self = GP_RESULT_CACHE (object);

  g_free (self->dir);
  g_hash_table_unref (self->entries);
  g_ptr_array_unref (self->to_load);
  g_ptr_array_unref (self->pending_profiles);
  g_ptr_array_unref (self->pending_results);
  g_array_unref (self->pending_modified);
  g_hash_table_unref (self->pending_index);

  G_OBJECT_CLASS (gp_result_cache_parent_class)->finalize (object);
}

static void
gp_result_cache_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GpResultCache *self = GP_RESULT_CACHE (object);

  switch (prop_id)
    {
    case PROP_SAVING:
      g_value_set_boolean (value, self->saving);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_result_cache_class_init (GpResultCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_result_cache_finalize;
  object_class->get_property = gp_result_cache_get_property;

  /* TRUE while results are being written: the window keeps the
   * application running until they are. */
  properties[PROP_SAVING] = g_param_spec_boolean ("saving", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gp_result_cache_init (GpResultCache *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  self->to_load = g_ptr_array_new_with_free_func (g_free);
  self->pending_profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_results = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_modified = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pending_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GpResultCache *
gp_result_cache_new (const char *dir)
{
  GpResultCache *self = g_object_new (GP_TYPE_RESULT_CACHE, NULL);

  self->dir = g_strdup (dir);
  return self;
}

static Entry *
lookup_or_load (GpResultCache *self,
                const char    *profile_id)
{
  Entry *entry = g_hash_table_lookup (self->entries, profile_id);

  if (entry == NULL)
    {
      entry = entry_new (TRUE, NULL, NULL);
      g_hash_table_insert (self->entries, g_strdup (profile_id), entry);
      g_ptr_array_add (self->to_load, g_strdup (profile_id));
      start_load (self);
    }
  return entry;
}

/* FALSE when the profile was never tested, or while its kept result is
 * still being read: ::changed tells when it has been. */
gboolean
gp_result_cache_get_verdict (GpResultCache *self,
                             const char    *profile_id,
                             GpVerdict     *verdict)
{
  GpProbeResult *result;

  g_return_val_if_fail (GP_IS_RESULT_CACHE (self), FALSE);

  result = gp_result_cache_get_result (self, profile_id, NULL);
  if (result == NULL)
    return FALSE;
  *verdict = gp_probe_result_get_verdict (result);
  return TRUE;
}

/* The profile's last result and when it ran (NULL if unknown), or NULL
 * as gp_result_cache_get_verdict () says. Both belong to the cache. */
GpProbeResult *
gp_result_cache_get_result (GpResultCache  *self,
                            const char     *profile_id,
                            GDateTime     **tested_at)
{
  Entry *entry;

  g_return_val_if_fail (GP_IS_RESULT_CACHE (self), NULL);
  g_return_val_if_fail (profile_id != NULL, NULL);

  entry = lookup_or_load (self, profile_id);
  if (tested_at != NULL)
    *tested_at = entry->tested_at;
  return entry->result;
}

/* Takes the result at once and keeps it for the next
 * gp_result_cache_save (): a batch of tests saves once, at its end. */
void
gp_result_cache_remember (GpResultCache *self,
                          GpProfile     *profile,
                          GpProbeResult *result,
                          gint64         credential_modified)
{
  g_autoptr(GDateTime) now = NULL;
  const char *id;
  guint index;

  g_return_if_fail (GP_IS_RESULT_CACHE (self));
  g_return_if_fail (GP_IS_PROFILE (profile));
  g_return_if_fail (GP_IS_PROBE_RESULT (result));

  id = gp_profile_get_id (profile);
  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->pending_index, id));
  if (index != 0)
    {
      /* Only the newest result of a profile is worth writing. */
      g_object_unref (g_ptr_array_index (self->pending_results, index - 1));
      g_ptr_array_index (self->pending_results, index - 1) = g_object_ref (result);
      g_array_index (self->pending_modified, gint64, index - 1) = credential_modified;
    }
  else
    {
      g_ptr_array_add (self->pending_profiles, g_object_ref (profile));
      g_ptr_array_add (self->pending_results, g_object_ref (result));
      g_array_append_val (self->pending_modified, credential_modified);
      g_hash_table_insert (self->pending_index, g_strdup (id), GUINT_TO_POINTER (self->pending_profiles->len));
    }

  now = g_date_time_new_now_utc ();
  g_hash_table_insert (self->entries, g_strdup (id), entry_new (FALSE, result, now));
  g_signal_emit (self, signals[CHANGED], 0, id);
}

/* Writes every remembered result, in the background. */
void
gp_result_cache_save (GpResultCache *self)
{
  g_return_if_fail (GP_IS_RESULT_CACHE (self));

  if (start_save (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

/* One test's result: taken at once, saved in the background. */
void
gp_result_cache_record (GpResultCache *self,
                        GpProfile     *profile,
                        GpProbeResult *result,
                        gint64         credential_modified)
{
  g_return_if_fail (GP_IS_RESULT_CACHE (self));

  gp_result_cache_remember (self, profile, result, credential_modified);
  gp_result_cache_save (self);
}

gboolean
gp_result_cache_get_saving (GpResultCache *self)
{
  g_return_val_if_fail (GP_IS_RESULT_CACHE (self), FALSE);

  return self->saving;
}

/* The style class of libadwaita that colours a verdict. */
const char *
gp_severity_css_class (GpSeverity severity)
{
  switch (severity)
    {
    case GP_SEVERITY_OK:
      return "success";
    case GP_SEVERITY_WARNING:
      return "warning";
    case GP_SEVERITY_ERROR:
    default:
      return "error";
    }
}
