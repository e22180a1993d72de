"""The OpenAPI document, made by spectree from the views' pydantic models.

spectree over flask-smorest or APIFlask: pydantic v2 writes JSON Schema 2020-12, which is
OpenAPI 3.1's own dialect (apispec converts marshmallow fields to 3.0-style schemas and
its 3.1 output is partial); it works on a plain Flask app and blueprint (APIFlask replaces
the application class); and pydantic's error types are stable codes, which we word in
the caller's language (problems.VALIDATION_MESSAGES)."""
from __future__ import annotations

import re
from typing import Any

from flask import current_app
from spectree import SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

from portal.api.cooperation_schemas import KIND_TAGS
from portal.api.problems import MEDIA_TYPE, Problem, validation_errors
from portal.api.schemas import POSTING_TAGS, ProblemOut


def _refuse_invalid(_request: Any, _response: Any, error: Exception | None,  # noqa: ANN401
                    _instance: Any, _adapter: Any) -> None:  # noqa: ANN401
    """spectree's hook before the view: invalid input becomes a problem answer."""
    if error is not None:
        raise Problem(422, errors=validation_errors(error.errors(), POSTING_TAGS | KIND_TAGS))


api_spec = SpecTree(
    "flask", mode="strict", before=_refuse_invalid, title="产教融合对接平台 API",
    version="1", description=(
        "Postings and organisations of the school–enterprise cooperation portal. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are created under "
        "Settings → API tokens). Errors are RFC 9457 problem details in the language of "
        "`Accept-Language`."),
    security_schemes=[SecurityScheme(
        name="token", data=SecuritySchemeData(type="http", scheme="bearer"))],
    security={"token": []}, validation_error_model=ProblemOut,
    # Schemas under their own names (spectree adds a hash of the module by default).
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child)


def document() -> dict[str, Any]:
    """The document of the current app (built from its routes once, then kept)."""
    if "api_document" not in current_app.extensions:
        # Not the cached `spec` property: that would keep the first app's routes for all.
        current_app.extensions["api_document"] = _finished(api_spec._generate_spec())
    return current_app.extensions["api_document"]


_OAUTH_ERROR = {"application/json": {"schema": {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}}}}}
# The token endpoint answers as RFC 6749 says (not problem details), so it is described
# here rather than by a model.
TOKEN_OPERATION = {
    "operationId": "oauth_token", "tags": ["oauth"],
    "summary": "An access token for a registered client (OAuth 2.0 client credentials).",
    "description": "Authenticate with the client's id and secret by HTTP Basic or in the "
                   "form. The token acts for an hour, within the scopes asked for and "
                   "granted to the client; send it as `Authorization: Bearer <token>`.",
    "security": [{"client": []}, {}],
    "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "required": ["grant_type"], "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials"]},
            "scope": {"type": "string", "maxLength": 100,
                      "description": "Space-separated: read, write, coordinator."},
            "client_id": {"type": "string", "maxLength": 40},
            "client_secret": {"type": "string", "maxLength": 100}}}}}},
    "responses": {
        "200": {"description": "The token", "content": {"application/json": {"schema": {
            "type": "object", "required": ["access_token", "token_type", "expires_in"],
            "properties": {"access_token": {"type": "string"},
                           "token_type": {"type": "string", "enum": ["Bearer"]},
                           "expires_in": {"type": "integer"}, "scope": {"type": "string"}}}}}},
        "400": {"description": "Bad Request", "content": _OAUTH_ERROR},
        "401": {"description": "Unauthorized", "content": _OAUTH_ERROR},
        "413": {"description": "Content Too Large",
                "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}},
        "414": {"description": "URI Too Long",
                "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}},
        "429": {"description": "Too Many Requests",
                "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}}},
}


def _finished(spec: dict[str, Any]) -> dict[str, Any]:
    """Operation ids as the views are named, errors as problem+json, and the token
    endpoint."""
    views = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods or ():
                views[(path, method.lower())] = rule.endpoint.rpartition(".")[2]
    problem = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            operation["operationId"] = views.get((path, method), operation["operationId"])
            # Any request may be refused before its view for its size (security.py).
            operation["responses"].setdefault(
                "413", {"description": "Content Too Large", "content": problem})
            operation["responses"].setdefault(
                "414", {"description": "URI Too Long", "content": problem})
            for code, answer in operation["responses"].items():
                content = answer.get("content", {})
                if code.startswith(("4", "5")) and "application/json" in content:
                    answer["content"] = {MEDIA_TYPE: content["application/json"]}
    spec["paths"]["/api/v1/oauth/token"] = {"post": TOKEN_OPERATION}
    spec["components"]["securitySchemes"]["client"] = {"type": "http", "scheme": "basic"}
    return spec
