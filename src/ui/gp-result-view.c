/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-result-cache.h"
#include "gp-result-view.h"

struct _GpResultView
{
  AdwBin          parent_instance;

  GtkWidget      *verdict_box;
  GtkImage       *verdict_icon;
  GtkLabel       *verdict_label;
  GtkLabel       *advice_label;
  GtkLabel       *action_label;
  GtkButton      *action_button;
  GtkWidget      *forget_button;
  GtkWidget      *trust_ca_button;
  AdwActionRow   *status_row;
  AdwActionRow   *exit_ip_row;
  AdwActionRow   *direct_ip_row;
  AdwActionRow   *time_row;
  AdwActionRow   *detail_row;
  AdwExpanderRow *certificate_row;
  AdwActionRow   *cert_host_row;
  AdwActionRow   *cert_subject_row;
  AdwActionRow   *cert_issuer_row;
  GtkLabel       *cert_sha256_label;
  GtkWidget      *challenges_title;
  GtkListBox     *challenges_list;

  GpProbeResult  *result;
};

G_DEFINE_FINAL_TYPE (GpResultView, gp_result_view, ADW_TYPE_BIN)

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
copy_text (GpResultView *self,
           const char   *text,
           const char   *said)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  g_signal_emit (self, signals[TOAST], 0, said);
}

static void
on_copy_exit_ip (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  GpResultView *self = GP_RESULT_VIEW (widget);

  if (self->result != NULL && gp_probe_result_get_exit_ip (self->result) != NULL)
    copy_text (self, gp_probe_result_get_exit_ip (self->result), _("Address copied"));
}

static void
on_copy_direct_ip (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  GpResultView *self = GP_RESULT_VIEW (widget);

  if (self->result != NULL && gp_probe_result_get_direct_ip (self->result) != NULL)
    copy_text (self, gp_probe_result_get_direct_ip (self->result), _("Address copied"));
}

static void
on_copy_curl (GtkWidget  *widget,
              const char *action,
              GVariant   *parameter)
{
  GpResultView *self = GP_RESULT_VIEW (widget);

  if (self->result != NULL && gp_probe_result_get_curl_command (self->result) != NULL)
    copy_text (self, gp_probe_result_get_curl_command (self->result), _("curl command copied"));
}

/* As certificate viewers show it: upper-case pairs, colon-separated. */
static char *
fingerprint_text (const char *sha256)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (const char *p = sha256; *p != '\0'; p++)
    {
      if (p != sha256 && (p - sha256) % 2 == 0)
        g_string_append_c (text, ':');
      g_string_append_c (text, g_ascii_toupper (*p));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_copy_fingerprint (GtkWidget  *widget,
                     const char *action,
                     GVariant   *parameter)
{
  GpResultView *self = GP_RESULT_VIEW (widget);
  const GpTlsInfo *tls = self->result != NULL ? gp_probe_result_get_tls (self->result) : NULL;
  g_autofree char *text = NULL;

  if (tls == NULL || tls->sha256 == NULL)
    return;
  text = fingerprint_text (tls->sha256);
  copy_text (self, text, _("Fingerprint copied"));
}

static char *
challenge_params_text (GpChallenge *challenge)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (gp_challenge_get_token68 (challenge) != NULL)
    g_string_append (text, gp_challenge_get_token68 (challenge));

  for (guint i = 0; i < gp_challenge_get_n_params (challenge); i++)
    {
      const char *name = gp_challenge_get_param_name (challenge, i);
      const char *value = gp_challenge_get_param_value (challenge, i);

      if (g_strcmp0 (name, "realm") == 0)
        continue;
      g_string_append_printf (text, "%s%s%s%s", text->len > 0 ? ", " : "", name,
                              value != NULL ? "=" : "", value != NULL ? value : "");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
challenge_row_new (GpChallenge *challenge)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *params = challenge_params_text (challenge);
  g_autofree char *title = NULL;
  const char *realm = gp_challenge_get_realm (challenge);

  /* Proxy-supplied text: shown as text, never as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  title = realm != NULL
          ? g_strdup_printf (_("%s — realm “%s”"), gp_challenge_get_scheme (challenge), realm)
          : g_strdup (gp_challenge_get_scheme (challenge));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), params);
  return row;
}

static void
fill_challenges (GpResultView *self)
{
  GPtrArray *challenges = gp_probe_result_get_challenges (self->result);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->challenges_list))) != NULL)
    gtk_list_box_remove (self->challenges_list, child);

  for (guint i = 0; i < challenges->len; i++)
    gtk_list_box_append (self->challenges_list, challenge_row_new (g_ptr_array_index (challenges, i)));

  gtk_widget_set_visible (self->challenges_title, challenges->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->challenges_list), challenges->len > 0);
}

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gtk_widget_set_visible (GTK_WIDGET (row), value != NULL);
  adw_action_row_set_subtitle (row, value != NULL ? value : "");
}

/* The certificate the echo host presented through the proxy, when
 * there was a TLS handshake: open at once when it is the point of the
 * verdict (an issuer this system does not trust). */
static void
fill_certificate (GpResultView *self)
{
  const GpTlsInfo *tls = gp_probe_result_get_tls (self->result);
  g_autofree char *fingerprint = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->certificate_row), tls != NULL);
  if (tls == NULL)
    return;

  adw_expander_row_set_subtitle (self->certificate_row,
                                 tls->trusted ? _("Trusted by this system") : _("Not trusted by this system"));
  set_row (self->cert_host_row, tls->host);
  set_row (self->cert_subject_row, tls->subject);
  set_row (self->cert_issuer_row, tls->issuer);
  fingerprint = tls->sha256 != NULL ? fingerprint_text (tls->sha256) : NULL;
  gtk_label_set_label (self->cert_sha256_label, fingerprint != NULL ? fingerprint : _("Unknown"));
  adw_expander_row_set_expanded (self->certificate_row,
                                 gp_probe_result_get_verdict (self->result) == GP_VERDICT_TLS_INSPECTED);
}

/* How the window offers what the advice suggests: a button that does it.
 * The actions are the editor's ("editor.*") and its test panel's
 * ("panel.*"); the view sits inside both. */
static void
fill_action (GpResultView *self)
{
  const char *pointer = NULL;
  const char *label = NULL;
  const char *action_name = NULL;

  switch (gp_probe_result_get_action (self->result))
    {
    case GP_ADVICE_ACTION_STORE_PASSWORD:
      label = _("_Enter the Password");
      action_name = "editor.enter-password";
      break;
    case GP_ADVICE_ACTION_EDIT_CREDENTIALS:
      label = _("_Enter a Username and Password");
      action_name = "editor.enter-credentials";
      break;
    case GP_ADVICE_ACTION_ALLOW_MORE_TIME:
      pointer = _("The next test waits twice as long. The usual time is under Timeout in the preferences.");
      label = _("_Test Again With More Time");
      action_name = "panel.retry-longer";
      break;
    case GP_ADVICE_ACTION_TEST_DIRECTLY:
      pointer = _("This also asks the echo service without the proxy, which tells it your own address.");
      label = _("Test _Without the Proxy Too");
      action_name = "panel.retry-direct";
      break;
    case GP_ADVICE_ACTION_UNLOCK_KEYRING:
      label = _("_Unlock");
      action_name = "editor.unlock-keyring";
      break;
    case GP_ADVICE_ACTION_NONE:
    default:
      break;
    }

  gtk_label_set_label (self->action_label, pointer != NULL ? pointer : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_label), pointer != NULL);
  gtk_button_set_label (self->action_button, label != NULL ? label : "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button), action_name);
  gtk_widget_set_visible (GTK_WIDGET (self->action_button), action_name != NULL);
  /* The proxy's CA, trusted for this profile: the editor's CA row does it. */
  gtk_widget_set_visible (self->trust_ca_button,
                          gp_probe_result_get_verdict (self->result) == GP_VERDICT_TLS_INSPECTED);
  /* A rejected password is a stale one: removable right here. */
  gtk_widget_set_visible (self->forget_button,
                          gp_probe_result_get_verdict (self->result) == GP_VERDICT_AUTH_REJECTED);
}

static void
fill_verdict (GpResultView *self)
{
  GpVerdict verdict = gp_probe_result_get_verdict (self->result);

  for (GpSeverity severity = GP_SEVERITY_OK; severity <= GP_SEVERITY_ERROR; severity++)
    gtk_widget_remove_css_class (self->verdict_box, gp_severity_css_class (severity));
  gtk_widget_add_css_class (self->verdict_box, gp_severity_css_class (gp_verdict_get_severity (verdict)));

  gtk_image_set_from_icon_name (self->verdict_icon, gp_verdict_get_icon_name (verdict));
  gtk_label_set_label (self->verdict_label, gp_verdict_get_title (verdict));
  gtk_label_set_label (self->advice_label, gp_probe_result_get_advice (self->result));
  fill_action (self);
}

static void
fill (GpResultView *self)
{
  g_autofree char *status = NULL;
  g_autofree char *time = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), self->result != NULL);
  if (self->result == NULL)
    return;

  fill_verdict (self);
  if (gp_probe_result_get_status (self->result) != 0)
    status = g_strdup_printf ("%u", gp_probe_result_get_status (self->result));
  time = g_strdup_printf (_("%d ms"), (int) gp_probe_result_get_elapsed_ms (self->result));

  set_row (self->status_row, status);
  set_row (self->exit_ip_row, gp_probe_result_get_verdict (self->result) == GP_VERDICT_OK
                              ? gp_probe_result_get_exit_ip (self->result) : NULL);
  set_row (self->direct_ip_row, gp_probe_result_get_direct_ip (self->result));
  set_row (self->time_row, time);
  set_row (self->detail_row, gp_probe_result_get_detail (self->result));
  fill_certificate (self);
  fill_challenges (self);
}

static void
gp_result_view_dispose (GObject *object)
{
  GpResultView *self = GP_RESULT_VIEW (object);

  g_clear_object (&self->result);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_RESULT_VIEW);

  G_OBJECT_CLASS (gp_result_view_parent_class)->dispose (object);
}

static void
gp_result_view_class_init (GpResultViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_result_view_dispose;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-result-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GpResultView, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, advice_label);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, action_label);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, action_button);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, forget_button);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, trust_ca_button);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, status_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, exit_ip_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, direct_ip_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, time_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, detail_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, cert_host_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, cert_subject_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, cert_issuer_row);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, cert_sha256_label);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, challenges_title);
  gtk_widget_class_bind_template_child (widget_class, GpResultView, challenges_list);

  gtk_widget_class_install_action (widget_class, "result.copy-exit-ip", NULL, on_copy_exit_ip);
  gtk_widget_class_install_action (widget_class, "result.copy-direct-ip", NULL, on_copy_direct_ip);
  gtk_widget_class_install_action (widget_class, "result.copy-curl", NULL, on_copy_curl);
  gtk_widget_class_install_action (widget_class, "result.copy-fingerprint", NULL, on_copy_fingerprint);
}

static void
gp_result_view_init (GpResultView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
gp_result_view_set_result (GpResultView  *self,
                           GpProbeResult *result)
{
  g_return_if_fail (GP_IS_RESULT_VIEW (self));

  if (g_set_object (&self->result, result))
    fill (self);
}
