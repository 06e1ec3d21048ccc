/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-result-cache.h"
#include "gp-result-store.h"

/* The last verdict of each profile, read from the result store when a
 * row first asks, so that 1,000 profiles do not mean 1,000 reads at
 * start; ::changed tells rows when a new test has finished. */
struct _GpResultCache
{
  GObject     parent_instance;

  char       *dir;
  GHashTable *verdicts;   /* profile id → GpVerdict + 1, or 0 for "never tested" */
};

G_DEFINE_FINAL_TYPE (GpResultCache, gp_result_cache, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
gp_result_cache_finalize (GObject *object)
{
  GpResultCache *self = GP_RESULT_CACHE (object);

  g_free (self->dir);
  g_hash_table_unref (self->verdicts);

  G_OBJECT_CLASS (gp_result_cache_parent_class)->finalize (object);
}

static void
gp_result_cache_class_init (GpResultCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_result_cache_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
gp_result_cache_init (GpResultCache *self)
{
  self->verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GpResultCache *
gp_result_cache_new (const char *dir)
{
  GpResultCache *self = g_object_new (GP_TYPE_RESULT_CACHE, NULL);

  self->dir = g_strdup (dir);
  return self;
}

static guint
load_verdict (GpResultCache *self,
              const char    *profile_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpStoredResult) stored = gp_result_store_load (self->dir, profile_id, &error);

  /* A result that cannot be read is as good as none: the row says "not
   * tested", and the next test replaces the file. */
  if (error != NULL)
    g_debug ("Ignoring the kept result of %s: %s", profile_id, error->message);
  if (stored == NULL)
    return 0;
  return gp_probe_result_get_verdict (stored->result) + 1;
}

gboolean
gp_result_cache_get_verdict (GpResultCache *self,
                             const char    *profile_id,
                             GpVerdict     *verdict)
{
  gpointer value;

  g_return_val_if_fail (GP_IS_RESULT_CACHE (self), FALSE);

  if (!g_hash_table_lookup_extended (self->verdicts, profile_id, NULL, &value))
    {
      value = GUINT_TO_POINTER (load_verdict (self, profile_id));
      g_hash_table_insert (self->verdicts, g_strdup (profile_id), value);
    }

  if (GPOINTER_TO_UINT (value) == 0)
    return FALSE;
  *verdict = GPOINTER_TO_UINT (value) - 1;
  return TRUE;
}

void
gp_result_cache_record (GpResultCache *self,
                        GpProfile     *profile,
                        GpProbeResult *result,
                        gint64         credential_modified)
{
  g_autoptr(GError) error = NULL;
  const char *id = gp_profile_get_id (profile);

  g_return_if_fail (GP_IS_RESULT_CACHE (self));

  if (!gp_result_store_save (self->dir, profile, result, credential_modified, &error))
    g_warning ("Cannot keep the test result of %s: %s", id, error->message);

  g_hash_table_insert (self->verdicts, g_strdup (id),
                       GUINT_TO_POINTER (gp_probe_result_get_verdict (result) + 1));
  g_signal_emit (self, signals[CHANGED], 0, id);
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
