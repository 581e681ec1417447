"""Updated works in the app: File ▸ Update work…, the review queue of moved annotations, old versions.

- :mod:`.update_action`: choose the new download and the work it updates, run the update in a
  worker, record it as one undo step, show what happened (:mod:`.update_result`);
- :mod:`.review_window`: changed and orphaned annotations one by one, old and new text side by
  side, accept / re-select / drop, each decision undoable (the list is :mod:`.review_model`);
- :mod:`.version_viewer`: a work's versions, each viewable read-only;
- :mod:`.review_flags`: "needs review after update" where a researcher looks at an annotation.
"""
