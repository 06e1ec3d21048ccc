/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-result-store.h"
#include "gp-stale.h"
#include "gp-stale-dialog.h"

typedef struct
{
  GtkWindow         *parent;     /* weak */
  GpProfileManager  *manager;
  GPtrArray         *findings;
  GpStaleDialogDone  done;
  gpointer           user_data;
} Run;

static void
run_free (Run *run)
{
  g_clear_weak_pointer (&run->parent);
  g_clear_object (&run->manager);
  g_clear_pointer (&run->findings, g_ptr_array_unref);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static const char *
kind_title (GpStaleKind kind)
{
  switch (kind)
    {
    case GP_STALE_REJECTED_CREDENTIAL: return _("Rejected Password");
    case GP_STALE_ORPHANED_CREDENTIAL: return _("Unused Keyring Item");
    case GP_STALE_GNOME_SETTINGS_PASSWORD: return _("Password in GNOME’s Settings");
    case GP_STALE_SESSION_COPY: return _("Old Copy in the Session");
    case GP_STALE_ENVIRONMENT_COPY:
    default: return _("Password in a Start-Up File");
    }
}

static GtkWidget *
finding_row (GpStaleFinding *finding)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_markup_escape_text (kind_title (finding->kind), -1);
  g_autofree char *subtitle = g_markup_escape_text (finding->explanation, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (!gp_stale_finding_removable (finding))
    {
      GtkWidget *kept = gtk_label_new (_("Kept"));

      gtk_widget_add_css_class (kept, "dim-label");
      gtk_widget_set_tooltip_text (kept, _("Gatepass does not edit this file"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), kept);
    }
  return row;
}

static GtkWidget *
findings_list (GPtrArray *findings)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Stale credentials"), -1);
  for (guint i = 0; i < findings->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), finding_row (g_ptr_array_index (findings, i)));

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  /* Room for three findings before it scrolls; a short list takes less. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), MIN (findings->len, 3) * 72);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  return scrolled;
}

static guint
count_removable (GPtrArray *findings)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    n += gp_stale_finding_removable (g_ptr_array_index (findings, i));
  return n;
}

static AdwMessageDialog *
new_dialog (Run        *run,
            const char *heading,
            const char *body)
{
  return ADW_MESSAGE_DIALOG (adw_message_dialog_new (run->parent, heading, body));
}

static void
show_message (Run        *run,
              const char *heading,
              const char *body)
{
  AdwMessageDialog *dialog = new_dialog (run, heading, body);

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_removed (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(GError) error = NULL;

  if (!gp_stale_remove_all_finish (GP_PROFILE_MANAGER (source), res, &error))
    {
      if (run->parent != NULL)
        show_message (run, _("Not Everything Was Removed"), error->message);
      return;
    }
  if (run->parent != NULL && run->done != NULL)
    run->done (run->parent, run->findings, run->user_data);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Run *run = user_data;

  if (g_strcmp0 (response, "remove") != 0)
    {
      run_free (run);
      return;
    }
  gp_stale_remove_all_async (run->manager, run->findings, NULL, on_removed, run);
}

static void
show_findings (Run *run)
{
  guint removable = count_removable (run->findings);
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  body = removable > 0
         ? g_strdup (_("These copies of proxy passwords no longer work, or nothing uses them, and "
                       "they can make a proxy ask for a password again and again."))
         : g_strdup (_("Only files that Gatepass does not edit hold stale copies: remove the "
                       "passwords there yourself."));
  dialog = new_dialog (run, _("Clear Stale Credentials?"), body);
  /* The sentences read better wider than a question's dialog. */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 520, -1);
  adw_message_dialog_set_extra_child (dialog, findings_list (run->findings));
  if (removable > 0)
    {
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_close_response (dialog, "cancel");
    }
  else
    adw_message_dialog_add_response (dialog, "close", _("_Close"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), run);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_found (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(GError) error = NULL;

  run->findings = gp_stale_find_finish (GP_PROFILE_MANAGER (source), res, &error);
  if (run->parent == NULL)
    return;
  if (run->findings == NULL)
    show_message (run, _("Cannot Look for Stale Credentials"), error->message);
  else if (run->findings->len == 0)
    show_message (run, _("No Stale Credentials"),
                  _("No stale proxy password was found in the keyring, GNOME’s settings, the "
                    "session or your start-up files."));
  else
    show_findings (g_steal_pointer (&run));
}

void
gp_stale_dialog_present (GtkWindow         *parent,
                         GpProfileManager  *manager,
                         GpStaleDialogDone  done,
                         gpointer           user_data)
{
  g_autofree char *results_dir = gp_result_store_default_dir ();
  Run *run = g_new0 (Run, 1);

  g_set_weak_pointer (&run->parent, parent);
  run->manager = g_object_ref (manager);
  run->done = done;
  run->user_data = user_data;
  gp_stale_find_async (manager, results_dir, NULL, on_found, run);
}
