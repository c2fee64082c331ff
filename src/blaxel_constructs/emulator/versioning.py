"""The ``Blaxel-Version`` header: which API version a request speaks.

No header (or an empty one) means the earliest stable version. Only the stable versions of
``document.rules.API_VERSIONS`` are known; previews (``YYYY-MM-DD.preview``) are not emulated and are
rejected like any unknown version, with the API's own error text.
"""

from __future__ import annotations

from typing import Final

from blaxel_constructs.document import rules

__all__ = ["VERSION_HEADER", "UnknownVersion", "is_paginated", "resolve_version"]

VERSION_HEADER: Final = "Blaxel-Version"
_DOCS: Final = "https://docs.blaxel.ai/api-reference/introduction#api-versioning"


class UnknownVersion(ValueError):
    """The header names a version the API does not know; ``str()`` is the API's message."""

    def __init__(self, version: str) -> None:
        self.version = version
        super().__init__(
            f'Unknown API version "{version}". Valid versions: {", ".join(rules.API_VERSIONS)}. '
            f"See {_DOCS} for the list of supported versions."
        )


def resolve_version(header: str | None) -> str:
    """The version a request asks for; UnknownVersion if it is not one of ``rules.API_VERSIONS``."""
    version = (header or "").strip()
    if not version:
        return rules.DEFAULT_API_VERSION
    if version not in rules.API_VERSIONS:
        raise UnknownVersion(version)
    return version


def is_paginated(version: str) -> bool:
    """Whether lists answer ``{data, meta}`` (from ``rules.PAGINATED_SINCE``) rather than a bare array."""
    return version >= rules.PAGINATED_SINCE
