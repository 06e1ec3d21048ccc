/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "gp-ca.h"
#include "gp-env.h"
#include "gp-profile.h"

/* The CA a profile trusts: what is accepted (PEM CA certificates, valid
 * now, nothing else), what is kept, and the bundle the variables name.
 * The certificates are in tests/data/ca (made with openssl; see
 * tests/data/ca/README). Runs under hermetic.sh: XDG_DATA_HOME is the
 * test's own. */

static char *
fixture_path (const char *name)
{
  return g_build_filename (g_getenv ("GATEPASS_TESTS_SRCDIR"), "data", "ca", name, NULL);
}

static char *
fixture (const char *name,
         gsize      *length)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static GByteArray *
fixture_der (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, &error);
  GByteArray *der = NULL;

  g_assert_no_error (error);
  g_object_get (certificate, "certificate", &der, NULL);
  return der;
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *at = haystack; (at = strstr (at, needle)) != NULL; at += strlen (needle))
    n++;
  return n;
}

static void
test_der_basic_constraints (void)
{
  g_autoptr(GByteArray) ca = fixture_der ("ca.pem");
  g_autoptr(GByteArray) second = fixture_der ("ca2.pem");
  g_autoptr(GByteArray) leaf = fixture_der ("leaf.pem");
  g_autoptr(GByteArray) v1 = fixture_der ("v1.pem");
  static const guint8 huge_length[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00 };
  static const guint8 indefinite[] = { 0x30, 0x80, 0x30, 0x00, 0x00, 0x00 };
  static const guint8 high_tag[] = { 0x3f, 0x01, 0x00 };
  /* Certificate { TBS { [3] { Extensions { Extension { basicConstraints,
   * OCTET STRING { BasicConstraints { cA } } } } } } }, nothing else. */
  static const guint8 ca_true[] = {
    0x30, 0x14, 0x30, 0x12, 0xa3, 0x10, 0x30, 0x0e, 0x30, 0x0c,
    0x06, 0x03, 0x55, 0x1d, 0x13, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff,
  };
  static const guint8 ca_false[] = {
    0x30, 0x14, 0x30, 0x12, 0xa3, 0x10, 0x30, 0x0e, 0x30, 0x0c,
    0x06, 0x03, 0x55, 0x1d, 0x13, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0x00,
  };
  static const guint8 critical_ca_true[] = {
    0x30, 0x17, 0x30, 0x15, 0xa3, 0x13, 0x30, 0x11, 0x30, 0x0f,
    0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff,
  };

  g_assert_true (gp_der_certificate_is_ca (ca->data, ca->len));
  g_assert_true (gp_der_certificate_is_ca (second->data, second->len));
  g_assert_false (gp_der_certificate_is_ca (leaf->data, leaf->len));
  g_assert_false (gp_der_certificate_is_ca (v1->data, v1->len));
  g_assert_false (gp_der_certificate_is_ca (huge_length, sizeof huge_length));
  g_assert_false (gp_der_certificate_is_ca (indefinite, sizeof indefinite));
  g_assert_false (gp_der_certificate_is_ca (high_tag, sizeof high_tag));
  g_assert_false (gp_der_certificate_is_ca (NULL, 0));

  /* Only the extension's cA flag counts: TRUE, FALSE given explicitly,
   * and after a critical flag. */
  g_assert_true (gp_der_certificate_is_ca (ca_true, sizeof ca_true));
  g_assert_false (gp_der_certificate_is_ca (ca_false, sizeof ca_false));
  g_assert_true (gp_der_certificate_is_ca (critical_ca_true, sizeof critical_ca_true));

  /* Every cut of a CA's DER stays inside its bytes and says no. */
  for (guint length = 0; length < ca->len; length++)
    {
      g_autofree guint8 *cut = g_memdup2 (ca->data, length);

      g_assert_false (gp_der_certificate_is_ca (cut, length));
    }
}

static void
test_pem_accepts (void)
{
  gsize length;
  g_autofree char *one = fixture ("ca.pem", &length);
  g_autofree char *subjects = NULL;
  g_autofree char *pem = gp_ca_check_pem (one, length, &subjects, NULL);
  g_autofree char *two = NULL;
  g_autofree char *both = NULL;
  g_autofree char *both_subjects = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (pem);
  g_assert_cmpuint (count (pem, "-----BEGIN CERTIFICATE-----"), ==, 1);
  g_assert_nonnull (strstr (subjects, "Gatepass Test CA"));

  /* Text around the blocks (as openssl and browsers write) is dropped. */
  two = fixture ("two-cas.pem", &length);
  both = gp_ca_check_pem (two, length, &both_subjects, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (both, "-----BEGIN CERTIFICATE-----"), ==, 2);
  g_assert_null (strstr (both, "Bundle made"));
  g_assert_nonnull (strstr (both_subjects, "Gatepass Test CA; "));
  g_assert_nonnull (strstr (both_subjects, "Gatepass Second Test CA"));

  /* What was kept is accepted again as it is. */
  g_clear_pointer (&subjects, g_free);
  g_free (gp_ca_check_pem (both, strlen (both), &subjects, &error));
  g_assert_no_error (error);
}

static void
assert_refused (const char *text,
                gsize       length,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = gp_ca_check_pem (text, length, NULL, &error);

  g_assert_null (pem);
  g_assert_error (error, GP_CA_ERROR, GP_CA_ERROR_INVALID);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

static void
assert_fixture_refused (const char *name,
                        const char *message_part)
{
  gsize length;
  g_autofree char *text = fixture (name, &length);

  assert_refused (text, length, message_part);
}

static void
test_pem_refuses (void)
{
  gsize length;
  g_autofree char *ca = fixture ("ca.pem", &length);
  g_autofree char *key = fixture ("leaf.key", NULL);
  g_autofree char *with_key = g_strconcat (ca, key, NULL);
  g_autofree char *crl = g_strconcat (ca, "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", NULL);
  g_autofree char *unended = g_strndup (ca, strstr (ca, "-----END") - ca);
  g_autofree char *broken = g_strdup (ca);
  g_autofree char *huge = g_strnfill (GP_CA_MAX_BYTES + 1, 'A');

  assert_fixture_refused ("leaf.pem", "“CN=leaf.example” is not a CA certificate");
  assert_fixture_refused ("v1.pem", "is not a CA certificate");
  assert_fixture_refused ("expired-ca.pem", "expired on 2001-01-01");
  assert_fixture_refused ("leaf.key", "private key");
  assert_fixture_refused ("ca.der", "binary (DER)");
  assert_refused (with_key, strlen (with_key), "private key");
  assert_refused (crl, strlen (crl), "“X509 CRL” block");
  assert_refused (unended, strlen (unended), "has no “-----END CERTIFICATE-----” line");
  assert_refused ("", 0, "empty");
  assert_refused ("just some text\n", 15, "holds no certificate");
  assert_refused ("-----BEGIN CERTIFICATE\n", 23, "broken");
  assert_refused ("a\0b", 3, "not text");
  assert_refused (huge, strlen (huge), "larger than 1 MiB");

  /* Base64 that is no certificate: the TLS library's word, numbered. */
  memcpy (strstr (broken, "\n") + 1, "!!!!", 4);
  assert_refused (broken, strlen (broken), "Certificate 1 cannot be read");
}

static void
set_modified (const char *path,
              time_t      when)
{
  struct utimbuf times = { when, when };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

static void
test_store (void)
{
  const char *id = "4a1c2d3e-0000-4000-8000-000000000001";
  g_autofree char *pem = fixture ("ca.pem", NULL);
  g_autofree char *other = fixture ("ca2.pem", NULL);
  g_autofree char *path = gp_ca_store_path (id);
  g_autofree char *bundle_path = gp_ca_store_bundle_path (id);
  g_autofree char *read_back = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *new_stamp = NULL;
  gboolean rebuilt = FALSE;

  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (path, "/gatepass/ca/4a1c2d3e-0000-4000-8000-000000000001.pem"));
  g_assert_false (gp_ca_store_has (id));
  g_assert_null (gp_ca_store_read (id, &error));
  g_assert_no_error (error);
  g_assert_null (gp_ca_store_ensure_bundle (id, &rebuilt, &error));
  g_assert_no_error (error);

  g_assert_true (gp_ca_store_install (id, pem, &error));
  g_assert_no_error (error);
  g_assert_true (gp_ca_store_has (id));
  read_back = gp_ca_store_read (id, &error);
  g_assert_cmpstr (read_back, ==, pem);

  /* Built on first use, with the system's CAs first, then kept. */
  bundle = gp_ca_store_ensure_bundle (id, &rebuilt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bundle, ==, bundle_path);
  g_assert_true (rebuilt);
  g_assert_true (g_file_get_contents (bundle, &contents, NULL, NULL));
  g_assert_true (g_str_has_suffix (contents, pem));
  if (gp_ca_system_bundle () != NULL)
    {
      g_autofree char *system = NULL;

      g_assert_true (g_file_get_contents (gp_ca_system_bundle (), &system, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, system));
      g_assert_cmpuint (count (contents, "BEGIN CERTIFICATE"), ==, count (system, "BEGIN CERTIFICATE") + 1);
    }
  g_clear_pointer (&bundle, g_free);
  bundle = gp_ca_store_ensure_bundle (id, &rebuilt, &error);
  g_assert_false (rebuilt);

  /* A bundle older than its CA is built again: another version. */
  set_modified (bundle_path, time (NULL) - 3600);
  stamp = gp_ca_store_file_stamp (bundle_path);
  g_assert_nonnull (stamp);
  g_clear_pointer (&bundle, g_free);
  bundle = gp_ca_store_ensure_bundle (id, &rebuilt, &error);
  g_assert_true (rebuilt);
  new_stamp = gp_ca_store_file_stamp (bundle_path);
  g_assert_cmpstr (new_stamp, !=, stamp);

  /* Another CA replaces the first, and the old bundle goes. */
  g_assert_true (gp_ca_store_install (id, other, &error));
  g_assert_false (g_file_test (bundle_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&read_back, g_free);
  read_back = gp_ca_store_read (id, &error);
  g_assert_cmpstr (read_back, ==, other);

  g_assert_true (gp_ca_is_ours (bundle_path));
  g_assert_false (gp_ca_is_ours ("/etc/ssl/certs/ca-certificates.crt"));
  g_assert_false (gp_ca_is_ours (NULL));

  g_assert_true (gp_ca_store_remove (id, &error));
  g_assert_false (gp_ca_store_has (id));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (gp_ca_store_file_stamp (path));
  g_assert_true (gp_ca_store_remove (id, &error));
  g_assert_no_error (error);
}

static gboolean
has_variable (GPtrArray  *variables,
              const char *name,
              const char *value)
{
  for (guint i = 0; i < variables->len; i++)
    {
      GpEnvVariable *variable = g_ptr_array_index (variables, i);

      if (strcmp (variable->name, name) == 0)
        return value == NULL || g_strcmp0 (variable->value, value) == 0;
    }
  return FALSE;
}

static void
test_variables (void)
{
  const char *id = "4a1c2d3e-0000-4000-8000-000000000002";
  g_autoptr(GpProfile) profile = gp_profile_new (id);
  g_autofree char *pem = fixture ("ca.pem", NULL);
  g_autofree char *bundle = gp_ca_store_bundle_path (id);
  g_autoptr(GPtrArray) without = NULL;
  g_autoptr(GPtrArray) with = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *unset_ours = NULL;
  g_autofree char *unset_users = NULL;

  gp_profile_set_name (profile, "office");
  gp_profile_set_url (profile, "http://proxy.example:3128");

  without = gp_env_variables_for_profile (profile, NULL);
  for (const char * const *name = gp_env_ca_names (); *name != NULL; name++)
    g_assert_false (has_variable (without, *name, NULL));

  g_assert_true (gp_ca_store_install (id, pem, NULL));
  with = gp_env_variables_for_profile (profile, NULL);
  g_assert_cmpuint (g_strv_length ((char **) gp_env_ca_names ()), ==, 5);
  for (const char * const *name = gp_env_ca_names (); *name != NULL; name++)
    g_assert_true (has_variable (with, *name, bundle));

  /* The shell's CA variables are unset only when they point at ours. */
  g_setenv ("CURL_CA_BUNDLE", bundle, TRUE);
  g_setenv ("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt", TRUE);
  unset_ours = gp_env_render (none, GP_ENV_FORMAT_SH, NULL);
  g_assert_nonnull (strstr (unset_ours, " CURL_CA_BUNDLE"));
  g_assert_null (strstr (unset_ours, "SSL_CERT_FILE"));
  g_unsetenv ("CURL_CA_BUNDLE");
  unset_users = gp_env_render (none, GP_ENV_FORMAT_SH, NULL);
  g_assert_null (strstr (unset_users, "CURL_CA_BUNDLE"));
  g_unsetenv ("SSL_CERT_FILE");

  g_assert_true (gp_ca_store_remove (id, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ca/der-basic-constraints", test_der_basic_constraints);
  g_test_add_func ("/ca/pem-accepts", test_pem_accepts);
  g_test_add_func ("/ca/pem-refuses", test_pem_refuses);
  g_test_add_func ("/ca/store", test_store);
  g_test_add_func ("/ca/variables", test_variables);

  return g_test_run ();
}
