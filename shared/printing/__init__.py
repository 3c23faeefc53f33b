"""Printing tickets: the ticket image (``ticket_image``), ESC/POS job bytes
(``escpos_job``), printer adapters (``printer``) and ``motcua print-test``.

Import from the modules themselves, so that rendering never loads python-escpos.
The printer spec strings are parsed in the core (``shared.core.printer_spec``).
"""
