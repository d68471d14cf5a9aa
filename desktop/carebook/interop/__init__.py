"""FHIR R4 import/export, CSV and appointment-pack PDF."""
