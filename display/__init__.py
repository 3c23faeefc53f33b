"""The hall display (``motcua display``): the TV that shows and announces every call.

A read-only client of the office server: it shows the newest call, the counters,
the last calls and the number waiting per service, and announces each live call
through ``shared.voice.announcer``. Imports ``shared`` only, never another program.
"""
