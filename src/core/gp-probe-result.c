/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gp-enums.h"
#include "gp-probe-result.h"
#include "gp-text.h"

/* What one test of one profile found. Holds no secret: it is printed,
 * shown and kept on disk. */
struct _GpProbeResult
{
  GObject      parent_instance;

  char        *profile;
  GpVerdict    verdict;
  guint        status;            /* 0: no HTTP answer */
  GPtrArray   *challenges;        /* GpChallenge */
  char        *exit_ip;
  char        *direct_ip;
  gint64       elapsed_ms;
  gint64       connect_ms;        /* -1: unknown */
  gint64       tls_ms;
  gint64       first_byte_ms;
  gboolean     credentials_sent;
  GpProbePath  path;
  gboolean     challenges_dropped; /* more than GP_CHALLENGE_MAX_CHALLENGES came */
  gboolean     proxy_401;         /* the proxy asked for credentials with 401, not 407 */
  char        *location;          /* of a redirect, without userinfo */
  char        *detail;            /* the underlying error, for people */
  char        *advice;
  GpAdviceAction action;          /* what the advice suggests doing */
  char        *curl_command;
};

G_DEFINE_FINAL_TYPE (GpProbeResult, gp_probe_result, G_TYPE_OBJECT)

static void
gp_probe_result_finalize (GObject *object)
{
  GpProbeResult *self = (GpProbeResult *) object;

  g_free (self->profile);
  g_ptr_array_unref (self->challenges);
  g_free (self->exit_ip);
  g_free (self->direct_ip);
  g_free (self->location);
  g_free (self->detail);
  g_free (self->advice);
  g_free (self->curl_command);

  G_OBJECT_CLASS (gp_probe_result_parent_class)->finalize (object);
}

static void
gp_probe_result_class_init (GpProbeResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_probe_result_finalize;
}

static void
gp_probe_result_init (GpProbeResult *self)
{
  self->challenges = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_challenge_unref);
  self->connect_ms = self->tls_ms = self->first_byte_ms = -1;
  self->verdict = GP_VERDICT_UNREACHABLE;
}

GpProbeResult *
gp_probe_result_new (const char *profile_name)
{
  GpProbeResult *self = g_object_new (GP_TYPE_PROBE_RESULT, NULL);

  self->profile = g_strdup (profile_name);
  return self;
}

#define VALUE_ACCESSORS(type, field) \
  type \
  gp_probe_result_get_##field (GpProbeResult *self) \
  { \
    g_return_val_if_fail (GP_IS_PROBE_RESULT (self), 0); \
    return self->field; \
  } \
  void \
  gp_probe_result_set_##field (GpProbeResult *self, \
                               type           value) \
  { \
    g_return_if_fail (GP_IS_PROBE_RESULT (self)); \
    self->field = value; \
  }

/* Every string may quote the network (an error message, a reason phrase,
 * a Location): a result keeps it clean, since it is printed and stored. */
#define CLEAN_STRING_ACCESSORS(field) \
  const char * \
  gp_probe_result_get_##field (GpProbeResult *self) \
  { \
    g_return_val_if_fail (GP_IS_PROBE_RESULT (self), NULL); \
    return self->field; \
  } \
  void \
  gp_probe_result_set_##field (GpProbeResult *self, \
                               const char    *value) \
  { \
    g_return_if_fail (GP_IS_PROBE_RESULT (self)); \
    if (self->field != value) \
      { \
        g_free (self->field); \
        self->field = gp_text_sanitize (value, -1, G_MAXSSIZE); \
      } \
  }

CLEAN_STRING_ACCESSORS (exit_ip)
CLEAN_STRING_ACCESSORS (direct_ip)
CLEAN_STRING_ACCESSORS (location)
CLEAN_STRING_ACCESSORS (detail)
CLEAN_STRING_ACCESSORS (advice)
CLEAN_STRING_ACCESSORS (curl_command)
VALUE_ACCESSORS (GpVerdict, verdict)
VALUE_ACCESSORS (GpAdviceAction, action)
VALUE_ACCESSORS (guint, status)
VALUE_ACCESSORS (gint64, elapsed_ms)
VALUE_ACCESSORS (gboolean, credentials_sent)
VALUE_ACCESSORS (GpProbePath, path)
VALUE_ACCESSORS (gboolean, challenges_dropped)
VALUE_ACCESSORS (gboolean, proxy_401)

/* Whether the proxy offered Basic, the one scheme that clients reading
 * http_proxy answer: 1 or 0, or -1 when no challenge was seen. */
int
gp_probe_result_get_basic_offered (GpProbeResult *self)
{
  g_return_val_if_fail (GP_IS_PROBE_RESULT (self), -1);

  if (self->challenges->len == 0)
    return -1;
  for (guint i = 0; i < self->challenges->len; i++)
    if (gp_challenge_is_scheme (g_ptr_array_index (self->challenges, i), "Basic"))
      return 1;
  return 0;
}

const char *
gp_probe_result_get_profile (GpProbeResult *self)
{
  g_return_val_if_fail (GP_IS_PROBE_RESULT (self), NULL);
  return self->profile;
}

GPtrArray *
gp_probe_result_get_challenges (GpProbeResult *self)
{
  g_return_val_if_fail (GP_IS_PROBE_RESULT (self), NULL);
  return self->challenges;
}

void
gp_probe_result_set_challenges (GpProbeResult *self,
                                GPtrArray     *challenges)
{
  g_return_if_fail (GP_IS_PROBE_RESULT (self));

  g_ptr_array_set_size (self->challenges, 0);
  for (guint i = 0; challenges != NULL && i < challenges->len; i++)
    g_ptr_array_add (self->challenges, gp_challenge_ref (g_ptr_array_index (challenges, i)));
}

void
gp_probe_result_set_timings (GpProbeResult *self,
                             gint64         connect_ms,
                             gint64         tls_ms,
                             gint64         first_byte_ms)
{
  g_return_if_fail (GP_IS_PROBE_RESULT (self));
  self->connect_ms = connect_ms;
  self->tls_ms = tls_ms;
  self->first_byte_ms = first_byte_ms;
}

void
gp_probe_result_get_timings (GpProbeResult *self,
                             gint64        *connect_ms,
                             gint64        *tls_ms,
                             gint64        *first_byte_ms)
{
  g_return_if_fail (GP_IS_PROBE_RESULT (self));
  *connect_ms = self->connect_ms;
  *tls_ms = self->tls_ms;
  *first_byte_ms = self->first_byte_ms;
}

void
gp_json_add_string_or_null (JsonBuilder *builder,
                            const char  *name,
                            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_ms_or_null (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The object of the contract's `test --json`, plus a few extra fields. */
void
gp_probe_result_add_json (GpProbeResult *self,
                          JsonBuilder   *builder)
{
  g_return_if_fail (GP_IS_PROBE_RESULT (self));

  json_builder_begin_object (builder);
  gp_json_add_string_or_null (builder, "profile", self->profile);
  gp_json_add_string_or_null (builder, "verdict", gp_verdict_to_string (self->verdict));
  json_builder_set_member_name (builder, "status");
  if (self->status != 0)
    json_builder_add_int_value (builder, self->status);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "challenges");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->challenges->len; i++)
    gp_challenge_add_json (g_ptr_array_index (self->challenges, i), builder);
  json_builder_end_array (builder);

  gp_json_add_string_or_null (builder, "exit_ip", self->verdict == GP_VERDICT_OK ? self->exit_ip : NULL);
  add_ms_or_null (builder, "elapsed_ms", self->elapsed_ms);
  gp_json_add_string_or_null (builder, "advice", self->advice);

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  add_ms_or_null (builder, "connect_ms", self->connect_ms);
  add_ms_or_null (builder, "tls_ms", self->tls_ms);
  add_ms_or_null (builder, "first_byte_ms", self->first_byte_ms);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "credentials_sent");
  json_builder_add_boolean_value (builder, self->credentials_sent);
  gp_json_add_string_or_null (builder, "direct_ip", self->direct_ip);
  gp_json_add_string_or_null (builder, "location", self->location);
  json_builder_set_member_name (builder, "challenges_dropped");
  json_builder_add_boolean_value (builder, self->challenges_dropped);
  json_builder_set_member_name (builder, "basic_offered");
  if (gp_probe_result_get_basic_offered (self) >= 0)
    json_builder_add_boolean_value (builder, gp_probe_result_get_basic_offered (self) == 1);
  else
    json_builder_add_null_value (builder);
  gp_json_add_string_or_null (builder, "action", self->action != GP_ADVICE_ACTION_NONE
                                                ? gp_advice_action_to_string (self->action) : NULL);
  json_builder_set_member_name (builder, "proxy_401");
  json_builder_add_boolean_value (builder, self->proxy_401);
  gp_json_add_string_or_null (builder, "proxy_path", gp_enum_to_nick (GP_TYPE_PROBE_PATH, self->path));
  gp_json_add_string_or_null (builder, "detail", self->detail);
  gp_json_add_string_or_null (builder, "curl", self->curl_command);
  json_builder_end_object (builder);
}
