"""The office server: the aiohttp application, its connections and group commit,
the office service that applies the core's rules, and the SQLite store.

Imports the core and the LAN layer (to claim and advertise the office); no Qt.
"""
