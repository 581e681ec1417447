"""Persistence: SQLAlchemy 2 models, the project handle (engine + transactions), migrations."""
