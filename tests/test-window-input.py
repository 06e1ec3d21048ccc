#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The real window, used with real input: X key and mouse events from
# xdotool, sent to `gatepass` (which starts gatepass-window) on a private X
# server. Run as
#
#   keyring-session.sh proxy-lab.sh xvfb.sh python3 test-window-input.py
#
# Nothing here reaches into the widgets. What the window shows is read
# through the accessibility tree (AT-SPI over D-Bus, the way a screen
# reader reads it); what it did is read from outside: `gatepass --headless`
# and the lab squid's access log. Each case has its own window process,
# its own configuration, state and settings (GSettings' keyfile backend,
# so that `gsettings` and the window share them), and ends by closing its
# window; none depends on another. Each saves a screenshot of the screen
# to $GP_TEST_SCREENSHOT_DIR (default: screenshots/ next to this script).
#
# TAP on stdout; diagnostics as TAP comments.

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

GATEPASS = os.environ['GATEPASS']
SCHEMA = 'io.github.gatepass.Gatepass'
DEADLINE = 20.0        # seconds: generous, the machine is shared
WINDOW_DEADLINE = 30.0

here = os.path.dirname(os.path.abspath(__file__))
screenshot_dir = os.environ.get('GP_TEST_SCREENSHOT_DIR') or os.path.join(here, 'screenshots')
os.makedirs(screenshot_dir, exist_ok=True)
work = tempfile.mkdtemp(prefix='window-input.', dir=os.environ.get('GATEPASS_TEST_TMPDIR'))


class Failure(Exception):
    pass


class Todo(Exception):
    """A known failure, reported as TAP's TODO."""


def comment(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


def wait_for(what, probe, deadline=DEADLINE):
    """Calls probe () until it returns something true; returns that."""
    end = time.monotonic() + deadline
    last = None
    while True:
        try:
            value = probe()
        except gi.repository.GLib.Error as e:  # an object gone while read
            value, last = None, e
        if value:
            return value
        if time.monotonic() > end:
            raise Failure(f'still not so after {deadline:.0f} s: {what}' + (f' ({last})' if last else ''))
        time.sleep(0.1)


# ---- the accessibility tree ------------------------------------------------------

def states(node):
    state_set = node.get_state_set()
    return {s for s in ('focused', 'checked', 'pressed', 'selected', 'sensitive', 'editable')
            if state_set.contains(getattr(Atspi.StateType, s.upper()))}


def extents(node):
    """Relative to the frame; None for what has no place of its own (a stack page)."""
    try:
        return node.get_extents(Atspi.CoordType.WINDOW)
    except gi.repository.GLib.Error:
        return None


def on_screen(node):
    """Visible and given room: GTK 4.8 keeps hidden stack pages 'visible', at 0x0."""
    if not node.get_state_set().contains(Atspi.StateType.VISIBLE):
        return False
    e = extents(node)
    return e is None or (e.width > 0 and e.height > 0)


def walk(node, in_stack_page=False):
    """Depth first, in the tree's order; only what is on screen. Only the
    child of a stack page can be hidden while 'visible' (at 0x0), so only
    there are the extents asked for: each question is a D-Bus call."""
    stack_page = node.get_name() == 'GtkStackPage'
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is None:
            continue
        if not child.get_state_set().contains(Atspi.StateType.VISIBLE):
            continue
        if stack_page and not on_screen(child):
            continue
        yield child
        yield from walk(child)


def find_all(root, role=None, name=None, test=None):
    found = []
    for node in walk(root):
        if role is not None and node.get_role_name() != role:
            continue
        if name is not None and node.get_name() != name:
            continue
        if test is not None and not test(node):
            continue
        found.append(node)
    return found


def find(root, role=None, name=None, test=None):
    nodes = find_all(root, role, name, test)
    return nodes[0] if nodes else None


def text_of(node):
    """The text of an entry (AT-SPI's Text interface), or else the name."""
    try:
        return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))
    except gi.repository.GLib.Error:
        return node.get_name()


def dump(root, depth=0):
    lines = []
    for node in walk(root):
        d = 0
        parent = node.get_parent()
        while parent is not None and parent != root:
            d += 1
            parent = parent.get_parent()
        e = extents(node)
        where = f'{e.x},{e.y} {e.width}x{e.height}' if e else '-'
        lines.append('  ' * d + f'[{node.get_role_name()}] {node.get_name()!r} {where} {sorted(states(node))}')
    return '\n'.join(lines)


# ---- one window -------------------------------------------------------------------

class Window:
    """One gatepass process with its own configuration, state and settings."""

    def __init__(self, name):
        self.name = name
        self.dir = os.path.join(work, name)
        self.env = dict(os.environ)
        for var, sub in (('XDG_CONFIG_HOME', 'config'), ('XDG_STATE_HOME', 'state'),
                         ('XDG_DATA_HOME', 'data'), ('XDG_CACHE_HOME', 'cache')):
            path = os.path.join(self.dir, sub)
            os.makedirs(path, exist_ok=True)
            self.env[var] = path
        # Shared by the window and the gsettings calls here.
        self.env['GSETTINGS_BACKEND'] = 'keyfile'
        self.process = None
        self.app = None
        self.frame = None
        self.xid = None
        self.settings('set', 'ip-echo-url', os.environ['GP_LAB_ECHO_HTTP'] + '/')
        self.settings('set', 'test-timeout', '10')

    # -- outside the window
    def settings(self, *args):
        subprocess.run(['gsettings', args[0], SCHEMA] + list(args[1:]), env=self.env, check=True)

    def gatepass(self, *args, stdin=None, check=True):
        done = subprocess.run([GATEPASS, '--headless'] + list(args), env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=60)
        if check and done.returncode != 0:
            raise Failure(f'gatepass --headless {" ".join(args)}: exit {done.returncode}: {done.stderr}')
        return done

    # -- the process
    def start(self):
        self.log = open(os.path.join(self.dir, 'window.log'), 'w')
        t0 = time.monotonic()
        self.process = subprocess.Popen([GATEPASS], env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.app = wait_for('the window is in the accessibility tree', self._find_app, WINDOW_DEADLINE)
        self.frame = wait_for('the window has a frame named Gatepass',
                              lambda: find(self.app, 'frame', 'Gatepass'), WINDOW_DEADLINE)
        self.xid = wait_for('the window is on the X server', self._find_xid, WINDOW_DEADLINE)
        # The sidebar first, then the editor (or the welcome page).
        wait_for('the window is laid out', lambda: find(self.frame, 'push button', 'New Profile'))
        self.pointer_into()
        comment(f'window up in {time.monotonic() - t0:.1f} s')
        return self

    def _find_app(self):
        if self.process.poll() is not None:
            raise Failure(f'the window exited with {self.process.returncode}')
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_process_id() == self.process.pid:
                return app
        return None

    def _find_xid(self):
        out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(self.process.pid),
                              '--name', '^Gatepass$'], capture_output=True, text=True).stdout.split()
        return out[0] if out else None

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.process = None

    def exited(self):
        return self.process.poll() is not None

    # -- the screen
    def origin(self):
        """Where the frame's (0, 0) is on the screen: the X window's corner,
        plus the border GTK draws around the frame when no compositor runs."""
        geometry = dict(line.split('=', 1) for line in subprocess.run(
            ['xdotool', 'getwindowgeometry', '--shell', self.xid],
            capture_output=True, text=True, check=True).stdout.split())
        frame = extents(self.frame)
        return (int(geometry['X']) + (int(geometry['WIDTH']) - frame.width) // 2,
                int(geometry['Y']) + (int(geometry['HEIGHT']) - frame.height) // 2)

    def pointer_into(self):
        # No window manager: the keyboard goes to the window under the pointer.
        x, y = self.origin()
        xdotool('mousemove', str(x + 140), str(y + 400))

    def scroll_into_view(self, node):
        """Turns the mouse wheel over the editor, as a person does, until
        NODE, a part of the editor, is within the window (below the header
        bar); anything else is where it is."""
        x, y = self.origin()
        frame = extents(self.frame)
        for _ in range(40):
            self.refresh()
            e = extents(node)
            below = e is not None and in_editor(node) and e.y + e.height > frame.height - 10
            above = e is not None and in_editor(node) and e.y < 50   # under the header bar
            if not below and not above:
                return
            xdotool('mousemove', str(x + frame.width - 200), str(y + frame.height // 2),
                    'click', '5' if below else '4')
            time.sleep(0.1)
        raise Failure(f'{node.get_role_name()} {node.get_name()!r} could not be scrolled into view')

    def click(self, node, dx=None, dy=None):
        self.scroll_into_view(node)
        e = extents(node)
        x, y = self.origin()
        xdotool('mousemove', str(x + e.x + (e.width // 2 if dx is None else dx)),
                str(y + e.y + (e.height // 2 if dy is None else dy)), 'click', '1')

    def screenshot(self, name):
        path = os.path.join(screenshot_dir, name + '.png')
        # Wait for the frame to be painted as the tree says it is.
        time.sleep(0.5)
        subprocess.run(['import', '-window', 'root', path], check=True)
        comment(f'screenshot: {path}')
        return path

    # -- reading the window
    def refresh(self):
        self.app.clear_cache()

    def find(self, role=None, name=None, test=None, root=None):
        self.refresh()
        return find(root or self.frame, role, name, test)

    def wait(self, what, role=None, name=None, test=None, root=None, deadline=DEADLINE):
        return wait_for(what, lambda: self.find(role, name, test, root), deadline)

    def find_all_buttons(self, part):
        self.refresh()
        return find_all(self.frame, 'push button', test=lambda n: part in (n.get_name() or ''))

    def sidebar(self):
        self.refresh()
        return find(self.frame, 'list', 'Profiles')

    def sidebar_names(self):
        sidebar = self.sidebar()
        return [row_name(r) for r in find_all(sidebar, 'list item')] if sidebar else []

    def selected_row(self):
        sidebar = self.sidebar()
        rows = find_all(sidebar, 'list item', test=lambda n: 'selected' in states(n)) if sidebar else []
        return row_name(rows[0]) if rows else None

    def entry(self, label):
        """An entry row's text field, by the row's title."""
        return self.wait(f'an entry named {label!r}', 'text', label)

    def focus_entry(self, label):
        """Clicks into an entry row. GTK 4.8 marks the focus on the row's inner
        text, which the tree leaves out: that the focus is there shows in
        what typing does, which each case checks."""
        entry = self.entry(label)
        self.click(entry)
        time.sleep(0.3)
        return entry


def row_name(row):
    # A sidebar row: its first label is the profile's name.
    labels = find_all(row, 'label')
    return labels[0].get_name() if labels else row.get_name()


def xdotool(*args):
    subprocess.run(['xdotool'] + list(args), check=True)


def key(*keys):
    xdotool('key', '--delay', '50', *keys)


def type_text(text):
    xdotool('type', '--delay', '30', text)


def dialogs(window):
    window.refresh()
    return [f for f in walk(window.app) if f.get_role_name() in ('dialog', 'alert', 'frame')
            and f != window.frame]


def access_log():
    try:
        with open(os.environ['GP_LAB_BASIC_ACCESS_LOG']) as f:
            return f.read()
    except FileNotFoundError:
        return ''


def add_lab_profile(window, name):
    window.gatepass('add', name, os.environ['GP_LAB_BASIC'], '--username', os.environ['GP_LAB_USER'],
                    '--password-stdin', stdin=os.environ['GP_LAB_PASSWORD'])


# ---- the cases --------------------------------------------------------------------

def case_save_from_entry(w):
    """Ctrl+S with the focus in the Name entry saves what was typed."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('ctrl+a')
    type_text('Head Office')
    wait_for('the entry shows the new name', lambda: text_of(w.entry('Name')) == 'Head Office')
    key('ctrl+s')
    wait_for('gatepass --headless show "Head Office" finds it',
             lambda: w.gatepass('show', 'Head Office', check=False).returncode == 0)
    if w.gatepass('show', 'Office', check=False).returncode != 4:
        raise Failure('the old name is still there')
    wait_for('the sidebar lists the new name', lambda: w.sidebar_names() == ['Head Office'])
    w.screenshot('save-from-entry')


def case_save_from_button(w):
    """Ctrl+S with the focus on a button (given it by a click) saves too."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    url = w.focus_entry('Proxy URL')
    key('ctrl+a')
    type_text('http://127.0.0.1:8080')
    wait_for('the entry shows the new URL', lambda: text_of(url) == 'http://127.0.0.1:8080')
    # A click gives a button the focus; Copy changes nothing that is saved.
    w.click(w.wait('the Copy button', 'push button', 'Copy'))
    w.wait('the toast of the copy', test=lambda n: n.get_role_name() == 'label' and 'opied' in n.get_name())
    key('ctrl+s')
    wait_for('gatepass --headless show Office has the new URL',
             lambda: '127.0.0.1:8080' in w.gatepass('show', 'Office').stdout)
    w.screenshot('save-from-button')


def case_save_from_sidebar(w):
    """Ctrl+S after a click on the blank part of the sidebar saves too."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('End')
    type_text(' 2')
    wait_for('the entry shows the new name', lambda: text_of(w.entry('Name')) == 'Office 2')
    profiles = w.sidebar()
    e = extents(profiles)
    w.click(profiles, dy=e.height - 20)     # below the only row
    key('ctrl+s')
    wait_for('gatepass --headless show "Office 2" finds it',
             lambda: w.gatepass('show', 'Office 2', check=False).returncode == 0)
    w.screenshot('save-from-sidebar')


def case_test_shortcut(w):
    """Ctrl+T with the focus in an entry tests: a verdict on screen, a request at squid."""
    add_lab_profile(w, 'Lab')
    before = access_log().count(' ' + os.environ['GP_LAB_USER'] + ' ')
    w.start()
    w.focus_entry('Proxy URL')
    key('ctrl+t')
    w.wait('the verdict "Working" is on screen', 'label', 'Working', deadline=40)
    wait_for('squid logged a request with the lab user',
             lambda: access_log().count(' ' + os.environ['GP_LAB_USER'] + ' ') > before)
    w.screenshot('test-shortcut')


def case_delete_in_entry(w):
    """Delete with the focus in an entry deletes a character, not the profile."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('Home', 'Delete')
    wait_for('the entry reads "ffice"', lambda: text_of(w.entry('Name')) == 'ffice')
    time.sleep(1)
    if dialogs(w):
        raise Failure('Delete in the entry opened a dialog: ' + ', '.join(d.get_name() for d in dialogs(w)))
    w.gatepass('show', 'Office')
    w.screenshot('delete-in-entry')


def case_new_profile(w):
    """Ctrl+N opens a new profile, named "New Profile", focus anywhere."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('ctrl+n')
    wait_for('the Name entry reads "New Profile"', lambda: text_of(w.entry('Name')) == 'New Profile')
    if w.selected_row() is not None:
        raise Failure('a sidebar row is still selected for the new profile')
    w.screenshot('new-profile')


def toggle_pressed(w):
    button = w.find(name='Search Profiles', test=lambda n: n.get_role_name() in ('push button', 'toggle button'))
    return button is not None and bool(states(button) & {'checked', 'pressed'})


def case_search(w):
    """Ctrl+F opens the search with the focus in it; typing filters; Escape closes
    the search and the search button comes up; the button opens it again."""
    for name in ('Office', 'Home', 'Hotel'):
        w.gatepass('add', name, 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('ctrl+f')
    w.wait('the search entry, focused', 'entry', 'Search profiles', test=lambda n: 'focused' in states(n))
    wait_for('the search button is pressed', lambda: toggle_pressed(w))
    type_text('ho')    # into the search entry: only there does it filter
    wait_for('the sidebar shows only Home and Hotel', lambda: w.sidebar_names() == ['Home', 'Hotel'])
    w.screenshot('search-open')
    key('Escape')
    # The closed bar keeps its entry in the tree (in a folded revealer): the
    # button and the list tell, and the screenshot shows.
    wait_for('the search button is up again', lambda: not toggle_pressed(w))
    wait_for('the sidebar lists all three again', lambda: len(w.sidebar_names()) == 3)
    w.screenshot('search-closed')
    w.click(w.find(name='Search Profiles', test=lambda n: n.get_role_name() in ('push button', 'toggle button')))
    wait_for('the search button is pressed', lambda: toggle_pressed(w))
    w.wait('a click on the button opens the search, focused', 'entry', 'Search profiles',
           test=lambda n: 'focused' in states(n))


def case_test_all(w):
    """Ctrl+Shift+T tests every profile: a toast with the count, requests at squid."""
    add_lab_profile(w, 'Lab')
    w.gatepass('add', 'Nowhere', os.environ['GP_LAB_CLOSED'])
    before = access_log().count(' ' + os.environ['GP_LAB_USER'] + ' ')
    w.start()
    w.focus_entry('Name')
    key('ctrl+shift+t')
    w.wait('the toast "Profiles that work: 1 of 2"', 'label', 'Profiles that work: 1 of 2', deadline=40)
    wait_for('squid logged a request with the lab user',
             lambda: access_log().count(' ' + os.environ['GP_LAB_USER'] + ' ') > before)
    w.screenshot('test-all')


def case_preferences(w):
    """Ctrl+comma opens Preferences."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('ctrl+comma')
    wait_for('a Preferences window', lambda: any(d.get_name() == 'Preferences' for d in dialogs(w)))
    w.screenshot('preferences')


def case_quit(w):
    """Ctrl+Q closes the window and ends the process."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    w.focus_entry('Name')
    key('ctrl+q')
    wait_for('the process has ended', w.exited)
    if w.process.returncode != 0:
        raise Failure(f'exit status {w.process.returncode}')


def case_sorted(w):
    """The sidebar is sorted by name, ignoring case, whatever the file's order."""
    for name in ('charlie', 'Bravo', 'delta', 'alpha', 'Echo'):
        w.gatepass('add', name, 'http://127.0.0.1:3128')
    w.start()
    wait_for('the sidebar lists five profiles', lambda: len(w.sidebar_names()) == 5)
    names = w.sidebar_names()
    if names != ['alpha', 'Bravo', 'charlie', 'delta', 'Echo']:
        raise Failure(f'sidebar order: {names}')
    wait_for('the first one is selected and shown', lambda: w.selected_row() == 'alpha'
             and text_of(w.entry('Name')) == 'alpha')
    w.screenshot('sorted')


def delete_with_key(w, name):
    """Selects NAME with a click, presses Delete, confirms with a click."""
    row = w.wait(f'a row for {name}', 'list item', test=lambda n: row_name(n) == name)
    w.click(row)
    wait_for(f'{name} is selected and shown',
             lambda: w.selected_row() == name and text_of(w.entry('Name')) == name)
    row = w.find('list item', test=lambda n: row_name(n) == name)
    w.click(row)      # the focus on the row, as a person's would be
    key('Delete')
    dialog = wait_for('the Delete dialog', lambda: next(
        (d for d in dialogs(w) if find(d, 'label', f'Delete “{name}”?')), None))
    w.screenshot('delete-dialog')
    # GTK 4.8 names a button with a mnemonic "_Delete Delete": go by its label.
    button = find(dialog, 'push button', test=lambda n: find(n, 'label', 'Delete') is not None)
    if button is None:
        raise Failure('no Delete button in the dialog:\n' + dump(dialog))
    dialog_click(w, dialog, button)
    wait_for(f'gatepass --headless show {name} says no such profile',
             lambda: w.gatepass('show', name, check=False).returncode == 4)


def dialog_click(w, dialog, node):
    """Clicks NODE in a dialog window, which has its own X window."""
    xids = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(w.process.pid), ''],
                          capture_output=True, text=True).stdout.split()
    frame = extents(dialog)
    for xid in xids:
        g = dict(line.split('=', 1) for line in subprocess.run(
            ['xdotool', 'getwindowgeometry', '--shell', xid], capture_output=True, text=True).stdout.split())
        if xid != w.xid and abs(int(g['WIDTH']) - frame.width) <= 60 and abs(int(g['HEIGHT']) - frame.height) <= 60:
            x = int(g['X']) + (int(g['WIDTH']) - frame.width) // 2
            y = int(g['Y']) + (int(g['HEIGHT']) - frame.height) // 2
            e = extents(node)
            xdotool('mousemove', str(x + e.x + e.width // 2), str(y + e.y + e.height // 2), 'click', '1')
            return
    raise Failure('the dialog has no X window of its size')


def case_delete_selects_next(w):
    """Delete on a middle profile: the selection goes to the next one."""
    for name in ('alpha', 'bravo', 'charlie'):
        w.gatepass('add', name, 'http://127.0.0.1:3128')
    w.start()
    delete_with_key(w, 'bravo')
    wait_for('the sidebar lists alpha and charlie', lambda: w.sidebar_names() == ['alpha', 'charlie'])
    wait_for('charlie is selected and shown', lambda: w.selected_row() == 'charlie'
             and text_of(w.entry('Name')) == 'charlie')
    w.screenshot('delete-next')


def case_delete_last_selects_previous(w):
    """Delete on the last profile: the selection goes to the one before it."""
    for name in ('alpha', 'bravo', 'charlie'):
        w.gatepass('add', name, 'http://127.0.0.1:3128')
    w.start()
    delete_with_key(w, 'charlie')
    wait_for('the sidebar lists alpha and bravo', lambda: w.sidebar_names() == ['alpha', 'bravo'])
    wait_for('bravo is selected and shown', lambda: w.selected_row() == 'bravo'
             and text_of(w.entry('Name')) == 'bravo')
    w.screenshot('delete-previous')


CONTROLS = {'push button', 'toggle button', 'check box', 'radio button', 'text', 'password text',
            'combo box', 'switch', 'slider', 'spin button', 'menu button', 'list', 'list item',
            'toggle', 'link'}


def has_name(node):
    # Without a name, GTK 4.8 gives the widget's type name ("GtkToggleButton").
    name = (node.get_name() or '').strip()
    return bool(name) and not re.fullmatch(r'(Gtk|Adw|Gp)[A-Z]\w*', name)


def controls_of(node):
    """The controls under NODE, except the parts of a named combo box (a
    drop-down's own button), which are read as the combo box."""
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is None or not child.get_state_set().contains(Atspi.StateType.VISIBLE):
            continue
        if node.get_name() == 'GtkStackPage' and not on_screen(child):
            continue
        if child.get_role_name() in CONTROLS:
            yield child
        if child.get_role_name() == 'combo box' and has_name(child):
            continue
        yield from controls_of(child)


def in_editor(node):
    while node is not None:
        if node.get_name() == 'GpProfileEditor':
            return True
        node = node.get_parent()
    return False


def unnamed_controls(w):
    w.refresh()
    missing = []
    for node in controls_of(w.frame):
        if not has_name(node):
            if node.get_role_name() == 'list item' and find(node, 'label'):
                continue    # a row is read by its labels
            e = extents(node)
            parent = node.get_parent()
            where = f'{e.x},{e.y} {e.width}x{e.height}' if e else '-'
            missing.append(f'{node.get_role_name()} at {where} in {parent.get_role_name()} {parent.get_name()!r}'
                           + (' (in the profile editor)' if in_editor(node) else ''))
    return missing


def case_accessible_names(w):
    """Every control on screen has an accessible name, with a profile shown and
    a test result, and on the welcome page."""
    add_lab_profile(w, 'Lab')
    w.start()
    w.focus_entry('Name')
    key('ctrl+t')
    w.wait('the verdict "Working" is on screen', 'label', 'Working', deadline=40)
    controls = list(controls_of(w.frame))
    comment(f'{len(controls)} controls on screen with a profile shown')
    missing = unnamed_controls(w)
    w.screenshot('accessible-names')
    if missing:
        raise Failure('controls without an accessible name:\n' + '\n'.join(missing))


def case_accessible_names_welcome(w):
    """The welcome page, with no profile: every control has a name too."""
    w.start()
    w.wait('the welcome page', 'label', 'No Proxy Profiles')
    missing = unnamed_controls(w)
    w.screenshot('accessible-names-welcome')
    if missing:
        raise Failure('controls without an accessible name:\n' + '\n'.join(missing))


def case_metainfo_screenshot(w):
    """The software centre's screenshot (data/screenshots/main-window.png is
    a copy): a whole profile with its test result, nothing cut, the window
    alone, at METAINFO_SIZE less the border."""
    width, height = METAINFO_SIZE
    w.settings('set', 'window-size', f'({width}, {height})')
    add_lab_profile(w, 'Office')
    w.gatepass('add', 'Home', 'http://192.168.1.1:3128')
    w.gatepass('add', 'Client Site', 'http://proxy.client.example:8080', '--no-proxy', 'localhost,*.client.example')
    w.start()
    office = w.wait('the Office row', 'list item', test=lambda n: row_name(n) == 'Office')
    w.click(office)
    wait_for('Office is shown', lambda: text_of(w.entry('Name')) == 'Office')
    key('ctrl+t')
    verdict = w.wait('the verdict "Working" is on screen', 'label', 'Working', deadline=40)
    # The whole card, down to its advice, within the window.
    advice = w.wait('the advice of the verdict', 'label', test=lambda n: (n.get_name() or '').startswith('The proxy works'))
    e, frame = extents(advice), extents(w.frame)
    if e.y + e.height > frame.height - 20:
        raise Failure(f'the verdict card is cut by the window ({e.y}+{e.height} > {frame.height} - 20)')
    # A click on the row again hides the focus ring that the keys brought
    # up; then the pointer on blank space, where it lights nothing up.
    w.click(office)
    sidebar = w.sidebar()
    x, y = w.origin()
    xdotool('mousemove', str(x + 140), str(y + extents(sidebar).y + extents(sidebar).height - 20))
    time.sleep(0.5)
    path = os.path.join(screenshot_dir, 'metainfo-main-window.png')
    # The window alone, without the border GTK draws around it.
    x0, y0 = w.origin()
    subprocess.run(['import', '-window', 'root', '-crop', f'{frame.width}x{frame.height}+{x0}+{y0}',
                    '+repage', path], check=True)
    comment(f'screenshot: {path}')


def label_with(w, part):
    return w.find('label', test=lambda n: part in (n.get_name() or ''))


def keyring_tool(action):
    subprocess.run([os.environ['GP_TEST_KEYRING_TOOL'], action], check=True, timeout=30)


def case_validate_while_typing(w):
    """A URL without a port is marked as it is typed, after a pause, with no
    Save; typing the port clears the mark."""
    w.gatepass('add', 'Office', 'http://127.0.0.1:3128')
    w.start()
    url = w.focus_entry('Proxy URL')
    key('ctrl+a')
    type_text('http://proxy.example')
    w.wait('the message that the port is missing', 'label', test=lambda n: 'port is missing' in (n.get_name() or ''))
    w.screenshot('validate-while-typing')
    type_text(':3128')
    wait_for('the entry shows the port', lambda: text_of(url) == 'http://proxy.example:3128')
    wait_for('the message is gone once the URL is right',
             lambda: label_with(w, 'port is missing') is None)
    if w.gatepass('show', 'Office').stdout.count('proxy.example') != 0:
        raise Failure('the URL was saved without Save')


def case_timeout_more_time(w):
    """A proxy that never answers: Ctrl+T, the verdict says how long it waited,
    and a click on Test Again With More Time waits twice as long."""
    w.settings('set', 'test-timeout', '2')
    w.gatepass('add', 'Hanging', os.environ['GP_LAB_HANG'], '--auth', 'none')
    w.start()
    w.focus_entry('Proxy URL')
    key('ctrl+t')
    w.wait('the verdict "Timed Out"', 'label', 'Timed Out', deadline=30)
    w.wait('the detail says how long it waited', test=lambda n: 'No complete answer within 2 s' in (n.get_name() or ''))
    if label_with(w, 'Operation was cancelled'):
        raise Failure('the detail still reads "Operation was cancelled"')
    w.screenshot('timeout')
    w.click(w.wait('the Test Again With More Time button', 'push button',
                   test=lambda n: 'More Time' in (n.get_name() or '')))
    # The retry waited twice as long: its own advice says so.
    w.wait('the retry timed out after 4 s', 'label',
           test=lambda n: (n.get_name() or '').startswith('No complete answer within 4 s'), deadline=30)
    w.screenshot('timeout-more-time')


def case_locked_keyring(w):
    """The keyring locked from outside: the Keyring row offers Unlock at once,
    Ctrl+T shows the keyring-error result with Unlock; unlocked from outside,
    the row says so again."""
    add_lab_profile(w, 'Lab')
    w.start()
    w.wait('the password is stored', 'label', 'A password is stored')
    keyring_tool('lock')
    try:
        w.wait('the Keyring row offers Unlock', 'push button', test=lambda n: 'Unlock' in (n.get_name() or ''))
        w.focus_entry('Proxy URL')
        key('ctrl+t')
        w.wait('the result "Keyring Unavailable"', 'label', 'Keyring Unavailable', deadline=30)
        unlocks = w.find_all_buttons('Unlock')
        if len(unlocks) < 2:
            raise Failure(f'{len(unlocks)} Unlock button(s): the result should offer one beside the row\'s')
        w.screenshot('locked-keyring')
    finally:
        keyring_tool('unlock')
    w.wait('the row follows the unlock', 'label', 'A password is stored')
    # The result of the test stays, with its own Unlock; the row's is gone.
    wait_for('only the result offers Unlock', lambda: len(w.find_all_buttons('Unlock')) == 1)


def case_copy_address(w):
    """After Ctrl+T, a click on Copy Address says so in a toast."""
    add_lab_profile(w, 'Lab')
    w.start()
    w.focus_entry('Proxy URL')
    key('ctrl+t')
    w.wait('the verdict "Working" is on screen', 'label', 'Working', deadline=40)
    w.click(w.wait('the Copy Address button', 'push button', 'Copy Address'))
    w.wait('the toast "Address copied"', 'label', 'Address copied')
    w.screenshot('copy-address')


def case_no_password_preview(w):
    """A profile whose password is not stored: the export preview says so
    (export prints nothing), with no Show Password button."""
    w.gatepass('add', 'Office', os.environ['GP_LAB_BASIC'], '--username', 'bob', '--auth', 'password')
    w.start()
    w.wait('the preview says that no password is stored', 'label',
           test=lambda n: (n.get_name() or '').startswith('No password is stored for this profile'))
    if w.find_all_buttons('Show Password'):
        raise Failure('Show Password is offered although no password is stored')
    w.screenshot('no-password-preview')


def session_file(w):
    return os.path.join(w.env['XDG_CONFIG_HOME'], 'environment.d', '60-gatepass.conf')


def active_switch(w):
    # GTK 4.8 reads a switch as a check box, its name given twice.
    return w.wait('the Active Profile switch', 'check box',
                  test=lambda n: (n.get_name() or '').startswith('Active Profile'))


def case_session_group(w):
    """A click on the Active switch applies the profile: the Desktop Session group
    shows where, and the session file is written; another click hides the group
    and removes the file."""
    add_lab_profile(w, 'Office')
    w.start()
    if w.find('label', 'Desktop Session'):
        raise Failure('the Desktop Session group is shown for a profile that is not active')
    w.click(active_switch(w))
    wait_for('the switch is on', lambda: 'checked' in states(active_switch(w)))
    w.wait('the Desktop Session group', 'label', 'Desktop Session')
    w.wait('the Session File row says it holds no credentials', 'label',
           test=lambda n: (n.get_name() or '').startswith('Without credentials: '))
    w.wait('a row is marked Applied', 'image', 'Applied')
    wait_for('the session file is written', lambda: os.path.exists(session_file(w)))
    with open(session_file(w)) as f:
        if os.environ['GP_LAB_PASSWORD'] in f.read():
            raise Failure('the session file holds the password')
    w.screenshot('session-group')
    w.click(active_switch(w))
    wait_for('the switch is off', lambda: 'checked' not in states(active_switch(w)))
    wait_for('the Desktop Session group is gone', lambda: w.find('label', 'Desktop Session') is None)
    wait_for('the session file is removed', lambda: not os.path.exists(session_file(w)))
    w.screenshot('session-group-off')


SCHEMA_ATTR = ['xdg:schema', 'io.github.gatepass.Profile']


def keyring_has(profile_id, username):
    # secret-tool prints the secret on stdout, the attributes on stderr.
    done = subprocess.run(['secret-tool', 'search', '--all'] + SCHEMA_ATTR +
                          ['profile', profile_id, 'username', username],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return 'attribute.profile = ' + profile_id in done.stdout


def profile_id(w, name):
    import json
    return json.loads(w.gatepass('show', name, '--json').stdout)['id']


def open_menu_item(w, label, mnemonic):
    """Opens the primary menu with a real click on its button and chooses
    the item by its mnemonic, as the keyboard does (the popover is an X
    window of its own, which the accessibility tree gives no place for)."""
    w.click(w.wait('the Main Menu button', 'push button', 'Main Menu'))
    wait_for(f'the menu item {label}', lambda: next(
        (n for n in find_all(w.app, test=lambda n: (n.get_name() or '') == label)
         if on_screen(n)), None))
    w.screenshot('menu-' + w.name)
    key(mnemonic)


def case_clear_stale(w):
    """Clear Stale Credentials… from the primary menu, with real clicks: the
    dialog explains each finding; Remove takes away an orphaned keyring item
    and GNOME's plaintext password, and leaves a start-up file as it was."""
    add_lab_profile(w, 'Office')
    orphan = 'window-input-orphan'
    subprocess.run(['secret-tool', 'store', '--label', 'orphan'] + SCHEMA_ATTR +
                   ['profile', orphan, 'username', 'olga'], input='orphan-pw', text=True, check=True)
    subprocess.run(['gsettings', 'set', 'org.gnome.system.proxy.http', 'authentication-password',
                    'gnome-plain-pw'], env=w.env, check=True)
    home = os.path.join(w.dir, 'home')
    os.makedirs(home, exist_ok=True)
    w.env['HOME'] = home
    bashrc = os.path.join(home, '.bashrc')
    with open(bashrc, 'w') as f:
        f.write('# proxy\nexport http_proxy=http://olga:file-pw@proxy.example:3128\n')
    before = open(bashrc, 'rb').read()
    if not keyring_has(orphan, 'olga'):
        raise Failure('the planted item is not found: the check cannot see items')
    w.start()
    open_menu_item(w, 'Clear Stale Credentials…', 'c')
    dialog = wait_for('the Clear Stale Credentials dialog', lambda: next(
        (d for d in dialogs(w) if find(d, 'label', 'Clear Stale Credentials?')), None))
    for title in ('Unused Keyring Item', 'Password in GNOME’s Settings', 'Password in a Start-Up File'):
        wait_for(f'the finding "{title}"', lambda: find(dialog, 'label', title))
    if not find(dialog, 'label', test=lambda n: 'Line 2 of ~/.bashrc' in (n.get_name() or '')):
        raise Failure('the start-up file finding does not name its file and line:\n' + dump(dialog))
    w.screenshot('clear-stale-dialog')
    button = find(dialog, 'push button', test=lambda n: find(n, 'label', 'Remove') is not None)
    if button is None:
        raise Failure('no Remove button in the dialog:\n' + dump(dialog))
    dialog_click(w, dialog, button)
    wait_for('the orphaned item is gone from the keyring', lambda: not keyring_has(orphan, 'olga'))
    wait_for('GNOME holds no password', lambda: subprocess.run(
        ['gsettings', 'get', 'org.gnome.system.proxy.http', 'authentication-password'], env=w.env,
        capture_output=True, text=True).stdout.strip() == "''")
    w.wait('the toast says what was removed', 'label', test=lambda n: (n.get_name() or '').startswith('Removed '))
    if not keyring_has(profile_id(w, 'Office'), os.environ['GP_LAB_USER']):
        raise Failure("the working profile's password was removed")
    if open(bashrc, 'rb').read() != before:
        raise Failure('~/.bashrc was changed')
    w.screenshot('clear-stale-done')


def case_forget_rejected(w):
    """A rejected password: Forget This Password, right in the result, asks
    first, removes it, and puts the focus where the new one is typed."""
    w.gatepass('add', 'Office', os.environ['GP_LAB_BASIC'], '--username', os.environ['GP_LAB_USER'],
               '--password-stdin', stdin='not-the-password')
    office = profile_id(w, 'Office')
    w.start()
    w.focus_entry('Proxy URL')
    key('ctrl+t')
    w.wait('the verdict "Credentials Rejected"', 'label', 'Credentials Rejected', deadline=40)
    button = w.wait('the Forget This Password button', 'push button',
                    test=lambda n: find(n, 'label', 'Forget This Password') is not None)
    w.click(button)
    dialog = wait_for('the Forget dialog', lambda: next(
        (d for d in dialogs(w) if find(d, 'label', 'Forget the Password?')), None))
    w.screenshot('forget-rejected-dialog')
    dialog_click(w, dialog, find(dialog, 'push button', test=lambda n: find(n, 'label', 'Forget') is not None))
    wait_for('the item is gone from the keyring', lambda: not keyring_has(office, os.environ['GP_LAB_USER']))
    w.wait('the toast "Password removed from the keyring"', 'label', 'Password removed from the keyring')
    w.screenshot('forget-rejected')
    # The focus waits in the password row: what is typed next is the new
    # password, and Ctrl+S stores it.
    type_text('n3w-secret')
    key('ctrl+s')
    wait_for('the typed password is stored', lambda: 'n3w-secret' in w.gatepass(
        'export', 'Office', '--format', 'json', check=False).stdout)


def case_import_button(w):
    """The empty state's Import From This System, with a real click: a profile
    from the proxy variables, its percent-encoded password decoded into the keyring."""
    lab = os.environ['GP_LAB_BASIC']
    encoded = ''.join(c if c.isalnum() else '%%%02X' % ord(c) for c in os.environ['GP_LAB_PASSWORD'])
    w.env['http_proxy'] = lab.replace('://', '://' + os.environ['GP_LAB_USER'] + ':' + encoded + '@', 1)
    w.start()
    w.screenshot('import-welcome')
    w.click(w.wait('the Import button', 'push button',
                   test=lambda n: find(n, 'label', 'Import From This System') is not None))
    wait_for('the sidebar lists the imported profile', lambda: w.sidebar_names() == ['127.0.0.1'])
    done = w.gatepass('export', '127.0.0.1', '--format', 'json')
    if encoded.lower() not in done.stdout.lower():
        raise Failure('export of the imported profile lacks the encoded password: ' + done.stdout[:200])
    w.wait('the toast says so', 'label', test=lambda n: 'Imported “127.0.0.1”' in (n.get_name() or ''))
    w.wait('the toast offers to clear the copy left in the variable', 'push button',
           test=lambda n: find(n, 'label', 'Clear Copies…') is not None)
    w.screenshot('import-done')


CHOOSER_TITLE = 'Choose the Proxy’s CA Certificate'


def ca_file(w, name):
    import json
    return json.loads(w.gatepass('show', name, '--json').stdout)['ca_file']


def leaf_certificate(w):
    """A certificate that is no CA (basicConstraints CA:FALSE): the wrong file."""
    path = os.path.join(w.dir, 'leaf.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
                    '-subj', '/CN=leaf.example', '-addext', 'basicConstraints=CA:FALSE',
                    '-keyout', os.path.join(w.dir, 'leaf.key'), '-out', path],
                   check=True, capture_output=True)
    return path


def chooser_xid(w):
    out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(w.process.pid),
                          '--name', '^' + CHOOSER_TITLE + '$'], capture_output=True, text=True).stdout.split()
    return out[-1] if out else None   # the newest


def choose_file(w, path, shot=None):
    """In the file chooser that the window opened: Ctrl+L, the path, Enter,
    typed into its own X window (no window manager: the pointer goes there)."""
    xid = wait_for('the file chooser is on the X server', lambda: chooser_xid(w))
    geometry = dict(line.split('=', 1) for line in subprocess.run(
        ['xdotool', 'getwindowgeometry', '--shell', xid], capture_output=True, text=True,
        check=True).stdout.split())
    xdotool('mousemove', str(int(geometry['X']) + int(geometry['WIDTH']) // 2),
            str(int(geometry['Y']) + 80))
    time.sleep(0.5)
    key('ctrl+l')
    time.sleep(0.3)
    type_text(path)
    time.sleep(0.3)
    if shot:
        w.screenshot(shot)
    key('Return')
    # What the window does then is each case's to check.
    time.sleep(1)
    w.pointer_into()


def case_ca_wrong_file_then_remove(w):
    """Choose… in the editor's CA row: a leaf certificate is refused, the row
    says why and nothing changes; the lab's CA is trusted at once (no Save);
    Remove trusts the system's CAs only again."""
    w.gatepass('add', 'Office', os.environ['GP_LAB_BASIC'])
    leaf = leaf_certificate(w)
    w.start()
    w.wait('the CA row says there is none', 'label',
           test=lambda n: (n.get_name() or '').startswith('None: only the system'))
    w.click(w.wait('the Choose… button', 'push button', test=lambda n: find(n, 'label', 'Choose…') is not None))
    choose_file(w, leaf, 'ca-chooser')
    w.wait('the row says it is not a CA certificate', 'label',
           test=lambda n: 'is not a CA certificate' in (n.get_name() or '') and 'Nothing was changed' in n.get_name())
    w.screenshot('ca-wrong-file')
    if ca_file(w, 'Office') is not None:
        raise Failure('a leaf certificate was trusted')
    w.click(w.wait('the Choose… button', 'push button', test=lambda n: find(n, 'label', 'Choose…') is not None))
    choose_file(w, os.environ['GP_LAB_CA'])
    wait_for('show --json has ca_file', lambda: ca_file(w, 'Office') is not None)
    w.wait('the row names the CA', 'label', test=lambda n: 'Gatepass test lab CA' in (n.get_name() or ''))
    w.wait('the toast says so', 'label', test=lambda n: (n.get_name() or '').startswith('This profile now trusts'))
    w.wait('the export preview names the bundle', 'text',
           test=lambda n: 'CURL_CA_BUNDLE' in text_of(n))
    w.screenshot('ca-trusted')
    w.click(w.wait('the Remove button', 'push button', test=lambda n: find(n, 'label', 'Remove') is not None))
    wait_for('show --json has ca_file null', lambda: ca_file(w, 'Office') is None)
    w.wait('the CA row says there is none', 'label',
           test=lambda n: (n.get_name() or '').startswith('None: only the system'))
    w.screenshot('ca-removed')


def case_ca_from_inspected(w):
    """Through squid, the lab's echo host's certificate (signed by the lab's
    CA, unknown to the system) is tls-inspected: the result shows the
    certificate's issuer and fingerprint, and Trust the Proxy’s CA… trusts
    the lab's CA for the profile; the next test works, its certificate trusted."""
    w.settings('set', 'ip-echo-url', os.environ['GP_LAB_ECHO_HTTPS'] + '/')
    add_lab_profile(w, 'Lab')
    w.start()
    w.focus_entry('Proxy URL')
    key('ctrl+t')
    w.wait('the verdict "TLS Inspected by the Proxy"', 'label', 'TLS Inspected by the Proxy', deadline=40)
    w.wait('the certificate is not trusted', 'label', 'Not trusted by this system')
    w.wait('the issuer is shown', 'label', test=lambda n: n.get_name() == 'CN=Gatepass test lab CA')
    fingerprint = w.wait('the fingerprint is shown', 'label',
                         test=lambda n: re.fullmatch(r'([0-9A-F]{2}:){31}[0-9A-F]{2}', n.get_name() or ''))
    expected = subprocess.run(['openssl', 'x509', '-noout', '-fingerprint', '-sha256', '-in',
                               os.path.join(os.path.dirname(os.environ['GP_LAB_CA']), 'server.pem')],
                              capture_output=True, text=True, check=True).stdout.strip().split('=', 1)[1]
    if fingerprint.get_name() != expected:
        raise Failure(f'fingerprint {fingerprint.get_name()} is not the server certificate\'s {expected}')
    w.scroll_into_view(fingerprint)
    w.screenshot('ca-tls-inspected')
    w.click(w.wait('the Trust the Proxy’s CA… button', 'push button',
                   test=lambda n: find(n, 'label', 'Trust the Proxy’s CA…') is not None))
    choose_file(w, os.environ['GP_LAB_CA'])
    wait_for('show --json has ca_file', lambda: ca_file(w, 'Lab') is not None)
    w.focus_entry('Proxy URL')
    key('ctrl+t')
    w.wait('the verdict "Working"', 'label', 'Working', deadline=40)
    w.scroll_into_view(w.wait('the certificate is trusted now', 'label', 'Trusted by this system'))
    w.screenshot('ca-trusted-working')


# Tall enough for the form and the verdict, and no taller: the next card
# (the details) does not show at all.
METAINFO_SIZE = (1000, 1040)

CASES = [
    ('Ctrl+S in the Name entry saves', case_save_from_entry),
    ('Ctrl+S on a button saves', case_save_from_button),
    ('Ctrl+S after a click on the sidebar saves', case_save_from_sidebar),
    ('Ctrl+T tests: verdict on screen, request at squid', case_test_shortcut),
    ('Ctrl+N starts a new profile', case_new_profile),
    ('Ctrl+F, typing, Escape and the search button', case_search),
    ('Ctrl+Shift+T tests all profiles', case_test_all),
    ('Ctrl+comma opens Preferences', case_preferences),
    ('Ctrl+Q quits', case_quit),
    ('the sidebar is sorted by name', case_sorted),
    ('Delete selects the next profile', case_delete_selects_next),
    ('Delete of the last selects the previous one', case_delete_last_selects_previous),
    ('Delete in an entry deletes a character', case_delete_in_entry),
    ('every control has an accessible name', case_accessible_names),
    ('every control on the welcome page has an accessible name', case_accessible_names_welcome),
    ('the software centre screenshot', case_metainfo_screenshot),
    ('a wrong URL is marked as it is typed, and cleared', case_validate_while_typing),
    ('a timeout says how long, and More Time waits longer', case_timeout_more_time),
    ('a keyring locked from outside: Unlock in the row and in the result', case_locked_keyring),
    ('Copy Address says so', case_copy_address),
    ('the export preview says that no password is stored', case_no_password_preview),
    ('a click on Active shows the Desktop Session group; another hides it', case_session_group),
    ('Clear Stale Credentials… explains and removes, with real clicks', case_clear_stale),
    ('Forget This Password on a rejected result', case_forget_rejected),
    ('Import From This System on the empty state', case_import_button),
    ('a CA row refuses a leaf certificate, trusts a CA at once, and removes it', case_ca_wrong_file_then_remove),
    ('a tls-inspected result shows the certificate and trusts the proxy\'s CA', case_ca_from_inspected),
]


def main():
    only = sys.argv[1:]
    cases = [(i, t, f) for i, (t, f) in enumerate(CASES, 1) if not only or f.__name__[5:] in only]
    print(f'1..{len(cases)}', flush=True)
    failed = 0
    for number, title, function in cases:
        window = Window(function.__name__[5:])
        started = time.monotonic()
        try:
            function(window)
            print(f'ok {number} - {title}', flush=True)
        except Todo as e:
            print(f'not ok {number} - {title} # TODO the profile editor', flush=True)
            comment(e)
        except Exception as e:  # noqa: BLE001: every failure is reported the same way
            failed += 1
            print(f'not ok {number} - {title}', flush=True)
            comment(e if isinstance(e, Failure) else traceback.format_exc())
            try:
                if window.frame is not None and not window.exited():
                    comment('what the window showed:\n' + dump(window.frame))
                    window.screenshot('failed-' + window.name)
            except Exception as e2:  # noqa: BLE001
                comment(f'(could not read the window: {e2})')
            try:
                with open(os.path.join(window.dir, 'window.log')) as f:
                    comment('window log:\n' + f.read()[-2000:])
            except OSError:
                pass
        finally:
            window.stop()
            comment(f'({time.monotonic() - started:.1f} s)')
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
