"""Fixtures of the emulator tests: a fake clock (which also sleeps), an app on it, its test client, the SDK oracle.

``emulator`` (a real emulator process) comes from ``tests.support.fixtures`` through the top-level conftest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blaxel_constructs.emulator import EmulatorConfig, LifecycleSettings, create_app
from tests.support.clock import FakeClock

from .documents import API_KEY, DELETE_SECONDS, DEPLOY_SECONDS, WORKSPACE
from .fakes import MemoryRecordStore, emulator_clock
from .sdk_oracle import SdkOracle, load_oracle


@pytest.fixture
def clock() -> FakeClock:
    """Time that moves only when a test advances it or the app sleeps out an injected delay (``clock.sleeps``)."""
    return emulator_clock()


@pytest.fixture
def store() -> MemoryRecordStore:
    """An empty in-memory record store."""
    return MemoryRecordStore()


@pytest.fixture
def app(clock: FakeClock, store: MemoryRecordStore) -> Flask:
    """An emulator app with two keys, the default OAuth client, one workspace, 2 s deployments and 0.5 s
    deletions, on the fake clock (tokens in an in-memory SQLite store)."""
    config = EmulatorConfig(
        workspace=WORKSPACE,
        api_keys=(API_KEY, "second-key"),
        lifecycle=LifecycleSettings(deploy_seconds=DEPLOY_SECONDS, delete_seconds=DELETE_SECONDS),
    )
    return create_app(config, clock=clock, store=store, sleep=clock.sleep)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """A test client of ``app``."""
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture(scope="session")
def oracle() -> SdkOracle:
    """Blaxel's official SDK models: the oracle for response shapes and enum values."""
    return load_oracle()
