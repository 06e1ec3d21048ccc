/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "gp-ca.h"
#include "gp-cli-private.h"
#include "gp-env.h"
#include "gp-no-proxy.h"
#include "gp-proxy-url.h"

/* Far above any real password; bounds what a stray pipe can make us hold. */
#define PASSWORD_MAX_BYTES (64 * 1024)

/* The contract's one keyring budget per command, counted from the first
 * keyring call (not from start-up, so that typing a password at the
 * prompt does not eat it): a stuck Secret Service then costs a login
 * script 5 s, not two D-Bus timeouts of 25 s. */
#define KEYRING_BUDGET_MS 5000

static const struct {
  const char   *name;
  GpCliCommand  run;
} commands[] = {
  { "list", gp_cli_cmd_list },
  { "show", gp_cli_cmd_show },
  { "add", gp_cli_cmd_add },
  { "edit", gp_cli_cmd_edit },
  { "remove", gp_cli_cmd_remove },
  { "set-password", gp_cli_cmd_set_password },
  { "activate", gp_cli_cmd_activate },
  { "deactivate", gp_cli_cmd_deactivate },
  { "status", gp_cli_cmd_status },
  { "clear-stale", gp_cli_cmd_clear_stale },
  { "import", gp_cli_cmd_import },
  { "export", gp_cli_cmd_export },
  { "test", gp_cli_net_exec },     /* in gatepass-net: it needs libsoup */
};

const char *
gp_cli_usage (void)
{
  return _("Usage:\n"
           "  gatepass                          Open the window\n"
           "  gatepass --headless COMMAND …     Run one command without a display\n"
           "  gatepass --version | --help\n"
           "\n"
           "Commands:\n"
           "  list [--json]                     List the profiles; * marks the active one\n"
           "  show NAME [--json]                Show one profile\n"
           "  add NAME URL [OPTION…]            Add a profile. Options: --https-proxy URL,\n"
           "                                    --no-proxy LIST, --username USER,\n"
           "                                    --auth password|ip|none, --password-stdin,\n"
           "                                    --session-credentials yes|no, --gnome-proxy yes|no\n"
           "  edit NAME [OPTION…]               Change a profile: the options of add, and\n"
           "                                    --url URL, --rename NEW\n"
           "  remove NAME                       Remove a profile and its keyring item\n"
           "  set-password NAME                 Store the password, read from standard input\n"
           "                                    (on a terminal, a prompt without echo)\n"
           "  activate NAME                     Make NAME the active profile and apply it to the\n"
           "                                    desktop session\n"
           "  activate --login                  Re-apply the active profile (run at login)\n"
           "  deactivate                        Undo exactly what activate applied\n"
           "  status [--json]                   The active profile and where it is applied\n"
           "  export [NAME] [--format FORMAT]   Print the proxy variables; FORMAT is sh (the\n"
           "                                    default), fish, csh, environment.d or json\n"
           "  clear-stale [--dry-run] [--json]  Remove stale cached proxy credentials\n"
           "  import [--from env|gnome] [--name NAME] [--dry-run] [--json]\n"
           "                                    Create profiles from the proxy variables and\n"
           "                                    GNOME's proxy settings\n"
           "  test [NAME…] [--all] [--json]     Test profiles through their proxies (the active\n"
           "       [--ip-echo URL] [--timeout SECONDS] [--direct]\n"
           "                                    one by default): verdict, challenges, exit IP\n"
           "\n"
           "Run “gatepass --headless COMMAND --help” for the options of a command.\n"
           "\n"
           "In a login script:\n"
           "  bash, zsh, dash:  eval \"$(gatepass --headless export)\"\n"
           "  fish:             gatepass --headless export --format fish | source\n"
           "\n"
           "Passwords are kept in the keyring (Secret Service) only, never in a file.\n"
           "\n"
           "Exit status: 0 success, 1 failure (test: a profile is not ok), 2 invalid input,\n"
           "3 keyring unavailable or locked, 4 no such profile, 5 no password stored.\n");
}

static void
print_line (const char *prefix,
            const char *message)
{
  g_autofree char *line = g_strdup (message);

  /* One failure, one line: scripts read stderr line by line. */
  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("gatepass: %s%s\n", prefix, line);
}

int
gp_cli_fail (int         status,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_line ("", message);
  return status;
}

void
gp_cli_warn (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_line (_("warning: "), message);
}

int
gp_cli_status_for_error (const GError *error)
{
  if (error->domain == GP_SECRET_ERROR)
    return GP_EXIT_KEYRING;

  if (error->domain == GP_PROXY_URL_ERROR || error->domain == GP_PROFILE_ERROR ||
      error->domain == GP_NO_PROXY_ERROR || error->domain == GP_ENV_ERROR ||
      error->domain == G_OPTION_ERROR)
    return GP_EXIT_USAGE;

  if (g_error_matches (error, GP_CA_ERROR, GP_CA_ERROR_INVALID))
    return GP_EXIT_USAGE;
  if (g_error_matches (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NOT_FOUND))
    return GP_EXIT_NO_PROFILE;
  if (g_error_matches (error, GP_PROFILE_MANAGER_ERROR, GP_PROFILE_MANAGER_ERROR_NO_CREDENTIALS))
    return GP_EXIT_USAGE;

  if (g_error_matches (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_CORRUPT) ||
      g_error_matches (error, GP_PROFILE_STORE_ERROR, GP_PROFILE_STORE_ERROR_EXISTS))
    return GP_EXIT_USAGE;

  return GP_EXIT_FAILED;
}

int
gp_cli_fail_error (const GError *error)
{
  return gp_cli_fail (gp_cli_status_for_error (error), "%s", error->message);
}

gboolean
gp_cli_parse_options (const char    *command,
                      const char    *parameters,
                      const char    *summary,
                      GOptionEntry  *entries,
                      int           *argc,
                      char        ***argv,
                      int            min_args,
                      int            max_args,
                      int           *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("gatepass --headless %s", command);
  int n_args;

  /* The --help output then reads "gatepass --headless add [OPTION…] NAME URL". */
  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = gp_cli_fail (GP_EXIT_USAGE, _("%s: %s; see “gatepass --headless %s --help”"),
                             command, error->message, command);
      return FALSE;
    }
  g_set_prgname ("gatepass");

  n_args = *argc - 1;
  if (n_args < min_args || n_args > max_args)
    {
      *status = gp_cli_fail (GP_EXIT_USAGE, _("%s expects %s; see “gatepass --headless %s --help”"),
                             command, *parameters ? parameters : _("no arguments"), command);
      return FALSE;
    }

  return TRUE;
}

GpSecretStore *
gp_cli_get_secrets (GpCli *cli)
{
  /* Headless never prompts: a locked keyring is an error at once. */
  if (cli->secrets == NULL)
    {
      cli->secrets = gp_secret_store_new (FALSE);
      gp_secret_store_set_budget (cli->secrets, KEYRING_BUDGET_MS);
    }
  return cli->secrets;
}

static void
on_manager_warning (GpProfileManager *manager,
                    const GError     *error)
{
  gp_cli_warn ("%s", error->message);
}

/* The use cases, sync; the keyring budget above holds for them too, since
 * they share the command's secret store. */
GpProfileManager *
gp_cli_get_manager (GpCli *cli)
{
  if (cli->manager == NULL)
    {
      cli->manager = gp_profile_manager_new (cli->store, gp_cli_get_secrets (cli));
      g_signal_connect (cli->manager, "warning", G_CALLBACK (on_manager_warning), NULL);
    }
  return cli->manager;
}

int
gp_cli_load_store (GpCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (!gp_profile_store_load (cli->store, &error))
    return gp_cli_fail_error (error);
  return GP_EXIT_OK;
}

int
gp_cli_find_profile (GpCli       *cli,
                     const char  *name,
                     GpProfile  **out_profile)
{
  *out_profile = gp_profile_store_find (cli->store, name);
  if (*out_profile == NULL)
    return gp_cli_fail (GP_EXIT_NO_PROFILE,
                        _("No profile is named “%s”; “gatepass --headless list” shows them"), name);
  return GP_EXIT_OK;
}

static struct termios saved_termios;

static void
restore_echo_and_die (int signum)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

static GpPassword *
read_line_without_echo (const char *prompt)
{
  struct termios quiet;
  char buffer[4096];
  ssize_t length = 0;
  char c;

  tcgetattr (STDIN_FILENO, &saved_termios);
  quiet = saved_termios;
  quiet.c_lflag &= ~(ECHO | ECHONL);
  signal (SIGINT, restore_echo_and_die);
  signal (SIGTERM, restore_echo_and_die);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

  g_printerr ("%s", prompt);
  while (read (STDIN_FILENO, &c, 1) == 1 && c != '\n')
    if ((gsize) length < sizeof buffer - 1)
      buffer[length++] = c;
  buffer[length] = '\0';

  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
  g_printerr ("\n");

  {
    GpPassword *password = g_strdup (buffer);
    explicit_bzero (buffer, sizeof buffer);
    return password;
  }
}

static GpPassword *
prompt_password (const char  *prompt,
                 GError     **error)
{
  g_autoptr(GpPassword) first = read_line_without_echo (prompt);
  g_autoptr(GpPassword) second = NULL;

  if (!gp_proxy_url_validate_password (first, error))
    return NULL;

  second = read_line_without_echo (_("Type it again: "));
  if (strcmp (first, second) != 0)
    {
      g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL,
                   _("The two passwords differ; nothing was stored"));
      return NULL;
    }

  return g_steal_pointer (&first);
}

/* explicit_bzero's buffer must never be NULL, not even for 0 bytes, and an
 * empty GByteArray's data is NULL (UBSan: nonnull-attribute). */
static void
wipe_bytes (GByteArray *bytes)
{
  if (bytes->len > 0)
    explicit_bzero (bytes->data, bytes->len);
}

/* The whole of standard input, less one trailing "\n" or "\r\n"; every
 * other byte is kept, and one that cannot travel in a header refused. */
static GpPassword *
read_stdin_password (GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 chunk[4096];
  ssize_t n;
  GpPassword *password;

  while ((n = read (STDIN_FILENO, chunk, sizeof chunk)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || bytes->len + n > PASSWORD_MAX_BYTES)
        {
          int saved_errno = errno;

          wipe_bytes (bytes);
          /* A read that fails is no invalid input: exit 1, not 2. */
          if (n < 0)
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         _("Cannot read the password from standard input: %s"), g_strerror (saved_errno));
          else
            g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL,
                         _("The password on standard input is longer than 64 KiB"));
          return NULL;
        }
      g_byte_array_append (bytes, chunk, n);
    }
  explicit_bzero (chunk, sizeof chunk);

  if (bytes->len > 0 && bytes->data[bytes->len - 1] == '\n')
    g_byte_array_set_size (bytes, bytes->len - 1);
  if (bytes->len > 0 && bytes->data[bytes->len - 1] == '\r')
    g_byte_array_set_size (bytes, bytes->len - 1);

  /* g_strndup (NULL, 0) is NULL: an empty input is an empty password. */
  password = bytes->len > 0 ? g_strndup ((const char *) bytes->data, bytes->len) : g_strdup ("");
  if (strlen (password) != bytes->len)
    {
      g_set_error (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_INVALID_CREDENTIAL,
                   _("The password contains a control character (a NUL byte), which a "
                     "Proxy-Authorization header cannot carry"));
      wipe_bytes (bytes);
      gp_password_free (password);
      return NULL;
    }
  wipe_bytes (bytes);

  if (!gp_proxy_url_validate_password (password, error))
    {
      gp_password_free (password);
      return NULL;
    }
  return password;
}

GpPassword *
gp_cli_read_password (const char  *prompt,
                      GError     **error)
{
  if (isatty (STDIN_FILENO))
    return prompt_password (prompt, error);
  return read_stdin_password (error);
}

/* Full sentences for each field: translations need them whole. */
void
gp_cli_warn_quirks (const char *username,
                    const char *password)
{
  GpCredentialQuirks user_quirks = username ? gp_proxy_url_credential_quirks (username) : 0;
  GpCredentialQuirks password_quirks = password ? gp_proxy_url_credential_quirks (password) : 0;

  if (user_quirks & GP_CREDENTIAL_QUIRK_PERCENT_HEX)
    gp_cli_warn (_("the username holds “%%” followed by two hex digits; git built with libcurl "
                   "older than 8.8 decodes proxy credentials twice and sends it altered"));
  if (user_quirks & GP_CREDENTIAL_QUIRK_NON_ASCII)
    gp_cli_warn (_("the username holds non-ASCII characters; Python's requests sends them as "
                   "Latin-1, which a UTF-8 proxy rejects"));
  if (password_quirks & GP_CREDENTIAL_QUIRK_PERCENT_HEX)
    gp_cli_warn (_("the password holds “%%” followed by two hex digits; git built with libcurl "
                   "older than 8.8 decodes proxy credentials twice and sends it altered"));
  if (password_quirks & GP_CREDENTIAL_QUIRK_NON_ASCII)
    gp_cli_warn (_("the password holds non-ASCII characters; Python's requests sends them as "
                   "Latin-1, which a UTF-8 proxy rejects"));
}

/* "Label:      value", aligned by characters, not bytes, so that
 * translated labels line up too. */
void
gp_cli_print_field (const char *indent,
                    const char *label,
                    const char *value)
{
  glong pad = MAX (1, 13 - g_utf8_strlen (label, -1));

  g_print ("%s%s%*s%s\n", indent, label, (int) pad, "", value != NULL ? value : "");
}

void
gp_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
gp_cli_run_command (GpCliCommand   run,
                    int            argc,
                    char         **argv)
{
  g_autofree char *path = gp_profile_store_default_path ();
  GpCli cli = { 0 };
  int status;

  cli.store = gp_profile_store_new (path);
  status = run (&cli, argc, argv);

  g_clear_object (&cli.manager);
  g_clear_object (&cli.store);
  g_clear_object (&cli.secrets);
  return status;
}

/* argv[0] is "--headless"; argv[1] the command. */
int
gp_cli_run (int    argc,
            char **argv)
{
  const char *name = argc > 1 ? argv[1] : NULL;

  if (name == NULL)
    {
      g_printerr ("%s", gp_cli_usage ());
      return GP_EXIT_USAGE;
    }

  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      g_print ("%s", gp_cli_usage ());
      return GP_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (name, commands[i].name) == 0)
      return gp_cli_run_command (commands[i].run, argc - 1, argv + 1);

  return gp_cli_fail (GP_EXIT_USAGE, _("“%s” is not a command; “gatepass --help” lists them"), name);
}
