/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Proxy-Authenticate parser: the input, split at '\n', is the list
 * of header values. Never crashes; every challenge is sane; its JSON
 * form decodes back to the same challenge. */
#include <string.h>

#include "fuzz-common.h"
#include "gp-challenge.h"
#include "gp-text.h"

static void
check_text (const char *text)
{
  FUZZ_CHECK (text == NULL || g_utf8_validate (text, -1, NULL));
  FUZZ_CHECK (gp_text_is_clean (text));
}

static gboolean
same_or_both_null (const char *a,
                   const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

static void
check_json_round_trip (GpChallenge *challenge)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GpChallenge) decoded = NULL;
  g_autoptr(GError) error = NULL;

  gp_challenge_add_json (challenge, builder);
  root = json_builder_get_root (builder);
  FUZZ_CHECK (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  decoded = gp_challenge_new_from_json (json_node_get_object (root), &error);
  if (decoded == NULL)
    fprintf (stderr, "decode: %s\n", error->message);
  FUZZ_CHECK (decoded != NULL);
  FUZZ_CHECK (strcmp (gp_challenge_get_scheme (decoded), gp_challenge_get_scheme (challenge)) == 0);
  FUZZ_CHECK (same_or_both_null (gp_challenge_get_token68 (decoded), gp_challenge_get_token68 (challenge)));
  FUZZ_CHECK (same_or_both_null (gp_challenge_get_realm (decoded), gp_challenge_get_realm (challenge)));
  FUZZ_CHECK (gp_challenge_get_n_params (decoded) == gp_challenge_get_n_params (challenge));
  for (guint i = 0; i < gp_challenge_get_n_params (challenge); i++)
    {
      FUZZ_CHECK (strcmp (gp_challenge_get_param_name (decoded, i),
                          gp_challenge_get_param_name (challenge, i)) == 0);
      FUZZ_CHECK (same_or_both_null (gp_challenge_get_param_value (decoded, i),
                                     gp_challenge_get_param_value (challenge, i)));
    }
}

static void
check_challenges (GPtrArray *challenges)
{
  if (challenges == NULL)
    return;
  FUZZ_CHECK (challenges->len <= GP_CHALLENGE_MAX_CHALLENGES);
  for (guint i = 0; i < challenges->len; i++)
    {
      GpChallenge *challenge = g_ptr_array_index (challenges, i);
      const char *scheme = gp_challenge_get_scheme (challenge);
      g_autofree char *text = NULL;

      FUZZ_CHECK (scheme != NULL && *scheme != '\0');
      FUZZ_CHECK (gp_challenge_token_length (scheme) == strlen (scheme));
      check_text (scheme);
      check_text (gp_challenge_get_token68 (challenge));
      FUZZ_CHECK (gp_challenge_get_n_params (challenge) <= GP_CHALLENGE_MAX_PARAMS);
      for (guint j = 0; j < gp_challenge_get_n_params (challenge); j++)
        {
          const char *name = gp_challenge_get_param_name (challenge, j);

          FUZZ_CHECK (name != NULL && *name != '\0');
          check_text (name);
          check_text (gp_challenge_get_param_value (challenge, j));
        }
      text = gp_challenge_to_string (challenge);
      check_text (text);
      check_json_round_trip (challenge);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_auto(GStrv) values = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GError) error = NULL;
  gboolean dropped = FALSE;

  fuzz_init_once ();
  input = fuzz_strndup (data, size);
  values = g_strsplit (input, "\n", -1);

  all = gp_challenge_parse ((const char * const *) values, &error);
  FUZZ_CHECK ((all == NULL) == (error != NULL));
  check_challenges (all);

  first = gp_challenge_parse_first ((const char * const *) values, &dropped);
  check_challenges (first);
  return 0;
}
