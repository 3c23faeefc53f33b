"""Test-wide setup. Qt must run offscreen before any QApplication exists, or Qt
aborts the whole pytest process on a machine without a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Discovery in tests stays on the loopback interface, never the office LAN.
os.environ.setdefault("MOTCUA_ZEROCONF_INTERFACES", "127.0.0.1")
