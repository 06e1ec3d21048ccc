/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gp-profile-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gp-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "profiles.ini", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
write_file (const char *path,
            const char *data,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, length, &error);
  g_assert_no_error (error);
  return data;
}

static GpProfileStore *
load_store (const char *path)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_profile_store_load (store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static GpProfile *
make_profile (const char         *id,
              const char         *name,
              const char         *url,
              const char         *https_proxy,
              const char * const *no_proxy,
              const char         *username,
              GpAuthMode          auth)
{
  GpProfile *profile = gp_profile_new (id);

  gp_profile_set_name (profile, name);
  gp_profile_set_url (profile, url);
  gp_profile_set_https_proxy (profile, https_proxy);
  gp_profile_set_no_proxy (profile, no_proxy);
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, auth);
  return profile;
}

static void
add_profile (GpProfileStore *store,
             GpProfile      *profile)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
}

static void
save_store (GpProfileStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_profile_store_save (store, &error));
  g_assert_no_error (error);
}

/* Names and values that a key file must escape or keep exactly. */
static void
add_sample_profiles (GpProfileStore *store)
{
  const char * const office_no_proxy[] = {
    "localhost", ".corp.example", "10.0.0.0/8", "::1", NULL
  };
  const char * const star[] = { "*", NULL };
  g_autoptr(GpProfile) office = make_profile ("office", "office", "http://proxy.corp:3128",
                                              "https://secure.corp:8443", office_no_proxy,
                                              "alice", GP_AUTH_PASSWORD);
  g_autoptr(GpProfile) odd = make_profile ("3f2b1c9e-1111-4a4a-8b8b-123456789abc",
                                           "Café ☕ [x] = y; #z \\ \"q\" 'r' ",
                                           "socks5h://[2001:db8::1]:1080", NULL, star,
                                           "dom:user ü", GP_AUTH_IP);
  g_autoptr(GpProfile) plain = make_profile ("plain_1.x", " spaced name", "http://10.0.0.1:8080",
                                             NULL, NULL, NULL, GP_AUTH_NONE);

  /* The session options, one each, so that a save that drops either shows. */
  gp_profile_set_session_credentials (office, TRUE);
  gp_profile_set_gnome_proxy (odd, TRUE);
  add_profile (store, office);
  add_profile (store, odd);
  add_profile (store, plain);
  gp_profile_store_set_active (store, odd);
}

static void
assert_same_profile (GpProfile *a,
                     GpProfile *b)
{
  g_assert_cmpstr (gp_profile_get_id (a), ==, gp_profile_get_id (b));
  g_assert_cmpstr (gp_profile_get_name (a), ==, gp_profile_get_name (b));
  g_assert_cmpstr (gp_profile_get_url (a), ==, gp_profile_get_url (b));
  g_assert_cmpstr (gp_profile_get_https_proxy (a), ==, gp_profile_get_https_proxy (b));
  g_assert_true (g_strv_equal (gp_profile_get_no_proxy (a), gp_profile_get_no_proxy (b)));
  g_assert_cmpstr (gp_profile_get_username (a), ==, gp_profile_get_username (b));
  g_assert_cmpint (gp_profile_get_auth (a), ==, gp_profile_get_auth (b));
  g_assert_cmpint (gp_profile_get_session_credentials (a), ==, gp_profile_get_session_credentials (b));
  g_assert_cmpint (gp_profile_get_gnome_proxy (a), ==, gp_profile_get_gnome_proxy (b));
  g_assert_true (gp_profile_equal (a, b));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfileStore) again = NULL;
  guint n;

  add_sample_profiles (store);
  save_store (store);

  again = load_store (fixture->path);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, n);

  /* Same profiles, same fields, same order. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpProfile) a = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(GpProfile) b = g_list_model_get_item (G_LIST_MODEL (again), i);

      assert_same_profile (a, b);
    }

  g_assert_nonnull (gp_profile_store_get_active (again));
  g_assert_cmpstr (gp_profile_get_id (gp_profile_store_get_active (again)), ==,
                   "3f2b1c9e-1111-4a4a-8b8b-123456789abc");
  g_assert_nonnull (gp_profile_store_find (again, "Café ☕ [x] = y; #z \\ \"q\" 'r' "));
  g_assert_nonnull (gp_profile_store_find (again, " spaced name"));
  g_assert_null (gp_profile_store_find (again, "spaced name"));
  g_assert_nonnull (gp_profile_store_find_by_id (again, "plain_1.x"));
}

static void
test_no_password_in_file (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autofree char *contents = NULL;

  add_sample_profiles (store);
  save_store (store);
  contents = read_file (fixture->path, NULL);

  /* The store has no password to write; its key names say so too. */
  g_assert_null (strstr (contents, "password="));
  g_assert_null (strstr (contents, "secret"));
}

static void
test_file_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  GStatBuf st;

  add_sample_profiles (store);
  save_store (store);

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  /* Saving again over a file that someone made readable tightens it. */
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  save_store (store);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
}

static void
test_creates_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (fixture->dir, "a", "b", "profiles.ini", NULL);
  g_autoptr(GpProfileStore) store = gp_profile_store_new (nested);
  g_autoptr(GpProfileStore) again = NULL;

  add_sample_profiles (store);
  save_store (store);
  again = load_store (nested);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
}

static void
assert_only_expected_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *entry;
  gboolean saw_profiles = FALSE;

  g_assert_nonnull (listing);
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("in folder: %s", entry);
      g_assert_true (g_str_equal (entry, "profiles.ini") ||
                     g_str_equal (entry, "profiles.ini.lock"));
      saw_profiles |= g_str_equal (entry, "profiles.ini");
    }
  g_assert_true (saw_profiles);
}

static void
test_no_temporary_files (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_profile_store_lock (store, &error));
  g_assert_no_error (error);
  add_sample_profiles (store);
  for (guint i = 0; i < 5; i++)
    save_store (store);
  gp_profile_store_unlock (store);

  assert_only_expected_files (fixture->dir);
}

/* A rename puts a new inode in place; writing in place would keep the old
 * one, and a crash half-way would leave a truncated file. */
static void
test_atomic_rename (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfile) extra = make_profile ("extra", "extra", "http://e.example:1", NULL, NULL,
                                             NULL, GP_AUTH_NONE);
  g_autofree char *before = NULL;
  char buffer[65536];
  GStatBuf old_st;
  GStatBuf new_st;
  gssize n_read;
  int old_fd;

  add_sample_profiles (store);
  save_store (store);
  before = read_file (fixture->path, NULL);

  /* Holding the old file open keeps its inode number from being reused. */
  old_fd = g_open (fixture->path, O_RDONLY, 0);
  g_assert_cmpint (old_fd, >=, 0);
  g_assert_cmpint (fstat (old_fd, &old_st), ==, 0);

  add_profile (store, extra);
  save_store (store);
  g_assert_cmpint (g_stat (fixture->path, &new_st), ==, 0);
  g_assert_cmpuint (new_st.st_ino, !=, old_st.st_ino);

  /* The old inode still holds the old bytes, untouched. */
  n_read = read (old_fd, buffer, sizeof buffer - 1);
  g_assert_cmpint (n_read, >=, 0);
  buffer[n_read] = '\0';
  g_assert_cmpstr (buffer, ==, before);
  close (old_fd);
}

static const char preserved_file[] =
  "# Written by hand; keep this comment\n"
  "[gatepass]\n"
  "active=office\n"
  "future-setting=42\n"
  "\n"
  "# The office proxy\n"
  "[profile office]\n"
  "name=office\n"
  "url=http://proxy.corp:3128\n"
  "auth=none\n"
  "x-future-key=keep me\n"
  "name[de]=Büro\n"
  "\n"
  "[other-app]\n"
  "# belongs to someone else\n"
  "foo=bar\n";

static void
test_unknown_keys_survive (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = NULL;
  g_autoptr(GpProfile) added = make_profile ("home", "home", "http://home.example:8080", NULL, NULL,
                                             NULL, GP_AUTH_NONE);
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *value = NULL;

  write_file (fixture->path, preserved_file, -1);
  store = load_store (fixture->path);
  gp_profile_set_url (gp_profile_store_find (store, "office"), "http://proxy2.corp:3128");
  add_profile (store, added);
  save_store (store);

  contents = read_file (fixture->path, NULL);
  g_test_message ("saved:\n%s", contents);
  g_assert_nonnull (strstr (contents, "# Written by hand; keep this comment"));
  g_assert_nonnull (strstr (contents, "# The office proxy"));
  g_assert_nonnull (strstr (contents, "# belongs to someone else"));

  g_key_file_load_from_data (keyfile, contents, -1, G_KEY_FILE_KEEP_TRANSLATIONS, &error);
  g_assert_no_error (error);
  value = g_key_file_get_string (keyfile, "profile office", "x-future-key", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "keep me");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (keyfile, "profile office", "name[de]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "Büro");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (keyfile, "other-app", "foo", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "bar");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (keyfile, "gatepass", "future-setting", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "42");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (keyfile, "profile office", "url", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "http://proxy2.corp:3128");
  g_assert_true (g_key_file_has_group (keyfile, "profile home"));
}

/* ---- corrupt files ------------------------------------------------------- */

typedef struct
{
  const char *id;
  const char *data;
  gssize      length;   /* -1: up to the NUL */
  guint       line;     /* 0: the message need not name one */
} CorruptCase;

static const char binary_garbage[] =
  "[profile a]\nname=x\nurl=http://p.example:1\n\x00\x01\x02\xff\xfe garbage\n";

static const char nul_inside_value[] =
  "[profile a]\nname=x\nurl=http://p.example:1\x00 and then anything\n";

static const CorruptCase corrupt_cases[] = {
  { "unclosed-group", "[profile abc\nname=x\nurl=http://p.example:1\n", -1, 1 },
  { "unclosed-group-later",
    "[gatepass]\nactive=a\n\n[profile abc\nname=x\nurl=http://p.example:1\n", -1, 4 },
  { "line-without-equals", "[profile a]\nname=x\nurl=http://p.example:1\nno equals sign here\n",
    -1, 4 },
  { "invalid-utf8-name", "[profile a]\nname=\xff\xfe\nurl=http://p.example:1\n", -1, 0 },
  { "invalid-utf8-url", "[profile a]\nname=x\nurl=http://p.ex\xff" "ample:1\n", -1, 0 },
  { "missing-url", "[gatepass]\nactive=a\n\n[profile a]\nname=x\n", -1, 4 },
  { "url-without-port", "[profile a]\nname=x\nurl=http://proxy.example\n", -1, 1 },
  { "url-with-password", "[profile a]\nname=x\nurl=http://u:pw@proxy.example:1\n", -1, 1 },
  { "duplicate-name",
    "[profile a]\nname=x\nurl=http://p.example:1\n\n[profile b]\nname=x\nurl=http://q.example:2\n",
    -1, 5 },
  { "missing-name", "[profile a]\nurl=http://p.example:1\n", -1, 1 },
  { "bad-auth", "[profile a]\nname=x\nurl=http://p.example:1\nauth=kerberos\n", -1, 1 },
  { "bad-session-credentials", "[profile a]\nname=x\nurl=http://p.example:1\nsession-credentials=yes\n", -1, 1 },
  { "bad-gnome-proxy", "[profile a]\nname=x\nurl=http://p.example:1\ngnome-proxy=1\n", -1, 1 },
  { "password-without-username", "[profile a]\nname=x\nurl=http://p.example:1\nauth=password\n",
    -1, 1 },
  { "bad-id", "[profile a b]\nname=x\nurl=http://p.example:1\n", -1, 1 },
  { "bad-no-proxy", "[profile a]\nname=x\nurl=http://p.example:1\nno-proxy=a$b;\n", -1, 1 },
  { "colon-in-http-username", "[profile a]\nname=x\nurl=http://p.example:1\nusername=a:b\n",
    -1, 1 },
  /* GKeyFile keeps both and reads the last; a save then wrote the first
   * back, and HTTPS went to the old proxy again. */
  { "duplicate-key",
    "[profile a]\nname=x\nurl=http://p.example:1\nhttps-proxy=http://old.example:8080\n"
    "https-proxy=\n", -1, 5 },
  { "duplicate-key-spaced",
    "[profile a]\nname=x\nurl=http://p.example:1\n  url =http://q.example:2\n", -1, 4 },
  { "duplicate-key-crlf",
    "[profile a]\r\nname=x\r\nurl=http://p.example:1\r\nauth=none\r\nauth=ip\r\n", -1, 5 },
  { "duplicate-translation",
    "[profile a]\nname=x\nname[de]=y\nurl=http://p.example:1\nname[de]=z\n", -1, 5 },
  { "duplicate-key-other-group",
    "[profile a]\nname=x\nurl=http://p.example:1\n\n[other-app]\nk=1\n# c\nk=2\n", -1, 8 },
  { "duplicate-group",
    "[profile a]\nname=x\nurl=http://p.example:1\n\n[profile b]\nname=y\n"
    "url=http://q.example:2\n\n[profile a]\nhttps-proxy=http://old.example:8080\n", -1, 9 },
  { "duplicate-settings-group",
    "[gatepass]\nactive=a\n[profile a]\nname=x\nurl=http://p.example:1\n [gatepass] \n", -1, 6 },
  /* GKeyFile checks Encoding= in the first group only: a save that drops
   * that group would move this one to the front, and no load would work. */
  { "encoding-later-group",
    "[profile a]\nname=x\nurl=http://p.example:1\n\n[other-app]\nEncoding=ISO-8859-1\n", -1, 6 },
  /* Last, since a failure ends the run: the first version of the store
   * accepted a NUL byte (GKeyFile reads the rest of that line as a blank)
   * and invalid UTF-8 in a key it does not know. */
  { "binary-garbage", binary_garbage, sizeof binary_garbage - 1, 4 },
  { "invalid-utf8-line", "[profile a]\nname=x\nurl=http://p.example:1\n\xff\xfe=\xfd\n", -1, 4 },
  { "nul-inside-value", nul_inside_value, sizeof nul_inside_value - 1, 3 },
};

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  const CorruptCase *corrupt = data;
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfileStore) locking = gp_profile_store_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) lock_error = NULL;
  gsize length = corrupt->length < 0 ? strlen (corrupt->data) : (gsize) corrupt->length;
  g_autofree char *after = NULL;
  gsize after_length;

  write_file (fixture->path, corrupt->data, length);

  /* Not an assertion: the other cases should still run and report. */
  if (gp_profile_store_load (store, &error))
    {
      g_test_fail_printf ("%s: the corrupt file loaded without an error", corrupt->id);
      return;
    }
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT);
  g_test_message ("%s: %s", corrupt->id, error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  if (corrupt->line > 0)
    {
      g_autofree char *where = g_strdup_printf ("%s:%u:", fixture->path, corrupt->line);

      g_assert_nonnull (strstr (error->message, where));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* Taking the lock loads the file too, and must fail the same way. */
  g_assert_false (gp_profile_store_lock (locking, &lock_error));
  g_assert_error (lock_error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT);

  after = read_file (fixture->path, &after_length);
  g_assert_cmpmem (after, after_length, corrupt->data, length);
}

/* A failed reload keeps what the store had, rather than half of the file. */
static void
test_corrupt_reload_keeps_profiles (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GError) error = NULL;

  add_sample_profiles (store);
  save_store (store);
  write_file (fixture->path, "[profile a]\nname=x\n", -1);

  g_assert_false (gp_profile_store_load (store, &error));
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_nonnull (gp_profile_store_get_active (store));
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = load_store (fixture->path);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (gp_profile_store_get_active (store));
  g_assert_cmpstr (gp_profile_store_get_path (store), ==, fixture->path);
  /* Loading reads only: a missing file stays missing. */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = NULL;

  write_file (fixture->path, "", 0);
  store = load_store (fixture->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

/* ---- a save never changes what the file means ---------------------------- */

static void
assert_same_profiles (GpProfileStore *a,
                      GpProfileStore *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (G_LIST_MODEL (a), i);
      GpProfile *other = gp_profile_store_find_by_id (b, gp_profile_get_id (profile));

      g_assert_nonnull (other);
      assert_same_profile (profile, other);
      g_assert_true (gp_profile_equal (profile, other));
    }
  g_assert_true ((gp_profile_store_get_active (a) == NULL) == (gp_profile_store_get_active (b) == NULL));
  if (gp_profile_store_get_active (a) != NULL)
    g_assert_cmpstr (gp_profile_get_id (gp_profile_store_get_active (a)), ==,
                     gp_profile_get_id (gp_profile_store_get_active (b)));
}

/* Encoding=UTF-8 may stand in any group: it still loads once a save has
 * moved it to the front. */
static void
test_encoding_utf8_moves (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = NULL;
  g_autoptr(GpProfileStore) again = NULL;

  write_file (fixture->path,
              "[profile a]\nname=a\nurl=http://a.example:1\n\n"
              "[other-app]\nEncoding=utf-8\n\n[profile b]\nname=b\nurl=http://b.example:2\n", -1);
  store = load_store (fixture->path);
  gp_profile_store_remove (store, gp_profile_store_find (store, "a"));
  save_store (store);

  again = load_store (fixture->path);
  assert_same_profiles (store, again);
}

/* Setters do not validate: what the loader would refuse is refused at the
 * save, and the file on disk stays as it was. */
static void
test_save_refuses_what_would_not_load (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GpProfile *office;

  add_sample_profiles (store);
  save_store (store);
  before = read_file (fixture->path, NULL);

  office = gp_profile_store_find (store, "office");
  gp_profile_set_name (office, " spaced name");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (gp_profile_store_save (store, &error));
      g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_WOULD_CHANGE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, fixture->path));
      g_assert_nonnull (strstr (error->message, "unchanged"));
      gp_profile_set_name (office, "office");
      gp_profile_set_url (office, "http://no-port.example");
    }

  after = read_file (fixture->path, NULL);
  g_assert_cmpstr (after, ==, before);
  assert_only_expected_files (fixture->dir);
}

/* ---- properties: save then load gives the same profiles -------------------- */

static const char * const odd_pieces[] = {
  "a", "Z", "7", " ", "  ", "-", "_", ".", ",", ";", "=", "#", "[", "]", "\\", "\\s", "\\n",
  "\"", "'", "%", "%41", "@", ":", "/", "é", "ü", "☕", "ß", "\xe2\x80\x8b", "\t", "\x7f",
  "\xc2\xa0", "Encoding", "[de]",
};

static char *
random_text (GRand *rand,
             guint  max_pieces)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 1, max_pieces + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (text, odd_pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (odd_pieces))]);
  return g_string_free (text, FALSE);
}

static char *
random_url (GRand *rand)
{
  static const char * const schemes[] = {
    "", "http://", "https://", "socks5://", "socks5h://", "HTTP://", "Socks5H://",
  };
  static const char * const hosts[] = {
    "proxy.example", "10.0.0.1", "[2001:db8::1]", "[::1]", "bücher.example", "PROXY.Example.",
    "a-b.example",
  };

  return g_strdup_printf ("%s%s:%d%s", schemes[g_rand_int_range (rand, 0, G_N_ELEMENTS (schemes))],
                          hosts[g_rand_int_range (rand, 0, G_N_ELEMENTS (hosts))],
                          g_rand_int_range (rand, 1, 65536), g_rand_boolean (rand) ? "/" : "");
}

static GStrv
random_no_proxy (GRand *rand)
{
  static const char alphabet[] = "abcXYZ019.-_:/[]";
  GStrvBuilder *builder = g_strv_builder_new ();
  guint n = g_rand_int_range (rand, 0, 6);
  GStrv list;

  for (guint i = 0; i < n; i++)
    {
      guint length = g_rand_int_range (rand, 1, 13);
      g_autofree char *entry = g_malloc0 (length + 1);

      for (guint j = 0; j < length; j++)
        entry[j] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      g_strv_builder_add (builder, g_rand_int_range (rand, 0, 8) == 0 ? "*" : entry);
    }
  list = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return list;
}

/* A profile that the validators accept, or NULL: the odd bytes are drawn
 * freely, and what they refuse is drawn again. */
static GpProfile *
random_profile (GRand *rand,
                guint  index)
{
  g_autofree char *id = g_strdup_printf ("p%u-%c_%c.x", index, 'a' + g_rand_int_range (rand, 0, 26),
                                         'A' + g_rand_int_range (rand, 0, 26));
  g_autofree char *name = random_text (rand, 12);
  g_autofree char *url = random_url (rand);
  g_autofree char *https_proxy = g_rand_boolean (rand) ? random_url (rand) : NULL;
  g_auto(GStrv) no_proxy = random_no_proxy (rand);
  g_autofree char *username = g_rand_boolean (rand) ? random_text (rand, 6) : NULL;
  g_autoptr(GpProfile) profile = make_profile (id, name, url, https_proxy,
                                               (const char * const *) no_proxy, username,
                                               (GpAuthMode) g_rand_int_range (rand, 0, 3));

  if (!gp_profile_validate (profile, NULL))
    return NULL;
  return g_steal_pointer (&profile);
}

static void
fill_random_store (GpProfileStore *store,
                   GRand          *rand)
{
  guint wanted = g_rand_int_range (rand, 1, 7);

  for (guint i = 0; g_list_model_get_n_items (G_LIST_MODEL (store)) < wanted && i < 200; i++)
    {
      g_autoptr(GpProfile) profile = random_profile (rand, i);

      if (profile != NULL)
        gp_profile_store_add (store, profile, NULL);
    }

  if (g_rand_boolean (rand))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
      g_autoptr(GpProfile) active = g_list_model_get_item (G_LIST_MODEL (store),
                                                           g_rand_int_range (rand, 0, n));

      gp_profile_store_set_active (store, active);
    }
}

static void
test_property_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  /* A fixed seed, so that a failure can be replayed. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (8008);
  guint n_profiles = 0;

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
      g_autoptr(GpProfileStore) again = NULL;
      g_autoptr(GpProfileStore) third = NULL;

      g_unlink (fixture->path);
      fill_random_store (store, rand);
      save_store (store);
      again = load_store (fixture->path);
      assert_same_profiles (store, again);

      /* Saving what was loaded changes nothing either. */
      save_store (again);
      third = load_store (fixture->path);
      assert_same_profiles (store, third);
      n_profiles += g_list_model_get_n_items (G_LIST_MODEL (store));
    }

  g_test_message ("%u random profiles saved and loaded", n_profiles);
  g_assert_cmpuint (n_profiles, >=, 600);
}

static const char * const file_pieces[] = {
  "[profile a]\n", "[profile b]\n", "[gatepass]\n", "[other-app]\n", "name=a\n", "name=b\n",
  "name= spaced \n", "name=\\sleading\n", "url=http://a.example:1\n", "url=socks5h://[::1]:1080/\n",
  "https-proxy=\n", "https-proxy=http://h.example:2\n", "no-proxy=localhost;.corp;\n",
  "no-proxy=\n", "username=u;v\n", "username=\\s\\\\x\n", "auth=ip\n", "auth=password\n",
  "auth=none\n", "session-credentials=true\n", "session-credentials=false\n", "gnome-proxy=true\n",
  "gnome-proxy=maybe\n", "active=a\n", "active=b\n", "Encoding=UTF-8\n", "Encoding=latin1\n", "x=1\n",
  "name[de]=B\n", "# comment\n", "\n", "  \n", "\r\n", "k = v \n", " url = http://b.example:3 \n",
};

/* Whatever a hand-edited file holds: once it loads, a save writes a file
 * that loads again as the same profiles, also when the save drops a group
 * (the first one, where GKeyFile looks for Encoding=). */
static void
test_property_loads_again (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  guint loaded = 0;

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) text = g_string_new (file_pieces[g_rand_int_range (rand, 0, 4)]);
      g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
      g_autoptr(GpProfileStore) again = NULL;
      g_autoptr(GpProfileStore) after_remove = NULL;
      g_autoptr(GpProfile) first = NULL;
      guint n = g_rand_int_range (rand, 0, 16);

      for (guint i = 0; i < n; i++)
        g_string_append (text, file_pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (file_pieces))]);
      write_file (fixture->path, text->str, text->len);
      if (!gp_profile_store_load (store, NULL))
        continue;

      loaded++;
      save_store (store);
      again = load_store (fixture->path);
      assert_same_profiles (store, again);

      first = g_list_model_get_item (G_LIST_MODEL (store), 0);
      if (first == NULL)
        continue;
      gp_profile_store_remove (store, first);
      save_store (store);
      after_remove = load_store (fixture->path);
      assert_same_profiles (store, after_remove);
    }

  g_test_message ("%u of 3000 random files loaded", loaded);
  g_assert_cmpuint (loaded, >=, 300);
}

/* ---- a symbolic link is written through ----------------------------------- */

static void
assert_link_kept (const char *link,
                  const char *target_text,
                  const char *target)
{
  g_autoptr(GpProfileStore) store = NULL;
  g_autoptr(GpProfileStore) through_target = NULL;
  g_autofree char *still = g_file_read_link (link, NULL);
  GStatBuf st;

  g_assert_cmpstr (still, ==, target_text);
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  store = load_store (link);
  through_target = load_store (target);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  assert_same_profiles (store, through_target);
}

/* No temporary file and no regular profiles.ini next to the link. */
static void
assert_only_link_and_lock (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "profiles.ini", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *entry;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("in folder: %s", entry);
      g_assert_true (g_str_equal (entry, "profiles.ini") ||
                     g_str_equal (entry, "profiles.ini.lock") ||
                     g_str_equal (entry, "dotfiles"));
    }
}

static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  gboolean relative = GPOINTER_TO_INT (data);
  g_autofree char *dotfiles = g_build_filename (fixture->dir, "dotfiles", NULL);
  g_autofree char *target = g_build_filename (dotfiles, "gatepass.ini", NULL);
  const char *target_text = relative ? "dotfiles/gatepass.ini" : target;
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_cmpint (g_mkdir (dotfiles, 0700), ==, 0);
  write_file (target, "# managed by the dotfiles\n", -1);
  g_assert_cmpint (symlink (target_text, fixture->path), ==, 0);

  g_assert_true (gp_profile_store_lock (store, &error));
  g_assert_no_error (error);
  add_sample_profiles (store);
  save_store (store);
  gp_profile_store_unlock (store);
  assert_link_kept (fixture->path, target_text, target);

  /* A later save goes through too, and keeps the target's comment. */
  gp_profile_set_url (gp_profile_store_find (store, "office"), "http://proxy2.corp:3128");
  save_store (store);
  assert_link_kept (fixture->path, target_text, target);
  contents = read_file (target, NULL);
  g_assert_nonnull (strstr (contents, "# managed by the dotfiles"));
  assert_only_link_and_lock (fixture->dir);
}

/* Creating the target of a dangling link could put files where no tree is
 * yet (a dotfiles checkout not mounted): the save says so, and writes
 * nothing, the link left as it was. */
static void
test_symlink_dangling (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fixture->dir, "missing", "gatepass.ini", NULL);
  g_autoptr(GpProfileStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *still = NULL;

  g_assert_cmpint (symlink (target, fixture->path), ==, 0);
  store = load_store (fixture->path);
  add_sample_profiles (store);
  g_assert_false (gp_profile_store_save (store, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_assert_nonnull (strstr (error->message, target));

  still = g_file_read_link (fixture->path, NULL);
  g_assert_cmpstr (still, ==, target);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
}


/* ---- active profile, names, list model ----------------------------------- */

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_active (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfileStore) again = NULL;
  g_autoptr(GpProfileStore) cleared = NULL;
  g_autoptr(GpProfile) a = make_profile ("a", "a", "http://a.example:1", NULL, NULL, NULL,
                                         GP_AUTH_NONE);
  g_autoptr(GpProfile) b = make_profile ("b", "b", "http://b.example:1", NULL, NULL, NULL,
                                         GP_AUTH_NONE);
  g_autofree char *contents = NULL;
  guint notified = 0;

  g_signal_connect (store, "notify::active", G_CALLBACK (on_notify_count), &notified);
  add_profile (store, a);
  add_profile (store, b);
  g_assert_null (gp_profile_store_get_active (store));

  gp_profile_store_set_active (store, b);
  g_assert_true (gp_profile_store_get_active (store) == b);
  g_assert_cmpuint (notified, >=, 1);
  save_store (store);

  again = load_store (fixture->path);
  g_assert_cmpstr (gp_profile_get_id (gp_profile_store_get_active (again)), ==, "b");

  /* Removing the active profile leaves none active, in memory and on disk. */
  notified = 0;
  gp_profile_store_remove (store, b);
  g_assert_null (gp_profile_store_get_active (store));
  g_assert_cmpuint (notified, >=, 1);
  save_store (store);

  cleared = load_store (fixture->path);
  g_assert_null (gp_profile_store_get_active (cleared));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cleared)), ==, 1);
  contents = read_file (fixture->path, NULL);
  g_assert_null (strstr (contents, "active="));
  g_assert_null (strstr (contents, "[profile b]"));
}

static void
test_active_unknown_id (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = NULL;

  /* An active= that names no profile (edited by hand) means none. */
  write_file (fixture->path,
              "[gatepass]\nactive=gone\n\n[profile a]\nname=a\nurl=http://a.example:1\n", -1);
  store = load_store (fixture->path);
  g_assert_null (gp_profile_store_get_active (store));
}

static void
test_unique_names (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfile) first = make_profile ("one", "office", "http://a.example:1", NULL, NULL,
                                             NULL, GP_AUTH_NONE);
  g_autoptr(GpProfile) second = make_profile ("two", "office", "http://b.example:1", NULL, NULL,
                                              NULL, GP_AUTH_NONE);
  g_autoptr(GpProfile) other_case = make_profile ("three", "Office", "http://c.example:1", NULL,
                                                  NULL, NULL, GP_AUTH_NONE);
  g_autoptr(GError) error = NULL;

  add_profile (store, first);
  g_assert_false (gp_profile_store_add (store, second, &error));
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  /* Names are case-sensitive (CLI.md). */
  add_profile (store, other_case);

  /* Renaming a profile to its own name is no clash; to another's is. */
  g_assert_true (gp_profile_store_check_name_free (store, "office", first, &error));
  g_assert_no_error (error);
  g_assert_false (gp_profile_store_check_name_free (store, "office", other_case, &error));
  g_assert_error (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (gp_profile_store_check_name_free (store, "home", NULL, &error));
  g_assert_no_error (error);
}

static void
test_add_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfile) no_port = make_profile ("a", "a", "http://a.example", NULL, NULL, NULL,
                                               GP_AUTH_NONE);
  g_autoptr(GError) error = NULL;

  g_assert_false (gp_profile_store_add (store, no_port, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *seen)
{
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
  seen->count++;
}

static void
assert_items_changed (ItemsChanged *seen,
                      guint         position,
                      guint         removed,
                      guint         added)
{
  g_assert_cmpuint (seen->count, ==, 1);
  g_assert_cmpuint (seen->position, ==, position);
  g_assert_cmpuint (seen->removed, ==, removed);
  g_assert_cmpuint (seen->added, ==, added);
  memset (seen, 0, sizeof *seen);
}

static void
test_list_model (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfile) a = make_profile ("a", "a", "http://a.example:1", NULL, NULL, NULL,
                                         GP_AUTH_NONE);
  g_autoptr(GpProfile) b = make_profile ("b", "b", "http://b.example:1", NULL, NULL, NULL,
                                         GP_AUTH_NONE);
  g_autoptr(GpProfile) c = make_profile ("c", "c", "http://c.example:1", NULL, NULL, NULL,
                                         GP_AUTH_NONE);
  g_autoptr(GpProfile) first = NULL;
  ItemsChanged seen = { 0 };

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == GP_TYPE_PROFILE);
  g_signal_connect (store, "items-changed", G_CALLBACK (on_items_changed), &seen);

  add_profile (store, a);
  assert_items_changed (&seen, 0, 0, 1);
  add_profile (store, b);
  assert_items_changed (&seen, 1, 0, 1);
  add_profile (store, c);
  assert_items_changed (&seen, 2, 0, 1);

  gp_profile_store_remove (store, b);
  assert_items_changed (&seen, 1, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 2));

  /* Removing what is not there changes nothing and says nothing. */
  gp_profile_store_remove (store, b);
  g_assert_cmpuint (seen.count, ==, 0);

  save_store (store);
  g_assert_true (gp_profile_store_load (store, NULL));
  assert_items_changed (&seen, 0, 2, 2);

  first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (gp_profile_get_id (first), ==, "a");
}

/* ---- lock across processes ----------------------------------------------- */

static gboolean
wait_readable (int fd,
               int timeout_ms)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  int ret;

  do
    ret = poll (&pfd, 1, timeout_ms);
  while (ret < 0 && errno == EINTR);
  return ret > 0;
}

/* The child waits for the go, takes the lock (blocking while the parent
 * holds it), then reports how many profiles it saw once it had it. */
G_GNUC_NORETURN static void
run_lock_child (const char *path,
                int         go_fd,
                int         result_fd)
{
  g_autoptr(GpProfileStore) store = NULL;
  char byte;
  char report;

  if (read (go_fd, &byte, 1) != 1)
    _exit (10);
  store = gp_profile_store_new (path);
  if (!gp_profile_store_lock (store, NULL))
    _exit (11);
  report = (char) ('0' + g_list_model_get_n_items (G_LIST_MODEL (store)));
  if (write (result_fd, &report, 1) != 1)
    _exit (12);
  gp_profile_store_unlock (store);
  _exit (0);
}

static void
test_lock_across_processes (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfile) added = make_profile ("a", "a", "http://a.example:1", NULL, NULL, NULL,
                                             GP_AUTH_NONE);
  g_autoptr(GError) error = NULL;
  int go[2];
  int result[2];
  int status = 0;
  char report = 0;
  pid_t pid;

  g_assert_cmpint (pipe (go), ==, 0);
  g_assert_cmpint (pipe (result), ==, 0);

  /* Fork before locking: a child that inherited the parent's lock
   * descriptor would share its lock. */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (go[1]);
      close (result[0]);
      run_lock_child (fixture->path, go[0], result[1]);
    }
  close (go[0]);
  close (result[1]);

  g_assert_true (gp_profile_store_lock (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (write (go[1], "g", 1), ==, 1);

  /* While the parent holds the lock, the child must not get it. */
  g_assert_false (wait_readable (result[0], 1500));

  /* What the parent saves under the lock is what the child then reads. */
  add_profile (store, added);
  save_store (store);
  gp_profile_store_unlock (store);

  g_assert_true (wait_readable (result[0], 8000));
  g_assert_cmpint (read (result[0], &report, 1), ==, 1);
  g_assert_cmpint (report, ==, '1');

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  close (go[1]);
  close (result[0]);
}

static void
test_lock_reloads (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GpProfileStore) writer = gp_profile_store_new (fixture->path);
  g_autoptr(GpProfileStore) reader = load_store (fixture->path);
  g_autoptr(GError) error = NULL;

  /* A store that loaded before another saved sees the change on lock. */
  add_sample_profiles (writer);
  save_store (writer);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 0);

  g_assert_true (gp_profile_store_lock (reader, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 3);
  gp_profile_store_unlock (reader);

  /* Unlocked, the lock can be taken again. */
  g_assert_true (gp_profile_store_lock (reader, &error));
  g_assert_no_error (error);
  gp_profile_store_unlock (reader);
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/profile-store/round-trip", test_round_trip);
  add_test ("/profile-store/no-password-in-file", test_no_password_in_file);
  add_test ("/profile-store/file-mode", test_file_mode);
  add_test ("/profile-store/creates-folder", test_creates_folder);
  add_test ("/profile-store/no-temporary-files", test_no_temporary_files);
  add_test ("/profile-store/atomic-rename", test_atomic_rename);
  add_test ("/profile-store/unknown-keys-survive", test_unknown_keys_survive);
  add_test ("/profile-store/corrupt-reload-keeps-profiles", test_corrupt_reload_keeps_profiles);
  add_test ("/profile-store/missing-file", test_missing_file);
  add_test ("/profile-store/empty-file", test_empty_file);
  add_test ("/profile-store/active", test_active);
  add_test ("/profile-store/active-unknown-id", test_active_unknown_id);
  add_test ("/profile-store/unique-names", test_unique_names);
  add_test ("/profile-store/add-invalid", test_add_invalid);
  add_test ("/profile-store/list-model", test_list_model);
  add_test ("/profile-store/lock/across-processes", test_lock_across_processes);
  add_test ("/profile-store/lock/reloads", test_lock_reloads);
  add_test ("/profile-store/encoding-utf8-moves", test_encoding_utf8_moves);
  add_test ("/profile-store/property/round-trip", test_property_round_trip);
  add_test ("/profile-store/property/loads-again", test_property_loads_again);
  add_test ("/profile-store/save-refuses-what-would-not-load", test_save_refuses_what_would_not_load);
  g_test_add ("/profile-store/symlink/relative", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_symlink, fixture_tear_down);
  g_test_add ("/profile-store/symlink/absolute", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_symlink, fixture_tear_down);
  add_test ("/profile-store/symlink/dangling", test_symlink_dangling);

  for (guint i = 0; i < G_N_ELEMENTS (corrupt_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/profile-store/corrupt/%s", corrupt_cases[i].id);

      g_test_add (path, Fixture, &corrupt_cases[i],
                  fixture_set_up, test_corrupt, fixture_tear_down);
    }

  return g_test_run ();
}
