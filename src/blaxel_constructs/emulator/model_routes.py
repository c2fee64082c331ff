"""The models API under ``/v0``: each view authenticates (in ``before_request``), decodes, makes one
state-machine call and encodes. Errors are raised and rendered by the app's handlers:
ModelNotFound -> 404, ModelAlreadyExists/ModelBeingDeleted -> 409, InvalidModel -> 400.

A caller presents an API key or an OAuth access token from ``POST /v0/oauth/token`` (``oauth.py``), in
either auth header. No credential, an unknown one or an expired token -> 401 (``"message": "token
expired"`` for the latter); a valid one for another workspace -> 403.

| route | answer |
|---|---|
| ``GET /v0/models`` | bare array before 2026-04-28, ``{data, meta}`` from it |
| ``POST /v0/models`` | 200 with the Model (DEPLOYING), 409 if the name exists |
| ``GET /v0/models/{modelName}`` | 200, 404 |
| ``PUT /v0/models/{modelName}`` | 200 with the Model (a new revision), 404 |
| ``DELETE /v0/models/{modelName}`` | 200 with the Model (DELETING), 404 |
| ``GET /v0/models/{modelName}/revisions`` | 200 with ``RevisionMetadata`` items, newest first, 404 |
"""

from __future__ import annotations

from flask import Blueprint, Response, g, request

from blaxel_constructs.emulator.authentication import authenticate, bearer_tokens, requested_workspace
from blaxel_constructs.emulator.context import Caller, Emulator, current_caller, current_emulator
from blaxel_constructs.emulator.input_validation import clean_model
from blaxel_constructs.emulator.pagination import PageRequest, paginate
from blaxel_constructs.emulator.payloads import ApiError, json_response, read_json_body
from blaxel_constructs.emulator.tokens import TokenExpired, TokenGrant
from blaxel_constructs.emulator.versioning import VERSION_HEADER, is_paginated, resolve_version

__all__ = ["models_api"]

models_api = Blueprint("models", __name__, url_prefix="/v0")
# Route parameters keep the spec's name (``modelName``) so that the stats show the spec's path templates.


def _token_grant(emulator: Emulator) -> TokenGrant | None:
    """The grant of the first valid OAuth token in the auth headers; 401 "token expired" if there is only an
    expired one, None if there is none."""
    expired = False
    for token in bearer_tokens(request.headers):
        try:
            grant = emulator.tokens.verify(token)
        except TokenExpired:
            expired = True
            continue
        if grant is not None:
            return grant
    if expired:
        raise ApiError(401, "Unauthorized", "token expired")
    return None


@models_api.before_request
def _authorize() -> None:
    """401 without an accepted key or token, 403 for another workspace, 400 for an unknown API version."""
    emulator = current_emulator()
    config = emulator.config
    identity = authenticate(request.headers, config.api_keys)
    grant = None
    if identity is None:
        grant = _token_grant(emulator)
        if grant is None:
            raise ApiError(401, "Unauthorized")
        identity = grant.identity
    workspace = requested_workspace(request.headers, request.args, config.workspace)
    if workspace != config.workspace or (grant is not None and grant.workspace != workspace):
        raise ApiError(403, "Forbidden", f"this credential has no access to workspace {workspace!r}")
    version = resolve_version(request.headers.get(VERSION_HEADER))
    g.caller = Caller(identity=identity, workspace=workspace, version=version)


@models_api.get("/models")
def list_models() -> Response:
    """All models (old versions) or one page of them (from 2026-04-28)."""
    caller = current_caller()
    page = PageRequest.from_query(request.args) if is_paginated(caller.version) else None
    models = current_emulator().machine.list(caller.workspace)
    return json_response(models if page is None else paginate(models, page))


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
