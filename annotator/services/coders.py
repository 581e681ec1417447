"""Coders: the people (and the consensus) whose annotations a project keeps apart."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core.codebook import next_colour
from annotator.core.types import CoderInfo
from annotator.core.validation import MAX_CODER_NAME_LENGTH, clean_colour, clean_name
from annotator.services.errors import NotFoundError
from annotator.store.models import Annotation, Coder
from annotator.store.project import ProjectStore

ROLE_CODER = "coder"
ROLE_CONSENSUS = "consensus"


def _info(coder: Coder, count: int = 0) -> CoderInfo:
    return CoderInfo(id=coder.id, name=coder.name, colour=coder.colour, count=count, role=coder.role)


def ensure_coder_in(session: Session, name: str, *, role: str = ROLE_CODER) -> Coder:
    """The coder called ``name``, created if new (inside the caller's transaction).

    Several processes may make the same new coder at once (PostgreSQL runs them side by side):
    all of them get the one row that is stored.
    """
    cleaned = clean_name(name, what="coder name", limit=MAX_CODER_NAME_LENGTH)
    found = select(Coder).where(Coder.name == cleaned)
    coder = session.scalar(found)
    if coder is not None:
        return coder
    used = session.scalars(select(Coder.colour)).all()
    coder = Coder(name=cleaned, colour=next_colour(used), role=role)
    try:
        with session.begin_nested():  # a savepoint: the transaction stays usable after a clash
            session.add(coder)
            session.flush()
    except IntegrityError:
        # Another process stored this name between the read above and this insert, and committed.
        existing = session.scalar(found)
        if existing is None:
            raise
        return existing
    return coder


def ensure_coder(store: ProjectStore, name: str) -> CoderInfo:
    with store.transaction() as session:
        return _info(ensure_coder_in(session, name))


def find_coder(session: Session, name: str) -> Coder:
    coder = session.scalar(select(Coder).where(Coder.name == " ".join(name.split())))
    if coder is None:
        raise NotFoundError(f"no coder named {name!r}")
    return coder


def list_coders(store: ProjectStore) -> list[CoderInfo]:
    with store.reading() as session:
        counts = dict(
            session.execute(select(Annotation.coder_id, func.count()).group_by(Annotation.coder_id)).all()
        )
        coders = session.scalars(select(Coder).order_by(Coder.name)).all()
        return [_info(c, counts.get(c.id, 0)) for c in coders]


def set_coder_colour(store: ProjectStore, coder_id: int, colour: str) -> CoderInfo:
    with store.transaction() as session:
        coder = session.get(Coder, coder_id)
        if coder is None:
            raise NotFoundError(f"no coder with id {coder_id}")
        coder.colour = clean_colour(colour)
        return _info(coder)
