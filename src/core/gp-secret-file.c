/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-secret-snapshot.h"
#include "gp-secret-store-private.h"

/* The store inside the Flatpak. There the bus proxy blocks the Secret
 * Service, and libsecret keeps passwords in a keyring file of the app's
 * own (~/.var/app/ID/data/keyrings/default.keyring), whose key it gets
 * from the Secret portal. Only the secret_password_* calls reach that
 * file: secret_service_*, secret_collection_* and secret_item_* always
 * ask org.freedesktop.secrets. So this is the store again, on the
 * password calls. The file is never locked and never prompts.
 *
 * Opening it is the one D-Bus exchange, and Debian's libsecret 0.20.5
 * gets it wrong twice: it subscribes to the portal's Response signal only
 * after the reply to RetrieveSecret, so a quick answer is missed and the
 * open waits for ever (fixed in 0.21.4); and cancelling that wait
 * deadlocks (it disconnects the cancellable from inside its own handler).
 * So the open runs without a cancellable, in threads of its own, and the
 * caller waits for it within its budget: an attempt that has not answered
 * after a while is left behind and a fresh one is started, which sends a
 * new request and most often gets its answer. */

/* How long each attempt is given before another one is started beside it
 * (any attempt that answers ends the wait): about 30 s in all, which only
 * the window, without a budget, waits out. */
static const guint attempt_ms[] = { 1000, 2000, 4000, 8000, 15000 };

typedef struct
{
  GMutex         mutex;
  GCond          cond;
  gboolean       open;      /* an attempt opened the file */
  GError        *error;     /* the first attempt that failed */
} Opening;

static Opening opening;

/* libsecret's file and its collection are not made for threads, and the
 * window's calls each run in a thread: one call at a time. */
static GMutex file_lock;

/* The same choice as libsecret's own (secret-backend.c): the file inside
 * a Flatpak or a snap, or where SECRET_BACKEND=file asks for it (the
 * tests, with SECRET_FILE_TEST_PATH and SECRET_FILE_TEST_PASSWORD, which
 * need no portal). libsecret also checks that the portal answers; the
 * store does that itself, within its budget (gp_secret_file_open). */
static gboolean
in_sandbox (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) || g_getenv ("SNAP_NAME") != NULL;
}

gboolean
gp_secret_file_in_use (void)
{
  return in_sandbox () || g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0;
}

static void
on_searched (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  gboolean *answered = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_finish (res, &error);

  g_list_free_full (items, g_object_unref);
  g_mutex_lock (&opening.mutex);
  if (error == NULL)
    opening.open = TRUE;
  else if (opening.error == NULL)
    opening.error = g_steal_pointer (&error);
  g_cond_broadcast (&opening.cond);
  g_mutex_unlock (&opening.mutex);
  *answered = TRUE;
}

/* A search opens the file as its first step (libsecret keeps the opened
 * file for every later call of the process); its items are dropped. */
static gpointer
open_attempt (gpointer data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GHashTable) attributes = gp_secret_make_attributes (NULL, NULL);
  gboolean answered = FALSE;

  g_main_context_push_thread_default (context);
  /* No cancellable: see the top of this file. */
  secret_password_searchv (&gp_secret_schema, attributes, SECRET_SEARCH_NONE, NULL, on_searched, &answered);
  while (!answered)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
start_attempt (void)
{
  g_autoptr(GError) error = NULL;
  GThread *thread = g_thread_try_new ("gp-secret-open", open_attempt, NULL, &error);

  if (thread == NULL)
    {
      if (opening.error == NULL)
        opening.error = g_steal_pointer (&error);
      return;
    }
  g_thread_unref (thread);   /* a hung attempt is left to itself */
}

/* Waits (opening.mutex held) until an attempt answered, until, or the
 * call is cancelled; TRUE when an attempt answered. */
static gboolean
wait_for_answer (Call   *call,
                 gint64  until)
{
  while (!opening.open && opening.error == NULL)
    {
      gint64 now = g_get_monotonic_time ();

      if (now >= until || (call->cancellable != NULL && g_cancellable_is_cancelled (call->cancellable)))
        return FALSE;
      /* In slices, so that a cancelled call stops waiting soon. */
      g_cond_wait_until (&opening.cond, &opening.mutex, MIN (until, now + 50 * G_TIME_SPAN_MILLISECOND));
    }
  return TRUE;
}

static gboolean
set_no_portal_error (const char  *detail,
                     GError     **error)
{
  g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_NO_SERVICE,
               _("The Secret portal does not answer (%s); inside the Flatpak, Gatepass keeps passwords "
                 "through it: install xdg-desktop-portal and gnome-keyring (or another keyring with "
                 "a Secret portal) on the host, log in to the desktop again, and try again"), detail);
  return FALSE;
}

/* libsecret asks the portal for its version with a call that has no
 * timeout: ask first, within the call's budget. */
static gboolean
probe_portal (Call    *call,
              GError **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, call->cancellable, &local_error);
  if (bus == NULL)
    {
      if (!gp_secret_call_check (call, error))
        return FALSE;
      g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_NO_BUS,
                   _("No D-Bus session bus, so no keyring can be reached (%s); run Gatepass "
                     "inside a desktop or login session"), local_error->message);
      return FALSE;
    }

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.portal.Secret", "version"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE,
                                       attempt_ms[G_N_ELEMENTS (attempt_ms) - 1], call->cancellable, &local_error);
  if (reply != NULL)
    return TRUE;
  if (!gp_secret_call_check (call, error))
    return FALSE;
  return set_no_portal_error (local_error->message, error);
}

static gboolean
attempts_answered (Call    *call,
                   GError **error)
{
  gint64 until = g_get_monotonic_time ();

  for (guint i = 0; i < G_N_ELEMENTS (attempt_ms); i++)
    {
      start_attempt ();
      until += attempt_ms[i] * G_TIME_SPAN_MILLISECOND;
      if (wait_for_answer (call, until))
        return TRUE;
      if (!gp_secret_call_check (call, error))
        return FALSE;
    }
  g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_TIMED_OUT,
               _("The Secret portal did not hand over the key of Gatepass's keyring file; "
                 "restart the desktop portal (or log out and in again) and try again"));
  return FALSE;
}

/* An attempt's failure is told once: the next call tries again (the
 * window lives long, and the portal may come back). */
static gboolean
take_open_error (GError **error)
{
  g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
               _("Gatepass's keyring file could not be opened: %s"), opening.error->message);
  g_clear_error (&opening.error);
  return FALSE;
}

/* Opens libsecret's file once per process; every call of the store in
 * the sandbox begins here. */
static gboolean
open_file (Call    *call,
           GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&opening.mutex);

  if (opening.open)
    return TRUE;
  /* A late failure of an attempt that an earlier call left behind. */
  g_clear_error (&opening.error);
  if (!gp_secret_call_check (call, error))
    return FALSE;

  if (in_sandbox () && g_getenv ("SECRET_FILE_TEST_PASSWORD") == NULL)
    {
      gboolean answers;

      /* Unlocked while asking, so that the lock is never held across
       * D-Bus (another call may ask too meanwhile, which is harmless). */
      g_mutex_unlock (&opening.mutex);
      answers = probe_portal (call, error);
      g_mutex_lock (&opening.mutex);
      if (!answers)
        return FALSE;
      if (opening.open)
        return TRUE;
    }

  if (!attempts_answered (call, error))
    return FALSE;
  if (!opening.open)
    return take_open_error (error);
  return TRUE;
}

/* The file's own failures: written meanwhile by another Gatepass (the
 * window and a command each keep the file as they read it, and libsecret
 * refuses to overwrite a newer one), or anything else. */
static void
translate_file_error (Call    *call,
                      GError  *source,
                      GError **error)
{
  if (g_error_matches (source, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG))
    g_set_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED,
                 _("Another Gatepass (a command, or the window) changed the keyring file after this one "
                   "read it, so nothing was changed: start Gatepass again and retry"));
  else
    gp_secret_translate_error (call, source, error);
}

/* The schema's items matching attributes (each a SecretRetrievable),
 * with their secrets when asked for. */
static GList *
search (GHashTable  *attributes,
        gboolean     load_secrets,
        Call        *call,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  SecretSearchFlags flags = SECRET_SEARCH_ALL | (load_secrets ? SECRET_SEARCH_LOAD_SECRETS : 0);
  GList *items = secret_password_searchv_sync (&gp_secret_schema, attributes, flags, call->cancellable,
                                               &local_error);

  if (local_error != NULL)
    translate_file_error (call, local_error, error);
  return items;
}

static char *
item_text (SecretRetrievable *item,
           Call              *call)
{
  g_autoptr(SecretValue) value = secret_retrievable_retrieve_secret_sync (item, call->cancellable, NULL);

  return value != NULL && secret_value_get_text (value) != NULL ? g_strdup (secret_value_get_text (value)) : NULL;
}

static char *
item_attribute (SecretRetrievable *item,
                const char        *name)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);

  return g_strdup (g_hash_table_lookup (attributes, name));
}

GpPassword *
gp_secret_file_lookup (Call        *call,
                       const char  *profile_id,
                       const char  *username,
                       guint64     *out_modified,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GpPassword *password = NULL;
  GList *items;

  if (!open_file (call, error))
    return NULL;
  locker = g_mutex_locker_new (&file_lock);
  attributes = gp_secret_make_attributes (profile_id, username);
  items = search (attributes, TRUE, call, &local_error);
  for (GList *l = items; l != NULL && password == NULL; l = l->next)
    if ((password = item_text (l->data, call)) != NULL && out_modified != NULL)
      *out_modified = secret_retrievable_get_modified (l->data);
  g_list_free_full (items, g_object_unref);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return password;
}

gboolean
gp_secret_file_store (Call        *call,
                      const char  *profile_id,
                      const char  *username,
                      const char  *label,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!open_file (call, error))
    return FALSE;
  locker = g_mutex_locker_new (&file_lock);
  attributes = gp_secret_make_attributes (profile_id, username);
  if (secret_password_storev_sync (&gp_secret_schema, attributes, SECRET_COLLECTION_DEFAULT, label, password,
                                   call->cancellable, &local_error))
    return TRUE;
  translate_file_error (call, local_error, error);
  return FALSE;
}

static gboolean
clear_pair (const char  *profile_id,
            const char  *username,
            Call        *call,
            GError     **error)
{
  g_autoptr(GHashTable) attributes = gp_secret_make_attributes (profile_id, username);
  g_autoptr(GError) local_error = NULL;

  /* FALSE without an error: there was nothing to delete. */
  if (!secret_password_clearv_sync (&gp_secret_schema, attributes, call->cancellable, &local_error) &&
      local_error != NULL)
    {
      translate_file_error (call, local_error, error);
      return FALSE;
    }
  return TRUE;
}

/* As delete_items in gp-secret-store.c: the profile's items (only
 * username's, when given) except those of keep_username (when given). */
gboolean
gp_secret_file_delete (Call        *call,
                       const char  *profile_id,
                       const char  *username,
                       const char  *keep_username,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *items;

  if (!open_file (call, error))
    return FALSE;
  locker = g_mutex_locker_new (&file_lock);
  if (keep_username == NULL)
    return clear_pair (profile_id, username, call, error);

  attributes = gp_secret_make_attributes (profile_id, username);
  items = search (attributes, FALSE, call, &local_error);
  for (GList *l = items; l != NULL && local_error == NULL; l = l->next)
    {
      g_autofree char *name = item_attribute (l->data, "username");

      if (name != NULL && g_strcmp0 (name, keep_username) != 0)
        clear_pair (profile_id, name, call, &local_error);
    }
  g_list_free_full (items, g_object_unref);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Every item of the schema: into listing (never locked here), or with
 * its secret into snapshot. */
static gboolean
read_every_item (Call              *call,
                 GpKeyringListing  *listing,
                 GpSecretSnapshot  *snapshot,
                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *items;

  if (!open_file (call, error))
    return FALSE;
  locker = g_mutex_locker_new (&file_lock);
  attributes = gp_secret_make_attributes (NULL, NULL);
  items = search (attributes, snapshot != NULL, call, &local_error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autofree char *id = item_attribute (l->data, "profile");
      g_autofree char *username = item_attribute (l->data, "username");
      g_autofree char *text = NULL;

      if (id == NULL || username == NULL)
        continue;
      if (listing != NULL)
        gp_keyring_listing_add (listing, id, username, FALSE);
      if (snapshot != NULL && (text = item_text (l->data, call)) != NULL)
        gp_secret_snapshot_add (snapshot, id, username, text);
      if (text != NULL)
        explicit_bzero (text, strlen (text));
    }
  g_list_free_full (items, g_object_unref);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

GpKeyringListing *
gp_secret_file_list (Call    *call,
                     GError **error)
{
  g_autoptr(GpKeyringListing) listing = gp_keyring_listing_new ();

  if (!read_every_item (call, listing, NULL, error))
    return NULL;
  return g_steal_pointer (&listing);
}

GpSecretSnapshot *
gp_secret_file_read_all (Call    *call,
                         GError **error)
{
  g_autoptr(GpSecretSnapshot) snapshot = gp_secret_snapshot_new ();

  if (!read_every_item (call, NULL, snapshot, error))
    return NULL;
  return g_steal_pointer (&snapshot);
}

/* Nothing to unlock: the file opens with the key from the portal. */
gboolean
gp_secret_file_unlock (Call    *call,
                       GError **error)
{
  return open_file (call, error);
}
