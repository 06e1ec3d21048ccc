/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The renderers: for a value that a format accepts, evaluating the
 * rendered text gives back the value. One shell per input would be far
 * too slow here, so the quoting is checked structurally, by decoding the
 * text the way each shell's grammar reads it: the assignment's word must
 * be made only of quoted parts (and, for sh and csh, \' between them),
 * decode to the value, and be followed by nothing but a newline and the
 * unset line. The real shells (bash, dash, fish, tcsh) and systemd's
 * environment.d generator evaluate the renderers' output in
 * tests/test-env.c. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "fuzz-common.h"
#include "gp-env.h"

typedef enum
{
  QUOTING_SH,     /* '...' with nothing special inside; \' between parts */
  QUOTING_FISH,   /* one '...', inside which \' and \\ are escapes */
  QUOTING_CSH,    /* as sh, but "!" only as \!, and no control character */
} Quoting;

/* Decodes the word at *p, moving *p past it. NULL: not a word that the
 * shell reads as a plain quoted string. */
static char *
decode_word (const char **p,
             Quoting      quoting)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *s = *p;
  guint parts = 0;

  while (*s == '\'' || (quoting != QUOTING_FISH && s[0] == '\\' && s[1] == '\''))
    {
      if (*s == '\\')
        {
          g_string_append_c (out, '\'');
          s += 2;
          continue;
        }
      if (quoting == QUOTING_FISH && parts > 0)
        return NULL;
      parts++;
      for (s++; *s != '\''; s++)
        {
          if (*s == '\0')
            return NULL;
          if (quoting == QUOTING_FISH && *s == '\\' && (s[1] == '\'' || s[1] == '\\'))
            s++;
          else if (quoting == QUOTING_CSH && *s == '\\' && s[1] == '!')
            s++;
          else if (quoting == QUOTING_CSH && (*s == '!' || (guchar) *s < 0x20 || *s == 0x7f))
            return NULL;
          g_string_append_c (out, *s);
        }
      s++;
    }
  if (parts == 0)
    return NULL;
  *p = s;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
check_unset_line (const char *line,
                  const char *command)
{
  FUZZ_CHECK (g_str_has_prefix (line, command));
  line += strlen (command);
  for (; *line != '\n'; line++)
    FUZZ_CHECK (g_ascii_isalnum (*line) || strchr ("_ ;", *line) != NULL);
  FUZZ_CHECK (line[1] == '\0');
}

static void
check_shell (GpEnvFormat  format,
             const char  *prefix,
             Quoting      quoting,
             const char  *unset,
             const char  *value)
{
  g_autoptr(GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_env_variable_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *decoded = NULL;
  const char *p;

  g_ptr_array_add (variables, gp_env_variable_new ("http_proxy", value));
  text = gp_env_render (variables, format, &error);
  FUZZ_CHECK ((text == NULL) == (error != NULL));
  if (text == NULL)
    return;
  FUZZ_CHECK (g_str_has_prefix (text, prefix));
  p = text + strlen (prefix);
  decoded = decode_word (&p, quoting);
  if (decoded == NULL || strcmp (decoded, value) != 0)
    fprintf (stderr, "--- rendered:\n%s---\n", text);
  FUZZ_CHECK (decoded != NULL);
  FUZZ_CHECK (strcmp (decoded, value) == 0);
  FUZZ_CHECK (*p == '\n');
  check_unset_line (p + 1, unset);
}

static void
check_environment_d (const char *value)
{
  g_autoptr(GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_env_variable_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  g_ptr_array_add (variables, gp_env_variable_new ("http_proxy", value));
  text = gp_env_render (variables, GP_ENV_FORMAT_ENVIRONMENT_D, &error);
  FUZZ_CHECK ((text == NULL) == (error != NULL));
  if (text == NULL)
    return;
  /* environment.d expands $ and drops quotes, backslashes and blanks at
   * either end: what it writes must hold none of them. */
  for (const char *p = value; *p; p++)
    FUZZ_CHECK ((guchar) *p > 0x20 && *p != 0x7f && strchr ("$\\\"'`", *p) == NULL);
  expected = g_strconcat ("http_proxy=", value, "\n", NULL);
  FUZZ_CHECK (strcmp (text, expected) == 0);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
check_json (const char *value)
{
  g_autoptr(GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_env_variable_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;
  JsonObject *object;

  g_ptr_array_add (variables, gp_env_variable_new ("http_proxy", value));
  g_ptr_array_add (variables, gp_env_variable_new ("HTTP_PROXY", value));
  text = gp_env_render (variables, GP_ENV_FORMAT_JSON, &error);
  FUZZ_CHECK ((text == NULL) == (error != NULL));
  if (text == NULL)
    return;
  if (!json_parser_load_from_data (parser, text, -1, &error))
    fprintf (stderr, "json: %s\n--- rendered:\n%s---\n", error->message, text);
  FUZZ_CHECK (error == NULL);
  root = json_parser_get_root (parser);
  FUZZ_CHECK (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  FUZZ_CHECK (json_object_get_size (object) == 2);
  FUZZ_CHECK (g_strcmp0 (string_member (object, "http_proxy"), value) == 0);
  FUZZ_CHECK (g_strcmp0 (string_member (object, "HTTP_PROXY"), value) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = NULL;

  fuzz_init_once ();
  value = fuzz_strndup (data, size);

  check_shell (GP_ENV_FORMAT_SH, "export http_proxy=", QUOTING_SH, "unset ", value);
  check_shell (GP_ENV_FORMAT_FISH, "set -gx http_proxy ", QUOTING_FISH, "set -e ", value);
  check_shell (GP_ENV_FORMAT_CSH, "setenv http_proxy ", QUOTING_CSH, "unsetenv ", value);
  check_environment_d (value);
  check_json (value);
  return 0;
}
