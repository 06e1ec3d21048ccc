/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GP_TYPE_DEADLINE (gp_deadline_get_type ())

G_DECLARE_FINAL_TYPE (GpDeadline, gp_deadline, GP, DEADLINE, GObject)

GpDeadline   *gp_deadline_new             (guint       budget_ms);
guint         gp_deadline_get_budget_ms   (GpDeadline *self);
void          gp_deadline_start           (GpDeadline *self);
gboolean      gp_deadline_is_spent        (GpDeadline *self);
GCancellable *gp_deadline_get_cancellable (GpDeadline *self);

G_END_DECLS
