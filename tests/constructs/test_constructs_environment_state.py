"""Multiple environments, where their state lives: a local file per environment, or with ``BLAXEL_STATE_PG`` a
PostgreSQL backend with one schema per environment, whose password never reaches the synthesized JSON."""

from __future__ import annotations

import json
import warnings

import pytest

from blaxel_constructs.constructs.environments import (
    STATE_PG_VARIABLE,
    EnvironmentConfig,
    EnvironmentStack,
    StatePasswordWarning,
    load_environments,
    state_backend,
)
from blaxel_constructs.constructs.environments.state_backend import without_password
from blaxel_constructs.errors import SpecError
from tests.support.cdk import App, TerraformStack
from tests.support.cdk import Testing as CdktfTesting

from .conftest import Synth
from .environment_inputs import NO_PG, PG, Write


def test_without_blaxel_state_pg_the_stack_keeps_a_local_state_file(
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    dev = EnvironmentStack(app, environments["dev"], environ=NO_PG)

    backend = synth(dev)["terraform"]["backend"]

    assert list(backend) == ["local"]
    assert backend["local"]["path"].endswith("terraform.dev.tfstate")


def test_with_blaxel_state_pg_every_stack_uses_the_pg_backend_in_its_own_schema(
    app: App, environments: dict[str, EnvironmentConfig], synth: Synth
) -> None:
    stacks = [EnvironmentStack(app, environment, environ=PG) for environment in environments.values()]

    backends = {stack.node.id: synth(stack)["terraform"]["backend"] for stack in stacks}

    assert backends == {
        "dev": {"pg": {"conn_str": PG[STATE_PG_VARIABLE], "schema_name": "blaxel_dev"}},
        "prod": {"pg": {"conn_str": PG[STATE_PG_VARIABLE], "schema_name": "blaxel_prod"}},
    }


def test_blaxel_state_pg_is_read_from_the_process_environment_by_default(
    app: App, environments: dict[str, EnvironmentConfig], monkeypatch: pytest.MonkeyPatch, synth: Synth
) -> None:
    monkeypatch.setenv(STATE_PG_VARIABLE, "host=db.internal dbname=state")

    dev = EnvironmentStack(app, environments["dev"])

    assert synth(dev)["terraform"]["backend"] == {
        "pg": {"conn_str": "host=db.internal dbname=state", "schema_name": "blaxel_dev"}
    }


def test_a_state_schema_in_the_configuration_replaces_the_default_one(app: App, write: Write, synth: Synth) -> None:
    staging = load_environments(write("environments:\n  staging: {state_schema: tf_assistant_staging}\n"))["staging"]

    stack = EnvironmentStack(app, staging, environ=PG)

    assert synth(stack)["terraform"]["backend"]["pg"]["schema_name"] == "tf_assistant_staging"


@pytest.mark.parametrize(
    ("conninfo", "safe"),
    [
        ("postgres://tf:s3cret@db:5432/state?sslmode=require", "postgres://tf@db:5432/state?sslmode=require"),
        ("postgresql://tf@db/state?password=s3cret&sslmode=disable", "postgresql://tf@db/state?sslmode=disable"),
        ("host=db dbname=state password='s3 cret' user=tf", "host=db dbname=state user=tf"),
    ],
)
def test_a_password_in_the_connection_string_never_reaches_the_synthesized_json(
    stack: TerraformStack, conninfo: str, safe: str
) -> None:
    with pytest.warns(StatePasswordWarning, match="PGPASSWORD"):
        state_backend(stack, "prod", environ={STATE_PG_VARIABLE: conninfo})

    text = CdktfTesting.synth(stack)

    assert json.loads(text)["terraform"]["backend"]["pg"]["conn_str"] == safe
    assert "s3cret" not in text and "s3 cret" not in text


def test_a_connection_string_without_password_is_kept_as_written_and_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert without_password("postgres://tf@db/state?sslmode=require") == (
            "postgres://tf@db/state?sslmode=require",
            False,
        )


def test_a_value_that_is_not_a_connection_string_is_rejected_naming_the_variable(stack: TerraformStack) -> None:
    with pytest.raises(SpecError, match="field 'BLAXEL_STATE_PG': must be a libpq connection string"):
        state_backend(stack, "prod", environ={STATE_PG_VARIABLE: "db.internal:5432"})
