"""The words of motcua in every language but Vietnamese: gettext catalogues.

Vietnamese is written in the code, where it is the reference; every other language
is a ``.po`` catalogue, one per program (``kiosk``, ``pages``, ``desk``): English is
packaged here (``en/kiosk.po``), and an office adds its own language by putting a
catalogue in its languages folder (``hmn/kiosk.po``), no code and no build step.
See ``docs/languages.md``.
"""
