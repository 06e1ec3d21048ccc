/* SPDX-License-Identifier: GPL-3.0-or-later */
/* profiles.ini: load → save → load. The input is written as the file;
 * if it loads, saving it and loading the saved file gives the same
 * profiles (and active profile), and a file that loaded once loads
 * again after a second save, unchanged. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "gp-profile-store.h"

static char *
profiles_path (void)
{
  static char *path;

  /* One directory per process, under $TMPDIR; removed at exit. */
  if (path == NULL)
    {
      g_autoptr(GError) error = NULL;
      char *dir = g_dir_make_tmp ("gatepass-fuzz-XXXXXX", &error);

      if (dir == NULL)
        {
          fprintf (stderr, "fuzz-profile-store: %s\n", error->message);
          abort ();
        }
      path = g_build_filename (dir, "profiles.ini", NULL);
      g_free (dir);
    }
  return path;
}

static void __attribute__((destructor))
remove_profiles_dir (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) entries = NULL;
  const char *name;

  if (profiles_path () == NULL)
    return;
  dir = g_path_get_dirname (profiles_path ());
  entries = g_dir_open (dir, 0, NULL);
  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

static GpProfileStore *
load_store (const char *path)
{
  g_autoptr(GpProfileStore) store = gp_profile_store_new (path);

  if (!gp_profile_store_load (store, NULL))
    return NULL;
  return g_steal_pointer (&store);
}

static void
check_same_profiles (GpProfileStore *a,
                     GpProfileStore *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));
  GpProfile *active_a = gp_profile_store_get_active (a);
  GpProfile *active_b = gp_profile_store_get_active (b);

  FUZZ_CHECK (g_list_model_get_n_items (G_LIST_MODEL (b)) == n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GpProfile) pa = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(GpProfile) pb = g_list_model_get_item (G_LIST_MODEL (b), i);

      FUZZ_CHECK (gp_profile_equal (pa, pb));
      FUZZ_CHECK (strcmp (gp_profile_get_id (pa), gp_profile_get_id (pb)) == 0);
    }
  FUZZ_CHECK ((active_a == NULL) == (active_b == NULL));
  if (active_a != NULL)
    FUZZ_CHECK (strcmp (gp_profile_get_id (active_a), gp_profile_get_id (active_b)) == 0);
}

static char *
save_and_read (GpProfileStore *store)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  if (!gp_profile_store_save (store, &error))
    {
      fprintf (stderr, "save: %s\n", error->message);
      FUZZ_CHECK (!"a loaded file saves");
    }
  FUZZ_CHECK (g_file_get_contents (gp_profile_store_get_path (store), &data, NULL, NULL));
  return data;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path;
  g_autoptr(GpProfileStore) first = NULL;
  g_autoptr(GpProfileStore) second = NULL;
  g_autoptr(GpProfileStore) third = NULL;
  g_autofree char *saved_once = NULL;
  g_autofree char *saved_twice = NULL;
  g_autofree char *saved_thrice = NULL;

  fuzz_init_once ();
  path = profiles_path ();
  /* The raw bytes, NULs included: that is what a file can hold. */
  FUZZ_CHECK (g_file_set_contents (path, (const char *) data, size, NULL));

  first = load_store (path);
  if (first == NULL)
    return 0;

  saved_once = save_and_read (first);
  second = load_store (path);
  if (second == NULL)
    fprintf (stderr, "--- saved file that does not load:\n%s---\n", saved_once);
  FUZZ_CHECK (second != NULL);
  check_same_profiles (first, second);

  saved_twice = save_and_read (second);
  third = load_store (path);
  FUZZ_CHECK (third != NULL);
  check_same_profiles (second, third);
  /* What we write is a fixed point once saved twice. Not after one
   * save: a last line that ends in a bare "\r" keeps it in GKeyFile's
   * value, the save adds "\n", and the reload reads "\r\n" as the line
   * end (in a group that is not ours and kept as it was: the profiles
   * are the same; regressions/profile-store/bare-cr-at-end). */
  saved_thrice = save_and_read (third);
  FUZZ_CHECK (strcmp (saved_twice, saved_thrice) == 0);
  return 0;
}
