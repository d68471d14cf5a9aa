"""Analyte catalogue (LOINC, synonyms, units, ranges, plain-language text)."""
