"""``RefreshSnapshot``: one list of the workspace serving the refreshes of one plan, instead of one GET each.

For every kind whose description asks for it (``Kind.list_refresh``: models). Why: a plan refreshes every
``blaxel_model`` of the state, one ``ReadResource`` call each, ten at a time.
With one GET per model, a refresh-only plan of 1,000 endpoints spends most of its time in 1,000 round
trips to the API. The list endpoint returns the same documents 200 to a page (or all at once before API
version 2026-04-28), so a plan whose process has already served ``LIST_AFTER_READS`` reads lists the
workspace once and answers the rest of its reads from that list.

Why it stays correct when other writers change the workspace during the plan:

- the list starts during the plan (after Terraform asked this process for reads), so each model read from
  it is the model as it was at one instant inside the plan. Terraform promises no order among the reads
  of one walk, so that is a result one GET per model could also have given, had Terraform read that
  model first; and it is a consistent cut (every model as of the same instant), which a walk of GETs is
  not. A write made after that instant is missed exactly as a write made just after a GET would be;
- each listed document serves at most one read of each purpose: one refresh, and one import (a plan that
  imports an object reads it twice, ``ImportResourceState`` then ``ReadResource``, at once: both from the same
  cut, as ``blaxel-constructs import``'s first plan of a whole workspace does); another read of the same model
  in this process (a later refresh) is a GET;
- a model the list does not show is read with a GET, so a model created since the list is found, and a
  model absent from it is only dropped from state on a 404 of its own (never from a list);
- a model the list shows in progress (deploying, deleting, ...) is read with a GET: it is changing now,
  and its fresh status decides what the plan does (wait, or recreate);
- the snapshot is dropped after ``MAX_AGE`` seconds (the next read lists again), and by what writes: the
  handler of its kind calls ``invalidate`` just before each write it sends and again once the write has
  returned or failed (``KindHandler``'s ``on_write``), so that neither a list made before the write nor one
  that ran while it was in flight serves a read after it;
- it lives in one provider process, which Terraform starts for one command: no snapshot outlives it.

If the list fails (an API that has no list, a transient error), this process falls back to a GET per read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Final

from blaxel_constructs.document import rules

__all__ = ["IMPORT", "LIST_AFTER_READS", "MAX_AGE", "REFRESH", "ModelSnapshot", "RefreshSnapshot"]

#: Reads served with GETs before listing: a plan that refreshes a handful of models in a large workspace
#: would pay more for the list than for the GETs it saves.
LIST_AFTER_READS: Final = 16
#: Seconds a list serves reads; the next read after that lists again.
MAX_AGE: Final = 30.0
#: The purposes a listed document serves, once each: a plan's refresh, and an import.
REFRESH: Final = "refresh"
IMPORT: Final = "import"
_PURPOSES: Final = (REFRESH, IMPORT)

_log = logging.getLogger("blaxel_constructs.provider")


class RefreshSnapshot:
    """The workspace's objects of one kind as listed once, each handed out for one read; thread-safe.

    ``lister`` returns every object of the kind in the workspace (``BlaxelClient.list_objects``); ``now`` is a
    monotonic clock. ``take(name)`` returns the listed document, or None when the caller must GET the object.
    ``statuses``: the documents carry a deployment status (one without a final status is read with a GET).
    """

    def __init__(
        self,
        lister: Callable[[], list[dict[str, Any]]],
        *,
        now: Callable[[], float] = time.monotonic,
        list_after: int = LIST_AFTER_READS,
        max_age: float = MAX_AGE,
        statuses: bool = True,
    ) -> None:
        self._lister = lister
        self._statuses = statuses
        self._now = now
        self._list_after = list_after
        self._max_age = max_age
        self._lock = threading.Lock()
        self._reads = 0
        #: Per purpose, the listed documents not yet handed out for it.
        self._listed: dict[str, dict[str, dict[str, Any]]] | None = None
        self._listed_at = 0.0
        self._broken = False
        #: Lists made, and reads answered from one: what the benchmarks report.
        self.lists = 0
        self.served = 0

    def take(self, name: str, purpose: str = REFRESH) -> dict[str, Any] | None:
        """The document of ``name`` from a list made during this plan, or None: GET it instead.

        ``purpose`` is ``REFRESH`` or ``IMPORT``: a document is handed out once for each.
        """
        with self._lock:  # held while listing, so that the reads arriving meanwhile wait for this one list
            self._reads += 1
            if self._broken or self._reads <= self._list_after:
                return None
            if self._listed is None or self._now() - self._listed_at > self._max_age:
                self._list()
            document = self._listed[purpose].pop(name, None) if self._listed is not None else None
            if document is None or (self._statuses and not _settled(document)):
                return None
            self.served += 1
            return document

    def invalidate(self) -> None:
        """This process is writing, or has written, to the workspace: no read may be served from an earlier
        list. Called before and after every write (``KindHandler``'s ``on_write``)."""
        with self._lock:
            self._listed = None

    def _list(self) -> None:
        started = self._now()
        try:
            listed = self._lister()
        except Exception as exc:  # any failure: reads go on with GETs, which report their own errors
            _log.info("listing the workspace failed (%s); reading each object with GET", exc)
            self._broken, self._listed = True, None
            return
        self.lists += 1
        self._listed_at = started
        by_name: dict[str, dict[str, Any]] = {}
        for document in listed:
            name = (document.get("metadata") or {}).get("name")
            if isinstance(name, str):
                by_name[name] = document
        self._listed = {purpose: dict(by_name) for purpose in _PURPOSES}


def _settled(document: dict[str, Any]) -> bool:
    status = document.get("status")
    return isinstance(status, str) and status in rules.STATUSES and status not in rules.IN_PROGRESS_STATUSES


#: The earlier name: the snapshot of models.
ModelSnapshot = RefreshSnapshot
