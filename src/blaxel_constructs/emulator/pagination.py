"""Cursor pagination of list answers from API version 2026-04-28: ``{data, meta: {hasMore, nextCursor, total}}``.

Query parameters as in the spec: ``limit`` (default 50, at least 1, larger values clamped to 200),
``cursor`` (opaque, from the previous page's ``meta.nextCursor``) and ``sort`` (``createdAt:desc`` by
default, ``createdAt:asc``, ``name:asc``, ``name:desc``). The cursor holds the sort key of the last item
shown, so deleting or adding models between pages neither skips nor repeats the others. ``q``, ``anchor``
and ``status`` filters are not emulated.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "SORTS", "InvalidPage", "PageRequest", "paginate", "sort_models"]

DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 200
SORTS: Final = ("createdAt:desc", "createdAt:asc", "name:asc", "name:desc")


class InvalidPage(ValueError):
    """A bad ``limit``, ``cursor`` or ``sort`` (400); the message names the parameter."""


@dataclass(frozen=True)
class PageRequest:
    """One page asked for: at most ``limit`` items in ``sort`` order, after the item the ``cursor`` names."""

    limit: int = DEFAULT_LIMIT
    sort: str = SORTS[0]
    after: tuple[str, ...] | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PageRequest:
        """Read ``limit``, ``sort`` and ``cursor`` from the query string; InvalidPage if one is bad."""
        raw_limit = query.get("limit")
        limit = DEFAULT_LIMIT
        if raw_limit is not None:
            try:
                limit = int(raw_limit)
            except ValueError:
                raise InvalidPage(f"limit must be an integer between 1 and {MAX_LIMIT} (got {raw_limit!r})") from None
            if limit < 1:
                raise InvalidPage(f"limit must be an integer between 1 and {MAX_LIMIT} (got {raw_limit!r})")
        sort = query.get("sort") or SORTS[0]
        if sort not in SORTS:
            raise InvalidPage(f"sort must be one of {', '.join(SORTS)} (got {sort!r})")
        cursor = query.get("cursor")
        after = _decode_cursor(cursor, sort) if cursor else None
        return cls(limit=min(limit, MAX_LIMIT), sort=sort, after=after)


def _key(model: Mapping[str, Any], sort: str) -> tuple[str, ...]:
    metadata = model["metadata"]
    if sort.startswith("name:"):
        return (metadata["name"],)
    return (metadata["createdAt"], metadata["name"])


def _encode_cursor(key: tuple[str, ...], sort: str) -> str:
    raw = json.dumps({"sort": sort, "after": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[str, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        key = tuple(data["after"])
        cursor_sort = data["sort"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InvalidPage("cursor is not a cursor returned by this API") from None
    if cursor_sort != sort or not all(isinstance(part, str) for part in key):
        raise InvalidPage("cursor was issued for a different query (sort)")
    return key


def sort_models(models: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """``models`` in ``sort`` order."""
    return sorted(models, key=lambda model: _key(model, sort), reverse=sort.endswith(":desc"))


def paginate(models: list[dict[str, Any]], page: PageRequest) -> dict[str, Any]:
    """The ``ModelList`` answer (``{data, meta}``) for one page of ``models``."""
    ordered = sort_models(models, page.sort)
    descending = page.sort.endswith(":desc")
    after = page.after
    if after is not None:
        ordered = [m for m in ordered if (_key(m, page.sort) < after if descending else _key(m, page.sort) > after)]
    data = ordered[: page.limit]
    has_more = len(ordered) > page.limit
    next_cursor = _encode_cursor(_key(data[-1], page.sort), page.sort) if has_more else ""
    return {"data": data, "meta": {"hasMore": has_more, "nextCursor": next_cursor, "total": len(models)}}
