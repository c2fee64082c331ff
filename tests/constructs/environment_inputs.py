"""The inputs the multi-environment tests share: one configuration file and the two ``BLAXEL_STATE_PG`` settings.

The ``write`` and ``environments`` fixtures (in ``conftest.py``) write and load them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from blaxel_constructs.constructs.environments import STATE_PG_VARIABLE

__all__ = ["CONFIG", "NO_PG", "PG", "Write"]

#: Defaults and two environments, using every kind of override: maps merge, lists replace, null removes.
CONFIG = """
defaults:
  workspace: acme
  labels: {team: ml, cost-center: research}
  endpoints:
    chat:
      runtime: {type: openai, model: gpt-4.1-mini}
      flavors: [{name: t4, type: cpu}]
    embed:
      runtime: {type: mistral, model: mistral-embed}
environments:
  dev:
    name_suffix: -dev
    labels: {cost-center: sandbox}
    endpoints:
      chat: {sandbox: true, runtime: {model: gpt-4.1-nano}}
      embed: null
  prod:
    workspace: acme-prod
    name_prefix: acme-
    policy: {allow_sandbox: false, require_flavors: true, required_labels: [team]}
    providers:
      shared: {workspace: acme-shared}
    endpoints:
      chat:
        flavors: [{name: a100, type: gpu}]
      embed:
        flavors: [{name: t4, type: cpu}]
        provider: shared
"""

#: The process environment without and with a PostgreSQL state backend.
NO_PG: dict[str, str] = {}
PG = {STATE_PG_VARIABLE: "postgres://terraform@db.internal:5432/state?sslmode=require"}

#: ``write(text, name="environments.yaml")``: the path of a configuration file written into the test's directory.
Write = Callable[..., Path]
