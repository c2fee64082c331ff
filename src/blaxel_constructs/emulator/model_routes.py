"""The models API under ``/v0``: each view authenticates (in ``before_request``), decodes, makes one
state-machine call and encodes. Errors are raised and rendered by the app's handlers:
ModelNotFound -> 404, ModelAlreadyExists/ModelBeingDeleted -> 409, InvalidModel and MissingConnections -> 400.
Authentication, workspace and version: ``api_access``.

| route | answer |
|---|---|
| ``GET /v0/models`` | bare array before 2026-04-28, ``{data, meta}`` from it |
| ``POST /v0/models`` | 200 with the Model (DEPLOYING), 409 if the name exists, 400 naming a missing connection |
| ``GET /v0/models/{modelName}`` | 200, 404 |
| ``PUT /v0/models/{modelName}`` | 200 with the Model (a new revision), 404, 400 naming a missing connection |
| ``DELETE /v0/models/{modelName}`` | 200 with the Model (DELETING), 404 |
| ``GET /v0/models/{modelName}/revisions`` | 200 with ``RevisionMetadata`` items, newest first, 404 |
"""

from __future__ import annotations

from flask import Blueprint, Response

from blaxel_constructs.emulator.api_access import authorize_api_request
from blaxel_constructs.emulator.context import current_caller, current_emulator
from blaxel_constructs.emulator.input_validation import clean_model
from blaxel_constructs.emulator.payloads import json_response, listing_response, read_json_body

__all__ = ["models_api"]

models_api = Blueprint("models", __name__, url_prefix="/v0")
# Route parameters keep the spec's name (``modelName``) so that the stats show the spec's path templates.


models_api.before_request(authorize_api_request)


@models_api.get("/models")
def list_models() -> Response:
    """All models (old versions) or one page of them (from 2026-04-28)."""
    caller = current_caller()
    return listing_response(current_emulator().machine.list(caller.workspace), version=caller.version)


@models_api.post("/models")
def create_model() -> Response:
    """Create a model and start its deployment."""
    caller = current_caller()
    document = clean_model(read_json_body())
    emulator = current_emulator()
    model = emulator.machine.create(caller.workspace, document, identity=caller.identity)
    emulator.stats.model_created(document["metadata"]["name"])
    return json_response(model)


@models_api.get("/models/<modelName>")
def get_model(modelName: str) -> Response:
    """One model."""
    return json_response(current_emulator().machine.get(current_caller().workspace, modelName))


@models_api.put("/models/<modelName>")
def update_model(modelName: str) -> Response:
    """Replace a model's whole document and start a new revision."""
    caller = current_caller()
    document = clean_model(read_json_body(), path_name=modelName)
    return json_response(
        current_emulator().machine.update(caller.workspace, modelName, document, identity=caller.identity)
    )


@models_api.delete("/models/<modelName>")
def delete_model(modelName: str) -> Response:
    """Start deleting a model; the answer is the model, DELETING."""
    emulator = current_emulator()
    model, started = emulator.machine.begin_delete(current_caller().workspace, modelName)
    if started:
        emulator.stats.model_deleted(modelName)
    return json_response(model)


@models_api.get("/models/<modelName>/revisions")
def list_revisions(modelName: str) -> Response:
    """A model's revisions, newest first."""
    return json_response(current_emulator().machine.revisions(current_caller().workspace, modelName))
