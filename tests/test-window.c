/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "gp-application.h"
#include "gp-export-view.h"
#include "gp-preferences-window.h"
#include "gp-keyring-row.h"
#include "gp-passwords-notice.h"
#include "gp-profile-editor.h"
#include "gp-profile-row.h"
#include "gp-result-store.h"
#include "gp-result-view.h"
#include "gp-session-group.h"
#include "gp-test-panel.h"
#include "gp-window.h"
#include "gp-test-keyring.h"

/* The real window, driven as a person drives it: through its actions and
 * widgets, reading back what the widgets show. It runs as
 *
 *   keyring-session.sh proxy-lab.sh xvfb.sh test-window
 *
 * so it has a real gnome-keyring, a real squid with Basic authentication,
 * a real echo server and an X server. Each case runs in a process of its
 * own, with its own window, settings and folders, from the state its
 * entry in cases[] names (see Given), made with `gatepass --headless`.
 *
 * Screenshots go to $GATEPASS_SCREENSHOT_DIR, or else next to this
 * executable (the build's tests/ directory): main-window.png (a test
 * result), main-window-dark.png, main-window-narrow.png (folded), and for
 * review window-welcome.png, window-invalid-url.png, dialog-unsaved.png,
 * session-group.png, session-group-password.png, session-group-problem.png,
 * session-options.png. */

#define SETTINGS_ID      "io.github.gatepass.Gatepass"
#define SQUID_EXIT_IP    "127.0.0.2"
#define LAB_PROFILE      "Office"
#define CLI_PROFILE      "From the Command Line"
#define CLI_PROFILE_URL  "http://127.0.0.1:3129"
#define COPY_PROFILE     "Office (Copy)"
#define TIMEOUT_MS       5000
#define PROBE_TIMEOUT_MS 15000
/* A frame of the whole editor, drawn by llvmpipe under the sanitizers on a
 * loaded 2-core machine, has taken over 2 s: waiting for frames is a check
 * that nothing hangs, never of speed. */
#define FRAMES_TIMEOUT_MS 30000
#define MIN_PNG_BYTES    (20 * 1024)

static struct
{
  GpApplication    *app;
  GpWindow         *window;
  GpProfileEditor  *editor;
  GpResultView     *result_view;
  GtkListView      *profile_list;
  GtkStack         *content_stack;
  GtkSearchEntry   *search_entry;
  char             *profiles_path;
  char             *screenshot_dir;
} ui;

/* ---- the main loop ---------------------------------------------------------- */

static gboolean
keep_going (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* One iteration of the default context; FALSE once the deadline has passed.
 * A 10 ms timer (see main) keeps the blocking iteration from sleeping past
 * the deadline. */
static gboolean
spin (gint64 deadline)
{
  if (g_get_monotonic_time () >= deadline)
    return FALSE;
  g_main_context_iteration (NULL, TRUE);
  return TRUE;
}

static gint64
deadline_in (guint timeout_ms)
{
  return g_get_monotonic_time () + (gint64) timeout_ms * 1000;
}

/* Spins the main loop until COND holds or TIMEOUT_MS pass; is COND. */
#define wait_until(cond, timeout_ms)                              \
  ({                                                              \
    gint64 deadline_ = deadline_in (timeout_ms);                  \
    while (!(cond) && spin (deadline_))                           \
      ;                                                           \
    (cond);                                                       \
  })

#define assert_eventually(cond, timeout_ms)                                   \
  G_STMT_START {                                                              \
    if (!wait_until (cond, timeout_ms))                                       \
      {                                                                       \
        g_autofree char *message_ = g_strdup_printf ("still false after %u ms: %s", \
                                                     (guint) (timeout_ms), #cond); \
        g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message_); \
      }                                                                       \
  } G_STMT_END

/* Lets the window run for a while, for checks that something does NOT
 * happen. */
static void
settle (guint ms)
{
  gint64 deadline = deadline_in (ms);

  while (spin (deadline))
    ;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

/* Waits until the window has drawn N more frames: what a screenshot shows
 * is then laid out and painted. */
static void
wait_frames_of (gpointer widget,
                guint    n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  gtk_widget_queue_draw (widget);
  assert_eventually (frames >= n, FRAMES_TIMEOUT_MS);
  gtk_widget_remove_tick_callback (widget, id);
}

static void
wait_frames (guint n)
{
  wait_frames_of (ui.window, n);
}

/* ---- finding widgets and reading them ------------------------------------------ */

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (child == NULL)
    g_error ("%s has no template child “%s”", g_type_name (type), name);
  return child;
}

/* The window adds its editor right after its first frame. */
static GpProfileEditor *
wait_for_editor (void)
{
  GtkStack *stack = template_child (ui.window, GP_TYPE_WINDOW, "content_stack");

  assert_eventually (gtk_stack_get_child_by_name (stack, "editor") != NULL, TIMEOUT_MS);
  return GP_PROFILE_EDITOR (gtk_stack_get_child_by_name (stack, "editor"));
}

#define EDITOR(name) template_child (ui.editor, GP_TYPE_PROFILE_EDITOR, name)
#define RESULT(name) template_child (ui.result_view, GP_TYPE_RESULT_VIEW, name)
#define PANEL(name) template_child (EDITOR ("test_panel"), GP_TYPE_TEST_PANEL, name)
#define KEYRING_ROW() ((AdwActionRow *) EDITOR ("keyring_row"))
#define KEYRING(name) template_child (EDITOR ("keyring_row"), GP_TYPE_KEYRING_ROW, name)

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
type_into (const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (EDITOR (row)), text);
}

static const char *
visible_page (void)
{
  return gtk_stack_get_visible_child_name (ui.content_stack);
}

static guint
n_listed (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (ui.profile_list)));
}

static gboolean
shown (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

/* The row's labels in the order they are shown: the profile's name, its
 * URL, then "Active" once the row has been the active profile's (the
 * row is built in code, so no template child names them). */
static GtkLabel *
row_label_in (GtkWidget *widget,
              guint     *n)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && (*n)-- == 0)
        return GTK_LABEL (child);
      if ((found = row_label_in (child, n)) != NULL)
        return found;
    }
  return NULL;
}

static GtkLabel *
row_label (GpProfileRow *row,
           guint         n)
{
  return row_label_in (GTK_WIDGET (row), &n);
}

static const char *
row_name (GpProfileRow *row)
{
  GtkLabel *label = row_label (row, 0);

  return label != NULL ? gtk_label_get_label (label) : NULL;
}

/* The row's first widget: the icon of its last verdict. */
static GtkWidget *
row_verdict_icon (GpProfileRow *row)
{
  GtkWidget *icon = gtk_widget_get_first_child (GTK_WIDGET (row));

  g_assert_true (GTK_IS_IMAGE (icon));
  return icon;
}

static gboolean
row_shows_active (GpProfileRow *row)
{
  GtkLabel *label = row_label (row, 2);

  return label != NULL && shown (label) && g_strcmp0 (gtk_label_get_label (label), "Active") == 0;
}

/* The sidebar row that shows NAME, if one is on screen. */
static GpProfileRow *
find_row_in (GtkWidget  *widget,
             const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GpProfileRow *found;

      if (GP_IS_PROFILE_ROW (child) && shown (child) && g_strcmp0 (row_name (GP_PROFILE_ROW (child)), name) == 0)
        return GP_PROFILE_ROW (child);
      if ((found = find_row_in (child, name)) != NULL)
        return found;
    }
  return NULL;
}

static GpProfileRow *
find_row (const char *name)
{
  return find_row_in (GTK_WIDGET (ui.profile_list), name);
}

/* Clicks a sidebar row: the list item's own "select" action, which its
 * click gesture runs. */
static void
click_row (const char *name)
{
  GpProfileRow *row = find_row (name);

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "listitem.select", "(bb)", FALSE, FALSE));
}

static char *
dup_selected_name (void)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (ui.profile_list));
  GObject *item = gtk_single_selection_get_selected_item (selection);
  char *name = NULL;

  if (item != NULL)
    g_object_get (item, "name", &name, NULL);
  return name;
}

typedef gboolean (*WidgetTest) (GtkWidget *widget, gconstpointer data);

/* The first shown descendant of WIDGET that passes TEST, depth first. */
static GtkWidget *
find_descendant (GtkWidget     *widget,
                 WidgetTest     test,
                 gconstpointer  data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (shown (child) && test (child, data))
        return child;
      if ((found = find_descendant (child, test, data)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_with_icon (GtkWidget     *widget,
                     gconstpointer  icon_name)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon_name) == 0;
}

static gboolean
is_toast (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
}

/* Closes every toast with its own close button, as a person would before
 * taking a screenshot. */
static void
dismiss_toasts (void)
{
  GtkWidget *toast;

  while ((toast = find_descendant (GTK_WIDGET (ui.window), is_toast, NULL)) != NULL)
    {
      GtkWidget *close = find_descendant (toast, is_button_with_icon, "window-close-symbolic");
      guint clicks = 0;

      g_assert_nonnull (close);
      g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &toast);
      /* A button that is not realized ignores activate. And under the
       * sanitizers on a busy machine, a click now and then did not close
       * the toast: click again, as a person would, and say so. */
      assert_eventually (toast == NULL || shown (close), TIMEOUT_MS);
      while (toast != NULL && shown (toast) && clicks < 5)
        {
          gtk_widget_activate (close);
          clicks++;
          wait_until (toast == NULL || !shown (toast), TIMEOUT_MS / 5);
        }
      if (clicks > 1)
        g_test_message ("a toast needed %u clicks on its close button", clicks);
      if (toast != NULL && shown (toast))
        {
          g_autofree char *message = g_strdup_printf ("a toast stayed after %u clicks on its close button", clicks);

          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
        }
      if (toast != NULL)
        {
          /* Hidden but not yet freed: the loop would find it again. */
          g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &toast);
          return;
        }
    }
}

/* The window's open message dialog, if any. */
static AdwMessageDialog *
open_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (ui.window))
      return l->data;
  return NULL;
}

/* Presses a button, as a click would, if a person could: it must be on
 * screen and sensitive. A button shows itself pressed for a moment and
 * only then emits "clicked": wait for the effect. */
static void
press (gpointer button)
{
  g_assert_true (shown (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
}

static gboolean
is_button_with_label (GtkWidget     *widget,
                      gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Answers the open dialog with the button labelled LABEL, and waits until
 * the dialog is gone. */
static void
respond (const char *label)
{
  AdwMessageDialog *dialog = open_dialog ();
  GtkWidget *button;

  g_assert_nonnull (dialog);
  button = find_descendant (GTK_WIDGET (dialog), is_button_with_label, label);
  g_assert_nonnull (button);
  press (button);
  assert_eventually (open_dialog () == NULL, TIMEOUT_MS);
}

/* Whether the JSON text has "KEY": VALUE (whatever the spacing), VALUE
 * being a literal such as true, false or null. */
static gboolean
json_says (const char *json,
           const char *key,
           const char *value)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", key);
  const char *p = strstr (json, quoted);

  if (p == NULL)
    return FALSE;
  p += strlen (quoted);
  while (g_ascii_isspace (*p))
    p++;
  if (*p++ != ':')
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  return g_str_has_prefix (p, value);
}

static gboolean
json_says_true (const char *json,
                const char *key)
{
  return json_says (json, key, "true");
}

static gboolean
has_error_style (const char *row)
{
  return gtk_widget_has_css_class (GTK_WIDGET (EDITOR (row)), "error");
}

static char *
read_profiles_file (void)
{
  char *contents = NULL;

  if (!g_file_get_contents (ui.profiles_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* An assertion that says, in words, what the window got wrong. */
#define check_that(cond, ...)                                     \
  G_STMT_START {                                                  \
    if (!(cond))                                                  \
      {                                                           \
        g_autofree char *what_ = g_strdup_printf (__VA_ARGS__);   \
        /* Logged too: the TAP line names the last one only. */   \
        g_test_message ("check failed: %s", what_);               \
        g_test_fail_printf ("%s", what_);                         \
      }                                                           \
  } G_STMT_END

/* ---- commands, the keyring, the clipboard ------------------------------------- */

/* Runs ARGV to its end with INPUT (or nothing) on its standard input, and
 * returns what it printed on standard output (and standard error too, if
 * MERGE_STDERR); it must succeed. */
static char *
run_command (const char         *input,
             const char * const *argv,
             gboolean            merge_stderr)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           (merge_stderr ? G_SUBPROCESS_FLAGS_STDERR_MERGE : G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);
  char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, flags, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &out, &err, &error));
  g_assert_no_error (error);
  /* A child killed by a signal has no exit status (asking is a critical):
   * name the signal instead, so that the failure says what happened. */
  if (g_subprocess_get_if_signaled (process))
    g_error ("“%s” was killed by signal %d: %s", command, g_subprocess_get_term_sig (process), err);
  if (!g_subprocess_get_successful (process))
    g_error ("“%s” failed (exit status %d): %s", command, g_subprocess_get_exit_status (process), err);
  return out;
}

/* `gatepass --headless ARGS...`, as a person at a terminal runs it. */
static char *
run_gatepass (const char *input,
              ...) G_GNUC_NULL_TERMINATED;

static char *
run_gatepass (const char *input,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("GATEPASS"));
  g_ptr_array_add (argv, (gpointer) "--headless");
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return run_command (input, (const char * const *) argv->pdata, FALSE);
}

/* What `secret-tool search --all profile ID` finds: every item of the
 * profile, of any schema. It prints the attributes on standard error. */
static char *
keyring_items_of (const char *id)
{
  const char *argv[] = { "secret-tool", "search", "--all", "profile", id, NULL };

  return run_command (NULL, argv, TRUE);
}

/* Locks the login keyring, as the screen locker or a timeout would. */
static void
lock_login_keyring (void)
{
  g_autoptr(GError) error = NULL;

  gp_test_keyring_lock (&error);
  g_assert_no_error (error);
}

/* Returns whether unlocking worked, so that a step can report it rather
 * than abort with the keyring locked. */
static gboolean
unlock_login_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (gp_test_keyring_unlock (&error))
    return TRUE;
  g_test_message ("cannot unlock the login keyring: %s", error->message);
  return FALSE;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* Whether the toast on screen says TEXT. */
static gboolean
toast_says (const char *text)
{
  GtkWidget *toast = find_descendant (GTK_WIDGET (ui.window), is_toast, NULL);

  return toast != NULL && find_descendant (toast, is_label_with_text, text) != NULL;
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *res,
                   gpointer      data)
{
  char **text = data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), res, &error);
  if (*text == NULL)
    *text = g_strdup_printf ("<cannot read the clipboard: %s>", error != NULL ? error->message : "empty");
}

/* What a paste would insert. */
static char *
read_clipboard (void)
{
  GdkClipboard *clipboard = gdk_display_get_clipboard (gtk_widget_get_display (GTK_WIDGET (ui.window)));
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &text);
  assert_eventually (text != NULL, TIMEOUT_MS);
  return text;
}

/* ---- screenshots --------------------------------------------------------------- */

/* Renders WINDOW as it is on screen, with its own renderer, into a PNG
 * in the screenshot directory; returns the file's path. */
static char *
save_window_screenshot (gpointer    window,
                        const char *filename,
                        goffset     min_bytes)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (ui.screenshot_dir, filename, NULL);
  GStatBuf buf;
  int width, height;

  assert_eventually (shown (widget) && gtk_widget_get_width (widget) > 0, TIMEOUT_MS);
  wait_frames_of (widget, 3);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_size, >, min_bytes);
  g_test_message ("screenshot: %s (%dx%d, %ld bytes)", path, width, height, (long) buf.st_size);
  return g_steal_pointer (&path);
}

static char *
save_screenshot (const char *filename)
{
  return save_window_screenshot (ui.window, filename, MIN_PNG_BYTES);
}

/* Asks for a new window size, as a person dragging the edge would, and
 * returns the width the window took: not less than its minimum. GTK 4
 * applies a default size only when it maps a new surface (and there is no
 * window manager here to resize it), so the window is unrealized and shown
 * again, as at startup. */
static int
resize_window (int width,
               int height)
{
  GtkWidget *widget = GTK_WIDGET (ui.window);

  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_unrealize (widget);
  gtk_window_set_default_size (GTK_WINDOW (ui.window), width, height);
  gtk_window_present (GTK_WINDOW (ui.window));
  assert_eventually (shown (widget), TIMEOUT_MS);
  wait_frames (3);
  g_test_message ("window resized to %dx%d (asked for %dx%d)",
                  gtk_widget_get_width (widget), gtk_widget_get_height (widget), width, height);
  return gtk_widget_get_width (widget);
}

/* ---- the steps ------------------------------------------------------------------ */

/* (a) No profiles: the window welcomes, the sidebar is empty. */
static void
test_empty_state (void)
{
  g_assert_false (g_file_test (ui.profiles_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (n_listed (), ==, 0);
  g_assert_cmpstr (visible_page (), ==, "welcome");
  g_assert_true (shown (ui.content_stack));
  g_free (save_screenshot ("window-welcome.png"));
}

/* (b) A profile made in the editor lands in the sidebar, in profiles.ini
 * (without its password) and in the keyring. */
static void
test_add_profile (void)
{
  g_autofree char *ini = NULL;
  g_autofree char *json = NULL;
  g_autofree char *selected = NULL;
  g_autoptr(GError) error = NULL;
  const char *password = g_getenv ("GP_LAB_PASSWORD");
  g_autofree char *user_line = g_strdup_printf ("username=%s\n", g_getenv ("GP_LAB_USER"));
  const char *argv[] = { g_getenv ("GATEPASS"), "--headless", "show", LAB_PROFILE, "--json", NULL };
  int status;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.new-profile", NULL));
  g_assert_cmpstr (visible_page (), ==, "editor");
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, "New Profile");
  /* The Active row is there from the start (the form does not jump at
   * the first save), and says why it cannot be used yet. */
  g_assert_true (shown (EDITOR ("active_row")));
  g_assert_false (gtk_widget_is_sensitive (EDITOR ("active_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (EDITOR ("active_row")), ==, "Save the profile first");

  type_into ("name_row", LAB_PROFILE);
  type_into ("url_row", g_getenv ("GP_LAB_BASIC"));
  adw_combo_row_set_selected (EDITOR ("auth_row"), 1);   /* Username and Password */
  g_assert_true (shown (EDITOR ("username_row")));
  g_assert_true (shown (EDITOR ("password_row")));
  type_into ("username_row", g_getenv ("GP_LAB_USER"));
  type_into ("password_row", password);

  press (EDITOR ("save_button"));
  assert_eventually (n_listed () == 1, TIMEOUT_MS);
  assert_eventually (find_row (LAB_PROFILE) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (visible_page (), ==, "editor");

  /* The editor now shows the saved profile: its password field is empty
   * again, and it asks the keyring whether a password is stored. */
  assert_eventually (g_str_equal (text_of (EDITOR ("password_row")), ""), TIMEOUT_MS);
  assert_eventually (shown (KEYRING_ROW ()), TIMEOUT_MS);
  assert_eventually (g_strcmp0 (adw_action_row_get_subtitle (KEYRING_ROW ()),
                                "A password is stored") == 0, TIMEOUT_MS);
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (EDITOR ("url_row")), "error"));
  g_assert_false (gtk_widget_is_sensitive (EDITOR ("save_button")));
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, LAB_PROFILE);
  g_assert_true (gtk_widget_is_sensitive (EDITOR ("active_row")));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (EDITOR ("active_row")), "Applies at once, without Save"));

  ini = read_profiles_file ();
  g_test_message ("profiles.ini:\n%s", ini);
  g_assert_nonnull (strstr (ini, "name=" LAB_PROFILE "\n"));
  g_assert_nonnull (strstr (ini, user_line));
  g_assert_nonnull (strstr (ini, "auth=password\n"));
  g_assert_null (strstr (ini, password));
  g_assert_null (strstr (ini, "p@ss"));
  g_assert_null (strstr (ini, "password="));

  /* Another reader of the keyring sees it too. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &json, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_says_true (json, "has_password"));
}

static gboolean
has_challenge_row (const char *scheme,
                   const char *realm)
{
  GtkWidget *list = RESULT ("challenges_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *title;

      if (!ADW_IS_PREFERENCES_ROW (row) || !shown (row))
        continue;
      title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      g_test_message ("challenge row: %s", title);
      if (strstr (title, scheme) != NULL && strstr (title, realm) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The verdict kept on disk for the profile, or -1: the window writes it
 * in the background, so a test waits for it with wait_until (). */
static int
saved_verdict (const char *profile_id)
{
  g_autofree char *dir = gp_result_store_default_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpStoredResult) stored = gp_result_store_load (dir, profile_id, &error);

  g_assert_no_error (error);
  return stored != NULL ? (int) gp_probe_result_get_verdict (stored->result) : -1;
}

static char *
saved_path (const char *profile_id)
{
  g_autofree char *dir = gp_result_store_default_dir ();
  g_autofree char *name = g_strconcat (profile_id, ".json", NULL);

  return g_build_filename (dir, name, NULL);
}

/* (c) "Test" on the saved profile: the password comes from the keyring,
 * squid asks for Basic, accepts it, and the echo server sees squid's
 * address. */
static void
test_run_test (void)
{
  const char *verdict;
  const char *id;

  g_assert_false (shown (ui.result_view));
  press (PANEL ("test_button"));
  assert_eventually (shown (ui.result_view) && *gtk_label_get_label (RESULT ("verdict_label")) != '\0',
                     PROBE_TIMEOUT_MS);

  verdict = gtk_label_get_label (RESULT ("verdict_label"));
  g_test_message ("verdict: %s; advice: %s", verdict, gtk_label_get_label (RESULT ("advice_label")));
  g_assert_cmpstr (verdict, ==, "Working");
  g_assert_true (shown (RESULT ("exit_ip_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (RESULT ("exit_ip_row")), ==, SQUID_EXIT_IP);
  g_assert_true (shown (RESULT ("challenges_list")));
  g_assert_true (has_challenge_row ("Basic", "Gatepass Basic"));

  /* The sidebar row tells the verdict too. */
  assert_eventually (gtk_widget_has_css_class (row_verdict_icon (find_row (LAB_PROFILE)), "success"), TIMEOUT_MS);
  /* Done: Test can be pressed again, Cancel is gone. */
  assert_eventually (gtk_widget_is_sensitive (PANEL ("test_button")), TIMEOUT_MS);
  g_assert_false (gtk_widget_get_visible (PANEL ("cancel_button")));
  g_assert_false (gtk_spinner_get_spinning (PANEL ("spinner")));
  g_assert_cmpstr (gtk_label_get_label (RESULT ("verdict_label")), ==, "Working");

  /* And kept for the next start, written in the background. */
  id = gp_profile_get_id (gp_profile_editor_get_profile (ui.editor));
  assert_eventually (saved_verdict (id) == GP_VERDICT_OK, TIMEOUT_MS);
}

/* (c2) The panel while a test runs and after Cancel: the old result is
 * never on screen for the new test; the direct probe is off until the
 * user turns it on; copying the address says so. */
static void
test_retest_and_cancel (void)
{
  g_assert_cmpstr (gtk_label_get_label (RESULT ("verdict_label")), ==, "Working");
  g_assert_true (g_str_has_prefix (gtk_label_get_label (PANEL ("status_label")), "Last tested "));
  /* Off by default: the echo service never learned our own address. */
  g_assert_false (gtk_switch_get_active (PANEL ("direct_switch")));
  g_assert_false (shown (RESULT ("direct_ip_row")));

  dismiss_toasts ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.result_view), "result.copy-exit-ip", NULL));
  assert_eventually (toast_says ("Address copied"), TIMEOUT_MS);
  dismiss_toasts ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.result_view), "result.copy-curl", NULL));
  assert_eventually (toast_says ("curl command copied"), TIMEOUT_MS);
  dismiss_toasts ();

  /* Test again: the old result goes at once, before any answer (the
   * actions, as a button's click comes after its press animation). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.editor), "editor.test", NULL));
  check_that (!shown (ui.result_view), "the previous result stays on screen while the new test runs");
  g_assert_true (shown (PANEL ("cancel_button")));
  g_assert_true (gtk_widget_activate_action (EDITOR ("test_panel"), "panel.cancel", NULL));
  check_that (!shown (ui.result_view), "a result is on screen after Cancel");
  g_assert_cmpstr (gtk_label_get_label (PANEL ("status_label")), ==, "Test cancelled");
  settle (1000);
  check_that (!shown (ui.result_view), "the cancelled test's result arrived after Cancel");

  /* With the direct probe on, the address without the proxy is shown. */
  gtk_switch_set_active (PANEL ("direct_switch"), TRUE);
  press (PANEL ("test_button"));
  assert_eventually (shown (ui.result_view) && shown (RESULT ("direct_ip_row")), PROBE_TIMEOUT_MS);
  g_assert_cmpstr (gtk_label_get_label (RESULT ("verdict_label")), ==, "Working");
  gtk_switch_set_active (PANEL ("direct_switch"), FALSE);
}

/* (c3) A proxy that never answers: the verdict says how long it waited,
 * not "Operation was cancelled", and Test Again With More Time waits
 * twice as long, once. */
static void
test_timeout_retry (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_ID);
  g_autofree char *url = g_strdup (text_of (EDITOR ("url_row")));
  GtkWidget *action;

  g_assert_true (g_settings_set_uint (settings, "test-timeout", 2));
  type_into ("url_row", g_getenv ("GP_LAB_HANG"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.editor), "editor.test", NULL));
  /* First the password, from the keyring; then the probe. */
  assert_eventually (g_strcmp0 (gtk_label_get_label (PANEL ("status_label")), "Testing, for up to 2 s…") == 0,
                     TIMEOUT_MS);
  assert_eventually (shown (ui.result_view), PROBE_TIMEOUT_MS);
  g_assert_cmpstr (gtk_label_get_label (RESULT ("verdict_label")), ==, "Timed Out");
  g_assert_cmpstr (adw_action_row_get_subtitle (RESULT ("detail_row")), ==, "No complete answer within 2 s");
  g_assert_cmpstr (gtk_label_get_label (PANEL ("status_label")), ==, "Tested just now, with the unsaved changes");

  action = RESULT ("action_button");
  g_assert_true (shown (action));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (action)), ==, "_Test Again With More Time");
  press (action);
  assert_eventually (g_strcmp0 (gtk_label_get_label (PANEL ("status_label")), "Testing, for up to 4 s…") == 0,
                     TIMEOUT_MS);
  press (PANEL ("cancel_button"));
  assert_eventually (!gp_test_panel_is_running (EDITOR ("test_panel")), TIMEOUT_MS);
  g_assert_cmpuint (g_settings_get_uint (settings, "test-timeout"), ==, 2);

  /* The edit undone: the profile as saved again, and its own result. */
  g_assert_true (g_settings_set_uint (settings, "test-timeout", 10));
  type_into ("url_row", url);
  assert_eventually (!gp_profile_editor_is_dirty (ui.editor), TIMEOUT_MS);
}

/* (c4) No password stored: the test asks for one, and its button takes the
 * user to the row where it is typed. */
static void
test_enter_password (void)
{
  GtkWidget *action;
  GtkWidget *focus;

  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, COPY_PROFILE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.editor), "editor.test", NULL));
  assert_eventually (shown (ui.result_view), PROBE_TIMEOUT_MS);
  g_assert_cmpstr (gtk_label_get_label (RESULT ("verdict_label")), ==, "Credentials Required");
  action = RESULT ("action_button");
  g_assert_true (shown (action));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (action)), ==, "_Enter the Password");
  press (action);
  assert_eventually ((focus = gtk_root_get_focus (GTK_ROOT (ui.window))) != NULL &&
                     gtk_widget_is_ancestor (focus, EDITOR ("password_row")), TIMEOUT_MS);
}

/* (s) Preferences names who runs the echo service, and offers the
 * default back once another is chosen. */
static void
test_preferences_operator (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_ID);
  GtkWindow *prefs = gp_preferences_window_new (settings);
  AdwActionRow *operator = template_child (prefs, GP_TYPE_PREFERENCES_WINDOW, "operator_row");
  GtkWidget *use_default = template_child (prefs, GP_TYPE_PREFERENCES_WINDOW, "default_button");
  g_autofree char *url = NULL;

  gtk_window_present (prefs);
  /* The case's echo service is the lab's: someone else's, by host. */
  g_assert_cmpstr (adw_action_row_get_subtitle (operator), ==, "Whoever runs 127.0.0.1, chosen here");
  g_assert_true (shown (use_default));
  press (use_default);
  assert_eventually (!shown (use_default), TIMEOUT_MS);
  url = g_settings_get_string (settings, "ip-echo-url");
  g_assert_cmpstr (url, ==, "https://api.ipify.org?format=json");
  g_assert_cmpstr (adw_action_row_get_subtitle (operator), ==, "ipify (api.ipify.org), a third party, the default");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (template_child (prefs, GP_TYPE_PREFERENCES_WINDOW,
                                                                        "echo_row"))), ==, url);
  gtk_window_destroy (prefs);
}

/* (c2) "Test All Profiles": the sidebar shows each verdict as it comes,
 * and the batch is written once it is done. */
static void
test_test_all (void)
{
  g_autofree char *id = g_strdup (gp_profile_get_id (gp_profile_editor_get_profile (ui.editor)));
  g_autofree char *path = saved_path (id);
  GtkWidget *icon = row_verdict_icon (find_row (LAB_PROFILE));

  /* Gone from disk, still known to the window: only Test All writes it again. */
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (saved_verdict (id), ==, -1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.test-all", NULL));
  assert_eventually (toast_says ("Profiles that work: 1 of 1"), PROBE_TIMEOUT_MS);
  g_assert_true (gtk_widget_has_css_class (icon, "success"));
  assert_eventually (saved_verdict (id) == GP_VERDICT_OK, TIMEOUT_MS);
}

/* (d) The Active switch makes the profile the one `export` uses: the
 * sidebar marks it, profiles.ini names it. */
static void
test_activate (void)
{
  GpProfileRow *row = find_row (LAB_PROFILE);
  g_autofree char *ini = NULL;

  g_assert_false (row_shows_active (row));
  g_assert_false (gtk_switch_get_active (EDITOR ("active_switch")));
  press (EDITOR ("active_switch"));
  assert_eventually (gtk_switch_get_state (EDITOR ("active_switch")), TIMEOUT_MS);
  assert_eventually (row_shows_active (row), TIMEOUT_MS);

  ini = read_profiles_file ();
  g_assert_nonnull (strstr (ini, "\nactive="));
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
}

/* Whether the Desktop Session group shows the status it fetched: until
 * then its rows say "Checking…", and the form below moves once it has. */
static gboolean
session_group_loaded (void)
{
  GtkWidget *group = EDITOR ("session_group");
  AdwActionRow *file_row = template_child (group, GP_TYPE_SESSION_GROUP, "file_row");

  return shown (group) && g_strcmp0 (adw_action_row_get_subtitle (file_row), "Checking…") != 0;
}

/* (e) What a person sees, saved for the metainfo and for review: the
 * window with a result, in the default and in the dark style. */
static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  graphene_point_t point;
  g_autofree char *main_png = NULL;
  g_autofree char *dark_png = NULL;

  g_assert_true (shown (ui.result_view));
  assert_eventually (session_group_loaded (), TIMEOUT_MS);
  assert_eventually (gtk_widget_get_height (RESULT ("verdict_box")) > 0, TIMEOUT_MS);

  /* Scrolled so that the verdict is in view, as a person would. */
  scroller = gtk_widget_get_ancestor (GTK_WIDGET (ui.result_view), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_true (gtk_widget_compute_point (RESULT ("verdict_box"),
                                           gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 120);
  dismiss_toasts ();
  main_png = save_screenshot ("main-window.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  assert_eventually (adw_style_manager_get_dark (style), TIMEOUT_MS);
  dark_png = save_screenshot ("main-window-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  assert_eventually (!adw_style_manager_get_dark (style), TIMEOUT_MS);
}

/* (f) Narrow, as on a phone: the sidebar and the editor fold into one
 * pane, and the editor, with its Back button, fills the window. */
static void
test_narrow (void)
{
  AdwLeaflet *leaflet = template_child (ui.window, GP_TYPE_WINDOW, "leaflet");
  g_autofree char *narrow_png = NULL;
  int width, height, narrow;

  gtk_window_get_default_size (GTK_WINDOW (ui.window), &width, &height);
  narrow = resize_window (400, height);
  /* Folded, the list comes first: choosing the profile opens the editor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.profile_list), "list.activate-item", "u", 0));
  assert_eventually (shown (ui.editor) && !shown (ui.profile_list), TIMEOUT_MS);
  narrow_png = save_screenshot ("main-window-narrow.png");

  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (shown (ui.editor));
  g_assert_false (shown (ui.profile_list));
  g_assert_nonnull (find_descendant (GTK_WIDGET (ui.editor), is_button_with_icon, "go-previous-symbolic"));
  g_assert_true (shown (ui.result_view));

  resize_window (width, height);
  g_assert_false (adw_leaflet_get_folded (leaflet));
  g_assert_true (shown (ui.profile_list));

  /* The window asks for 360 px at least (the narrowest phones); its
   * content should fit in 400. */
  check_that (narrow <= 400, "the window cannot be narrower than %d px, although it sets width-request "
             "360: the editor's header bar is too wide", narrow);
}

/* (g) Invalid input is marked where it is and never saved. */
static void
test_invalid_input (void)
{
  g_autofree char *before = read_profiles_file ();
  g_autofree char *after = NULL;
  const char *message;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.new-profile", NULL));
  g_assert_cmpstr (text_of (EDITOR ("url_row")), ==, "");
  g_assert_false (shown (ui.result_view));
  type_into ("name_row", "Broken");
  type_into ("url_row", "http://proxy.example");

  /* Checked as the user types, after a pause, and cleared once fixed;
   * untouched rows (the username) are not complained about. */
  assert_eventually (has_error_style ("url_row"), TIMEOUT_MS);
  g_assert_false (has_error_style ("name_row"));
  type_into ("url_row", "http://proxy.example:3128");
  assert_eventually (!has_error_style ("url_row") && !shown (EDITOR ("proxy_error")), TIMEOUT_MS);
  type_into ("url_row", "http://proxy.example");

  press (EDITOR ("save_button"));
  assert_eventually (has_error_style ("url_row"), TIMEOUT_MS);
  g_assert_false (has_error_style ("name_row"));
  g_assert_true (shown (EDITOR ("proxy_error")));
  message = gtk_label_get_label (EDITOR ("proxy_error"));
  g_test_message ("proxy error: %s", message);
  g_assert_nonnull (strstr (message, "port"));
  g_free (save_screenshot ("window-invalid-url.png"));

  /* A tab in the password: refused, as the header could not carry it. */
  type_into ("url_row", "http://proxy.example:3128");
  adw_combo_row_set_selected (EDITOR ("auth_row"), 1);
  type_into ("username_row", "bob");
  type_into ("password_row", "tab\there");
  press (EDITOR ("save_button"));
  assert_eventually (has_error_style ("password_row"), TIMEOUT_MS);
  g_assert_false (has_error_style ("url_row"));
  g_assert_false (shown (EDITOR ("proxy_error")));
  g_assert_false (has_error_style ("username_row"));
  g_assert_true (shown (EDITOR ("auth_error")));
  message = gtk_label_get_label (EDITOR ("auth_error"));
  g_test_message ("auth error: %s", message);
  g_assert_nonnull (strstr (message, "control character"));

  settle (500);
  after = read_profiles_file ();
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (n_listed (), ==, 1);
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
}

/* (h) A profile added from a terminal shows up while the window is open,
 * and the unsaved draft in the editor stays as it is. */
static void
test_external_add (void)
{
  const char *argv[] = { g_getenv ("GATEPASS"), "--headless", "add", CLI_PROFILE, CLI_PROFILE_URL,
                         "--auth", "none", NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("gatepass add failed: %s", err);

  assert_eventually (n_listed () == 2, TIMEOUT_MS);
  assert_eventually (find_row (CLI_PROFILE) != NULL, TIMEOUT_MS);
  g_assert_nonnull (find_row (LAB_PROFILE));

  g_assert_cmpstr (visible_page (), ==, "editor");
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, "Broken");
  g_assert_cmpstr (text_of (EDITOR ("password_row")), ==, "tab\there");
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
}

/* (i) Search narrows the list, and clearing it brings everything back. */
static void
test_search (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.search", NULL));
  assert_eventually (shown (ui.search_entry), TIMEOUT_MS);

  gtk_editable_set_text (GTK_EDITABLE (ui.search_entry), "command");
  assert_eventually (n_listed () == 1, TIMEOUT_MS);
  assert_eventually (find_row (LAB_PROFILE) == NULL, TIMEOUT_MS);
  g_assert_nonnull (find_row (CLI_PROFILE));

  gtk_editable_set_text (GTK_EDITABLE (ui.search_entry), "no such profile");
  assert_eventually (n_listed () == 0, TIMEOUT_MS);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (ui.window, GP_TYPE_WINDOW, "sidebar_stack")),
                   ==, "no-results");

  gtk_editable_set_text (GTK_EDITABLE (ui.search_entry), "");
  assert_eventually (n_listed () == 2, TIMEOUT_MS);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (ui.window, GP_TYPE_WINDOW, "sidebar_stack")),
                   ==, "list");
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, "Broken");
}

/* (j) An unsaved edit is never dropped by choosing another profile. */
static void
test_unsaved_edits (void)
{
  g_autofree char *before = read_profiles_file ();
  g_autofree char *after = NULL;
  g_autofree char *selected = NULL;
  AdwMessageDialog *dialog;

  /* The draft from (g): choosing a profile asks first. */
  g_assert_null (open_dialog ());
  click_row (LAB_PROFILE);
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  dialog = open_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  g_free (save_window_screenshot (dialog, "dialog-unsaved.png", 4 * 1024));
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, "Broken");
  selected = dup_selected_name ();
  g_assert_null (selected);

  /* Cancel: the draft stays. */
  respond ("_Cancel");
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, "Broken");
  g_assert_cmpstr (text_of (EDITOR ("url_row")), ==, "http://proxy.example:3128");
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));

  /* Discard: the chosen profile is shown. */
  click_row (LAB_PROFILE);
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  respond ("_Discard");
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), LAB_PROFILE) == 0, TIMEOUT_MS);
  g_assert_cmpstr (text_of (EDITOR ("url_row")), ==, g_getenv ("GP_LAB_BASIC"));
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
  g_clear_pointer (&selected, g_free);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, LAB_PROFILE);

  /* An edit of a saved profile: kept, and the selection stays with it. */
  type_into ("name_row", "Lab Basic, renamed");
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
  click_row (CLI_PROFILE);
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  settle (200);
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, "Lab Basic, renamed");
  g_clear_pointer (&selected, g_free);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, LAB_PROFILE);

  respond ("_Discard");
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), CLI_PROFILE) == 0, TIMEOUT_MS);
  g_clear_pointer (&selected, g_free);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, CLI_PROFILE);

  after = read_profiles_file ();
  g_assert_cmpstr (after, ==, before);
  g_assert_null (strstr (after, "renamed"));
}

/* (k) A search that hides the profile in the editor, once cleared, shows
 * that profile's row selected again. */
static void
test_search_keeps_selection (void)
{
  g_autofree char *selected = dup_selected_name ();

  g_assert_cmpstr (selected, ==, CLI_PROFILE);
  gtk_editable_set_text (GTK_EDITABLE (ui.search_entry), "office");
  assert_eventually (n_listed () == 1, TIMEOUT_MS);
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, CLI_PROFILE);

  gtk_editable_set_text (GTK_EDITABLE (ui.search_entry), "");
  assert_eventually (n_listed () == 2, TIMEOUT_MS);
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, CLI_PROFILE);
  g_clear_pointer (&selected, g_free);
  selected = dup_selected_name ();
  check_that (g_strcmp0 (selected, CLI_PROFILE) == 0,
             "after the search is cleared, no row is selected although the editor shows “%s”", CLI_PROFILE);
}

/* (l) A profile changed from a terminal while the window shows it, with no
 * edit of its own: the editor follows, and has nothing to save. */
static void
test_external_edit (void)
{
  const char *new_url = "http://127.0.0.1:3130";
  const char *argv[] = { g_getenv ("GATEPASS"), "--headless", "edit", CLI_PROFILE, "--url", new_url, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  GpProfileRow *row;
  int status;

  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, CLI_PROFILE);
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("gatepass edit failed: %s", err);

  /* The sidebar follows... */
  row = find_row (CLI_PROFILE);
  g_assert_nonnull (row);
  assert_eventually (g_strcmp0 (gtk_label_get_label (row_label (row, 1)),
                                new_url) == 0, TIMEOUT_MS);

  /* ...and so should the editor: else it claims unsaved changes nobody
   * made, and saving any edit would put the old URL back. It follows
   * from an idle callback: wait for it (under the sanitizers, 200 ms were
   * not always enough). */
  wait_until (g_strcmp0 (text_of (EDITOR ("url_row")), new_url) == 0 && !gp_profile_editor_is_dirty (ui.editor),
              TIMEOUT_MS);
  check_that (g_strcmp0 (text_of (EDITOR ("url_row")), new_url) == 0 && !gp_profile_editor_is_dirty (ui.editor),
             "after an external edit of the profile it shows, the editor still shows the old URL “%s” "
             "and reports unsaved changes (dirty: %d)",
             text_of (EDITOR ("url_row")), gp_profile_editor_is_dirty (ui.editor));
}

#define MASK         "••••••••"

#define EXPORT(name) template_child (EDITOR ("export_view"), GP_TYPE_EXPORT_VIEW, name)

static char *
dup_export_text (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (EXPORT ("text_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
export_shows (const char *expected)
{
  g_autofree char *text = dup_export_text ();

  return g_strcmp0 (text, expected) == 0;
}

/* Long URLs wrap anywhere, never with a hyphen that would read as part
 * of the password: the whole text carries a tag that says so. */
static gboolean
export_never_hyphenates (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (EXPORT ("text_view"));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "no-hyphens");
  GtkTextIter start, end;
  gboolean hyphens = TRUE;

  if (tag == NULL)
    return FALSE;
  g_object_get (tag, "insert-hyphens", &hyphens, NULL);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return !hyphens && gtk_text_iter_starts_tag (&start, tag) && gtk_text_iter_ends_tag (&end, tag);
}

static void
assert_export_shows (const char *expected)
{
  g_autofree char *text = NULL;

  if (wait_until (export_shows (expected), TIMEOUT_MS))
    return;
  text = dup_export_text ();
  g_test_message ("the export view shows:\n%s\nexpected:\n%s", text, expected);
  g_assert_cmpstr (text, ==, expected);
}

/* The password in the URLs of `export` output, as `export` encodes it:
 * between "://USER:" and the "@" that ends the user information. */
static char *
encoded_password_in (const char *output)
{
  g_autofree char *prefix = g_strdup_printf ("://%s:", g_getenv ("GP_LAB_USER"));
  const char *start = strstr (output, prefix);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (prefix);
  end = strchr (start, '@');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static char *
masked (const char *output,
        const char *encoded)
{
  g_autoptr(GString) text = g_string_new (output);

  g_string_replace (text, encoded, MASK, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* (m) The export preview of the saved Office profile: the variables as
 * `gatepass --headless export` prints them, with the password masked until
 * revealed; another format; and Copy, which copies the real thing. */
/* Counts the announcements of "known, no password" from the keyring row
 * of a profile whose password is stored. */
static void
record_keyring_state (GpKeyringRow *row,
                      GParamSpec   *pspec,
                      guint        *half_states)
{
  if (gp_keyring_row_get_known (row) && !gp_keyring_row_get_has_password (row))
    (*half_states)++;
}

static void
test_export_preview (void)
{
  const char *password = g_getenv ("GP_LAB_PASSWORD");
  g_autofree char *cli_sh = run_gatepass (NULL, "export", LAB_PROFILE, NULL);
  g_autofree char *cli_fish = run_gatepass (NULL, "export", LAB_PROFILE, "--format", "fish", NULL);
  g_autofree char *encoded = encoded_password_in (cli_sh);
  g_autofree char *decoded = g_uri_unescape_string (encoded, NULL);
  g_autofree char *masked_sh = masked (cli_sh, encoded);
  g_autofree char *masked_fish = masked (cli_fish, encoded);
  g_autofree char *text = NULL;
  g_autofree char *clipboard = NULL;
  g_auto(GStrv) lines = NULL;
  GtkWidget *export_view = EDITOR ("export_view");
  GtkDropDown *format = EXPORT ("format_dropdown");
  GtkToggleButton *reveal = EXPORT ("reveal_button");
  guint half_states = 0;

  g_test_message ("gatepass --headless export %s:\n%s", LAB_PROFILE, masked_sh);
  /* The command's own output is what the view is held to: the password
   * percent-encoded, and only so. */
  g_assert_cmpstr (decoded, ==, password);
  g_assert_cmpstr (encoded, !=, password);
  g_assert_null (strstr (cli_sh, password));
  g_assert_nonnull (strstr (masked_sh, "export http_proxy="));
  g_assert_nonnull (strstr (masked_sh, MASK));

  /* From (l): another profile is shown; the Office one is a click away.
   * Every state the keyring row announces on the way is recorded: the
   * preview acts on each, and "known, no password" would hide a password
   * that the user revealed before the keyring answered. */
  g_signal_connect (EDITOR ("keyring_row"), "notify::known", G_CALLBACK (record_keyring_state), &half_states);
  g_signal_connect (EDITOR ("keyring_row"), "notify::has-password", G_CALLBACK (record_keyring_state),
                    &half_states);
  click_row (LAB_PROFILE);
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), LAB_PROFILE) == 0, TIMEOUT_MS);
  assert_eventually (gp_keyring_row_get_known (GP_KEYRING_ROW (EDITOR ("keyring_row"))), TIMEOUT_MS);
  g_assert_true (gp_keyring_row_get_has_password (GP_KEYRING_ROW (EDITOR ("keyring_row"))));
  g_assert_cmpuint (half_states, ==, 0);
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
  g_assert_true (shown (export_view));
  g_assert_cmpuint (gtk_drop_down_get_selected (format), ==, 0);   /* sh */
  g_assert_false (gtk_toggle_button_get_active (reveal));

  /* Masked: everything else as `export` prints it, no password at all. */
  assert_export_shows (masked_sh);
  g_assert_true (export_never_hyphenates ());
  text = dup_export_text ();
  g_assert_null (strstr (text, password));
  g_assert_null (strstr (text, encoded));

  /* Revealed: exactly what `export` prints. */
  press (reveal);
  assert_eventually (gtk_toggle_button_get_active (reveal), TIMEOUT_MS);
  assert_export_shows (cli_sh);

  /* fish: `set -gx` lines (and a `set -e` of the variables the profile
   * does not set), still revealed. */
  gtk_drop_down_set_selected (format, 1);
  assert_export_shows (cli_fish);
  g_clear_pointer (&text, g_free);
  text = dup_export_text ();
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_assert_true (g_str_has_prefix (lines[i], "set -gx ") || g_str_has_prefix (lines[i], "set -e "));
  for (const char * const *name = (const char * const[]) { "http_proxy", "https_proxy", "HTTP_PROXY",
                                                           "HTTPS_PROXY", NULL }; *name != NULL; name++)
    {
      g_autofree char *line = g_strdup_printf ("\nset -gx %s '", *name);
      g_autofree char *with_newline = g_strconcat ("\n", text, NULL);

      g_assert_nonnull (strstr (with_newline, line));
    }
  g_assert_null (strstr (text, "export "));

  /* Hidden again. */
  press (reveal);
  assert_eventually (!gtk_toggle_button_get_active (reveal), TIMEOUT_MS);
  assert_export_shows (masked_fish);

  /* Shown and at once hidden again, as two quick clicks do (a click
   * toggles at once; only keyboard activation waits): once the keyring has
   * answered, the password must still be hidden. */
  g_signal_emit_by_name (reveal, "clicked");
  g_assert_true (gtk_toggle_button_get_active (reveal));
  g_signal_emit_by_name (reveal, "clicked");
  g_assert_false (gtk_toggle_button_get_active (reveal));
  settle (500);
  g_clear_pointer (&text, g_free);
  text = dup_export_text ();
  if (g_strcmp0 (text, masked_fish) != 0)
    g_test_message ("the export view shows, with Show Password off:\n%s", text);
  check_that (g_strcmp0 (text, masked_fish) == 0,
             "Show Password clicked on and at once off again: the button is off, but once the keyring "
             "answers, the export view shows the password");

  gtk_drop_down_set_selected (format, 0);
  assert_export_shows (masked_sh);

  /* Copy: the real variables, password included, and a toast that says
   * so. */
  dismiss_toasts ();
  g_assert_true (gtk_widget_activate_action (export_view, "export.copy", NULL));
  assert_eventually (toast_says ("Copied, including the password"), TIMEOUT_MS);
  clipboard = read_clipboard ();
  g_assert_nonnull (strstr (clipboard, encoded));
  g_assert_cmpstr (clipboard, ==, cli_sh);
  /* The view itself stays masked. */
  g_assert_false (gtk_toggle_button_get_active (reveal));
  g_assert_true (export_shows (masked_sh));
  dismiss_toasts ();
}

/* (n) The keyring locked and unlocked elsewhere while the window is open:
 * the keyring row follows it at once and offers Unlock while it is
 * locked; Test then shows the keyring-error result, with Unlock too. */
static void
test_keyring_locked (void)
{
  AdwActionRow *row = KEYRING_ROW ();
  GtkWidget *unlock = KEYRING ("unlock_button");
  gboolean unlocked;

  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, LAB_PROFILE);
  assert_eventually (g_strcmp0 (adw_action_row_get_subtitle (row), "A password is stored") == 0, TIMEOUT_MS);
  g_assert_false (shown (unlock));

  /* Locked elsewhere: the row follows the keyring, with nothing asked. */
  lock_login_keyring ();
  wait_until (shown (unlock), TIMEOUT_MS);
  g_test_message ("keyring row: “%s”", adw_action_row_get_subtitle (row));
  check_that (shown (unlock), "the login keyring was locked, but the keyring row offers no Unlock (it says “%s”)",
              adw_action_row_get_subtitle (row));
  check_that (strstr (adw_action_row_get_subtitle (row), "locked") != NULL,
              "the keyring row does not say that the keyring is locked: “%s”", adw_action_row_get_subtitle (row));
  check_that (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (unlock)), "keyring.unlock") == 0,
              "the Unlock button runs “%s”", gtk_actionable_get_action_name (GTK_ACTIONABLE (unlock)));

  /* Test cannot read the password: its result says so, with Unlock. */
  if (!gtk_widget_is_sensitive (PANEL ("test_button")))
    g_test_message ("Test is not available");
  press (PANEL ("test_button"));
  wait_until (shown (ui.result_view) &&
              g_strcmp0 (gtk_label_get_label (RESULT ("verdict_label")), "Keyring Unavailable") == 0,
              PROBE_TIMEOUT_MS);
  check_that (g_strcmp0 (gtk_label_get_label (RESULT ("verdict_label")), "Keyring Unavailable") == 0,
              "Test with the keyring locked shows “%s”, not the keyring-error result",
              gtk_label_get_label (RESULT ("verdict_label")));
  check_that (shown (RESULT ("action_button")) &&
              g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (RESULT ("action_button"))),
                         "editor.unlock-keyring") == 0,
              "the keyring-error result offers no Unlock");

  /* Unlocked elsewhere: the row says so at once, again with nothing asked. */
  unlocked = unlock_login_keyring ();
  g_assert_true (unlocked);
  assert_eventually (!shown (unlock) &&
                     g_strcmp0 (adw_action_row_get_subtitle (row), "A password is stored") == 0, TIMEOUT_MS);
  g_assert_true (shown (row));
}

/* (o) Duplicate: a copy with the same proxy and username, without the
 * password, shown in the editor. */
static void
test_duplicate (void)
{
  g_autofree char *ini = NULL;
  g_autofree char *json = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *office_json = NULL;

  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, LAB_PROFILE);
  g_assert_cmpuint (n_listed (), ==, 2);
  g_assert_null (find_row (COPY_PROFILE));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.duplicate", NULL));
  assert_eventually (find_row (COPY_PROFILE) != NULL, TIMEOUT_MS);
  g_assert_cmpuint (n_listed (), ==, 3);
  g_assert_null (open_dialog ());

  /* The editor shows the copy, selected in the sidebar. */
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), COPY_PROFILE) == 0, TIMEOUT_MS);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, COPY_PROFILE);
  g_assert_cmpstr (visible_page (), ==, "editor");
  g_assert_cmpstr (text_of (EDITOR ("url_row")), ==, g_getenv ("GP_LAB_BASIC"));
  g_assert_cmpuint (adw_combo_row_get_selected (EDITOR ("auth_row")), ==, 1);
  g_assert_cmpstr (text_of (EDITOR ("username_row")), ==, g_getenv ("GP_LAB_USER"));
  g_assert_cmpstr (text_of (EDITOR ("password_row")), ==, "");
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
  /* Office stays the active one. */
  check_that (!gtk_switch_get_active (EDITOR ("active_switch")), "the copy is shown as the active profile");

  /* No password came along. */
  assert_eventually (shown (KEYRING_ROW ()), TIMEOUT_MS);
  assert_eventually (g_strcmp0 (adw_action_row_get_subtitle (KEYRING_ROW ()),
                                "No password is stored") == 0, TIMEOUT_MS);
  /* And the export preview says so, as `export` prints nothing. */
  assert_eventually (shown (template_child (EDITOR ("export_view"), GP_TYPE_EXPORT_VIEW, "no_password_label")),
                     TIMEOUT_MS);
  g_assert_false (shown (template_child (EDITOR ("export_view"), GP_TYPE_EXPORT_VIEW, "text_frame")));
  g_assert_false (shown (template_child (EDITOR ("export_view"), GP_TYPE_EXPORT_VIEW, "reveal_button")));

  ini = read_profiles_file ();
  g_assert_nonnull (strstr (ini, "name=" COPY_PROFILE "\n"));
  g_assert_nonnull (strstr (ini, "name=" LAB_PROFILE "\n"));

  json = run_gatepass (NULL, "show", COPY_PROFILE, "--json", NULL);
  g_test_message ("gatepass --headless show \"%s\" --json:\n%s", COPY_PROFILE, json);
  g_assert_true (json_says (json, "has_password", "false"));
  g_assert_true (json_says (json, "active", "false"));
  office_json = run_gatepass (NULL, "show", LAB_PROFILE, "--json", NULL);
  g_assert_true (json_says_true (office_json, "has_password"));
  g_assert_true (json_says_true (office_json, "active"));
}

/* (p) Delete asks first; Cancel keeps the profile, Delete removes it with
 * its password, and the editor moves on to another profile. */
static void
test_delete (void)
{
  g_autofree char *id = NULL;
  g_autofree char *items = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *list = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *deleted = g_strdup_printf ("“%s” deleted", COPY_PROFILE);
  AdwMessageDialog *dialog;

  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, COPY_PROFILE);
  id = g_strdup (gp_profile_get_id (gp_profile_editor_get_profile (ui.editor)));

  /* A password for the copy, set from a terminal: Delete must take it. */
  g_free (run_gatepass ("copy's own secret", "set-password", COPY_PROFILE, NULL));
  items = keyring_items_of (id);
  g_assert_nonnull (strstr (items, id));
  g_assert_true (gtk_widget_activate_action (EDITOR ("keyring_row"), "keyring.refresh", NULL));
  assert_eventually (g_strcmp0 (adw_action_row_get_subtitle (KEYRING_ROW ()),
                                "A password is stored") == 0, TIMEOUT_MS);

  /* Cancel: nothing happens. */
  dismiss_toasts ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.delete", NULL));
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  dialog = open_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “" COPY_PROFILE "”?");
  respond ("_Cancel");
  settle (300);
  g_assert_nonnull (find_row (COPY_PROFILE));
  g_assert_cmpuint (n_listed (), ==, 3);
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, COPY_PROFILE);
  ini = read_profiles_file ();
  g_assert_nonnull (strstr (ini, "name=" COPY_PROFILE "\n"));
  g_clear_pointer (&items, g_free);
  items = keyring_items_of (id);
  g_assert_nonnull (strstr (items, id));

  /* Delete. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.delete", NULL));
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  respond ("_Delete");
  assert_eventually (find_row (COPY_PROFILE) == NULL, TIMEOUT_MS);
  assert_eventually (n_listed () == 2, TIMEOUT_MS);
  assert_eventually (toast_says (deleted), TIMEOUT_MS);

  g_clear_pointer (&ini, g_free);
  ini = read_profiles_file ();
  g_assert_null (strstr (ini, COPY_PROFILE));
  g_assert_null (strstr (ini, id));
  g_assert_nonnull (strstr (ini, "name=" LAB_PROFILE "\n"));
  g_clear_pointer (&items, g_free);
  items = keyring_items_of (id);
  g_assert_cmpstr (items, ==, "");
  list = run_gatepass (NULL, "list", "--json", NULL);
  g_assert_null (strstr (list, COPY_PROFILE));
  g_assert_null (strstr (list, id));
  g_assert_nonnull (strstr (list, LAB_PROFILE));

  /* The editor shows another profile, selected. */
  assert_eventually (gp_profile_editor_get_profile (ui.editor) != NULL &&
                     g_strcmp0 (gp_profile_get_id (gp_profile_editor_get_profile (ui.editor)), id) != 0, TIMEOUT_MS);
  g_assert_cmpstr (visible_page (), ==, "editor");
  g_assert_cmpstr (text_of (EDITOR ("name_row")), !=, COPY_PROFILE);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, text_of (EDITOR ("name_row")));
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
  g_test_message ("after the delete the editor shows “%s”", selected);
  dismiss_toasts ();
}

static void
assert_accel (const char *action,
              const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (ui.app), action);
  g_autofree char *all = g_strjoinv (", ", accels);

  g_test_message ("%s: %s", action, all);
  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static gboolean
shortcuts_window_built (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

static GtkWindow *
open_shortcuts_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* (q) The keyboard: the shortcuts are there, and the window that lists
 * them opens and closes. */
static void
test_keyboard (void)
{
  GtkWindow *shortcuts;

  assert_accel ("win.new-profile", "<Control>n");
  assert_accel ("win.search", "<Control>f");
  assert_accel ("win.save", "<Control>s");
  assert_accel ("win.test", "<Control>t");

  g_assert_null (open_shortcuts_window ());
  /* Not built before it is asked for (it would slow the start down). */
  g_assert_false (shortcuts_window_built ());
  assert_accel ("win.show-help-overlay", "<Control>question");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.show-help-overlay", NULL));
  assert_eventually (open_shortcuts_window () != NULL && shown (open_shortcuts_window ()), TIMEOUT_MS);
  shortcuts = open_shortcuts_window ();
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (ui.window));
  gtk_window_close (shortcuts);
  assert_eventually (open_shortcuts_window () == NULL, TIMEOUT_MS);
  g_assert_true (gp_profile_editor_get_profile (ui.editor) != NULL);
}

static void reopen_window (void);
static void open_window_again (void);

/* (r) Opened again with profiles saved: the sidebar lists them and the
 * editor shows the first one, filled in right after the first frame. */
static void
test_reopen (void)
{
  gpointer closed = ui.window;

  /* A test of every profile that cannot end by itself (a proxy that
   * never answers, 10 s): closing the window stops it, and nothing keeps
   * the window alive. */
  g_free (run_gatepass (NULL, "add", "Hanging", g_getenv ("GP_LAB_HANG"), "--auth", "none", NULL));
  assert_eventually (n_listed () == 3, TIMEOUT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.test-all", NULL));
  /* Office's answer comes at once (it was "Keyring Unavailable"). */
  assert_eventually (gtk_widget_has_css_class (row_verdict_icon (find_row (LAB_PROFILE)), "success"), PROBE_TIMEOUT_MS);
  g_object_add_weak_pointer (G_OBJECT (closed), &closed);
  gtk_window_destroy (GTK_WINDOW (ui.window));
  assert_eventually (closed == NULL, 3000);
  g_free (run_gatepass (NULL, "remove", "Hanging", NULL));
  settle (100);
  open_window_again ();
  g_assert_true (GP_IS_WINDOW (ui.window));

  assert_eventually (n_listed () == 2, TIMEOUT_MS);
  /* The sidebar is sorted by name: "From ..." before "Office". */
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), CLI_PROFILE) == 0, TIMEOUT_MS);
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));

  click_row (LAB_PROFILE);
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), LAB_PROFILE) == 0, TIMEOUT_MS);
  /* Office's last result (of the test of all, which ended for this profile
   * before the window closed), read back from the file, with when it ran. */
  assert_eventually (shown (ui.result_view), TIMEOUT_MS);
  g_assert_cmpint (saved_verdict (gp_profile_get_id (gp_profile_editor_get_profile (ui.editor))), ==,
                   GP_VERDICT_OK);
  g_assert_cmpstr (gtk_label_get_label (RESULT ("verdict_label")), ==, "Working");
  g_assert_true (g_str_has_prefix (gtk_label_get_label (PANEL ("status_label")), "Last tested "));
}


/* (r2) Closed while a save is on its way: the window goes at once, the
 * save runs to its end in the manager, and what the editor says when it
 * ends ("Saved") reaches no window. The save keeps the editor alive
 * after the window is freed: a handler of the window's left on it was a
 * use after free (the sanitizers' build aborts on it). */
static void
test_save_then_close (void)
{
  g_autofree char *ini = NULL;

  type_into ("name_row", "Office Renamed");
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
  press (EDITOR ("save_button"));
  /* A pressed button clicks when it is drawn released (250 ms): the save
   * has started when Save is off, and not ended while the edit is still
   * unsaved. */
  assert_eventually (!gtk_widget_is_sensitive (EDITOR ("save_button")), TIMEOUT_MS);
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
  reopen_window ();

  assert_eventually (find_row ("Office Renamed") != NULL, TIMEOUT_MS);
  g_assert_null (find_row (LAB_PROFILE));
  ini = read_profiles_file ();
  g_assert_nonnull (strstr (ini, "name=Office Renamed\n"));
  /* Whatever the old editor had left to do has happened by now. */
  settle (500);
  g_assert_cmpuint (n_listed (), ==, 1);
}

/* (j2) Save in the unsaved-edits dialog: the edit is saved, then the
 * chosen profile is shown; with an invalid edit nothing is saved and
 * the editor stays, the wrong row marked. */
static void
test_unsaved_save (void)
{
  g_autofree char *ini = NULL;
  g_autofree char *before = NULL;
  g_autofree char *selected = NULL;

  type_into ("name_row", "Office, saved on the way");
  click_row (CLI_PROFILE);
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  respond ("_Save");
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), CLI_PROFILE) == 0, TIMEOUT_MS);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, CLI_PROFILE);
  ini = read_profiles_file ();
  g_assert_nonnull (strstr (ini, "name=Office, saved on the way\n"));
  g_assert_nonnull (find_row ("Office, saved on the way"));

  before = g_steal_pointer (&ini);
  type_into ("url_row", "http://");
  click_row ("Office, saved on the way");
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  respond ("_Save");
  assert_eventually (has_error_style ("url_row"), TIMEOUT_MS);
  settle (300);
  g_assert_cmpstr (text_of (EDITOR ("name_row")), ==, CLI_PROFILE);
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
  g_clear_pointer (&selected, g_free);
  selected = dup_selected_name ();
  g_assert_cmpstr (selected, ==, CLI_PROFILE);
  ini = read_profiles_file ();
  g_assert_cmpstr (ini, ==, before);
}

/* (j3) Closing the window with an unsaved edit: Save saves it, and then
 * the window closes, from inside the save's own ending. */
static void
test_close_unsaved_save (void)
{
  gpointer closed = ui.window;
  g_autofree char *ini = NULL;

  type_into ("name_row", "Office, saved on closing");
  gtk_window_close (GTK_WINDOW (ui.window));
  assert_eventually (open_dialog () != NULL, TIMEOUT_MS);
  g_assert_true (shown (ui.window));
  g_object_add_weak_pointer (G_OBJECT (closed), &closed);
  respond ("_Save");
  assert_eventually (closed == NULL, TIMEOUT_MS);
  ini = read_profiles_file ();
  g_assert_nonnull (strstr (ini, "name=Office, saved on closing\n"));

  open_window_again ();
  g_assert_nonnull (find_row ("Office, saved on closing"));
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
}

/* (s) The Desktop Session group: where the active profile is applied. */

#define SESSION(name) template_child (EDITOR ("session_group"), GP_TYPE_SESSION_GROUP, name)

static char *
session_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "environment.d", "60-gatepass.conf", NULL);
}

/* The session file's text, or NULL when there is none. */
static char *
read_session_file (void)
{
  g_autofree char *path = session_file ();
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static const char *
session_subtitle (const char *row)
{
  const char *subtitle = adw_action_row_get_subtitle (SESSION (row));

  return subtitle != NULL ? subtitle : "";
}

/* What a row's icon says to a screen reader (its tooltip says the same),
 * or "" when it shows none. */
static const char *
session_mark (const char *icon)
{
  const char *text = gtk_widget_get_tooltip_text (SESSION (icon));

  return shown (SESSION (icon)) && text != NULL ? text : "";
}

static gboolean
session_row_says (const char *row,
                  const char *icon,
                  const char *mark,
                  const char *subtitle_part)
{
  return g_str_equal (session_mark (icon), mark) && strstr (session_subtitle (row), subtitle_part) != NULL;
}

static gboolean
is_label_containing (GtkWidget     *widget,
                     gconstpointer  part)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL;
}

static gboolean
is_problem_row_containing (GtkWidget     *widget,
                           gconstpointer  part)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_has_css_class (widget, "session-problem") &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), part) != NULL;
}

/* A problem in the group, after its places, that says PART. */
static gboolean
session_problem_says (const char *part)
{
  GtkWidget *row = find_descendant (EDITOR ("session_group"), is_problem_row_containing, part);

  if (row != NULL)
    g_test_message ("problem: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return row != NULL;
}

static gboolean
toast_contains (const char *part)
{
  GtkWidget *toast = find_descendant (GTK_WIDGET (ui.window), is_toast, NULL);

  return toast != NULL && find_descendant (toast, is_label_containing, part) != NULL;
}

static gboolean
session_file_has (const char *part)
{
  g_autofree char *contents = read_session_file ();

  return contents != NULL && strstr (contents, part) != NULL;
}

static void
log_session_group (void)
{
  const char *rows[] = { "file_row", "running_row", "gnome_row", "login_row" };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_test_message ("%s: %s", rows[i], session_subtitle (rows[i]));
}

/* Scrolled to the top, where the group is, for its screenshot. */
static void
scroll_editor_to_top (void)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (EDITOR ("session_group"), GTK_TYPE_SCROLLED_WINDOW);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 0);
}

/* Scrolled so that WIDGET is near the top, as a person would. */
static void
scroll_editor_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t point;

  /* Laid out again after the last change: until then it has no place. */
  assert_eventually (gtk_widget_get_height (widget) > 0, TIMEOUT_MS);
  g_assert_true (gtk_widget_compute_point (widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 300);
  g_test_message ("scrolled to %g of %g (for %g)", gtk_adjustment_get_value (adjustment),
                  gtk_adjustment_get_upper (adjustment), point.y);
}

/* (s1) The Active switch applies the profile: the group shows where, and
 * the session file is there, without the password; switched off, the
 * group goes and so does the file. */
/* A profile without a stored password, made active: the session gets the
 * proxy without credentials, and the toast says so in the window's words,
 * naming no command. */
static void
test_session_no_password (void)
{
  press (EDITOR ("active_switch"));
  assert_eventually (gtk_switch_get_state (EDITOR ("active_switch")), TIMEOUT_MS);
  assert_eventually (toast_contains ("No password is stored"), TIMEOUT_MS);
  g_assert_false (toast_contains ("gatepass --headless"));
  assert_eventually (session_file_has ("http_proxy=http://127.0.0.1:"), TIMEOUT_MS);
}

static void
test_session_activate (void)
{
  g_autofree char *path = session_file ();
  g_autofree char *contents = NULL;
  GStatBuf buf;

  g_assert_false (shown (EDITOR ("session_group")));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  press (EDITOR ("active_switch"));
  assert_eventually (gtk_switch_get_state (EDITOR ("active_switch")), TIMEOUT_MS);
  assert_eventually (shown (EDITOR ("session_group")), TIMEOUT_MS);
  assert_eventually (session_row_says ("file_row", "file_icon", "Applied", "Without credentials"), TIMEOUT_MS);
  log_session_group ();

  /* The file itself: the proxy, no password, for its owner only. */
  contents = read_session_file ();
  g_assert_nonnull (contents);
  g_test_message ("%s:\n%s", path, contents);
  g_assert_nonnull (strstr (contents, "http_proxy="));
  g_assert_null (strstr (contents, g_getenv ("GP_LAB_PASSWORD")));
  g_assert_null (strstr (contents, "p%40ss"));
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  /* This machine has no systemd user manager; the session bus takes the
   * rest, and the row says both. */
  g_assert_true (g_str_has_prefix (session_subtitle ("running_row"), "Apps started from now on get the proxy"));
  g_assert_cmpstr (session_subtitle ("gnome_row"), ==, "Not requested");
  g_assert_cmpstr (session_mark ("gnome_icon"), ==, "");
  g_assert_cmpstr (session_mark ("login_icon"), ==, "Applied");
  g_assert_false (session_problem_says (""));
  /* What could not be reached is shown by the group, not toasted. */
  g_assert_false (toast_contains ("Not applied to"));

  dismiss_toasts ();
  scroll_editor_to_top ();
  g_free (save_screenshot ("session-group.png"));

  press (EDITOR ("active_switch"));
  assert_eventually (!gtk_switch_get_state (EDITOR ("active_switch")), TIMEOUT_MS);
  assert_eventually (!shown (EDITOR ("session_group")), TIMEOUT_MS);
  /* The file goes in the manager's thread; on a loaded machine the group
   * may hide first. */
  assert_eventually (!g_file_test (path, G_FILE_TEST_EXISTS), TIMEOUT_MS);
}

static void
set_option (const char *name,
            gboolean    on)
{
  gtk_switch_set_active (EDITOR (name), on);
}

static gboolean
gnome_proxy_mode_is (const char *expected)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.gnome.system.proxy");
  g_autofree char *mode = g_settings_get_string (settings, "mode");

  g_test_message ("org.gnome.system.proxy mode: %s", mode);
  return g_str_equal (mode, expected);
}

/* (s2) The two options are saved with Save, as the other fields are:
 * "Session File Holds the Password" puts the percent-encoded password in
 * the session file of the active profile, and takes it out again. */
static void
test_session_options (void)
{
  const char *password = g_getenv ("GP_LAB_PASSWORD");
  g_autofree char *encoded = g_uri_escape_string (password, NULL, FALSE);
  g_autofree char *userinfo = g_strdup_printf ("%s:%s@", g_getenv ("GP_LAB_USER"), encoded);
  g_autofree char *ini = NULL;
  g_autofree char *contents = NULL;

  assert_eventually (session_row_says ("file_row", "file_icon", "Applied", "Without credentials"), TIMEOUT_MS);
  g_assert_false (session_file_has (encoded));
  g_assert_true (gtk_widget_is_sensitive (EDITOR ("session_credentials_row")));
  g_assert_false (gtk_switch_get_active (EDITOR ("session_credentials_switch")));
  g_assert_false (gtk_switch_get_active (EDITOR ("gnome_proxy_switch")));

  /* Each is an edit, which Save saves; undone, it is none. */
  set_option ("gnome_proxy_switch", TRUE);
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
  set_option ("gnome_proxy_switch", FALSE);
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));

  set_option ("session_credentials_switch", TRUE);
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
  dismiss_toasts ();
  scroll_editor_to (EDITOR ("session_credentials_row"));
  g_free (save_screenshot ("session-options.png"));
  /* Not yet: only Save applies it. */
  g_assert_false (session_file_has (encoded));
  press (EDITOR ("save_button"));
  assert_eventually (session_file_has (userinfo), TIMEOUT_MS);
  contents = read_session_file ();
  g_assert_null (strstr (contents, password));
  assert_eventually (session_row_says ("file_row", "file_icon", "Applied", "With the password, on disk"), TIMEOUT_MS);
  g_assert_false (gp_profile_editor_is_dirty (ui.editor));
  g_assert_true (gtk_switch_get_active (EDITOR ("session_credentials_switch")));
  ini = read_profiles_file ();
  g_test_message ("profiles.ini:\n%s", ini);
  g_assert_null (strstr (ini, encoded));
  dismiss_toasts ();
  scroll_editor_to_top ();
  g_free (save_screenshot ("session-group-password.png"));

  set_option ("session_credentials_switch", FALSE);
  press (EDITOR ("save_button"));
  assert_eventually (session_row_says ("file_row", "file_icon", "Applied", "Without credentials"), TIMEOUT_MS);
  g_assert_true (session_file_has ("http_proxy="));
  g_assert_false (session_file_has (encoded));
  g_assert_false (session_file_has (g_getenv ("GP_LAB_USER")));

  /* GNOME's settings: the window's own (GSettings' memory backend is this
   * process's), set on Save and given back on Save. */
  g_assert_cmpstr (session_subtitle ("gnome_row"), ==, "Not requested");
  g_assert_true (gnome_proxy_mode_is ("none"));
  set_option ("gnome_proxy_switch", TRUE);
  press (EDITOR ("save_button"));
  assert_eventually (session_row_says ("gnome_row", "gnome_icon", "Applied", "GNOME apps use the proxy"), TIMEOUT_MS);
  g_assert_true (gnome_proxy_mode_is ("manual"));
  set_option ("gnome_proxy_switch", FALSE);
  press (EDITOR ("save_button"));
  assert_eventually (g_str_equal (session_subtitle ("gnome_row"), "Not requested"), TIMEOUT_MS);
  g_assert_true (gnome_proxy_mode_is ("none"));
}

/* (s3) The session file removed by hand, and then the record of what was
 * applied: shown again, the profile's group says so. A profile that sends no credentials cannot put any in the
 * file. */
static void
test_session_removed_by_hand (void)
{
  g_autofree char *path = session_file ();
  g_autofree char *record = g_build_filename (g_get_user_state_dir (), "gatepass", "session.json", NULL);

  assert_eventually (session_row_says ("file_row", "file_icon", "Applied", "Without credentials"), TIMEOUT_MS);
  g_assert_false (session_problem_says (""));
  g_assert_cmpint (g_unlink (path), ==, 0);

  click_row (CLI_PROFILE);
  assert_eventually (g_str_equal (text_of (EDITOR ("name_row")), CLI_PROFILE), TIMEOUT_MS);
  assert_eventually (!shown (EDITOR ("session_group")), TIMEOUT_MS);
  g_assert_false (gtk_widget_is_sensitive (EDITOR ("session_credentials_row")));

  click_row (LAB_PROFILE);
  assert_eventually (shown (EDITOR ("session_group")), TIMEOUT_MS);
  assert_eventually (session_problem_says ("was removed by hand"), TIMEOUT_MS);
  log_session_group ();
  g_assert_true (session_row_says ("file_row", "file_icon", "Not applied", "Removed by hand"));
  g_assert_true (gtk_widget_is_sensitive (EDITOR ("session_credentials_row")));
  dismiss_toasts ();
  scroll_editor_to_top ();
  g_free (save_screenshot ("session-group-problem.png"));

  /* With no record of what was applied, the group says that nothing is,
   * though the profile is the active one. */
  g_assert_cmpint (g_unlink (record), ==, 0);
  click_row (CLI_PROFILE);
  assert_eventually (!shown (EDITOR ("session_group")), TIMEOUT_MS);
  click_row (LAB_PROFILE);
  assert_eventually (session_problem_says ("is the active profile, but it is not applied to the session"),
                     TIMEOUT_MS);
  g_assert_true (session_row_says ("file_row", "file_icon", "Not applied", "Not applied"));
}

/* (x) Inside the Flatpak (GP_TEST_SANDBOX=flatpak): the active profile's
 * group says, in words and without CLI flags, that the session file still
 * works at the next login, that GNOME's settings and the running session
 * can't be changed from the sandbox, and names the one command for a
 * terminal now. */
static void
test_sandbox_advice (void)
{
  GtkWidget *advice = SESSION ("sandbox_row");
  g_autofree char *copied = NULL;
  const char *text;

  assert_eventually (session_group_loaded (), TIMEOUT_MS);
  log_session_group ();
  g_assert_true (shown (advice));
  text = adw_action_row_get_subtitle (ADW_ACTION_ROW (advice));
  g_test_message ("sandbox_row: %s", text);
  g_assert_nonnull (strstr (text, "The session file still works: apps get the proxy at the next login"));
  g_assert_nonnull (strstr (text, "GNOME’s proxy settings and the apps already running can’t be changed"));
  g_assert_nonnull (strstr (text, "flatpak run --command=gatepass io.github.gatepass.Gatepass --headless export"));
  g_assert_null (strstr (text, "sandbox cannot reach it"));
  g_assert_true (session_row_says ("file_row", "file_icon", "Applied", "Without credentials"));
  g_assert_true (session_row_says ("running_row", "running_icon", "Not applied",
                                   "Can’t be changed from the Flatpak sandbox"));
  g_assert_true (session_row_says ("login_row", "login_icon", "Applied", "at the next login, from the session file"));
  g_assert_false (session_problem_says (""));

  /* Copy puts the command itself on the clipboard. */
  g_assert_true (gtk_widget_activate_action (advice, "session.copy-command", NULL));
  assert_eventually (toast_says ("Command copied"), TIMEOUT_MS);
  copied = read_clipboard ();
  g_assert_true (g_str_has_prefix (copied, "eval \"$(flatpak run --command=gatepass "));

  dismiss_toasts ();
  scroll_editor_to (EDITOR ("session_group"));
  g_free (save_screenshot ("session-group-sandbox.png"));
}

/* (x2) Import inside the Flatpak: GNOME's settings on the host are out of
 * reach, and the toast says so rather than "nothing to import". */
static void
test_sandbox_import (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.import", NULL));
  assert_eventually (toast_contains ("GNOME’s proxy settings were not read: the Flatpak sandbox cannot reach it"),
                     TIMEOUT_MS);
  g_assert_true (toast_contains ("No proxy variables are set"));
  g_assert_false (toast_contains ("Nothing to import"));
  g_assert_cmpuint (n_listed (), ==, 0);
}

/* (x3) Inside the Flatpak, the first start with profiles whose passwords
 * were stored by a native install (here: a username, no stored password)
 * says once where they are; dismissed, settings remember it and the next
 * start says nothing. */
#define NOTICE() ((GpPasswordsNotice *) EDITOR ("passwords_notice"))
#define NOTICE_KEY "sandbox-passwords-notice-dismissed"

/* The keyring has answered the editor's row: the notice's own listing,
 * asked first, has then had its answer too. A second start of the
 * window asks a keyring that gnome-keyring may still be activating: under
 * the sanitizers that took longer than TIMEOUT_MS, so this waits as long
 * as a probe may. */
static void
wait_keyring_answered (void)
{
  assert_eventually (gp_keyring_row_get_known (EDITOR ("keyring_row")), PROBE_TIMEOUT_MS);
  settle (300);
}

/* The next start: a new window of the same application, which reads the
 * same settings (GSettings' memory backend is this process's). */
static void
open_window_again (void)
{
  g_application_activate (G_APPLICATION (ui.app));
  ui.window = GP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (ui.app)));
  ui.editor = wait_for_editor ();
  ui.profile_list = template_child (ui.window, GP_TYPE_WINDOW, "profile_list");
  ui.content_stack = template_child (ui.window, GP_TYPE_WINDOW, "content_stack");
  ui.search_entry = template_child (ui.window, GP_TYPE_WINDOW, "search_entry");
  ui.result_view = PANEL ("result_view");
  assert_eventually (g_strcmp0 (visible_page (), "editor") == 0, TIMEOUT_MS);
}

static void
reopen_window (void)
{
  gpointer closed = ui.window;

  g_object_add_weak_pointer (G_OBJECT (closed), &closed);
  gtk_window_destroy (GTK_WINDOW (ui.window));
  assert_eventually (closed == NULL, 3000);
  open_window_again ();
}

static void
test_sandbox_passwords_notice (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_ID);

  g_assert_false (g_settings_get_boolean (settings, NOTICE_KEY));
  assert_eventually (gp_passwords_notice_is_revealed (NOTICE ()), TIMEOUT_MS);
  g_assert_true (shown (NOTICE ()));
  g_assert_nonnull (find_descendant (GTK_WIDGET (NOTICE ()), is_label_containing,
                                     "Passwords saved by Gatepass outside Flatpak stay in the login keyring"));
  g_assert_nonnull (find_descendant (GTK_WIDGET (NOTICE ()), is_label_containing, "Enter them again here"));
  /* Made active, the profile's group adds the sandbox's advice: both in
   * one screenshot, for review. */
  press (EDITOR ("active_switch"));
  assert_eventually (shown (SESSION ("sandbox_row")), TIMEOUT_MS);
  g_assert_true (gp_passwords_notice_is_revealed (NOTICE ()));
  dismiss_toasts ();
  scroll_editor_to_top ();
  wait_frames (2);
  g_free (save_screenshot ("window-sandbox-passwords-notice.png"));

  press (find_descendant (GTK_WIDGET (NOTICE ()), is_button_with_label, "_Dismiss"));
  assert_eventually (!gp_passwords_notice_is_revealed (NOTICE ()), TIMEOUT_MS);
  g_assert_true (g_settings_get_boolean (settings, NOTICE_KEY));

  reopen_window ();
  wait_keyring_answered ();
  g_assert_false (gp_passwords_notice_is_revealed (NOTICE ()));
}

/* (x4) One of the profiles has its password in this keyring: the
 * passwords were not left behind, and nothing is said. */
static void
test_sandbox_no_notice (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_ID);

  wait_keyring_answered ();
  g_assert_false (gp_passwords_notice_is_revealed (NOTICE ()));
  g_assert_false (g_settings_get_boolean (settings, NOTICE_KEY));
}

/* ---- setting up ------------------------------------------------------------------ */

static const char *
need_env (const char *name)
{
  const char *value = g_getenv (name);

  /* Nothing is skipped: without the lab, the keyring or X, this fails. */
  if (value == NULL || *value == '\0')
    {
      g_print ("Bail out! %s is not set: run as keyring-session.sh proxy-lab.sh xvfb.sh test-window\n", name);
      exit (1);
    }
  return value;
}

static void
start_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_ID);
  g_autofree char *echo = g_strconcat (need_env ("GP_LAB_ECHO_HTTP"), "/", NULL);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  /* The memory backend is one per process: the app reads these. */
  g_assert_true (g_settings_set_string (settings, "ip-echo-url", echo));
  g_assert_true (g_settings_set_uint (settings, "test-timeout", 10));

  ui.app = gp_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (ui.app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (ui.app)));

  /* Animations would make what a step reads depend on timing. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_application_activate (G_APPLICATION (ui.app));
  window = gtk_application_get_active_window (GTK_APPLICATION (ui.app));
  g_assert_true (GP_IS_WINDOW (window));

  ui.window = GP_WINDOW (window);
  ui.editor = wait_for_editor ();
  ui.profile_list = template_child (ui.window, GP_TYPE_WINDOW, "profile_list");
  ui.content_stack = template_child (ui.window, GP_TYPE_WINDOW, "content_stack");
  ui.search_entry = template_child (ui.window, GP_TYPE_WINDOW, "search_entry");
  ui.result_view = PANEL ("result_view");

  assert_eventually (shown (ui.window), TIMEOUT_MS);
  wait_frames (1);
}

static void
stop_window (void)
{
  gtk_window_destroy (GTK_WINDOW (ui.window));
  settle (100);
  g_clear_object (&ui.app);
}

/* ---- each case on its own ------------------------------------------------------ */

/* What a case starts from, made before its window opens (through
 * `gatepass --headless`, as a person at a terminal would) or, for the
 * draft and the selection, in the window right after it has opened. */
typedef enum
{
  GIVEN_OFFICE      = 1 << 0,   /* LAB_PROFILE, squid with Basic, its password stored */
  GIVEN_ACTIVE      = 1 << 1,   /* ... and active */
  GIVEN_TESTED      = 1 << 2,   /* ... and tested once (`test`), so it has a last result */
  GIVEN_CLI         = 1 << 3,   /* CLI_PROFILE, without authentication */
  GIVEN_COPY        = 1 << 4,   /* COPY_PROFILE, same proxy and username, no password */
  GIVEN_DRAFT       = 1 << 5,   /* an unsaved new profile "Broken" in the editor */
  SELECT_OFFICE     = 1 << 6,
  SELECT_CLI        = 1 << 7,
  SELECT_COPY       = 1 << 8,
  GIVEN_SANDBOX     = 1 << 9,   /* everything, the CLI's seeding too, as inside the Flatpak */
} Given;

typedef struct
{
  const char *path;
  Given       given;
  void      (*run) (void);
} Case;

static void
seed_profiles (Given given)
{
  const char *echo = need_env ("GP_LAB_ECHO_HTTP");
  g_autofree char *echo_url = g_strconcat (echo, "/", NULL);

  if (given & GIVEN_OFFICE)
    g_free (run_gatepass (g_getenv ("GP_LAB_PASSWORD"), "add", LAB_PROFILE, g_getenv ("GP_LAB_BASIC"),
                          "--username", g_getenv ("GP_LAB_USER"), "--password-stdin", NULL));
  if (given & GIVEN_ACTIVE)
    g_free (run_gatepass (NULL, "activate", LAB_PROFILE, NULL));
  if (given & GIVEN_TESTED)
    g_free (run_gatepass (NULL, "test", LAB_PROFILE, "--ip-echo", echo_url, NULL));
  if (given & GIVEN_CLI)
    g_free (run_gatepass (NULL, "add", CLI_PROFILE, CLI_PROFILE_URL, "--auth", "none", NULL));
  if (given & GIVEN_COPY)
    g_free (run_gatepass (NULL, "add", COPY_PROFILE, g_getenv ("GP_LAB_BASIC"),
                          "--username", g_getenv ("GP_LAB_USER"), "--auth", "password", NULL));
}

/* The draft that (g) leaves: invalid, so that it cannot be saved. */
static void
make_draft (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ui.window), "win.new-profile", NULL));
  type_into ("name_row", "Broken");
  type_into ("url_row", "http://proxy.example:3128");
  adw_combo_row_set_selected (EDITOR ("auth_row"), 1);
  type_into ("username_row", "bob");
  type_into ("password_row", "tab\there");
  g_assert_true (gp_profile_editor_is_dirty (ui.editor));
}

static void
select_profile (const char *name)
{
  click_row (name);
  assert_eventually (g_strcmp0 (text_of (EDITOR ("name_row")), name) == 0, TIMEOUT_MS);
}

static void
run_case_here (gconstpointer data)
{
  const Case *c = data;

  seed_profiles (c->given);
  start_window ();
  if (c->given & (GIVEN_OFFICE | GIVEN_CLI | GIVEN_COPY))
    assert_eventually (g_strcmp0 (visible_page (), "editor") == 0, TIMEOUT_MS);
  if (c->given & SELECT_OFFICE)
    select_profile (LAB_PROFILE);
  if (c->given & SELECT_CLI)
    select_profile (CLI_PROFILE);
  if (c->given & SELECT_COPY)
    select_profile (COPY_PROFILE);
  if (c->given & GIVEN_DRAFT)
    make_draft ();
  c->run ();
  stop_window ();
}

/* Runs one case in a process of its own: its own window, application,
 * settings (GSettings' memory backend is per process) and folders. The
 * lab, the keyring and the X server are shared; every case makes
 * profiles of its own, with ids of their own. Its output comes back as
 * comments. */
static void
run_case_in_child (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { "timeout", "-k", "5", "100", self_path, NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  env = g_environ_setenv (env, "GP_WINDOW_CASE", c->path, TRUE);
  /* Set before the case's process starts: gp-sandbox reads it once. */
  if (c->given & GIVEN_SANDBOX)
    env = g_environ_setenv (env, "GP_TEST_SANDBOX", "flatpak", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_test_message ("%s", lines[i]);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_test_message ("stderr: %s", lines[i]);

  if (!g_spawn_check_wait_status (status, &error))
    g_test_fail_printf ("%s failed in its own process: %s", c->path, error->message);
  else if (strstr (out, "\nok 1 ") == NULL && !g_str_has_prefix (out, "ok 1 "))
    g_test_fail_printf ("%s did not run in its own process", c->path);
}

static const Case cases[] = {
  { "/window/empty-state", 0, test_empty_state },
  { "/window/add-profile", 0, test_add_profile },
  { "/window/run-test", GIVEN_OFFICE, test_run_test },
  { "/window/retest-and-cancel", GIVEN_OFFICE | GIVEN_TESTED, test_retest_and_cancel },
  { "/window/timeout-retry", GIVEN_OFFICE, test_timeout_retry },
  { "/window/enter-password", GIVEN_OFFICE | GIVEN_COPY | SELECT_COPY, test_enter_password },
  { "/window/preferences-operator", 0, test_preferences_operator },
  { "/window/test-all", GIVEN_OFFICE | GIVEN_TESTED, test_test_all },
  { "/window/activate", GIVEN_OFFICE, test_activate },
  { "/window/screenshots", GIVEN_OFFICE | GIVEN_ACTIVE | GIVEN_TESTED, test_screenshots },
  { "/window/narrow", GIVEN_OFFICE | GIVEN_TESTED, test_narrow },
  { "/window/invalid-input", GIVEN_OFFICE, test_invalid_input },
  { "/window/external-add", GIVEN_OFFICE | GIVEN_DRAFT, test_external_add },
  { "/window/search", GIVEN_OFFICE | GIVEN_CLI | GIVEN_DRAFT, test_search },
  { "/window/unsaved-edits", GIVEN_OFFICE | GIVEN_CLI | GIVEN_DRAFT, test_unsaved_edits },
  { "/window/search-keeps-selection", GIVEN_OFFICE | GIVEN_CLI | SELECT_CLI, test_search_keeps_selection },
  { "/window/external-edit", GIVEN_OFFICE | GIVEN_CLI | SELECT_CLI, test_external_edit },
  { "/window/export-preview", GIVEN_OFFICE | GIVEN_CLI | SELECT_OFFICE, test_export_preview },
  { "/window/keyring-locked", GIVEN_OFFICE, test_keyring_locked },
  { "/window/duplicate", GIVEN_OFFICE | GIVEN_ACTIVE | GIVEN_CLI | SELECT_OFFICE, test_duplicate },
  { "/window/delete", GIVEN_OFFICE | GIVEN_ACTIVE | GIVEN_CLI | GIVEN_COPY | SELECT_COPY, test_delete },
  { "/window/keyboard", GIVEN_OFFICE, test_keyboard },
  { "/window/reopen", GIVEN_OFFICE | GIVEN_CLI | SELECT_OFFICE, test_reopen },
  { "/window/save-then-close", GIVEN_OFFICE, test_save_then_close },
  { "/window/unsaved-save", GIVEN_OFFICE | GIVEN_CLI | SELECT_OFFICE, test_unsaved_save },
  { "/window/close-unsaved-save", GIVEN_OFFICE, test_close_unsaved_save },
  { "/window/session-activate", GIVEN_OFFICE, test_session_activate },
  { "/window/session-no-password", GIVEN_OFFICE | GIVEN_COPY | SELECT_COPY, test_session_no_password },
  { "/window/session-options", GIVEN_OFFICE | GIVEN_ACTIVE, test_session_options },
  { "/window/session-removed-by-hand", GIVEN_OFFICE | GIVEN_ACTIVE | GIVEN_CLI | SELECT_OFFICE,
    test_session_removed_by_hand },
  { "/window/sandbox-advice", GIVEN_OFFICE | GIVEN_ACTIVE | GIVEN_SANDBOX, test_sandbox_advice },
  { "/window/sandbox-import", GIVEN_SANDBOX, test_sandbox_import },
  { "/window/sandbox-passwords-notice", GIVEN_COPY | GIVEN_SANDBOX, test_sandbox_passwords_notice },
  { "/window/sandbox-no-notice", GIVEN_OFFICE | GIVEN_COPY | GIVEN_SANDBOX | SELECT_COPY, test_sandbox_no_notice },
  /* On the host the login keyring is the app's own: no notice either. */
  { "/window/host-no-notice", GIVEN_COPY, test_sandbox_no_notice },
};

/* In a case's own process: fresh folders for it, before GLib reads them. */
static void
use_own_folders (void)
{
  g_autofree char *base = g_dir_make_tmp ("window-case-XXXXXX", NULL);
  const char *names[] = { "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };

  g_assert_nonnull (base);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (base, names[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (names[i], dir, TRUE);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *only = g_getenv ("GP_WINDOW_CASE");
  const char *dir;
  int status;

  if (only != NULL)
    use_own_folders ();
  g_test_init (&argc, &argv, NULL);

  need_env ("DISPLAY");
  need_env ("DBUS_SESSION_BUS_ADDRESS");
  need_env ("GATEPASS");
  need_env ("GP_LAB_BASIC");
  need_env ("GP_LAB_USER");
  need_env ("GP_LAB_PASSWORD");

  if (only == NULL)
    {
      /* Every case, each in a process of its own, in this order. */
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        g_test_add_data_func (cases[i].path, &cases[i], run_case_in_child);
      return g_test_run ();
    }

  ui.profiles_path = g_build_filename (g_get_user_config_dir (), "gatepass", "profiles.ini", NULL);
  dir = g_getenv ("GATEPASS_SCREENSHOT_DIR");
  if (dir == NULL || *dir == '\0')
    dir = g_test_get_dir (G_TEST_BUILT);
  ui.screenshot_dir = g_canonicalize_filename (dir, NULL);
  g_assert_cmpint (g_mkdir_with_parents (ui.screenshot_dir, 0755), ==, 0);
  g_timeout_add (10, keep_going, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (g_str_equal (cases[i].path, only))
      g_test_add_data_func (cases[i].path, &cases[i], run_case_here);
  status = g_test_run ();
  g_clear_pointer (&ui.profiles_path, g_free);
  g_clear_pointer (&ui.screenshot_dir, g_free);
  return status;
}
