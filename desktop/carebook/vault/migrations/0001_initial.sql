-- Carebook vault schema, version 1.
-- Every clinical record carries provenance: where it came from (manual, pdf, fhir, demo),
-- the document and page it was read from, and whether the person confirmed it.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE profiles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name  TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    sex        TEXT CHECK (sex IN ('female', 'male')),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    filename    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    pages       INTEGER,
    content     BLOB NOT NULL,
    source_kind TEXT NOT NULL DEFAULT 'manual',
    added_at    TEXT NOT NULL
);
CREATE INDEX documents_by_profile ON documents(profile_id, added_at);
CREATE INDEX documents_by_hash ON documents(sha256);

CREATE TABLE lab_results (
    id           INTEGER PRIMARY KEY,
    profile_id   INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    collected_at TEXT NOT NULL,
    name         TEXT NOT NULL,
    analyte      TEXT,
    loinc        TEXT,
    value        REAL,
    value_text   TEXT,
    unit         TEXT,
    ref_low      REAL,
    ref_high     REAL,
    ref_text     TEXT,
    flag         TEXT CHECK (flag IN ('H', 'L', 'N', 'A')),
    source_kind  TEXT NOT NULL DEFAULT 'manual'
                 CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id  INTEGER REFERENCES documents(id),
    page         INTEGER,
    confirmed    INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX lab_results_by_analyte ON lab_results(profile_id, analyte, collected_at);
CREATE INDEX lab_results_by_loinc ON lab_results(profile_id, loinc, collected_at);
CREATE INDEX lab_results_by_date ON lab_results(profile_id, collected_at);
CREATE INDEX lab_results_by_document ON lab_results(document_id);

CREATE TABLE medications (
    id           INTEGER PRIMARY KEY,
    profile_id   INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    dose         TEXT,
    schedule     TEXT,
    reason       TEXT,
    prescriber   TEXT,
    start_date   TEXT,
    stop_date    TEXT,
    refills_left INTEGER,
    next_refill  TEXT,
    notes        TEXT,
    source_kind  TEXT NOT NULL DEFAULT 'manual'
                 CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id  INTEGER REFERENCES documents(id),
    page         INTEGER,
    confirmed    INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX medications_by_profile ON medications(profile_id);

CREATE TABLE conditions (
    id            INTEGER PRIMARY KEY,
    profile_id    INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'resolved', 'inactive')),
    onset_date    TEXT,
    resolved_date TEXT,
    notes         TEXT,
    source_kind   TEXT NOT NULL DEFAULT 'manual'
                  CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id   INTEGER REFERENCES documents(id),
    page          INTEGER,
    confirmed     INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX conditions_by_profile ON conditions(profile_id);

CREATE TABLE allergies (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    substance   TEXT NOT NULL,
    reaction    TEXT,
    severity    TEXT CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown')),
    noted_date  TEXT,
    notes       TEXT,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX allergies_by_profile ON allergies(profile_id);

CREATE TABLE immunizations (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    vaccine     TEXT NOT NULL,
    given_on    TEXT NOT NULL,
    dose_number INTEGER,
    lot         TEXT,
    given_by    TEXT,
    notes       TEXT,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX immunizations_by_profile ON immunizations(profile_id, given_on);

CREATE TABLE vitals (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    measured_at TEXT NOT NULL,
    kind        TEXT NOT NULL,
    value       REAL NOT NULL,
    value2      REAL,
    unit        TEXT,
    notes       TEXT,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX vitals_by_profile ON vitals(profile_id, kind, measured_at);

CREATE TABLE visits (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    starts_at   TEXT NOT NULL,
    clinician   TEXT,
    specialty   TEXT,
    place       TEXT,
    reason      TEXT,
    status      TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'done', 'cancelled')),
    notes       TEXT,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX visits_by_profile ON visits(profile_id, starts_at);

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    visit_id    INTEGER REFERENCES visits(id) ON DELETE SET NULL,
    text        TEXT NOT NULL,
    about       TEXT,
    status      TEXT CHECK (status IN ('open', 'asked')),
    answer      TEXT,
    sort_order  INTEGER,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX questions_by_profile ON questions(profile_id, visit_id);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    visit_id    INTEGER REFERENCES visits(id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX notes_by_profile ON notes(profile_id, visit_id);

-- The audit log outlives the records and people it mentions, so it has no foreign keys.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT,
    record_id   INTEGER,
    profile_id  INTEGER,
    summary     TEXT NOT NULL DEFAULT '',
    detail      TEXT
);
CREATE INDEX audit_log_by_time ON audit_log(at);
