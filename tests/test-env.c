/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "gp-env.h"

#define ENVIRONMENT_D_GENERATOR \
  "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator"

/* ---- helpers ------------------------------------------------------------ */

static GPtrArray *
new_variables (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) gp_env_variable_free);
}

static GPtrArray *
one_variable (const char *name,
              const char *value)
{
  GPtrArray *variables = new_variables ();

  g_ptr_array_add (variables, gp_env_variable_new (name, value));
  return variables;
}

static gboolean
has_control_character (const char *value)
{
  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* What systemd's environment.d parser would change or choke on. */
static gboolean
environment_d_must_refuse (const char *value)
{
  for (const char *p = value; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("$\\\"'`", *p) != NULL)
      return TRUE;
  return FALSE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
assert_bytes_equal (const char *got,
                    const char *expected)
{
  /* Escaped, so that a failure shows invisible bytes too. */
  g_autofree char *got_shown = g_strescape (got, NULL);
  g_autofree char *expected_shown = g_strescape (expected, NULL);

  g_assert_cmpstr (got_shown, ==, expected_shown);
  g_assert_cmpstr (got, ==, expected);
}

/* Runs argv (never through a shell), in cwd, and returns its standard
 * output; the program must exit 0 and print nothing on stderr. */
static char *
run (const char * const *argv,
     const char         *cwd,
     const char * const *envp)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (cwd, (char **) argv, (char **) envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (*err != '\0')
    g_test_message ("%s wrote on stderr: %s", argv[0], err);
  g_assert_cmpstr (err, ==, "");
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

/* ---- shells ------------------------------------------------------------- */

/* Each shell reads the rendered file the way users do, then prints the
 * variable; the file and the name reach the script as arguments. */
typedef struct
{
  const char  *id;
  GpEnvFormat  format;
  const char  *argv[8];
} Shell;

static const Shell shells[] = {
  { "bash-source", GP_ENV_FORMAT_SH,
    { "bash", "--norc", "--noprofile", "-c", ". \"$1\" && printenv -- \"$2\"", "bash", NULL } },
  { "bash-eval", GP_ENV_FORMAT_SH,
    { "bash", "--norc", "--noprofile", "-c", "eval \"$(cat \"$1\")\" && printenv -- \"$2\"", "bash",
      NULL } },
  { "dash-source", GP_ENV_FORMAT_SH,
    { "dash", "-c", ". \"$1\" && printenv -- \"$2\"", "dash", NULL } },
  { "dash-eval", GP_ENV_FORMAT_SH,
    { "dash", "-c", "eval \"$(cat \"$1\")\" && printenv -- \"$2\"", "dash", NULL } },
  /* As CLI.md tells fish users: `gatepass --headless export --format fish | source`. */
  { "fish-pipe", GP_ENV_FORMAT_FISH,
    { "fish", "--no-config", "-c", "cat $argv[1] | source; printenv -- $argv[2]", NULL } },
  { "fish-source", GP_ENV_FORMAT_FISH,
    /* "; and": sourcing must succeed even where a variable to unset was
     * never set, so that `export | source; and ...` goes on. */
    { "fish", "--no-config", "-c", "source $argv[1]; and printenv -- $argv[2]", NULL } },
  { "tcsh-source", GP_ENV_FORMAT_CSH,
    { "tcsh", "-f", "-c", "source $argv[1]:q && printenv $argv[2]:q", NULL } },
};

static char *
run_shell (const Shell *shell,
           const char  *dir,
           const char  *file,
           const char  *name)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (guint i = 0; shell->argv[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) shell->argv[i]);
  g_ptr_array_add (argv, (gpointer) file);
  g_ptr_array_add (argv, (gpointer) name);
  g_ptr_array_add (argv, NULL);

  return run ((const char * const *) argv->pdata, dir, NULL);
}

/* ---- hostile values ----------------------------------------------------- */

/* @CANARY@ becomes the path of a file that must never come to exist: any
 * value that a shell executes would create it. */
static const char * const hostile_values[] = {
  "plain",
  "",
  "it's",
  "'",
  "''",
  "say \"hi\"",
  "\"",
  "$(touch @CANARY@)",
  "`touch @CANARY@`",
  "'$(touch @CANARY@)'",
  "\"$(touch @CANARY@)\"",
  "'`touch @CANARY@`'",
  "'; touch @CANARY@; echo '",
  "\"; touch @CANARY@; echo \"",
  "'\"; touch @CANARY@ #",
  "(touch @CANARY@)",
  "a; touch @CANARY@",
  "a && touch @CANARY@",
  "a | touch @CANARY@",
  "a\\",
  "\\",
  "\\\\",
  "\\'",
  "\\\\'",
  "\\'; touch @CANARY@; echo \\'",
  "\\n\\t\\x41\\u00e9\\e",
  "!",
  "!!",
  "a!b",
  "\\!",
  "!$ !-1 !# !touch",
  "%",
  "100% %s %n %%",
  "$HOME",
  "${x}",
  "${HOME:-x}",
  "$",
  "a$",
  "$'x'",
  "two  spaces",
  " leading space",
  "trailing space ",
  "*",
  "/*",
  "?",
  "[a-z]*",
  "{a,b}",
  "~",
  "~root",
  ";",
  "&&",
  "#",
  "a #b",
  "^caret",
  "a=b",
  "-n",
  "--",
  "üñí©ødé €🚀",
  "http://al%40ice:p%40ss%3Aw%2Frd%20%23%3F%25@proxy.example:3128",
  "line1\nline2",
  "\n",
  "trailing newline\n",
  "'\n'$(touch @CANARY@)",
  "tab\there",
  "cr\rhere",
  "esc\x1b[31m",
  "del\x7f",
};

typedef struct
{
  const Shell *shell;
  const char  *template;
} RoundTrip;

typedef struct
{
  char *dir;
  char *canary;
  char *file;
  char *value;
} Scratch;

static void
scratch_init (Scratch    *scratch,
              const char *template)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *bait = NULL;

  scratch->dir = g_dir_make_tmp ("gp-test-env-XXXXXX", &error);
  g_assert_no_error (error);
  scratch->canary = g_build_filename (scratch->dir, "CANARY", NULL);
  scratch->file = g_build_filename (scratch->dir, "rendered", NULL);

  parts = g_strsplit (template, "@CANARY@", -1);
  scratch->value = g_strjoinv (scratch->canary, parts);

  /* Files for a broken glob to find: "*" must not turn into their names. */
  bait = g_build_filename (scratch->dir, "a", NULL);
  g_file_set_contents (bait, "", 0, &error);
  g_assert_no_error (error);
}

static void
scratch_clear (Scratch *scratch)
{
  remove_tree (scratch->dir);
  g_free (scratch->dir);
  g_free (scratch->canary);
  g_free (scratch->file);
  g_free (scratch->value);
}

static void
assert_no_canary (Scratch *scratch)
{
  g_assert_false (g_file_test (scratch->canary, G_FILE_TEST_EXISTS));
}

static void
test_round_trip (gconstpointer data)
{
  const RoundTrip *round_trip = data;
  Scratch scratch = { 0 };
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *shown = NULL;
  gsize len;

  scratch_init (&scratch, round_trip->template);
  shown = g_strescape (scratch.value, NULL);
  g_test_message ("%s: \"%s\"", round_trip->shell->id, shown);

  variables = one_variable ("http_proxy", scratch.value);
  rendered = gp_env_render (variables, round_trip->shell->format, &error);

  if (round_trip->shell->format == GP_ENV_FORMAT_CSH && has_control_character (scratch.value))
    {
      /* csh cannot quote a line break, and tabs or escapes are no better. */
      g_assert_error (error, GP_ENV_ERROR, GP_ENV_ERROR_UNREPRESENTABLE);
      g_assert_null (rendered);
      scratch_clear (&scratch);
      return;
    }

  g_assert_no_error (error);
  g_file_set_contents (scratch.file, rendered, -1, &error);
  g_assert_no_error (error);

  printed = run_shell (round_trip->shell, scratch.dir, scratch.file, "http_proxy");

  /* printenv adds exactly one line break. */
  len = strlen (printed);
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (printed[len - 1], ==, '\n');
  printed[len - 1] = '\0';
  assert_bytes_equal (printed, scratch.value);
  assert_no_canary (&scratch);

  scratch_clear (&scratch);
}

static void
test_environment_d_value (gconstpointer data)
{
  const char *template = data;
  Scratch scratch = { 0 };
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *expected = NULL;

  scratch_init (&scratch, template);
  variables = one_variable ("http_proxy", scratch.value);
  rendered = gp_env_render (variables, GP_ENV_FORMAT_ENVIRONMENT_D, &error);

  if (environment_d_must_refuse (scratch.value))
    {
      g_assert_error (error, GP_ENV_ERROR, GP_ENV_ERROR_UNREPRESENTABLE);
      g_assert_null (rendered);
    }
  else
    {
      g_assert_no_error (error);
      expected = g_strdup_printf ("http_proxy=%s\n", scratch.value);
      assert_bytes_equal (rendered, expected);
    }

  scratch_clear (&scratch);
}

static void
test_json_value (gconstpointer data)
{
  const char *template = data;
  Scratch scratch = { 0 };
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = NULL;
  JsonObject *object;

  /* Every value, control characters included, survives JSON. */
  scratch_init (&scratch, template);
  variables = one_variable ("http_proxy", scratch.value);
  rendered = gp_env_render (variables, GP_ENV_FORMAT_JSON, &error);
  g_assert_no_error (error);

  json_parser_load_from_data (parser, rendered, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  assert_bytes_equal (json_object_get_string_member (object, "http_proxy"), scratch.value);

  scratch_clear (&scratch);
}

/* ---- environment.d through systemd's own parser ------------------------- */

static const char * const environment_d_safe_values[] = {
  "http://proxy.example:3128",
  "http://al%40ice:p%40ss%3Aw%2Frd%20%23%3F%25@proxy.example:3128",
  "socks5h://u%24er:%C3%BC%C3%B1%C3%AD%20%22%27%5C%60@[2001:db8::1]:1080",
  "localhost,.corp.example,10.0.0.0/8,::1",
};

/* The generator prints NAME=VALUE lines and quotes a value, shell-style,
 * when it holds characters such as brackets. */
static char *
find_generator_value (const char *printed,
                      const char *name)
{
  g_auto(GStrv) lines = g_strsplit (printed, "\n", -1);
  g_autofree char *prefix = g_strconcat (name, "=", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      char *value;

      if (!g_str_has_prefix (lines[i], prefix))
        continue;
      value = g_shell_unquote (lines[i] + strlen (prefix), &error);
      g_assert_no_error (error);
      return value;
    }
  return NULL;
}

static void
test_environment_d_systemd (void)
{
  Scratch scratch = { 0 };
  g_autofree char *conf_dir = NULL;

  /* systemd is in build-aux/dev's list: its reading is the one that counts. */
  g_assert_true (g_file_test (ENVIRONMENT_D_GENERATOR, G_FILE_TEST_IS_EXECUTABLE));

  scratch_init (&scratch, "");
  conf_dir = g_build_filename (scratch.dir, "environment.d", NULL);
  g_assert_cmpint (g_mkdir (conf_dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (environment_d_safe_values); i++)
    {
      const char *value = environment_d_safe_values[i];
      g_autoptr(GPtrArray) variables = one_variable ("http_proxy", value);
      g_autoptr(GError) error = NULL;
      g_autofree char *rendered = gp_env_render (variables, GP_ENV_FORMAT_ENVIRONMENT_D, &error);
      g_autofree char *conf = g_build_filename (conf_dir, "60-gatepass.conf", NULL);
      g_autofree char *config_home = g_strconcat ("XDG_CONFIG_HOME=", scratch.dir, NULL);
      const char *argv[] = { ENVIRONMENT_D_GENERATOR, NULL };
      const char *envp[] = { "HOME=/nonexistent", config_home, "XDG_CONFIG_DIRS=/nonexistent",
                             NULL };
      g_autofree char *printed = NULL;
      g_autofree char *found = NULL;

      g_assert_no_error (error);
      g_file_set_contents (conf, rendered, -1, &error);
      g_assert_no_error (error);

      printed = run (argv, scratch.dir, envp);
      g_test_message ("generator printed: %s", printed);
      found = find_generator_value (printed, "http_proxy");
      g_assert_cmpstr (found, ==, value);
    }

  scratch_clear (&scratch);
}

/* ---- rendering of known arrays ------------------------------------------ */

static GPtrArray *
two_variables (void)
{
  GPtrArray *variables = new_variables ();

  g_ptr_array_add (variables, gp_env_variable_new ("http_proxy", "http://p.example:3128"));
  g_ptr_array_add (variables, gp_env_variable_new ("HTTP_PROXY", "http://p.example:3128"));
  return variables;
}

static void
assert_render (GPtrArray   *variables,
               GpEnvFormat  format,
               const char  *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = gp_env_render (variables, format, &error);

  g_assert_no_error (error);
  assert_bytes_equal (rendered, expected);
}

static void
test_render_formats (void)
{
  g_autoptr(GPtrArray) variables = two_variables ();

  assert_render (variables, GP_ENV_FORMAT_SH,
                 "export http_proxy='http://p.example:3128'\n"
                 "export HTTP_PROXY='http://p.example:3128'\n"
                 "unset https_proxy no_proxy all_proxy HTTPS_PROXY NO_PROXY ALL_PROXY\n");
  assert_render (variables, GP_ENV_FORMAT_FISH,
                 "set -gx http_proxy 'http://p.example:3128'\n"
                 "set -gx HTTP_PROXY 'http://p.example:3128'\n"
                 "set -e https_proxy no_proxy all_proxy HTTPS_PROXY NO_PROXY ALL_PROXY; or true\n");
  assert_render (variables, GP_ENV_FORMAT_CSH,
                 "setenv http_proxy 'http://p.example:3128'\n"
                 "setenv HTTP_PROXY 'http://p.example:3128'\n"
                 "unsetenv https_proxy no_proxy all_proxy HTTPS_PROXY NO_PROXY ALL_PROXY\n");
  assert_render (variables, GP_ENV_FORMAT_ENVIRONMENT_D,
                 "http_proxy=http://p.example:3128\n"
                 "HTTP_PROXY=http://p.example:3128\n");
}

static void
test_render_json (void)
{
  g_autoptr(GPtrArray) variables = two_variables ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = gp_env_render (variables, GP_ENV_FORMAT_JSON, &error);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  json_parser_load_from_data (parser, rendered, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);

  /* The order of the variables is kept. */
  g_assert_cmpuint (g_list_length (members), ==, 2);
  g_assert_cmpstr (members->data, ==, "http_proxy");
  g_assert_cmpstr (members->next->data, ==, "HTTP_PROXY");
  g_assert_cmpstr (json_object_get_string_member (object, "http_proxy"), ==,
                   "http://p.example:3128");
}

static char *
strip_whitespace (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
test_render_empty (void)
{
  g_autoptr(GPtrArray) variables = new_variables ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_stripped = NULL;

  assert_render (variables, GP_ENV_FORMAT_SH,
                 "unset http_proxy https_proxy no_proxy all_proxy "
                 "HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY\n");
  assert_render (variables, GP_ENV_FORMAT_FISH,
                 "set -e http_proxy https_proxy no_proxy all_proxy "
                 "HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY; or true\n");
  assert_render (variables, GP_ENV_FORMAT_CSH,
                 "unsetenv http_proxy https_proxy no_proxy all_proxy "
                 "HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY\n");
  assert_render (variables, GP_ENV_FORMAT_ENVIRONMENT_D, "");

  json = gp_env_render (variables, GP_ENV_FORMAT_JSON, &error);
  g_assert_no_error (error);
  json_stripped = strip_whitespace (json);
  g_assert_cmpstr (json_stripped, ==, "{}");
}

/* Runs the shell on the file, then `printenv NAME`; returns the exit
 * status and stores standard output. */
static int
run_shell_status (const Shell        *shell,
                  const char         *dir,
                  const char         *file,
                  const char         *name,
                  const char * const *envp,
                  char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  for (guint i = 0; shell->argv[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) shell->argv[i]);
  g_ptr_array_add (argv, (gpointer) file);
  g_ptr_array_add (argv, (gpointer) name);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (dir, (char **) argv->pdata, (char **) envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static const char *
find_value (GPtrArray  *variables,
            const char *name)
{
  for (guint i = 0; i < variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);

      if (strcmp (variable->name, name) == 0)
        return variable->value;
    }
  return NULL;
}

/* Starts every shell with all eight variables set to a stale value, and
 * checks that after reading the rendered file each variable has exactly
 * the rendered value, or is gone: that is how switching profiles, or
 * `export` with no active profile, cleans a shell up. */
static void
assert_shells_leave_exactly (GPtrArray *variables)
{
  const char * const *names = gp_env_managed_names ();
  g_auto(GStrv) envp = g_get_environ ();

  for (guint i = 0; names[i] != NULL; i++)
    envp = g_environ_setenv (envp, names[i], "http://stale.example:1", TRUE);

  for (guint s = 0; s < G_N_ELEMENTS (shells); s++)
    {
      Scratch scratch = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *rendered = gp_env_render (variables, shells[s].format, &error);

      g_assert_no_error (error);
      scratch_init (&scratch, "");
      g_file_set_contents (scratch.file, rendered, -1, &error);
      g_assert_no_error (error);

      for (guint i = 0; names[i] != NULL; i++)
        {
          const char *expected = find_value (variables, names[i]);
          g_autofree char *out = NULL;
          g_autofree char *expected_out = NULL;
          int status;

          g_test_message ("%s: %s", shells[s].id, names[i]);
          status = run_shell_status (&shells[s], scratch.dir, scratch.file, names[i],
                                     (const char * const *) envp, &out);
          /* printenv exits 1, printing nothing, for an unset variable. */
          g_assert_cmpint (status, ==, expected != NULL ? 0 : 1);
          expected_out = expected != NULL ? g_strconcat (expected, "\n", NULL) : g_strdup ("");
          assert_bytes_equal (out, expected_out);
        }

      scratch_clear (&scratch);
    }
}

static void
test_unset_in_shells (void)
{
  g_autoptr(GPtrArray) empty = new_variables ();
  g_autoptr(GPtrArray) two = two_variables ();

  assert_shells_leave_exactly (empty);
  assert_shells_leave_exactly (two);
}

/* ---- variables for a profile ------------------------------------------- */

typedef struct
{
  const char *name;
  const char *value;
} Expected;

static void
assert_variables (GPtrArray      *variables,
                  const Expected *expected,
                  guint           n_expected)
{
  for (guint i = 0; i < variables->len && i < n_expected; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);

      g_assert_cmpstr (variable->name, ==, expected[i].name);
      g_assert_cmpstr (variable->value, ==, expected[i].value);
    }
  g_assert_cmpuint (variables->len, ==, n_expected);
}

static GpProfile *
new_profile (const char *url,
             const char *username,
             GpAuthMode  auth)
{
  GpProfile *profile = gp_profile_new ("test-profile");

  gp_profile_set_name (profile, "test");
  gp_profile_set_url (profile, url);
  gp_profile_set_username (profile, username);
  gp_profile_set_auth (profile, auth);
  return profile;
}

#define CREDENTIALED "http://al%40ice:p%40ss%3Aw%2Frd%20%23%3F%25@proxy.example:3128"

static void
test_profile_password (void)
{
  g_autoptr(GpProfile) profile = new_profile ("Proxy.Example:3128", "al@ice", GP_AUTH_PASSWORD);
  const char * const no_proxy[] = { "localhost", ".corp.example", "10.0.0.0/8", NULL };
  g_autoptr(GPtrArray) variables = NULL;
  const Expected expected[] = {
    { "http_proxy", CREDENTIALED },
    { "https_proxy", CREDENTIALED },
    { "no_proxy", "localhost,.corp.example,10.0.0.0/8" },
    { "HTTP_PROXY", CREDENTIALED },
    { "HTTPS_PROXY", CREDENTIALED },
    { "NO_PROXY", "localhost,.corp.example,10.0.0.0/8" },
  };

  gp_profile_set_no_proxy (profile, no_proxy);
  variables = gp_env_variables_for_profile (profile, "p@ss:w/rd #?%");
  assert_variables (variables, expected, G_N_ELEMENTS (expected));
}

static void
test_profile_socks (void)
{
  const char * const urls[] = { "socks5://[2001:db8::1]:1080", "socks5h://socks.example:1080" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GpProfile) profile = new_profile (urls[i], "bob", GP_AUTH_PASSWORD);
      g_autoptr(GPtrArray) variables = gp_env_variables_for_profile (profile, "ü");
      g_autofree char *with_userinfo = NULL;
      const char *scheme_end = strstr (urls[i], "://") + 3;

      with_userinfo = g_strdup_printf ("%.*sbob:%%C3%%BC@%s", (int) (scheme_end - urls[i]), urls[i],
                                       scheme_end);
      {
        /* SOCKS-only clients read all_proxy; the others get the SOCKS URL too. */
        const Expected expected[] = {
          { "http_proxy", with_userinfo },
          { "https_proxy", with_userinfo },
          { "all_proxy", with_userinfo },
          { "HTTP_PROXY", with_userinfo },
          { "HTTPS_PROXY", with_userinfo },
          { "ALL_PROXY", with_userinfo },
        };

        assert_variables (variables, expected, G_N_ELEMENTS (expected));
      }
    }
}

static void
test_profile_separate_https (void)
{
  g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", "alice",
                                              GP_AUTH_PASSWORD);
  g_autoptr(GPtrArray) variables = NULL;
  const Expected expected[] = {
    { "http_proxy", "http://alice:pw@proxy.example:3128" },
    { "https_proxy", "https://alice:pw@secure.example:8443" },
    { "HTTP_PROXY", "http://alice:pw@proxy.example:3128" },
    { "HTTPS_PROXY", "https://alice:pw@secure.example:8443" },
  };

  /* The separate HTTPS proxy uses the same credentials (CLI.md). */
  gp_profile_set_https_proxy (profile, "HTTPS://Secure.Example:8443/");
  variables = gp_env_variables_for_profile (profile, "pw");
  assert_variables (variables, expected, G_N_ELEMENTS (expected));
}

static void
test_profile_no_credentials (void)
{
  const struct {
    GpAuthMode  auth;
    const char *username;
    const char *password;
  } cases[] = {
    /* A username kept on an ip or none profile is never exported. */
    { GP_AUTH_IP, "alice", "secret" },
    { GP_AUTH_NONE, "alice", "secret" },
    { GP_AUTH_NONE, NULL, NULL },
    { GP_AUTH_IP, NULL, "secret" },
    /* No password stored: no half-filled userinfo either. */
    { GP_AUTH_PASSWORD, "alice", NULL },
  };
  const Expected expected[] = {
    { "http_proxy", "http://proxy.example:3128" },
    { "https_proxy", "http://proxy.example:3128" },
    { "HTTP_PROXY", "http://proxy.example:3128" },
    { "HTTPS_PROXY", "http://proxy.example:3128" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GpProfile) profile = new_profile ("http://proxy.example:3128", cases[i].username,
                                                  cases[i].auth);
      g_autoptr(GPtrArray) variables = gp_env_variables_for_profile (profile, cases[i].password);

      g_test_message ("auth %s", gp_auth_mode_to_string (cases[i].auth));
      assert_variables (variables, expected, G_N_ELEMENTS (expected));
    }
}

static void
test_profile_upper_case_identical (void)
{
  g_autoptr(GpProfile) profile = new_profile ("socks5h://s.example:1080", "u", GP_AUTH_PASSWORD);
  const char * const no_proxy[] = { "*", NULL };
  g_autoptr(GPtrArray) variables = NULL;
  guint half;

  gp_profile_set_no_proxy (profile, no_proxy);
  variables = gp_env_variables_for_profile (profile, "'$(x)`\\\"");
  g_assert_cmpuint (variables->len % 2, ==, 0);
  half = variables->len / 2;

  /* Lower case first, then the same names in upper case, same values. */
  for (guint i = 0; i < half; i++)
    {
      GpEnvVariable *lower = g_ptr_array_index (variables, i);
      GpEnvVariable *upper = g_ptr_array_index (variables, i + half);
      g_autofree char *upper_name = g_ascii_strup (lower->name, -1);

      g_assert_true (g_strv_contains (gp_env_managed_names (), lower->name));
      g_assert_cmpstr (lower->name, !=, upper_name);
      g_assert_cmpstr (upper->name, ==, upper_name);
      g_assert_cmpstr (upper->value, ==, lower->value);
    }
}

static void
test_profile_through_shell (void)
{
  g_autoptr(GpProfile) profile = new_profile ("socks5h://s.example:1080", "al'ice",
                                              GP_AUTH_PASSWORD);
  const char * const no_proxy[] = { "localhost", ".corp.example", NULL };
  g_autoptr(GPtrArray) variables = NULL;

  /* The whole path: profile, variables, rendering, every shell. */
  gp_profile_set_no_proxy (profile, no_proxy);
  variables = gp_env_variables_for_profile (profile, "p@ss'$(touch x)` !");
  assert_shells_leave_exactly (variables);
}

static void
test_format_names (void)
{
  const struct {
    const char  *text;
    GpEnvFormat  format;
  } names[] = {
    { "sh", GP_ENV_FORMAT_SH },
    { "fish", GP_ENV_FORMAT_FISH },
    { "csh", GP_ENV_FORMAT_CSH },
    { "environment.d", GP_ENV_FORMAT_ENVIRONMENT_D },
    { "json", GP_ENV_FORMAT_JSON },
  };
  GpEnvFormat format;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (gp_env_format_from_string (names[i].text, &format));
      g_assert_cmpint (format, ==, names[i].format);
    }
  g_assert_false (gp_env_format_from_string ("bash", &format));
  g_assert_false (gp_env_format_from_string ("SH", &format));
  g_assert_false (gp_env_format_from_string ("", &format));
  g_assert_false (gp_env_format_from_string (NULL, &format));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/env/format-names", test_format_names);
  g_test_add_func ("/env/profile/password", test_profile_password);
  g_test_add_func ("/env/profile/socks", test_profile_socks);
  g_test_add_func ("/env/profile/separate-https", test_profile_separate_https);
  g_test_add_func ("/env/profile/no-credentials", test_profile_no_credentials);
  g_test_add_func ("/env/profile/upper-case-identical", test_profile_upper_case_identical);
  g_test_add_func ("/env/profile/through-shells", test_profile_through_shell);
  g_test_add_func ("/env/render/formats", test_render_formats);
  g_test_add_func ("/env/render/json", test_render_json);
  g_test_add_func ("/env/render/empty", test_render_empty);
  g_test_add_func ("/env/render/unset-in-shells", test_unset_in_shells);
  g_test_add_func ("/env/environment.d/systemd-generator", test_environment_d_systemd);

  for (guint s = 0; s < G_N_ELEMENTS (shells); s++)
    {
      for (guint v = 0; v < G_N_ELEMENTS (hostile_values); v++)
        {
          RoundTrip *round_trip = g_new0 (RoundTrip, 1);
          g_autofree char *path = g_strdup_printf ("/env/round-trip/%s/%02u", shells[s].id, v);

          round_trip->shell = &shells[s];
          round_trip->template = hostile_values[v];
          g_test_add_data_func_full (path, round_trip, test_round_trip, g_free);
        }
    }

  for (guint v = 0; v < G_N_ELEMENTS (hostile_values); v++)
    {
      g_autofree char *envd_path = g_strdup_printf ("/env/round-trip/environment.d/%02u", v);
      g_autofree char *json_path = g_strdup_printf ("/env/round-trip/json/%02u", v);

      g_test_add_data_func (envd_path, hostile_values[v], test_environment_d_value);
      g_test_add_data_func (json_path, hostile_values[v], test_json_value);
    }

  return g_test_run ();
}
