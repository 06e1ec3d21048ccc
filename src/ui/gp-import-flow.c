/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "gp-import.h"
#include "gp-import-flow.h"
#include "gp-sandbox.h"

typedef struct
{
  GtkWindow        *parent;      /* weak */
  GpProfileManager *manager;
  GPtrArray        *candidates;  /* GpImportCandidate */
  guint             next;
  GPtrArray        *taken;       /* GpProfile: named so far */
  GStrvBuilder     *imported;
  GString          *message;
  gboolean          plaintext_left;
  gboolean          source_unavailable;  /* a source was out of reach (the sandbox) */
  GpImportDone      done;
  gpointer          user_data;
} Flow;

static void
flow_free (Flow *flow)
{
  g_clear_weak_pointer (&flow->parent);
  g_object_unref (flow->manager);
  g_ptr_array_unref (flow->candidates);
  g_ptr_array_unref (flow->taken);
  g_strv_builder_unref (flow->imported);
  g_string_free (flow->message, TRUE);
  g_free (flow);
}

static void
say (Flow       *flow,
     const char *sentence)
{
  g_string_append_printf (flow->message, "%s%s", flow->message->len > 0 ? "; " : "", sentence);
}

static void
finish (Flow *flow)
{
  g_auto(GStrv) imported = g_strv_builder_end (flow->imported);

  /* Only GNOME's settings out of reach: "nothing to import" would blame
   * settings that were never read. */
  if (flow->candidates->len == 0)
    say (flow, _("Nothing to import: no proxy variables are set, and GNOME’s proxy settings name no proxy"));
  else if (flow->source_unavailable && flow->candidates->len == 1)
    say (flow, _("No proxy variables are set"));
  if (flow->parent != NULL)
    flow->done (flow->parent, imported, flow->message->str, flow->plaintext_left, flow->user_data);
  flow_free (flow);
}

static void import_next (Flow *flow);

/* The sandbox's reason, as the status rows and the CLI give it. */
static void
say_unavailable (Flow *flow)
{
  g_autofree char *sentence = g_strdup_printf (_("GNOME’s proxy settings were not read: %s"),
                                               gp_sandbox_unreachable_reason ());

  flow->source_unavailable = TRUE;
  say (flow, sentence);
}

static void
on_added (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Flow *flow = user_data;
  GpImportCandidate *candidate = g_ptr_array_index (flow->candidates, flow->next - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;

  if (!gp_profile_manager_finish (GP_PROFILE_MANAGER (source), res, &error))
    sentence = g_strdup_printf (_("“%s” was not imported: %s"), gp_profile_get_name (candidate->profile),
                                error->message);
  else
    {
      g_strv_builder_add (flow->imported, gp_profile_get_id (candidate->profile));
      g_ptr_array_add (flow->taken, g_object_ref (candidate->profile));
      sentence = candidate->password != NULL
                 ? g_strdup_printf (_("Imported “%s”, its password into the keyring"),
                                    gp_profile_get_name (candidate->profile))
                 : g_strdup_printf (_("Imported “%s”"), gp_profile_get_name (candidate->profile));
    }
  say (flow, sentence);
  if (error == NULL && candidate->plaintext->len > 0)
    flow->plaintext_left = TRUE;
  import_next (flow);
}

static void
import_next (Flow *flow)
{
  GpImportCandidate *candidate;

  if (flow->next >= flow->candidates->len)
    {
      finish (flow);
      return;
    }
  candidate = g_ptr_array_index (flow->candidates, flow->next++);
  if (candidate->unavailable != NULL)
    {
      say_unavailable (flow);
      import_next (flow);
      return;
    }
  gp_import_name (candidate, gp_profile_manager_get_store (flow->manager), flow->taken, NULL);
  if (candidate->profile == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("Not imported: %s"), candidate->skipped);

      say (flow, sentence);
      import_next (flow);
      return;
    }
  gp_profile_manager_add_async (flow->manager, candidate->profile, candidate->password, NULL, on_added, flow);
}

void
gp_import_flow_run (GtkWindow        *parent,
                    GpProfileManager *manager,
                    GpImportDone      done,
                    gpointer          user_data)
{
  Flow *flow = g_new0 (Flow, 1);

  g_set_weak_pointer (&flow->parent, parent);
  flow->manager = g_object_ref (manager);
  flow->candidates = gp_import_gather (NULL);
  flow->taken = g_ptr_array_new_with_free_func (g_object_unref);
  flow->imported = g_strv_builder_new ();
  flow->message = g_string_new (NULL);
  flow->done = done;
  flow->user_data = user_data;
  import_next (flow);
}
