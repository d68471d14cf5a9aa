"""The record types a vault holds, described once for storage, forms and tables."""

from __future__ import annotations

from dataclasses import dataclass

from carebook.domain.fields import Field, Kind

FLAG_CHOICES = (("H", "High"), ("L", "Low"), ("N", "Normal"), ("A", "Abnormal"))
SOURCE_KINDS = ("manual", "pdf", "fhir", "demo")


@dataclass(frozen=True)
class RecordType:
    """A kind of record: its table, its fields, and how to name one of them."""

    key: str
    table: str
    label: str
    plural: str
    fields: tuple[Field, ...]
    title_field: str
    order_by: str  # SQL ORDER BY for lists, newest or most relevant first

    def field(self, name: str) -> Field:
        """The field called `name`."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Names of all fields, in form order."""
        return tuple(spec.name for spec in self.fields)


LAB_RESULT = RecordType(
    key="lab_result",
    table="lab_results",
    label="Lab result",
    plural="Lab results",
    title_field="name",
    order_by="collected_at DESC, name",
    fields=(
        Field("collected_at", "Collected", Kind.DATE, required=True),
        Field("name", "Test (as printed)", required=True, placeholder="e.g. HbA1c"),
        Field("analyte", "Analyte", in_table=False, placeholder="Standard name, if known"),
        Field("loinc", "LOINC code", in_table=False, max_length=10, placeholder="e.g. 4548-4"),
        Field("value", "Value", Kind.NUMBER),
        Field("value_text", "Value as text", in_table=False, placeholder="e.g. >90 or Negative"),
        Field("unit", "Unit", max_length=40),
        Field("ref_low", "Range low", Kind.NUMBER),
        Field("ref_high", "Range high", Kind.NUMBER),
        Field("ref_text", "Range as printed", in_table=False),
        Field("flag", "Flag", Kind.CHOICE, choices=FLAG_CHOICES),
    ),
)

MEDICATION = RecordType(
    key="medication",
    table="medications",
    label="Medication",
    plural="Medications",
    title_field="name",
    order_by="(stop_date IS NOT NULL), name COLLATE NOCASE",
    fields=(
        Field("name", "Medication", required=True, placeholder="e.g. Metformin"),
        Field("dose", "Dose", placeholder="e.g. 500 mg"),
        Field("schedule", "When", placeholder="e.g. twice a day with meals"),
        Field("reason", "Reason"),
        Field("prescriber", "Prescriber", in_table=False),
        Field("start_date", "Started", Kind.DATE),
        Field("stop_date", "Stopped", Kind.DATE),
        Field("refills_left", "Refills left", Kind.INTEGER, minimum=0, in_table=False),
        Field("last_refill", "Last refill", Kind.DATE, in_table=False),
        Field("next_refill", "Next refill", Kind.DATE),
        Field("notes", "Notes", Kind.LONG_TEXT, max_length=4000, in_table=False),
    ),
)

CONDITION = RecordType(
    key="condition",
    table="conditions",
    label="Condition",
    plural="Conditions",
    title_field="name",
    order_by="(status != 'active'), name COLLATE NOCASE",
    fields=(
        Field("name", "Condition", required=True, placeholder="e.g. Type 2 diabetes"),
        Field(
            "status", "Status", Kind.CHOICE, required=True,
            choices=(("active", "Active"), ("resolved", "Resolved"), ("inactive", "Inactive")),
        ),
        Field("onset_date", "Since", Kind.DATE),
        Field("resolved_date", "Resolved", Kind.DATE),
        Field("notes", "Notes", Kind.LONG_TEXT, max_length=4000, in_table=False),
    ),
)

ALLERGY = RecordType(
    key="allergy",
    table="allergies",
    label="Allergy",
    plural="Allergies",
    title_field="substance",
    order_by="substance COLLATE NOCASE",
    fields=(
        Field("substance", "Allergic to", required=True, placeholder="e.g. Penicillin"),
        Field("reaction", "Reaction", placeholder="e.g. hives, swelling"),
        Field(
            "severity", "Severity", Kind.CHOICE,
            choices=(("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"),
                     ("unknown", "Not known")),
        ),
        Field("noted_date", "Noted", Kind.DATE),
        Field("notes", "Notes", Kind.LONG_TEXT, max_length=4000, in_table=False),
    ),
)

IMMUNIZATION = RecordType(
    key="immunization",
    table="immunizations",
    label="Immunization",
    plural="Immunizations",
    title_field="vaccine",
    order_by="given_on DESC",
    fields=(
        Field("vaccine", "Vaccine", required=True, placeholder="e.g. Influenza"),
        Field("given_on", "Given on", Kind.DATE, required=True),
        Field("dose_number", "Dose", Kind.INTEGER, minimum=1),
        Field("lot", "Lot number", max_length=60),
        Field("given_by", "Given by"),
        Field("notes", "Notes", Kind.LONG_TEXT, max_length=4000, in_table=False),
    ),
)

VITAL_KINDS = (
    ("blood_pressure", "Blood pressure"),
    ("heart_rate", "Heart rate"),
    ("weight", "Weight"),
    ("height", "Height"),
    ("temperature", "Temperature"),
    ("oxygen_saturation", "Oxygen saturation"),
    ("respiratory_rate", "Breathing rate"),
    ("peak_flow", "Peak flow"),
    ("blood_glucose", "Blood glucose (home)"),
)

VITAL = RecordType(
    key="vital",
    table="vitals",
    label="Vital sign",
    plural="Vitals",
    title_field="kind",
    order_by="measured_at DESC",
    fields=(
        Field("measured_at", "Measured", Kind.DATETIME, required=True),
        Field("kind", "Measurement", Kind.CHOICE, required=True, choices=VITAL_KINDS),
        Field("value", "Value", Kind.NUMBER, required=True,
              placeholder="systolic for blood pressure"),
        Field("value2", "Second value", Kind.NUMBER, placeholder="diastolic for blood pressure"),
        Field("unit", "Unit", max_length=20),
        Field("notes", "Notes", Kind.LONG_TEXT, max_length=4000, in_table=False),
    ),
)

VISIT = RecordType(
    key="visit",
    table="visits",
    label="Visit",
    plural="Visits",
    title_field="reason",
    order_by="starts_at DESC",
    fields=(
        Field("starts_at", "When", Kind.DATETIME, required=True),
        Field("clinician", "Clinician"),
        Field("specialty", "Specialty"),
        Field("place", "Place"),
        Field("reason", "Reason"),
        Field(
            "status", "Status", Kind.CHOICE, required=True,
            choices=(("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")),
        ),
        # Room for a whole letter pasted from the clinic.
        Field("notes", "Notes after the visit", Kind.LONG_TEXT, max_length=100_000,
              in_table=False),
    ),
)

QUESTION = RecordType(
    key="question",
    table="questions",
    label="Question",
    plural="Questions",
    title_field="text",
    order_by="sort_order, id",
    fields=(
        Field("text", "Question", Kind.LONG_TEXT, required=True, max_length=2000),
        Field("visit_id", "Visit", Kind.INTEGER, in_table=False),
        Field("about", "About", in_table=False, max_length=2000),
        Field("status", "Status", Kind.CHOICE, choices=(("open", "Open"), ("asked", "Asked"))),
        Field("answer", "Answer", Kind.LONG_TEXT, max_length=20_000, in_table=False),
        Field("sort_order", "Order", Kind.INTEGER, in_table=False),
    ),
)

NOTE = RecordType(
    key="note",
    table="notes",
    label="Note",
    plural="Notes",
    title_field="body",
    order_by="created_at DESC",
    fields=(
        Field("body", "Note", Kind.LONG_TEXT, required=True, max_length=20000),
        Field("visit_id", "Visit", Kind.INTEGER, in_table=False),
    ),
)

FOLLOW_UP = RecordType(
    key="follow_up",
    table="follow_ups",
    label="Follow-up task",
    plural="Follow-up tasks",
    title_field="text",
    # Open tasks first, the most urgent on top; tasks without a date after dated ones.
    order_by="(done_on IS NOT NULL), (due_date IS NULL), due_date, id",
    fields=(
        Field("text", "Task", required=True, max_length=500,
              placeholder="e.g. Book a blood test in 3 months"),
        Field("due_date", "Due", Kind.DATE),
        Field("visit_id", "Visit", Kind.INTEGER, in_table=False),
        Field("done_on", "Done", Kind.DATE),
    ),
)

RECORD_TYPES: dict[str, RecordType] = {
    rtype.key: rtype
    for rtype in (LAB_RESULT, MEDICATION, CONDITION, ALLERGY, IMMUNIZATION, VITAL, VISIT,
                  QUESTION, NOTE, FOLLOW_UP)
}


def record_type(key: str) -> RecordType:
    """Look up a record type by key (e.g. "medication")."""
    return RECORD_TYPES[key]
