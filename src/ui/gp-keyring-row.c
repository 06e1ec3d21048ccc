/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-keyring-row.h"
#include "gp-keyring-watch.h"

/* The editor's "Keyring" row: whether the profile's password is stored,
 * and any problem with the keyring, with the one thing to do about it
 * (Unlock for a locked keyring, Try Again for anything else). It follows
 * the keyrings' state: unlocked or locked elsewhere, it says so at once. */
struct _GpKeyringRow
{
  AdwActionRow      parent_instance;

  GtkWidget        *unlock_button;
  GtkWidget        *retry_button;
  GtkWidget        *forget_button;

  GpProfileManager *manager;
  GpKeyringWatch   *watch;
  GpProfile        *profile;
  GCancellable     *cancellable;   /* belongs to the profile shown */
  gboolean          has_password;
  gboolean          known;         /* the last listing succeeded */
};

G_DEFINE_FINAL_TYPE (GpKeyringRow, gp_keyring_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_HAS_PASSWORD,
  PROP_KNOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  FORGOTTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (GpKeyringRow *self,
       const char   *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

static void
set_has_password (GpKeyringRow *self,
                  gboolean      known,
                  gboolean      has_password)
{
  /* Both change before either is announced: a listener must never see
   * "known, no password" on the way to "known, stored" (the export
   * preview hides a revealed password on the first). */
  g_object_freeze_notify (G_OBJECT (self));
  if (self->known != known)
    {
      self->known = known;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOWN]);
    }
  if (self->has_password != has_password)
    {
      self->has_password = has_password;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_PASSWORD]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* What the row says: the password's state, or the problem. */
static void
show_state (GpKeyringRow *self,
            const char   *state,
            const GError *problem)
{
  gboolean locked = g_error_matches (problem, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), problem != NULL ? problem->message : state);
  /* The problem's own button (Unlock is the suggested action) marks it:
   * a prefix icon would indent the title out of line with the others. */
  gtk_widget_set_visible (self->unlock_button, locked);
  gtk_widget_set_visible (self->retry_button, problem != NULL && !locked);
  gtk_widget_set_visible (self->forget_button, problem == NULL && self->has_password);
}

void
gp_keyring_row_show_problem (GpKeyringRow *self,
                             const GError *error)
{
  g_return_if_fail (GP_IS_KEYRING_ROW (self));

  show_state (self, self->has_password ? _("A password is stored") : _("No password is stored"), error);
}

static void
on_listing_done (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GpKeyringRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpKeyringListing) listing = gp_profile_manager_list_passwords_finish (GP_PROFILE_MANAGER (source),
                                                                                 res, &error);
  const char *id, *username;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->profile == NULL)
    return;
  if (listing == NULL)
    {
      set_has_password (self, FALSE, FALSE);
      show_state (self, NULL, error);
      return;
    }

  id = gp_profile_get_id (self->profile);
  username = gp_profile_get_username (self->profile);
  set_has_password (self, TRUE, gp_keyring_listing_has (listing, id, username));
  /* A listing also succeeds on a locked keyring: say so, with Unlock. */
  if (self->has_password && gp_keyring_listing_is_locked (listing, id, username))
    g_set_error_literal (&error, GP_SECRET_ERROR, GP_SECRET_ERROR_LOCKED,
                         _("The keyring is locked: unlock it to test this profile or show its password"));
  gp_keyring_row_show_problem (self, error);
}

/* Also called when the window regains focus: `set-password` from a
 * terminal changes no file that could be watched. */
void
gp_keyring_row_refresh (GpKeyringRow *self)
{
  g_return_if_fail (GP_IS_KEYRING_ROW (self));

  if (self->manager == NULL || self->profile == NULL || !gp_profile_sends_credentials (self->profile))
    return;
  gp_profile_manager_list_passwords_async (self->manager, self->cancellable, on_listing_done, g_object_ref (self));
}

static void
on_unlock_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GpKeyringRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gp_profile_manager_unlock_keyring_finish (GP_PROFILE_MANAGER (source), res, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gp_keyring_row_show_problem (self, error);
      return;
    }
  gp_keyring_row_refresh (self);
}

void
gp_keyring_row_unlock (GpKeyringRow *self)
{
  g_return_if_fail (GP_IS_KEYRING_ROW (self));

  if (self->manager != NULL)
    gp_profile_manager_unlock_keyring_async (self->manager, self->cancellable, on_unlock_done,
                                             g_object_ref (self));
}

static void
on_forget_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GpKeyringRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gp_profile_manager_finish (GP_PROFILE_MANAGER (source), res, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gp_keyring_row_show_problem (self, error);
      return;
    }
  toast (self, _("Password removed from the keyring"));
  gp_keyring_row_refresh (self);
  g_signal_emit (self, signals[FORGOTTEN], 0);
}

static void
on_forget_response (AdwMessageDialog *dialog,
                    const char       *response,
                    GpKeyringRow     *self)
{
  if (g_strcmp0 (response, "forget") == 0 && self->profile != NULL)
    gp_profile_manager_forget_password_async (self->manager, gp_profile_get_id (self->profile), self->cancellable,
                                              on_forget_done, g_object_ref (self));
}

static void
on_forget (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  GpKeyringRow *self = GP_KEYRING_ROW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (self->profile == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Forget the Password?"), NULL));
  adw_message_dialog_format_body (dialog, _("The password of “%s” will be removed from the keyring. "
                                            "The proxy will ask for it again."),
                                  gp_profile_get_name (self->profile));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "forget", _("_Forget"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "forget", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_forget_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_unlock (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  gp_keyring_row_unlock (GP_KEYRING_ROW (widget));
}

static void
on_refresh (GtkWidget  *widget,
            const char *action,
            GVariant   *parameter)
{
  gp_keyring_row_refresh (GP_KEYRING_ROW (widget));
}

/* The profile whose password the row tells of: NULL for a new one. */
void
gp_keyring_row_set_profile (GpKeyringRow *self,
                            GpProfile    *profile)
{
  g_return_if_fail (GP_IS_KEYRING_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->profile, profile);
  set_has_password (self, FALSE, FALSE);
  show_state (self, _("Looking in the keyring…"), NULL);
  gp_keyring_row_refresh (self);
}

void
gp_keyring_row_set_manager (GpKeyringRow     *self,
                            GpProfileManager *manager)
{
  g_return_if_fail (GP_IS_KEYRING_ROW (self));

  g_set_object (&self->manager, manager);
  if (self->watch == NULL)
    {
      self->watch = gp_keyring_watch_new ();
      g_signal_connect_swapped (self->watch, "changed", G_CALLBACK (gp_keyring_row_refresh), self);
    }
}

gboolean
gp_keyring_row_get_has_password (GpKeyringRow *self)
{
  g_return_val_if_fail (GP_IS_KEYRING_ROW (self), FALSE);
  return self->has_password;
}

/* Whether the row knows the password's state: the keyring answered. */
gboolean
gp_keyring_row_get_known (GpKeyringRow *self)
{
  g_return_val_if_fail (GP_IS_KEYRING_ROW (self), FALSE);
  return self->known;
}

static void
gp_keyring_row_dispose (GObject *object)
{
  GpKeyringRow *self = GP_KEYRING_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_object (&self->profile);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_KEYRING_ROW);

  G_OBJECT_CLASS (gp_keyring_row_parent_class)->dispose (object);
}

static void
gp_keyring_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GpKeyringRow *self = GP_KEYRING_ROW (object);

  switch (prop_id)
    {
    case PROP_HAS_PASSWORD:
      g_value_set_boolean (value, self->has_password);
      break;
    case PROP_KNOWN:
      g_value_set_boolean (value, self->known);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_keyring_row_class_init (GpKeyringRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_keyring_row_dispose;
  object_class->get_property = gp_keyring_row_get_property;

  properties[PROP_HAS_PASSWORD] =
    g_param_spec_boolean ("has-password", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KNOWN] =
    g_param_spec_boolean ("known", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The password was removed at the user's request: the editor then asks
   * for the new one. */
  signals[FORGOTTEN] = g_signal_new ("forgotten", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-keyring-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GpKeyringRow, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, GpKeyringRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, GpKeyringRow, forget_button);

  gtk_widget_class_install_action (widget_class, "keyring.unlock", NULL, on_unlock);
  gtk_widget_class_install_action (widget_class, "keyring.refresh", NULL, on_refresh);
  gtk_widget_class_install_action (widget_class, "keyring.forget", NULL, on_forget);
}

static void
gp_keyring_row_init (GpKeyringRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  show_state (self, NULL, NULL);
}
