/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-ca.h"
#include "gp-keyring-change.h"
#include "gp-profile-manager.h"
#include "gp-result-store.h"
#include "gp-session.h"

/* Every change to the profiles, for both front ends. Each use case runs
 * the same way, in the calling thread (sync) or in a worker (async):
 *
 *   take the profiles-file lock, which reads the file into a private
 *   store (the snapshot); check; add to the keyring what the change
 *   needs (a password, the password under a new username) and ask it
 *   about what will go; change the snapshot and save it; when the save
 *   fails, undo the additions; once it succeeded, delete what the file
 *   no longer names (a removed profile's items, the item under an old
 *   username); apply the active profile to the session when it, or which
 *   profile is active, changed (gp-session.c); unlock.
 *
 * So an unreachable keyring changes nothing, the file never names a
 * password that is not stored, and a failed save leaves the keyring
 * exactly as it was (see gp-keyring-change.c). The front end's store,
 * which its views show, is only touched afterwards, from the thread that
 * owns it: by the sync call itself or by the async call's _finish (). */

struct _GpProfileManager
{
  GObject          parent_instance;

  GpProfileStore  *store;
  GpSecretStore   *secrets;
};

G_DEFINE_FINAL_TYPE (GpProfileManager, gp_profile_manager, G_TYPE_OBJECT)

G_DEFINE_QUARK (gp-profile-manager-error-quark, gp_profile_manager_error)

enum {
  WARNING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  OP_ADD,
  OP_UPDATE,
  OP_DUPLICATE,
  OP_REMOVE,
  OP_SET_PASSWORD,
  OP_FORGET_PASSWORD,
  OP_ACTIVATE,
  OP_SET_CA,
} Op;

typedef struct
{
  Op                    op;
  GpProfile            *profile;    /* add, update: the caller's profile, copied */
  char                 *id;         /* the others; activate: NULL deactivates */
  char                 *name;       /* duplicate */
  GpPassword           *password;
  GpProfileUpdateFlags  flags;
  char                 *ca_pem;     /* set-ca: checked PEM; NULL removes */

  GpProfileStore       *snapshot;   /* out: the file as saved */
  char                 *new_id;     /* out: duplicate */
  GError               *leftover;   /* out: done, but something stayed behind */
  gboolean              apply;      /* the active profile changed */
  GpKeyringChange      *change;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->profile);
  g_free (job->id);
  g_free (job->name);
  g_free (job->ca_pem);
  gp_password_free (job->password);
  g_clear_object (&job->snapshot);
  g_free (job->new_id);
  g_clear_error (&job->leftover);
  gp_keyring_change_free (job->change);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (Op          op,
         GpProfile  *profile,
         const char *id,
         const char *password)
{
  Job *job = g_new0 (Job, 1);

  job->op = op;
  /* A copy: the caller's object belongs to its thread and its views. */
  job->profile = profile != NULL ? gp_profile_copy (profile) : NULL;
  job->id = g_strdup (id);
  job->password = g_strdup (password);
  return job;
}

/* --- the use cases, under the lock ---------------------------------------- */

static GpProfile *
find_profile (GpProfileStore  *snapshot,
              const char      *id,
              GError         **error)
{
  GpProfile *profile = gp_profile_store_find_by_id (snapshot, id);

  if (profile == NULL)
    g_set_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NOT_FOUND,
                 _("The profile was removed meanwhile"));
  return profile;
}

static gboolean
is_active (GpProfileStore *snapshot,
           const char     *id)
{
  GpProfile *active = gp_profile_store_get_active (snapshot);

  return active != NULL && g_strcmp0 (gp_profile_get_id (active), id) == 0;
}

static gboolean
run_add (GpProfileManager  *self,
         Job               *job,
         GCancellable      *cancellable,
         GError           **error)
{
  if (!gp_profile_validate (job->profile, error) ||
      !gp_profile_store_check_name_free (job->snapshot, gp_profile_get_name (job->profile), NULL, error))
    return FALSE;

  /* A new profile sends nothing yet: only its own password is stored. */
  if (job->password != NULL &&
      !gp_keyring_change_update (job->change, NULL, job->profile, job->password, FALSE, cancellable, error))
    return FALSE;

  return gp_profile_store_add (job->snapshot, job->profile, error);
}

static gboolean
run_update (GpProfileManager  *self,
            Job               *job,
            GCancellable      *cancellable,
            GError           **error)
{
  GpProfile *stored;

  stored = find_profile (job->snapshot, gp_profile_get_id (job->profile), error);
  if (stored == NULL || !gp_profile_validate (job->profile, error) ||
      !gp_profile_store_check_name_free (job->snapshot, gp_profile_get_name (job->profile), stored, error))
    return FALSE;

  /* stored is still the profile as saved: the change reads it first. */
  if (!gp_keyring_change_update (job->change, stored, job->profile, job->password,
                                 job->flags & GP_PROFILE_UPDATE_CLEAR_UNUSED, cancellable, error))
    return FALSE;

  gp_profile_update_from (stored, job->profile);
  job->apply = is_active (job->snapshot, gp_profile_get_id (stored));
  return TRUE;
}

static gboolean
run_duplicate (GpProfileManager  *self,
               Job               *job,
               GCancellable      *cancellable,
               GError           **error)
{
  g_autoptr(GpProfile) copy = NULL;
  GpProfile *source = find_profile (job->snapshot, job->id, error);

  if (source == NULL)
    return FALSE;

  /* The password is not copied: a copy is usually for other credentials. */
  job->new_id = gp_profile_new_id ();
  copy = gp_profile_new (job->new_id);
  gp_profile_update_from (copy, source);
  gp_profile_set_name (copy, job->name);
  return gp_profile_store_add (job->snapshot, copy, error);
}

static gboolean
run_remove (GpProfileManager  *self,
            Job               *job,
            GCancellable      *cancellable,
            GError           **error)
{
  GpProfile *profile = find_profile (job->snapshot, job->id, error);

  if (profile == NULL)
    return FALSE;

  if (!gp_keyring_change_remove (job->change, profile, cancellable, error))
    return FALSE;

  job->apply = is_active (job->snapshot, job->id);
  gp_profile_store_remove (job->snapshot, profile);
  return TRUE;
}

static gboolean
run_set_password (GpProfileManager  *self,
                  Job               *job,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autofree char *label = NULL;
  GpProfile *profile = find_profile (job->snapshot, job->id, error);

  if (profile == NULL)
    return FALSE;
  if (!gp_profile_sends_credentials (profile))
    {
      g_set_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NO_CREDENTIALS,
                   _("The profile “%s” sends no password"), gp_profile_get_name (profile));
      return FALSE;
    }

  label = gp_keyring_change_label (profile);
  job->apply = is_active (job->snapshot, job->id);
  return gp_secret_store_store (self->secrets, job->id, gp_profile_get_username (profile), label,
                                job->password, cancellable, error);
}

static gboolean
run_forget_password (GpProfileManager  *self,
                     Job               *job,
                     GCancellable      *cancellable,
                     GError           **error)
{
  job->apply = is_active (job->snapshot, job->id);
  return find_profile (job->snapshot, job->id, error) != NULL &&
         gp_secret_store_clear (self->secrets, job->id, cancellable, error);
}

static gboolean
run_activate (GpProfileManager  *self,
              Job               *job,
              GCancellable      *cancellable,
              GError           **error)
{
  GpProfile *profile = NULL;

  if (job->id != NULL && (profile = find_profile (job->snapshot, job->id, error)) == NULL)
    return FALSE;

  gp_profile_store_set_active (job->snapshot, profile);
  job->apply = TRUE;
  return TRUE;
}

/* The CA's files are not the profile file's: a change of them alone
 * needs no save, but the session gets the new variables. */
static gboolean
run_set_ca (GpProfileManager  *self,
            Job               *job,
            GCancellable      *cancellable,
            GError           **error)
{
  if (find_profile (job->snapshot, job->id, error) == NULL)
    return FALSE;

  job->apply = is_active (job->snapshot, job->id);
  return job->ca_pem != NULL ? gp_ca_store_install (job->id, job->ca_pem, error)
                             : gp_ca_store_remove (job->id, error);
}

static const struct {
  gboolean (*run) (GpProfileManager *self, Job *job, GCancellable *cancellable, GError **error);
  gboolean   writes_file;
} ops[] = {
  [OP_ADD] = { run_add, TRUE },
  [OP_UPDATE] = { run_update, TRUE },
  [OP_DUPLICATE] = { run_duplicate, TRUE },
  [OP_REMOVE] = { run_remove, TRUE },
  [OP_SET_PASSWORD] = { run_set_password, FALSE },
  [OP_FORGET_PASSWORD] = { run_forget_password, FALSE },
  [OP_ACTIVATE] = { run_activate, TRUE },
  [OP_SET_CA] = { run_set_ca, FALSE },
};

/* Applies the active profile to the session (gp-session.c): called under
 * the lock, in the use case's thread, after every saved change to which
 * profile is active or to the active profile itself (activate,
 * deactivate, an update, a new password or a removal of the active one).
 * snapshot holds the profiles as saved. A profile whose password cannot
 * be read is applied without credentials, and *note says why, in the
 * keyring's error domain or as GP_SESSION_ERROR_NO_PASSWORD. */
static gboolean
apply_active (GpProfileManager  *self,
              GpProfileStore    *snapshot,
              GError           **note)
{
  GpProfile *active = gp_profile_store_get_active (snapshot);
  g_autoptr(GpPassword) password = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) unavailable = NULL;
  g_autoptr(GError) error = NULL;
  const char *credentials = "not-needed";
  guint64 modified = 0;

  if (active != NULL && gp_profile_sends_credentials (active))
    {
      password = gp_secret_store_lookup_full (self->secrets, gp_profile_get_id (active),
                                              gp_profile_get_username (active), &modified, NULL,
                                              &keyring_error);
      credentials = password != NULL ? "sent" : keyring_error != NULL ? "keyring-error" : "no-password";
    }

  if (!gp_session_apply (active, password, credentials, password != NULL ? (gint64) modified : -1,
                         &unavailable, &error))
    {
      g_propagate_prefixed_error (note, g_steal_pointer (&error), "%s",
                                  _("Saved, but not applied to the session: "));
      return FALSE;
    }

  if (keyring_error != NULL)
    g_set_error (note, keyring_error->domain, keyring_error->code,
                 _("Applied to the session without credentials, since the keyring could not be "
                   "read: %s"), keyring_error->message);
  else if (password == NULL && g_strcmp0 (credentials, "no-password") == 0)
    g_set_error (note, GP_SESSION_ERROR, GP_SESSION_ERROR_NO_PASSWORD,
                 _("No password is stored for “%s”: the session got the proxy without credentials; "
                   "store it with “gatepass --headless set-password %s”"),
                 gp_profile_get_name (active), gp_profile_get_name (active));
  else if (unavailable != NULL)
    g_propagate_error (note, g_steal_pointer (&unavailable));

  if (unavailable != NULL && note != NULL && *note != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s. %s", (*note)->message, unavailable->message);

      g_free ((*note)->message);
      (*note)->message = g_steal_pointer (&message);
    }
  return note == NULL || *note == NULL;
}

/* Keeps the first thing left behind, the later ones' words added to it. */
static void
add_leftover (GError **leftover,
              GError  *more)
{
  g_autofree char *message = NULL;

  if (more == NULL)
    return;
  if (*leftover == NULL)
    {
      *leftover = more;
      return;
    }
  message = g_strdup_printf ("%s. %s", (*leftover)->message, more->message);
  g_free ((*leftover)->message);
  (*leftover)->message = g_steal_pointer (&message);
  g_error_free (more);
}

/* A new password: the last test's record of the item it judged goes, so
 * that clear-stale never takes the new one for the rejected one. */
static void
forget_tested_credential (Job *job)
{
  const char *id = job->profile != NULL ? gp_profile_get_id (job->profile) : job->id;
  g_autofree char *dir = gp_result_store_default_dir ();
  g_autoptr(GError) error = NULL;

  if (id != NULL && !gp_result_store_forget_credential (dir, id, &error))
    add_leftover (&job->leftover, g_steal_pointer (&error));
}

/* After a saved removal or copy, the CA's files follow the profile: a
 * failure leaves the profile file as saved and is said as a leftover. */
static void
follow_ca_files (Job *job)
{
  GError *error = NULL;
  g_autofree char *pem = NULL;

  if (job->op == OP_REMOVE)
    gp_ca_store_remove (job->id, &error);
  else if (job->op == OP_DUPLICATE && (pem = gp_ca_store_read (job->id, &error)) != NULL)
    gp_ca_store_install (job->new_id, pem, &error);
  add_leftover (&job->leftover, error);
}

static gboolean
run_job (GpProfileManager  *self,
         Job               *job,
         GCancellable      *cancellable,
         GError           **error)
{
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  job->snapshot = gp_profile_store_new (gp_profile_store_get_path (self->store));
  job->change = gp_keyring_change_new (self->secrets);
  if (!gp_profile_store_lock (job->snapshot, error))
    return FALSE;

  ok = ops[job->op].run (self, job, cancellable, error);
  if (ok && ops[job->op].writes_file && !gp_profile_store_save (job->snapshot, error))
    {
      gp_keyring_change_undo (job->change, &job->leftover);
      ok = FALSE;
    }
  if (ok)
    {
      gp_keyring_change_commit (job->change, &job->leftover);
      follow_ca_files (job);
    }
  if (ok && job->password != NULL)
    forget_tested_credential (job);
  if (ok && job->apply)
    {
      GError *note = NULL;

      apply_active (self, job->snapshot, &note);
      add_leftover (&job->leftover, note);
    }

  gp_profile_store_unlock (job->snapshot);
  return ok;
}

/* In the thread that owns the front end's store: it shows what was saved. */
static void
publish (GpProfileManager *self,
         Job              *job,
         gboolean          ok)
{
  if (ok && ops[job->op].writes_file)
    gp_profile_store_update_from (self->store, job->snapshot);
  if (job->leftover != NULL)
    g_signal_emit (self, signals[WARNING], 0, job->leftover);
}

static gboolean
run_sync (GpProfileManager  *self,
          Job               *job,
          GCancellable      *cancellable,
          GError           **error)
{
  g_autoptr(Job) owned = job;
  gboolean ok = run_job (self, job, cancellable, error);

  publish (self, job, ok);
  return ok;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_job (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run_async (GpProfileManager    *self,
           Job                 *job,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static Job *
finish_job (GpProfileManager  *self,
            GAsyncResult      *result,
            GError           **error)
{
  Job *job;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == run_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), error);
  publish (self, job, ok);
  return ok ? job : NULL;
}

/* --- signals and the object ----------------------------------------------- */

static void
gp_profile_manager_dispose (GObject *object)
{
  GpProfileManager *self = GP_PROFILE_MANAGER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (gp_profile_manager_parent_class)->dispose (object);
}

static void
gp_profile_manager_class_init (GpProfileManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gp_profile_manager_dispose;

  /**
   * GpProfileManager::warning:
   * @error: what stayed behind
   *
   * A use case did what it was asked, or was rolled back, but left
   * something behind that the user may want to know about (an item under
   * an old username or of a removed profile that could not be deleted
   * after the save, a keyring change that could not be undone).
   * Emitted in the thread of the sync call, or by the async _finish ().
   */
  signals[WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gp_profile_manager_init (GpProfileManager *self)
{
}

/* store: the front end's, which its views show and which the manager
 * updates after each change; it must not be locked by its owner. */
GpProfileManager *
gp_profile_manager_new (GpProfileStore *store,
                        GpSecretStore  *secrets)
{
  GpProfileManager *self;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (GP_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (GP_TYPE_PROFILE_MANAGER, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  return self;
}

GpProfileStore *
gp_profile_manager_get_store (GpProfileManager *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);
  return self->store;
}

GpSecretStore *
gp_profile_manager_get_secrets (GpProfileManager *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);
  return self->secrets;
}

/* --- the public calls: each builds its job ---------------------------------- */

static Job *
add_job (GpProfile  *profile,
         const char *password)
{
  return job_new (OP_ADD, profile, NULL, password);
}

static Job *
update_job (GpProfile            *edited,
            const char           *password,
            GpProfileUpdateFlags  flags)
{
  Job *job = job_new (OP_UPDATE, edited, NULL, password);

  job->flags = flags;
  return job;
}

static Job *
duplicate_job (const char *id,
               const char *name)
{
  Job *job = job_new (OP_DUPLICATE, NULL, id, NULL);

  job->name = g_strdup (name);
  return job;
}

gboolean
gp_profile_manager_add (GpProfileManager  *self,
                        GpProfile         *profile,
                        const char        *password,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (profile), FALSE);
  return run_sync (self, add_job (profile, password), cancellable, error);
}

gboolean
gp_profile_manager_update (GpProfileManager      *self,
                           GpProfile             *edited,
                           const char            *password,
                           GpProfileUpdateFlags   flags,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (edited), FALSE);
  return run_sync (self, update_job (edited, password, flags), cancellable, error);
}

/* Returns the new profile's id. */
char *
gp_profile_manager_duplicate (GpProfileManager  *self,
                              const char        *id,
                              const char        *name,
                              GCancellable      *cancellable,
                              GError           **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL && name != NULL, NULL);

  job = duplicate_job (id, name);
  if (!run_job (self, job, cancellable, error))
    {
      publish (self, job, FALSE);
      return NULL;
    }
  publish (self, job, TRUE);
  return g_steal_pointer (&job->new_id);
}

gboolean
gp_profile_manager_remove (GpProfileManager  *self,
                           const char        *id,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return run_sync (self, job_new (OP_REMOVE, NULL, id, NULL), cancellable, error);
}

gboolean
gp_profile_manager_set_password (GpProfileManager  *self,
                                 const char        *id,
                                 const char        *password,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL && password != NULL, FALSE);
  return run_sync (self, job_new (OP_SET_PASSWORD, NULL, id, password), cancellable, error);
}

gboolean
gp_profile_manager_forget_password (GpProfileManager  *self,
                                    const char        *id,
                                    GCancellable      *cancellable,
                                    GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return run_sync (self, job_new (OP_FORGET_PASSWORD, NULL, id, NULL), cancellable, error);
}

/* id: the profile to make active, or NULL for none. */
gboolean
gp_profile_manager_activate (GpProfileManager  *self,
                             const char        *id,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  return run_sync (self, job_new (OP_ACTIVATE, NULL, id, NULL), cancellable, error);
}

gboolean
gp_profile_manager_deactivate (GpProfileManager  *self,
                               GCancellable      *cancellable,
                               GError           **error)
{
  return gp_profile_manager_activate (self, NULL, cancellable, error);
}

void
gp_profile_manager_add_async (GpProfileManager    *self,
                              GpProfile           *profile,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (GP_IS_PROFILE (profile));
  run_async (self, add_job (profile, password), cancellable, callback, user_data);
}

void
gp_profile_manager_update_async (GpProfileManager     *self,
                                 GpProfile            *edited,
                                 const char           *password,
                                 GpProfileUpdateFlags  flags,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (GP_IS_PROFILE (edited));
  run_async (self, update_job (edited, password, flags), cancellable, callback, user_data);
}

void
gp_profile_manager_duplicate_async (GpProfileManager    *self,
                                    const char          *id,
                                    const char          *name,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (id != NULL && name != NULL);
  run_async (self, duplicate_job (id, name), cancellable, callback, user_data);
}

char *
gp_profile_manager_duplicate_finish (GpProfileManager  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  Job *job = finish_job (self, result, error);

  return job != NULL ? g_strdup (job->new_id) : NULL;
}

void
gp_profile_manager_remove_async (GpProfileManager    *self,
                                 const char          *id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (id != NULL);
  run_async (self, job_new (OP_REMOVE, NULL, id, NULL), cancellable, callback, user_data);
}

void
gp_profile_manager_set_password_async (GpProfileManager    *self,
                                       const char          *id,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (id != NULL && password != NULL);
  run_async (self, job_new (OP_SET_PASSWORD, NULL, id, password), cancellable, callback, user_data);
}

void
gp_profile_manager_forget_password_async (GpProfileManager    *self,
                                          const char          *id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (id != NULL);
  run_async (self, job_new (OP_FORGET_PASSWORD, NULL, id, NULL), cancellable, callback, user_data);
}

/* id: the profile to make active, or NULL for none. */
void
gp_profile_manager_activate_async (GpProfileManager    *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  run_async (self, job_new (OP_ACTIVATE, NULL, id, NULL), cancellable, callback, user_data);
}

/* Trusts pem (checked by gp_ca_check_pem ()) as the profile's CA, in
 * place of any other; NULL removes the profile's CA. */
static Job *
set_ca_job (const char *id,
            const char *pem)
{
  Job *job = job_new (OP_SET_CA, NULL, id, NULL);

  job->ca_pem = g_strdup (pem);
  return job;
}

gboolean
gp_profile_manager_set_ca (GpProfileManager  *self,
                           const char        *id,
                           const char        *pem,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_MANAGER (self), FALSE);
  g_return_val_if_fail (gp_profile_is_valid_id (id), FALSE);
  return run_sync (self, set_ca_job (id, pem), cancellable, error);
}

void
gp_profile_manager_set_ca_async (GpProfileManager    *self,
                                 const char          *id,
                                 const char          *pem,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GP_IS_PROFILE_MANAGER (self));
  g_return_if_fail (gp_profile_is_valid_id (id));
  run_async (self, set_ca_job (id, pem), cancellable, callback, user_data);
}

gboolean
gp_profile_manager_finish (GpProfileManager  *self,
                           GAsyncResult      *result,
                           GError           **error)
{
  return finish_job (self, result, error) != NULL;
}
