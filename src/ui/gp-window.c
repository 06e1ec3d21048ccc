/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-import-flow.h"
#include "gp-profile-editor.h"
#include "gp-profile-row.h"
#include "gp-probe-batch.h"
#include "gp-prober.h"
#include "gp-result-cache.h"
#include "gp-result-store.h"
#include "gp-session.h"
#include "gp-settings.h"
#include "gp-stale.h"
#include "gp-stale-dialog.h"
#include "gp-window.h"

/* Probes of "Test All" in flight at once. */
#define TEST_ALL_IN_FLIGHT 16

struct _GpWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkToggleButton      *search_button;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  GtkListView          *profile_list;
  GtkStack             *content_stack;
  GpProfileEditor      *editor;        /* NULL until right after the first frame */

  GpProfileManager     *manager;
  GpProfileStore       *store;        /* the manager's */
  GSettings            *settings;
  GpResultCache        *results;
  GtkStringSorter      *sorter;
  GtkStringFilter      *filter;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;
  gboolean              reverting_selection;
  gboolean              closing_confirmed;
  guint                 tests_running;
  GCancellable         *cancellable;   /* reads and tests: dispose cancels them */
  char                 *first_id;          /* shown once the first frame is on screen */
  gulong                after_paint_id;
  guint                 first_edit_id;
};

G_DEFINE_FINAL_TYPE (GpWindow, gp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_toast (GpWindow   *self,
            const char *message)
{
  /* Toast titles are markup in libadwaita 1.2: messages may hold "<" or "&". */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* --- the editor, built after the first frame ------------------------------- */

/* Until the editor is built, nothing is being edited. */
static GpProfile *
editing_profile (GpWindow *self)
{
  return self->editor != NULL ? gp_profile_editor_get_profile (self->editor) : NULL;
}

static gboolean
is_editing (GpWindow *self)
{
  return self->editor != NULL && gp_profile_editor_is_editing (self->editor);
}

static gboolean
is_dirty (GpWindow *self)
{
  return self->editor != NULL && gp_profile_editor_is_dirty (self->editor);
}

static void on_editor_go_back (GpWindow *self);
static void on_editor_saved (GpWindow *self, const char *id);
static void on_editor_toast (GpWindow *self, const char *message);

/* The editor is the costliest part of the window to build and to lay
 * out, and the first frame shows only the sidebar: it is made right
 * after that frame, or as soon as something needs it. */
static GpProfileEditor *
ensure_editor (GpWindow *self)
{
  if (self->editor != NULL)
    return self->editor;

  self->editor = g_object_new (GP_TYPE_PROFILE_EDITOR, NULL);
  g_object_bind_property (self->leaflet, "folded", self->editor, "folded", G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->editor, "go-back", G_CALLBACK (on_editor_go_back), self);
  g_signal_connect_swapped (self->editor, "saved", G_CALLBACK (on_editor_saved), self);
  g_signal_connect_swapped (self->editor, "toast", G_CALLBACK (on_editor_toast), self);
  gp_profile_editor_set_context (self->editor, self->manager, self->settings, self->results);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->editor), "editor");
  return self->editor;
}

/* --- what the panes show -------------------------------------------------- */

static void
update_panes (GpWindow *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  gtk_stack_set_visible_child_name (self->sidebar_stack, n_shown > 0 || n_all == 0 ? "list" : "no-results");
  if (self->first_id != NULL && !is_editing (self))
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  else if (!is_editing (self) || (n_all == 0 && editing_profile (self) != NULL))
    gtk_stack_set_visible_child_name (self->content_stack, "welcome");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "editor");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete", editing_profile (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.duplicate", editing_profile (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.test-all", n_all > 0 && self->tests_running == 0);
}

static void
show_profile (GpWindow  *self,
              GpProfile *profile)
{
  if (profile != NULL)
    gp_profile_editor_edit (ensure_editor (self), profile);
  update_panes (self);
}

static guint
position_of (GpWindow   *self,
             const char *id)
{
  GListModel *model = G_LIST_MODEL (self->filtered);

  for (guint i = 0; id != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);

      if (g_strcmp0 (gp_profile_get_id (profile), id) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
select_id (GpWindow   *self,
           const char *id)
{
  guint position = position_of (self, id);

  self->reverting_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->reverting_selection = FALSE;
}

/* --- unsaved edits ---------------------------------------------------------- */

typedef void (*AfterDecision) (GpWindow *self, gpointer data);

typedef struct
{
  GpWindow      *self;
  AfterDecision  then;
  gpointer       data;
  GDestroyNotify destroy;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->destroy != NULL)
    pending->destroy (pending->data);
  g_object_unref (pending->self);
  g_free (pending);
}

static void
pending_free_closure (gpointer  data,
                      GClosure *closure)
{
  pending_free (data);
}

static void
on_save_finished (GpProfileEditor *editor,
                  gboolean         saved,
                  Pending         *pending)
{
  /* What the user was doing goes on once the edits are safe. */
  if (saved)
    pending->then (pending->self, pending->data);
  /* Frees pending once this handler has returned (then () may have
   * closed the window, whose dispose disconnects it too). */
  g_signal_handlers_disconnect_by_func (editor, on_save_finished, pending);
}

static void
on_unsaved_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Pending          *pending)
{
  GpWindow *self = pending->self;

  if (g_strcmp0 (response, "save") == 0)
    {
      /* The handler owns pending from here on. */
      g_signal_connect_data (self->editor, "save-finished", G_CALLBACK (on_save_finished), pending,
                             pending_free_closure, 0);
      /* Unless nothing started: invalid rows are marked, the user fixes
       * them first. */
      if (!gp_profile_editor_save (self->editor))
        g_signal_handlers_disconnect_by_func (self->editor, on_save_finished, pending);
      return;
    }
  else if (g_strcmp0 (response, "discard") == 0)
    pending->then (self, pending->data);

  pending_free (pending);
}

/* Runs then () at once, or after the user chose to discard unsaved edits:
 * an unsaved edit is never dropped silently. */
static void
after_unsaved_edits (GpWindow       *self,
                     AfterDecision   then,
                     gpointer        data,
                     GDestroyNotify  destroy)
{
  Pending *pending;
  AdwMessageDialog *dialog;

  if (!is_dirty (self))
    {
      then (self, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->self = g_object_ref (self);
  pending->then = then;
  pending->data = data;
  pending->destroy = destroy;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"),
                                                       _("The profile has unsaved changes. Changes "
                                                         "which are not saved will be lost.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_unsaved_response), pending);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
switch_to_profile (GpWindow *self,
                   gpointer  data)
{
  GpProfile *profile = data;

  select_id (self, gp_profile_get_id (profile));
  show_profile (self, profile);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_selection_changed (GpWindow *self)
{
  GpProfile *selected = gtk_single_selection_get_selected_item (self->selection);
  GpProfile *current = editing_profile (self);

  if (self->reverting_selection || selected == NULL || selected == current)
    return;

  /* Keep the current row selected until the user has decided. */
  select_id (self, current != NULL ? gp_profile_get_id (current) : NULL);
  after_unsaved_edits (self, switch_to_profile, g_object_ref (selected), g_object_unref);
}

static void
on_list_activate (GpWindow *self,
                  guint     position)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* --- the store changing under us ------------------------------------------- */

/* The profile listed where GONE was: the one sorted right after it, or
 * the last one when GONE was the last. GONE need not be listed any more. */
static GpProfile *
dup_neighbour_of (GpWindow  *self,
                  GpProfile *gone)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; gone != NULL && i < n; i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (model, i);

      if (gtk_sorter_compare (GTK_SORTER (self->sorter), gone, profile) == GTK_ORDERING_SMALLER)
        return g_steal_pointer (&profile);
    }
  return n > 0 ? g_list_model_get_item (model, gone != NULL ? n - 1 : 0) : NULL;
}

/* Edits the neighbour of GONE (or the first profile when GONE is NULL), or
 * shows the welcome page when no profile is listed. */
static void
edit_neighbour_or_welcome (GpWindow  *self,
                           GpProfile *gone)
{
  g_autoptr(GpProfile) next = dup_neighbour_of (self, gone);

  if (next != NULL)
    gp_profile_editor_edit (ensure_editor (self), next);
  else
    gp_profile_editor_edit_new (ensure_editor (self), NULL);
}

static void
on_store_items_changed (GpWindow *self)
{
  GpProfile *current = editing_profile (self);
  g_autofree char *message = NULL;

  if (current != NULL && gp_profile_store_find_by_id (self->store, gp_profile_get_id (current)) == NULL)
    {
      /* Removed elsewhere: unsaved edits stay, as a new profile. */
      if (is_dirty (self))
        {
          message = g_strdup_printf (_("“%s” was removed elsewhere; save to keep your changes as a new profile"),
                                     gp_profile_get_name (current));
          gp_profile_editor_detach (self->editor);
          show_toast (self, message);
        }
      else
        {
          g_autoptr(GpProfile) gone = g_object_ref (current);

          edit_neighbour_or_welcome (self, gone);
        }
    }
  else if (current == NULL && self->editor != NULL && !is_editing (self))
    edit_neighbour_or_welcome (self, NULL);

  current = editing_profile (self);
  select_id (self, current != NULL ? gp_profile_get_id (current) : NULL);
  update_panes (self);
}

/* Done, but something stayed behind (an item under an old username, a
 * password the session did not get). A place of the session that could
 * not be reached is not toasted: the editor's Desktop Session group
 * shows it, for as long as it lasts. */
static void
on_manager_warning (GpWindow     *self,
                    const GError *error)
{
  if (g_error_matches (error, GP_SESSION_ERROR, GP_SESSION_ERROR_UNAVAILABLE))
    return;
  /* The manager's words name the command that stores a password; here the
   * password row is right on screen. */
  if (g_error_matches (error, GP_SESSION_ERROR, GP_SESSION_ERROR_NO_PASSWORD))
    {
      show_toast (self, _("No password is stored: the session has the proxy without credentials"));
      return;
    }
  show_toast (self, error->message);
}

static void
on_store_reloaded (GpWindow     *self,
                   const GError *error)
{
  if (error != NULL)
    show_toast (self, error->message);
}

/* --- stale credentials and import -------------------------------------------- */

/* Removed: say so, and where a rejected password went, ask for the new
 * one right there. */
static void
on_stale_removed (GtkWindow *parent,
                  GPtrArray *removed,
                  gpointer   user_data)
{
  GpWindow *self = GP_WINDOW (parent);
  g_autofree char *message = NULL;
  guint n = 0;
  GpStaleFinding *rejected = NULL;

  for (guint i = 0; i < removed->len; i++)
    {
      GpStaleFinding *finding = g_ptr_array_index (removed, i);

      n += gp_stale_finding_removable (finding);
      if (finding->kind == GP_STALE_REJECTED_CREDENTIAL && rejected == NULL)
        rejected = finding;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Removed %u stale credential",
                                          "Removed %u stale credentials", n), n);
  show_toast (self, message);

  if (rejected != NULL)
    {
      GpProfile *profile = gp_profile_store_find_by_id (self->store, rejected->profile_id);

      if (profile != NULL)
        {
          select_id (self, rejected->profile_id);
          show_profile (self, profile);
          gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.enter-password", NULL);
        }
    }
}

static void
on_clear_stale (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  gp_stale_dialog_present (GTK_WINDOW (self), self->manager, on_stale_removed, NULL);
}

/* A password copied from where it was found still sits there: the toast
 * offers to clear it. */
static void
on_imported (GtkWindow  *parent,
             GStrv       imported,
             const char *message,
             gboolean    plaintext_left,
             gpointer    user_data)
{
  GpWindow *self = GP_WINDOW (parent);
  GpProfile *first = imported[0] != NULL ? gp_profile_store_find_by_id (self->store, imported[0]) : NULL;
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  if (plaintext_left)
    {
      adw_toast_set_button_label (toast, _("_Clear Copies…"));
      adw_toast_set_action_name (toast, "win.clear-stale");
      adw_toast_set_timeout (toast, 10);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  if (first != NULL)
    {
      select_id (self, imported[0]);
      show_profile (self, first);
    }
}

static void
on_import (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  gp_import_flow_run (GTK_WINDOW (self), self->manager, on_imported, NULL);
}

/* --- actions ---------------------------------------------------------------- */

static char *
unused_name (GpWindow   *self,
             const char *base)
{
  char *name = g_strdup (base);

  for (guint i = 2; gp_profile_store_find (self->store, name) != NULL; i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s %u", base, i);
    }
  return name;
}

static void
start_new_profile (GpWindow *self,
                   gpointer  data)
{
  g_autofree char *name = unused_name (self, _("New Profile"));

  select_id (self, NULL);
  gp_profile_editor_edit_new (ensure_editor (self), name);
  gtk_stack_set_visible_child_name (self->content_stack, "editor");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_panes (self);
}

static void
on_new_profile (GtkWidget  *widget,
                const char *action,
                GVariant   *parameter)
{
  after_unsaved_edits (GP_WINDOW (widget), start_new_profile, NULL, NULL);
}

static void
on_search (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_search_changed (GpWindow *self)
{
  GpProfile *current = editing_profile (self);

  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  /* The profile being edited is selected again once the filter shows it. */
  select_id (self, current != NULL ? gp_profile_get_id (current) : NULL);
  update_panes (self);
}

static void
on_removed (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GpProfile) profile = user_data;
  GpWindow *self = g_object_get_data (G_OBJECT (profile), "gp-window");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!gp_profile_manager_finish (GP_PROFILE_MANAGER (source), res, &error))
    message = g_strdup_printf (_("“%s” was not deleted: %s"), gp_profile_get_name (profile), error->message);
  else
    message = g_strdup_printf (_("“%s” deleted"), gp_profile_get_name (profile));
  show_toast (self, message);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    GpWindow         *self)
{
  GpProfile *profile = editing_profile (self);

  if (g_strcmp0 (response, "delete") != 0 || profile == NULL)
    return;

  g_object_set_data_full (G_OBJECT (profile), "gp-window", g_object_ref (self), g_object_unref);
  gp_profile_manager_remove_async (self->manager, gp_profile_get_id (profile), NULL, on_removed,
                                   g_object_ref (profile));
}

static void
on_delete (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);
  GpProfile *profile = editing_profile (self);
  AdwMessageDialog *dialog;

  if (profile == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"), gp_profile_get_name (profile));
  adw_message_dialog_set_body (dialog, _("The profile and its password in the keyring will be deleted."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_delete_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_duplicated (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = gp_profile_manager_duplicate_finish (GP_PROFILE_MANAGER (source), res, &error);
  GpProfile *stored;

  if (id == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  stored = gp_profile_store_find_by_id (self->store, id);
  if (stored != NULL)
    switch_to_profile (self, stored);
}

static void
duplicate_profile (GpWindow *self,
                   gpointer  data)
{
  GpProfile *profile = editing_profile (self);
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  if (profile == NULL)
    return;

  /* Translators: the name of a duplicated profile */
  base = g_strdup_printf (_("%s (Copy)"), gp_profile_get_name (profile));
  name = unused_name (self, base);
  gp_profile_manager_duplicate_async (self->manager, gp_profile_get_id (profile), name, NULL,
                                      on_duplicated, g_object_ref (self));
}

static void
on_duplicate (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  after_unsaved_edits (GP_WINDOW (widget), duplicate_profile, NULL, NULL);
}

/* --- the shortcuts window ----------------------------------------------------------- */

/* Built when first asked for, not at start: GTK builds gtk/help-overlay.ui
 * for every window before its first frame, and the window starts faster
 * without it. */
static void
on_show_shortcuts (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/gatepass/Gatepass/gp-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_set_application (shortcuts, gtk_window_get_application (GTK_WINDOW (widget)));
  gtk_window_present (shortcuts);
}

/* --- the editor's shortcuts ------------------------------------------------------ */

/* Ctrl+S and Ctrl+T are the application's accelerators, and those run on
 * the window: an action looked up from there never finds the editor's own
 * "editor.save" and "editor.test", which only its descendants see. The
 * window's "win.save" and "win.test" hand them to the editor, wherever the
 * focus is, as long as the editor is what the window shows. */
static void
on_editor_shortcut (GtkWidget  *widget,
                    const char *action,
                    GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "editor") != 0)
    return;
  if (g_str_equal (action, "win.save"))
    gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.save", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.test", NULL);
}

/* --- testing every profile --------------------------------------------------- */

static void
on_test_all_result (GpProbeBatch  *batch,
                    guint          index,
                    GpProfile     *profile,
                    GpProbeResult *result,
                    gint64         credential_modified,
                    GpWindow      *self)
{
  /* Shown at once; written once for the whole batch, at its end. */
  if (self->results == NULL)
    return;   /* disposed */
  gp_result_cache_remember (self->results, profile, result, credential_modified);
}

static void
on_test_all_done (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(GpWindow) self = g_weak_ref_get (window_ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = gp_probe_batch_run_finish (GP_PROBE_BATCH (source), res, &error);
  g_autofree char *message = NULL;
  guint working = 0;

  g_weak_ref_clear (window_ref);
  g_free (window_ref);
  /* The window was closed: dispose has kept what had come. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gp_result_cache_save (self->results);
  for (guint i = 0; results != NULL && i < results->len; i++)
    working += gp_probe_result_get_verdict (g_ptr_array_index (results, i)) == GP_VERDICT_OK;

  /* Translators: the first number is the profiles that work, the second all */
  message = g_strdup_printf (_("Profiles that work: %u of %u"), working, results != NULL ? results->len : 0);
  show_toast (self, message);
  self->tests_running--;
  update_panes (self);
}

static void
on_test_all (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  GpWindow *self = GP_WINDOW (widget);
  GListModel *model = G_LIST_MODEL (self->store);
  g_autoptr(GpProber) prober = gp_settings_new_prober (self->settings);
  g_autoptr(GpProbeBatch) batch = gp_probe_batch_new (prober, gp_profile_manager_get_secrets (self->manager), TEST_ALL_IN_FLIGHT);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  GWeakRef *window_ref = g_new0 (GWeakRef, 1);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (profiles, g_list_model_get_item (model, i));

  self->tests_running++;
  update_panes (self);
  show_toast (self, _("Testing all profiles…"));
  g_signal_connect_object (batch, "result", G_CALLBACK (on_test_all_result), self, 0);
  /* Not a reference: closing the window must dispose it, which stops
   * the tests (a proxy that never answers would keep it for the timeout). */
  g_weak_ref_init (window_ref, self);
  gp_probe_batch_run_async (batch, profiles, self->cancellable, on_test_all_done, window_ref);
}

/* --- editor and window signals ------------------------------------------------ */

static void
on_editor_go_back (GpWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_editor_saved (GpWindow   *self,
                 const char *id)
{
  select_id (self, id);
  update_panes (self);
}

static void
on_editor_toast (GpWindow   *self,
                 const char *message)
{
  show_toast (self, message);
}

static void
on_is_active_changed (GpWindow *self)
{
  if (self->editor != NULL && gtk_window_is_active (GTK_WINDOW (self)))
    gp_profile_editor_refresh_keyring (self->editor);
}

static void
close_now (GpWindow *self,
           gpointer  data)
{
  self->closing_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
gp_window_close_request (GtkWindow *window)
{
  GpWindow *self = GP_WINDOW (window);

  if (self->settings != NULL && !gtk_window_is_maximized (window))
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
    }
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  if (self->closing_confirmed || !is_dirty (self))
    return GTK_WINDOW_CLASS (gp_window_parent_class)->close_request (window);

  after_unsaved_edits (self, close_now, NULL, NULL);
  return TRUE;
}

/* --- construction ------------------------------------------------------------- */

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  GpWindow                 *self)
{
  gtk_list_item_set_child (item, gp_profile_row_new (self->store, self->results));
}

static void
on_factory_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 GpWindow                 *self)
{
  gp_profile_row_bind (GP_PROFILE_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
on_factory_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   GpWindow                 *self)
{
  gp_profile_row_unbind (GP_PROFILE_ROW (gtk_list_item_get_child (item)));
}

static void
setup_list (GpWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSortListModel *sorted;

  /* By name, as people read names: case-insensitive, in the locale's
   * collation order. */
  self->sorter = gtk_string_sorter_new (gtk_property_expression_new (GP_TYPE_PROFILE, NULL, "name"));
  gtk_string_sorter_set_ignore_case (self->sorter, TRUE);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                    GTK_SORTER (g_object_ref (self->sorter)));
  self->filter = gtk_string_filter_new (gtk_property_expression_new (GP_TYPE_PROFILE, NULL, "name"));
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind), self);
  gtk_list_view_set_factory (self->profile_list, factory);
  gtk_list_view_set_model (self->profile_list, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (factory);

  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->profile_list, "activate", G_CALLBACK (on_list_activate), self);
  g_signal_connect_swapped (self->store, "items-changed", G_CALLBACK (on_store_items_changed), self);
  g_signal_connect_swapped (self->store, "reloaded", G_CALLBACK (on_store_reloaded), self);
}

static void
restore_size (GpWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* Results are written in the background: closing the window while they
 * are must not end the application before they are on disk. */
static void
on_results_saving (GpResultCache *results,
                   GParamSpec    *pspec,
                   GApplication  *application)
{
  if (gp_result_cache_get_saving (results))
    g_application_hold (application);
  else
    g_application_release (application);
}

static void
gp_window_constructed (GObject *object)
{
  GpWindow *self = GP_WINDOW (object);
  g_autofree char *result_dir = gp_result_store_default_dir ();
  g_autoptr(GpProfile) first = NULL;

  G_OBJECT_CLASS (gp_window_parent_class)->constructed (object);

  self->results = gp_result_cache_new (result_dir);
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    g_signal_connect_data (self->results, "notify::saving", G_CALLBACK (on_results_saving),
                           g_object_ref (gtk_window_get_application (GTK_WINDOW (self))),
                           (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  setup_list (self);
  restore_size (self);
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (on_is_active_changed), self);
  g_signal_connect_swapped (self->manager, "warning", G_CALLBACK (on_manager_warning), self);

  /* The sidebar comes first; the editor, which costs more to build and
   * to lay out than the rest of the window, is made and filled in right
   * after the first frame. */
  first = g_list_model_get_item (G_LIST_MODEL (self->filtered), 0);
  if (first != NULL)
    {
      self->first_id = g_strdup (gp_profile_get_id (first));
      select_id (self, self->first_id);
    }
  update_panes (self);
  if (first != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
}

static gboolean
edit_first_profile (gpointer user_data)
{
  GpWindow *self = user_data;
  g_autofree char *id = g_steal_pointer (&self->first_id);
  GpProfile *profile = id != NULL ? gp_profile_store_find_by_id (self->store, id) : NULL;
  gboolean built = self->editor != NULL;

  self->first_edit_id = 0;
  ensure_editor (self);
  /* Unless the user or a change elsewhere has already moved on. */
  if (profile != NULL && !is_editing (self))
    {
      gp_profile_editor_edit (self->editor, profile);
      select_id (self, id);
    }
  else if (!built && !is_editing (self) && g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    {
      /* The first profile went before the editor came: what a change
       * of the store shows once it is there. */
      edit_neighbour_or_welcome (self, NULL);
      select_id (self, editing_profile (self) != NULL ? gp_profile_get_id (editing_profile (self)) : NULL);
    }
  update_panes (self);
  return G_SOURCE_REMOVE;
}

static void
on_first_paint (GdkFrameClock *clock,
                GpWindow      *self)
{
  g_clear_signal_handler (&self->after_paint_id, clock);
  if (self->first_edit_id == 0 && (self->first_id != NULL || self->editor == NULL))
    self->first_edit_id = g_idle_add (edit_first_profile, self);
}

static void
gp_window_map (GtkWidget *widget)
{
  GpWindow *self = GP_WINDOW (widget);
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (gp_window_parent_class)->map (widget);

  clock = gtk_widget_get_frame_clock (widget);
  if ((self->first_id != NULL || self->editor == NULL) && self->after_paint_id == 0 && clock != NULL)
    self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), self);
}

static void
gp_window_dispose (GObject *object)
{
  GpWindow *self = GP_WINDOW (object);

  /* Tests and reads stop with the window; a change the user asked for
   * (a delete, a duplicate) runs to its end in the manager. The results
   * that came meanwhile are written, as after a whole batch. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->results != NULL)
    gp_result_cache_save (self->results);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->after_paint_id != 0 && gtk_widget_get_frame_clock (GTK_WIDGET (self)) != NULL)
    g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  g_clear_handle_id (&self->first_edit_id, g_source_remove);
  g_clear_pointer (&self->first_id, g_free);
  /* A save the editor started runs to its end and keeps the editor alive
   * until then: what it says afterwards ("Saved", ::saved) must not reach
   * this window, nor a decision that waited for it (freed as it goes). */
  if (self->editor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->editor, self);
      g_signal_handlers_disconnect_matched (self->editor, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_save_finished, NULL);
      self->editor = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->results);
  g_clear_object (&self->store);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gp_window_parent_class)->dispose (object);
}

static void
gp_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GpWindow *self = GP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      self->store = g_object_ref (gp_profile_manager_get_store (self->manager));
      break;
    case PROP_SETTINGS: self->settings = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_window_class_init (GpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gp_window_constructed;
  object_class->dispose = gp_window_dispose;
  object_class->set_property = gp_window_set_property;
  window_class->close_request = gp_window_close_request;
  widget_class->map = gp_window_map;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, GP_TYPE_PROFILE_MANAGER,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, profile_list);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, content_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "win.new-profile", NULL, on_new_profile);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, on_search);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, on_delete);
  gtk_widget_class_install_action (widget_class, "win.duplicate", NULL, on_duplicate);
  gtk_widget_class_install_action (widget_class, "win.test-all", NULL, on_test_all);
  gtk_widget_class_install_action (widget_class, "win.clear-stale", NULL, on_clear_stale);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, on_import);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, on_editor_shortcut);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, on_show_shortcuts);
  gtk_widget_class_install_action (widget_class, "win.test", NULL, on_editor_shortcut);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
}

static void
gp_window_init (GpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GpWindow *
gp_window_new (GpApplication    *application,
               GpProfileManager *manager,
               GSettings        *settings)
{
  return g_object_new (GP_TYPE_WINDOW,
                       "application", application,
                       "manager", manager,
                       "settings", settings,
                       NULL);
}
