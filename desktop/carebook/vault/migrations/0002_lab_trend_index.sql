-- Carebook vault schema, version 2: a covering index for lab trends.
-- A trend reads a few columns of one analyte's results. Rows of one analyte are spread over
-- the whole table (each report adds one row per test), so fetching them from the table
-- decrypts one SQLCipher page per result. The index keeps exactly those columns together,
-- ordered by date, so a trend among 100,000 results reads a few dozen pages instead.
-- It starts with the same columns as lab_results_by_analyte, which it replaces.
DROP INDEX lab_results_by_analyte;
CREATE INDEX lab_results_trend ON lab_results(
    profile_id, analyte, collected_at, value, value_text, unit, ref_low, ref_high, flag);
