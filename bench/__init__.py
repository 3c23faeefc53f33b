"""Benchmarks of motcua, run by hand: ``python -m bench`` (see docs/performance.md).

Never imported by the product or collected by the test suite.
"""
