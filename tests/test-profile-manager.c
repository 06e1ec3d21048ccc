/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <sys/resource.h>

#include "gp-ca.h"
#include "gp-profile-manager.h"

/* Every use case once, against a real gnome-keyring-daemon (this runs in
 * tests/keyring-session.sh) and a real profiles file in a temporary
 * directory, including the rollback of the keyring when the file cannot
 * be written. */

typedef struct
{
  char             *dir;
  char             *path;
  GpProfileStore   *store;
  GpSecretStore    *secrets;
  GpProfileManager *manager;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("gp-profile-manager-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "profiles.ini", NULL);
  f->store = gp_profile_store_new (f->path);
  f->secrets = gp_secret_store_new (FALSE);
  f->manager = gp_profile_manager_new (f->store, f->secrets);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *lock = g_strconcat (f->path, ".lock", NULL);

  g_clear_object (&f->manager);
  g_clear_object (&f->secrets);
  g_clear_object (&f->store);
  g_unlink (f->path);
  g_unlink (lock);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GpProfile *
new_profile (const char *name,
             const char *username)
{
  g_autofree char *id = gp_profile_new_id ();
  GpProfile *profile = gp_profile_new (id);

  gp_profile_set_name (profile, name);
  gp_profile_set_url (profile, "http://proxy.example:3128");
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, username != NULL ? GP_AUTH_PASSWORD : GP_AUTH_NONE);
  return profile;
}

/* The password under (profile, username) as the keyring has it now. */
static char *
stored (Fixture    *f,
        GpProfile  *profile,
        const char *username)
{
  g_autoptr(GError) error = NULL;
  char *password = gp_secret_store_lookup (f->secrets, gp_profile_get_id (profile), username, NULL, &error);

  g_assert_no_error (error);
  return password;
}

/* What another process reads from the file. */
static GpProfileStore *
reread (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GpProfileStore *other = gp_profile_store_new (f->path);

  g_assert_true (gp_profile_store_load (other, &error));
  g_assert_no_error (error);
  return other;
}

static void
add (Fixture    *f,
     GpProfile  *profile,
     const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_profile_manager_add (f->manager, profile, password, NULL, &error));
  g_assert_no_error (error);
}

/* Runs the next manager call with writes limited to no byte at all: the
 * lock file (empty) can be opened, the profiles file read, but a save
 * fails, which also works as root, unlike a read-only mode. */
static void
forbid_writes (gboolean forbid)
{
  static struct rlimit saved;
  struct rlimit tiny;

  if (forbid)
    {
      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
      tiny = saved;
      tiny.rlim_cur = 1;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &tiny), ==, 0);
    }
  else
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
}

static void
test_add (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GpProfileStore) other = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProfile) twin = new_profile ("office", NULL);

  add (f, profile, "s3cret");
  password = stored (f, profile, "alice");
  g_assert_cmpstr (password, ==, "s3cret");
  g_assert_nonnull (gp_profile_store_find (f->store, "office"));
  other = reread (f);
  g_assert_nonnull (gp_profile_store_find_by_id (other, gp_profile_get_id (profile)));

  /* A second profile of that name: refused before the keyring is asked. */
  g_assert_false (gp_profile_manager_add (f->manager, twin, "other", NULL, &error));
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
}

static void
test_add_rollback (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean ok;

  forbid_writes (TRUE);
  ok = gp_profile_manager_add (f->manager, profile, "s3cret", NULL, &error);
  forbid_writes (FALSE);

  g_assert_false (ok);
  g_assert_true (error != NULL && error->domain == G_FILE_ERROR);
  password = stored (f, profile, "alice");
  g_assert_null (password);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* Rename, URL, HTTPS proxy and no-proxy list: the file only. */
static void
test_update_fields (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GpProfile) other_profile = new_profile ("home", NULL);
  g_autoptr(GpProfile) edited = NULL;
  g_autoptr(GpProfileStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  const char *no_proxy[] = { "localhost", ".corp.example", NULL };
  GpProfile *saved;

  add (f, profile, "s3cret");
  add (f, other_profile, NULL);
  edited = gp_profile_copy (profile);
  gp_profile_set_name (edited, "office 2");
  gp_profile_set_url (edited, "socks5://proxy.example:1080");
  gp_profile_set_https_proxy (edited, "http://tls.example:8080");
  gp_profile_set_no_proxy (edited, no_proxy);
  g_assert_true (gp_profile_manager_update (f->manager, edited, NULL, GP_PROFILE_UPDATE_NONE, NULL, &error));
  g_assert_no_error (error);

  other = reread (f);
  saved = gp_profile_store_find (other, "office 2");
  g_assert_nonnull (saved);
  g_assert_cmpstr (gp_profile_get_url (saved), ==, "socks5://proxy.example:1080");
  g_assert_cmpstr (gp_profile_get_https_proxy (saved), ==, "http://tls.example:8080");
  g_assert_cmpstrv (gp_profile_get_no_proxy (saved), no_proxy);
  /* The window's object follows, and the password stays where it was. */
  g_assert_cmpstr (gp_profile_get_name (gp_profile_store_find_by_id (f->store, gp_profile_get_id (profile))),
                   ==, "office 2");
  password = stored (f, profile, "alice");
  g_assert_cmpstr (password, ==, "s3cret");

  /* A rename onto another profile's name is refused. */
  gp_profile_set_name (edited, "home");
  g_assert_false (gp_profile_manager_update (f->manager, edited, NULL, GP_PROFILE_UPDATE_NONE, NULL, &error));
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS);
}

static gboolean
update (Fixture              *f,
        GpProfile            *edited,
        const char           *password,
        GpProfileUpdateFlags  flags,
        gboolean              writable)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!writable)
    forbid_writes (TRUE);
  ok = gp_profile_manager_update (f->manager, edited, password, flags, NULL, &error);
  if (!writable)
    forbid_writes (FALSE);

  if (writable)
    g_assert_no_error (error);
  else
    g_assert_true (error != NULL && error->domain == G_FILE_ERROR);
  return ok;
}

static void
assert_stored (Fixture    *f,
               GpProfile  *profile,
               const char *username,
               const char *expected)
{
  g_autofree char *password = stored (f, profile, username);

  g_assert_cmpstr (password, ==, expected);
}

/* A new username takes the stored password along; the old item goes. */
static void
test_update_username (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GpProfile) edited = NULL;

  add (f, profile, "s3cret");
  edited = gp_profile_copy (profile);
  gp_profile_set_username (edited, "bob");

  g_assert_false (update (f, edited, NULL, GP_PROFILE_UPDATE_NONE, FALSE));
  assert_stored (f, profile, "alice", "s3cret");
  assert_stored (f, profile, "bob", NULL);
  g_assert_cmpstr (gp_profile_get_username (gp_profile_store_find (f->store, "office")), ==, "alice");

  g_assert_true (update (f, edited, NULL, GP_PROFILE_UPDATE_NONE, TRUE));
  assert_stored (f, profile, "alice", NULL);
  assert_stored (f, profile, "bob", "s3cret");
  g_assert_cmpstr (gp_profile_get_username (gp_profile_store_find (f->store, "office")), ==, "bob");

  /* With a new password too. */
  gp_profile_set_username (edited, "carol");
  g_assert_false (update (f, edited, "n3w", GP_PROFILE_UPDATE_NONE, FALSE));
  assert_stored (f, profile, "bob", "s3cret");
  assert_stored (f, profile, "carol", NULL);
  g_assert_true (update (f, edited, "n3w", GP_PROFILE_UPDATE_NONE, TRUE));
  assert_stored (f, profile, "bob", NULL);
  assert_stored (f, profile, "carol", "n3w");
}

static void
test_update_password (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");

  add (f, profile, "s3cret");
  g_assert_false (update (f, profile, "n3w", GP_PROFILE_UPDATE_NONE, FALSE));
  assert_stored (f, profile, "alice", "s3cret");
  g_assert_true (update (f, profile, "n3w", GP_PROFILE_UPDATE_NONE, TRUE));
  assert_stored (f, profile, "alice", "n3w");
}

/* Auth ip or none deletes the item; a failed save puts it back. */
static void
test_update_auth (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GpProfile) edited = NULL;
  g_autoptr(GpProfileStore) other = NULL;

  add (f, profile, "s3cret");
  edited = gp_profile_copy (profile);
  gp_profile_set_auth (edited, GP_AUTH_IP);

  g_assert_false (update (f, edited, NULL, GP_PROFILE_UPDATE_NONE, FALSE));
  assert_stored (f, profile, "alice", "s3cret");
  other = reread (f);
  g_assert_cmpint (gp_profile_get_auth (gp_profile_store_find (other, "office")), ==, GP_AUTH_PASSWORD);

  g_assert_true (update (f, edited, NULL, GP_PROFILE_UPDATE_NONE, TRUE));
  assert_stored (f, profile, "alice", NULL);
  g_assert_cmpint (gp_profile_get_auth (gp_profile_store_find (f->store, "office")), ==, GP_AUTH_IP);
}

/* An explicit auth change also deletes what older edits left behind. */
static void
test_update_clear_unused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", NULL);
  g_autoptr(GError) error = NULL;

  add (f, profile, NULL);
  g_assert_true (gp_secret_store_store (f->secrets, gp_profile_get_id (profile), "left", "old", "x",
                                        NULL, &error));
  g_assert_true (update (f, profile, NULL, GP_PROFILE_UPDATE_NONE, TRUE));
  assert_stored (f, profile, "left", "x");
  g_assert_true (update (f, profile, NULL, GP_PROFILE_UPDATE_CLEAR_UNUSED, TRUE));
  assert_stored (f, profile, "left", NULL);
}

static void
test_duplicate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *password = NULL;
  GpProfile *copy;

  add (f, profile, "s3cret");
  id = gp_profile_manager_duplicate (f->manager, gp_profile_get_id (profile), "office (Copy)", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpstr (id, !=, gp_profile_get_id (profile));

  copy = gp_profile_store_find_by_id (f->store, id);
  g_assert_nonnull (copy);
  g_assert_cmpstr (gp_profile_get_name (copy), ==, "office (Copy)");
  g_assert_cmpstr (gp_profile_get_url (copy), ==, gp_profile_get_url (profile));
  g_assert_cmpstr (gp_profile_get_username (copy), ==, "alice");
  /* The password is not copied. */
  password = stored (f, copy, "alice");
  g_assert_null (password);

  g_assert_null (gp_profile_manager_duplicate (f->manager, gp_profile_get_id (profile), "office (Copy)",
                                               NULL, &error));
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS);
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GpProfile) kept = new_profile ("home", NULL);
  const char *id = gp_profile_get_id (profile);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Another profile, so that the file still has bytes to write. */
  add (f, kept, NULL);
  add (f, profile, "s3cret");
  forbid_writes (TRUE);
  ok = gp_profile_manager_remove (f->manager, id, NULL, &error);
  forbid_writes (FALSE);
  g_assert_false (ok);
  g_assert_true (error != NULL && error->domain == G_FILE_ERROR);
  g_clear_error (&error);
  assert_stored (f, profile, "alice", "s3cret");
  g_assert_nonnull (gp_profile_store_find_by_id (f->store, id));

  g_assert_true (gp_profile_manager_remove (f->manager, id, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, profile, "alice", NULL);
  g_assert_null (gp_profile_store_find_by_id (f->store, id));

  g_assert_false (gp_profile_manager_remove (f->manager, id, NULL, &error));
  g_assert_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NOT_FOUND);
}

/* The CA's files follow the profile: a copy gets them, a removal takes
 * them, a failed removal leaves them. */
static void
test_ca (Fixture       *f,
         gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("inspected", NULL);
  g_autoptr(GpProfile) kept = new_profile ("home", NULL);
  const char *id = gp_profile_get_id (profile);
  g_autofree char *ca_path = g_build_filename (g_getenv ("GATEPASS_TESTS_SRCDIR"), "data", "ca", "ca.pem", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *copy_id = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (ca_path, &pem, NULL, NULL));
  add (f, kept, NULL);
  add (f, profile, NULL);

  g_assert_false (gp_profile_manager_set_ca (f->manager, "no-such-profile", pem, NULL, &error));
  g_assert_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gp_ca_store_has ("no-such-profile"));

  g_assert_true (gp_profile_manager_set_ca (f->manager, id, pem, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (gp_ca_store_has (id));

  copy_id = gp_profile_manager_duplicate (f->manager, id, "inspected 2", NULL, &error);
  g_assert_no_error (error);
  copied = gp_ca_store_read (copy_id, &error);
  g_assert_cmpstr (copied, ==, pem);

  forbid_writes (TRUE);
  g_assert_false (gp_profile_manager_remove (f->manager, id, NULL, &error));
  forbid_writes (FALSE);
  g_clear_error (&error);
  g_assert_true (gp_ca_store_has (id));

  g_assert_true (gp_profile_manager_remove (f->manager, id, NULL, &error));
  g_assert_false (gp_ca_store_has (id));
  g_assert_true (gp_ca_store_has (copy_id));

  g_assert_true (gp_profile_manager_set_ca (f->manager, copy_id, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (gp_ca_store_has (copy_id));
}

static void
test_passwords (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GpProfile) open = new_profile ("open", NULL);
  g_autoptr(GpKeyringListing) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = gp_profile_get_id (profile);

  add (f, profile, NULL);
  add (f, open, NULL);
  g_assert_true (gp_profile_manager_set_password (f->manager, id, "s3cret", NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, profile, "alice", "s3cret");

  listing = gp_profile_manager_list_passwords (f->manager, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_keyring_listing_has (listing, id, "alice"));
  g_assert_false (gp_keyring_listing_is_locked (listing, id, "alice"));
  g_assert_false (gp_keyring_listing_has (listing, id, "bob"));

  g_assert_true (gp_profile_manager_forget_password (f->manager, id, NULL, &error));
  g_assert_no_error (error);
  assert_stored (f, profile, "alice", NULL);

  g_assert_false (gp_profile_manager_set_password (f->manager, gp_profile_get_id (open), "x", NULL, &error));
  g_assert_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NO_CREDENTIALS);
}

static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", NULL);
  g_autoptr(GpProfileStore) other = NULL;
  g_autoptr(GError) error = NULL;

  add (f, profile, NULL);
  g_assert_true (gp_profile_manager_activate (f->manager, gp_profile_get_id (profile), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gp_profile_get_id (gp_profile_store_get_active (f->store)), ==, gp_profile_get_id (profile));
  other = reread (f);
  g_assert_nonnull (gp_profile_store_get_active (other));

  g_assert_true (gp_profile_manager_deactivate (f->manager, NULL, &error));
  g_assert_null (gp_profile_store_get_active (f->store));
  g_clear_object (&other);
  other = reread (f);
  g_assert_null (gp_profile_store_get_active (other));

  g_assert_false (gp_profile_manager_activate (f->manager, "no-such-id", NULL, &error));
  g_assert_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NOT_FOUND);
}

/* --- a failed save leaves the keyring exactly as it was ----------------- */

static const SecretSchema schema = {
  GP_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  { { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "username", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Every item of the schema, straight from libsecret: one sorted line of
 * "profile username secret" each, so that two sets compare as strings. */
static char *
keyring_items (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GList *items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error, NULL);

  g_assert_no_error (error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(SecretValue) value = secret_retrievable_retrieve_secret_sync (l->data, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (value);
      g_ptr_array_add (lines, g_strdup_printf ("%s %s %s", (char *) g_hash_table_lookup (attributes, "profile"),
                                               (char *) g_hash_table_lookup (attributes, "username"),
                                               secret_value_get_text (value)));
    }
  g_list_free_full (items, g_object_unref);
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
store_item (Fixture    *f,
            GpProfile  *profile,
            const char *username,
            const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_secret_store_store (f->secrets, gp_profile_get_id (profile), username, "left over", password,
                                        NULL, &error));
  g_assert_no_error (error);
}

/* office (alice) with orphans under zoe and carol, another profile with
 * its own item, and a profile not yet added whose id already has an
 * orphan: every item that a use case of office or fresh must not touch. */
typedef struct
{
  GpProfile *office;
  GpProfile *home;
  GpProfile *fresh;
} Scene;

static void
scene_set_up (Fixture *f,
              Scene   *scene)
{
  scene->office = new_profile ("office", "alice");
  scene->home = new_profile ("home", "bob");
  scene->fresh = new_profile ("fresh", "dave");
  add (f, scene->office, "s3cret");
  add (f, scene->home, "h0me");
  store_item (f, scene->office, "zoe", "z0e");
  store_item (f, scene->office, "carol", "c4rol");
  store_item (f, scene->fresh, "zoe", "fr3sh-z0e");
}

static void
scene_clear (Scene *scene)
{
  g_clear_object (&scene->office);
  g_clear_object (&scene->home);
  g_clear_object (&scene->fresh);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scene, scene_clear)

typedef gboolean (*UseCase) (Fixture *f, Scene *scene, GError **error);

static gboolean
edit_office (Fixture     *f,
             Scene       *scene,
             const char  *username,
             GpAuthMode   auth,
             const char  *password,
             GError     **error)
{
  g_autoptr(GpProfile) edited = gp_profile_copy (scene->office);

  gp_profile_set_username (edited, username);
  gp_profile_set_auth (edited, auth);
  return gp_profile_manager_update (f->manager, edited, password, GP_PROFILE_UPDATE_CLEAR_UNUSED, NULL, error);
}

static gboolean
add_with_password (Fixture *f, Scene *scene, GError **error)
{
  return gp_profile_manager_add (f->manager, scene->fresh, "n3w", NULL, error);
}

static gboolean
new_password (Fixture *f, Scene *scene, GError **error)
{
  return edit_office (f, scene, "alice", GP_AUTH_PASSWORD, "n3w", error);
}

static gboolean
move_username (Fixture *f, Scene *scene, GError **error)
{
  return edit_office (f, scene, "bob", GP_AUTH_PASSWORD, NULL, error);
}

/* Onto carol, whose orphan the new password replaces. */
static gboolean
move_username_new_password (Fixture *f, Scene *scene, GError **error)
{
  return edit_office (f, scene, "carol", GP_AUTH_PASSWORD, "n3w", error);
}

static gboolean
auth_none (Fixture *f, Scene *scene, GError **error)
{
  return edit_office (f, scene, "alice", GP_AUTH_NONE, NULL, error);
}

static gboolean
auth_ip (Fixture *f, Scene *scene, GError **error)
{
  return edit_office (f, scene, "alice", GP_AUTH_IP, NULL, error);
}

static gboolean
remove_office (Fixture *f, Scene *scene, GError **error)
{
  return gp_profile_manager_remove (f->manager, gp_profile_get_id (scene->office), NULL, error);
}

static void
on_warning (GpProfileManager *manager,
            const GError     *error,
            guint            *count)
{
  (*count)++;
}

static void
test_failed_save (Fixture       *f,
                  gconstpointer  data)
{
  UseCase run = (UseCase) data;
  g_auto(Scene) scene = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  guint warnings = 0;
  gboolean ok;

  scene_set_up (f, &scene);
  before = keyring_items ();
  g_signal_connect (f->manager, "warning", G_CALLBACK (on_warning), &warnings);

  forbid_writes (TRUE);
  ok = run (f, &scene, &error);
  forbid_writes (FALSE);

  g_assert_false (ok);
  g_assert_true (error != NULL && error->domain == G_FILE_ERROR);
  after = keyring_items ();
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (warnings, ==, 0);
}

/* forget-password writes no file, so no save can fail: it deletes the
 * profile's items, orphans too, and nothing of another profile. */
static void
test_forget_exact (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Scene) scene = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  scene_set_up (f, &scene);
  id = gp_profile_get_id (scene.office);
  g_assert_true (gp_profile_manager_remove (f->manager, gp_profile_get_id (scene.home), NULL, &error));
  g_assert_no_error (error);

  /* A profile removed meanwhile: nothing happens. */
  store_item (f, scene.home, "bob", "h0me");
  before = keyring_items ();
  g_assert_false (gp_profile_manager_forget_password (f->manager, gp_profile_get_id (scene.home), NULL, &error));
  g_assert_error (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = keyring_items ();
  g_assert_cmpstr (after, ==, before);

  g_assert_true (gp_profile_manager_forget_password (f->manager, id, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = keyring_items ();
  g_assert_null (strstr (after, id));
  expected = g_strdup_printf ("%s bob h0me", gp_profile_get_id (scene.home));
  g_assert_nonnull (strstr (after, expected));
}

/* Once saved, a move drops exactly the old username's item, and a
 * removal every item of the profile; other profiles keep theirs. */
static void
test_saved_deletions (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Scene) scene = { 0 };
  g_autofree char *after = NULL;
  g_autofree char *home_item = NULL;
  g_autoptr(GError) error = NULL;
  guint warnings = 0;

  scene_set_up (f, &scene);
  g_signal_connect (f->manager, "warning", G_CALLBACK (on_warning), &warnings);
  g_assert_true (move_username (f, &scene, &error));
  g_assert_no_error (error);
  assert_stored (f, scene.office, "alice", NULL);
  assert_stored (f, scene.office, "bob", "s3cret");
  assert_stored (f, scene.office, "zoe", "z0e");
  assert_stored (f, scene.office, "carol", "c4rol");

  g_assert_true (remove_office (f, &scene, &error));
  g_assert_no_error (error);
  after = keyring_items ();
  g_assert_null (strstr (after, gp_profile_get_id (scene.office)));
  home_item = g_strdup_printf ("%s bob h0me", gp_profile_get_id (scene.home));
  g_assert_nonnull (strstr (after, home_item));
  g_assert_cmpuint (warnings, ==, 0);
}

static void
on_done (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
  return *slot;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GThread   **thread)
{
  *thread = g_thread_self ();
}

/* The store is changed by _finish, in the thread that runs the loop. */
static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GpProfile) profile = new_profile ("office", "alice");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *changed_in = NULL;

  g_signal_connect (f->store, "items-changed", G_CALLBACK (on_items_changed), &changed_in);
  gp_profile_manager_add_async (f->manager, profile, "s3cret", NULL, on_done, &result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_true (gp_profile_manager_finish (f->manager, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_true (changed_in == g_thread_self ());
  g_assert_nonnull (gp_profile_store_find (f->store, "office"));
  assert_stored (f, profile, "alice", "s3cret");

  g_cancellable_cancel (cancellable);
  gp_profile_manager_remove_async (f->manager, gp_profile_get_id (profile), cancellable, on_done,
                                   &cancelled_result);
  g_assert_false (gp_profile_manager_finish (f->manager, wait_for (&cancelled_result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_stored (f, profile, "alice", "s3cret");
  g_assert_nonnull (gp_profile_store_find (f->store, "office"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A write past RLIMIT_FSIZE then fails with EFBIG instead of killing us. */
  signal (SIGXFSZ, SIG_IGN);

#define ADD(path, func) g_test_add ("/profile-manager/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add", test_add);
  ADD ("add/rollback", test_add_rollback);
  ADD ("update/fields", test_update_fields);
  ADD ("update/username", test_update_username);
  ADD ("update/password", test_update_password);
  ADD ("update/auth", test_update_auth);
  ADD ("update/clear-unused", test_update_clear_unused);
  ADD ("duplicate", test_duplicate);
  ADD ("remove", test_remove);
  ADD ("passwords", test_passwords);
  ADD ("ca", test_ca);
  ADD ("activate", test_activate);
  ADD ("async", test_async);
  ADD ("forget/exact", test_forget_exact);
  ADD ("saved/deletions", test_saved_deletions);
#undef ADD

#define FAILED_SAVE(path, run) \
  g_test_add ("/profile-manager/failed-save/" path, Fixture, (gconstpointer) run, \
              fixture_set_up, test_failed_save, fixture_tear_down)
  FAILED_SAVE ("add-with-password", add_with_password);
  FAILED_SAVE ("new-password", new_password);
  FAILED_SAVE ("move-username", move_username);
  FAILED_SAVE ("move-username-new-password", move_username_new_password);
  FAILED_SAVE ("auth-none", auth_none);
  FAILED_SAVE ("auth-ip", auth_ip);
  FAILED_SAVE ("remove", remove_office);
#undef FAILED_SAVE

  return g_test_run ();
}
