/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-env.h"
#include "gp-proxy-url.h"
#include "gp-sandbox.h"
#include "gp-session.h"
#include "gp-session-bus.h"
#include "gp-session-gnome.h"
#include "gp-session-record.h"

/* Applying the active profile to the desktop session, and undoing it:
 *
 *   the session file (environment.d), read at the next login: without
 *   credentials unless the user opted in for that profile;
 *   the running session, credentials in memory only: the systemd user
 *   manager's environment and the bus's activation environment;
 *   GNOME's proxy settings, on request, never a password;
 *   the autostart entry that re-applies the profile at login.
 *
 * What is about to be applied is recorded first (gp-session-record.c),
 * so that deactivate can undo it after a crash halfway, and whatever
 * profiles.ini says by then. */

G_DEFINE_QUARK (gp-session-error-quark, gp_session_error)

const char *
gp_session_place_state_to_string (GpSessionPlaceState state)
{
  switch (state)
    {
    case GP_SESSION_PLACE_APPLIED: return "applied";
    case GP_SESSION_PLACE_UNAVAILABLE: return "unavailable";
    case GP_SESSION_PLACE_NOT_REQUESTED:
    default: return "not-requested";
    }
}

char *
gp_session_file_path (void)
{
  g_autofree char *dir = gp_sandbox_environment_d_dir ();

  return g_build_filename (dir, "60-gatepass.conf", NULL);
}

char *
gp_session_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart",
                           "io.github.gatepass.Gatepass-login.desktop", NULL);
}

/* --- small helpers ------------------------------------------------------------ */

/* what: "Cannot create PATH", say; errno says why. */
static gboolean
set_errno_error (GError    **error,
                 char       *what)
{
  int saved_errno = errno;

  g_set_error (error, GP_SESSION_ERROR, GP_SESSION_ERROR_FAILED, "%s: %s", what, g_strerror (saved_errno));
  g_free (what);
  return FALSE;
}

static gboolean
write_private_file (const char  *path,
                    const char  *data,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, g_strdup_printf (_("Cannot create %s"), dir));
  if (!g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, GP_SESSION_ERROR, GP_SESSION_ERROR_FAILED, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* expected: the only path Gatepass writes there. A record edited by hand
 * must never make deactivate remove another file. */
static gboolean
remove_file (const char  *path,
             const char  *expected,
             GError     **error)
{
  if (path == NULL || g_strcmp0 (path, expected) != 0 || g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;
  return set_errno_error (error, g_strdup_printf (_("Cannot remove %s"), path));
}

static gboolean
has_variable (GPtrArray  *variables,
              const char *name)
{
  for (guint i = 0; i < variables->len; i++)
    if (g_str_equal (((GpEnvVariable *) g_ptr_array_index (variables, i))->name, name))
      return TRUE;
  return FALSE;
}

/* The names of old that next does not set: what must be taken back. */
static GStrv
dropped_names (GpSessionRecord *old,
               GpSessionRecord *next)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; old != NULL && i < old->variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (old->variables, i);

      if (next == NULL || !has_variable (next->variables, variable->name))
        g_strv_builder_add (builder, variable->name);
    }
  return g_strv_builder_end (builder);
}

/* --- GNOME's settings ----------------------------------------------------------- */

/* The previous value of each planned key: what the user had, which is
 * the old record's when the key still holds what Gatepass wrote then. */
static void
fill_previous (GPtrArray       *plan,
               GpSessionRecord *old)
{
  for (guint i = 0; i < plan->len; i++)
    {
      GpGnomeKey *key = g_ptr_array_index (plan, i);
      g_autofree char *now = gp_session_gnome_read (key->schema, key->key);
      GpGnomeKey *before = old != NULL ? gp_session_record_find_key (old, key->schema, key->key) : NULL;

      if (before != NULL && g_strcmp0 (now, before->written) == 0)
        key->previous = g_strdup (before->previous);
      else
        key->previous = g_steal_pointer (&now);
    }
}

static void
plan_gnome (GpProfile       *profile,
            GpSessionRecord *old,
            GpSessionRecord *next)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plan = NULL;

  if (profile == NULL || !gp_profile_get_gnome_proxy (profile))
    return;
  /* Inside the sandbox GSettings is the app's own file, not the host's. */
  if (gp_sandbox_is_flatpak ())
    {
      g_hash_table_insert (next->unavailable, g_strdup ("gnome_proxy"),
                           g_strdup (gp_sandbox_unreachable_reason ()));
      return;
    }
  if (!gp_session_gnome_available (&error) || (plan = gp_session_gnome_plan (profile, &error)) == NULL)
    {
      g_hash_table_insert (next->unavailable, g_strdup ("gnome_proxy"), g_strdup (error->message));
      return;
    }
  fill_previous (plan, old);
  for (guint i = 0; i < plan->len; i++)
    if (((GpGnomeKey *) g_ptr_array_index (plan, i))->previous != NULL)
      g_ptr_array_add (next->gnome_keys, g_steal_pointer (&plan->pdata[i]));
}

/* Puts back what the user had, in each key of old that next leaves alone
 * and that still holds what Gatepass wrote: a key the user changed since
 * is theirs. */
static void
restore_gnome (GpSessionRecord *old,
               GpSessionRecord *next)
{
  if (gp_sandbox_is_flatpak ())
    return;
  for (guint i = 0; old != NULL && i < old->gnome_keys->len; i++)
    {
      GpGnomeKey *key = g_ptr_array_index (old->gnome_keys, i);
      g_autofree char *now = NULL;

      if (next != NULL && gp_session_record_find_key (next, key->schema, key->key) != NULL)
        continue;
      now = gp_session_gnome_read (key->schema, key->key);
      if (g_strcmp0 (now, key->written) == 0)
        gp_session_gnome_write (key->schema, key->key, key->previous, NULL);
    }
}

static void
write_gnome (GpSessionRecord *next)
{
  for (guint i = 0; i < next->gnome_keys->len; i++)
    {
      GpGnomeKey *key = g_ptr_array_index (next->gnome_keys, i);
      g_autoptr(GError) error = NULL;

      if (!gp_session_gnome_write (key->schema, key->key, key->written, &error))
        g_hash_table_insert (next->unavailable, g_strdup ("gnome_proxy"), g_strdup (error->message));
    }
}

/* --- the session file and the autostart entry ------------------------------- */

static gboolean
write_session_file (GpSessionRecord  *next,
                    GPtrArray        *live,
                    GError          **error)
{
  g_autofree char *data = NULL;

  data = gp_env_render (next->file_credentials ? live : next->variables, GP_ENV_FORMAT_ENVIRONMENT_D, error);
  if (data == NULL)
    return FALSE;
  if (!write_private_file (next->session_file, data, error))
    {
      explicit_bzero (data, strlen (data));
      return FALSE;
    }
  explicit_bzero (data, strlen (data));
  return TRUE;
}

/* The `gatepass` beside this executable (the window's too), so that the
 * entry runs this installation; a plain name when there is none. */
static char *
gatepass_command (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *beside = dir != NULL ? g_build_filename (dir, "gatepass", NULL) : NULL;
  GString *quoted;

  if (beside == NULL || !g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("gatepass");

  /* The desktop entry spec's quoting, for a path with spaces and the like. */
  quoted = g_string_new ("\"");
  for (const char *p = beside; *p; p++)
    {
      if (strchr ("\"`$\\", *p) != NULL)
        g_string_append (quoted, "\\\\");
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

static gboolean
write_autostart (const char  *path,
                 GError     **error)
{
  g_autofree char *command = gatepass_command ();
  g_autofree char *data = NULL;

  data = g_strdup_printf ("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=Gatepass Session Proxy\n"
                          "Comment=Applies the active Gatepass proxy profile to the session at login\n"
                          "Exec=%s --headless activate --login\n"
                          "NoDisplay=true\n"
                          "X-GNOME-Autostart-Phase=Initialization\n",
                          command);
  return write_private_file (path, data, error);
}

/* --- the running session -------------------------------------------------------- */

static void
mark_unavailable (GpSessionRecord *next,
                  const char      *place,
                  const GError    *error)
{
  g_hash_table_insert (next->unavailable, g_strdup (place), g_strdup (error->message));
}

static void
apply_bus (GpSessionRecord *old,
           GpSessionRecord *next,
           GPtrArray       *live)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_auto(GStrv) dropped = NULL;

  /* The bus proxy denies both: not even asked, which could also cost
   * the calls' timeout. */
  if (gp_sandbox_is_flatpak ())
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, gp_sandbox_unreachable_reason ());
      mark_unavailable (next, "systemd", error);
      mark_unavailable (next, "activation_environment", error);
      return;
    }
  bus = gp_session_bus_get (&error);
  dropped = dropped_names (old, next);
  if (bus == NULL)
    {
      mark_unavailable (next, "systemd", error);
      mark_unavailable (next, "activation_environment", error);
      return;
    }

  if (gp_session_bus_has_systemd (bus, &error) &&
      gp_session_bus_systemd_set (bus, live, (const char * const *) dropped, &error))
    next->systemd = live->len > 0;
  else if (live->len > 0)
    mark_unavailable (next, "systemd", error);
  g_clear_error (&error);

  if (gp_session_bus_update_activation (bus, live, (const char * const *) dropped, &error))
    next->activation = live->len > 0;
  else if (live->len > 0)
    mark_unavailable (next, "activation_environment", error);
}

/* --- apply ------------------------------------------------------------------------ */

static GpSessionRecord *
plan_record (GpProfile       *profile,
             const char      *password,
             const char      *credentials,
             GpSessionRecord *old)
{
  GpSessionRecord *next = gp_session_record_new ();
  g_autoptr(GPtrArray) variables = gp_env_variables_for_profile (profile, NULL);

  next->profile_id = g_strdup (gp_profile_get_id (profile));
  next->profile_name = g_strdup (gp_profile_get_name (profile));
  next->credentials = g_strdup (credentials);
  next->session_file = gp_session_file_path ();
  next->file_credentials = gp_profile_get_session_credentials (profile) && password != NULL &&
                           gp_profile_sends_credentials (profile);
  g_ptr_array_extend_and_steal (next->variables, g_steal_pointer (&variables));
  /* Intended, so that a crash before the calls still undoes them. */
  next->systemd = next->activation = TRUE;
  /* Inside the sandbox the autostart folder is the app's own, which no
   * login reads. */
  if (gp_sandbox_is_flatpak ())
    g_hash_table_insert (next->unavailable, g_strdup ("autostart"), g_strdup (gp_sandbox_unreachable_reason ()));
  else
    next->autostart = gp_session_autostart_path ();
  plan_gnome (profile, old, next);
  return next;
}

static void
set_note (GpSessionRecord  *next,
          GError          **note)
{
  static const struct { const char *place; const char *name; } places[] = {
    { "systemd", N_("the systemd user manager") },
    { "activation_environment", N_("the activation environment") },
    { "gnome_proxy", N_("GNOME's proxy settings") },
    { "autostart", N_("the autostart entry") },
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      const char *reason = g_hash_table_lookup (next->unavailable, places[i].place);

      if (reason != NULL)
        g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "; " : "", _(places[i].name), reason);
    }
  if (text->len > 0)
    g_set_error (note, GP_SESSION_ERROR, GP_SESSION_ERROR_UNAVAILABLE,
                 _("Not applied to %s"), text->str);
}

static gboolean
apply_profile (GpProfile        *profile,
               const char       *password,
               const char       *credentials,
               gint64            credential_modified,
               GpSessionRecord  *old,
               const char       *record_path,
               GError          **note,
               GError          **error)
{
  g_autoptr(GpSessionRecord) next = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autofree char *bundle = NULL;
  g_autoptr(GError) ca_error = NULL;
  gboolean ok;

  /* The variables name the CA bundle: it must exist before they do. */
  bundle = gp_ca_store_ensure_bundle (gp_profile_get_id (profile), NULL, &ca_error);
  if (ca_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&ca_error));
      return FALSE;
    }
  next = plan_record (profile, password, credentials, old);
  live = gp_env_variables_for_profile (profile, password);
  next->credential_modified = credential_modified;
  if (!gp_session_record_save (next, record_path, error))
    return FALSE;

  restore_gnome (old, next);
  write_gnome (next);
  gp_session_gnome_sync ();

  ok = write_session_file (next, live, error) &&
       (next->autostart == NULL || write_autostart (next->autostart, error));
  if (ok)
    {
      next->systemd = next->activation = FALSE;
      apply_bus (old, next, live);
      ok = gp_session_record_save (next, record_path, error);
    }
  set_note (next, note);
  return ok;
}

static gboolean
undo (GpSessionRecord  *old,
      const char       *record_path,
      GError          **error)
{
  g_autoptr(GpSessionRecord) none = gp_session_record_new ();
  g_autoptr(GError) ignored = NULL;
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();
  g_autofree char *session_file = gp_session_file_path ();
  g_autofree char *autostart = gp_session_autostart_path ();

  restore_gnome (old, NULL);
  gp_session_gnome_sync ();
  if ((old->systemd || old->activation) && old->variables->len > 0)
    apply_bus (old, none, nothing);

  return remove_file (old->session_file, session_file, error) &&
         remove_file (old->autostart, autostart, error) &&
         gp_session_record_delete (record_path, error);
}

gboolean
gp_session_apply (GpProfile   *profile,
                  const char  *password,
                  const char  *credentials,
                  gint64       credential_modified,
                  GError     **note,
                  GError     **error)
{
  g_autofree char *record_path = gp_session_record_path ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GpSessionRecord) old = gp_session_record_load (record_path, &local_error);

  g_return_val_if_fail (profile == NULL || GP_IS_PROFILE (profile), FALSE);

  /* A record Gatepass cannot read: refuse, rather than forget what it holds. */
  if (local_error != NULL)
    {
      g_set_error (error, GP_SESSION_ERROR, GP_SESSION_ERROR_FAILED, "%s", local_error->message);
      return FALSE;
    }

  if (profile != NULL)
    return apply_profile (profile, password, credentials, credential_modified, old, record_path,
                          note, error);
  return old == NULL || undo (old, record_path, error);
}

/* --- status ------------------------------------------------------------------------- */

void
gp_session_status_free (GpSessionStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->profile_id);
  g_free (status->profile_name);
  g_free (status->session_file);
  g_free (status->systemd.reason);
  g_free (status->activation.reason);
  g_free (status->gnome.reason);
  g_free (status->autostart.reason);
  g_free (status->credentials);
  g_ptr_array_unref (status->problems);
  g_free (status);
}

G_GNUC_PRINTF (2, 3)
static void
add_problem (GpSessionStatus *status,
             const char      *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (status->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
set_place (GpSessionPlace      *place,
           GpSessionPlaceState  state,
           const char          *reason)
{
  place->state = state;
  g_free (place->reason);
  place->reason = g_strdup (reason);
}

static void
set_sandboxed (GpSessionPlace *place)
{
  set_place (place, GP_SESSION_PLACE_UNAVAILABLE, gp_sandbox_unreachable_reason ());
  place->code = GP_SANDBOX_REASON;
}

/* Every line of the file, credentials taken out, against the record. */
static const char *
check_session_file (GpSessionStatus *status,
                    GpSessionRecord *record)
{
  g_autofree char *data = NULL;
  g_autofree char *expected = gp_env_render (record->variables, GP_ENV_FORMAT_ENVIRONMENT_D, NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) stripped = g_string_new (NULL);

  if (!g_file_get_contents (record->session_file, &data, NULL, NULL))
    {
      add_problem (status, _("The session file %s was removed by hand: apps started at the next "
                             "login will not get the proxy; activate the profile again"), record->session_file);
      return "missing";
    }

  lines = g_strsplit (data, "\n", -1);
  explicit_bzero (data, strlen (data));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = gp_proxy_url_without_userinfo (lines[i]);

      g_string_append_printf (stripped, "%s%s", i > 0 ? "\n" : "", line);
      explicit_bzero (lines[i], strlen (lines[i]));
    }
  if (g_strcmp0 (stripped->str, expected) == 0)
    return "applied";
  add_problem (status, _("The session file %s was changed by hand since Gatepass wrote it"),
               record->session_file);
  return "changed";
}

static const char *
find_assignment (const char * const *environment,
                 const char         *name)
{
  gsize length = strlen (name);

  for (guint i = 0; environment != NULL && environment[i] != NULL; i++)
    if (strncmp (environment[i], name, length) == 0 && environment[i][length] == '=')
      return environment[i] + length + 1;
  return NULL;
}

static void
check_systemd (GpSessionStatus *status,
               GpSessionRecord *record,
               GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) environment = NULL;

  if (!record->systemd)
    {
      set_place (&status->systemd, GP_SESSION_PLACE_UNAVAILABLE,
                 g_hash_table_lookup (record->unavailable, "systemd"));
      return;
    }
  if (bus == NULL || !gp_session_bus_has_systemd (bus, &error) ||
      (environment = gp_session_bus_systemd_environment (bus, &error)) == NULL)
    {
      set_place (&status->systemd, GP_SESSION_PLACE_UNAVAILABLE, error != NULL ? error->message : NULL);
      return;
    }

  set_place (&status->systemd, GP_SESSION_PLACE_APPLIED, NULL);
  for (guint i = 0; i < record->variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (record->variables, i);
      const char *value = find_assignment ((const char * const *) environment, variable->name);
      g_autofree char *stripped = value != NULL ? gp_proxy_url_without_userinfo (value) : NULL;

      if (g_strcmp0 (stripped, variable->value) != 0)
        {
          add_problem (status, _("The systemd user manager's %s is no longer what Gatepass set"),
                       variable->name);
          break;
        }
    }
  for (guint i = 0; environment[i] != NULL; i++)
    explicit_bzero (environment[i], strlen (environment[i]));
}

static void
check_gnome (GpSessionStatus *status,
             GpSessionRecord *record)
{
  const char *reason = g_hash_table_lookup (record->unavailable, "gnome_proxy");

  if (record->gnome_keys->len == 0)
    {
      set_place (&status->gnome, reason != NULL ? GP_SESSION_PLACE_UNAVAILABLE
                                                : GP_SESSION_PLACE_NOT_REQUESTED, reason);
      return;
    }

  set_place (&status->gnome, GP_SESSION_PLACE_APPLIED, NULL);
  for (guint i = 0; i < record->gnome_keys->len; i++)
    {
      GpGnomeKey *key = g_ptr_array_index (record->gnome_keys, i);
      g_autofree char *now = gp_session_gnome_read (key->schema, key->key);

      if (g_strcmp0 (now, key->written) != 0)
        add_problem (status, _("GNOME's setting %s %s was changed since Gatepass set it (now %s)"),
                     key->schema, key->key, now != NULL ? now : _("unreadable"));
    }
}

static void
check_credentials (GpSessionStatus *status,
                   GpSessionRecord *record)
{
  if (g_strcmp0 (record->credentials, "no-password") == 0)
    add_problem (status, _("No password is stored for “%s”: the session has the proxy without "
                           "credentials; storing its password applies it again"),
                 record->profile_name);
  else if (g_strcmp0 (record->credentials, "keyring-error") == 0)
    add_problem (status, _("The keyring could not be read when “%s” was applied: the session has the "
                           "proxy without credentials; unlock the keyring and activate the profile again"),
                 record->profile_name);
}

/* Inside the sandbox only the session file and the record can be read:
 * the rest is not even tried. */
static void
check_record_sandboxed (GpSessionStatus *status,
                        GpSessionRecord *record)
{
  set_sandboxed (&status->systemd);
  set_sandboxed (&status->activation);
  if (record->gnome_keys->len > 0 || g_hash_table_contains (record->unavailable, "gnome_proxy"))
    set_sandboxed (&status->gnome);
  set_sandboxed (&status->autostart);
}

static void
check_record (GpSessionStatus *status,
              GpSessionRecord *record)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;

  status->profile_id = g_strdup (record->profile_id);
  status->profile_name = g_strdup (record->profile_name);
  status->session_file = g_strdup (record->session_file);
  status->file_credentials = record->file_credentials;
  status->credentials = g_strdup (record->credentials);
  if (record->session_file != NULL)
    status->file_state = check_session_file (status, record);
  if (gp_sandbox_is_flatpak ())
    {
      check_record_sandboxed (status, record);
      check_credentials (status, record);
      return;
    }

  bus = gp_session_bus_get (&error);
  check_systemd (status, record, bus);
  if (record->activation)
    set_place (&status->activation, GP_SESSION_PLACE_APPLIED, NULL);
  else
    set_place (&status->activation, GP_SESSION_PLACE_UNAVAILABLE,
               g_hash_table_lookup (record->unavailable, "activation_environment"));
  check_gnome (status, record);

  if (record->autostart != NULL && g_file_test (record->autostart, G_FILE_TEST_EXISTS))
    set_place (&status->autostart, GP_SESSION_PLACE_APPLIED, NULL);
  else if (record->autostart != NULL)
    {
      set_place (&status->autostart, GP_SESSION_PLACE_UNAVAILABLE, _("it was removed by hand"));
      add_problem (status, _("The autostart entry %s was removed by hand: the next login will not "
                             "re-apply the profile"), record->autostart);
    }
  check_credentials (status, record);
}

/* NULL (with status->problems naming the record) only when the record
 * cannot be read. */
GpSessionStatus *
gp_session_get_status (void)
{
  g_autofree char *record_path = gp_session_record_path ();
  g_autofree char *file = gp_session_file_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSessionRecord) record = gp_session_record_load (record_path, &error);
  GpSessionStatus *status = g_new0 (GpSessionStatus, 1);

  status->problems = g_ptr_array_new_with_free_func (g_free);
  if (error != NULL)
    add_problem (status, "%s", error->message);
  else if (record != NULL)
    check_record (status, record);
  else if (g_file_test (file, G_FILE_TEST_EXISTS))
    add_problem (status, _("%s exists, but Gatepass has no record of writing it"), file);
  return status;
}

static void
status_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_task_return_pointer (task, gp_session_get_status (), (GDestroyNotify) gp_session_status_free);
}

/* The same, in a worker thread: it asks the bus and reads files. */
void
gp_session_get_status_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, gp_session_get_status_async);
  g_task_run_in_thread (task, status_thread);
}

GpSessionStatus *
gp_session_get_status_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
