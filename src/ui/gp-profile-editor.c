/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-ca-row.h"
#include "gp-export-view.h"
#include "gp-keyring-row.h"
#include "gp-passwords-notice.h"
#include "gp-no-proxy.h"
#include "gp-profile-editor.h"
#include "gp-profile-manager.h"
#include "gp-proxy-url.h"
#include "gp-session.h"
#include "gp-session-group.h"
#include "gp-test-panel.h"

/* How long typing may pause before the rows are checked. */
#define VALIDATE_DELAY_MS 600

struct _GpProfileEditor
{
  AdwBin                parent_instance;

  AdwWindowTitle       *window_title;
  GtkWidget            *save_button;
  GtkSwitch            *active_switch;
  AdwActionRow         *active_row;
  GpSessionGroup       *session_group;
  AdwEntryRow          *name_row;
  AdwEntryRow          *url_row;
  AdwEntryRow          *https_row;
  AdwEntryRow          *no_proxy_row;
  GtkLabel             *proxy_error;
  AdwComboRow          *auth_row;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *password_row;
  GpKeyringRow         *keyring_row;
  GpCaRow              *ca_row;
  GpPasswordsNotice    *passwords_notice;
  GtkWidget            *allowlist_row;
  GtkLabel             *auth_error;
  AdwActionRow         *session_credentials_row;
  GtkSwitch            *session_credentials_switch;
  GtkSwitch            *gnome_proxy_switch;
  GpTestPanel          *test_panel;
  GpExportView         *export_view;

  GpProfileManager     *manager;
  GpProfileStore       *store;     /* the manager's, which the window shows */

  GpProfile            *profile;      /* the store's, or NULL for a new one */
  GpProfile            *shown;        /* the profile as the rows were filled */
  guint                 follow_id;
  guint                 validate_id;
  char                 *new_id;
  gboolean              editing;
  gboolean              loading;
  gboolean              marking_all;   /* Save or Test: every row, touched or not */
  gboolean              folded;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (GpProfileEditor, gp_profile_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

enum {
  GO_BACK,
  SAVED,
  SAVE_FINISHED,
  TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
toast (GpProfileEditor *self,
       const char      *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
trimmed_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (row_text (row)));
}

static GpAuthMode
selected_auth (GpProfileEditor *self)
{
  return (GpAuthMode) adw_combo_row_get_selected (self->auth_row);
}

/* --- inline validation ---------------------------------------------------- */

static AdwEntryRow *
entry_rows (GpProfileEditor *self,
            guint            index)
{
  AdwEntryRow *rows[] = { self->name_row, self->url_row, self->https_row, self->no_proxy_row,
                          self->username_row, ADW_ENTRY_ROW (self->password_row) };
  return index < G_N_ELEMENTS (rows) ? rows[index] : NULL;
}

static GtkWidget *
error_icon_of (AdwEntryRow *row)
{
  return g_object_get_data (G_OBJECT (row), "gp-error-icon");
}

/* A row the user has typed in since it was filled: checked as they
 * type; the others wait for Save or Test, so that a new profile does
 * not open full of complaints. */
static gboolean
is_touched (AdwEntryRow *row)
{
  return g_object_get_data (G_OBJECT (row), "gp-touched") != NULL;
}

static void
set_touched (AdwEntryRow *row,
             gboolean     touched)
{
  g_object_set_data (G_OBJECT (row), "gp-touched", touched ? GINT_TO_POINTER (1) : NULL);
}

static void
clear_errors (GpProfileEditor *self)
{
  AdwEntryRow *row;

  for (guint i = 0; (row = entry_rows (self, i)) != NULL; i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_visible (error_icon_of (row), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_error), FALSE);
}

/* Marks the row and says what is wrong under its group; the first
 * message of a group is the one shown. */
static void
mark_error (GpProfileEditor *self,
            AdwEntryRow     *row,
            GtkLabel        *group_error,
            const char      *message)
{
  if (!self->marking_all && !is_touched (row))
    return;
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_visible (error_icon_of (row), TRUE);
  gtk_widget_set_tooltip_text (error_icon_of (row), message);

  if (!gtk_widget_get_visible (GTK_WIDGET (group_error)))
    {
      gtk_label_set_label (group_error, message);
      gtk_widget_set_visible (GTK_WIDGET (group_error), TRUE);
    }
}

/* The show-password button of an AdwPasswordEntryRow: libadwaita 1.2
 * gives it a tooltip ("Show Text") but no accessible name, so a screen
 * reader reads "button". Found by its icon, the one thing it shows. */
static GtkWidget *
find_peek_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), "view-reveal-symbolic") == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_peek_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
name_peek_button (AdwPasswordEntryRow *row)
{
  GtkWidget *button = find_peek_button (GTK_WIDGET (row));

  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Show or Hide the Password"), -1);
}

static void
add_error_icons (GpProfileEditor *self)
{
  AdwEntryRow *row;

  for (guint i = 0; (row = entry_rows (self, i)) != NULL; i++)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_visible (icon, FALSE);
      adw_entry_row_add_suffix (row, icon);
      g_object_set_data (G_OBJECT (row), "gp-error-icon", icon);
    }
}

static gboolean
check_url_row (GpProfileEditor  *self,
               AdwEntryRow      *row,
               gboolean          optional,
               char            **out_url,
               GpProxyScheme    *out_scheme)
{
  g_autofree char *text = trimmed_text (row);
  g_autoptr(GpProxyUrl) url = NULL;
  g_autoptr(GError) error = NULL;

  *out_url = NULL;
  if (optional && *text == '\0')
    return TRUE;

  url = gp_proxy_url_parse (text, &error);
  if (url == NULL)
    {
      /* The window's own place for them: the rows below. */
      if (g_error_matches (error, GP_PROXY_URL_ERROR, GP_PROXY_URL_ERROR_HAS_USERINFO))
        mark_error (self, row, self->proxy_error,
                    _("The proxy URL must not contain a username or password: enter them in the "
                      "Username and New Password rows under Authentication"));
      else
        mark_error (self, row, self->proxy_error, error->message);
      return FALSE;
    }
  *out_url = gp_proxy_url_to_string (url);
  *out_scheme = gp_proxy_url_get_scheme (url);
  return TRUE;
}

static gboolean
check_credentials (GpProfileEditor *self,
                   GpProfile       *edited,
                   GpProxyScheme    scheme,
                   GpProxyScheme    https_scheme)
{
  g_autofree char *username = trimmed_text (self->username_row);
  g_autoptr(GError) error = NULL;
  const char *password = row_text (ADW_ENTRY_ROW (self->password_row));
  gboolean ok = TRUE;

  gp_profile_set_username (edited, username);
  if (selected_auth (self) != GP_AUTH_PASSWORD)
    return TRUE;

  if (*username == '\0')
    {
      mark_error (self, self->username_row, self->auth_error,
                  _("Enter the username, or choose another method"));
      ok = FALSE;
    }
  else if (!gp_proxy_url_validate_username (username, scheme, &error) ||
           !gp_proxy_url_validate_username (username, https_scheme, &error))
    {
      mark_error (self, self->username_row, self->auth_error, error->message);
      g_clear_error (&error);
      ok = FALSE;
    }

  if (*password != '\0' && !gp_proxy_url_validate_password (password, &error))
    {
      mark_error (self, ADW_ENTRY_ROW (self->password_row), self->auth_error, error->message);
      ok = FALSE;
    }
  return ok;
}

static gboolean
check_name (GpProfileEditor *self,
            GpProfile       *edited)
{
  g_autofree char *name = trimmed_text (self->name_row);
  g_autoptr(GError) error = NULL;

  if (!gp_profile_validate_name (name, &error) ||
      !gp_profile_store_check_name_free (self->store, name, self->profile, &error))
    {
      mark_error (self, self->name_row, self->proxy_error, error->message);
      return FALSE;
    }
  gp_profile_set_name (edited, name);
  return TRUE;
}

static gboolean
check_no_proxy (GpProfileEditor *self,
                GpProfile       *edited)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hosts = gp_no_proxy_parse (row_text (self->no_proxy_row), &error);

  if (hosts == NULL)
    {
      mark_error (self, self->no_proxy_row, self->proxy_error, error->message);
      return FALSE;
    }
  gp_profile_set_no_proxy (edited, (const char * const *) hosts);
  return TRUE;
}

/* The profile as the rows describe it, or NULL with every offending row
 * marked. Nothing invalid is ever saved. */
static GpProfile *
build_edited (GpProfileEditor *self)
{
  g_autoptr(GpProfile) edited = gp_profile_new (self->profile ? gp_profile_get_id (self->profile) : self->new_id);
  g_autofree char *url = NULL;
  g_autofree char *https = NULL;
  GpProxyScheme scheme = GP_PROXY_SCHEME_HTTP, https_scheme = GP_PROXY_SCHEME_HTTP;
  gboolean ok;

  clear_errors (self);
  ok = check_name (self, edited);
  ok = check_url_row (self, self->url_row, FALSE, &url, &scheme) && ok;
  ok = check_url_row (self, self->https_row, TRUE, &https, &https_scheme) && ok;
  if (https == NULL)
    https_scheme = scheme;
  ok = check_no_proxy (self, edited) && ok;
  ok = check_credentials (self, edited, scheme, https_scheme) && ok;
  if (!ok)
    return NULL;

  gp_profile_set_url (edited, url);
  gp_profile_set_https_proxy (edited, https);
  gp_profile_set_auth (edited, selected_auth (self));
  gp_profile_set_session_credentials (edited, gtk_switch_get_active (self->session_credentials_switch));
  gp_profile_set_gnome_proxy (edited, gtk_switch_get_active (self->gnome_proxy_switch));
  return g_steal_pointer (&edited);
}

/* build_edited () for Save and Test: every offending row is marked. */
static GpProfile *
build_edited_marking_all (GpProfileEditor *self)
{
  GpProfile *edited;

  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->marking_all = TRUE;
  edited = build_edited (self);
  self->marking_all = FALSE;
  return edited;
}

/* As the user types: marks the touched rows that are wrong, and clears
 * the marks of those fixed. */
static gboolean
validate_typed (gpointer user_data)
{
  GpProfileEditor *self = user_data;
  g_autoptr(GpProfile) edited = NULL;

  self->validate_id = 0;
  edited = build_edited (self);
  return G_SOURCE_REMOVE;
}

/* --- state ---------------------------------------------------------------- */

static char *
no_proxy_text (GpProfile *profile)
{
  return g_strjoinv (", ", (char **) gp_profile_get_no_proxy (profile));
}

static gboolean
text_differs (AdwEntryRow *row,
              const char  *value)
{
  g_autofree char *text = trimmed_text (row);
  return g_strcmp0 (text, value != NULL ? value : "") != 0;
}

static gboolean
compute_dirty (GpProfileEditor *self)
{
  g_autofree char *no_proxy = NULL;

  if (!self->editing)
    return FALSE;
  if (self->profile == NULL || self->shown == NULL)
    return TRUE;

  /* Against what the rows were filled with, not the store's object,
   * which a change from elsewhere may have updated since. */
  no_proxy = no_proxy_text (self->shown);
  return text_differs (self->name_row, gp_profile_get_name (self->shown)) ||
         text_differs (self->url_row, gp_profile_get_url (self->shown)) ||
         text_differs (self->https_row, gp_profile_get_https_proxy (self->shown)) ||
         text_differs (self->no_proxy_row, no_proxy) ||
         text_differs (self->username_row, gp_profile_get_username (self->shown)) ||
         selected_auth (self) != gp_profile_get_auth (self->shown) ||
         gtk_switch_get_active (self->session_credentials_switch) !=
           gp_profile_get_session_credentials (self->shown) ||
         gtk_switch_get_active (self->gnome_proxy_switch) != gp_profile_get_gnome_proxy (self->shown) ||
         *row_text (ADW_ENTRY_ROW (self->password_row)) != '\0';
}

static void
update_auth_rows (GpProfileEditor *self)
{
  GpAuthMode auth = selected_auth (self);
  gboolean saved_password_profile = self->profile != NULL && gp_profile_sends_credentials (self->profile);

  gtk_widget_set_visible (GTK_WIDGET (self->username_row), auth == GP_AUTH_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), auth == GP_AUTH_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_row), auth == GP_AUTH_PASSWORD && saved_password_profile);
  gtk_widget_set_visible (self->allowlist_row, auth == GP_AUTH_IP);
  /* Kept as it is otherwise, for when the method sends credentials again. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->session_credentials_row), auth == GP_AUTH_PASSWORD);
}

static void
update_header (GpProfileEditor *self)
{
  gboolean dirty = compute_dirty (self);
  g_autofree char *name = trimmed_text (self->name_row);

  adw_window_title_set_title (self->window_title, *name ? name : _("New Profile"));
  adw_window_title_set_subtitle (self->window_title,
                                 dirty ? _("Unsaved changes") : (self->profile ? gp_profile_get_url (self->profile) : ""));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", dirty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.choose-ca", self->profile != NULL);
  /* Always there, so that the form does not jump after the first save. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->active_row), self->profile != NULL);
  adw_action_row_set_subtitle (self->active_row,
                               self->profile != NULL
                               ? _("Applies at once, without Save, to the desktop session")
                               : _("Save the profile first"));
}

static void
field_changed (GpProfileEditor *self,
               GtkWidget       *source)
{
  if (self->loading)
    return;
  if (ADW_IS_ENTRY_ROW (source))
    set_touched (ADW_ENTRY_ROW (source), TRUE);
  update_auth_rows (self);
  update_header (self);
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_typed, self);
}

static void
on_entry_changed (GtkEditable     *row,
                  GpProfileEditor *self)
{
  field_changed (self, GTK_WIDGET (row));
}

static void
on_method_changed (GpProfileEditor *self)
{
  field_changed (self, NULL);
}

static void
on_option_changed (GpProfileEditor *self)
{
  field_changed (self, NULL);
}

/* Also after every change of which profile is active, and after Save:
 * each applies the active profile to the session again. */
static void
sync_active_switch (GpProfileEditor *self)
{
  gboolean active = self->profile != NULL && gp_profile_store_get_active (self->store) == self->profile;

  self->loading = TRUE;
  gtk_switch_set_active (self->active_switch, active);
  gtk_switch_set_state (self->active_switch, active);
  self->loading = FALSE;
  gp_session_group_show_profile (self->session_group, active ? self->profile : NULL);
}

static void
on_activate_done (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(GpProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gp_profile_manager_finish (GP_PROFILE_MANAGER (source), res, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
  sync_active_switch (self);
}

static gboolean
on_active_state_set (GpProfileEditor *self,
                     gboolean         state)
{
  if (self->loading)
    return FALSE;

  if (self->profile == NULL)
    {
      sync_active_switch (self);
      return TRUE;
    }

  /* The switch shows the new state once the file says so. */
  gp_profile_manager_activate_async (self->manager, state ? gp_profile_get_id (self->profile) : NULL,
                                     self->cancellable, on_activate_done, g_object_ref (self));
  return TRUE;
}

/* --- the keyring row ----------------------------------------------------- */

static void
on_keyring_state (GpProfileEditor *self)
{
  gp_export_view_set_password_known (self->export_view, gp_keyring_row_get_known (self->keyring_row),
                                     gp_keyring_row_get_has_password (self->keyring_row));
}

static void
on_keyring_problem (GpProfileEditor *self,
                    const GError    *error)
{
  gp_keyring_row_show_problem (self->keyring_row, error);
}

/* Also called when the window regains focus: `set-password` from a
 * terminal changes no file that could be watched. */
void
gp_profile_editor_refresh_keyring (GpProfileEditor *self)
{
  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));

  gp_keyring_row_refresh (self->keyring_row);
  /* Nor does removing the session file by hand. */
  gp_session_group_refresh (self->session_group);
}

static void
on_unlock_keyring (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  gp_keyring_row_unlock (GP_PROFILE_EDITOR (widget)->keyring_row);
}

/* The advice's "store the password": where it is typed. */
static void
on_enter_password (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* The result's "forget this password" (a rejected one): the keyring row
 * asks first, and the password row then waits for the new one. */
static void
on_forget_password (GtkWidget  *widget,
                    const char *action,
                    GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (GP_PROFILE_EDITOR (widget)->keyring_row), "keyring.forget", NULL);
}

static void
on_keyring_forgotten (GpProfileEditor *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* The advice's "give credentials": the method that sends them, and the
 * first row to fill in. */
static void
on_enter_credentials (GtkWidget  *widget,
                      const char *action,
                      GVariant   *parameter)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (widget);
  gboolean has_username = *row_text (self->username_row) != '\0';

  adw_combo_row_set_selected (self->auth_row, GP_AUTH_PASSWORD);
  gtk_widget_grab_focus (has_username ? GTK_WIDGET (self->password_row) : GTK_WIDGET (self->username_row));
}

/* --- the CA row ------------------------------------------------------------ */

/* The result's "trust the proxy's CA": the row's chooser, for the
 * profile as saved. */
static void
on_choose_ca (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  gp_ca_row_choose (GP_PROFILE_EDITOR (widget)->ca_row);
}

/* The preview names the CA bundle, or no longer does. */
static void
on_ca_changed (GpProfileEditor *self)
{
  gp_export_view_refresh (self->export_view);
}

/* --- loading a profile into the rows --------------------------------------- */

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
fill_rows (GpProfileEditor *self,
           GpProfile       *profile)
{
  g_autofree char *no_proxy = profile ? no_proxy_text (profile) : NULL;

  self->loading = TRUE;
  set_row_text (self->name_row, profile ? gp_profile_get_name (profile) : NULL);
  set_row_text (self->url_row, profile ? gp_profile_get_url (profile) : NULL);
  set_row_text (self->https_row, profile ? gp_profile_get_https_proxy (profile) : NULL);
  set_row_text (self->no_proxy_row, no_proxy);
  set_row_text (self->username_row, profile ? gp_profile_get_username (profile) : NULL);
  set_row_text (ADW_ENTRY_ROW (self->password_row), NULL);
  adw_combo_row_set_selected (self->auth_row, profile ? gp_profile_get_auth (profile) : GP_AUTH_NONE);
  gtk_switch_set_active (self->session_credentials_switch,
                         profile != NULL && gp_profile_get_session_credentials (profile));
  gtk_switch_set_active (self->gnome_proxy_switch, profile != NULL && gp_profile_get_gnome_proxy (profile));
  self->loading = FALSE;

  for (guint i = 0; entry_rows (self, i) != NULL; i++)
    set_touched (entry_rows (self, i), FALSE);
  g_clear_handle_id (&self->validate_id, g_source_remove);

  clear_errors (self);
  update_auth_rows (self);
  update_header (self);
}

static void
cancel_pending (GpProfileEditor *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static gboolean
follow_profile (gpointer user_data)
{
  GpProfileEditor *self = user_data;
  g_autofree char *message = NULL;

  self->follow_id = 0;
  if (self->profile == NULL)
    return G_SOURCE_REMOVE;

  /* Changed elsewhere (the headless commands): follow it, unless the user
   * is editing it; then say so, since Save would overwrite that change. */
  if (!compute_dirty (self))
    {
      gp_profile_editor_edit (self, self->profile);
      return G_SOURCE_REMOVE;
    }
  message = g_strdup_printf (_("“%s” was changed elsewhere; saving will replace that change"),
                             gp_profile_get_name (self->profile));
  toast (self, message);
  return G_SOURCE_REMOVE;
}

static void
on_profile_notify (GpProfileEditor *self)
{
  /* A reload changes several properties at once: follow once. */
  if (self->follow_id == 0)
    self->follow_id = g_idle_add (follow_profile, self);
}

static void
watch_profile (GpProfileEditor *self,
               GpProfile       *profile)
{
  if (self->profile == profile)
    return;
  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_func (self->profile, on_profile_notify, self);
  g_set_object (&self->profile, profile);
  if (profile != NULL)
    g_signal_connect_swapped (profile, "notify", G_CALLBACK (on_profile_notify), self);
}

/* The profile was removed elsewhere while the user edits it: keep the
 * edits, as a new profile that Save creates. */
void
gp_profile_editor_detach (GpProfileEditor *self)
{
  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));

  watch_profile (self, NULL);
  g_clear_object (&self->shown);
  g_free (self->new_id);
  self->new_id = gp_profile_new_id ();
  gtk_widget_set_visible (GTK_WIDGET (self->export_view), FALSE);
  gp_session_group_show_profile (self->session_group, NULL);
  gp_ca_row_set_profile (self->ca_row, NULL);
  update_auth_rows (self);
  update_header (self);
}

void
gp_profile_editor_edit (GpProfileEditor *self,
                        GpProfile       *profile)
{
  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));
  g_return_if_fail (GP_IS_PROFILE (profile));

  cancel_pending (self);
  g_clear_handle_id (&self->follow_id, g_source_remove);
  watch_profile (self, profile);
  g_clear_pointer (&self->new_id, g_free);
  self->editing = TRUE;

  g_clear_object (&self->shown);
  self->shown = gp_profile_copy (profile);
  fill_rows (self, profile);
  sync_active_switch (self);
  gp_export_view_set_profile (self->export_view, profile, self->manager);
  gtk_widget_set_visible (GTK_WIDGET (self->export_view), TRUE);
  gp_keyring_row_set_profile (self->keyring_row, profile);
  gp_ca_row_set_profile (self->ca_row, profile);
  gp_test_panel_show_profile (self->test_panel, profile);
}

void
gp_profile_editor_edit_new (GpProfileEditor *self,
                            const char      *name)
{
  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));

  cancel_pending (self);
  watch_profile (self, NULL);
  g_clear_object (&self->shown);
  g_free (self->new_id);
  self->new_id = gp_profile_new_id ();
  self->editing = TRUE;

  fill_rows (self, NULL);
  self->loading = TRUE;
  set_row_text (self->name_row, name);
  self->loading = FALSE;
  update_header (self);
  sync_active_switch (self);
  gp_keyring_row_set_profile (self->keyring_row, NULL);
  gp_ca_row_set_profile (self->ca_row, NULL);
  gp_test_panel_show_profile (self->test_panel, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->export_view), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

/* --- saving ----------------------------------------------------------------- */

typedef struct
{
  GpProfileEditor *self;
  char            *id;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->self);
  g_free (data->id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
on_save_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  GpProfileEditor *self = data->self;
  g_autoptr(GError) error = NULL;
  GpProfile *stored;

  /* The manager has updated the store by now: it shows what was saved. */
  if (!gp_profile_manager_finish (GP_PROFILE_MANAGER (source), res, &error))
    {
      update_header (self);
      if (error->domain == GP_SECRET_ERROR)
        {
          gp_keyring_row_show_problem (self->keyring_row, error);
          toast (self, _("Not saved: the password could not be stored"));
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      g_signal_emit (self, signals[SAVE_FINISHED], 0, FALSE);
      return;
    }

  stored = gp_profile_store_find_by_id (self->store, data->id);
  if (stored != NULL)
    gp_profile_editor_edit (self, stored);
  update_header (self);
  toast (self, _("Saved"));
  g_signal_emit (self, signals[SAVED], 0, stored != NULL ? gp_profile_get_id (stored) : NULL);
  g_signal_emit (self, signals[SAVE_FINISHED], 0, TRUE);
}

/* Returns FALSE when nothing was started (invalid rows are marked);
 * otherwise ::save-finished tells how it ended. */
gboolean
gp_profile_editor_save (GpProfileEditor *self)
{
  g_autoptr(GpProfile) edited = NULL;
  const char *password;
  SaveData *data;

  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), FALSE);

  if (!self->editing || (edited = build_edited_marking_all (self)) == NULL)
    return FALSE;

  password = row_text (ADW_ENTRY_ROW (self->password_row));
  if (!gp_profile_sends_credentials (edited) || *password == '\0')
    password = NULL;

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->id = g_strdup (gp_profile_get_id (edited));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
  if (self->profile != NULL)
    gp_profile_manager_update_async (self->manager, edited, password, GP_PROFILE_UPDATE_NONE,
                                     self->cancellable, on_save_done, data);
  else
    gp_profile_manager_add_async (self->manager, edited, password, self->cancellable, on_save_done, data);
  return TRUE;
}

static void
on_save (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  gp_profile_editor_save (GP_PROFILE_EDITOR (widget));
}

/* --- testing ---------------------------------------------------------------- */

static void
on_test (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (widget);
  g_autoptr(GpProfile) edited = NULL;
  const char *typed;

  /* The rows as they stand, saved or not: a person tests before saving. */
  if (!self->editing || (edited = build_edited_marking_all (self)) == NULL)
    return;

  typed = row_text (ADW_ENTRY_ROW (self->password_row));
  gp_test_panel_run (self->test_panel, edited, *typed != '\0' ? typed : NULL, self->profile,
                     self->profile != NULL && !compute_dirty (self));
}

/* --- the rest ---------------------------------------------------------------- */

static void
on_back_clicked (GpProfileEditor *self)
{
  g_signal_emit (self, signals[GO_BACK], 0);
}

static void
on_child_toast (GpProfileEditor *self,
                const char      *message)
{
  toast (self, message);
}

static void
gp_profile_editor_dispose (GObject *object)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (object);

  cancel_pending (self);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->validate_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->follow_id, g_source_remove);
  watch_profile (self, NULL);
  g_clear_object (&self->shown);
  g_clear_object (&self->store);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->new_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PROFILE_EDITOR);

  G_OBJECT_CLASS (gp_profile_editor_parent_class)->dispose (object);
}

static void
gp_profile_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  GpProfileEditor *self = GP_PROFILE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      self->folded = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_profile_editor_class_init (GpProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_profile_editor_dispose;
  object_class->get_property = gp_profile_editor_get_property;
  object_class->set_property = gp_profile_editor_set_property;

  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[GO_BACK] = g_signal_new ("go-back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SAVE_FINISHED] = g_signal_new ("save-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (GP_TYPE_KEYRING_ROW);
  g_type_ensure (GP_TYPE_CA_ROW);
  g_type_ensure (GP_TYPE_PASSWORDS_NOTICE);
  g_type_ensure (GP_TYPE_SESSION_GROUP);
  g_type_ensure (GP_TYPE_TEST_PANEL);
  g_type_ensure (GP_TYPE_EXPORT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, active_switch);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, active_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, session_group);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, session_credentials_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, session_credentials_switch);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, gnome_proxy_switch);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, url_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, https_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, no_proxy_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, proxy_error);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, auth_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, username_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, ca_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, passwords_notice);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, allowlist_row);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, auth_error);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, test_panel);
  gtk_widget_class_bind_template_child (widget_class, GpProfileEditor, export_view);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_active_state_set);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_child_toast);
  gtk_widget_class_bind_template_callback (widget_class, on_keyring_state);
  gtk_widget_class_bind_template_callback (widget_class, on_keyring_forgotten);
  gtk_widget_class_bind_template_callback (widget_class, on_keyring_problem);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_changed);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, on_save);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, on_test);
  gtk_widget_class_install_action (widget_class, "editor.unlock-keyring", NULL, on_unlock_keyring);
  gtk_widget_class_install_action (widget_class, "editor.enter-password", NULL, on_enter_password);
  gtk_widget_class_install_action (widget_class, "editor.forget-password", NULL, on_forget_password);
  gtk_widget_class_install_action (widget_class, "editor.enter-credentials", NULL, on_enter_credentials);
  gtk_widget_class_install_action (widget_class, "editor.choose-ca", NULL, on_choose_ca);
}

/* Where the password would sit: the real folder, as the session group
 * names the file. */
static void
set_session_credentials_subtitle (GpProfileEditor *self)
{
  g_autofree char *file = gp_session_file_path ();
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *shown = gp_session_group_shorten_path (dir);
  g_autofree char *subtitle = g_strdup_printf (_("The password then sits on disk in %s, readable by you only"),
                                               shown);

  adw_action_row_set_subtitle (self->session_credentials_row, subtitle);
}

static void
gp_profile_editor_init (GpProfileEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  add_error_icons (self);
  name_peek_button (self->password_row);
  set_session_credentials_subtitle (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

void
gp_profile_editor_set_context (GpProfileEditor  *self,
                               GpProfileManager *manager,
                               GSettings        *settings,
                               GpResultCache    *results)
{
  GpProfileStore *store = gp_profile_manager_get_store (manager);

  g_return_if_fail (GP_IS_PROFILE_EDITOR (self));

  g_set_object (&self->manager, manager);
  g_set_object (&self->store, store);
  gp_keyring_row_set_manager (self->keyring_row, manager);
  gp_ca_row_set_manager (self->ca_row, manager);
  gp_test_panel_set_context (self->test_panel, manager, settings, results);
  gp_passwords_notice_check (self->passwords_notice, manager, settings);
  g_signal_connect_swapped (store, "notify::active", G_CALLBACK (sync_active_switch), self);
}

GpProfile *
gp_profile_editor_get_profile (GpProfileEditor *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), NULL);
  return self->profile;
}

gboolean
gp_profile_editor_is_editing (GpProfileEditor *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), FALSE);
  return self->editing;
}

gboolean
gp_profile_editor_is_dirty (GpProfileEditor *self)
{
  g_return_val_if_fail (GP_IS_PROFILE_EDITOR (self), FALSE);
  return compute_dirty (self);
}
