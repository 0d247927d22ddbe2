"""casebot: bot."""
