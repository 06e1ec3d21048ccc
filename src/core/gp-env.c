/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-env.h"
#include "gp-no-proxy.h"
#include "gp-proxy-url.h"

G_DEFINE_QUARK (gp-env-error-quark, gp_env_error)

/* Every variable Gatepass sets, lower case first: the order of output. */
static const char * const managed_names[] = {
  "http_proxy", "https_proxy", "no_proxy", "all_proxy",
  "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
  NULL
};

/* What clients read for the CAs to trust, set when the profile has a CA
 * of its own (gp-ca-store.c): curl, Python's requests, OpenSSL's users
 * (Python's ssl, Ruby…), Node.js (added to its own CAs), git. */
static const char * const ca_names[] = {
  "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO",
  NULL
};

static const char * const format_names[] = {
  [GP_ENV_FORMAT_SH] = "sh",
  [GP_ENV_FORMAT_FISH] = "fish",
  [GP_ENV_FORMAT_CSH] = "csh",
  [GP_ENV_FORMAT_ENVIRONMENT_D] = "environment.d",
  [GP_ENV_FORMAT_JSON] = "json",
};

gboolean
gp_env_format_from_string (const char  *text,
                           GpEnvFormat *format)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (format_names); i++)
    {
      if (strcmp (text, format_names[i]) == 0)
        {
          *format = (GpEnvFormat) i;
          return TRUE;
        }
    }
  return FALSE;
}

GpEnvVariable *
gp_env_variable_new (const char *name,
                     const char *value)
{
  GpEnvVariable *variable = g_new0 (GpEnvVariable, 1);

  variable->name = g_strdup (name);
  variable->value = g_strdup (value);
  return variable;
}

void
gp_env_variable_free (GpEnvVariable *variable)
{
  if (variable == NULL)
    return;
  g_free (variable->name);
  if (variable->value != NULL)
    explicit_bzero (variable->value, strlen (variable->value));
  g_free (variable->value);
  g_free (variable);
}

const char * const *
gp_env_managed_names (void)
{
  return managed_names;
}

const char * const *
gp_env_ca_names (void)
{
  return ca_names;
}

static char *
proxy_url_for (const char *text,
               GpProfile  *profile,
               const char *password)
{
  g_autoptr(GpProxyUrl) url = gp_proxy_url_parse (text, NULL);

  g_return_val_if_fail (url != NULL, NULL);

  if (gp_profile_sends_credentials (profile) && password != NULL)
    return gp_proxy_url_to_string_with_userinfo (url, gp_profile_get_username (profile), password);
  return gp_proxy_url_to_string (url);
}

static void
add_upper_case_copies (GPtrArray *variables)
{
  guint n_lower = variables->len;

  for (guint i = 0; i < n_lower; i++)
    {
      GpEnvVariable *lower = g_ptr_array_index (variables, i);
      g_autofree char *upper_name = g_ascii_strup (lower->name, -1);

      g_ptr_array_add (variables, gp_env_variable_new (upper_name, lower->value));
    }
}

/* The variables for a valid profile, lower case first, then the same in
 * upper case, then those naming the CA bundle when the profile has a CA
 * (the bundle itself is built by gp_ca_store_ensure_bundle ()). The
 * password is used only when the profile sends credentials; it is
 * percent-encoded into the URLs. */
GPtrArray *
gp_env_variables_for_profile (GpProfile  *profile,
                              const char *password)
{
  g_autoptr(GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_env_variable_free);
  g_autoptr(GpProxyUrl) main_url = NULL;
  g_autofree char *http = NULL;
  g_autofree char *https = NULL;
  g_autofree char *no_proxy = NULL;

  g_return_val_if_fail (GP_IS_PROFILE (profile), NULL);

  main_url = gp_proxy_url_parse (gp_profile_get_url (profile), NULL);
  g_return_val_if_fail (main_url != NULL, NULL);

  http = proxy_url_for (gp_profile_get_url (profile), profile, password);
  https = gp_profile_get_https_proxy (profile) != NULL
          ? proxy_url_for (gp_profile_get_https_proxy (profile), profile, password)
          : g_strdup (http);
  no_proxy = gp_no_proxy_join (gp_profile_get_no_proxy (profile));

  g_ptr_array_add (variables, gp_env_variable_new ("http_proxy", http));
  g_ptr_array_add (variables, gp_env_variable_new ("https_proxy", https));
  if (*no_proxy != '\0')
    g_ptr_array_add (variables, gp_env_variable_new ("no_proxy", no_proxy));
  /* SOCKS-only clients read all_proxy; the others get the SOCKS URL too. */
  if (gp_proxy_url_is_socks (main_url))
    g_ptr_array_add (variables, gp_env_variable_new ("all_proxy", http));

  add_upper_case_copies (variables);
  if (gp_ca_store_has (gp_profile_get_id (profile)))
    {
      g_autofree char *bundle = gp_ca_store_bundle_path (gp_profile_get_id (profile));

      for (guint i = 0; ca_names[i] != NULL; i++)
        g_ptr_array_add (variables, gp_env_variable_new (ca_names[i], bundle));
    }
  return g_steal_pointer (&variables);
}

static gboolean
has_control_character (const char *value)
{
  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
set_unrepresentable (GError          **error,
                     const char       *name,
                     GpEnvFormat       format)
{
  g_set_error (error, GP_ENV_ERROR, GP_ENV_ERROR_UNREPRESENTABLE,
               _("The value of %s cannot be written safely in the %s format"),
               name, format_names[format]);
  return FALSE;
}

/* POSIX sh: inside single quotes nothing is special but the quote itself. */
static void
append_sh_quoted (GString    *out,
                  const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* fish: inside single quotes only \' and \\ are escapes. */
static void
append_fish_quoted (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* csh: as sh, but "!" starts a history substitution even inside single
 * quotes, and a line break cannot be quoted at all. */
static void
append_csh_quoted (GString    *out,
                   const char *value)
{
  g_string_append_c (out, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else if (*p == '!')
        g_string_append (out, "\\!");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* environment.d expands "$", and drops quotes and backslashes: a value is
 * written only when none of those, nor blanks, can change it. */
static gboolean
is_environment_d_safe (const char *value)
{
  for (const char *p = value; *p; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("$\\\"'`", *p) != NULL)
      return FALSE;
  return TRUE;
}

static gboolean
append_assignment (GString        *out,
                   GpEnvFormat     format,
                   GpEnvVariable  *variable,
                   GError        **error)
{
  switch (format)
    {
    case GP_ENV_FORMAT_SH:
      g_string_append_printf (out, "export %s=", variable->name);
      append_sh_quoted (out, variable->value);
      break;

    case GP_ENV_FORMAT_FISH:
      g_string_append_printf (out, "set -gx %s ", variable->name);
      append_fish_quoted (out, variable->value);
      break;

    case GP_ENV_FORMAT_CSH:
      if (has_control_character (variable->value))
        return set_unrepresentable (error, variable->name, format);
      g_string_append_printf (out, "setenv %s ", variable->name);
      append_csh_quoted (out, variable->value);
      break;

    case GP_ENV_FORMAT_ENVIRONMENT_D:
      if (!is_environment_d_safe (variable->value))
        return set_unrepresentable (error, variable->name, format);
      g_string_append_printf (out, "%s=%s", variable->name, variable->value);
      break;

    case GP_ENV_FORMAT_JSON:
    default:
      g_assert_not_reached ();
    }

  g_string_append_c (out, '\n');
  return TRUE;
}

static gboolean
contains_name (GPtrArray  *variables,
               const char *name)
{
  for (guint i = 0; i < variables->len; i++)
    if (strcmp (((GpEnvVariable *) g_ptr_array_index (variables, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

/* Shells keep what an earlier export set: unset the managed variables
 * that this profile does not set, so that switching profiles is clean;
 * of the CA variables, only those that point at one of Gatepass's
 * bundles (the environment is the shell's, which evaluates the output):
 * a user's own SSL_CERT_FILE stays. */
static void
append_unsets (GString     *out,
               GpEnvFormat  format,
               GPtrArray   *variables)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *command;

  for (guint i = 0; managed_names[i] != NULL; i++)
    if (!contains_name (variables, managed_names[i]))
      g_ptr_array_add (names, (gpointer) managed_names[i]);
  for (guint i = 0; ca_names[i] != NULL; i++)
    if (!contains_name (variables, ca_names[i]) && gp_ca_is_ours (g_getenv (ca_names[i])))
      g_ptr_array_add (names, (gpointer) ca_names[i]);

  if (names->len == 0)
    return;

  command = format == GP_ENV_FORMAT_SH ? "unset" : format == GP_ENV_FORMAT_FISH ? "set -e" : "unsetenv";
  g_string_append (out, command);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, " %s", (const char *) g_ptr_array_index (names, i));
  /* fish's `set -e` fails for a variable that is not set: a fresh shell's
   * `export ... | source; and ...` must still go on. */
  if (format == GP_ENV_FORMAT_FISH)
    g_string_append (out, "; or true");
  g_string_append_c (out, '\n');
}

static char *
render_json (GPtrArray *variables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);

      json_builder_set_member_name (builder, variable->name);
      json_builder_add_string_value (builder, variable->value);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* Renders the variables so that evaluating the output sets exactly these
 * values, whatever their bytes, and runs nothing else. An empty array
 * renders what clears the variables (or nothing, or "{}"). */
char *
gp_env_render (GPtrArray    *variables,
               GpEnvFormat   format,
               GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (variables != NULL, NULL);
  g_return_val_if_fail (format <= GP_ENV_FORMAT_JSON, NULL);

  if (format == GP_ENV_FORMAT_JSON)
    {
      /* JSON text is UTF-8: json-glib would copy other bytes through,
       * and no parser would read the output. */
      for (guint i = 0; i < variables->len; i++)
        {
          GpEnvVariable *variable = g_ptr_array_index (variables, i);

          if (!g_utf8_validate (variable->value, -1, NULL))
            {
              set_unrepresentable (error, variable->name, format);
              return NULL;
            }
        }
      return render_json (variables);
    }

  for (guint i = 0; i < variables->len; i++)
    if (!append_assignment (out, format, g_ptr_array_index (variables, i), error))
      return NULL;

  if (format != GP_ENV_FORMAT_ENVIRONMENT_D)
    append_unsets (out, format, variables);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
