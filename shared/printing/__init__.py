"""Printing tickets: spec strings (``spec``), the ticket image (``ticket_image``),
ESC/POS job bytes (``escpos_job``) and printer adapters (``printer``).

Import from the modules themselves: the package stays empty so that the pure
``spec`` module can be used (by the config loader) without loading python-escpos.
"""
