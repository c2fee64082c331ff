"""``check_environments``: each environment's status against its own state backend and the live API, at once.

Two phases, each running every environment concurrently (one thread per environment, each driving its own
``terraform`` processes):

1. *prepare*: find the state (``state_presence``); an environment whose state is absent or empty is *not
   deployed* and goes no further, so Terraform never touches its backend; the others get a private working
   directory and ``terraform init``.
2. *plan*: one ``terraform plan`` with refresh per environment; when its log says something drifted or would
   change, the saved plan is read by ``plan_reading``: *drifted* when the refresh found changes made outside
   Terraform (computed attributes aside), else *changes pending* when an apply would change something, else
   *in sync*.

An environment that cannot be checked is an *error* with the reason, and the others are still reported. The
report keeps each phase's wall time (what the benchmark of concurrent plans measures).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Final

from blaxel_constructs.environment_commands.plan_reading import ResourceChange, needs_schema, read_plan
from blaxel_constructs.environment_commands.state_presence import StateLocation, locate_state
from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.environment_commands.terraform_session import TerraformSession
from blaxel_constructs.errors import EnvironmentCheckError

__all__ = ["Condition", "EnvironmentStatus", "StatusReport", "check_environments"]

#: Exit codes, as ``terraform plan -detailed-exitcode``.
EXIT_SAME: Final = 0
EXIT_ERROR: Final = 1
EXIT_DIFFERENT: Final = 2


class Condition(Enum):
    """What one environment's row says; the value is its name in ``--json``."""

    IN_SYNC = "in_sync"
    DRIFTED = "drifted"
    PENDING = "pending"
    NOT_DEPLOYED = "not_deployed"
    ERROR = "error"

    @property
    def text(self) -> str:
        """As people read it, after a count of environments: ``in sync``, ``with changes pending``..."""
        return {"pending": "with changes pending"}.get(self.value, self.value.replace("_", " "))


@dataclass(frozen=True)
class EnvironmentStatus:
    """One environment's row: its condition, backend, resources in state, drift, pending changes or error."""

    stack: SynthesizedStack
    condition: Condition
    backend: str = ""
    where: str = ""
    resources: int | None = None
    drift: tuple[ResourceChange, ...] = ()
    pending: tuple[ResourceChange, ...] = ()
    error: str | None = None

    @property
    def name(self) -> str:
        return self.stack.name


@dataclass(frozen=True)
class StatusReport:
    """Every environment's status, in order, and each phase's wall time in seconds (``synth``, ``prepare``,
    ``plan``)."""

    environments: tuple[EnvironmentStatus, ...]
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """1 if any environment could not be checked, else 2 if any drifted or has changes pending, else 0."""
        conditions = {status.condition for status in self.environments}
        if Condition.ERROR in conditions:
            return EXIT_ERROR
        if conditions & {Condition.DRIFTED, Condition.PENDING}:
            return EXIT_DIFFERENT
        return EXIT_SAME


@dataclass
class _Environment:
    """One environment's progress through the phases."""

    stack: SynthesizedStack
    status: EnvironmentStatus
    location: StateLocation | None = None
    session: TerraformSession | None = None
    known_resources: int | None = None


def check_environments(
    stacks: Sequence[SynthesizedStack],
    workspace: Path,
    environ: Mapping[str, str],
    *,
    terraform: str = "terraform",
    clock: Callable[[], float] = time.monotonic,
) -> StatusReport:
    """The status of each of ``stacks``; private working directories go under ``workspace``."""
    environments = [_Environment(stack, EnvironmentStatus(stack, Condition.ERROR)) for stack in stacks]
    timings: dict[str, float] = {}
    with ThreadPoolExecutor(max_workers=max(1, len(environments)), thread_name_prefix="status") as pool:
        began = clock()
        list(pool.map(lambda item: _prepare(item, workspace, environ, terraform), environments))
        timings["prepare"] = clock() - began
        began = clock()
        list(pool.map(_plan, [item for item in environments if item.session is not None]))
        timings["plan"] = clock() - began
    return StatusReport(tuple(item.status for item in environments), timings)


def _prepare(item: _Environment, workspace: Path, environ: Mapping[str, str], terraform: str) -> None:
    stack = item.stack
    try:
        location = locate_state(stack, environ)
        item.location = location
        item.status = replace(item.status, backend=location.backend, where=location.where)
        item.known_resources = location.resources()
        if item.known_resources == 0:
            item.status = replace(item.status, condition=Condition.NOT_DEPLOYED, resources=0)
            return
        session = TerraformSession(stack, workspace / stack.name, environ, terraform=terraform)
        session.prepare()
        session.init(location.init_arguments)
        item.session = session
    except EnvironmentCheckError as error:
        item.status = replace(item.status, condition=Condition.ERROR, error=str(error))


def _plan(item: _Environment) -> None:
    session = item.session
    assert session is not None  # only prepared environments are planned
    try:
        outline = session.plan()
        if outline.quiet and item.known_resources is not None:
            item.status = replace(item.status, condition=Condition.IN_SYNC, resources=item.known_resources)
            return
        plan = session.show_plan()
        reading = read_plan(plan, session.provider_schemas() if needs_schema(plan) else None)
    except EnvironmentCheckError as error:
        item.status = replace(item.status, condition=Condition.ERROR, error=str(error))
        return
    if reading.drift:
        condition = Condition.DRIFTED
    elif reading.pending:
        condition = Condition.PENDING
    else:
        condition = Condition.IN_SYNC
    if item.known_resources is None and reading.resources == 0 and not reading.drift:
        condition = Condition.NOT_DEPLOYED  # a backend read only through Terraform, holding nothing
    item.status = replace(
        item.status, condition=condition, resources=reading.resources, drift=reading.drift, pending=reading.pending
    )
