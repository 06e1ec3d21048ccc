/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gp-challenge.h"

/* The Proxy-Authenticate parser: in core-net, apart from the challenge
 * type itself (gp-challenge.c), because it needs libsoup's param-list
 * parser, and the commands that only read stored results (export) must
 * never load libsoup. */

static const char *
skip_ows (const char *text)
{
  while (*text == ' ' || *text == '\t')
    text++;
  return text;
}

/* Splits a header value at the commas that stand outside quoted strings;
 * empty elements are dropped, as RFC 9110 says. An unterminated quote
 * runs to the end of the value. */
static void
split_elements (const char *value,
                GPtrArray  *out)
{
  const char *start = value;
  gboolean quoted = FALSE;

  for (const char *p = value; ; p++)
    {
      if (*p == '\0' || (*p == ',' && !quoted))
        {
          g_autofree char *element = g_strstrip (g_strndup (start, p - start));

          if (*element != '\0')
            g_ptr_array_add (out, g_steal_pointer (&element));
          if (*p == '\0')
            return;
          start = p + 1;
        }
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == '\\' && quoted && p[1] != '\0')
        p++;
    }
}

/* One element is one auth-param; soup parses the quoting and escapes. */
static void
add_param (GpChallenge *self,
           const char  *element)
{
  GHashTable *parsed = soup_header_parse_param_list (element);
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, parsed);
  while (g_hash_table_iter_next (&iter, &name, &value))
    gp_challenge_add_param (self, name, value);
  soup_header_free_param_list (parsed);
}

/* "name=value" or "name = value": an auth-param, not a new challenge. */
static gboolean
is_param_element (const char *element)
{
  gsize n = gp_challenge_token_length (element);

  return n > 0 && *skip_ows (element + n) == '=';
}

static GpChallenge *
start_challenge (const char *element)
{
  gsize n = gp_challenge_token_length (element);
  GpChallenge *challenge = gp_challenge_new (element, n);
  const char *rest = skip_ows (element + n);

  if (*rest == '\0')
    return challenge;
  if (gp_challenge_is_token68 (rest))
    gp_challenge_set_token68 (challenge, rest);
  else
    add_param (challenge, rest);
  return challenge;
}

static gboolean
add_element (GPtrArray   *challenges,
             const char  *element,
             GError     **error)
{
  GpChallenge *current = challenges->len > 0 ? g_ptr_array_index (challenges, challenges->len - 1) : NULL;

  if (is_param_element (element))
    {
      /* A param before any scheme, or after a token68, belongs nowhere. */
      if (current != NULL && gp_challenge_get_token68 (current) == NULL)
        add_param (current, element);
      return TRUE;
    }

  if (gp_challenge_token_length (element) == 0)
    return TRUE;

  if (challenges->len >= GP_CHALLENGE_MAX_CHALLENGES)
    {
      g_set_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_TOO_LARGE,
                   _("The proxy sent more than %d authentication challenges"),
                   GP_CHALLENGE_MAX_CHALLENGES);
      return FALSE;
    }

  g_ptr_array_add (challenges, start_challenge (element));
  return TRUE;
}

static GPtrArray *
parse_values (const char * const  *header_values,
              gboolean            *dropped,
              GError             **error)
{
  g_autoptr(GPtrArray) challenges = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_challenge_unref);
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func (g_free);
  gsize total = 0;

  for (guint i = 0; header_values != NULL && header_values[i] != NULL; i++)
    {
      g_autofree char *valid = NULL;

      total += strlen (header_values[i]);
      if (total > GP_CHALLENGE_MAX_INPUT)
        {
          if (dropped != NULL)
            {
              *dropped = TRUE;
              break;
            }
          g_set_error (error, GP_CHALLENGE_ERROR, GP_CHALLENGE_ERROR_TOO_LARGE,
                       _("The proxy's authentication headers are larger than %d KiB"),
                       GP_CHALLENGE_MAX_INPUT / 1024);
          return NULL;
        }
      /* A proxy may send any bytes; JSON and labels need UTF-8. */
      valid = g_utf8_make_valid (header_values[i], -1);
      split_elements (valid, elements);
    }

  for (guint i = 0; i < elements->len; i++)
    if (!add_element (challenges, g_ptr_array_index (elements, i), error))
      {
        if (dropped == NULL)
          return NULL;
        g_clear_error (error);
        *dropped = TRUE;
        break;
      }

  return g_steal_pointer (&challenges);
}

/* Parses every Proxy-Authenticate (or WWW-Authenticate) value, in order,
 * into its challenges. Malformed elements are skipped; input beyond the
 * bounds is refused as a whole. */
GPtrArray *
gp_challenge_parse (const char * const  *header_values,
                    GError             **error)
{
  return parse_values (header_values, NULL, error);
}

/* Like gp_challenge_parse (), but what lies beyond the bounds is dropped
 * instead: a proxy that sends 10,000 challenges still shows its first
 * ones, and *dropped says that more came. Never fails. */
GPtrArray *
gp_challenge_parse_first (const char * const *header_values,
                          gboolean           *dropped)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (dropped != NULL, NULL);
  *dropped = FALSE;
  return parse_values (header_values, dropped, &error);
}

