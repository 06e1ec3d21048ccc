/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gp-env.h"
#include "gp-probe-result.h"
#include "gp-session-record.h"

GpSessionRecord *
gp_session_record_new (void)
{
  GpSessionRecord *record = g_new0 (GpSessionRecord, 1);

  record->variables = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_env_variable_free);
  record->gnome_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_gnome_key_free);
  record->unavailable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  record->credential_modified = -1;
  return record;
}

void
gp_session_record_free (GpSessionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->profile_id);
  g_free (record->profile_name);
  g_free (record->session_file);
  g_ptr_array_unref (record->variables);
  g_ptr_array_unref (record->gnome_keys);
  g_free (record->autostart);
  g_free (record->credentials);
  g_hash_table_unref (record->unavailable);
  g_free (record);
}

GpGnomeKey *
gp_gnome_key_new (const char *schema,
                  const char *key,
                  const char *previous,
                  const char *written)
{
  GpGnomeKey *gnome_key = g_new0 (GpGnomeKey, 1);

  gnome_key->schema = g_strdup (schema);
  gnome_key->key = g_strdup (key);
  gnome_key->previous = g_strdup (previous);
  gnome_key->written = g_strdup (written);
  return gnome_key;
}

void
gp_gnome_key_free (GpGnomeKey *key)
{
  if (key == NULL)
    return;
  g_free (key->schema);
  g_free (key->key);
  g_free (key->previous);
  g_free (key->written);
  g_free (key);
}

GpGnomeKey *
gp_session_record_find_key (GpSessionRecord *record,
                            const char      *schema,
                            const char      *key)
{
  for (guint i = 0; i < record->gnome_keys->len; i++)
    {
      GpGnomeKey *gnome_key = g_ptr_array_index (record->gnome_keys, i);

      if (g_str_equal (gnome_key->schema, schema) && g_str_equal (gnome_key->key, key))
        return gnome_key;
    }
  return NULL;
}

char *
gp_session_record_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "gatepass", "session.json", NULL);
}

/* --- to JSON ---------------------------------------------------------------- */

static void
add_boolean (JsonBuilder *builder,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_variables (JsonBuilder *builder,
               GPtrArray   *variables)
{
  json_builder_set_member_name (builder, "variables");
  json_builder_begin_array (builder);
  for (guint i = 0; i < variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);

      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, variable->name);
      json_builder_add_string_value (builder, variable->value);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

static void
add_gnome_keys (JsonBuilder *builder,
                GPtrArray   *keys)
{
  json_builder_set_member_name (builder, "gnome");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      GpGnomeKey *key = g_ptr_array_index (keys, i);

      json_builder_begin_object (builder);
      gp_json_add_string_or_null (builder, "schema", key->schema);
      gp_json_add_string_or_null (builder, "key", key->key);
      gp_json_add_string_or_null (builder, "previous", key->previous);
      gp_json_add_string_or_null (builder, "written", key->written);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_unavailable (JsonBuilder *builder,
                 GHashTable  *unavailable)
{
  GHashTableIter iter;
  gpointer place, reason;

  json_builder_set_member_name (builder, "unavailable");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, unavailable);
  while (g_hash_table_iter_next (&iter, &place, &reason))
    gp_json_add_string_or_null (builder, place, reason);
  json_builder_end_object (builder);
}

static char *
record_to_json (GpSessionRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  gp_json_add_string_or_null (builder, "profile_id", record->profile_id);
  gp_json_add_string_or_null (builder, "profile_name", record->profile_name);
  gp_json_add_string_or_null (builder, "session_file", record->session_file);
  add_boolean (builder, "file_credentials", record->file_credentials);
  add_variables (builder, record->variables);
  add_boolean (builder, "systemd", record->systemd);
  add_boolean (builder, "activation_environment", record->activation);
  add_gnome_keys (builder, record->gnome_keys);
  gp_json_add_string_or_null (builder, "autostart", record->autostart);
  gp_json_add_string_or_null (builder, "credentials", record->credentials);
  json_builder_set_member_name (builder, "credential_modified");
  json_builder_add_int_value (builder, record->credential_modified);
  add_unavailable (builder, record->unavailable);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* --- from JSON ---------------------------------------------------------------- */

/* NULL unless node is a string of valid UTF-8 (json-glib takes octal
 * escapes such as \260, which make bytes that are not): a record edited
 * by hand must not crash deactivate, only make it undo less. */
static const char *
node_string (JsonNode *node)
{
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  return text != NULL && g_utf8_validate (text, -1, NULL) ? text : NULL;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  return node_string (json_object_get_member (object, name));
}

static gboolean
get_boolean (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gint64
get_int (JsonObject *object,
         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return MAX (json_node_get_int (node), -1);
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
read_variables (GpSessionRecord *record,
                JsonArray       *array)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      const char *name, *value;

      if (pair == NULL || json_array_get_length (pair) != 2)
        continue;
      name = node_string (json_array_get_element (pair, 0));
      value = node_string (json_array_get_element (pair, 1));
      if (name != NULL && value != NULL)
        g_ptr_array_add (record->variables, gp_env_variable_new (name, value));
    }
}

static void
read_gnome_keys (GpSessionRecord *record,
                 JsonArray       *array)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      /* Only GNOME's proxy settings: a record edited by hand must not
       * make deactivate write any other setting. */
      if (object == NULL || !g_str_has_prefix (get_string (object, "schema") ?: "", GP_GNOME_PROXY_SCHEMA) ||
          get_string (object, "key") == NULL || get_string (object, "previous") == NULL ||
          get_string (object, "written") == NULL)
        continue;
      g_ptr_array_add (record->gnome_keys,
                       gp_gnome_key_new (get_string (object, "schema"), get_string (object, "key"),
                                         get_string (object, "previous"), get_string (object, "written")));
    }
}

static void
read_unavailable (GpSessionRecord *record,
                  JsonObject      *root)
{
  JsonNode *node = json_object_get_member (root, "unavailable");
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(GList) members = object != NULL ? json_object_get_members (object) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (g_utf8_validate (l->data, -1, NULL) && get_string (object, l->data) != NULL)
      g_hash_table_insert (record->unavailable, g_strdup (l->data), g_strdup (get_string (object, l->data)));
}

static GpSessionRecord *
record_from_json (JsonObject *root)
{
  GpSessionRecord *record = gp_session_record_new ();

  record->profile_id = g_strdup (get_string (root, "profile_id"));
  record->profile_name = g_strdup (get_string (root, "profile_name"));
  record->session_file = g_strdup (get_string (root, "session_file"));
  record->file_credentials = get_boolean (root, "file_credentials");
  read_variables (record, get_array (root, "variables"));
  record->systemd = get_boolean (root, "systemd");
  record->activation = get_boolean (root, "activation_environment");
  read_gnome_keys (record, get_array (root, "gnome"));
  record->autostart = g_strdup (get_string (root, "autostart"));
  record->credentials = g_strdup (get_string (root, "credentials"));
  record->credential_modified = get_int (root, "credential_modified");
  read_unavailable (record, root);
  return record;
}

GpSessionRecord *
gp_session_record_load (const char  *path,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  JsonNode *root;

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return NULL;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Cannot read what was applied to the session: "));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, length, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s is not a record that Gatepass wrote; move it away, then set the session "
                     "up again with activate"), path);
      return NULL;
    }
  return record_from_json (json_node_get_object (root));
}

gboolean
gp_session_record_save (GpSessionRecord  *record,
                        const char       *path,
                        GError          **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = record_to_json (record);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
gp_session_record_delete (const char  *path,
                          GError     **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot remove %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
