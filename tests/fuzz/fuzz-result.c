/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The result file decoder: the input as a result file, read with
 * gp_result_store_load (), and as JSON given to
 * gp_probe_result_new_from_json () directly (the whole object and its
 * "result" member). Never crashes; a decoded result, re-encoded with
 * gp_probe_result_add_json (), decodes to the same fields. */
#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "gp-result-store.h"

#define PROFILE_ID "p1"

static const char *
results_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("gatepass-fuzz-XXXXXX", NULL);
      FUZZ_CHECK (dir != NULL);
    }
  return dir;
}

static void __attribute__((destructor))
remove_results_dir (void)
{
  g_autofree char *file = g_build_filename (results_dir (), PROFILE_ID ".json", NULL);

  g_unlink (file);
  g_rmdir (results_dir ());
}

static void
check_same_challenges (GPtrArray *a,
                       GPtrArray *b)
{
  FUZZ_CHECK (a->len == b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_autofree char *ta = gp_challenge_to_string (g_ptr_array_index (a, i));
      g_autofree char *tb = gp_challenge_to_string (g_ptr_array_index (b, i));

      FUZZ_CHECK (strcmp (ta, tb) == 0);
    }
}

static void
check_same_result (GpProbeResult *a,
                   GpProbeResult *b)
{
  gint64 ca, ta, fa, cb, tb, fb;

  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_profile (a), gp_probe_result_get_profile (b)) == 0);
  FUZZ_CHECK (gp_probe_result_get_verdict (a) == gp_probe_result_get_verdict (b));
  FUZZ_CHECK (gp_probe_result_get_status (a) == gp_probe_result_get_status (b));
  check_same_challenges (gp_probe_result_get_challenges (a), gp_probe_result_get_challenges (b));
  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_exit_ip (a), gp_probe_result_get_exit_ip (b)) == 0);
  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_direct_ip (a), gp_probe_result_get_direct_ip (b)) == 0);
  FUZZ_CHECK (gp_probe_result_get_elapsed_ms (a) == gp_probe_result_get_elapsed_ms (b));
  gp_probe_result_get_timings (a, &ca, &ta, &fa);
  gp_probe_result_get_timings (b, &cb, &tb, &fb);
  FUZZ_CHECK (ca == cb && ta == tb && fa == fb);
  FUZZ_CHECK (gp_probe_result_get_credentials_sent (a) == gp_probe_result_get_credentials_sent (b));
  FUZZ_CHECK (gp_probe_result_get_path (a) == gp_probe_result_get_path (b));
  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_detail (a), gp_probe_result_get_detail (b)) == 0);
  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_advice (a), gp_probe_result_get_advice (b)) == 0);
  FUZZ_CHECK (gp_probe_result_get_action (a) == gp_probe_result_get_action (b));
  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_location (a), gp_probe_result_get_location (b)) == 0);
  FUZZ_CHECK (gp_probe_result_get_challenges_dropped (a) == gp_probe_result_get_challenges_dropped (b));
  FUZZ_CHECK (gp_probe_result_get_proxy_401 (a) == gp_probe_result_get_proxy_401 (b));
  FUZZ_CHECK (gp_probe_result_get_basic_offered (a) == gp_probe_result_get_basic_offered (b));
  FUZZ_CHECK (g_strcmp0 (gp_probe_result_get_curl_command (a), gp_probe_result_get_curl_command (b)) == 0);
}

static void
check_round_trip (GpProbeResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GpProbeResult) again = NULL;
  g_autoptr(GError) error = NULL;

  gp_probe_result_add_json (result, builder);
  root = json_builder_get_root (builder);
  FUZZ_CHECK (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  again = gp_probe_result_new_from_json (json_node_get_object (root), &error);
  if (again == NULL)
    fprintf (stderr, "re-decode: %s\n", error->message);
  FUZZ_CHECK (again != NULL);
  check_same_result (result, again);
}

static void
decode_object (JsonNode *node)
{
  g_autoptr(GpProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  result = gp_probe_result_new_from_json (json_node_get_object (node), &error);
  FUZZ_CHECK ((result == NULL) == (error != NULL));
  if (result != NULL)
    check_round_trip (result);
}

/* json-glib parses by recursion: deep nesting exhausts the stack
 * whoever calls it. The store bounds it (and its bound is fuzzed
 * through gp_result_store_load () below); here only shallow input goes
 * to json-glib directly. */
static gboolean
is_shallow (const uint8_t *data,
            size_t         size)
{
  int depth = 0;

  for (size_t i = 0; i < size; i++)
    if ((data[i] == '[' || data[i] == '{') && ++depth > 64)
      return FALSE;
    else if (data[i] == ']' || data[i] == '}')
      depth--;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = NULL;
  g_autoptr(GpStoredResult) stored = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init_once ();
  path = g_build_filename (results_dir (), PROFILE_ID ".json", NULL);
  FUZZ_CHECK (g_file_set_contents (path, (const char *) data, size, NULL));
  stored = gp_result_store_load (results_dir (), PROFILE_ID, &error);
  if (stored != NULL)
    {
      FUZZ_CHECK (error == NULL && stored->result != NULL);
      FUZZ_CHECK (strcmp (stored->profile_id, PROFILE_ID) == 0);
      check_round_trip (stored->result);
    }

  if (size < 256 * 1024 && is_shallow (data, size))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (json_parser_load_from_data (parser, (const char *) data, size, NULL))
        {
          root = json_parser_get_root (parser);
          decode_object (root);
          if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
            decode_object (json_object_get_member (json_node_get_object (root), "result"));
        }
    }
  return 0;
}
