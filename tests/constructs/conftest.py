"""Shared set-up for the construct tests: a quiet jsii runtime, a fresh stack, and synth helpers.

jsii starts one Node process per Python process, so every test of the session shares it; each test
still gets its own App and stack, so nothing leaks between tests.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

# Before cdktf is imported: no Node end-of-life banner, no network checks.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("DISABLE_VERSION_CHECK", "1")

import pytest
from cdktf import App, TerraformStack, Testing

Synth = Callable[[TerraformStack], dict[str, Any]]


@pytest.fixture
def app() -> App:
    """A fresh cdktf test App (synthesizes nowhere unless asked)."""
    return Testing.app()


@pytest.fixture
def stack(app: App) -> TerraformStack:
    """An empty stack named ``test`` in its own test App."""
    return TerraformStack(app, "test")


@pytest.fixture
def synth() -> Synth:
    """Synthesize a stack into its Terraform JSON, as a dict (construct metadata left out)."""

    def run(stack: TerraformStack) -> dict[str, Any]:
        return dict(json.loads(Testing.synth(stack)))

    return run


@pytest.fixture
def model_resource(synth: Synth) -> Callable[[TerraformStack], dict[str, Any]]:
    """The arguments of the one ``blaxel_model`` resource a stack synthesizes."""

    def run(stack: TerraformStack) -> dict[str, Any]:
        resources = synth(stack)["resource"]["blaxel_model"]
        assert len(resources) == 1, resources
        return dict(next(iter(resources.values())))

    return run
