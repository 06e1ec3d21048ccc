/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gp-deadline.h"

/* A time budget that cancels a GCancellable once it is spent.
 *
 * The headless commands make blocking libsecret calls on the main thread,
 * so a main-loop timeout could never fire while one hangs: a watcher
 * thread waits on a condition until the deadline instead, and cancels
 * from there. The clock starts with gp_deadline_start (), not at
 * creation, so that time spent before the first guarded call (a person
 * typing a password) does not count. Thread-safe; disposing of the
 * object stops the watcher and waits for it. */
struct _GpDeadline
{
  GObject       parent_instance;

  guint         budget_ms;
  GCancellable *cancellable;   /* cancelled once the budget is spent */

  GMutex        mutex;         /* guards what follows */
  GCond         cond;
  GThread      *watcher;       /* NULL until started */
  gint64        end_time;      /* monotonic, microseconds */
  gboolean      stopping;
};

G_DEFINE_FINAL_TYPE (GpDeadline, gp_deadline, G_TYPE_OBJECT)

/* The watcher holds no reference: finalize joins it before self goes. */
static gpointer
watch (gpointer data)
{
  GpDeadline *self = data;
  gboolean spent;

  g_mutex_lock (&self->mutex);
  while (!self->stopping && g_get_monotonic_time () < self->end_time)
    g_cond_wait_until (&self->cond, &self->mutex, self->end_time);
  spent = !self->stopping;
  g_mutex_unlock (&self->mutex);

  /* Outside the lock: the cancellable's handlers run in this thread. */
  if (spent)
    g_cancellable_cancel (self->cancellable);
  return NULL;
}

static void
gp_deadline_finalize (GObject *object)
{
  GpDeadline *self = GP_DEADLINE (object);

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  if (self->watcher != NULL)
    g_thread_join (self->watcher);

  g_clear_object (&self->cancellable);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (gp_deadline_parent_class)->finalize (object);
}

static void
gp_deadline_class_init (GpDeadlineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_deadline_finalize;
}

static void
gp_deadline_init (GpDeadline *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->cancellable = g_cancellable_new ();
}

GpDeadline *
gp_deadline_new (guint budget_ms)
{
  GpDeadline *self = g_object_new (GP_TYPE_DEADLINE, NULL);

  self->budget_ms = budget_ms;
  return self;
}

guint
gp_deadline_get_budget_ms (GpDeadline *self)
{
  g_return_val_if_fail (GP_IS_DEADLINE (self), 0);
  return self->budget_ms;
}

/* Starts the clock; later calls change nothing, so that every caller of
 * one budget shares it. */
void
gp_deadline_start (GpDeadline *self)
{
  g_return_if_fail (GP_IS_DEADLINE (self));

  g_mutex_lock (&self->mutex);
  if (self->watcher == NULL)
    {
      self->end_time = g_get_monotonic_time () + (gint64) self->budget_ms * G_TIME_SPAN_MILLISECOND;
      self->watcher = g_thread_new ("gp-deadline", watch, self);
    }
  g_mutex_unlock (&self->mutex);
}

gboolean
gp_deadline_is_spent (GpDeadline *self)
{
  g_return_val_if_fail (GP_IS_DEADLINE (self), FALSE);
  return g_cancellable_is_cancelled (self->cancellable);
}

/* Cancelled once the budget is spent; never before gp_deadline_start (). */
GCancellable *
gp_deadline_get_cancellable (GpDeadline *self)
{
  g_return_val_if_fail (GP_IS_DEADLINE (self), NULL);
  return self->cancellable;
}
