"""The integration connections API under ``/v0``: authenticate (``api_access``), decode, one registry call,
encode. Errors are raised and rendered by the app's handlers (``error_responses``).

| route | answer |
|---|---|
| ``GET /v0/integrations/connections`` | 200, a bare array at every version (as in the spec and the official SDK) |
| ``POST /v0/integrations/connections`` | 200 with the connection, 400 invalid, 409 if the name exists |
| ``GET /v0/integrations/connections/{connectionName}`` | 200, 404 |
| ``PUT /v0/integrations/connections/{connectionName}`` | 200 with the connection, 400, 404 |
| ``DELETE /v0/integrations/connections/{connectionName}`` | 200 with the deleted one, 404, 409 when models use it |

Every answer shows the secret's keys with each value masked as ``rules.SECRET_MASK`` (``"********"``);
``connection_registry`` says how a PUT treats the secret.
"""

from __future__ import annotations

from flask import Blueprint, Response

from blaxel_constructs.emulator.api_access import authorize_api_request
from blaxel_constructs.emulator.context import current_caller, current_emulator
from blaxel_constructs.emulator.input_validation import clean_connection
from blaxel_constructs.emulator.payloads import json_response, read_json_body

__all__ = ["connections_api"]

connections_api = Blueprint("connections", __name__, url_prefix="/v0/integrations")
# Route parameters keep the spec's name (``connectionName``) so that the stats show the spec's path templates.
connections_api.before_request(authorize_api_request)


@connections_api.get("/connections")
def list_connections() -> Response:
    """Every connection of the workspace, newest first."""
    return json_response(current_emulator().connections.list(current_caller().workspace))


@connections_api.post("/connections")
def create_connection() -> Response:
    """Create a connection."""
    caller = current_caller()
    document = clean_connection(read_json_body())
    return json_response(current_emulator().connections.create(caller.workspace, document, identity=caller.identity))


@connections_api.get("/connections/<connectionName>")
def get_connection(connectionName: str) -> Response:
    """One connection."""
    return json_response(current_emulator().connections.get(current_caller().workspace, connectionName))


@connections_api.put("/connections/<connectionName>")
def update_connection(connectionName: str) -> Response:
    """Replace a connection's document; it takes effect at once for the models using it."""
    caller = current_caller()
    document = clean_connection(read_json_body(), path_name=connectionName)
    return json_response(
        current_emulator().connections.update(caller.workspace, connectionName, document, identity=caller.identity)
    )


@connections_api.delete("/connections/<connectionName>")
def delete_connection(connectionName: str) -> Response:
    """Delete a connection that no model names."""
    return json_response(current_emulator().connections.delete(current_caller().workspace, connectionName))
