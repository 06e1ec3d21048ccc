/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-ca.h"
#include "gp-ca-row.h"

/* The editor's row for the CA of a TLS-inspecting proxy: which CA the
 * profile trusts besides the system's, Choose… to trust one (or another)
 * and Remove. Unlike the editor's other rows it applies at once, like
 * the Active switch: the CA's files are not the profile file's, and a
 * test right after Choose should use it. A file that is not a CA
 * certificate changes nothing; the row says why. */
struct _GpCaRow
{
  AdwActionRow          parent_instance;

  GtkWidget            *error_icon;
  GtkWidget            *remove_button;
  GtkWidget            *choose_button;

  GpProfileManager     *manager;
  GpProfile            *profile;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;   /* belongs to the profile shown */
  gboolean              has_ca;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (GpCaRow, gp_ca_row, ADW_TYPE_ACTION_ROW)

enum {
  TOAST,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (GpCaRow    *self,
       const char *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

static void
update_actions (GpCaRow *self)
{
  gboolean usable = self->profile != NULL && self->manager != NULL && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ca.choose", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ca.remove", usable && self->has_ca);
  gtk_widget_set_visible (self->remove_button, self->has_ca);
}

static void
clear_problem (GpCaRow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  gtk_widget_set_visible (self->error_icon, FALSE);
}

/* The message stays until the next choice or another profile: the row
 * goes on saying that nothing changed. */
static void
show_problem (GpCaRow    *self,
              const char *message)
{
  g_autofree char *text = g_strdup_printf (_("%s. Nothing was changed."), message);

  gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  gtk_widget_set_visible (self->error_icon, TRUE);
  gtk_widget_set_tooltip_text (self->error_icon, message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text);
}

/* What the profile trusts now, read from the CA's store; the PEM is
 * checked again since a CA that has expired since is no use. */
static void
show_state (GpCaRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *checked = NULL;
  g_autofree char *subjects = NULL;

  self->has_ca = FALSE;
  if (self->profile == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), _("Save the profile first"));
  else if ((pem = gp_ca_store_read (gp_profile_get_id (self->profile), &error)) == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                                 error != NULL ? error->message : _("None: only the system’s CAs are trusted"));
  else
    {
      self->has_ca = TRUE;
      checked = gp_ca_check_pem (pem, strlen (pem), &subjects, &error);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), checked != NULL ? subjects : error->message);
    }
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  update_actions (self);
}

/* --- applying -------------------------------------------------------------- */

typedef struct
{
  GpCaRow      *self;
  GCancellable *cancellable;
  char         *subjects;   /* NULL: the CA was removed */
} Apply;

static void
apply_free (Apply *apply)
{
  g_object_unref (apply->self);
  g_object_unref (apply->cancellable);
  g_free (apply->subjects);
  g_free (apply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Apply, apply_free)

static void
on_set_ca_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(Apply) apply = user_data;
  GpCaRow *self = apply->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!gp_profile_manager_finish (GP_PROFILE_MANAGER (source), res, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Done, but for a profile no longer shown: its row was filled anew. */
  if (g_cancellable_is_cancelled (apply->cancellable))
    return;
  self->busy = FALSE;
  if (error == NULL)
    clear_problem (self);
  show_state (self);
  if (error != NULL)
    {
      show_problem (self, error->message);
      return;
    }

  message = apply->subjects != NULL
            ? g_strdup_printf (_("This profile now trusts “%s”"), apply->subjects)
            : g_strdup (_("CA removed: only the system’s CAs are trusted"));
  toast (self, message);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
apply_ca (GpCaRow    *self,
          const char *pem,
          const char *subjects)
{
  Apply *apply = g_new0 (Apply, 1);

  apply->self = g_object_ref (self);
  apply->cancellable = g_object_ref (self->cancellable);
  apply->subjects = g_strdup (subjects);
  self->busy = TRUE;
  update_actions (self);
  gp_profile_manager_set_ca_async (self->manager, gp_profile_get_id (self->profile), pem,
                                   self->cancellable, on_set_ca_done, apply);
}

/* --- choosing a file ---------------------------------------------------------- */

/* Reading stops just past the longest file accepted: a wrong choice (a
 * disk image) is refused without being read whole. */
static gboolean
on_read_more (const char *contents,
              goffset     size,
              gpointer    user_data)
{
  return size <= GP_CA_MAX_BYTES;
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GpCaRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *subjects = NULL;
  gsize length = 0;

  if (!g_file_load_partial_contents_finish (G_FILE (source), res, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->busy = FALSE;
      update_actions (self);
      show_problem (self, error->message);
      return;
    }

  self->busy = FALSE;
  pem = gp_ca_check_pem (contents, length, &subjects, &error);
  if (pem == NULL)
    {
      update_actions (self);
      show_problem (self, error->message);
      return;
    }
  apply_ca (self, pem, subjects);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     GpCaRow         *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || self->profile == NULL)
    return;

  /* Through the document portal in the Flatpak: a GFile, not a path. */
  self->busy = TRUE;
  update_actions (self);
  g_file_load_partial_contents_async (file, self->cancellable, on_read_more, on_file_loaded,
                                      g_object_ref (self));
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char * const *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/* GTK 4.8 (Debian 12) has no GtkFileDialog; the native chooser uses the
 * file chooser portal where there is one. */
void
gp_ca_row_choose (GpCaRow *self)
{
  static const char * const pem_patterns[] = { "*.pem", "*.crt", "*.cer", "*.PEM", "*.CRT", "*.CER", NULL };
  static const char * const all_patterns[] = { "*", NULL };
  GtkRoot *root;

  g_return_if_fail (GP_IS_CA_ROW (self));

  if (self->profile == NULL || self->manager == NULL || self->busy || self->chooser != NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (_("Choose the Proxy’s CA Certificate"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Trust"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PEM Certificates"), pem_patterns);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("All Files"), all_patterns);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_choose (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  gp_ca_row_choose (GP_CA_ROW (widget));
}

static void
on_remove (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  GpCaRow *self = GP_CA_ROW (widget);

  if (self->profile == NULL || self->manager == NULL || self->busy || !self->has_ca)
    return;
  clear_problem (self);
  apply_ca (self, NULL, NULL);
}

/* --- the rest ------------------------------------------------------------------- */

static void
cancel_pending (GpCaRow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;
  /* The portal's answer may still come: it is for a row that moved on. */
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
    }
  g_clear_object (&self->chooser);
}

static void
gp_ca_row_dispose (GObject *object)
{
  GpCaRow *self = GP_CA_ROW (object);

  cancel_pending (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_CA_ROW);

  G_OBJECT_CLASS (gp_ca_row_parent_class)->dispose (object);
}

static void
gp_ca_row_class_init (GpCaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_ca_row_dispose;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-ca-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GpCaRow, error_icon);
  gtk_widget_class_bind_template_child (widget_class, GpCaRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, GpCaRow, choose_button);

  gtk_widget_class_install_action (widget_class, "ca.choose", NULL, on_choose);
  gtk_widget_class_install_action (widget_class, "ca.remove", NULL, on_remove);
}

static void
gp_ca_row_init (GpCaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  show_state (self);
}

void
gp_ca_row_set_manager (GpCaRow          *self,
                       GpProfileManager *manager)
{
  g_return_if_fail (GP_IS_CA_ROW (self));

  g_set_object (&self->manager, manager);
  update_actions (self);
}

/* The profile as saved, or NULL for a new one (its CA can be chosen once
 * it is saved). */
void
gp_ca_row_set_profile (GpCaRow   *self,
                       GpProfile *profile)
{
  g_return_if_fail (GP_IS_CA_ROW (self));

  cancel_pending (self);
  g_set_object (&self->profile, profile);
  clear_problem (self);
  show_state (self);
}
