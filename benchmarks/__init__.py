"""The asyncrud benchmark: a generated service against a hand-written Starlette + asyncpg baseline.

Run it with `python -m benchmarks --help`; it is not part of the test suite.
"""
