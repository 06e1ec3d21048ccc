/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-challenge.h"
#include "gp-text.h"

struct _GpChallenge
{
  gatomicrefcount  ref_count;
  char            *scheme;
  char            *token68;
  GPtrArray       *names;    /* lower case, in order, no duplicates */
  GPtrArray       *values;   /* unescaped; NULL for a name without a value */
};

G_DEFINE_BOXED_TYPE (GpChallenge, gp_challenge, gp_challenge_ref, gp_challenge_unref)

G_DEFINE_QUARK (gp-challenge-error-quark, gp_challenge_error)

static GpChallenge *
challenge_new (const char *scheme,
               gsize       length)
{
  GpChallenge *self = g_new0 (GpChallenge, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->scheme = g_strndup (scheme, length);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->values = g_ptr_array_new_with_free_func (g_free);
  return self;
}

GpChallenge *
gp_challenge_ref (GpChallenge *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gp_challenge_unref (GpChallenge *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->scheme);
  g_free (self->token68);
  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->values);
  g_free (self);
}

/* RFC 9110 tchar. */
static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* How many bytes at the start of text form an RFC 9110 token. */
gsize
gp_challenge_token_length (const char *text)
{
  gsize n = 0;

  g_return_val_if_fail (text != NULL, 0);

  while (is_tchar (text[n]))
    n++;
  return n;
}

/* RFC 9110 token68: what follows a scheme instead of params. */
gboolean
gp_challenge_is_token68 (const char *text)
{
  gsize n = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  while (g_ascii_isalnum (text[n]) || (text[n] != '\0' && strchr ("-._~+/", text[n]) != NULL))
    n++;
  if (n == 0)
    return FALSE;
  while (text[n] == '=')
    n++;
  return text[n] == '\0';
}

/* The builders below let the Proxy-Authenticate parser, which needs
 * libsoup and so lives in core-net (gp-challenge-parser.c), fill in a
 * challenge without this file needing libsoup too: whatever reads a
 * stored result must not load the tester's libraries. */
GpChallenge *
gp_challenge_new (const char *scheme,
                  gsize       length)
{
  g_return_val_if_fail (scheme != NULL, NULL);
  return challenge_new (scheme, length);
}

void
gp_challenge_set_token68 (GpChallenge *self,
                          const char  *token68)
{
  g_return_if_fail (self != NULL);

  g_free (self->token68);
  self->token68 = g_strdup (token68);
}

/* Adds one auth-param, value unescaped (or NULL for a name alone). The
 * name must be a token, and is kept lower case; a repeated name and any
 * param beyond GP_CHALLENGE_MAX_PARAMS are refused (FALSE). */
gboolean
gp_challenge_add_param (GpChallenge *self,
                        const char  *name,
                        const char  *value)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (self->names->len >= GP_CHALLENGE_MAX_PARAMS)
    return FALSE;
  lower = g_ascii_strdown (name, -1);
  /* A name must be a token: no control bytes reach a terminal. */
  if (*lower == '\0' || lower[gp_challenge_token_length (lower)] != '\0' ||
      gp_challenge_get_param (self, lower) != NULL)
    return FALSE;
  g_ptr_array_add (self->names, g_steal_pointer (&lower));
  /* A decoded value (RFC 8187, title*=UTF-8''%ff) can hold anything:
   * check again, and keep no control character (C1 included) for a
   * terminal to obey. */
  g_ptr_array_add (self->values, value != NULL ? gp_text_sanitize (value, -1, GP_CHALLENGE_MAX_INPUT) : NULL);
  return TRUE;
}
const char *
gp_challenge_get_scheme (GpChallenge *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->scheme;
}

const char *
gp_challenge_get_token68 (GpChallenge *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->token68;
}

const char *
gp_challenge_get_param (GpChallenge *self,
                        const char  *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->names, i), name) == 0)
      {
        const char *value = g_ptr_array_index (self->values, i);
        return value != NULL ? value : "";
      }
  return NULL;
}

const char *
gp_challenge_get_realm (GpChallenge *self)
{
  return gp_challenge_get_param (self, "realm");
}

guint
gp_challenge_get_n_params (GpChallenge *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->names->len;
}

const char *
gp_challenge_get_param_name (GpChallenge *self,
                             guint        index)
{
  g_return_val_if_fail (self != NULL && index < self->names->len, NULL);
  return g_ptr_array_index (self->names, index);
}

const char *
gp_challenge_get_param_value (GpChallenge *self,
                              guint        index)
{
  g_return_val_if_fail (self != NULL && index < self->values->len, NULL);
  return g_ptr_array_index (self->values, index);
}

gboolean
gp_challenge_is_scheme (GpChallenge *self,
                        const char  *scheme)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return g_ascii_strcasecmp (self->scheme, scheme) == 0;
}

/* For people: `Basic realm="Corp"`, values quoted, control bytes hidden. */
char *
gp_challenge_to_string (GpChallenge *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (self->scheme);
  if (self->token68 != NULL)
    g_string_append_printf (out, " %s", self->token68);

  for (guint i = 0; i < self->names->len; i++)
    {
      const char *value = g_ptr_array_index (self->values, i);

      g_string_append_printf (out, "%s%s", i == 0 ? " " : ", ", (char *) g_ptr_array_index (self->names, i));
      if (value == NULL)
        continue;
      g_string_append (out, "=\"");
      for (const char *p = value; *p; p++)
        {
          if ((guchar) *p < 0x20 || *p == 0x7f)
            g_string_append_c (out, '?');
          else
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
        }
      g_string_append_c (out, '"');
    }

  return g_string_free (out, FALSE);
}

void
gp_challenge_add_json (GpChallenge *self,
                       JsonBuilder *builder)
{
  g_return_if_fail (self != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scheme");
  json_builder_add_string_value (builder, self->scheme);
  json_builder_set_member_name (builder, "realm");
  if (gp_challenge_get_realm (self) != NULL)
    json_builder_add_string_value (builder, gp_challenge_get_realm (self));
  else
    json_builder_add_null_value (builder);
  if (self->token68 != NULL)
    {
      json_builder_set_member_name (builder, "token68");
      json_builder_add_string_value (builder, self->token68);
    }
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *value = g_ptr_array_index (self->values, i);

      json_builder_set_member_name (builder, g_ptr_array_index (self->names, i));
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* A JSON text from a file: a string that a parse could have produced. */
static gboolean
is_clean_member (JsonNode *node,
                 gboolean   nullable)
{
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  return strlen (json_node_get_string (node)) <= GP_CHALLENGE_MAX_INPUT &&
         gp_text_is_clean (json_node_get_string (node));
}

static gboolean
is_token (const char *text)
{
  return *text != '\0' && text[gp_challenge_token_length (text)] == '\0';
}

static gboolean
add_json_params (GpChallenge *self,
                 JsonObject  *params)
{
  g_autoptr(GList) names = json_object_get_members (params);

  if (g_list_length (names) > GP_CHALLENGE_MAX_PARAMS)
    return FALSE;
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (params, l->data);
      g_autofree char *lower = g_ascii_strdown (l->data, -1);

      /* As a parse writes them: lower-case tokens, each once. */
      if (!is_token (l->data) || strcmp (lower, l->data) != 0 || gp_challenge_get_param (self, lower) != NULL ||
          !is_clean_member (value, TRUE))
        return FALSE;
      g_ptr_array_add (self->names, g_steal_pointer (&lower));
      g_ptr_array_add (self->values, g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

/* The challenge that gp_challenge_add_json () wrote, from a file that may
 * hold anything: every member is checked; "realm" is one of the params. */
GpChallenge *
gp_challenge_new_from_json (JsonObject  *object,
                            GError     **error)
{
  JsonNode *scheme = json_object_get_member (object, "scheme");
  JsonNode *token68 = json_object_get_member (object, "token68");
  JsonNode *params = json_object_get_member (object, "params");
  g_autoptr(GpChallenge) self = NULL;

  if (scheme == NULL || !is_clean_member (scheme, FALSE) || !is_token (json_node_get_string (scheme)))
    {
      g_set_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_INVALID, _("A challenge has no valid scheme"));
      return NULL;
    }
  self = challenge_new (json_node_get_string (scheme), strlen (json_node_get_string (scheme)));

  if (token68 != NULL && !JSON_NODE_HOLDS_NULL (token68))
    {
      if (!is_clean_member (token68, FALSE) || !gp_challenge_is_token68 (json_node_get_string (token68)))
        {
          g_set_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_INVALID,
                       _("The %s challenge has an invalid token68"), self->scheme);
          return NULL;
        }
      self->token68 = g_strdup (json_node_get_string (token68));
    }

  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params) || !add_json_params (self, json_node_get_object (params)))
    {
      g_set_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_INVALID,
                   _("The %s challenge has invalid params"), self->scheme);
      return NULL;
    }
  return g_steal_pointer (&self);
}
