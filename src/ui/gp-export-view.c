/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-env.h"
#include "gp-export-view.h"

/* Rendered in place of the password until the user reveals it: only
 * unreserved characters, so percent-encoding leaves it as it is. */
#define MASK_SENTINEL "GATEPASS-PASSWORD-MASK"
#define MASK_SHOWN    "••••••••"

struct _GpExportView
{
  AdwBin           parent_instance;

  GtkDropDown     *format_dropdown;
  GtkToggleButton *reveal_button;
  GtkTextView     *text_view;
  GtkWidget       *text_frame;
  GtkWidget       *no_password_label;

  GpProfile       *profile;
  GpProfileManager *manager;
  GCancellable    *cancellable;
  gboolean         password_known;   /* from the keyring row's listing */
  gboolean         password_stored;
};

G_DEFINE_FINAL_TYPE (GpExportView, gp_export_view, ADW_TYPE_BIN)

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
render (GpExportView *self,
        const char   *password)
{
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  if (self->profile == NULL)
    return g_strdup ("");

  variables = gp_env_variables_for_profile (self->profile, password);
  text = gp_env_render (variables, gtk_drop_down_get_selected (self->format_dropdown), &error);
  return text != NULL ? text : g_strdup (error->message);
}

/* Long URLs wrap anywhere (wrap-mode char) but never with a hyphen:
 * one inside a password would read as part of it. */
static void
show_text (GpExportView *self,
           const char   *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag_by_name (buffer, "no-hyphens", &start, &end);
}

/* A profile that needs a password and has none: `export` prints
 * nothing (exit 5), and so does the preview. */
static gboolean
prints_nothing (GpExportView *self)
{
  return self->profile != NULL && gp_profile_sends_credentials (self->profile) &&
         self->password_known && !self->password_stored;
}

static void
update_controls (GpExportView *self)
{
  gboolean nothing = prints_nothing (self);
  gboolean has_secret = self->profile != NULL && gp_profile_sends_credentials (self->profile) && !nothing;

  gtk_widget_set_visible (self->no_password_label, nothing);
  gtk_widget_set_visible (self->text_frame, !nothing);
  gtk_widget_set_visible (GTK_WIDGET (self->reveal_button), has_secret);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.copy", !nothing);
}

static void
show_masked (GpExportView *self)
{
  g_autofree char *text = render (self, MASK_SENTINEL);
  g_autoptr(GString) shown = g_string_new (text);

  g_string_replace (shown, MASK_SENTINEL, MASK_SHOWN, 0);
  show_text (self, shown->str);
}

typedef enum { AFTER_LOOKUP_REVEAL, AFTER_LOOKUP_COPY } AfterLookup;

static void
finish_with_password (GpExportView *self,
                      AfterLookup   after,
                      const char   *password)
{
  g_autofree char *text = render (self, password);

  if (after == AFTER_LOOKUP_REVEAL)
    {
      show_text (self, text);
      return;
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  g_signal_emit (self, signals[TOAST], 0,
                 password != NULL ? _("Copied, including the password") : _("Copied"));
  explicit_bzero (text, strlen (text));
}

typedef struct
{
  GpExportView *self;
  AfterLookup   after;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
on_lookup_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  GpExportView *self = lookup->self;
  AfterLookup after = lookup->after;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = gp_profile_manager_lookup_password_finish (GP_PROFILE_MANAGER (source), res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_signal_emit (self, signals[TOAST], 0, error->message);
      gtk_toggle_button_set_active (self->reveal_button, FALSE);
      return;
    }
  /* The user may have hidden it again meanwhile. */
  if (after == AFTER_LOOKUP_REVEAL && !gtk_toggle_button_get_active (self->reveal_button))
    return;
  if (password == NULL && after == AFTER_LOOKUP_REVEAL)
    g_signal_emit (self, signals[TOAST], 0, _("No password is stored for this profile"));
  finish_with_password (self, after, password);
}

static void
with_password (GpExportView *self,
               AfterLookup   after)
{
  Lookup *lookup;

  if (self->profile == NULL || !gp_profile_sends_credentials (self->profile))
    {
      finish_with_password (self, after, NULL);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->after = after;
  gp_profile_manager_lookup_password_async (self->manager, self->profile, self->cancellable,
                                            on_lookup_done, lookup);
}

/* A lookup still on its way belongs to what was shown before. */
static void
cancel_lookups (GpExportView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
refresh (GpExportView *self)
{
  cancel_lookups (self);
  update_controls (self);
  if (gtk_toggle_button_get_active (self->reveal_button))
    with_password (self, AFTER_LOOKUP_REVEAL);
  else
    show_masked (self);
}

static void
on_format_changed (GpExportView *self)
{
  refresh (self);
}

static void
on_reveal_toggled (GpExportView *self)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button),
                               gtk_toggle_button_get_active (self->reveal_button)
                               ? _("Hide Password") : _("Show Password"));
  refresh (self);
}

static void
on_copy (GtkWidget  *widget,
         const char *action,
         GVariant   *parameter)
{
  with_password (GP_EXPORT_VIEW (widget), AFTER_LOOKUP_COPY);
}

static void
gp_export_view_dispose (GObject *object)
{
  GpExportView *self = GP_EXPORT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);
  g_clear_object (&self->manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_EXPORT_VIEW);

  G_OBJECT_CLASS (gp_export_view_parent_class)->dispose (object);
}

static void
gp_export_view_class_init (GpExportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_export_view_dispose;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-export-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GpExportView, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpExportView, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, GpExportView, text_view);
  gtk_widget_class_bind_template_child (widget_class, GpExportView, text_frame);
  gtk_widget_class_bind_template_child (widget_class, GpExportView, no_password_label);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_toggled);
  gtk_widget_class_install_action (widget_class, "export.copy", NULL, on_copy);
}

static void
gp_export_view_init (GpExportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view), "no-hyphens",
                              "insert-hyphens", FALSE, NULL);
}

/* The profile as saved: what `export` would print now. */
void
gp_export_view_set_profile (GpExportView     *self,
                            GpProfile        *profile,
                            GpProfileManager *manager)
{
  g_return_if_fail (GP_IS_EXPORT_VIEW (self));

  g_set_object (&self->manager, manager);
  g_set_object (&self->profile, profile);
  self->password_known = FALSE;
  gtk_toggle_button_set_active (self->reveal_button, FALSE);
  refresh (self);
}

/* What the keyring says of the profile's password: until known, the
 * preview shows the variables with the password masked. */
void
gp_export_view_set_password_known (GpExportView *self,
                                   gboolean      known,
                                   gboolean      stored)
{
  g_return_if_fail (GP_IS_EXPORT_VIEW (self));

  if (self->password_known == known && self->password_stored == stored)
    return;
  self->password_known = known;
  self->password_stored = stored;
  if (prints_nothing (self))
    gtk_toggle_button_set_active (self->reveal_button, FALSE);
  refresh (self);
}

/* Something that export reads besides the profile file changed (its CA). */
void
gp_export_view_refresh (GpExportView *self)
{
  g_return_if_fail (GP_IS_EXPORT_VIEW (self));

  if (self->profile != NULL)
    refresh (self);
}
