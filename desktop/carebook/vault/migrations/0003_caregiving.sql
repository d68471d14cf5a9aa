-- Carebook vault schema, version 3: caregiving.
-- A person gets a colour for the switcher, a blood type and emergency contacts for the
-- emergency card. Follow-up tasks come out of visits ("book a blood test in 3 months") and
-- stay on the Overview until done. They carry provenance like every other record.
ALTER TABLE profiles ADD COLUMN colour TEXT;
ALTER TABLE profiles ADD COLUMN blood_type TEXT;
ALTER TABLE profiles ADD COLUMN emergency_contacts TEXT NOT NULL DEFAULT '';
-- A renewal request says when the medicine was last refilled.
ALTER TABLE medications ADD COLUMN last_refill TEXT;

CREATE TABLE follow_ups (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    visit_id    INTEGER REFERENCES visits(id) ON DELETE SET NULL,
    text        TEXT NOT NULL,
    due_date    TEXT,
    done_on     TEXT,
    source_kind TEXT NOT NULL DEFAULT 'manual'
                CHECK (source_kind IN ('manual', 'pdf', 'fhir', 'demo')),
    document_id INTEGER REFERENCES documents(id),
    page        INTEGER,
    confirmed   INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX follow_ups_by_profile ON follow_ups(profile_id, done_on, due_date);
