/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gp-probe-result.h"

G_BEGIN_DECLS

#define GP_TYPE_RESULT_VIEW (gp_result_view_get_type ())

G_DECLARE_FINAL_TYPE (GpResultView, gp_result_view, GP, RESULT_VIEW, AdwBin)

void           gp_result_view_set_result (GpResultView  *self,
                                          GpProbeResult *result);

G_END_DECLS
