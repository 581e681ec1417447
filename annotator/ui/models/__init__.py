"""Qt item models over plain dataclasses: ``data()`` never touches the database."""
