"""Pure Python: record types, values, ranges, flags and provenance. No I/O."""
