/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reproducer for the fontconfig/pango suppressions in lsan.supp (fontconfig
 * 2.14.1, pango 1.50.12, cairo 1.16): no Gatepass code and no GTK, only
 * pango, pangocairo and, under them, fontconfig. Measures text in a few
 * fonts as GTK's labels and entries do (pango_layout_get_size,
 * pango_layout_get_pixel_size, pango_context_get_metrics,
 * pango_layout_get_unknown_glyphs_count) with
 * GTK's font options, and frees every object it owns; the default font map
 * stays, as in GTK. LeakSanitizer reports the element arrays of the
 * FcPatterns that pango keeps (allocated by fontconfig under those four
 * entry points, through pangocairo and cairo, and in FcFontRenderPrepare,
 * on pango's matching thread too) and a block from FcInitLoadConfigAndFonts.
 *
 *   PKGS=pangocairo tests/sanitizers/reproduce.sh pango-font-leak
 */
#include <pango/pangocairo.h>

int
main (void)
{
  static const char *families[] = { "Sans", "Serif", "Monospace", "Cantarell", "Sans Bold" };
  /* GTK's font map: pango owns it and keeps it (and its fonts) to the end. */
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (font_map);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* What GTK sets on its contexts (gtk_widget_update_pango_context). */
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_ON);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 96);
  cairo_font_options_destroy (options);

  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      PangoFontDescription *description = pango_font_description_from_string (families[i]);
      PangoLayout *layout = pango_layout_new (context);
      PangoFontMetrics *metrics;
      int width, height;

      pango_font_description_set_size (description, 11 * PANGO_SCALE);
      pango_layout_set_font_description (layout, description);
      pango_layout_set_text (layout, "Gatepass \xe2\x86\x92 proxy.example:3128 \xc3\xa9\xe2\x9c\x93", -1);
      /* GTK's three ways into font loading, each one first for some font. */
      if (i % 3 == 1)
        metrics = pango_context_get_metrics (context, description, NULL);
      if (i % 3 == 2)
        g_print ("%d unknown glyph(s)\n", pango_layout_get_unknown_glyphs_count (layout));
      /* GtkLabel measures in pixels: a fourth way in, first for some fonts. */
      if (i % 2 == 0)
        {
          pango_layout_get_pixel_size (layout, &width, &height);
          width *= PANGO_SCALE;
          height *= PANGO_SCALE;
        }
      else
        pango_layout_get_size (layout, &width, &height);
      if (i % 3 != 1)
        metrics = pango_context_get_metrics (context, description, NULL);
      g_print ("%s: %dx%d\n", families[i], width / PANGO_SCALE, height / PANGO_SCALE);
      pango_font_metrics_unref (metrics);
      g_object_unref (layout);
      pango_font_description_free (description);
    }
  g_object_unref (context);
  return 0;
}
