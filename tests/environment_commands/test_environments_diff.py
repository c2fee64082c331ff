"""``environments diff``: environments compared by construct path, their own settings left out unless asked."""

from __future__ import annotations

from blaxel_constructs.environment_commands.report_rendering import Style, diff_json, diff_text
from blaxel_constructs.environment_commands.stack_diff import ABSENT, diff_stacks
from blaxel_constructs.environment_metadata import ENVIRONMENT_METADATA_KEY

from .stacks import environment_document, stack_of

STAGING = stack_of("staging", environment_document("staging", suffix="-staging"))
PROD = stack_of(
    "prod", environment_document("prod", chat_flavor="a100", with_policy=True, shared_provider=True, workspace="acme")
)


def test_what_prod_has_that_staging_has_not_is_named_by_construct_path_and_each_changed_argument_old_to_new() -> None:
    diff = diff_stacks(STAGING, PROD)

    only_in_prod = [item.element.label for item in diff.shown if item.side == "b"]
    changed = {item.element.label: item.changes for item in diff.shown if item.side == "both"}
    assert only_in_prod == ["policy policy-eu-only", "provider blaxel.shared"]
    assert list(changed) == ["model chat"]
    assert [(c.argument, c.a, c.b) for c in changed["model chat"]] == [
        ("flavors", [{"name": "t4", "type": "cpu"}], [{"name": "a100", "type": "gpu"}]),
        ("policies", ABSENT, ["${blaxel_policy.policy-eu-only_5EBF76FF.name}"]),
    ]
    assert not diff.same


def test_names_environment_labels_the_owner_label_and_the_workspace_differ_only_by_environment_and_are_left_out() -> (
    None
):
    diff = diff_stacks(STAGING, PROD)

    hidden = {
        (item.element.label, change.argument)
        for item in diff.elements
        for change in item.changes
        if change.environment_only
    }
    assert ("model chat", "name") in hidden
    assert ("model chat", "labels.tier") in hidden
    assert ("model chat", "labels.environment") in hidden
    assert ("model chat", "labels.blaxel-constructs-owner") in hidden
    assert ("integration connection connection-openai", "name") in hidden
    assert ("provider blaxel", "workspace") in hidden
    assert all(item.element.label != "model summarize" for item in diff.shown)
    assert diff.differences == 3


def test_with_all_the_environment_settings_are_shown_marked_and_counted() -> None:
    diff = diff_stacks(STAGING, PROD, include_environment=True)

    text = diff_text(diff, Style())

    assert "~ model summarize" in text
    assert 'name                            "summarize-staging" -> "summarize"  (environment setting)' in text
    assert diff.differences == 6


def test_a_real_difference_in_a_name_is_not_hidden_by_the_suffix_rule() -> None:
    other = environment_document("prod")
    other["resource"]["blaxel_model"]["summarize_EF98AFAE"]["name"] = "summarizer"

    diff = diff_stacks(STAGING, stack_of("prod", other))

    (changed,) = [item for item in diff.shown if item.side == "both"]
    assert [(c.argument, c.a, c.b) for c in changed.changes] == [("name", "summarize-staging", "summarizer")]


def test_an_environment_compared_with_itself_is_the_same() -> None:
    diff = diff_stacks(STAGING, STAGING)

    assert diff.same
    assert diff_json(diff)["exit_code"] == 0
    assert diff_text(diff, Style()) == "staging -> staging: the same\n"


def test_resources_only_in_a_are_listed_with_a_minus_and_their_name() -> None:
    diff = diff_stacks(PROD, STAGING)

    text = diff_text(diff, Style())

    assert '  - policy policy-eu-only   only in prod (name "eu-only")' in text
    assert "prod -> staging: 3 differences (2 only in prod, 1 changed)" in text


def test_the_table_shows_references_by_construct_path_and_ends_with_the_summary_line() -> None:
    text = diff_text(diff_stacks(STAGING, PROD), Style())

    assert '      policies  (not set) -> ["${blaxel_policy.policy-eu-only.name}"]' in text
    assert text.splitlines()[-1] == (
        "staging -> prod: 3 differences (2 only in prod, 1 changed); 12 argument values differ only by the "
        "environments' own settings (--all shows them)"
    )
    assert "\033[" not in text


def test_colour_only_when_asked() -> None:
    assert "\033[32m+\033[0m" in diff_text(diff_stacks(STAGING, PROD), Style(colour=True))


def test_the_json_document_lists_each_element_with_its_addresses_and_arguments() -> None:
    document = diff_json(diff_stacks(STAGING, PROD))

    assert (document["a"], document["b"], document["same"], document["exit_code"]) == ("staging", "prod", False, 2)
    policy, provider, chat = document["elements"]
    assert policy["change"] == "only_in_b"
    assert (policy["type"], policy["path"], policy["address_a"]) == ("blaxel_policy", "policy-eu-only/Resource", None)
    assert policy["values"]["type"] == "location"
    assert provider["label"] == "provider blaxel.shared"
    assert chat["change"] == "changed"
    assert chat["address_a"] == chat["address_b"] == "blaxel_model.chat_22ADE1FF"
    assert chat["arguments"][1] == {
        "argument": "policies",
        "a": None,
        "b": ["${blaxel_policy.policy-eu-only_5EBF76FF.name}"],
        "environment_only": False,
    }


def test_stacks_without_environment_metadata_are_compared_as_they_are() -> None:
    plain_a, plain_b = environment_document("a", suffix="-a"), environment_document("b", suffix="-b")
    for document in (plain_a, plain_b):
        del document["//"][ENVIRONMENT_METADATA_KEY]

    diff = diff_stacks(stack_of("a", plain_a), stack_of("b", plain_b))

    assert ("model chat", "name") in {(i.element.label, c.argument) for i in diff.shown for c in i.changes}
    assert ("model chat", "labels.blaxel-constructs-owner") not in {
        (i.element.label, c.argument) for i in diff.shown for c in i.changes
    }
