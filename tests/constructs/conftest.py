"""Shared set-up for the construct tests: a quiet jsii runtime, a fresh stack, synth helpers, environment files.

jsii starts one Node process per Python process, so every test of the session shares it; each test
still gets its own App and stack, so nothing leaks between tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from blaxel_constructs.constructs.environments import EnvironmentConfig, load_environments
from blaxel_constructs.constructs.framework import Framework
from tests.support.cdk import FRAMEWORK, App, TerraformStack, Testing

from .environment_inputs import CONFIG, Write

Synth = Callable[[TerraformStack], dict[str, Any]]


@pytest.fixture
def framework() -> Framework:
    """The CDK these tests run on (cdktf in .venv, cdktn in .venv-cdktn): the same files run under both."""
    return FRAMEWORK


@pytest.fixture
def app() -> App:
    """A fresh test App of the framework (synthesizes nowhere unless asked)."""
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


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write a configuration file into the test's directory and return its path."""

    def make(text: str, name: str = "environments.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return make


@pytest.fixture
def environments(write: Write) -> dict[str, EnvironmentConfig]:
    """The environments of ``environment_inputs.CONFIG``, loaded from a file as a user's would be."""
    return load_environments(write(CONFIG))
