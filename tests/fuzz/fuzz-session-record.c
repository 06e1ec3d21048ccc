/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record of what activate applied (gp-session-record.c), read from a
 * file that anybody may have edited: gp_session_record_load () never
 * crashes; a record that loads, saved and loaded again, holds the same
 * fields, and every GNOME key it holds is one of GNOME's proxy settings
 * (deactivate writes those back, and must write nothing else). */
#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "gp-env.h"
#include "gp-session-record.h"

static char *dir;

static char *
path_in_dir (const char *name)
{
  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("gatepass-fuzz-XXXXXX", NULL);
      FUZZ_CHECK (dir != NULL);
    }
  return g_build_filename (dir, name, NULL);
}

static void __attribute__((destructor))
remove_dir (void)
{
  g_autofree char *input = NULL;
  g_autofree char *saved = NULL;

  if (dir == NULL)
    return;
  input = path_in_dir ("input.json");
  saved = path_in_dir ("saved.json");
  g_unlink (input);
  g_unlink (saved);
  g_rmdir (dir);
}

static void
check_same_variables (GPtrArray *a,
                      GPtrArray *b)
{
  FUZZ_CHECK (a->len == b->len);
  for (guint i = 0; i < a->len; i++)
    {
      GpEnvVariable *va = g_ptr_array_index (a, i), *vb = g_ptr_array_index (b, i);

      FUZZ_CHECK (strcmp (va->name, vb->name) == 0 && strcmp (va->value, vb->value) == 0);
    }
}

static void
check_same_keys (GPtrArray *a,
                 GPtrArray *b)
{
  FUZZ_CHECK (a->len == b->len);
  for (guint i = 0; i < a->len; i++)
    {
      GpGnomeKey *ka = g_ptr_array_index (a, i), *kb = g_ptr_array_index (b, i);

      FUZZ_CHECK (g_str_has_prefix (ka->schema, GP_GNOME_PROXY_SCHEMA));
      FUZZ_CHECK (strcmp (ka->schema, kb->schema) == 0 && strcmp (ka->key, kb->key) == 0);
      FUZZ_CHECK (strcmp (ka->previous, kb->previous) == 0 && strcmp (ka->written, kb->written) == 0);
    }
}

static void
check_same_unavailable (GHashTable *a,
                        GHashTable *b)
{
  GHashTableIter iter;
  gpointer place, reason;

  FUZZ_CHECK (g_hash_table_size (a) == g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &place, &reason))
    FUZZ_CHECK (g_strcmp0 (reason, g_hash_table_lookup (b, place)) == 0);
}

static void
check_same_record (GpSessionRecord *a,
                   GpSessionRecord *b)
{
  FUZZ_CHECK (g_strcmp0 (a->profile_id, b->profile_id) == 0);
  FUZZ_CHECK (g_strcmp0 (a->profile_name, b->profile_name) == 0);
  FUZZ_CHECK (g_strcmp0 (a->session_file, b->session_file) == 0);
  FUZZ_CHECK (a->file_credentials == b->file_credentials);
  check_same_variables (a->variables, b->variables);
  FUZZ_CHECK (a->systemd == b->systemd && a->activation == b->activation);
  check_same_keys (a->gnome_keys, b->gnome_keys);
  FUZZ_CHECK (g_strcmp0 (a->autostart, b->autostart) == 0);
  FUZZ_CHECK (g_strcmp0 (a->credentials, b->credentials) == 0);
  FUZZ_CHECK (a->credential_modified == b->credential_modified);
  check_same_unavailable (a->unavailable, b->unavailable);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = path_in_dir ("input.json");
  g_autofree char *saved = path_in_dir ("saved.json");
  g_autoptr(GpSessionRecord) record = NULL;
  g_autoptr(GpSessionRecord) again = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init_once ();
  FUZZ_CHECK (g_file_set_contents (input, (const char *) data, size, NULL));

  record = gp_session_record_load (input, &error);
  if (record == NULL)
    return 0;

  FUZZ_CHECK (gp_session_record_save (record, saved, NULL));
  again = gp_session_record_load (saved, NULL);
  FUZZ_CHECK (again != NULL);
  check_same_record (record, again);
  return 0;
}
