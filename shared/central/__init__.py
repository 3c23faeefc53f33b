"""``motcua central``: one province's view of its sites, on PostgreSQL (issue 19).

Each site serves its hall alone, on its own SQLite; when it can, it sends the central
server its event log, in order, sealed link by link (``shared.core.audit_chain``).
The central server stores what it can verify, refuses what it cannot, and says which
site's chain broke. Nothing here is ever on a hall's path: a site that cannot reach
the central server keeps serving and sends later.
"""
