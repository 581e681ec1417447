"""The document viewer: display blocks, zone styling and highlight painting over QPlainTextEdit."""

from annotator.ui.viewer.highlight import Highlight
from annotator.ui.viewer.widget import DocumentViewer

__all__ = ["DocumentViewer", "Highlight"]
