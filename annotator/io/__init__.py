"""Importers and exporters: bytes and files in, plain values out (and back). No Qt, no SQL."""
