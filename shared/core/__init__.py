"""The pure core: the office, tickets, events, the queue rules, reading aloud, the
wire protocol, configuration and the pairing code.

Imports no Qt, no aiohttp, no zeroconf, no SQLite, no printer or speech library
(import-linter contracts in pyproject.toml); time is always an argument.
"""
