"""Permission-matrix cases: api."""

CASES = {}
