"""Plain-Python domain layer: types, text rules, span arithmetic, statistics. No Qt, no SQL."""
