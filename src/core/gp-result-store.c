/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syncfs (), renameat2 () */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "gp-result-store.h"

/* The last test result of each profile, one JSON file per profile id, so
 * that the window and clear-stale can use it later. It holds no secret:
 * only the keyring item's modification time, so that nothing acts on a
 * password that was replaced after the test. */

char *
gp_result_store_default_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "gatepass", "results", NULL);
}

static char *
result_path (const char *dir,
             const char *profile_id)
{
  g_autofree char *name = g_strconcat (profile_id, ".json", NULL);
  return g_build_filename (dir, name, NULL);
}

static char *
result_to_data (GpProfile     *profile,
                GpProbeResult *result,
                gint64         credential_modified)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *tested_at = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile_id");
  json_builder_add_string_value (builder, gp_profile_get_id (profile));
  json_builder_set_member_name (builder, "tested_at");
  json_builder_add_string_value (builder, tested_at);
  json_builder_set_member_name (builder, "credential_modified");
  if (credential_modified >= 0)
    json_builder_add_int_value (builder, credential_modified);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "result");
  gp_probe_result_add_json (result, builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gboolean
make_dir (const char  *dir,
          GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *dir)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Cannot keep the test results in %s: %s"), dir, g_strerror (saved_errno));
  return FALSE;
}

/* Overwrites the spare file in place, then cuts what is left of an older,
 * longer result: O_TRUNC would free its blocks only for the write to
 * allocate them again, and freeing costs ext4 a journal entry and, where
 * mounted with discard, a discard (0.15 ms a file, most of the time that
 * keeping 1,000 results took). A spare file is never read; it is synced
 * before it is swapped into place. */
static gboolean
write_file_at (int          dir_fd,
               const char  *name,
               const char  *data)
{
  gsize length = strlen (data);
  int fd = openat (dir_fd, name, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  gboolean written;

  if (fd < 0)
    return FALSE;
  written = pwrite (fd, data, length, 0) == (gssize) length && ftruncate (fd, length) == 0;
  if (close (fd) != 0)
    written = FALSE;
  return written;
}

/* Puts NAME.spare in NAME's place. Swapping the two keeps both inodes, so
 * a batch allocates no inode and frees none: on ext4 without a journal,
 * allocating next to many freshly freed inodes costs time quadratic in
 * their number (a second for 1,000 results). Where the swap is not
 * possible (no NAME yet, or a file system without it), a rename. */
static gboolean
swap_into_place (int         dir_fd,
                 const char *spare,
                 const char *name)
{
  if (renameat2 (dir_fd, spare, dir_fd, name, RENAME_EXCHANGE) == 0)
    return TRUE;
  if (errno != ENOENT && errno != EINVAL)
    return FALSE;
  return renameat (dir_fd, spare, dir_fd, name) == 0;
}

/* Writes every result to its spare file, one syncfs () for all their
 * data, then swaps each into place: a reader sees the old or the new
 * result, never a mixture, and GLib's two fsyncs per file (a second for
 * 1,000 profiles) are spared. Profiles named twice are written once. */
static gboolean
save_all_at (int           dir_fd,
             const char   *dir,
             GPtrArray    *profiles,
             GPtrArray    *results,
             const gint64 *credential_modified,
             GError      **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < profiles->len; i++)
    {
      GpProfile *profile = g_ptr_array_index (profiles, i);
      g_autofree char *data = NULL;
      g_autofree char *spare = NULL;

      if (!g_hash_table_add (seen, (gpointer) gp_profile_get_id (profile)))
        continue;
      data = result_to_data (profile, g_ptr_array_index (results, i), credential_modified[i]);
      g_ptr_array_add (names, g_strconcat (gp_profile_get_id (profile), ".json", NULL));
      spare = g_strconcat (g_ptr_array_index (names, names->len - 1), ".spare", NULL);
      if (!write_file_at (dir_fd, spare, data))
        return set_errno_error (error, errno, dir);
    }

  if (syncfs (dir_fd) != 0)
    return set_errno_error (error, errno, dir);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *spare = g_strconcat (g_ptr_array_index (names, i), ".spare", NULL);

      if (!swap_into_place (dir_fd, spare, g_ptr_array_index (names, i)))
        return set_errno_error (error, errno, dir);
    }
  fsync (dir_fd);
  return TRUE;
}

/* Saves many results at once, as `test --all` does: the same files as
 * the window and `test` read. The folder's lock keeps two batches from
 * writing the same spare files. */
gboolean
gp_result_store_save_all (const char    *dir,
                          GPtrArray     *profiles,
                          GPtrArray     *results,
                          const gint64  *credential_modified,
                          GError       **error)
{
  int dir_fd, lock_fd;
  gboolean ok;

  g_return_val_if_fail (profiles != NULL && results != NULL, FALSE);
  g_return_val_if_fail (profiles->len == results->len, FALSE);

  if (profiles->len == 0)
    return TRUE;
  if (!make_dir (dir, error))
    return FALSE;

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    return set_errno_error (error, errno, dir);
  lock_fd = openat (dir_fd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock_fd < 0 || flock (lock_fd, LOCK_EX) != 0)
    ok = set_errno_error (error, errno, dir);
  else
    ok = save_all_at (dir_fd, dir, profiles, results, credential_modified, error);

  if (lock_fd >= 0)
    close (lock_fd);
  close (dir_fd);
  return ok;
}

/* What a save in a worker thread reads: its own copies, since the
 * caller's profiles may change on the main thread (a reload replaces
 * their strings) while the thread writes. Results are not changed after
 * a probe, so a reference is enough. */
typedef struct
{
  char      *dir;
  GPtrArray *profiles;
  GPtrArray *results;
  gint64    *credential_modified;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->dir);
  g_ptr_array_unref (job->profiles);
  g_ptr_array_unref (job->results);
  g_free (job->credential_modified);
  g_free (job);
}

static void
save_all_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (gp_result_store_save_all (job->dir, job->profiles, job->results, job->credential_modified, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* gp_result_store_save_all () in a worker thread, for the window: the
 * save fsyncs. Cancelling stops a save that has not started yet. */
void
gp_result_store_save_all_async (const char          *dir,
                                GPtrArray           *profiles,
                                GPtrArray           *results,
                                const gint64        *credential_modified,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (profiles != NULL && results != NULL);
  g_return_if_fail (profiles->len == results->len);
  g_return_if_fail (profiles->len == 0 || credential_modified != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_result_store_save_all_async);

  job = g_new0 (SaveJob, 1);
  job->dir = g_strdup (dir);
  job->profiles = g_ptr_array_new_full (profiles->len, g_object_unref);
  job->results = g_ptr_array_new_full (results->len, g_object_unref);
  for (guint i = 0; i < profiles->len; i++)
    {
      g_ptr_array_add (job->profiles, gp_profile_copy (g_ptr_array_index (profiles, i)));
      g_ptr_array_add (job->results, g_object_ref (g_ptr_array_index (results, i)));
    }
  job->credential_modified = g_memdup2 (credential_modified, sizeof (gint64) * profiles->len);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_all_thread);
}

gboolean
gp_result_store_save_all_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gp_result_store_save_all_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gp_stored_result_free (GpStoredResult *stored)
{
  if (stored == NULL)
    return;
  g_free (stored->profile_id);
  g_free (stored->tested_at);
  g_clear_object (&stored->result);
  g_free (stored);
}

static gboolean
invalid_file (GError    **error,
              const char *path,
              const char *member)
{
  g_set_error (error, GP_PROBE_RESULT_ERROR, GP_PROBE_RESULT_ERROR_INVALID,
               _("%s does not hold a valid test result: “%s” is missing or wrong"), path, member);
  return FALSE;
}

/* The metadata beside the result: written by us, yet read from a file
 * that anyone could have changed. */
static gboolean
decode_metadata (GpStoredResult  *stored,
                 JsonObject      *object,
                 const char      *path,
                 const char      *profile_id,
                 GError         **error)
{
  JsonNode *id = json_object_get_member (object, "profile_id");
  JsonNode *tested_at = json_object_get_member (object, "tested_at");
  JsonNode *modified = json_object_get_member (object, "credential_modified");
  g_autoptr(GDateTime) when = NULL;

  if (id == NULL || json_node_get_value_type (id) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (id), profile_id) != 0)
    return invalid_file (error, path, "profile_id");
  if (tested_at != NULL && json_node_get_value_type (tested_at) == G_TYPE_STRING &&
      strlen (json_node_get_string (tested_at)) < 64)
    when = g_date_time_new_from_iso8601 (json_node_get_string (tested_at), NULL);
  if (when == NULL)
    return invalid_file (error, path, "tested_at");
  if (modified == NULL ||
      (!JSON_NODE_HOLDS_NULL (modified) &&
       (json_node_get_value_type (modified) != G_TYPE_INT64 || json_node_get_int (modified) < 0)))
    return invalid_file (error, path, "credential_modified");

  stored->profile_id = g_strdup (profile_id);
  stored->tested_at = g_strdup (json_node_get_string (tested_at));
  stored->credential_modified = JSON_NODE_HOLDS_NULL (modified) ? -1 : json_node_get_int (modified);
  return TRUE;
}

static GpStoredResult *
decode_file (JsonNode    *root,
             const char  *path,
             const char  *profile_id,
             GError     **error)
{
  g_autoptr(GpStoredResult) stored = g_new0 (GpStoredResult, 1);
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *result;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid_file (error, path, "result");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!decode_metadata (stored, object, path, profile_id, error))
    return NULL;
  result = json_object_get_member (object, "result");
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    {
      invalid_file (error, path, "result");
      return NULL;
    }
  stored->result = gp_probe_result_new_from_json (json_node_get_object (result), &local_error);
  if (stored->result == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&stored);
}

/* A result file is a few KiB. json-glib parses nested arrays by
 * recursion: a file of 100,000 "[" would exhaust the stack, so the size
 * and the nesting are bounded before it parses anything. */
#define RESULT_FILE_MAX   (1024 * 1024)
#define RESULT_DEPTH_MAX  16

static gboolean
nesting_is_shallow (const char *data,
                    gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\' && i + 1 < length)
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > RESULT_DEPTH_MAX)
        return FALSE;
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static gboolean
read_bounded (const char  *path,
              char       **out_data,
              gsize       *out_length,
              GError     **error)
{
  GStatBuf info;

  if (g_stat (path, &info) == 0 && info.st_size > RESULT_FILE_MAX)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   _("the file is too large to be a test result"));
      return FALSE;
    }
  if (!g_file_get_contents (path, out_data, out_length, error))
    return FALSE;
  if (*out_length > RESULT_FILE_MAX || !nesting_is_shallow (*out_data, *out_length))
    {
      g_clear_pointer (out_data, g_free);
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   _("the file nests deeper than a test result does"));
      return FALSE;
    }
  return TRUE;
}

/* The parsed file, bounded as read_bounded bounds it; NULL with the
 * error (G_FILE_ERROR_NOENT when the profile was never tested). */
static JsonParser *
parse_file (const char  *path,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!read_bounded (path, &data, &length, error) || !json_parser_load_from_data (parser, data, length, error))
    return NULL;
  return g_steal_pointer (&parser);
}

/* The result last kept for the profile, decoded and checked; NULL without
 * an error when the profile was never tested. */
GpStoredResult *
gp_result_store_load (const char  *dir,
                      const char  *profile_id,
                      GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dir != NULL && profile_id != NULL, NULL);

  path = result_path (dir, profile_id);
  parser = parse_file (path, &local_error);
  if (parser == NULL)
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }
  return decode_file (json_parser_get_root (parser), path, profile_id, error);
}

/* A password stored by Gatepass after the last test: that test's
 * verdict on the credentials no longer holds for the item, whose
 * modification time (whole seconds) may still match the one recorded
 * when both happen within a second. The record of it goes; the result
 * stays for the window to show. Nothing recorded: nothing to do. */
gboolean
gp_result_store_forget_credential (const char  *dir,
                                   const char  *profile_id,
                                   GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *rewritten = NULL;
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (dir != NULL && profile_id != NULL, FALSE);

  /* A file that does not parse has no record to forget. */
  path = result_path (dir, profile_id);
  parser = parse_file (path, NULL);
  if (parser == NULL || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "credential_modified") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (object, "credential_modified")))
    return TRUE;

  json_object_set_null_member (object, "credential_modified");
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  rewritten = json_generator_to_data (generator, NULL);
  return g_file_set_contents_full (path, rewritten, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
