/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "gp-no-proxy.h"
#include "gp-profile-file.h"
#include "gp-profile-store.h"
#include "gp-proxy-url.h"

#define SETTINGS_GROUP      "gatepass"
/* A holder may apply the active profile to the session under the lock (a
 * few bus calls of at most 5 s each) and store a password: 10 s was seen
 * to run out for one of seven writers at once under the sanitizers. */
#define LOCK_WAIT_USEC      (30 * G_USEC_PER_SEC)
#define LOCK_POLL_USEC      (10 * 1000)
#define MAX_LINKS           40

struct _GpProfileStore
{
  GObject     parent_instance;

  char       *path;
  char       *lock_path;
  GKeyFile   *keyfile;    /* as loaded: keeps keys and groups we do not know */
  GPtrArray  *profiles;   /* GpProfile, in file order */
  char       *active_id;
  int         lock_fd;
  GError     *load_error;  /* the last load's, kept so that save refuses */
  GFileMonitor *monitor;
  guint       reload_id;
};

static void gp_profile_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GpProfileStore, gp_profile_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      gp_profile_store_list_model_init))

G_DEFINE_QUARK (gp-profile-store-error-quark, gp_profile_store_error)

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

enum {
  RELOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
gp_profile_store_get_item_type (GListModel *model)
{
  return GP_TYPE_PROFILE;
}

static guint
gp_profile_store_get_n_items (GListModel *model)
{
  return GP_PROFILE_STORE (model)->profiles->len;
}

static gpointer
gp_profile_store_get_item (GListModel *model,
                           guint       position)
{
  GpProfileStore *self = GP_PROFILE_STORE (model);

  if (position >= self->profiles->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->profiles, position));
}

static void
gp_profile_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gp_profile_store_get_item_type;
  iface->get_n_items = gp_profile_store_get_n_items;
  iface->get_item = gp_profile_store_get_item;
}

/* GKeyFile does not say where a parse error is; find the first line it
 * cannot take so that the user knows where to look. */
static GKeyFile *
parse_file (GpProfileStore  *self,
            char           **out_data,
            GError         **error)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (self->path, &data, &length, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
      data = g_strdup ("");
      length = 0;
    }

  keyfile = gp_profile_file_parse (self->path, data, length, error);
  if (keyfile == NULL)
    return NULL;

  *out_data = g_steal_pointer (&data);
  return g_steal_pointer (&keyfile);
}

static void
gp_profile_store_finalize (GObject *object)
{
  GpProfileStore *self = (GpProfileStore *) object;

  gp_profile_store_unlock (self);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_free (self->path);
  g_free (self->lock_path);
  g_key_file_unref (self->keyfile);
  g_ptr_array_unref (self->profiles);
  g_free (self->active_id);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (gp_profile_store_parent_class)->finalize (object);
}

static void
gp_profile_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GpProfileStore *self = GP_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_object (value, gp_profile_store_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_store_class_init (GpProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gp_profile_store_finalize;
  object_class->get_property = gp_profile_store_get_property;

  properties[PROP_ACTIVE] =
    g_param_spec_object ("active", NULL, NULL, GP_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GpProfileStore::reloaded:
   * @error: (nullable): why the file could not be read
   *
   * Emitted after a change made by another process was read, or could
   * not be read (then the store keeps what it had).
   */
  signals[RELOADED] =
    g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gp_profile_store_init (GpProfileStore *self)
{
  self->keyfile = g_key_file_new ();
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->lock_fd = -1;
}

char *
gp_profile_store_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "gatepass", "profiles.ini", NULL);
}

GpProfileStore *
gp_profile_store_new (const char *path)
{
  GpProfileStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (GP_TYPE_PROFILE_STORE, NULL);
  self->path = g_strdup (path);
  self->lock_path = g_strconcat (path, ".lock", NULL);
  return self;
}

const char *
gp_profile_store_get_path (GpProfileStore *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  return self->path;
}

/* id → profile, so that a reload or save of 1,000 profiles stays linear. */
static GHashTable *
index_by_id (GPtrArray *profiles)
{
  GHashTable *by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < profiles->len; i++)
    {
      GpProfile *profile = g_ptr_array_index (profiles, i);
      g_hash_table_insert (by_id, (gpointer) gp_profile_get_id (profile), profile);
    }
  return by_id;
}

/* Keeps the objects of profiles that are still there, updated in place,
 * so that views and editors bound to them follow a reload. */
static void
keep_existing_objects (GpProfileStore *self,
                       GPtrArray      *loaded)
{
  g_autoptr(GHashTable) by_id = index_by_id (self->profiles);

  for (guint i = 0; i < loaded->len; i++)
    {
      GpProfile *fresh = g_ptr_array_index (loaded, i);
      GpProfile *existing = g_hash_table_lookup (by_id, gp_profile_get_id (fresh));

      if (existing == NULL)
        continue;
      gp_profile_update_from (existing, fresh);
      g_ptr_array_index (loaded, i) = g_object_ref (existing);
      g_object_unref (fresh);
    }
}

static void
take_contents (GpProfileStore *self,
               GKeyFile       *keyfile,
               GPtrArray      *profiles,
               char           *active_id)
{
  guint old_len = self->profiles->len;

  g_key_file_unref (self->keyfile);
  self->keyfile = keyfile;
  g_free (self->active_id);
  self->active_id = active_id;

  keep_existing_objects (self, profiles);
  g_ptr_array_unref (self->profiles);
  self->profiles = profiles;

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->profiles->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* Reads the file again; on any error the store keeps what it had, and a
 * corrupt file is never written over. A missing file is an empty list. */
gboolean
gp_profile_store_load (GpProfileStore  *self,
                       GError         **error)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *data = NULL;
  char *active_id;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);

  g_clear_error (&self->load_error);
  keyfile = parse_file (self, &data, &self->load_error);
  if (keyfile == NULL || !gp_profile_file_read_profiles (self->path, keyfile, data, profiles, &self->load_error))
    {
      g_propagate_error (error, g_error_copy (self->load_error));
      return FALSE;
    }

  active_id = g_key_file_get_string (keyfile, SETTINGS_GROUP, "active", NULL);
  take_contents (self, g_steal_pointer (&keyfile), g_steal_pointer (&profiles), active_id);
  return TRUE;
}

/* Takes what another store of the same file holds (a copy that a worker
 * thread loaded, changed and saved), as a load would. Call it from the
 * thread that owns self; other must no longer change. */
void
gp_profile_store_update_from (GpProfileStore *self,
                              GpProfileStore *other)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *data = NULL;
  gsize length;

  g_return_if_fail (GP_IS_PROFILE_STORE (self));
  g_return_if_fail (GP_IS_PROFILE_STORE (other));
  g_return_if_fail (other->load_error == NULL);

  data = g_key_file_to_data (other->keyfile, &length, NULL);
  g_key_file_load_from_data (keyfile, data, length,
                             G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, NULL);
  for (guint i = 0; i < other->profiles->len; i++)
    g_ptr_array_add (profiles, gp_profile_copy (g_ptr_array_index (other->profiles, i)));

  g_clear_error (&self->load_error);
  take_contents (self, g_steal_pointer (&keyfile), g_steal_pointer (&profiles),
                 g_strdup (other->active_id));
}

/* A save or lock that the file system refuses: one message that names
 * profiles.ini and says what to do, in G_FILE_ERROR with the same code
 * (GLib's own names a temporary file and gives no advice). The file is
 * unchanged whenever this is reported: writes go to a temporary file. */
static void
set_cannot_write (GError     **error,
                  const char  *path,
                  GFileError   code,
                  const char  *detail)
{
  g_autofree char *dir = g_path_get_dirname (path);

  switch (code)
    {
    case G_FILE_ERROR_NOSPC:
      g_set_error (error, G_FILE_ERROR, code,
                   _("Cannot save %s: the disk that holds it is full. Free some space on it "
                     "and try again; the file is unchanged"), path);
      break;
    case G_FILE_ERROR_ROFS:
      g_set_error (error, G_FILE_ERROR, code,
                   _("Cannot save %s: its folder is on a read-only file system. Make %s "
                     "writable and try again; the file is unchanged"), path, dir);
      break;
    case G_FILE_ERROR_ACCES:
    case G_FILE_ERROR_PERM:
      g_set_error (error, G_FILE_ERROR, code,
                   _("Cannot save %s: you may not write in its folder. Make %s writable "
                     "for you (chmod u+w) and try again; the file is unchanged"), path, dir);
      break;
    default:
      g_set_error (error, G_FILE_ERROR, code,
                   _("Cannot save %s: %s. The file is unchanged"), path, detail);
      break;
    }
}

static gboolean
ensure_directory (const char  *path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder %s, which holds profiles.ini: %s. Create it, or "
                     "make the folder it goes in writable, and try again; nothing was changed"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Serialises read-modify-write cycles across processes, so that twenty
 * `gatepass --headless add` run at once lose nothing. Reloads once held. */
gboolean
gp_profile_store_lock (GpProfileStore  *self,
                       GError         **error)
{
  gint64 deadline;
  int fd;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (self->lock_fd == -1, FALSE);

  if (!ensure_directory (self->path, error))
    return FALSE;

  fd = g_open (self->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  /* flock () needs no write access: in a read-only folder, commands that
   * write no file (set-password) still work, and the others fail at the
   * save with its own message. */
  if (fd < 0 && (errno == EROFS || errno == EACCES || errno == EPERM))
    {
      int saved_errno = errno;

      fd = g_open (self->lock_path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        errno = saved_errno;
    }
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *detail = g_strdup_printf (_("cannot open the lock file %s: %s"),
                                                 self->lock_path, g_strerror (saved_errno));

      set_cannot_write (error, self->path, g_file_error_from_errno (saved_errno), detail);
      return FALSE;
    }

  deadline = g_get_monotonic_time () + LOCK_WAIT_USEC;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if ((errno != EWOULDBLOCK && errno != EINTR) || g_get_monotonic_time () > deadline)
        {
          close (fd);
          g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_BUSY,
                       _("Another Gatepass process holds %s; try again when it has finished"),
                       self->lock_path);
          return FALSE;
        }
      g_usleep (LOCK_POLL_USEC);
    }

  self->lock_fd = fd;
  if (!gp_profile_store_load (self, error))
    {
      gp_profile_store_unlock (self);
      return FALSE;
    }
  return TRUE;
}

void
gp_profile_store_unlock (GpProfileStore *self)
{
  g_return_if_fail (GP_IS_PROFILE_STORE (self));

  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }
}

static void
set_or_remove (GKeyFile   *keyfile,
               const char *group,
               const char *key,
               const char *value)
{
  if (value != NULL)
    g_key_file_set_string (keyfile, group, key, value);
  else
    g_key_file_remove_key (keyfile, group, key, NULL);
}

static void
write_profile (GKeyFile  *keyfile,
               GpProfile *profile)
{
  g_autofree char *group = g_strconcat (GP_PROFILE_GROUP_PREFIX, gp_profile_get_id (profile), NULL);
  const char * const *no_proxy = gp_profile_get_no_proxy (profile);

  g_key_file_set_string (keyfile, group, "name", gp_profile_get_name (profile));
  g_key_file_set_string (keyfile, group, "url", gp_profile_get_url (profile));
  set_or_remove (keyfile, group, "https-proxy", gp_profile_get_https_proxy (profile));
  if (no_proxy[0] != NULL)
    g_key_file_set_string_list (keyfile, group, "no-proxy", no_proxy, g_strv_length ((char **) no_proxy));
  else
    g_key_file_remove_key (keyfile, group, "no-proxy", NULL);
  set_or_remove (keyfile, group, "username", gp_profile_get_username (profile));
  g_key_file_set_string (keyfile, group, "auth", gp_auth_mode_to_string (gp_profile_get_auth (profile)));
  /* Written only when on, so that files of older versions stay as they were. */
  set_or_remove (keyfile, group, "session-credentials",
                 gp_profile_get_session_credentials (profile) ? "true" : NULL);
  set_or_remove (keyfile, group, "gnome-proxy", gp_profile_get_gnome_proxy (profile) ? "true" : NULL);
}

static void
remove_key_and_empty_group (GKeyFile   *keyfile,
                            const char *group,
                            const char *key)
{
  g_auto(GStrv) keys = NULL;

  g_key_file_remove_key (keyfile, group, key, NULL);
  keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  if (keys != NULL && keys[0] == NULL)
    g_key_file_remove_group (keyfile, group, NULL);
}

static void
drop_removed_groups (GpProfileStore *self)
{
  g_auto(GStrv) groups = g_key_file_get_groups (self->keyfile, NULL);
  g_autoptr(GHashTable) by_id = index_by_id (self->profiles);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_has_prefix (groups[i], GP_PROFILE_GROUP_PREFIX) &&
          !g_hash_table_contains (by_id, groups[i] + strlen (GP_PROFILE_GROUP_PREFIX)))
        g_key_file_remove_group (self->keyfile, groups[i], NULL);
    }
}

static gboolean
same_profiles (GPtrArray *meant,
               GPtrArray *loaded)
{
  g_autoptr(GHashTable) by_id = index_by_id (loaded);

  if (meant->len != loaded->len)
    return FALSE;
  for (guint i = 0; i < meant->len; i++)
    {
      GpProfile *profile = g_ptr_array_index (meant, i);
      GpProfile *other = g_hash_table_lookup (by_id, gp_profile_get_id (profile));

      if (other == NULL || !gp_profile_equal (profile, other))
        return FALSE;
    }
  return TRUE;
}

static gboolean
refuse_save (GpProfileStore  *self,
             const char      *why,
             GError         **error)
{
  g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_WOULD_CHANGE,
               _("Gatepass did not save %s: the new version would not load back as the same "
                 "profiles (%s). The file is unchanged; please report this as a bug"),
               self->path, why);
  return FALSE;
}

/* GKeyFile writes some files that it, or this loader, then reads in
 * another way (a key moved to another group, a value read otherwise than
 * written): read what is about to be written with the loader itself, and
 * refuse to write a file that would change meaning or not load at all. */
static gboolean
check_loads_back (GpProfileStore  *self,
                  const char      *data,
                  gsize            length,
                  GError         **error)
{
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *active = NULL;
  GpProfile *meant_active = gp_profile_store_get_active (self);

  keyfile = gp_profile_file_parse (NULL, data, length, &local_error);
  if (keyfile == NULL || !gp_profile_file_read_profiles (NULL, keyfile, data, loaded, &local_error))
    return refuse_save (self, local_error->message, error);

  if (!same_profiles (self->profiles, loaded))
    return refuse_save (self, _("a profile would read back with other values"), error);

  active = g_key_file_get_string (keyfile, SETTINGS_GROUP, "active", NULL);
  if (g_strcmp0 (active, meant_active != NULL ? gp_profile_get_id (meant_active) : NULL) != 0)
    return refuse_save (self, _("another profile would be the active one"), error);

  return TRUE;
}

/* Dotfile managers keep profiles.ini as a symbolic link into their own
 * tree: a rename over the link would put a regular file in its place and
 * leave the tree as it was. Write to the link's target instead, next to
 * it (so that the rename stays atomic), and keep the link. A link whose
 * target is missing is refused rather than followed: creating files in a
 * tree that is not there (a dotfiles checkout not mounted yet) would
 * surprise more than help. */
static char *
resolve_link (const char  *path,
              GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (guint depth = 0; depth < MAX_LINKS; depth++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *target = g_file_read_link (current, &local_error);
      g_autofree char *dir = NULL;

      /* Not a link, or no file yet at the path the user gave: write it. */
      if (target == NULL &&
          (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_INVAL) ||
           (depth == 0 && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))))
        return g_steal_pointer (&current);

      if (target == NULL && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       _("%s is a symbolic link to %s, which does not exist: create that file "
                         "(it may be empty) or remove the link"), path, current);
          return NULL;
        }

      if (target == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_path_is_absolute (target) ? g_steal_pointer (&target)
                                            : g_build_filename (dir, target, NULL);
    }

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP,
               _("%s is a symbolic link that leads to more links than Gatepass follows: "
                 "point it at the file itself"), path);
  return NULL;
}

/* Writes atomically (a temporary file renamed over the old one), mode 0600,
 * keeping every key and group that this version does not know. Writes
 * through a symbolic link to its target, and writes nothing that would not
 * load back as the same profiles. */
gboolean
gp_profile_store_save (GpProfileStore  *self,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);

  /* Never write over a file that could not be read. */
  if (self->load_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->load_error));
      return FALSE;
    }

  drop_removed_groups (self);
  for (guint i = 0; i < self->profiles->len; i++)
    write_profile (self->keyfile, g_ptr_array_index (self->profiles, i));

  if (gp_profile_store_get_active (self) != NULL)
    g_key_file_set_string (self->keyfile, SETTINGS_GROUP, "active", self->active_id);
  else if (g_key_file_has_group (self->keyfile, SETTINGS_GROUP))
    remove_key_and_empty_group (self->keyfile, SETTINGS_GROUP, "active");

  if (!ensure_directory (self->path, error))
    return FALSE;

  data = g_key_file_to_data (self->keyfile, &length, NULL);
  if (!check_loads_back (self, data, length, error))
    return FALSE;

  target = resolve_link (self->path, error);
  if (target == NULL)
    return FALSE;
  if (!g_file_set_contents_full (target, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      set_cannot_write (error, target,
                        local_error->domain == G_FILE_ERROR ? local_error->code : G_FILE_ERROR_FAILED,
                        local_error->message);
      return FALSE;
    }
  return TRUE;
}

GpProfile *
gp_profile_store_find (GpProfileStore *self,
                       const char     *name)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      GpProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (gp_profile_get_name (profile), name) == 0)
        return profile;
    }
  return NULL;
}

GpProfile *
gp_profile_store_find_by_id (GpProfileStore *self,
                             const char     *id)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);

  for (guint i = 0; id != NULL && i < self->profiles->len; i++)
    {
      GpProfile *profile = g_ptr_array_index (self->profiles, i);

      if (strcmp (gp_profile_get_id (profile), id) == 0)
        return profile;
    }
  return NULL;
}

gboolean
gp_profile_store_check_name_free (GpProfileStore  *self,
                                  const char      *name,
                                  GpProfile       *except,
                                  GError         **error)
{
  GpProfile *other;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);

  other = gp_profile_store_find (self, name);
  if (other != NULL && other != except)
    {
      g_set_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS,
                   _("A profile named “%s” already exists; choose another name"), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
gp_profile_store_add (GpProfileStore  *self,
                      GpProfile       *profile,
                      GError         **error)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (GP_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (gp_profile_store_find_by_id (self, gp_profile_get_id (profile)) == NULL, FALSE);

  if (!gp_profile_validate (profile, error) ||
      !gp_profile_store_check_name_free (self, gp_profile_get_name (profile), NULL, error))
    return FALSE;

  g_ptr_array_add (self->profiles, g_object_ref (profile));
  g_list_model_items_changed (G_LIST_MODEL (self), self->profiles->len - 1, 0, 1);
  return TRUE;
}

void
gp_profile_store_remove (GpProfileStore *self,
                         GpProfile      *profile)
{
  guint position;

  g_return_if_fail (GP_IS_PROFILE_STORE (self));
  g_return_if_fail (GP_IS_PROFILE (profile));

  if (!g_ptr_array_find (self->profiles, profile, &position))
    return;

  if (profile == gp_profile_store_get_active (self))
    gp_profile_store_set_active (self, NULL);

  g_ptr_array_remove_index (self->profiles, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

GpProfile *
gp_profile_store_get_active (GpProfileStore *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), NULL);
  return gp_profile_store_find_by_id (self, self->active_id);
}

void
gp_profile_store_set_active (GpProfileStore *self,
                             GpProfile      *profile)
{
  g_return_if_fail (GP_IS_PROFILE_STORE (self));
  g_return_if_fail (profile == NULL || GP_IS_PROFILE (profile));

  g_free (self->active_id);
  self->active_id = profile != NULL ? g_strdup (gp_profile_get_id (profile)) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static gboolean
reload_now (gpointer user_data)
{
  GpProfileStore *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reload_id = 0;
  gp_profile_store_load (self, &error);
  g_signal_emit (self, signals[RELOADED], 0, error);
  return G_SOURCE_REMOVE;
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    GpProfileStore    *self)
{
  /* Saves are a write and a rename: wait for the burst to settle. */
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (50, reload_now, self);
}

/* Follows changes made by other processes (the headless commands) from
 * now on; each is read and announced with ::reloaded. */
gboolean
gp_profile_store_watch (GpProfileStore  *self,
                        GError         **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (GP_IS_PROFILE_STORE (self), FALSE);

  if (self->monitor != NULL)
    return TRUE;
  if (!ensure_directory (self->path, error))
    return FALSE;

  file = g_file_new_for_path (self->path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (self->monitor == NULL)
    return FALSE;

  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self);
  return TRUE;
}
