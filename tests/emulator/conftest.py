"""Fixtures of the emulator tests: a fake clock and sleep, an app built on them, its test client, the SDK oracle.

``emulator`` (a real emulator process) comes from ``tests.support.fixtures`` through the top-level conftest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blaxel_constructs.emulator import EmulatorConfig, LifecycleSettings, create_app

from .documents import API_KEY, DELETE_SECONDS, DEPLOY_SECONDS, WORKSPACE
from .fakes import FakeClock, FakeSleep, MemoryRecordStore
from .sdk_oracle import SdkOracle, load_oracle


@pytest.fixture
def clock() -> FakeClock:
    """Time that moves only when a test advances it."""
    return FakeClock()


@pytest.fixture
def fake_sleep(clock: FakeClock) -> FakeSleep:
    """A sleep (for injected delays) that only moves the fake clock."""
    return FakeSleep(clock)


@pytest.fixture
def store() -> MemoryRecordStore:
    """An empty in-memory record store."""
    return MemoryRecordStore()


@pytest.fixture
def app(clock: FakeClock, fake_sleep: FakeSleep, store: MemoryRecordStore) -> Flask:
    """An emulator app with two keys, the default OAuth client, one workspace, 2 s deployments and 0.5 s
    deletions, on the fake clock (tokens in an in-memory SQLite store)."""
    config = EmulatorConfig(
        workspace=WORKSPACE,
        api_keys=(API_KEY, "second-key"),
        lifecycle=LifecycleSettings(deploy_seconds=DEPLOY_SECONDS, delete_seconds=DELETE_SECONDS),
    )
    return create_app(config, clock=clock, store=store, sleep=fake_sleep)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """A test client of ``app``."""
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture(scope="session")
def oracle() -> SdkOracle:
    """Blaxel's official SDK models: the oracle for response shapes and enum values."""
    return load_oracle()
