"""``--name`` globs (any matches) and ``--label`` pairs (all match)."""

from __future__ import annotations

import pytest

from blaxel_constructs.kinds import MODEL
from blaxel_constructs.workspace_import.object_filter import Filters, parse_label
from blaxel_constructs.workspace_import.workspace_reading import ListedObject


def listed(name: str, labels: dict[str, str] | None = None) -> ListedObject:
    return ListedObject(MODEL, name, {"metadata": {"name": name, "labels": labels}})


def test_no_filter_keeps_everything():
    assert Filters().keeps(listed("anything"))


def test_a_name_glob_keeps_the_names_it_matches_and_any_of_several_globs_may_match():
    filters = Filters(names=("chat-*", "gpt?"))

    assert [o.name for o in filters.select([listed("chat-1"), listed("gpt4"), listed("gpt-4"), listed("x")])] == [
        "chat-1",
        "gpt4",
    ]


def test_every_label_pair_must_match():
    filters = Filters(labels=(("team", "ml"), ("env", "prod")))

    assert filters.keeps(listed("a", {"team": "ml", "env": "prod", "other": "x"}))
    assert not filters.keeps(listed("b", {"team": "ml"}))
    assert not filters.keeps(listed("c", None))


def test_a_label_value_may_hold_equals_signs_and_be_empty():
    assert parse_label("k=a=b") == ("k", "a=b")
    assert parse_label("k=") == ("k", "")


@pytest.mark.parametrize("text", ["team", "=ml", ""])
def test_a_label_without_key_or_equals_sign_is_refused(text):
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_label(text)
