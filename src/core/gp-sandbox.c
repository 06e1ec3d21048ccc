/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-sandbox.h"

/* Flatpak puts /.flatpak-info in every sandbox it starts; nothing else
 * does, and an app inside cannot remove it (it is a read-only bind
 * mount). */
#define FLATPAK_INFO "/.flatpak-info"

/* GP_TEST_SANDBOX=flatpak makes a process on the host behave as inside
 * the sandbox, so that the tests can check what the sandbox changes
 * without building and running a Flatpak each time. It can only make
 * Gatepass reach less: it skips the bus, GNOME's settings, the autostart
 * entry and the user's files, and puts the session file in
 * ~/.config/environment.d, the user's own. It never turns the sandbox's
 * behaviour off: inside a real sandbox /.flatpak-info decides, whatever
 * the variable says. */
#define TEST_OVERRIDE "GP_TEST_SANDBOX"

typedef struct
{
  gboolean  flatpak;
  char     *app_id;
} SandboxInfo;

static char *
read_app_id (void)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  char *name;

  if (g_key_file_load_from_file (info, FLATPAK_INFO, G_KEY_FILE_NONE, NULL) &&
      (name = g_key_file_get_string (info, "Application", "name", NULL)) != NULL)
    return name;
  return g_strdup (g_getenv ("FLATPAK_ID"));
}

/* Read once: neither can change while the process runs. */
static const SandboxInfo *
get_info (void)
{
  static gsize once;
  static SandboxInfo info;

  if (g_once_init_enter (&once))
    {
      info.flatpak = g_file_test (FLATPAK_INFO, G_FILE_TEST_EXISTS) ||
                     g_strcmp0 (g_getenv (TEST_OVERRIDE), "flatpak") == 0;
      info.app_id = info.flatpak ? read_app_id () : NULL;
      g_once_init_leave (&once, 1);
    }
  return &info;
}

gboolean
gp_sandbox_is_flatpak (void)
{
  return get_info ()->flatpak;
}

const char *
gp_sandbox_app_id (void)
{
  return get_info ()->app_id;
}

const char *
gp_sandbox_unreachable_reason (void)
{
  return _("the Flatpak sandbox cannot reach it");
}

char *
gp_sandbox_environment_d_dir (void)
{
  /* Inside, XDG_CONFIG_HOME is ~/.var/app/ID/config; the manifest's
   * --filesystem=xdg-config/environment.d:create maps the host's folder
   * at its own path under the (real) home. */
  if (gp_sandbox_is_flatpak ())
    return g_build_filename (g_get_home_dir (), ".config", "environment.d", NULL);
  return g_build_filename (g_get_user_config_dir (), "environment.d", NULL);
}
