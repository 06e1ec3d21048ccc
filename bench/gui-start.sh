#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# How long does the Gatepass window take from launch until it is on screen
# with its sidebar filled in, compared with the barest libadwaita window
# (bench/bare-window.c: an AdwApplicationWindow with a label)?
#
#   bench/gui-start.sh [-n RUNS] [-b BUILDDIR] [-r RENDERER]
#
# (default: 21 runs of each, _build, GTK's own choice of renderer, which
# under Xvfb is GL on Mesa's llvmpipe; -r cairo sets GSK_RENDERER=cairo for
# both programs.)
#
# Two cases: 3 profiles, and 1000 profiles (profiles.ini written directly,
# auth=none, so no keyring is involved), each profile with a last test
# result on disk (one real result of `gatepass --headless test`, copied for
# every profile), which the window shows: the sidebar's verdicts and the
# editor's last result. Goals: the median of the per-run ratios
# gatepass/bare is at most 1.3 with 3 profiles and at most 1.5 with 1000.
# Exit status 0 when both are met.
#
# "On screen with its sidebar filled in" is measured inside the process,
# the same way for both programs, by a small LD_PRELOAD probe (built here,
# from the C in probe_source): the first frame painted by a
# mapped window in which every shown GtkListView with items has rows on
# screen and, for Gatepass (GP_BENCH_VERDICTS=1), shows a verdict (an icon
# styled success, warning or error) in its rows. The probe prints that moment (CLOCK_MONOTONIC) and the number of
# items in the list, then ends the process; the time counts from just
# before the launch. Nothing in src/ knows about it; see probe_source.
#
# Runs in a hermetic home with its own session bus (dbus-run-session) and
# one private Xvfb (tests/xvfb.sh). Needs: Xvfb, dbus-run-session, cc,
# pkg-config and the GTK 4 / libadwaita development files (all part of
# the build dependencies), python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
self=$(readlink -f "$0")

usage() { echo "Usage: $0 [-n RUNS] [-b BUILDDIR] [-r GSK_RENDERER]"; }

runs=21
build=$root/_build
inner=
renderer=
while getopts 'n:b:r:ih' opt; do
  case $opt in
    n) runs=$OPTARG ;;
    b) build=$OPTARG ;;
    r) renderer=$OPTARG ;;
    i) inner=1 ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $runs in
  ''|*[!0-9]*|0) echo "$0: -n wants a positive number, not '$runs'" >&2; exit 2 ;;
esac

# --- the probe, preloaded into both programs ------------------------------------

probe_source() {
  cat <<'PROBE'
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ready-probe.so: prints "ready <CLOCK_MONOTONIC us> <items>" and ends the
 * process at the first frame, painted by a mapped window, in which every
 * shown GtkListView with items has at least one row on screen. <items> is
 * the largest item count of those lists (the sidebar's; 0 when none). */
#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

static GHashTable *hooked;
static gboolean want_verdicts;

/* TRUE when a mapped image under WIDGET is styled as a verdict. */
static gboolean
shows_verdict (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_IMAGE (widget) &&
      (gtk_widget_has_css_class (widget, "success") || gtk_widget_has_css_class (widget, "warning") ||
       gtk_widget_has_css_class (widget, "error")))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_verdict (child))
      return TRUE;
  return FALSE;
}

/* TRUE when every mapped list view under WIDGET that has items shows rows;
 * *items grows to the largest such list's count. */
static gboolean
lists_filled (GtkWidget *widget,
              guint     *items)
{
  if (!gtk_widget_get_mapped (widget))
    return TRUE;

  if (GTK_IS_LIST_VIEW (widget))
    {
      GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));
      guint n = model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
      gboolean has_row = FALSE;

      for (GtkWidget *row = gtk_widget_get_first_child (widget); row != NULL; row = gtk_widget_get_next_sibling (row))
        has_row = has_row || gtk_widget_get_mapped (row);
      if (n > 0 && !has_row)
        return FALSE;
      if (n > 0 && want_verdicts && !shows_verdict (widget))
        return FALSE;
      *items = MAX (*items, n);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (!lists_filled (child, items))
      return FALSE;
  return TRUE;
}

static void
on_after_paint (GdkFrameClock *clock,
                GtkWidget     *window)
{
  guint items = 0;

  if (!gtk_widget_get_mapped (window) || !lists_filled (window, &items))
    return;
  printf ("ready %" G_GINT64_FORMAT " %u\n", g_get_monotonic_time (), items);
  fflush (stdout);
  _exit (0);
}

/* Runs before the redraw of a new window (higher priority than GDK's
 * frame clock), so that its first frame is seen. */
static gboolean
hook_windows (gpointer data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (l->data);

      if (clock == NULL || g_hash_table_contains (hooked, l->data))
        continue;
      g_hash_table_add (hooked, l->data);
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), l->data);
      if (gtk_widget_get_mapped (l->data))
        gtk_widget_queue_draw (l->data);   /* too late for its first frame: ask for one more */
    }
  g_list_free (toplevels);
  return G_SOURCE_CONTINUE;
}

__attribute__((constructor)) static void
probe_init (void)
{
  hooked = g_hash_table_new (NULL, NULL);
  want_verdicts = g_getenv ("GP_BENCH_VERDICTS") != NULL;
  g_timeout_add_full (G_PRIORITY_HIGH, 1, hook_windows, NULL, NULL);
}
PROBE
}

# --- outside: build the baseline and the probe, then start the session ---------

if [ -z "$inner" ]; then
  build=$(readlink -f "$build")
  window=$build/src/gatepass-window
  if [ ! -x "$window" ] || [ ! -f "$build/data/gschemas.compiled" ]; then
    echo "$0: no gatepass-window or compiled schema in $build; build it first (ninja -C $build)" >&2
    exit 1
  fi
  for tool in Xvfb dbus-run-session cc pkg-config python3; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing" >&2; exit 1; }
  done

  work=$(mktemp -d "${TMPDIR:-/tmp}/gatepass-gui-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT

  # shellcheck disable=SC2046  # pkg-config's words are meant to split
  cc -O2 -o "$work/bare-window" "$root/bench/bare-window.c" $(pkg-config --cflags --libs libadwaita-1)
  probe_source >"$work/ready-probe.c"
  # shellcheck disable=SC2046
  cc -O2 -shared -fPIC -o "$work/ready-probe.so" "$work/ready-probe.c" $(pkg-config --cflags --libs gtk4)

  export GP_BENCH_WINDOW=$window
  export GP_BENCH_CLI=$build/src/gatepass
  export GP_BENCH_BARE=$work/bare-window
  export GP_BENCH_PROBE=$work/ready-probe.so
  export GSETTINGS_SCHEMA_DIR=$build/data
  if [ -n "$renderer" ]; then
    export GSK_RENDERER=$renderer
  fi
  "$root/tests/hermetic.sh" dbus-run-session -- "$root/tests/xvfb.sh" bash "$self" -i -n "$runs"
  exit $?
fi

# --- inside: a hermetic home, a session bus, an X server -------------------------

# write_profiles DIR N: DIR/gatepass/profiles.ini with N profiles.
write_profiles() {
  mkdir -p "$1/gatepass"
  python3 - "$1/gatepass/profiles.ini" "$2" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(f"[profile bench-{i:04d}]\nname=Bench {i:04d}\n"
                f"url=http://proxy{i % 7}.example.com:{3128 + i}\nauth=none\n\n")
EOF
}

# write_results STATE_DIR N: a last result for each of N profiles, copied
# from one real `test` (of a profile whose proxy refuses at once).
write_results() {
  local config=$GATEPASS_TEST_TMPDIR/one-result/config state=$GATEPASS_TEST_TMPDIR/one-result/state
  if [ ! -d "$state" ]; then
    mkdir -p "$config" "$state"
    XDG_CONFIG_HOME=$config XDG_STATE_HOME=$state \
      "$GP_BENCH_CLI" --headless add refused http://127.0.0.1:9 --auth none >/dev/null
    XDG_CONFIG_HOME=$config XDG_STATE_HOME=$state \
      "$GP_BENCH_CLI" --headless test refused --ip-echo http://127.0.0.1:9/ >/dev/null || true
  fi
  python3 - "$state/gatepass/results" "$1/gatepass/results" "$2" <<'EOF'
import glob, json, os, sys
source, target, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = glob.glob(os.path.join(source, "*.json"))
if len(files) != 1:
    sys.exit(f"expected one result in {source}, found {len(files)}")
with open(files[0]) as f:
    stored = json.load(f)
os.makedirs(target, exist_ok=True)
for i in range(n):
    stored["profile_id"] = f"bench-{i:04d}"
    with open(os.path.join(target, f"bench-{i:04d}.json"), "w") as f:
        json.dump(stored, f)
EOF
}

few=$GATEPASS_TEST_TMPDIR/few
many=$GATEPASS_TEST_TMPDIR/many
write_profiles "$few" 3
write_profiles "$many" 1000
write_results "$few/state" 3
write_results "$many/state" 1000


echo "# Xvfb on DISPLAY=$DISPLAY," \
     "GTK $(pkg-config --modversion gtk4), libadwaita $(pkg-config --modversion libadwaita-1)," \
     "renderer ${GSK_RENDERER:-default}, $(nproc) CPUs"

exec python3 - "$runs" "$few" "$many" <<'EOF'
import os, statistics, subprocess, sys, time

runs, few, many = int(sys.argv[1]), sys.argv[2], sys.argv[3]
window, bare, probe = os.environ["GP_BENCH_WINDOW"], os.environ["GP_BENCH_BARE"], os.environ["GP_BENCH_PROBE"]

def timed(cmd, config_home, expect_items):
    env = dict(os.environ, LD_PRELOAD=probe, XDG_CONFIG_HOME=config_home,
               XDG_STATE_HOME=os.path.join(config_home, "state"))
    if cmd[0] == window:
        env["GP_BENCH_VERDICTS"] = "1"
    start = time.monotonic_ns()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60, text=True)
    lines = [l for l in proc.stdout.splitlines() if l.startswith("ready ")]
    if not lines:
        sys.exit(f"{cmd[0]} never became ready (status {proc.returncode}):\n{proc.stderr}")
    _, ready_us, items = lines[0].split()
    if expect_items is not None and int(items) != expect_items:
        sys.exit(f"{cmd[0]} showed {items} profiles, not {expect_items}")
    return (int(ready_us) * 1000 - start) / 1e6

def case(label, config_home, n_profiles, goal):
    gatepass = lambda: timed([window], config_home, n_profiles)
    baseline = lambda: timed([bare], config_home, None)
    for _ in range(3):  # warm the page cache, fontconfig, the shader cache
        gatepass(); baseline()
    t_gp, t_bare, ratios = [], [], []
    for i in range(runs):
        # Alternate which goes first, so neither always runs on a warmer system.
        if i % 2:
            b = baseline(); g = gatepass()
        else:
            g = gatepass(); b = baseline()
        t_gp.append(g); t_bare.append(b); ratios.append(g / b)
    ratio = statistics.median(ratios)
    met = ratio <= goal
    print(f"{label}: gatepass-window median {statistics.median(t_gp):.1f} ms "
          f"(min {min(t_gp):.1f}, max {max(t_gp):.1f}); bare window median "
          f"{statistics.median(t_bare):.1f} ms (min {min(t_bare):.1f}, max {max(t_bare):.1f}); "
          f"median ratio {ratio:.2f} (goal <= {goal}): {'met' if met else 'NOT met'}")
    return met

print(f"# {runs} runs of each, alternating; time from launch to the first frame with the sidebar's rows")
ok = case("3 profiles", few, 3, 1.3)
ok = case("1000 profiles", many, 1000, 1.5) and ok
sys.exit(0 if ok else 1)
EOF
