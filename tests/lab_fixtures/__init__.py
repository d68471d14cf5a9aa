"""Synthetic lab-report PDFs with exact truth files, for the labs parser's tests and bench.

Entry points live in `build` (LAYOUTS, build_all, build_long_report, COVERAGE) and `hostile`.
All people, IDs and laboratories in these files are invented.
"""
