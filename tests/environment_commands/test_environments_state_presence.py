"""Finding an environment's state without ``terraform init``, and the environment Terraform runs with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blaxel_constructs.environment_commands.state_presence import locate_state
from blaxel_constructs.environment_commands.synthesized_stack import SynthesizedStack
from blaxel_constructs.environment_commands.terraform_session import PLACEHOLDER, terraform_environment
from blaxel_constructs.errors import EnvironmentCheckError

from .stacks import environment_document, stack_of

PG = "postgres://terraform@db.internal:5432/state?sslmode=require"


def _state(resources: int, *, data: int = 1) -> str:
    managed = [{"mode": "managed", "type": "blaxel_model", "instances": [{}]} for _ in range(resources)]
    return json.dumps({"version": 4, "resources": [*managed, *({"mode": "data", "instances": [{}]},) * data]})


def _with_backend(name: str, backend: dict[str, object], directory: Path) -> SynthesizedStack:
    document = environment_document(name)
    document["terraform"]["backend"] = backend
    return stack_of(name, document, directory=directory)


def test_a_local_state_file_that_does_not_exist_means_not_deployed_and_init_is_given_its_absolute_path(
    tmp_path: Path,
) -> None:
    stack = _with_backend("prod", {"local": {"path": str(tmp_path / "terraform.prod.tfstate")}}, tmp_path / "out")

    location = locate_state(stack, {})

    assert location.backend == "local"
    assert location.resources() == 0
    assert location.init_arguments == (f"-backend-config=path={tmp_path / 'terraform.prod.tfstate'}",)


def test_a_local_state_counts_its_managed_resource_instances(tmp_path: Path) -> None:
    (tmp_path / "terraform.dev.tfstate").write_text(_state(3))
    stack = _with_backend("dev", {"local": {"path": str(tmp_path / "terraform.dev.tfstate")}}, tmp_path / "out")

    assert locate_state(stack, {}).resources() == 3


def test_a_destroyed_environment_whose_state_is_empty_is_not_deployed(tmp_path: Path) -> None:
    (tmp_path / "terraform.dev.tfstate").write_text(_state(0, data=0))
    stack = _with_backend("dev", {"local": {"path": str(tmp_path / "terraform.dev.tfstate")}}, tmp_path / "out")

    assert locate_state(stack, {}).resources() == 0


def test_a_relative_local_path_is_relative_to_the_deploys_working_directory_not_the_commands(tmp_path: Path) -> None:
    deployed = tmp_path / "cdktf.out"
    (deployed / "stacks" / "dev").mkdir(parents=True)
    (deployed / "stacks" / "dev" / "state.json").write_text(_state(2))
    stack = _with_backend("dev", {"local": {"path": "state.json"}}, deployed)

    location = locate_state(stack, {})

    assert location.resources() == 2
    assert location.init_arguments == (f"-backend-config=path={deployed / 'stacks' / 'dev' / 'state.json'}",)


def test_a_workspace_other_than_default_reads_its_own_local_state(tmp_path: Path) -> None:
    deployed = tmp_path / "cdktf.out"
    workspace_state = deployed / "stacks" / "dev" / "terraform.tfstate.d" / "blue" / "terraform.tfstate"
    workspace_state.parent.mkdir(parents=True)
    workspace_state.write_text(_state(1))
    stack = _with_backend("dev", {"local": {}}, deployed)

    location = locate_state(stack, {"TF_WORKSPACE": "blue"})

    assert location.resources() == 1
    assert f"-backend-config=workspace_dir={deployed / 'stacks' / 'dev' / 'terraform.tfstate.d'}" in (
        location.init_arguments
    )


def test_a_pg_backend_is_read_in_its_schema_and_init_is_told_to_create_nothing() -> None:
    stack = _with_backend("prod", {"pg": {"conn_str": PG, "schema_name": "blaxel_prod"}}, Path("/app/cdktf.out"))

    location = locate_state(stack, {})

    assert (location.backend, location.where, location.pg_conninfo, location.pg_schema) == (
        "pg",
        "schema blaxel_prod",
        PG,
        "blaxel_prod",
    )
    assert location.workspace == "default"
    assert location.init_arguments == (
        "-backend-config=skip_schema_creation=true",
        "-backend-config=skip_table_creation=true",
        "-backend-config=skip_index_creation=true",
    )


def test_a_pg_backend_without_a_connection_string_takes_terraforms_variable_or_fails_saying_so() -> None:
    stack = _with_backend("prod", {"pg": {}}, Path("/app/cdktf.out"))

    assert locate_state(stack, {"PG_CONN_STR": PG}).pg_conninfo == PG
    with pytest.raises(EnvironmentCheckError, match="PG_CONN_STR"):
        locate_state(stack, {})


def test_another_backend_cannot_be_read_before_init() -> None:
    stack = _with_backend("prod", {"s3": {"bucket": "b", "key": "k"}}, Path("/app/cdktf.out"))

    location = locate_state(stack, {})

    assert (location.backend, location.resources(), location.init_arguments) == ("s3", None, ())


def test_terraform_gets_a_placeholder_for_each_secret_its_own_data_dir_and_none_of_the_users_cli_arguments(
    tmp_path: Path,
) -> None:
    stack = stack_of("dev", environment_document("dev"))
    environ = {
        "BL_API_KEY": "key",
        "PGPASSWORD": "pw",
        "TF_VAR_OPENAI_API_KEY": "sk-real-secret",
        "TF_CLI_ARGS": "-no-color",
        "TF_CLI_ARGS_plan": "-refresh=false",
        "TF_DATA_DIR": "/shared/.terraform",
    }

    env = terraform_environment(stack, tmp_path, environ)

    assert env["TF_VAR_OPENAI_API_KEY"] == PLACEHOLDER
    assert (env["BL_API_KEY"], env["PGPASSWORD"]) == ("key", "pw")
    assert env["TF_DATA_DIR"] == str(tmp_path / ".terraform")
    assert not [name for name in env if name.startswith("TF_CLI_ARGS")]
    assert env["CHECKPOINT_DISABLE"] == "1"
