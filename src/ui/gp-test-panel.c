/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-prober.h"
#include "gp-result-view.h"
#include "gp-settings.h"
#include "gp-test-panel.h"
#include "gp-verdict.h"

/* The editor's "Connection Test" group: runs one test of the profile as
 * the editor's rows describe it, shows its result, and the saved
 * profile's last result with when it ran. The editor owns the Test
 * action (Ctrl+T); this panel owns everything after it. */
struct _GpTestPanel
{
  AdwPreferencesGroup  parent_instance;

  GtkSpinner          *spinner;
  GtkWidget           *cancel_button;
  GtkWidget           *test_button;
  GtkSwitch           *direct_switch;
  GtkLabel            *status_label;
  GpResultView        *result_view;

  GpProfileManager    *manager;
  GSettings           *settings;
  GpResultCache       *results;

  GpProfile           *saved;          /* the profile whose last result is shown */
  GCancellable        *cancellable;    /* the running test's, or NULL */
  guint                next_timeout;   /* seconds for the next test only, 0: the preference */
  guint                timeout;        /* the running test's */
};

G_DEFINE_FINAL_TYPE (GpTestPanel, gp_test_panel, ADW_TYPE_PREFERENCES_GROUP)

enum {
  TOAST,
  KEYRING_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The longest test the preferences allow: the schema's range. */
#define MAX_TIMEOUT 600

/* --- what the panel says ------------------------------------------------------ */

static char *
when_text (GDateTime *tested_at)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (tested_at);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (local, "%H:%M");
  g_autofree char *date = NULL;
  int days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (local);

  if (g_date_time_get_year (now) == g_date_time_get_year (local) && days == 0)
    return g_strdup_printf (_("Last tested today at %s"), clock);
  if (g_date_time_get_year (now) == g_date_time_get_year (local) && days == 1)
    return g_strdup_printf (_("Last tested yesterday at %s"), clock);
  date = g_date_time_format (local, "%x");
  return g_strdup_printf (_("Last tested on %s at %s"), date, clock);
}

static void
set_status (GpTestPanel *self,
            const char  *text)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
}

/* The saved profile's last result, from the cache; nothing while the
 * cache still reads it (its ::changed comes then). */
static void
show_last_result (GpTestPanel *self)
{
  GDateTime *tested_at = NULL;
  GpProbeResult *result = NULL;
  g_autofree char *when = NULL;

  if (self->saved != NULL && self->results != NULL)
    result = gp_result_cache_get_result (self->results, gp_profile_get_id (self->saved), &tested_at);

  gp_result_view_set_result (self->result_view, result);
  if (result == NULL)
    {
      set_status (self, self->saved != NULL ? _("Not tested yet") : NULL);
      return;
    }
  when = tested_at != NULL ? when_text (tested_at) : NULL;
  set_status (self, when);
}

static void
on_results_changed (GpTestPanel *self,
                    const char  *profile_id)
{
  /* A running test replaces what is shown when it ends. */
  if (self->cancellable != NULL || self->saved == NULL)
    return;
  if (g_strcmp0 (profile_id, gp_profile_get_id (self->saved)) == 0)
    show_last_result (self);
}

static void
set_running (GpTestPanel *self,
             gboolean     running)
{
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_sensitive (self->test_button, !running);
}

/* --- a test ------------------------------------------------------------------- */

typedef struct
{
  GpTestPanel *self;
  GpProfile   *edited;
  GpProfile   *saved;    /* NULL: the result speaks for no saved profile */
} Run;

static void
run_free (Run *run)
{
  g_object_unref (run->self);
  g_object_unref (run->edited);
  g_clear_object (&run->saved);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
finish_run (GpTestPanel   *self,
            Run           *run,
            GpProbeResult *result)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = when_text (now);

  set_running (self, FALSE);
  g_clear_object (&self->cancellable);
  gp_result_view_set_result (self->result_view, result);
  /* A test of unsaved changes is not the profile's last result. */
  set_status (self, run->saved != NULL ? when : _("Tested just now, with the unsaved changes"));
  if (run->saved != NULL && self->results != NULL)
    gp_result_cache_record (self->results, run->saved, result, -1);
}

static void
on_probe_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  GpTestPanel *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProbeResult) result = gp_prober_probe_finish (GP_PROBER (source), res, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* gp_test_panel_cancel () has said so */
  if (result == NULL)
    result = gp_verdict_result_for_error (run->edited, GP_VERDICT_UNREACHABLE, error,
                                          gp_prober_get_ip_echo_url (GP_PROBER (source)));
  finish_run (self, run, result);
}

static GpProber *
new_prober (GpTestPanel *self)
{
  GpProber *prober = gp_settings_new_prober (self->settings);

  if (self->next_timeout > 0)
    gp_prober_set_timeout (prober, self->next_timeout);
  self->next_timeout = 0;
  /* Asking the echo service directly tells it the user's own address:
   * only when the user said so. */
  gp_prober_set_probe_direct (prober, gtk_switch_get_active (self->direct_switch));
  return prober;
}

static void
start_probe (Run        *run,
             const char *password)
{
  GpTestPanel *self = run->self;
  g_autoptr(GpProber) prober = new_prober (self);
  g_autofree char *status = NULL;

  self->timeout = gp_prober_get_timeout (prober);
  status = g_strdup_printf (_("Testing, for up to %u s…"), self->timeout);
  set_status (self, status);
  gp_prober_probe_async (prober, run->edited, password, self->cancellable, on_probe_done, run);
}

static void
on_password (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  Run *run = user_data;
  GpTestPanel *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPassword) password = gp_profile_manager_lookup_password_finish (GP_PROFILE_MANAGER (source),
                                                                             res, &error);
  g_autoptr(GpProber) prober = NULL;
  g_autoptr(GpProbeResult) result = NULL;

  if (error == NULL)
    {
      start_probe (run, password);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      run_free (run);
      return;
    }

  /* The test cannot run: that is its result, with what to do. */
  prober = gp_settings_new_prober (self->settings);
  result = gp_verdict_result_for_error (run->edited, GP_VERDICT_KEYRING_ERROR, error,
                                        gp_prober_get_ip_echo_url (prober));
  finish_run (self, run, result);
  g_signal_emit (self, signals[KEYRING_PROBLEM], 0, error);
  run_free (run);
}

/* Tests `edited`, the profile as the editor's rows describe it, with
 * typed_password when one was typed, else with the keyring's password of
 * the profile. With speaks_for_saved, the result is saved's last result:
 * only a test of the profile as saved may speak for it in the sidebar. */
void
gp_test_panel_run (GpTestPanel *self,
                   GpProfile   *edited,
                   const char  *typed_password,
                   GpProfile   *saved,
                   gboolean     speaks_for_saved)
{
  Run *run;

  g_return_if_fail (GP_IS_TEST_PANEL (self));
  g_return_if_fail (GP_IS_PROFILE (edited));

  gp_test_panel_cancel (self);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  /* The old result is not this test's: never leave it on screen. */
  gp_result_view_set_result (self->result_view, NULL);

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->edited = g_object_ref (edited);
  run->saved = speaks_for_saved && saved != NULL ? g_object_ref (saved) : NULL;

  if (typed_password != NULL || !gp_profile_sends_credentials (edited) || saved == NULL)
    {
      start_probe (run, typed_password);
      return;
    }
  set_status (self, _("Reading the password from the keyring…"));
  gp_profile_manager_lookup_password_async (self->manager, edited, self->cancellable, on_password, run);
}

/* Stops a running test; what it would have found is not shown. */
void
gp_test_panel_cancel (GpTestPanel *self)
{
  g_return_if_fail (GP_IS_TEST_PANEL (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  gp_result_view_set_result (self->result_view, NULL);
  set_status (self, _("Test cancelled"));
}

gboolean
gp_test_panel_is_running (GpTestPanel *self)
{
  g_return_val_if_fail (GP_IS_TEST_PANEL (self), FALSE);
  return self->cancellable != NULL;
}

/* The saved profile now shown by the editor (NULL for a new one): its
 * last result, and no test of another profile still running. */
void
gp_test_panel_show_profile (GpTestPanel *self,
                            GpProfile   *saved)
{
  g_return_if_fail (GP_IS_TEST_PANEL (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_running (self, FALSE);
    }
  g_set_object (&self->saved, saved);
  self->next_timeout = 0;
  show_last_result (self);
}

/* --- actions -------------------------------------------------------------------- */

static void
on_cancel (GtkWidget  *widget,
           const char *action,
           GVariant   *parameter)
{
  gp_test_panel_cancel (GP_TEST_PANEL (widget));
}

/* The advice's "allow more time": the next test only waits longer; the
 * preference stays as the user set it. */
static void
on_retry_longer (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  GpTestPanel *self = GP_TEST_PANEL (widget);
  g_autoptr(GpProber) prober = gp_settings_new_prober (self->settings);
  guint timeout = self->timeout > 0 ? self->timeout : gp_prober_get_timeout (prober);

  self->next_timeout = MIN (MAX (timeout * 2, timeout + 1), MAX_TIMEOUT);
  gtk_widget_activate_action (widget, "editor.test", NULL);
}

static void
on_retry_direct (GtkWidget  *widget,
                 const char *action,
                 GVariant   *parameter)
{
  GpTestPanel *self = GP_TEST_PANEL (widget);

  gtk_switch_set_active (self->direct_switch, TRUE);
  gtk_widget_activate_action (widget, "editor.test", NULL);
}

static void
on_view_toast (GpTestPanel *self,
               const char  *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

/* --- the object ------------------------------------------------------------------- */

static void
gp_test_panel_dispose (GObject *object)
{
  GpTestPanel *self = GP_TEST_PANEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->results != NULL)
    g_signal_handlers_disconnect_by_data (self->results, self);
  g_clear_object (&self->results);
  g_clear_object (&self->settings);
  g_clear_object (&self->manager);
  g_clear_object (&self->saved);
  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_TEST_PANEL);

  G_OBJECT_CLASS (gp_test_panel_parent_class)->dispose (object);
}

static void
gp_test_panel_class_init (GpTestPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_test_panel_dispose;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The password could not be read for a test: the keyring row says why. */
  signals[KEYRING_PROBLEM] = g_signal_new ("keyring-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (GP_TYPE_RESULT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/gatepass/Gatepass/gp-test-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, GpTestPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, GpTestPanel, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, GpTestPanel, test_button);
  gtk_widget_class_bind_template_child (widget_class, GpTestPanel, direct_switch);
  gtk_widget_class_bind_template_child (widget_class, GpTestPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, GpTestPanel, result_view);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toast);

  gtk_widget_class_install_action (widget_class, "panel.cancel", NULL, on_cancel);
  gtk_widget_class_install_action (widget_class, "panel.retry-longer", NULL, on_retry_longer);
  gtk_widget_class_install_action (widget_class, "panel.retry-direct", NULL, on_retry_direct);
}

static void
gp_test_panel_init (GpTestPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_status (self, NULL);
}

void
gp_test_panel_set_context (GpTestPanel      *self,
                           GpProfileManager *manager,
                           GSettings        *settings,
                           GpResultCache    *results)
{
  g_return_if_fail (GP_IS_TEST_PANEL (self));

  g_set_object (&self->manager, manager);
  g_set_object (&self->settings, settings);
  g_set_object (&self->results, results);
  if (results != NULL)
    g_signal_connect_swapped (results, "changed", G_CALLBACK (on_results_changed), self);
  if (settings != NULL)
    g_settings_bind (settings, "test-direct", self->direct_switch, "active", G_SETTINGS_BIND_DEFAULT);
}
