"""Lab-report PDF extraction, row reconstruction, parsers, matching and validation."""
