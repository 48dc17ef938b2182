"""Permission-matrix cases: transparency."""

CASES = {}
