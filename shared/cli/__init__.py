"""The ``motcua`` command line: the entry point (``main``), ``motcua demo``,
``motcua speak`` and each program's log file. Imports every layer below it.
"""
