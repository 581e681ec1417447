"""One function per user action. Each opens one transaction, does the work, commits, and returns
plain values describing what changed. The CLI and the GUI call these; neither touches SQL."""

from annotator.core.validation import InvalidInputError, InvalidSpanError
from annotator.services.errors import NotFoundError, ServiceError

__all__ = ["InvalidInputError", "InvalidSpanError", "NotFoundError", "ServiceError"]
