/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

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
  GpTlsInfo   *tls;               /* NULL: no TLS handshake took place */
  GpTlsInfo   *direct_tls;        /* the echo host's, without the proxy (--direct) */
};

G_DEFINE_FINAL_TYPE (GpProbeResult, gp_probe_result, G_TYPE_OBJECT)

G_DEFINE_QUARK (gp-probe-result-error-quark, gp_probe_result_error)

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
  g_clear_pointer (&self->tls, gp_tls_info_free);
  g_clear_pointer (&self->direct_tls, gp_tls_info_free);

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

/* A name or a hash from a certificate: what any peer may put there. */
static char *
clean_tls_text (const char *text)
{
  return text != NULL ? gp_text_sanitize (text, -1, GP_TEXT_MAX_NETWORK) : NULL;
}

static char *
der_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

/**
 * gp_tls_info_new:
 * @host: the host name the handshake was with
 * @certificate: the peer's certificate
 * @trusted: whether GIO found no error in it
 *
 * Returns: (transfer full): the certificate's details, sanitised
 */
GpTlsInfo *
gp_tls_info_new (const char      *host,
                 GTlsCertificate *certificate,
                 gboolean         trusted)
{
  GpTlsInfo *info;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "subject-name", &subject, "issuer-name", &issuer, NULL);
  info = g_new0 (GpTlsInfo, 1);
  info->host = clean_tls_text (host);
  info->subject = clean_tls_text (subject);
  info->issuer = clean_tls_text (issuer);
  info->sha256 = der_sha256 (certificate);
  info->trusted = trusted;
  return info;
}

GpTlsInfo *
gp_tls_info_copy (const GpTlsInfo *info)
{
  GpTlsInfo *copy;

  if (info == NULL)
    return NULL;
  copy = g_new0 (GpTlsInfo, 1);
  copy->host = clean_tls_text (info->host);
  copy->subject = clean_tls_text (info->subject);
  copy->issuer = clean_tls_text (info->issuer);
  copy->sha256 = clean_tls_text (info->sha256);
  copy->trusted = info->trusted;
  return copy;
}

void
gp_tls_info_free (GpTlsInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->host);
  g_free (info->subject);
  g_free (info->issuer);
  g_free (info->sha256);
  g_free (info);
}

const GpTlsInfo *
gp_probe_result_get_tls (GpProbeResult *self)
{
  g_return_val_if_fail (GP_IS_PROBE_RESULT (self), NULL);
  return self->tls;
}

void
gp_probe_result_set_tls (GpProbeResult   *self,
                         const GpTlsInfo *tls)
{
  g_return_if_fail (GP_IS_PROBE_RESULT (self));

  if (tls == self->tls)
    return;
  g_clear_pointer (&self->tls, gp_tls_info_free);
  g_clear_pointer (&self->direct_tls, gp_tls_info_free);
  self->tls = gp_tls_info_copy (tls);
}

const GpTlsInfo *
gp_probe_result_get_direct_tls (GpProbeResult *self)
{
  g_return_val_if_fail (GP_IS_PROBE_RESULT (self), NULL);
  return self->direct_tls;
}

void
gp_probe_result_set_direct_tls (GpProbeResult   *self,
                                const GpTlsInfo *tls)
{
  g_return_if_fail (GP_IS_PROBE_RESULT (self));

  if (tls == self->direct_tls)
    return;
  g_clear_pointer (&self->direct_tls, gp_tls_info_free);
  self->direct_tls = gp_tls_info_copy (tls);
}

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

static void
add_tls (JsonBuilder     *builder,
         const char      *name,
         const GpTlsInfo *tls)
{
  json_builder_set_member_name (builder, name);
  if (tls == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  gp_json_add_string_or_null (builder, "host", tls->host);
  gp_json_add_string_or_null (builder, "subject", tls->subject);
  gp_json_add_string_or_null (builder, "issuer", tls->issuer);
  gp_json_add_string_or_null (builder, "sha256", tls->sha256);
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, tls->trusted);
  json_builder_end_object (builder);
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
  add_tls (builder, "tls", self->tls);
  add_tls (builder, "direct_tls", self->direct_tls);
  json_builder_end_object (builder);
}

/* --- the decoder: what gp_probe_result_add_json () wrote, from a file ------- */

/* A file on disk may hold anything: every member is checked for its type,
 * its range and its text, and the first that fails names itself. Members
 * that later versions added are optional; unknown ones are ignored, and
 * basic_offered is derived from the challenges again. */

static gboolean
invalid (GError    **error,
         const char *member)
{
  g_set_error (error, GP_PROBE_RESULT_ERROR, GP_PROBE_RESULT_ERROR_INVALID,
               _("The test result has no valid “%s”"), member);
  return FALSE;
}

static gboolean
get_text (JsonObject  *object,
          const char  *member,
          gboolean     nullable,
          const char **out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  if (node != NULL && nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member);
  text = json_node_get_string (node);
  if (strlen (text) > GP_PROBE_RESULT_MAX_TEXT || !gp_text_is_clean (text))
    return invalid (error, member);
  *out = text;
  return TRUE;
}

/* An integer in [min, max], or null (-1) when nullable. */
static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *out = -1;
      return TRUE;
    }
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    return invalid (error, member);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          gboolean     optional,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL && optional)
    {
      *out = FALSE;
      return TRUE;
    }
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An enum by its nick; absent or null means fallback when optional. */
static gboolean
get_nick (JsonObject  *object,
          const char  *member,
          GType        type,
          gboolean     optional,
          int          fallback,
          int         *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = fallback;
  if (optional && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      !gp_enum_from_nick (type, json_node_get_string (node), out))
    return invalid (error, member);
  return TRUE;
}

static gboolean
decode_challenges (GpProbeResult  *self,
                   JsonObject     *object,
                   GError        **error)
{
  JsonNode *node = json_object_get_member (object, "challenges");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "challenges");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > GP_CHALLENGE_MAX_CHALLENGES)
    return invalid (error, "challenges");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      GpChallenge *challenge;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, "challenges");
      challenge = gp_challenge_new_from_json (json_node_get_object (element), error);
      if (challenge == NULL)
        return FALSE;
      g_ptr_array_add (self->challenges, challenge);
    }
  return TRUE;
}

static gboolean
decode_timings (GpProbeResult  *self,
                JsonObject     *object,
                GError        **error)
{
  JsonNode *node = json_object_get_member (object, "timings");
  JsonObject *timings;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "timings");
  timings = json_node_get_object (node);
  return get_int (timings, "connect_ms", 0, G_MAXINT32, &self->connect_ms, error) &&
         get_int (timings, "tls_ms", 0, G_MAXINT32, &self->tls_ms, error) &&
         get_int (timings, "first_byte_ms", 0, G_MAXINT32, &self->first_byte_ms, error);
}

/* The strings, each set through its cleaning setter. */
static gboolean
decode_texts (GpProbeResult  *self,
              JsonObject     *object,
              GError        **error)
{
  static const struct {
    const char *member;
    void (*set) (GpProbeResult *self, const char *value);
  } texts[] = {
    { "exit_ip", gp_probe_result_set_exit_ip },
    { "direct_ip", gp_probe_result_set_direct_ip },
    { "location", gp_probe_result_set_location },
    { "advice", gp_probe_result_set_advice },
    { "detail", gp_probe_result_set_detail },
    { "curl", gp_probe_result_set_curl_command },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *value;

      if (!get_text (object, texts[i].member, TRUE, &value, error))
        return FALSE;
      texts[i].set (self, value);
    }
  /* As the encoder: an exit IP is only ever the answer of a probe that
   * worked. A file that pairs one with another verdict would otherwise
   * show an exit IP that no save can write back. */
  if (self->verdict != GP_VERDICT_OK)
    gp_probe_result_set_exit_ip (self, NULL);
  return TRUE;
}

/* Optional (older files have none); null when no handshake took place.
 * A SHA-256 is 64 hex digits or nothing. */
static gboolean
decode_tls (JsonObject     *object,
            const char     *member,
            GpTlsInfo     **out,
            GError        **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonObject *tls;
  GpTlsInfo info = { 0 };
  const char *host, *subject, *issuer, *sha256;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, member);
  tls = json_node_get_object (node);
  if (!get_text (tls, "host", TRUE, &host, error) ||
      !get_text (tls, "subject", TRUE, &subject, error) ||
      !get_text (tls, "issuer", TRUE, &issuer, error) ||
      !get_text (tls, "sha256", TRUE, &sha256, error) ||
      !get_bool (tls, "trusted", FALSE, &info.trusted, error))
    return FALSE;
  if (sha256 != NULL && (strlen (sha256) != 64 || strspn (sha256, "0123456789abcdef") != 64))
    return invalid (error, "sha256");
  info.host = (char *) host;
  info.subject = (char *) subject;
  info.issuer = (char *) issuer;
  info.sha256 = (char *) sha256;
  *out = gp_tls_info_copy (&info);
  return TRUE;
}

static gboolean
decode_values (GpProbeResult  *self,
               JsonObject     *object,
               GError        **error)
{
  int verdict, action, path;
  gint64 status;

  if (!get_nick (object, "verdict", GP_TYPE_VERDICT, FALSE, 0, &verdict, error) ||
      !get_nick (object, "action", GP_TYPE_ADVICE_ACTION, TRUE, GP_ADVICE_ACTION_NONE, &action, error) ||
      !get_nick (object, "proxy_path", GP_TYPE_PROBE_PATH, TRUE, GP_PROBE_PATH_LIBSOUP, &path, error) ||
      !get_int (object, "status", 100, 999, &status, error) ||
      !get_int (object, "elapsed_ms", 0, G_MAXINT32, &self->elapsed_ms, error) ||
      !get_bool (object, "credentials_sent", FALSE, &self->credentials_sent, error) ||
      !get_bool (object, "challenges_dropped", FALSE, &self->challenges_dropped, error) ||
      !get_bool (object, "proxy_401", TRUE, &self->proxy_401, error))
    return FALSE;

  self->verdict = verdict;
  self->action = action;
  self->path = path;
  self->status = status > 0 ? (guint) status : 0;
  return TRUE;
}

/**
 * gp_probe_result_new_from_json:
 * @object: one object as gp_probe_result_add_json () writes it
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
GpProbeResult *
gp_probe_result_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_autoptr(GpProbeResult) self = NULL;
  const char *profile;

  g_return_val_if_fail (object != NULL, NULL);

  if (!get_text (object, "profile", FALSE, &profile, error))
    return NULL;
  self = gp_probe_result_new (profile);
  if (!decode_values (self, object, error) || !decode_texts (self, object, error) ||
      !decode_timings (self, object, error) || !decode_challenges (self, object, error) ||
      !decode_tls (object, "tls", &self->tls, error) ||
      !decode_tls (object, "direct_tls", &self->direct_tls, error))
    return NULL;
  return g_steal_pointer (&self);
}
