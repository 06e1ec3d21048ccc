/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-passwords-notice.h"
#include "gp-sandbox.h"

/* Passwords that a native install stored are in the login keyring; the
 * Flatpak keeps its own through the Secret portal and never sees them.
 * Someone who moves to the Flatpak finds the profiles (they copied the
 * file) but no password, and would not know why: the first start says
 * so, once. */
#define DISMISSED_KEY "sandbox-passwords-notice-dismissed"

struct _GpPasswordsNotice
{
  AdwBin        parent_instance;

  GtkRevealer  *revealer;      /* the bin's child */

  GSettings    *settings;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (GpPasswordsNotice, gp_passwords_notice, ADW_TYPE_BIN)

/* Profiles need passwords, and the keyring has not one of them: what a
 * copy of a native install's profiles looks like from inside. */
static gboolean
passwords_left_behind (GpProfileStore   *store,
                       GpKeyringListing *listing)
{
  GListModel *profiles = G_LIST_MODEL (store);
  guint needing = 0;

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(GpProfile) profile = g_list_model_get_item (profiles, i);

      if (!gp_profile_sends_credentials (profile))
        continue;
      if (gp_keyring_listing_has (listing, gp_profile_get_id (profile), gp_profile_get_username (profile)))
        return FALSE;
      needing++;
    }
  return needing > 0;
}

static void
on_listing_done (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GpProfileManager *manager = GP_PROFILE_MANAGER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpKeyringListing) listing = gp_profile_manager_list_passwords_finish (manager, res, &error);
  GpPasswordsNotice *self;

  /* A keyring that cannot be read is the keyring row's to tell; and
   * after cancellation user_data may be gone. */
  if (listing == NULL)
    return;
  self = GP_PASSWORDS_NOTICE (user_data);
  gtk_revealer_set_reveal_child (self->revealer,
                                 passwords_left_behind (gp_profile_manager_get_store (manager), listing));
}

void
gp_passwords_notice_check (GpPasswordsNotice *self,
                           GpProfileManager  *manager,
                           GSettings         *settings)
{
  g_return_if_fail (GP_IS_PASSWORDS_NOTICE (self));
  g_return_if_fail (GP_IS_PROFILE_MANAGER (manager));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  if (!gp_sandbox_is_flatpak () || settings == NULL || g_settings_get_boolean (settings, DISMISSED_KEY))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gp_profile_manager_list_passwords_async (manager, self->cancellable, on_listing_done, self);
}

gboolean
gp_passwords_notice_is_revealed (GpPasswordsNotice *self)
{
  g_return_val_if_fail (GP_IS_PASSWORDS_NOTICE (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

static void
on_dismiss (GtkWidget  *widget,
            const char *action,
            GVariant   *parameter)
{
  GpPasswordsNotice *self = GP_PASSWORDS_NOTICE (widget);

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, DISMISSED_KEY, TRUE);
}

static void
gp_passwords_notice_dispose (GObject *object)
{
  GpPasswordsNotice *self = GP_PASSWORDS_NOTICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_PASSWORDS_NOTICE);

  G_OBJECT_CLASS (gp_passwords_notice_parent_class)->dispose (object);
}

static void
gp_passwords_notice_class_init (GpPasswordsNoticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_passwords_notice_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-passwords-notice.ui");

  gtk_widget_class_install_action (widget_class, "notice.dismiss", NULL, on_dismiss);
}

static void
gp_passwords_notice_init (GpPasswordsNotice *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a bound template child: disposing the template would unparent
   * the bin's own child behind its back. */
  self->revealer = GTK_REVEALER (adw_bin_get_child (ADW_BIN (self)));
}
