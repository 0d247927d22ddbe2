"""casebot: exporters."""
