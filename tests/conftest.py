"""Test-wide setup, done before anything imports Qt.

Qt must run offscreen before any QApplication exists, or Qt aborts the whole pytest
process on a machine without a display.
"""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Discovery in tests stays on the loopback interface, never the office LAN.
os.environ.setdefault("MOTCUA_ZEROCONF_INTERFACES", "127.0.0.1")
# Remembered settings (pairing codes, client ids) go to a throw-away folder, never
# to the tester's own ~/.config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="motcua-test-config-")
