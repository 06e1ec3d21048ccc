/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "gp-keyring-watch.h"
#include "gp-secret-snapshot.h"
#include "gp-secret-store.h"
#include "gp-test-keyring.h"

/* Runs inside tests/keyring-session.sh: a private session bus with a real,
 * unlocked gnome-keyring-daemon whose login keyring is the default. */


/* The store's own schema, to count items behind its back. */
static const SecretSchema test_schema = {
  GP_SECRET_SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* ---- helpers ------------------------------------------------------------- */

static void
drain_main_context (void)
{
  /* Lets libsecret's proxies take in property changes (e.g. Locked). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static char *
new_profile_id (void)
{
  return g_uuid_string_random ();
}

static void
store_password (const char *profile_id,
                const char *username,
                const char *password)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_secret_store_store (store, profile_id, username, "Gatepass test", password,
                                        NULL, &error));
  g_assert_no_error (error);
}

static void
assert_lookup (const char *profile_id,
               const char *username,
               const char *expected)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = gp_secret_store_lookup (store, profile_id, username, NULL,
                                                           &error);

  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, expected);
}

static void
clear_profile (const char *profile_id)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_secret_store_clear (store, profile_id, NULL, &error));
  g_assert_no_error (error);
}

static guint
count_items (const char *profile_id)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "profile", (gpointer) profile_id);
  items = secret_password_searchv_sync (&test_schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

/* ---- synchronous API ----------------------------------------------------- */

static void
test_round_trip (void)
{
  g_autofree char *id = new_profile_id ();

  store_password (id, "alice", "s3cret");
  assert_lookup (id, "alice", "s3cret");
  /* Another username of the same profile has no password. */
  assert_lookup (id, "bob", NULL);

  clear_profile (id);
  assert_lookup (id, "alice", NULL);
  g_assert_cmpuint (count_items (id), ==, 0);
}

static void
test_absent (void)
{
  g_autofree char *id = new_profile_id ();

  /* Absent is not an error: NULL, and no GError. */
  assert_lookup (id, "alice", NULL);
  clear_profile (id);
}

static void
test_replace (void)
{
  g_autofree char *id = new_profile_id ();

  store_password (id, "alice", "first");
  store_password (id, "alice", "second");
  assert_lookup (id, "alice", "second");
  g_assert_cmpuint (count_items (id), ==, 1);
  clear_profile (id);
}

static void
test_clear_every_username (void)
{
  g_autofree char *id = new_profile_id ();
  g_autofree char *other = new_profile_id ();

  store_password (id, "alice", "a");
  store_password (id, "bob", "b");
  store_password (other, "alice", "c");
  g_assert_cmpuint (count_items (id), ==, 2);

  clear_profile (id);
  assert_lookup (id, "alice", NULL);
  assert_lookup (id, "bob", NULL);
  g_assert_cmpuint (count_items (id), ==, 0);
  /* Another profile's item stays, even with the same username. */
  assert_lookup (other, "alice", "c");

  clear_profile (other);
}

static void
test_clear_except (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = new_profile_id ();

  store_password (id, "old-name", "a");
  store_password (id, "new-name", "b");

  g_assert_true (gp_secret_store_clear_except (store, id, "new-name", NULL, &error));
  g_assert_no_error (error);
  assert_lookup (id, "old-name", NULL);
  assert_lookup (id, "new-name", "b");

  clear_profile (id);
}

static const char * const odd_passwords[] = {
  "p@ss:w/rd #?%",
  "üñí©ødé €🚀",
  "'\"\\$`!;&|<>*~ {}[]()^=+,",
  " leading and trailing ",
  "%41%zz%",
  "日本語のパスワード",
  "x",
};

static void
test_passwords_byte_exact (void)
{
  g_autofree char *id = new_profile_id ();
  g_autofree char *long_password = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (odd_passwords); i++)
    {
      g_autofree char *username = g_strdup_printf ("user-%u ü:'", i);

      store_password (id, username, odd_passwords[i]);
      assert_lookup (id, username, odd_passwords[i]);
    }

  long_password = g_strnfill (4096, 'z');
  store_password (id, "long", long_password);
  assert_lookup (id, "long", long_password);

  clear_profile (id);
  g_assert_cmpuint (count_items (id), ==, 0);
}

static void
test_list (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GpKeyringListing) listing = NULL;
  g_autoptr(GpKeyringListing) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = new_profile_id ();
  g_autofree char *other = new_profile_id ();

  store_password (id, "alice", "a");
  store_password (other, "bob ü", "b");

  listing = gp_secret_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (listing);
  g_assert_true (gp_keyring_listing_has (listing, id, "alice"));
  g_assert_true (gp_keyring_listing_has (listing, other, "bob ü"));
  g_assert_false (gp_keyring_listing_has (listing, id, "bob ü"));
  g_assert_false (gp_keyring_listing_has (listing, other, "alice"));
  g_assert_false (gp_keyring_listing_has (listing, id, NULL));
  g_assert_false (gp_keyring_listing_has (listing, NULL, "alice"));

  clear_profile (id);
  after = gp_secret_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (gp_keyring_listing_has (after, id, "alice"));
  g_assert_true (gp_keyring_listing_has (after, other, "bob ü"));

  clear_profile (other);
}

/* ---- asynchronous API ---------------------------------------------------- */

typedef struct
{
  gboolean    done;
  gboolean    ok;
  GpPassword *password;
  GError     *error;
} AsyncResult;

static void
async_result_clear (AsyncResult *result)
{
  g_clear_pointer (&result->password, gp_password_free);
  g_clear_error (&result->error);
  memset (result, 0, sizeof *result);
}

static void
wait_for (AsyncResult *result)
{
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AsyncResult *result = user_data;

  result->ok = gp_secret_store_store_finish (GP_SECRET_STORE (source), res, &result->error);
  result->done = TRUE;
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  AsyncResult *result = user_data;

  result->password = gp_secret_store_lookup_finish (GP_SECRET_STORE (source), res, &result->error);
  result->done = TRUE;
}

static void
on_clear_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  AsyncResult *result = user_data;

  result->ok = gp_secret_store_clear_finish (GP_SECRET_STORE (source), res, &result->error);
  result->done = TRUE;
}

static void
lookup_async_and_wait (GpSecretStore *store,
                       const char    *id,
                       const char    *username,
                       AsyncResult   *result)
{
  async_result_clear (result);
  gp_secret_store_lookup_async (store, id, username, NULL, on_lookup_done, result);
  wait_for (result);
}

static void
test_async_round_trip (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autofree char *id = new_profile_id ();
  AsyncResult result = { 0 };

  gp_secret_store_store_async (store, id, "alice", "Gatepass test", "üñí p@ss", NULL,
                               on_store_done, &result);
  wait_for (&result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  lookup_async_and_wait (store, id, "alice", &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.password, ==, "üñí p@ss");

  lookup_async_and_wait (store, id, "bob", &result);
  g_assert_no_error (result.error);
  g_assert_null (result.password);

  async_result_clear (&result);
  gp_secret_store_clear_async (store, id, NULL, on_clear_done, &result);
  wait_for (&result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  lookup_async_and_wait (store, id, "alice", &result);
  g_assert_no_error (result.error);
  g_assert_null (result.password);
  async_result_clear (&result);
}

static void
test_async_concurrent (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autofree char *id = new_profile_id ();
  AsyncResult results[8] = { { 0 } };

  /* Several calls in flight on one store share its service safely. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *username = g_strdup_printf ("user%u", i);
      g_autofree char *password = g_strdup_printf ("pw%u", i);

      gp_secret_store_store_async (store, id, username, "Gatepass test", password, NULL,
                                   on_store_done, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      wait_for (&results[i]);
      g_assert_no_error (results[i].error);
      g_assert_true (results[i].ok);
      async_result_clear (&results[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *username = g_strdup_printf ("user%u", i);

      gp_secret_store_lookup_async (store, id, username, NULL, on_lookup_done, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *expected = g_strdup_printf ("pw%u", i);

      wait_for (&results[i]);
      g_assert_no_error (results[i].error);
      g_assert_cmpstr (results[i].password, ==, expected);
      async_result_clear (&results[i]);
    }

  clear_profile (id);
}

/* ---- a locked keyring ---------------------------------------------------- */

static void
lock_login_keyring (void)
{
  g_autoptr(GError) error = NULL;

  gp_test_keyring_lock (&error);
  g_assert_no_error (error);
  drain_main_context ();
}

static void
unlock_login_keyring (void)
{
  g_autoptr(GError) error = NULL;

  gp_test_keyring_unlock (&error);
  g_assert_no_error (error);
  drain_main_context ();
}

static void
assert_locked_lookup (const char *id,
                      const char *username)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = gp_secret_store_lookup (store, id, username, NULL, &error);
  AsyncResult result = { 0 };

  /* Not "no password": the item is there, the keyring is locked. */
  g_assert_null (password);
  g_assert_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);

  lookup_async_and_wait (store, id, username, &result);
  g_assert_null (result.password);
  g_assert_error (result.error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);
  async_result_clear (&result);
}

static void
assert_locked_store_and_clear (const char *id)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GError) clear_error = NULL;

  g_assert_false (gp_secret_store_store (store, id, "alice", "Gatepass test", "new", NULL,
                                         &store_error));
  g_assert_error (store_error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);

  g_assert_false (gp_secret_store_clear (store, id, NULL, &clear_error));
  g_assert_error (clear_error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);
}

static void
assert_listed_while_locked (const char *id)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpKeyringListing) listing = gp_secret_store_list (store, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (gp_keyring_listing_has (listing, id, "alice"));
}

static void
merge_part (GpSecretSnapshot *part,
            gpointer          user_data)
{
  gp_secret_snapshot_merge (user_data, part);
  gp_secret_snapshot_free (part);
}

/* Every part of the keyring, merged as the batch merges them. */
static GpSecretSnapshot *
read_all (GpSecretStore  *store,
          GError        **error)
{
  GpSecretSnapshot *snapshot = gp_secret_snapshot_new ();

  if (!gp_secret_store_read_all_parts (store, merge_part, snapshot, NULL, error))
    g_clear_pointer (&snapshot, gp_secret_snapshot_free);
  return snapshot;
}

/* One read of every item gives what a lookup of each gives: the same
 * bytes, nothing for what is not stored. (It has no modification times:
 * gp-secret-snapshot.h.) */
static void
test_read_all (void)
{
  g_autofree char *first = new_profile_id ();
  g_autofree char *second = new_profile_id ();
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GpSecretSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (odd_passwords); i++)
    {
      g_autofree char *user = g_strdup_printf ("user%u", i);

      store_password (first, user, odd_passwords[i]);
    }
  store_password (second, "bob", "second's");

  snapshot = read_all (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_cmpuint (gp_secret_snapshot_get_size (snapshot), >=, G_N_ELEMENTS (odd_passwords) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (odd_passwords); i++)
    {
      g_autofree char *user = g_strdup_printf ("user%u", i);
      g_autoptr(GpPassword) one = NULL;
      g_autoptr(GpPassword) all = NULL;
      guint64 one_modified = 0;

      one = gp_secret_store_lookup_full (store, first, user, &one_modified, NULL, &error);
      g_assert_no_error (error);
      all = gp_secret_snapshot_lookup (snapshot, first, user, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (all, ==, odd_passwords[i]);
      g_assert_cmpstr (all, ==, one);
      g_assert_cmpuint (one_modified, >, 0);
    }
  {
    g_autoptr(GpPassword) bob = gp_secret_snapshot_lookup (snapshot, second, "bob", &error);
    g_autoptr(GpPassword) nobody = gp_secret_snapshot_lookup (snapshot, second, "carol", &error);

    g_assert_cmpstr (bob, ==, "second's");
    g_assert_null (nobody);
    g_assert_no_error (error);
  }
  clear_profile (first);
  clear_profile (second);
}

typedef struct
{
  GpSecretSnapshot *all;
  guint             parts;
  guint             largest;
} Parts;

static void
on_part (GpSecretSnapshot *part,
         gpointer          user_data)
{
  Parts *parts = user_data;

  parts->parts++;
  parts->largest = MAX (parts->largest, gp_secret_snapshot_get_size (part));
  merge_part (part, parts->all);
}

/* 150 items come in parts of at most 64 (from the Secret Service; the
 * file backend, read in one go, hands them over whole), which together
 * give every password, each from its own item. */
static void
test_read_all_parts (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Parts parts = { gp_secret_snapshot_new (), 0, 0 };

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *password = g_strdup_printf ("password %u", i);

      g_ptr_array_add (ids, new_profile_id ());
      store_password (g_ptr_array_index (ids, i), "alice", password);
    }

  g_assert_true (gp_secret_store_read_all_parts (store, on_part, &parts, NULL, &error));
  g_assert_no_error (error);
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    g_assert_cmpuint (parts.parts, ==, 1);
  else
    {
      g_assert_cmpuint (parts.parts, >=, 3);
      g_assert_cmpuint (parts.largest, <=, 64);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("password %u", i);
      g_autoptr(GpPassword) password = gp_secret_snapshot_lookup (parts.all, g_ptr_array_index (ids, i), "alice",
                                                                  &error);

      g_assert_no_error (error);
      g_assert_cmpstr (password, ==, expected);
      g_assert_true (gp_secret_snapshot_has_password (parts.all, g_ptr_array_index (ids, i), "alice"));
      clear_profile (g_ptr_array_index (ids, i));
    }
  gp_secret_snapshot_free (parts.all);
}

/* A later part never replaces a password an earlier one gave; it gives
 * one to a pair that only a locked item held before. */
static void
test_snapshot_merge (void)
{
  g_autoptr(GpSecretSnapshot) first = gp_secret_snapshot_new ();
  g_autoptr(GpSecretSnapshot) later = gp_secret_snapshot_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) kept = NULL;
  g_autoptr(GpPassword) given = NULL;
  g_autoptr(GpPassword) locked = NULL;

  gp_secret_snapshot_add (first, "a", "alice", "first");
  gp_secret_snapshot_add_locked (first, "b", "bob");
  gp_secret_snapshot_add_locked (first, "c", "carol");
  gp_secret_snapshot_add (later, "a", "alice", "later");
  gp_secret_snapshot_add (later, "b", "bob", "unlocked later");
  gp_secret_snapshot_add_locked (later, "c", "carol");
  gp_secret_snapshot_merge (first, later);

  kept = gp_secret_snapshot_lookup (first, "a", "alice", &error);
  g_assert_cmpstr (kept, ==, "first");
  given = gp_secret_snapshot_lookup (first, "b", "bob", &error);
  g_assert_cmpstr (given, ==, "unlocked later");
  g_assert_no_error (error);
  locked = gp_secret_snapshot_lookup (first, "c", "carol", &error);
  g_assert_null (locked);
  g_assert_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);
  g_assert_false (gp_secret_snapshot_has_password (first, "c", "carol"));
  g_assert_cmpuint (gp_secret_snapshot_get_size (first), ==, 3);
}

/* A locked keyring is read too, and each of its pairs says so. */
static void
assert_snapshot_locked (const char *id)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSecretSnapshot) snapshot = read_all (store, &error);
  g_autoptr(GpPassword) password = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  password = gp_secret_snapshot_lookup (snapshot, id, "alice", &error);
  g_assert_null (password);
  g_assert_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);
}

static void
test_locked (void)
{
  g_autofree char *id = new_profile_id ();

  store_password (id, "alice", "kept");
  lock_login_keyring ();

  assert_locked_lookup (id, "alice");
  assert_locked_store_and_clear (id);
  assert_listed_while_locked (id);
  assert_snapshot_locked (id);

  unlock_login_keyring ();

  /* Neither the refused store nor the refused clear changed anything. */
  assert_lookup (id, "alice", "kept");
  g_assert_cmpuint (count_items (id), ==, 1);
  clear_profile (id);
}

/* ---- following the keyrings' state ---------------------------------------- */

static void
on_watch_changed (GpKeyringWatch *watch,
                  guint          *count)
{
  (*count)++;
}

static gboolean
on_watch_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *count passes `above` or 10 s have gone. */
static void
wait_for_change (guint *count,
                 guint  above)
{
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (10, on_watch_deadline, &late);

  while (*count <= above && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (id);
}

/* The real gnome-keyring announces a lock and an unlock done by someone
 * else (as a screen locker does): the watch tells of each, once per
 * burst, and of nothing while nothing happens. */
static void
test_watch_lock_unlock (void)
{
  g_autoptr(GpKeyringWatch) watch = gp_keyring_watch_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0, after_lock;
  gboolean quiet_over = FALSE;

  g_signal_connect (watch, "changed", G_CALLBACK (on_watch_changed), &count);
  /* Let the watch subscribe before anything happens. The daemon may still
   * be announcing what the earlier tests did (on a busy machine its
   * signals came late), so the quiet half second that counts is the first
   * one without a change, within 10 s. */
  for (guint tries = 0; tries < 20; tries++)
    {
      count = 0;
      quiet_over = FALSE;
      g_timeout_add (500, on_watch_deadline, &quiet_over);
      while (!quiet_over)
        g_main_context_iteration (NULL, TRUE);
      if (count == 0)
        break;
    }
  g_assert_cmpuint (count, ==, 0);

  g_assert_true (gp_test_keyring_lock (&error));
  g_assert_no_error (error);
  wait_for_change (&count, 0);
  g_assert_cmpuint (count, >=, 1);
  after_lock = count;

  g_assert_true (gp_test_keyring_unlock (&error));
  g_assert_no_error (error);
  wait_for_change (&count, after_lock);
  g_assert_cmpuint (count, >, after_lock);
}

/* ---- libsecret's keyring file (the store inside the Flatpak) ------------- */

/* Where SECRET_BACKEND=file points libsecret (main () sets it). */
static char *keyring_file;

/* In the sandbox libsecret's file takes the Secret Service's place: the
 * password is in the file, encrypted, and in no other file. */
static void
test_file_holds_password (void)
{
  g_autofree char *id = new_profile_id ();
  g_autofree char *contents = NULL;
  gsize length = 0;

  store_password (id, "alice", "plain-text-never");
  g_assert_true (g_file_get_contents (keyring_file, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_null (g_strstr_len (contents, length, "plain-text-never"));
  assert_lookup (id, "alice", "plain-text-never");
  clear_profile (id);
}

/* The item's modification time, which a result uses to tell which
 * password it tested, comes from the file's item too. */
static void
test_file_modified (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = NULL;
  g_autofree char *id = new_profile_id ();
  guint64 modified = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  store_password (id, "alice", "a");
  password = gp_secret_store_lookup_full (store, id, "alice", &modified, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "a");
  g_assert_cmpint ((gint64) modified, >=, now - 5);
  g_assert_cmpint ((gint64) modified, <=, now + 5);
  clear_profile (id);
}

/* No bus at all: the file needs none (the test's key stands in for the
 * portal's), so a missing bus is no error here. */
static void
test_file_without_bus (void)
{
  g_autofree char *other = NULL;

  if (g_test_subprocess ())
    {
      g_autofree char *id = new_profile_id ();

      /* A file of its own: the parent's stays as the parent read it. */
      g_setenv ("SECRET_FILE_TEST_PATH", g_getenv ("GP_TEST_OTHER_FILE"), TRUE);
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_setenv ("XDG_RUNTIME_DIR", "/nonexistent", TRUE);
      store_password (id, "alice", "no bus");
      assert_lookup (id, "alice", "no bus");
      clear_profile (id);
      return;
    }
  other = g_strconcat (keyring_file, ".without-bus", NULL);
  g_setenv ("GP_TEST_OTHER_FILE", other, TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

/* Each process keeps the file as it read it. A second Gatepass (a
 * command beside the window) that wrote it meanwhile is not overwritten:
 * this one's change fails with words that say why, and the other's
 * password stays. */
static void
test_file_other_writer (void)
{
  g_autoptr(GpSecretStore) store = gp_secret_store_new (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (g_test_subprocess ())
    {
      store_password (g_getenv ("GP_TEST_PROFILE_ID"), "bob", "written by the other");
      return;
    }
  id = new_profile_id ();
  store_password (id, "alice", "mine");
  g_setenv ("GP_TEST_PROFILE_ID", id, TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_assert_false (gp_secret_store_store (store, id, "alice", "Gatepass test", "changed", NULL, &error));
  g_assert_error (error, GP_SECRET_ERROR, GP_SECRET_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Another Gatepass"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret-store/sync/round-trip", test_round_trip);
  g_test_add_func ("/secret-store/sync/absent", test_absent);
  g_test_add_func ("/secret-store/sync/replace", test_replace);
  g_test_add_func ("/secret-store/sync/clear-every-username", test_clear_every_username);
  g_test_add_func ("/secret-store/sync/clear-except", test_clear_except);
  g_test_add_func ("/secret-store/sync/passwords-byte-exact", test_passwords_byte_exact);
  g_test_add_func ("/secret-store/sync/list", test_list);
  g_test_add_func ("/secret-store/sync/read-all", test_read_all);
  g_test_add_func ("/secret-store/sync/read-all-parts", test_read_all_parts);
  g_test_add_func ("/secret-store/snapshot/merge", test_snapshot_merge);
  g_test_add_func ("/secret-store/async/round-trip", test_async_round_trip);
  g_test_add_func ("/secret-store/async/concurrent", test_async_concurrent);

  /* SECRET_BACKEND=file (the meson test secret-store-file): the same
   * cases on libsecret's keyring file, as inside the Flatpak, which is
   * never locked and does not announce changes on the bus. */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      /* One file for the test and its subprocesses, which inherit it. */
      if (g_getenv ("SECRET_FILE_TEST_PATH") == NULL)
        {
          g_autofree char *dir = g_dir_make_tmp ("gatepass-keyring-XXXXXX", NULL);

          g_assert_nonnull (dir);
          keyring_file = g_build_filename (dir, "default.keyring", NULL);
          g_setenv ("SECRET_FILE_TEST_PATH", keyring_file, TRUE);
        }
      else
        keyring_file = g_strdup (g_getenv ("SECRET_FILE_TEST_PATH"));
      g_test_add_func ("/secret-store/file/holds-password", test_file_holds_password);
      g_test_add_func ("/secret-store/file/modified", test_file_modified);
      g_test_add_func ("/secret-store/file/without-bus", test_file_without_bus);
      g_test_add_func ("/secret-store/file/other-writer", test_file_other_writer);
      return g_test_run ();
    }

  /* Last, so that a failure to unlock again cannot spoil the others. */
  g_test_add_func ("/secret-store/locked/refuses-and-keeps", test_locked);
  g_test_add_func ("/secret-store/watch/lock-unlock", test_watch_lock_unlock);

  return g_test_run ();
}
