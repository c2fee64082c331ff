"""ClientConfig: explicit values, then BL_* variables, then defaults; validation; no secrets in reprs."""

from __future__ import annotations

import base64

import pytest

from blaxel_constructs._version import __version__
from blaxel_constructs.client import ClientConfig
from blaxel_constructs.document import rules
from blaxel_constructs.errors import ConfigurationError

ENV = {
    "BL_API_URL": "http://127.0.0.1:4010/v0/",
    "BL_WORKSPACE": "env-team",
    "BL_API_KEY": "env-key-SECRET",
    "BL_CLIENT_CREDENTIALS": base64.b64encode(b"client-id:client-SECRET").decode(),
    "BL_API_VERSION": "2026-04-28",
}


def test_given_no_environment_when_built_from_env_then_the_defaults_apply() -> None:
    config = ClientConfig.from_env({})

    assert config.api_url == rules.DEFAULT_API_URL
    assert config.api_version == rules.DEFAULT_API_VERSION
    assert config.workspace is None
    assert config.api_key is None
    assert config.user_agent == f"blaxel-constructs/{__version__}"
    assert (config.connect_timeout, config.read_timeout) == (5.0, 30.0)


def test_given_bl_variables_when_built_from_env_then_each_setting_comes_from_its_variable() -> None:
    config = ClientConfig.from_env(ENV)

    assert config.api_url == "http://127.0.0.1:4010/v0"  # trailing slash stripped
    assert config.workspace == "env-team"
    assert config.api_key == "env-key-SECRET"
    assert config.client_credentials == ENV["BL_CLIENT_CREDENTIALS"]
    assert config.api_version == "2026-04-28"


def test_given_explicit_values_when_built_from_env_then_they_win_over_the_environment() -> None:
    config = ClientConfig.from_env(ENV, workspace="arg-team", api_key="arg-key", read_timeout=7.5)

    assert config.workspace == "arg-team"
    assert config.api_key == "arg-key"
    assert config.read_timeout == 7.5
    assert config.api_url == "http://127.0.0.1:4010/v0"


def test_given_none_overrides_when_built_from_env_then_they_fall_back_to_env_then_default() -> None:
    config = ClientConfig.from_env({"BL_WORKSPACE": "env-team"}, workspace=None, api_url=None, api_version=None)

    assert config.workspace == "env-team"
    assert config.api_url == rules.DEFAULT_API_URL
    assert config.api_version == rules.DEFAULT_API_VERSION


def test_given_empty_variables_when_built_from_env_then_they_count_as_unset() -> None:
    config = ClientConfig.from_env({"BL_API_URL": "", "BL_WORKSPACE": ""})

    assert config.api_url == rules.DEFAULT_API_URL
    assert config.workspace is None


def test_given_an_unknown_setting_when_built_from_env_then_it_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="api_token"):
        ClientConfig.from_env({}, api_token="x")


def test_given_no_credential_when_validated_then_the_message_says_to_set_bl_api_key() -> None:
    with pytest.raises(ConfigurationError, match=r"BL_API_KEY or the provider's api_key"):
        ClientConfig().validate()


@pytest.mark.parametrize("url", ["ftp://api.test/v0", "api.test/v0", "https:///v0", ""])
def test_given_a_non_http_url_when_validated_then_it_is_rejected(url: str) -> None:
    with pytest.raises(ConfigurationError, match="api_url must be an http"):
        ClientConfig(api_url=url, api_key="k").validate()


def test_given_a_url_with_user_info_when_validated_then_it_is_rejected_without_quoting_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientConfig(api_url="https://user:hunter2@api.test/v0", api_key="k").validate()

    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("version", ["2026-4-16", "v1", "2026-04-16-preview", "2026-04-16.beta", ""])
def test_given_a_malformed_api_version_when_validated_then_it_is_rejected(version: str) -> None:
    with pytest.raises(ConfigurationError, match="api_version must be a date YYYY-MM-DD"):
        ClientConfig(api_key="k", api_version=version).validate()


@pytest.mark.parametrize("version", ["2026-04-16", "2026-04-28", "2027-01-01.preview"])
def test_given_a_dated_api_version_when_validated_then_it_is_accepted(version: str) -> None:
    ClientConfig(api_key="k", api_version=version).validate()


def test_given_a_non_positive_timeout_when_validated_then_it_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        ClientConfig(api_key="k", read_timeout=0).validate()


def test_given_malformed_client_credentials_when_validated_then_they_are_rejected_without_quoting_them() -> None:
    with pytest.raises(ConfigurationError, match=r"base64\(clientId:clientSecret\)") as caught:
        ClientConfig(client_credentials="not-base64-SECRET!").validate()

    assert "SECRET" not in str(caught.value)


def test_given_only_client_credentials_when_validated_then_they_are_enough() -> None:
    ClientConfig(client_credentials=ENV["BL_CLIENT_CREDENTIALS"]).validate()


def test_given_credentials_when_the_config_is_printed_then_neither_appears() -> None:
    text = repr(ClientConfig.from_env(ENV))

    assert "env-key-SECRET" not in text
    assert ENV["BL_CLIENT_CREDENTIALS"] not in text
    assert "env-team" in text
