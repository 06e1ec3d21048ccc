/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-sandbox.h"
#include "gp-session.h"
#include "gp-session-group.h"

/* The editor's "Desktop Session" group, for the active profile: one row
 * per place the profile is applied to (the session file, the running
 * session, GNOME's proxy settings, the login), with the facts of
 * gp_session_get_status (), and under them what differs from what was
 * applied. The status is read in a worker thread: it asks the bus. */
struct _GpSessionGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *file_row;
  GtkImage            *file_icon;
  AdwActionRow        *running_row;
  GtkImage            *running_icon;
  AdwActionRow        *gnome_row;
  GtkImage            *gnome_icon;
  AdwActionRow        *login_row;
  GtkImage            *login_icon;
  AdwActionRow        *sandbox_row;   /* inside the Flatpak: what to do instead */
  GPtrArray           *problem_rows;  /* what differs, after the places */

  char                *profile_id;    /* the profile shown, or NULL: hidden */
  char                *profile_name;
  GCancellable        *cancellable;   /* the fetch under way */
};

G_DEFINE_FINAL_TYPE (GpSessionGroup, gp_session_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The one command a shell can use today from inside the sandbox: the
 * session file only takes effect at the next login. */
#define SANDBOX_EXPORT_COMMAND \
  "eval \"$(flatpak run --command=gatepass " APP_ID " --headless export)\""

typedef enum
{
  MARK_NONE,          /* not requested: the subtitle says so */
  MARK_APPLIED,
  MARK_PARTLY,
  MARK_NOT_APPLIED,
} Mark;

/* --- one row ------------------------------------------------------------------ */

/* The icon says it at a glance; its name says it to a screen reader. */
static void
set_mark (GtkImage *icon,
          Mark      mark)
{
  static const struct { const char *icon; const char *style; const char *label; } marks[] = {
    [MARK_NONE] = { NULL, NULL, NULL },
    [MARK_APPLIED] = { "object-select-symbolic", "success", N_("Applied") },
    [MARK_PARTLY] = { "dialog-warning-symbolic", "warning", N_("Partly applied") },
    [MARK_NOT_APPLIED] = { "dialog-warning-symbolic", "warning", N_("Not applied") },
  };
  GtkWidget *widget = GTK_WIDGET (icon);

  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_set_visible (widget, mark != MARK_NONE);
  if (mark == MARK_NONE)
    return;
  gtk_image_set_from_icon_name (icon, marks[mark].icon);
  gtk_widget_add_css_class (widget, marks[mark].style);
  gtk_widget_set_tooltip_text (widget, _(marks[mark].label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _(marks[mark].label), -1);
}

static void
set_row (AdwActionRow *row,
         GtkImage     *icon,
         Mark          mark,
         const char   *subtitle)
{
  adw_action_row_set_subtitle (row, subtitle);
  set_mark (icon, mark);
}

/* The core's reasons are clauses ("no systemd user manager is on the
 * session bus"); a subtitle is a sentence. */
static char *
capitalized (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char head[8] = { 0 };

  g_unichar_to_utf8 (g_unichar_totitle (first), head);
  return g_strconcat (head, g_utf8_next_char (text), NULL);
}

/* A path in the home folder as ~/…, as people write it. */
char *
gp_session_group_shorten_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize length = strlen (home);

  if (length > 1 && g_str_has_prefix (path, home) && path[length] == '/')
    return g_strconcat ("~", path + length, NULL);
  return g_strdup (path);
}

/* --- the places ------------------------------------------------------------------ */

static void
show_file (GpSessionGroup  *self,
           GpSessionStatus *status)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  Mark mark = MARK_NOT_APPLIED;

  if (status->session_file == NULL)
    {
      set_row (self->file_row, self->file_icon, MARK_NOT_APPLIED, _("Not written"));
      return;
    }

  path = gp_session_group_shorten_path (status->session_file);
  if (g_strcmp0 (status->file_state, "applied") == 0)
    {
      mark = MARK_APPLIED;
      text = g_strdup_printf (status->file_credentials ? _("With the password, on disk: %s")
                                                       : _("Without credentials: %s"), path);
    }
  else if (g_strcmp0 (status->file_state, "missing") == 0)
    text = g_strdup_printf (_("Removed by hand: %s"), path);
  else
    text = g_strdup_printf (_("Changed by hand since Gatepass wrote it: %s"), path);
  set_row (self->file_row, self->file_icon, mark, text);
}

static const char *
reason_of (const GpSessionPlace *place)
{
  return place->reason != NULL ? place->reason : _("it could not be reached");
}

static gboolean
is_sandboxed (const GpSessionPlace *place)
{
  return g_strcmp0 (place->code, GP_SANDBOX_REASON) == 0;
}

/* The systemd user manager starts most apps of a GNOME session; the
 * activation environment, those that D-Bus starts. */
static void
show_running (GpSessionGroup  *self,
              GpSessionStatus *status)
{
  gboolean systemd = status->systemd.state == GP_SESSION_PLACE_APPLIED;
  gboolean activation = status->activation.state == GP_SESSION_PLACE_APPLIED;
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;

  if (systemd && activation)
    {
      set_row (self->running_row, self->running_icon, MARK_APPLIED, _("Apps started from now on get the proxy"));
      return;
    }
  /* The sandbox row below says what to do instead. */
  if (is_sandboxed (&status->systemd) && is_sandboxed (&status->activation))
    {
      set_row (self->running_row, self->running_icon, MARK_NOT_APPLIED,
               _("Can’t be changed from the Flatpak sandbox"));
      return;
    }
  if (activation)
    text = g_strdup_printf (_("Apps started from now on get the proxy, except those the systemd user "
                              "manager starts: %s"), reason_of (&status->systemd));
  else if (systemd)
    text = g_strdup_printf (_("Only apps the systemd user manager starts get the proxy: %s"),
                            reason_of (&status->activation));
  else
    {
      /* Without a session bus, both have the same reason: said once. */
      reason = g_strcmp0 (status->systemd.reason, status->activation.reason) == 0
               ? g_strdup (reason_of (&status->systemd))
               : g_strdup_printf ("%s; %s", reason_of (&status->systemd), reason_of (&status->activation));
      text = g_strdup_printf (_("Apps started from now on do not get the proxy: %s"), reason);
    }
  set_row (self->running_row, self->running_icon, systemd || activation ? MARK_PARTLY : MARK_NOT_APPLIED, text);
}

static void
show_gnome (GpSessionGroup  *self,
            GpSessionStatus *status)
{
  g_autofree char *text = NULL;

  switch (status->gnome.state)
    {
    case GP_SESSION_PLACE_APPLIED:
      set_row (self->gnome_row, self->gnome_icon, MARK_APPLIED,
               _("Applied: GNOME apps use the proxy, without its password"));
      break;
    case GP_SESSION_PLACE_UNAVAILABLE:
      text = is_sandboxed (&status->gnome) ? g_strdup (_("Can’t be changed from the Flatpak sandbox"))
                                          : capitalized (reason_of (&status->gnome));
      set_row (self->gnome_row, self->gnome_icon, MARK_NOT_APPLIED, text);
      break;
    case GP_SESSION_PLACE_NOT_REQUESTED:
    default:
      set_row (self->gnome_row, self->gnome_icon, MARK_NONE, _("Not requested"));
    }
}

static void
show_login_sandboxed (GpSessionGroup  *self,
                      GpSessionStatus *status)
{
  if (g_strcmp0 (status->file_state, "applied") == 0)
    set_row (self->login_row, self->login_icon, MARK_APPLIED,
             _("Apps get the proxy at the next login, from the session file"));
  else if (status->session_file == NULL)
    set_row (self->login_row, self->login_icon, MARK_NOT_APPLIED,
             _("No session file: the next login will not get the proxy"));
  else
    set_row (self->login_row, self->login_icon, MARK_NOT_APPLIED,
             _("The session file is not as Gatepass wrote it: the next login may not get the proxy"));
}

/* Inside the sandbox the places that matter today are out of reach: say
 * once what still works and what to do instead, in plain words. */
static void
show_sandbox_advice (GpSessionGroup  *self,
                     GpSessionStatus *status)
{
  g_autofree char *text = NULL;
  gboolean sandboxed = is_sandboxed (&status->systemd) || is_sandboxed (&status->activation) ||
                       is_sandboxed (&status->gnome) || is_sandboxed (&status->autostart);

  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_row), sandboxed);
  if (!sandboxed)
    return;
  text = g_strdup_printf (_("The session file still works: apps get the proxy at the next login. "
                            "GNOME’s proxy settings and the apps already running can’t be changed from here. "
                            "For a terminal now, run:\n%s"), SANDBOX_EXPORT_COMMAND);
  adw_action_row_set_subtitle (self->sandbox_row, text);
}

static void
show_login (GpSessionGroup  *self,
            GpSessionStatus *status)
{
  g_autofree char *text = NULL;

  switch (status->autostart.state)
    {
    case GP_SESSION_PLACE_APPLIED:
      set_row (self->login_row, self->login_icon, MARK_APPLIED,
               _("An autostart entry applies the profile again at each login"));
      break;
    case GP_SESSION_PLACE_UNAVAILABLE:
      /* No autostart entry from the sandbox, but the session file works. */
      if (is_sandboxed (&status->autostart))
        {
          show_login_sandboxed (self, status);
          return;
        }
      text = g_strdup_printf (_("The next login will not apply the profile again: %s"),
                              reason_of (&status->autostart));
      set_row (self->login_row, self->login_icon, MARK_NOT_APPLIED, text);
      break;
    case GP_SESSION_PLACE_NOT_REQUESTED:
    default:
      set_row (self->login_row, self->login_icon, MARK_NOT_APPLIED, _("No autostart entry"));
    }
}

/* --- what differs ------------------------------------------------------------------ */

static void
clear_problems (GpSessionGroup *self)
{
  for (guint i = 0; i < self->problem_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->problem_rows, i));
  g_ptr_array_set_size (self->problem_rows, 0);
}

/* A row of the list, after the places: a label under the list does not
 * get the height its wrapped lines need in libadwaita 1.2's group. */
static void
add_problem (GpSessionGroup *self,
             const char     *sentence)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sentence);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "session-problem");
  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Problem"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->problem_rows, row);
}

/* The session has another profile applied, or none: what the Active
 * switch says is then not what the session has. */
static void
add_mismatch (GpSessionGroup  *self,
              GpSessionStatus *status)
{
  g_autofree char *sentence = NULL;

  if (g_strcmp0 (status->profile_id, self->profile_id) == 0)
    return;
  if (status->profile_id == NULL)
    sentence = g_strdup_printf (_("“%s” is the active profile, but it is not applied to the session: "
                                  "turn Active Profile off and on again to apply it"), self->profile_name);
  else
    sentence = g_strdup_printf (_("“%s” is the active profile, but the session has “%s” applied: "
                                  "turn Active Profile off and on again to apply it"),
                                self->profile_name, status->profile_name);
  add_problem (self, sentence);
}

static void
show_nothing_applied (GpSessionGroup *self)
{
  AdwActionRow *rows[] = { self->file_row, self->running_row, self->gnome_row, self->login_row };
  GtkImage *icons[] = { self->file_icon, self->running_icon, self->gnome_icon, self->login_icon };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    set_row (rows[i], icons[i], MARK_NOT_APPLIED, _("Not applied"));
}

static void
show_status (GpSessionGroup  *self,
             GpSessionStatus *status)
{
  /* No record: the places have nothing to say (the problems say why). */
  if (status->profile_id == NULL)
    show_nothing_applied (self);
  else
    {
      show_file (self, status);
      show_running (self, status);
      show_gnome (self, status);
      show_login (self, status);
    }
  show_sandbox_advice (self, status);

  clear_problems (self);
  add_mismatch (self, status);
  for (guint i = 0; i < status->problems->len; i++)
    add_problem (self, g_ptr_array_index (status->problems, i));
}

/* --- fetching ------------------------------------------------------------------------ */

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GpSessionStatus) status = gp_session_get_status_finish (result, NULL);
  GpSessionGroup *self;

  /* Cancelled: the group may be gone, and user_data with it. */
  if (status == NULL)
    return;
  self = GP_SESSION_GROUP (user_data);
  show_status (self, status);
}

static void
cancel_fetch (GpSessionGroup *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
gp_session_group_refresh (GpSessionGroup *self)
{
  g_return_if_fail (GP_IS_SESSION_GROUP (self));

  if (self->profile_id == NULL)
    return;
  cancel_fetch (self);
  self->cancellable = g_cancellable_new ();
  gp_session_get_status_async (self->cancellable, on_status, self);
}

static void
show_checking (GpSessionGroup *self)
{
  AdwActionRow *rows[] = { self->file_row, self->running_row, self->gnome_row, self->login_row };
  GtkImage *icons[] = { self->file_icon, self->running_icon, self->gnome_icon, self->login_icon };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    set_row (rows[i], icons[i], MARK_NONE, _("Checking…"));
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_row), FALSE);
  clear_problems (self);
}

void
gp_session_group_show_profile (GpSessionGroup *self,
                               GpProfile      *profile)
{
  const char *id = profile != NULL ? gp_profile_get_id (profile) : NULL;

  g_return_if_fail (GP_IS_SESSION_GROUP (self));
  g_return_if_fail (profile == NULL || GP_IS_PROFILE (profile));

  /* Another profile, or none: what the rows say is not about it. */
  if (g_strcmp0 (id, self->profile_id) != 0)
    {
      cancel_fetch (self);
      show_checking (self);
    }
  g_free (self->profile_id);
  self->profile_id = g_strdup (id);
  g_free (self->profile_name);
  self->profile_name = profile != NULL ? g_strdup (gp_profile_get_name (profile)) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), profile != NULL);
  gp_session_group_refresh (self);
}

/* --- the rest ------------------------------------------------------------------------ */

static void
on_copy_command (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), SANDBOX_EXPORT_COMMAND);
  g_signal_emit (widget, signals[TOAST], 0, _("Command copied"));
}

static void
gp_session_group_dispose (GObject *object)
{
  GpSessionGroup *self = GP_SESSION_GROUP (object);

  cancel_fetch (self);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->profile_name, g_free);
  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_SESSION_GROUP);

  G_OBJECT_CLASS (gp_session_group_parent_class)->dispose (object);
}

static void
gp_session_group_class_init (GpSessionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_session_group_dispose;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-session-group.ui");
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, file_row);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, file_icon);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, running_row);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, running_icon);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, gnome_row);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, gnome_icon);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, login_row);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, login_icon);
  gtk_widget_class_bind_template_child (widget_class, GpSessionGroup, sandbox_row);

  gtk_widget_class_install_action (widget_class, "session.copy-command", NULL, on_copy_command);
}

static void
gp_session_group_init (GpSessionGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->problem_rows = g_ptr_array_new ();
  show_checking (self);
}
