/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-profile-row.h"

struct _GpProfileRow
{
  GtkBox          parent_instance;

  GtkImage       *verdict_icon;
  GtkLabel       *name_label;
  GtkLabel       *url_label;
  GtkWidget      *active_label;

  GpProfileStore *store;
  GpResultCache  *results;
  GpProfile      *profile;
  GBinding       *name_binding;
  GBinding       *url_binding;
};

G_DEFINE_FINAL_TYPE (GpProfileRow, gp_profile_row, GTK_TYPE_BOX)

static void
update_verdict (GpProfileRow *self)
{
  GtkWidget *icon = GTK_WIDGET (self->verdict_icon);
  GpVerdict verdict;

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "warning");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "dim-label");

  if (self->profile != NULL &&
      gp_result_cache_get_verdict (self->results, gp_profile_get_id (self->profile), &verdict))
    {
      gtk_image_set_from_icon_name (self->verdict_icon, gp_verdict_get_icon_name (verdict));
      gtk_widget_add_css_class (icon, gp_severity_css_class (gp_verdict_get_severity (verdict)));
    }
  else
    {
      gtk_image_set_from_icon_name (self->verdict_icon, "network-server-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
    }
}

/* Asked for when shown: setting tooltips while binding costs GTK 4.8 a
 * round trip to the X server per row, which a long list notices. */
static gboolean
on_verdict_query_tooltip (GpProfileRow *self,
                          int           x,
                          int           y,
                          gboolean      keyboard,
                          GtkTooltip   *tooltip)
{
  GpVerdict verdict;

  if (self->profile == NULL)
    return FALSE;
  if (gp_result_cache_get_verdict (self->results, gp_profile_get_id (self->profile), &verdict))
    gtk_tooltip_set_text (tooltip, gp_verdict_get_title (verdict));
  else
    gtk_tooltip_set_text (tooltip, _("Not Tested"));
  return TRUE;
}

static GtkWidget *
new_label (float               xalign,
           PangoEllipsizeMode  ellipsize,
           const char         *first_class,
           const char         *second_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), ellipsize);
  if (first_class != NULL)
    gtk_widget_add_css_class (label, first_class);
  if (second_class != NULL)
    gtk_widget_add_css_class (label, second_class);
  return label;
}

/* Made for the first row that shows the active profile: one of a
 * thousand rows needs it. */
static void
update_active (GpProfileRow *self)
{
  gboolean active = self->profile != NULL && gp_profile_store_get_active (self->store) == self->profile;

  if (active && self->active_label == NULL)
    {
      self->active_label = new_label (0.5, PANGO_ELLIPSIZE_NONE, "caption-heading", "accent");
      gtk_label_set_text (GTK_LABEL (self->active_label), _("Active"));
      gtk_widget_set_valign (self->active_label, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (self), self->active_label);
    }
  if (self->active_label != NULL)
    gtk_widget_set_visible (self->active_label, active);
}

static void
on_results_changed (GpProfileRow *self,
                    const char   *profile_id)
{
  if (self->profile != NULL && g_strcmp0 (profile_id, gp_profile_get_id (self->profile)) == 0)
    update_verdict (self);
}

static void
gp_profile_row_dispose (GObject *object)
{
  GpProfileRow *self = GP_PROFILE_ROW (object);

  gp_profile_row_unbind (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->results != NULL)
    g_signal_handlers_disconnect_by_data (self->results, self);
  g_clear_object (&self->store);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (gp_profile_row_parent_class)->dispose (object);
}

static void
gp_profile_row_class_init (GpProfileRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gp_profile_row_dispose;
}

/* Built in code, not from a template: GTK 4.8's list view keeps up to
 * 200 rows of a long list at all times, built before the first frame,
 * and a template's builder costs each of them more than its widgets do
 * (bench/gui-start.sh, 1,000 profiles). */
static void
gp_profile_row_init (GpProfileRow *self)
{
  GtkBox *box = GTK_BOX (self);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_set_spacing (box, 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);

  self->verdict_icon = GTK_IMAGE (gtk_image_new_from_icon_name ("network-server-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->verdict_icon), GTK_ALIGN_CENTER);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->verdict_icon), TRUE);
  g_signal_connect_swapped (self->verdict_icon, "query-tooltip", G_CALLBACK (on_verdict_query_tooltip), self);
  gtk_box_append (box, GTK_WIDGET (self->verdict_icon));

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  self->name_label = GTK_LABEL (new_label (0, PANGO_ELLIPSIZE_END, NULL, NULL));
  self->url_label = GTK_LABEL (new_label (0, PANGO_ELLIPSIZE_MIDDLE, "caption", "dim-label"));
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->url_label));
  gtk_box_append (box, texts);
}

GtkWidget *
gp_profile_row_new (GpProfileStore *store,
                    GpResultCache  *results)
{
  GpProfileRow *self = g_object_new (GP_TYPE_PROFILE_ROW, NULL);

  self->store = g_object_ref (store);
  self->results = g_object_ref (results);
  g_signal_connect_swapped (store, "notify::active", G_CALLBACK (update_active), self);
  g_signal_connect_swapped (results, "changed", G_CALLBACK (on_results_changed), self);
  return GTK_WIDGET (self);
}

void
gp_profile_row_bind (GpProfileRow *self,
                     GpProfile    *profile)
{
  g_return_if_fail (GP_IS_PROFILE_ROW (self));

  gp_profile_row_unbind (self);
  self->profile = g_object_ref (profile);
  self->name_binding = g_object_bind_property (profile, "name", self->name_label, "label", G_BINDING_SYNC_CREATE);
  self->url_binding = g_object_bind_property (profile, "url", self->url_label, "label", G_BINDING_SYNC_CREATE);
  update_verdict (self);
  update_active (self);
}

void
gp_profile_row_unbind (GpProfileRow *self)
{
  g_return_if_fail (GP_IS_PROFILE_ROW (self));

  g_clear_pointer (&self->name_binding, g_binding_unbind);
  g_clear_pointer (&self->url_binding, g_binding_unbind);
  g_clear_object (&self->profile);
}
