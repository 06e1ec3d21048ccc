/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Without libFuzzer (the gcc build): replays every file of the
 * directories (or the files) given on the command line through the
 * target, so that `meson test` checks the corpus and every regression
 * input on each run. A property violation aborts, as under libFuzzer. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) data, length);
  return TRUE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
replay_path (const char *path,
             guint      *count)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      (*count)++;
      return replay_file (path);
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return FALSE;
  /* Sorted, so that a failure names the same input on every run. */
  names = g_ptr_array_new_with_free_func (g_free);
  /* Dot files (.gitkeep in an empty regressions/ directory) are not inputs. */
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);

      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        {
          printf ("# %s\n", file);
          fflush (stdout);
          (*count)++;
          if (!replay_file (file))
            return FALSE;
        }
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s DIR-OR-FILE...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    if (!replay_path (argv[i], &count))
      return 1;
  if (count == 0)
    {
      fprintf (stderr, "replay: no input in the paths given\n");
      return 1;
    }
  printf ("replayed %u inputs\n", count);
  return 0;
}
