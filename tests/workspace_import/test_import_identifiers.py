"""Identifiers of adopted objects: valid, unique, and derived from names alone (so reruns keep every address)."""

from __future__ import annotations

import keyword
import re

import pytest

from blaxel_constructs.workspace_import.identifiers import (
    core_identifier,
    hcl_identifier,
    python_identifier,
    secret_variable,
    unique_names,
)

HCL_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
ENVIRONMENT_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("openai-prod", "openai_prod"), ("4o-mini", "_4o_mini"), ("chat-1", "chat_1"), ("chat1", "chat1")],
)
def test_a_valid_name_becomes_its_hcl_identifier_with_dashes_as_underscores(name, expected):
    assert hcl_identifier(name) == expected


def test_names_that_differ_only_by_dashes_get_different_identifiers():
    names = ["chat-1", "chat1", "chat--1", "a-b", "a--b", "ab"]

    identifiers = [hcl_identifier(name) for name in names]

    assert len(set(identifiers)) == len(names)


@pytest.mark.parametrize("name", ["Chat.v2", "team/chat", "café", "under_score", "-edge-", "", "x" * 80])
def test_a_name_outside_the_api_pattern_still_gets_a_valid_identifier_with_a_stable_suffix(name):
    identifier = hcl_identifier(name)

    assert HCL_IDENTIFIER.match(identifier)
    assert identifier == hcl_identifier(name)  # stable
    assert identifier != hcl_identifier(name + "x")


def test_python_identifiers_carry_the_kind_and_are_never_keywords():
    for name in ["4o-mini", "class", "import", "chat-1"]:
        identifier = python_identifier("model", name)
        assert identifier.isidentifier() and not keyword.iskeyword(identifier)
        assert identifier.startswith("model_")
    assert python_identifier("model", "chat") != python_identifier("policy", "chat")


def test_unique_names_suffix_only_the_sources_that_meet_whatever_their_order():
    make = lambda source: source.lower()  # noqa: E731  "A" and "a" meet

    first = unique_names(["b", "A", "a"], make)
    second = unique_names(["a", "b", "A"], make)

    assert first == second
    assert first["b"] == "b"
    assert first["a"] != first["A"]
    assert first["a"].startswith("a_") and first["A"].startswith("a_")


def test_adding_a_name_keeps_the_identifiers_of_the_others():
    before = unique_names(["chat-1", "chat1"], core_identifier)
    after = unique_names(["chat-1", "chat1", "chat-11", "chat11"], core_identifier)

    assert {name: after[name] for name in before} == before


@pytest.mark.parametrize(
    ("owner", "key", "expected"),
    [
        ("openai-prod", "apiKey", "OPENAI_PROD__API_KEY"),
        ("anthropic", "api_key", "ANTHROPIC__API_KEY"),
        ("4o-keys", "token", "_4O_KEYS__TOKEN"),
        ("tf-var-x", "k", "_TF_VAR_X__K"),
        ("x", "weird key.with/chars", "X__WEIRD_KEY_WITH_CHARS"),
        ("x", "", "X__SECRET"),
    ],
)
def test_secret_variables_are_upper_snake_case_from_the_connection_and_the_key(owner, key, expected):
    variable = secret_variable(owner, key)

    assert variable == expected
    assert ENVIRONMENT_NAME.match(variable)


def test_secret_variables_of_different_connections_never_meet_whatever_connection_appears_later():
    pairs = [
        ("openai-prod", "apiKey"),
        ("openai", "prodApiKey"),
        ("openai-prod-api", "key"),
        ("a--b", "c"),
        ("a", "b--c"),
        ("a-b", "c"),
    ]

    variables = [secret_variable(owner, key) for owner, key in pairs]

    assert len(set(variables)) == len(pairs)
