"""annotator: a coding workbench for fandom-studies research on fan fiction."""

__version__ = "0.1.0"
