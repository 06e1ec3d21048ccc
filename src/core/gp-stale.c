/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-env.h"
#include "gp-proxy-url.h"
#include "gp-result-store.h"
#include "gp-sandbox.h"
#include "gp-session.h"
#include "gp-session-bus.h"
#include "gp-session-gnome.h"
#include "gp-session-record.h"
#include "gp-stale.h"

/* Finding stale cached credentials, and removing them on request:
 *
 *   1. a keyring item whose password the proxy rejected at the last
 *      test, unchanged since (one the user already replaced is kept);
 *   2. a keyring item of our schema that no profile uses;
 *   3. a plaintext password in GNOME's proxy settings;
 *   4. the session's copies (the session file, the systemd manager's
 *      environment, the activation environment) that differ from the
 *      keyring's current credentials: removed by applying the active
 *      profile again;
 *   5. proxy URLs with credentials in files of the user's
 *      (gp-stale-files.c): listed, never edited. */

#define GNOME_HTTP_SCHEMA GP_GNOME_PROXY_SCHEMA ".http"

static const char * const gnome_credential_keys[] = {
  "authentication-password", "authentication-user", "use-authentication",
};

const char *
gp_stale_kind_to_string (GpStaleKind kind)
{
  switch (kind)
    {
    case GP_STALE_REJECTED_CREDENTIAL: return "rejected-credential";
    case GP_STALE_ORPHANED_CREDENTIAL: return "orphaned-credential";
    case GP_STALE_GNOME_SETTINGS_PASSWORD: return "gnome-settings-password";
    case GP_STALE_SESSION_COPY: return "session-copy";
    case GP_STALE_ENVIRONMENT_COPY:
    default: return "environment-copy";
    }
}

void
gp_stale_finding_free (GpStaleFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->profile_name);
  g_free (finding->profile_id);
  g_free (finding->username);
  g_free (finding->location);
  g_free (finding->explanation);
  g_free (finding);
}

gboolean
gp_stale_finding_removable (GpStaleFinding *finding)
{
  return finding->kind != GP_STALE_ENVIRONMENT_COPY;
}

static GpStaleFinding *
add_finding (GPtrArray   *findings,
             GpStaleKind  kind,
             GpProfile   *profile,
             const char  *location,
             char        *explanation)
{
  GpStaleFinding *finding = g_new0 (GpStaleFinding, 1);

  finding->kind = kind;
  finding->profile_name = profile != NULL ? g_strdup (gp_profile_get_name (profile)) : NULL;
  finding->profile_id = profile != NULL ? g_strdup (gp_profile_get_id (profile)) : NULL;
  finding->location = g_strdup (location);
  finding->explanation = explanation;
  g_ptr_array_add (findings, finding);
  return finding;
}

/* --- 1. rejected, unchanged since --------------------------------------------- */

static gboolean
find_rejected (GpProfileManager  *manager,
               const char        *results_dir,
               GPtrArray         *findings,
               GCancellable      *cancellable,
               GError           **error)
{
  GListModel *profiles = G_LIST_MODEL (gp_profile_manager_get_store (manager));

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (profiles, i);
      g_autoptr(GpStoredResult) stored = NULL;
      g_autoptr(GpPassword) password = NULL;
      g_autoptr(GError) local_error = NULL;
      guint64 modified = 0;
      GpStaleFinding *finding;

      if (!gp_profile_sends_credentials (profile) ||
          (stored = gp_result_store_load (results_dir, gp_profile_get_id (profile), NULL)) == NULL ||
          gp_probe_result_get_verdict (stored->result) != GP_VERDICT_AUTH_REJECTED ||
          stored->credential_modified < 0)
        continue;

      password = gp_secret_store_lookup_full (gp_profile_manager_get_secrets (manager),
                                              gp_profile_get_id (profile), gp_profile_get_username (profile),
                                              &modified, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* A password stored after that test is the user's new one (one that
       * Gatepass stored has its record of the test's item dropped, see
       * gp_result_store_forget_credential ()). */
      if (password == NULL || (gint64) modified != stored->credential_modified)
        continue;

      finding = add_finding (findings, GP_STALE_REJECTED_CREDENTIAL, profile, "keyring",
                             g_strdup_printf (_("The proxy rejected the password of “%s” at its last "
                                                "test (%s), and it has not changed since"),
                                              gp_profile_get_name (profile), stored->tested_at));
      finding->username = g_strdup (gp_profile_get_username (profile));
    }
  return TRUE;
}

/* --- 2. orphans ----------------------------------------------------------------- */

static char *
orphan_explanation (GpProfile  *profile,
                    const char *username)
{
  if (profile == NULL)
    return g_strdup_printf (_("A keyring item for “%s” belongs to a profile that no longer exists"),
                            username);
  if (!gp_profile_sends_credentials (profile))
    return g_strdup_printf (_("A keyring item for “%s” belongs to “%s”, which sends no password now"),
                            username, gp_profile_get_name (profile));
  return g_strdup_printf (_("A keyring item for “%s” belongs to “%s”, which now logs in as “%s”"),
                          username, gp_profile_get_name (profile), gp_profile_get_username (profile));
}

static gboolean
find_orphans (GpProfileManager  *manager,
              GPtrArray         *findings,
              GCancellable      *cancellable,
              GError           **error)
{
  GpProfileStore *store = gp_profile_manager_get_store (manager);
  g_autoptr(GpKeyringListing) listing = NULL;
  g_auto(GStrv) keys = NULL;

  listing = gp_secret_store_list (gp_profile_manager_get_secrets (manager), cancellable, error);
  if (listing == NULL)
    return FALSE;

  keys = gp_keyring_listing_get_keys (listing);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys[i], "\n", 2);
      GpProfile *profile = gp_profile_store_find_by_id (store, parts[0]);
      GpStaleFinding *finding;

      if (profile != NULL && gp_profile_sends_credentials (profile) &&
          g_strcmp0 (gp_profile_get_username (profile), parts[1]) == 0)
        continue;

      finding = add_finding (findings, GP_STALE_ORPHANED_CREDENTIAL, profile, "keyring",
                             orphan_explanation (profile, parts[1]));
      g_free (finding->profile_id);
      finding->profile_id = g_strdup (parts[0]);
      finding->username = g_strdup (parts[1]);
    }
  return TRUE;
}

/* --- 3. GNOME's plaintext password ------------------------------------------------ */

static void
find_gnome_password (GPtrArray *findings)
{
  g_autofree char *password = NULL;

  if (!gp_session_gnome_available (NULL))
    return;
  password = gp_session_gnome_read (GNOME_HTTP_SCHEMA, "authentication-password");
  if (password == NULL || *password == '\0' || g_str_equal (password, "''"))
    return;
  explicit_bzero (password, strlen (password));
  add_finding (findings, GP_STALE_GNOME_SETTINGS_PASSWORD, NULL, "gnome-settings",
               g_strdup (_("GNOME's proxy settings hold a proxy password in plain text "
                           "(org.gnome.system.proxy.http authentication-password), which GNOME "
                           "Settings no longer shows")));
}

/* --- 4. the session's copies ------------------------------------------------------- */

/* What the session should hold now: the active profile's credentials as
 * Gatepass writes them into URLs (percent-encoded), or NULL for none. */
typedef struct
{
  GpProfile *active;
  char      *userinfo;
  gint64     modified;
} Expected;

static void
expected_clear (Expected *expected)
{
  if (expected->userinfo != NULL)
    explicit_bzero (expected->userinfo, strlen (expected->userinfo));
  g_free (expected->userinfo);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Expected, expected_clear)

static gboolean
read_expected (GpProfileManager  *manager,
               Expected          *expected,
               GCancellable      *cancellable,
               GError           **error)
{
  GpProfile *active = gp_profile_store_get_active (gp_profile_manager_get_store (manager));
  g_autoptr(GpPassword) password = NULL;
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;
  guint64 modified = 0;

  expected->active = active;
  expected->modified = -1;
  if (active == NULL || !gp_profile_sends_credentials (active))
    return TRUE;

  password = gp_secret_store_lookup_full (gp_profile_manager_get_secrets (manager), gp_profile_get_id (active),
                                          gp_profile_get_username (active), &modified, cancellable, error);
  if (password == NULL)
    return error == NULL || *error == NULL;
  user = gp_proxy_url_escape_userinfo (gp_profile_get_username (active));
  pass = gp_proxy_url_escape_userinfo (password);
  expected->userinfo = g_strconcat (user, ":", pass, NULL);
  expected->modified = (gint64) modified;
  explicit_bzero (pass, strlen (pass));
  return TRUE;
}

/* Whether any credentialed URL in text differs from what is expected. */
static gboolean
holds_other_credentials (const char     *text,
                         const Expected *expected)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean other = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *userinfo = gp_stale_find_userinfo (lines[i]);

      if (userinfo != NULL && g_strcmp0 (userinfo, expected->userinfo) != 0)
        other = TRUE;
      if (userinfo != NULL)
        explicit_bzero (userinfo, strlen (userinfo));
      explicit_bzero (lines[i], strlen (lines[i]));
    }
  return other;
}

static void
find_session_file_copy (GPtrArray      *findings,
                        const Expected *expected)
{
  g_autofree char *path = gp_session_file_path ();
  g_autofree char *data = NULL;
  gboolean other;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return;
  other = holds_other_credentials (data, expected);
  explicit_bzero (data, strlen (data));
  if (other)
    add_finding (findings, GP_STALE_SESSION_COPY, expected->active, path,
                 g_strdup (_("The session file holds proxy credentials that are not the keyring's "
                             "current ones")));
}

static void
find_systemd_copy (GPtrArray      *findings,
                   const Expected *expected)
{
  g_autoptr(GDBusConnection) bus = gp_session_bus_get (NULL);
  g_auto(GStrv) environment = NULL;
  g_autofree char *joined = NULL;
  gboolean other;

  if (bus == NULL || !gp_session_bus_has_systemd (bus, NULL) ||
      (environment = gp_session_bus_systemd_environment (bus, NULL)) == NULL)
    return;

  /* Only the proxy variables: other URLs there are not ours to judge. */
  for (guint i = 0; environment[i] != NULL; i++)
    {
      gboolean managed = FALSE;

      for (const char * const *name = gp_env_managed_names (); *name != NULL && !managed; name++)
        managed = g_str_has_prefix (environment[i], *name) && environment[i][strlen (*name)] == '=';
      if (!managed)
        explicit_bzero (environment[i], strlen (environment[i]));
    }
  joined = g_strjoinv ("\n", environment);
  other = holds_other_credentials (joined, expected);
  explicit_bzero (joined, strlen (joined));
  for (guint i = 0; environment[i] != NULL; i++)
    explicit_bzero (environment[i], strlen (environment[i]));
  if (other)
    add_finding (findings, GP_STALE_SESSION_COPY, expected->active, "systemd",
                 g_strdup (_("The systemd user manager's environment holds proxy credentials that are "
                             "not the keyring's current ones")));
}

/* The activation environment cannot be read: what Gatepass sent there,
 * by the record, against the keyring item's modification time now. */
static void
find_activation_copy (GPtrArray      *findings,
                      const Expected *expected)
{
  g_autofree char *path = gp_session_record_path ();
  g_autoptr(GpSessionRecord) record = gp_session_record_load (path, NULL);

  if (record == NULL || !record->activation || g_strcmp0 (record->credentials, "sent") != 0)
    return;
  if (expected->active != NULL && g_strcmp0 (record->profile_id, gp_profile_get_id (expected->active)) == 0 &&
      record->credential_modified == expected->modified)
    return;
  add_finding (findings, GP_STALE_SESSION_COPY, expected->active, "activation-environment",
               g_strdup (_("The activation environment got proxy credentials that have changed in the "
                           "keyring since")));
}

static gboolean
find_session_copies (GpProfileManager  *manager,
                     GPtrArray         *findings,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_auto(Expected) expected = { 0 };

  if (!read_expected (manager, &expected, cancellable, error))
    return FALSE;
  find_session_file_copy (findings, &expected);
  if (gp_sandbox_is_flatpak ())
    return TRUE;
  find_systemd_copy (findings, &expected);
  find_activation_copy (findings, &expected);
  return TRUE;
}

/* --- what the sandbox cannot reach ---------------------------------------------------- */

GPtrArray *
gp_stale_unreachable (void)
{
  g_autoptr(GPtrArray) unreachable = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_stale_finding_free);
  g_auto(GStrv) files = NULL;
  const char *reason = gp_sandbox_unreachable_reason ();

  if (!gp_sandbox_is_flatpak ())
    return g_steal_pointer (&unreachable);

  /* GSettings is the app's own file there; the bus proxy denies the
   * manager, and the activation environment was never sent to; the
   * user's and the system's files are not in the sandbox. */
  add_finding (unreachable, GP_STALE_GNOME_SETTINGS_PASSWORD, NULL, "gnome-settings", g_strdup (reason));
  add_finding (unreachable, GP_STALE_SESSION_COPY, NULL, "systemd", g_strdup (reason));
  add_finding (unreachable, GP_STALE_SESSION_COPY, NULL, "activation-environment", g_strdup (reason));
  files = gp_stale_scanned_files ();
  for (guint i = 0; files[i] != NULL; i++)
    add_finding (unreachable, GP_STALE_ENVIRONMENT_COPY, NULL, files[i], g_strdup (reason));
  return g_steal_pointer (&unreachable);
}

/* --- finding and removing ------------------------------------------------------------ */

GPtrArray *
gp_stale_find (GpProfileManager  *manager,
               const char        *results_dir,
               GCancellable      *cancellable,
               GError           **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_stale_finding_free);

  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (manager), NULL);

  if (!find_rejected (manager, results_dir, findings, cancellable, error) ||
      !find_orphans (manager, findings, cancellable, error))
    return NULL;
  /* Inside the sandbox, what it cannot reach is not even tried
   * (gp_stale_unreachable () lists it). */
  if (!gp_sandbox_is_flatpak ())
    find_gnome_password (findings);
  if (!find_session_copies (manager, findings, cancellable, error))
    return NULL;
  if (!gp_sandbox_is_flatpak ())
    gp_stale_scan_files (findings);
  return g_steal_pointer (&findings);
}

static gboolean
reset_gnome_credentials (GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (gnome_credential_keys); i++)
    if (!gp_session_gnome_write (GNOME_HTTP_SCHEMA, gnome_credential_keys[i], "", error))
      return FALSE;
  gp_session_gnome_sync ();
  return TRUE;
}

/* The session's copies go by applying the active profile again, with
 * the keyring's current credentials (or by undoing it, with none). */
static gboolean
redo_session (GpProfileManager  *manager,
              gboolean          *session_redone,
              GCancellable      *cancellable,
              GError           **error)
{
  GpProfile *active = gp_profile_store_get_active (gp_profile_manager_get_store (manager));

  if (*session_redone)
    return TRUE;
  *session_redone = TRUE;
  return gp_profile_manager_activate (manager, active != NULL ? gp_profile_get_id (active) : NULL,
                                      cancellable, error);
}

gboolean
gp_stale_remove (GpProfileManager  *manager,
                 GpStaleFinding    *finding,
                 gboolean          *session_redone,
                 GCancellable      *cancellable,
                 GError           **error)
{
  GpSecretStore *secrets = gp_profile_manager_get_secrets (manager);

  switch (finding->kind)
    {
    case GP_STALE_REJECTED_CREDENTIAL:
      /* Through the manager: an active profile is applied again, without it. */
      return gp_profile_manager_forget_password (manager, finding->profile_id, cancellable, error);
    case GP_STALE_ORPHANED_CREDENTIAL:
      return gp_secret_store_clear_one (secrets, finding->profile_id, finding->username, cancellable, error);
    case GP_STALE_GNOME_SETTINGS_PASSWORD:
      return reset_gnome_credentials (error);
    case GP_STALE_SESSION_COPY:
      return redo_session (manager, session_redone, cancellable, error);
    case GP_STALE_ENVIRONMENT_COPY:
    default:
      return TRUE;
    }
}

/* --- the same in a worker thread, for the window ------------------------------------- */

typedef struct
{
  GpProfileManager *manager;
  char             *results_dir;
  GPtrArray        *findings;   /* to remove; NULL: find */
} StaleJob;

static void
stale_job_free (StaleJob *job)
{
  g_object_unref (job->manager);
  g_free (job->results_dir);
  g_clear_pointer (&job->findings, g_ptr_array_unref);
  g_free (job);
}

/* A manager of the thread's own, on its own copy of the profiles: the
 * front end's store belongs to its thread, and follows the file by its
 * monitor. */
static GpProfileManager *
worker_manager (GpProfileManager  *manager,
                GError           **error)
{
  GpProfileStore *store = gp_profile_manager_get_store (manager);
  g_autoptr(GpProfileStore) copy = gp_profile_store_new (gp_profile_store_get_path (store));

  if (!gp_profile_store_load (copy, error))
    return NULL;
  return gp_profile_manager_new (copy, gp_profile_manager_get_secrets (manager));
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  StaleJob *job = task_data;
  GError *error = NULL;
  g_autoptr(GpProfileManager) worker = worker_manager (job->manager, &error);
  GPtrArray *findings = worker != NULL ? gp_stale_find (worker, job->results_dir, cancellable, &error) : NULL;

  if (findings != NULL)
    g_task_return_pointer (task, findings, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  StaleJob *job = task_data;
  gboolean session_redone = FALSE;
  GError *first_error = NULL;
  g_autoptr(GpProfileManager) worker = worker_manager (job->manager, &first_error);

  for (guint i = 0; worker != NULL && i < job->findings->len; i++)
    {
      GpStaleFinding *finding = g_ptr_array_index (job->findings, i);
      GError *error = NULL;

      if (gp_stale_finding_removable (finding) &&
          !gp_stale_remove (worker, finding, &session_redone, cancellable, &error))
        {
          if (first_error == NULL)
            first_error = error;
          else
            g_error_free (error);
        }
    }
  if (first_error != NULL)
    g_task_return_error (task, first_error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_stale_job (GpProfileManager    *manager,
               const char          *results_dir,
               GPtrArray           *findings,
               GTaskThreadFunc      thread,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (manager, cancellable, callback, user_data);
  StaleJob *job = g_new0 (StaleJob, 1);

  job->manager = g_object_ref (manager);
  job->results_dir = g_strdup (results_dir);
  job->findings = findings != NULL ? g_ptr_array_ref (findings) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) stale_job_free);
  g_task_run_in_thread (task, thread);
}

void
gp_stale_find_async (GpProfileManager    *manager,
                     const char          *results_dir,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (manager));
  run_stale_job (manager, results_dir, NULL, find_thread, cancellable, callback, user_data);
}

GPtrArray *
gp_stale_find_finish (GpProfileManager  *manager,
                      GAsyncResult      *result,
                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, manager), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gp_stale_remove_all_async (GpProfileManager    *manager,
                           GPtrArray           *findings,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (manager));
  run_stale_job (manager, NULL, findings, remove_thread, cancellable, callback, user_data);
}

gboolean
gp_stale_remove_all_finish (GpProfileManager  *manager,
                            GAsyncResult      *result,
                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, manager), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
