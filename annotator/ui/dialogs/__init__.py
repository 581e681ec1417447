"""Dialogs: import, export, project search, keyboard shortcuts."""
