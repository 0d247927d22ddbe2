"""casebot: dialogs."""
