"""The office LAN: finding the server (zeroconf browsing and advertising) and the
claim that keeps one server per office. Imports the core; no Qt.
"""
