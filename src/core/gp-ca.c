/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-ca.h"

/* Checks a file the user names as their proxy's CA before any profile
 * trusts it. GIO's TLS backend parses each certificate (so what we keep
 * is what the TLS library reads); the one thing GIO does not expose, the
 * basicConstraints extension, is read here from the DER that the backend
 * accepted, with bounds checked at every step since the file is the
 * user's and may be anything. */

G_DEFINE_QUARK (gp-ca-error-quark, gp_ca_error)

/* --- DER: just enough to find basicConstraints ------------------------------------- */

typedef struct
{
  const guint8 *p;
  gsize         length;
} Der;

/* Takes the next TLV off *in: its tag and its content. FALSE when *in
 * is empty or the encoding is broken or runs past the end. */
static gboolean
der_next (Der    *in,
          guint8 *tag,
          Der    *content)
{
  gsize header = 2;
  gsize length;

  if (in->length < 2 || (in->p[0] & 0x1f) == 0x1f)
    return FALSE;
  *tag = in->p[0];
  length = in->p[1];
  if (length & 0x80)
    {
      guint n = length & 0x7f;

      /* A certificate's lengths fit in 4 bytes; 0 is the indefinite form,
       * which DER forbids. */
      if (n == 0 || n > 4 || in->length < 2 + n)
        return FALSE;
      length = 0;
      for (guint i = 0; i < n; i++)
        length = (length << 8) | in->p[2 + i];
      header += n;
    }
  if (length > in->length - header)
    return FALSE;

  content->p = in->p + header;
  content->length = length;
  in->p += header + length;
  in->length -= header + length;
  return TRUE;
}

#define DER_BOOLEAN       0x01
#define DER_OCTET_STRING  0x04
#define DER_OID           0x06
#define DER_SEQUENCE      0x30
#define DER_EXTENSIONS    0xa3   /* [3] EXPLICIT, in TBSCertificate */

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... } */
static gboolean
basic_constraints_say_ca (Der octets)
{
  Der sequence, flag;
  guint8 tag;

  return der_next (&octets, &tag, &sequence) && tag == DER_SEQUENCE &&
         der_next (&sequence, &tag, &flag) && tag == DER_BOOLEAN &&
         flag.length == 1 && flag.p[0] != 0;
}

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } */
static gboolean
extensions_say_ca (Der explicit_tag)
{
  static const guint8 basic_constraints[] = { 0x55, 0x1d, 0x13 };  /* 2.5.29.19 */
  Der list, extension;
  guint8 tag;

  if (!der_next (&explicit_tag, &tag, &list) || tag != DER_SEQUENCE)
    return FALSE;
  while (der_next (&list, &tag, &extension))
    {
      Der oid, value;

      if (tag != DER_SEQUENCE || !der_next (&extension, &tag, &oid) || tag != DER_OID)
        return FALSE;
      if (oid.length != sizeof basic_constraints || memcmp (oid.p, basic_constraints, oid.length) != 0)
        continue;
      if (!der_next (&extension, &tag, &value))
        return FALSE;
      if (tag == DER_BOOLEAN && !der_next (&extension, &tag, &value))
        return FALSE;
      return tag == DER_OCTET_STRING && basic_constraints_say_ca (value);
    }
  return FALSE;
}

/* Whether the DER certificate says it is a CA (basicConstraints cA
 * TRUE). A certificate without the extension (X.509 v1) is not: TLS
 * libraries refuse such issuers in chains too. */
gboolean
gp_der_certificate_is_ca (const guint8 *der,
                          gsize         length)
{
  Der all = { der, length };
  Der certificate, tbs, field;
  guint8 tag;

  if (der == NULL ||
      !der_next (&all, &tag, &certificate) || tag != DER_SEQUENCE ||
      !der_next (&certificate, &tag, &tbs) || tag != DER_SEQUENCE)
    return FALSE;
  while (der_next (&tbs, &tag, &field))
    if (tag == DER_EXTENSIONS)
      return extensions_say_ca (field);
  return FALSE;
}

/* --- PEM ---------------------------------------------------------------------------- */

static gboolean
set_invalid (GError    **error,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError    **error,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, GP_CA_ERROR, GP_CA_ERROR_INVALID, message);
  return FALSE;
}

/* Checks one CERTIFICATE block with the TLS backend: a CA, valid now. */
static GTlsCertificate *
check_certificate (const char  *block,
                   gsize        length,
                   guint        number,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_pem (block, length, &local);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *subject = NULL;

  if (certificate == NULL)
    {
      set_invalid (error, _("Certificate %u cannot be read: %s"), number, local->message);
      return NULL;
    }

  g_object_get (certificate, "certificate", &der, "subject-name", &subject,
                "not-valid-after", &not_after, NULL);
  if (der == NULL || !gp_der_certificate_is_ca (der->data, der->len))
    {
      set_invalid (error, _("The certificate “%s” is not a CA certificate (its basic constraints do "
                            "not say CA): a TLS-inspecting proxy re-signs sites with a CA "
                            "certificate, ask its administrators for that one"),
                   subject != NULL ? subject : "?");
      return NULL;
    }
  if (not_after != NULL && g_date_time_compare (not_after, now) < 0)
    {
      g_autofree char *when = g_date_time_format (not_after, "%Y-%m-%d");

      set_invalid (error, _("The CA certificate “%s” expired on %s"), subject != NULL ? subject : "?", when);
      return NULL;
    }
  return g_steal_pointer (&certificate);
}

/* The label of the PEM block that starts at line ("-----BEGIN X-----"),
 * or NULL. */
static char *
block_label (const char *line,
             const char *end)
{
  const char *start = line + strlen ("-----BEGIN ");
  const char *close = g_strstr_len (start, end - start, "-----");

  if (close == NULL || memchr (start, '\n', close - start) != NULL)
    return NULL;
  return g_strndup (start, close - start);
}

static gboolean
looks_like_der (const char *text,
                gsize       length)
{
  return length > 2 && (guchar) text[0] == DER_SEQUENCE && (guchar) text[1] >= 0x80;
}

/* Appends each CERTIFICATE block of text, checked, to pem and its
 * subject to subjects. FALSE with error at the first bad block. */
static gboolean
check_blocks (const char  *text,
              gsize        length,
              GString     *pem,
              GString     *subjects,
              GError     **error)
{
  const char *end = text + length;
  const char *at = text;
  guint number = 0;

  while ((at = g_strstr_len (at, end - at, "-----BEGIN ")) != NULL)
    {
      g_autofree char *label = block_label (at, end);
      g_autofree char *footer = NULL;
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autofree char *normalised = NULL;
      g_autofree char *subject = NULL;
      const char *stop;

      if (label == NULL)
        return set_invalid (error, _("A PEM block has a broken “-----BEGIN” line"));
      footer = g_strdup_printf ("-----END %s-----", label);
      stop = g_strstr_len (at, end - at, footer);
      if (stop == NULL)
        return set_invalid (error, _("The PEM block “%s” has no “%s” line"), label, footer);
      stop += strlen (footer);

      if (strstr (label, "PRIVATE KEY") != NULL)
        return set_invalid (error, _("The file holds a private key: give only the CA's certificate, "
                                     "and keep the key secret"));
      if (strcmp (label, "CERTIFICATE") != 0)
        return set_invalid (error, _("The file holds a “%s” block; only CERTIFICATE blocks are "
                                     "accepted"), label);

      certificate = check_certificate (at, stop - at, ++number, error);
      if (certificate == NULL)
        return FALSE;
      g_object_get (certificate, "certificate-pem", &normalised, "subject-name", &subject, NULL);
      g_string_append (pem, normalised);
      if (pem->len > 0 && pem->str[pem->len - 1] != '\n')
        g_string_append_c (pem, '\n');
      g_string_append_printf (subjects, "%s%s", subjects->len > 0 ? "; " : "",
                              subject != NULL ? subject : "?");
      at = stop;
    }
  return TRUE;
}

/* Checks that text is PEM holding one or more CA certificates, each
 * valid now, and no private key. Returns the certificates as PEM, as the
 * TLS library wrote them (nothing else of the file is kept), and in
 * *subjects their subject names, "; "-separated. */
char *
gp_ca_check_pem (const char  *text,
                 gsize        length,
                 char       **subjects,
                 GError     **error)
{
  g_autoptr(GString) pem = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  const char *problem = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length == 0)
    problem = _("The file is empty: it should hold the proxy's CA certificate in PEM form");
  else if (length > GP_CA_MAX_BYTES)
    problem = _("The file is larger than 1 MiB: a CA certificate is a few KiB");
  else if (looks_like_der (text, length))
    problem = _("The file is a binary (DER) certificate; Gatepass reads the PEM form, the text "
                "between “-----BEGIN CERTIFICATE-----” and “-----END CERTIFICATE-----”");
  else if (memchr (text, '\0', length) != NULL)
    problem = _("The file is not text: it should hold the proxy's CA certificate in PEM form");
  if (problem != NULL)
    {
      g_set_error_literal (error, GP_CA_ERROR, GP_CA_ERROR_INVALID, problem);
      return NULL;
    }

  if (!check_blocks (text, length, pem, names, error))
    return NULL;
  if (pem->len == 0)
    {
      set_invalid (error, _("The file holds no certificate: it should hold the proxy's CA "
                            "certificate in PEM form (“-----BEGIN CERTIFICATE-----”)"));
      return NULL;
    }

  if (subjects != NULL)
    *subjects = g_string_free (g_steal_pointer (&names), FALSE);
  return g_string_free (g_steal_pointer (&pem), FALSE);
}
