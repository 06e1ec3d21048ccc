/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "gp-application.h"
#include "gp-profile-editor.h"
#include "gp-window.h"

/* One window among the parties of tests/test-window-concurrency.sh, which
 * change profiles.ini at the same time (two of these, five command
 * lines):
 *
 *   test-window-party TAG N DIR
 *
 * opens the real window, writes DIR/ready-TAG, waits for DIR/go, then
 * adds N profiles through the editor as a person would (New Profile,
 * the rows, Save), each with a username and a password, and edits each
 * once it is saved (a new URL, Save again). Then it writes DIR/done-TAG
 * and waits for DIR/check, which holds how many profiles there are in
 * the end; once its own sidebar lists that many (it follows the other
 * parties' saves), it writes their names to DIR/listed-TAG and quits.
 *
 * With --refused (see refused_save ()), tests/test-failure-modes.sh uses
 * it for the window's Save in a config folder that refuses it.
 *
 * The application is started G_APPLICATION_NON_UNIQUE: a second Gatepass
 * on the same session bus would only activate the first one's window,
 * and two windows of one process would share one store, so the saves of
 * two windows can only race each other from two processes. Exit status
 * 0 when every save succeeded; every failure is one line on stderr. */

#define TIMEOUT_MS 30000
/* The check comes only after the slowest command-line loop has ended:
 * under the sanitizers on two cores those loops took 49 s, after this
 * window had long been done. The shell is the deadline that counts (it
 * kills every party when it gives up), so the wait for it is long. */
#define CHECK_TIMEOUT_MS 600000

static struct
{
  const char       *tag;
  const char       *dir;
  GpApplication    *app;
  GpWindow         *window;
  GpProfileEditor  *editor;
  GtkListView      *profile_list;
  int               finished;   /* -1 while a save runs, else 0 or 1 */
  char             *last_toast;
} party;

static gboolean
keep_going (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
spin (gint64 deadline)
{
  if (g_get_monotonic_time () >= deadline)
    return FALSE;
  g_main_context_iteration (NULL, TRUE);
  return TRUE;
}

#define wait_until_within(ms, cond)                                         \
  ({                                                                        \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (ms) * 1000;      \
    while (!(cond) && spin (deadline_))                                     \
      ;                                                                     \
    (cond);                                                                 \
  })
#define wait_until(cond) wait_until_within (TIMEOUT_MS, cond)

G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) static void
die (const char *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("window %s: %s\n", party.tag, message);
  exit (1);
}

#define must(cond, ...) G_STMT_START { if (!(cond)) die (__VA_ARGS__); } G_STMT_END

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  must (child != NULL, "%s has no template child “%s”", g_type_name (type), name);
  return child;
}

#define EDITOR(name) template_child (party.editor, GP_TYPE_PROFILE_EDITOR, name)

static void
type_into (const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (EDITOR (row)), text);
}

/* Writes DIR/PREFIX-TAG. */
static void
write_file (const char *prefix,
            const char *contents)
{
  g_autofree char *file = g_strconcat (prefix, "-", party.tag, NULL);
  g_autofree char *path = g_build_filename (party.dir, file, NULL);
  g_autoptr(GError) error = NULL;

  must (g_file_set_contents (path, contents, -1, &error), "cannot write %s: %s", path, error->message);
}

static void
on_save_finished (GpProfileEditor *editor,
                  gboolean         ok)
{
  party.finished = ok;
}

static void
on_toast (GpProfileEditor *editor,
          const char      *message)
{
  g_free (party.last_toast);
  party.last_toast = g_strdup (message);
}

/* Saves what the editor shows, through its action, as Ctrl+S does. */
static void
save (const char *what)
{
  party.finished = -1;
  must (gtk_widget_activate_action (GTK_WIDGET (party.editor), "editor.save", NULL),
        "%s: the editor has no save action", what);
  must (wait_until (party.finished != -1), "%s: the save did not finish within %d s", what, TIMEOUT_MS / 1000);
  must (party.finished == 1, "%s: the save failed: %s", what,
        party.last_toast != NULL ? party.last_toast : "(no message)");
  must (!gp_profile_editor_is_dirty (party.editor), "%s: still unsaved after the save", what);
}

static void
add_and_edit (guint i)
{
  g_autofree char *name = g_strdup_printf ("%s-%u", party.tag, i);
  /* Lower case: a saved URL's host is. */
  g_autofree char *host = g_ascii_strdown (name, -1);
  g_autofree char *url = g_strdup_printf ("http://%s.example:%u", host, 3000 + i);
  g_autofree char *edited_url = g_strdup_printf ("http://%s.example:%u", host, 4000 + i);
  g_autofree char *username = g_strdup_printf ("%s-user-%u", party.tag, i);
  g_autofree char *password = g_strdup_printf ("%s-pw-%u", party.tag, i);
  GpProfile *saved;

  must (gtk_widget_activate_action (GTK_WIDGET (party.window), "win.new-profile", NULL),
        "%s: the window has no new-profile action", name);
  must (gp_profile_editor_is_editing (party.editor) && gp_profile_editor_get_profile (party.editor) == NULL,
        "%s: New Profile did not open an empty editor", name);
  type_into ("name_row", name);
  type_into ("url_row", url);
  adw_combo_row_set_selected (EDITOR ("auth_row"), 1);   /* Username and Password */
  type_into ("username_row", username);
  type_into ("password_row", password);
  save (name);

  saved = gp_profile_editor_get_profile (party.editor);
  must (saved != NULL && g_strcmp0 (gp_profile_get_name (saved), name) == 0,
        "%s: the editor does not show the saved profile", name);

  type_into ("url_row", edited_url);
  must (gp_profile_editor_is_dirty (party.editor), "%s: a new URL leaves the editor clean", name);
  save (name);
  must (g_strcmp0 (gp_profile_get_url (gp_profile_editor_get_profile (party.editor)), edited_url) == 0,
        "%s: the saved profile does not have the new URL", name);
}

static guint
n_listed (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (party.profile_list)));
}

static char *
listed_names (void)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (party.profile_list));
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);
      g_string_append_printf (names, "%s\n", gp_profile_get_name (profile));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
start_window (void)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkStack *content_stack;

  party.app = g_object_new (GP_TYPE_APPLICATION,
                            "application-id", "io.github.gatepass.Gatepass",
                            "flags", G_APPLICATION_NON_UNIQUE,
                            "resource-base-path", "/io/github/gatepass/Gatepass",
                            NULL);
  must (g_application_register (G_APPLICATION (party.app), NULL, &error), "cannot register: %s", error->message);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (party.app));

  window = gtk_application_get_active_window (GTK_APPLICATION (party.app));
  must (GP_IS_WINDOW (window), "activate opened no window");
  party.window = GP_WINDOW (window);
  party.profile_list = template_child (party.window, GP_TYPE_WINDOW, "profile_list");
  content_stack = template_child (party.window, GP_TYPE_WINDOW, "content_stack");
  must (wait_until (gtk_widget_get_mapped (GTK_WIDGET (party.window))), "the window was never shown");
  /* The window adds its editor right after its first frame. */
  must (wait_until (gtk_stack_get_child_by_name (content_stack, "editor") != NULL), "the editor never came");
  party.editor = GP_PROFILE_EDITOR (gtk_stack_get_child_by_name (content_stack, "editor"));
  g_signal_connect (party.editor, "save-finished", G_CALLBACK (on_save_finished), NULL);
  g_signal_connect (party.editor, "toast", G_CALLBACK (on_toast), NULL);
}

/* test-window-party --refused TAG DIR: once DIR/go exists, adds TAG
 * with a password and saves, expecting the save to fail (the shell has
 * made the config folder refuse it): writes the message shown to
 * DIR/refused-TAG. The edits must stay in the editor, unsaved; once
 * DIR/retry exists, Save again must succeed, and DIR/saved-TAG says so. */
static void
refused_save (void)
{
  g_autofree char *go = g_build_filename (party.dir, "go", NULL);
  g_autofree char *retry = g_build_filename (party.dir, "retry", NULL);
  g_autofree char *message = NULL;

  must (wait_until (g_file_test (go, G_FILE_TEST_EXISTS)), "no go within %d s", TIMEOUT_MS / 1000);
  must (gtk_widget_activate_action (GTK_WIDGET (party.window), "win.new-profile", NULL),
        "the window has no new-profile action");
  type_into ("name_row", party.tag);
  type_into ("url_row", "http://127.0.0.1:3129");
  adw_combo_row_set_selected (EDITOR ("auth_row"), 1);   /* Username and Password */
  type_into ("username_row", "refused-user");
  type_into ("password_row", "refused pw");

  party.finished = -1;
  must (gtk_widget_activate_action (GTK_WIDGET (party.editor), "editor.save", NULL), "no save action");
  must (wait_until (party.finished != -1), "the save did not finish within %d s", TIMEOUT_MS / 1000);
  must (party.finished == 0, "the save succeeded in a folder that refuses it");
  must (gp_profile_editor_is_dirty (party.editor), "the refused save lost the edits");
  must (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (EDITOR ("password_row"))), "refused pw") == 0,
        "the refused save emptied the password row");
  message = g_strdup_printf ("%s\n", party.last_toast != NULL ? party.last_toast : "(no message)");
  write_file ("refused", message);

  must (wait_until (g_file_test (retry, G_FILE_TEST_EXISTS)), "no retry within %d s", TIMEOUT_MS / 1000);
  save ("the second save");
  write_file ("saved", "");
}

static void
stop_window (void)
{
  gtk_window_destroy (GTK_WINDOW (party.window));
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&party.app);
  g_clear_pointer (&party.last_toast, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *go = NULL;
  g_autofree char *check = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *names = NULL;
  guint64 n, expected;
  gboolean refused = argc == 4 && strcmp (argv[1], "--refused") == 0;

  if (argc != 4 || (!refused && !g_ascii_string_to_unsigned (argv[2], 10, 1, 100, &n, NULL)))
    {
      g_printerr ("Usage: %s TAG N DIR\n       %s --refused TAG DIR\n", argv[0], argv[0]);
      return 2;
    }
  party.tag = argv[refused ? 2 : 1];
  party.dir = argv[3];

  g_timeout_add (10, keep_going, NULL);
  start_window ();
  write_file ("ready", "");
  if (refused)
    {
      refused_save ();
      stop_window ();
      return 0;
    }

  go = g_build_filename (party.dir, "go", NULL);
  must (wait_until (g_file_test (go, G_FILE_TEST_EXISTS)), "no go within %d s", TIMEOUT_MS / 1000);

  for (guint i = 1; i <= n; i++)
    add_and_edit (i);
  write_file ("done", "");

  /* The others may still be saving: follow their changes to the end. */
  check = g_build_filename (party.dir, "check", NULL);
  must (wait_until_within (CHECK_TIMEOUT_MS, g_file_test (check, G_FILE_TEST_EXISTS)) &&
        g_file_get_contents (check, &expected_text, NULL, NULL), "no check within %d s", CHECK_TIMEOUT_MS / 1000);
  must (g_ascii_string_to_unsigned (g_strstrip (expected_text), 10, 1, 10000, &expected, NULL),
        "check holds no count: %s", expected_text);
  if (!wait_until (n_listed () == expected))
    die ("the sidebar lists %u profiles, not %" G_GUINT64_FORMAT, n_listed (), expected);
  names = listed_names ();
  write_file ("listed", names);

  stop_window ();
  return 0;
}
