"""Carebook: offline, encrypted family health records."""

__version__ = "0.1.0"
