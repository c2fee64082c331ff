"""A fourth kind of Blaxel object, written in this module alone (its document and its description), served by
the engine: the provider lists its resource and data source, and they create, read, update, delete, import and
report errors through the same handler and diagnostics as every other kind, against a fake API.

This is what adding a kind means: a document, a description, and the places that list them (README "Adding a
resource"); nothing of the provider, the handler or the client is written for it.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import Field, StrictBool, StrictStr
from tf.gen import tfplugin_pb2 as pb
from tf.iface import (
    CreateContext,
    DeleteContext,
    ImportContext,
    PlanContext,
    ReadContext,
    ReadDataContext,
    UpdateContext,
)
from tf.types import Unknown
from tf.utils import Diagnostics

from blaxel_constructs.document.model_document import Metadata, _Wire
from blaxel_constructs.errors import ServerError
from blaxel_constructs.kinds import KINDS
from blaxel_constructs.kinds.description import (
    Docs,
    Kind,
    OperationTimeouts,
    ValueType,
    argument,
    computed_metadata,
    display_name_argument,
    labels_argument,
    name_argument,
)
from blaxel_constructs.provider.kind_data_source import data_source_class
from blaxel_constructs.provider.kind_resource import resource_class
from blaxel_constructs.provider.servicer import BlaxelServicer
from blaxel_constructs.provider.terraform_provider import BlaxelTerraformProvider
from tests.support.objects_fake import FakeClient, FakeObjects, Fault

# -- the kind: its document and its description ---------------------------------------------------------

SIZES: Final = ("small", "large")


class WidgetSpec(_Wire):
    """What a widget is: its size and colors."""

    size: StrictStr = Field(description="small or large.")
    colors: list[StrictStr] | None = Field(default=None, description="Colors, in no order.")
    sandbox: StrictBool | None = None


class Widget(_Wire):
    """A widget document: ``metadata`` and ``spec``."""

    metadata: Metadata
    spec: WidgetSpec


WIDGET: Final = Kind(
    noun="widget",
    short_noun="widget",
    type_name="blaxel_widget",
    document_kind="Widget",
    collection="/widgets",
    description="A widget.",
    data_description="Reads a widget by name.",
    attributes=(
        name_argument("widget"),
        argument("size", ValueType.STRING, "Size.", wire="spec.size", required=True, choices=SIZES),
        argument("colors", ValueType.STRING_LIST, "Colors.", wire="spec.colors", unordered=True),
        argument("sandbox", ValueType.BOOL, "Sandbox. Default `false`.", wire="spec.sandbox", default=False),
        display_name_argument(),
        labels_argument(),
        *computed_metadata("widget"),
    ),
    timeouts=OperationTimeouts(create=60.0, update=60.0, delete=60.0),
    docs=Docs(intro="A widget.", import_what="a widget"),
    construct=("tests.provider.test_fourth_kind", "Widget"),
    document=("tests.provider.test_fourth_kind", "Widget"),
)

# -- the provider over a fake API -----------------------------------------------------------------------


def provider() -> tuple[BlaxelTerraformProvider, FakeObjects]:
    client = FakeClient()
    served = BlaxelTerraformProvider(environ={}, kinds=(*KINDS, WIDGET), client=client)
    return served, client.objects(WIDGET)


def planned(**values: Any) -> dict[str, Any]:
    base = {**dict.fromkeys(a.name for a in WIDGET.attributes), "name": "w1", "size": "small", "sandbox": False}
    return {**base, **values}


def errors_of(diags: Diagnostics) -> list[tuple[str, str]]:
    return [(d.summary, d.detail) for d in diags.diagnostics if d.severity == "error"]


# -- what the engine gives it ---------------------------------------------------------------------------


def test_the_provider_serves_a_resource_and_a_data_source_of_the_new_kind_with_its_schema() -> None:
    served, _ = provider()

    schema = BlaxelServicer(served).GetProviderSchema(pb.GetProviderSchema.Request(), None)

    assert "blaxel_widget" in schema.resource_schemas and "blaxel_widget" in schema.data_source_schemas
    resource = {a.name: a for a in schema.resource_schemas["blaxel_widget"].block.attributes}
    assert resource["size"].required and resource["name"].required and resource["id"].computed
    assert resource["sandbox"].optional and resource["sandbox"].computed
    data = {a.name for a in schema.data_source_schemas["blaxel_widget"].block.attributes}
    assert data == {a.name for a in WIDGET.data_attributes}


def test_a_widget_is_created_read_updated_and_deleted_through_the_one_handler() -> None:
    served, server = provider()
    widget = resource_class(WIDGET)(served)
    diags = Diagnostics()

    created = widget.create(CreateContext(diags, "blaxel_widget"), planned(colors=["red", "blue"]))
    assert created is not None and (created["id"], created["workspace"]) == ("w1", "ws")
    assert server.objects["w1"] == {
        "metadata": {"name": "w1"},
        "spec": {"size": "small", "colors": ["red", "blue"], "sandbox": False},
    }
    Widget.model_validate(server.objects["w1"])  # what was sent is a valid widget document

    server.objects["w1"]["spec"]["colors"] = ["blue", "red"]  # the API's own order: not a change
    read = widget.read(ReadContext(diags, "blaxel_widget"), created)
    assert read is not None and read["colors"] == ["red", "blue"]

    plan = widget.plan(PlanContext(diags, "blaxel_widget", changed_fields={"size"}), read, {**read, "size": "large"})
    assert plan["updated_at"] is Unknown
    updated = widget.update(UpdateContext(diags, "blaxel_widget"), read, {**read, "size": "large"})
    assert updated is not None and server.objects["w1"]["spec"]["size"] == "large"

    assert widget.delete(DeleteContext(diags, "blaxel_widget"), updated) is None
    assert server.objects == {} and errors_of(diags) == []


def test_a_widget_is_imported_and_read_by_the_data_source_by_name() -> None:
    served, server = provider()
    server.seed({"metadata": {"name": "w2", "labels": {"a": "b"}}, "spec": {"size": "large"}})
    diags = Diagnostics()

    imported = resource_class(WIDGET)(served).import_(ImportContext(diags, "blaxel_widget"), "w2")
    data = data_source_class(WIDGET)(served).read(ReadDataContext(diags, "blaxel_widget"), {"name": "w2"})

    assert imported is not None and set(imported) == {a.name for a in WIDGET.attributes}
    assert (imported["size"], imported["sandbox"], imported["labels"]) == ("large", False, {"a": "b"})
    assert data is not None and data["size"] == "large" and errors_of(diags) == []


def test_a_widget_config_is_checked_and_its_errors_are_reported_in_its_words() -> None:
    served, server = provider()
    server.seed({"metadata": {"name": "w1"}, "spec": {"size": "small", "colors": ["green"]}})
    widget = resource_class(WIDGET)(served)
    diags = Diagnostics()

    widget.validate(diags, "blaxel_widget", planned(size="medium", name="W1"))
    assert [d.summary for d in diags.diagnostics] == ["Invalid name", "Invalid size"]

    clash = Diagnostics()
    assert widget.create(CreateContext(clash, "blaxel_widget"), planned()) is None
    assert errors_of(clash)[0][0] == "Widget 'w1' already exists"

    missing = Diagnostics()
    assert data_source_class(WIDGET)(served).read(ReadDataContext(missing, "blaxel_widget"), {"name": "nope"}) is None
    assert errors_of(missing)[0][0] == "Widget 'nope' not found"


def test_an_ambiguous_create_of_a_widget_is_resolved_as_for_every_kind() -> None:
    served, server = provider()
    server.faults.append(
        Fault("POST", ServerError(method="POST", path="/widgets", status=502, error="x"), applied=True)
    )

    created = resource_class(WIDGET)(served).create(CreateContext(Diagnostics(), "blaxel_widget"), planned())

    assert created is not None and server.count("POST") == 1 and list(server.objects) == ["w1"]
