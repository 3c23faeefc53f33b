"""The touchscreen kiosk: one press, one ticket, printed right or shown large on screen.

``motcua kiosk`` (``kiosk.command``) starts it; ``kiosk.app`` is the composition root,
``kiosk.controller`` holds what the screen shows and talks to the server, and the
widgets in ``kiosk.window`` and its pages only render it.

Imports ``shared`` only, never another screen program.
"""
