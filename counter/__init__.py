"""The counter program: the official's window at one counter (``motcua counter``).

Calls the next citizen in one key, and recall, absent, transfer, park, done, a
specific call with its reason, pause; a compact always-on-top strip for officials
who work in other software all day. Imports ``shared`` only, never another program.
"""
