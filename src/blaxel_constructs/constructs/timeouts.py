"""``Timeouts``: how long Terraform may wait for a model's create, update or delete.

The provider waits until a deployment is ``DEPLOYED`` (or gone); these bounds end the wait with an
error instead of hanging an apply. Values are Terraform duration strings (Go ``time.ParseDuration``
syntax: ``"30m"``, ``"1h30m"``, ``"45s"``, ``"1.5h"``), checked here with the provider's own parser
(``blaxel_constructs.durations``) so that a typo such as ``"10 minutes"`` fails at synth time rather
than in the middle of an apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from blaxel_constructs.constructs._tokens import is_token
from blaxel_constructs.durations import DurationError, parse_duration
from blaxel_constructs.errors import SpecError

__all__ = ["Timeouts"]


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Bounds on how long each operation may take, e.g. ``Timeouts(create="30m", delete="10m")``.

    Absent operations keep the provider's defaults. A value may be a cdktf token (a variable), which
    is passed through unchecked. Invalid values raise ``SpecError`` naming ``timeouts.<operation>``.
    """

    create: str | None = None
    update: str | None = None
    delete: str | None = None

    def __post_init__(self) -> None:
        for operation, value in self.to_terraform().items():
            field = f"timeouts.{operation}"
            if not isinstance(value, str):
                raise SpecError(f"must be a duration string such as '30m' (got {value!r})", field=field)
            if is_token(value):
                continue
            try:
                parse_duration(value)  # the provider parses with the same function at apply time
            except DurationError as error:
                raise SpecError(str(error), field=field) from None

    @classmethod
    def of(cls, value: Timeouts | Mapping[str, Any] | None) -> Timeouts | None:
        """``value`` as ``Timeouts``: a ``Timeouts``, a mapping with the same keys, or None (no bounds)."""
        if value is None or isinstance(value, Timeouts):
            return value
        if not isinstance(value, Mapping):
            raise SpecError(
                f"must be a Timeouts or a mapping of create/update/delete to durations (got {value!r})",
                field="timeouts",
            )
        known = {f.name for f in fields(cls)}
        for key in value:
            if key not in known:
                raise SpecError(
                    f"unknown operation {key!r}; expected one of: {', '.join(sorted(known))}", field=f"timeouts.{key}"
                )
        return cls(**value)

    def to_terraform(self) -> dict[str, str]:
        """The Terraform ``timeouts`` argument: the operations that are set, by name."""
        values = {"create": self.create, "update": self.update, "delete": self.delete}
        return {operation: value for operation, value in values.items() if value is not None}
