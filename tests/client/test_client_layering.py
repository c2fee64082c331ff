"""The client's place in the layers: fast to import (no pydantic), and usable by the handler as a ModelsAPI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from blaxel_constructs.handler import Backoff, ModelHandler, ModelsAPI, Waiter

from .fakes import Reply, client_with, model


@pytest.mark.parametrize("module", ["blaxel_constructs.client", "blaxel_constructs.handler"])
def test_given_a_fresh_interpreter_when_importing_the_layer_then_no_heavy_dependency_is_loaded(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "heavy = sorted(m for m in ('pydantic', 'cdktf', 'constructs', 'jsii', 'tf') if m in sys.modules); "
        "print(','.join(heavy))"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ""


def test_given_a_blaxel_client_when_the_handler_drives_it_then_create_posts_and_polls_until_deployed() -> None:
    client, adapter = client_with(Reply(200, model()), Reply(200, model()), Reply(200, model(status="DEPLOYED")))
    api: ModelsAPI = client
    sleeps: list[float] = []
    handler = ModelHandler(api, waiter=Waiter(Backoff(), sleep=sleeps.append, rng=lambda: 0.0))

    created = handler.create({"metadata": {"name": "my-model"}, "spec": {}}, timeout=60)

    assert created["status"] == "DEPLOYED"
    assert [(s.method, s.path_and_query) for s in adapter.sent] == [
        ("POST", "/models"),
        ("GET", "/models/my-model"),
        ("GET", "/models/my-model"),
    ]
    assert sleeps == [0.05]  # a draw of 0 still waits the floor
