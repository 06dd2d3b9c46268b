"""The OpenAPI 3 document, built from the same marshmallow schemas the views use."""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app, jsonify

from .. import patterns
from ..attachments.schemas import AttachmentReceivedSchema
from ..devices.schemas import PairRequestSchema, PairResponseSchema
from ..places.schemas import BulkPlacesSchema, PlaceListSchema
from ..submissions.schemas import (
    BatchResultSchema,
    ItemSchema,
    ReceiptSchema,
    StatusRequestSchema,
    StatusResultSchema,
)
from ..surveys.schemas import SurveyDetailSchema, SurveyListSchema

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "description": "stable, see docs/api.md"},
        "message": {"type": "string", "description": "in the request's language"},
        "details": {"type": "object"}}}},
}
DEVICE = [{"device": []}, {"link": []}]


def _json(schema: str | dict) -> dict:
    ref = schema if isinstance(schema, dict) else {"$ref": f"#/components/schemas/{schema}"}
    return {"content": {"application/json": {"schema": ref}}}


def _errors(*codes: int) -> dict:
    """Error answers of one operation. Every operation may answer 400 (control characters
    in its address or headers: server/web/boundary.py)."""
    return {str(c): {"description": "error", **_json("Error")} for c in sorted({400, *codes})}


def build_spec(version: str) -> dict:
    spec = APISpec(title="Willay sync API", version=version, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Offline-first sync for surveys and citizen feedback. "
                                        "See docs/api.md."})
    spec.components.security_scheme("device", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("link", {"type": "apiKey", "in": "header",
                                             "name": "X-Willay-Link"})
    spec.components.schema("Error", ERROR_SCHEMA)
    for name, schema in {
        "SubmissionItem": ItemSchema, "BatchResult": BatchResultSchema,
        "StatusRequest": StatusRequestSchema, "StatusResult": StatusResultSchema,
        "Receipt": ReceiptSchema, "SurveyList": SurveyListSchema,
        "SurveyDetail": SurveyDetailSchema, "PlaceList": PlaceListSchema,
        "BulkPlaces": BulkPlacesSchema, "PairRequest": PairRequestSchema,
        "PairResponse": PairResponseSchema, "AttachmentReceived": AttachmentReceivedSchema,
    }.items():
        spec.components.schema(name, schema=schema)
    items = {"type": "array", "maxItems": 100,
             "items": {"$ref": "#/components/schemas/SubmissionItem"}}
    batch = {"type": "object", "required": ["submissions"], "properties": {"submissions": items}}
    code_param = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    spec.path("/devices/pair", operations={"post": {
        "summary": "Exchange a one-time pairing code for a device token",
        "requestBody": _json("PairRequest"),
        "responses": {"201": {"description": "paired", **_json("PairResponse")},
                      **_errors(400, 404, 409, 413, 415, 422, 429)}}})
    spec.path("/surveys", operations={"get": {
        "summary": "Surveys this device or link may fill (latest published versions)",
        "security": DEVICE, "responses": {"200": {"description": "ok", **_json("SurveyList")},
                                          "304": {"description": "unchanged"},
                                          **_errors(401)}}})
    spec.path("/surveys/{code}", operations={"get": {
        "summary": "Latest published version of a survey, with its definition",
        "security": DEVICE, "parameters": [code_param],
        "responses": {"200": {"description": "ok", **_json("SurveyDetail")},
                      "304": {"description": "unchanged"}, **_errors(401, 404)}}})
    spec.path("/surveys/{code}/versions/{number}", operations={"get": {
        "summary": "One published version", "security": DEVICE,
        "parameters": [code_param, {"name": "number", "in": "path", "required": True,
                                    "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok", **_json("SurveyDetail")},
                      **_errors(401, 404)}}})
    spec.path("/surveys/{code}/versions/{number}/files/{name}", operations={"get": {
        "summary": "A file of a published version (choice list, label image, audio, video); "
                   "ETag is its SHA-256, cached as immutable",
        "security": DEVICE,
        "parameters": [code_param, {"name": "number", "in": "path", "required": True,
                                    "schema": {"type": "integer"}},
                       {"name": "name", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the file's bytes, with its content type",
                              "content": {"*/*": {"schema": {"type": "string",
                                                             "format": "binary"}}}},
                      "304": {"description": "unchanged"}, **_errors(401, 404)}}})
    spec.path("/places", operations={"get": {
        "summary": "Children of a place, or an accent-insensitive name search",
        "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}}
                       for n in ("parent", "q", "level", "limit")],
        "responses": {"200": {"description": "ok", **_json("PlaceList")}, **_errors(404, 422)}}})
    spec.path("/places/bulk/{department}", operations={"get": {
        "summary": "All places of a department as compact rows, for offline use",
        "parameters": [{"name": "department", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", **_json("BulkPlaces")}, **_errors(404)}}})
    spec.path("/places/{code}/boundaries.geojson", operations={"get": {
        "summary": "District outlines of a department or province (GeoJSON, for maps)",
        "parameters": [{"name": "code", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "a FeatureCollection, one feature per district",
                              "content": {"application/geo+json": {"schema": {
                                  "type": "object"}}}},
                      "304": {"description": "unchanged"}, **_errors(404)}}})
    spec.path("/submissions", operations={"post": {
        "summary": "Upload up to 100 submissions; one result per item, in order",
        "security": DEVICE, "requestBody": _json(batch),
        "responses": {"200": {"description": "per-item outcomes", **_json("BatchResult")},
                      **_errors(400, 401, 413, 415, 422)}}})
    spec.path("/submissions/status", operations={"post": {
        "summary": "Which of these UUIDs the server holds", "security": DEVICE,
        "requestBody": _json("StatusRequest"),
        "responses": {"200": {"description": "ok", **_json("StatusResult")},
                      **_errors(400, 401, 413, 415, 422)}}})
    spec.path("/attachments/{sha256}", operations={"put": {
        "summary": "Upload a photo or recording by its SHA-256 (idempotent)",
        "security": DEVICE,
        "parameters": [{"name": "sha256", "in": "path", "required": True,
                        "schema": {"type": "string", "pattern": patterns.SHA256}}],
        "requestBody": {"content": {"image/*": {"schema": {"type": "string",
                                                           "format": "binary"}},
                                    "audio/*": {"schema": {"type": "string",
                                                           "format": "binary"}}}},
        "responses": {"200": {"description": "already held", **_json("AttachmentReceived")},
                      "201": {"description": "stored", **_json("AttachmentReceived")},
                      **_errors(400, 401, 413, 415, 422)}}})
    spec.path("/receipts/{code}", operations={"get": {
        "summary": "A resident's receipt: status and any answer, in the requested language",
        "parameters": [code_param],
        "responses": {"200": {"description": "ok", **_json("Receipt")}, **_errors(404, 429)}}})
    spec.path("/i18n/{tag}", operations={"get": {
        "summary": "The app's interface strings for a language (es-PE or qu), from the catalogs",
        "parameters": [{"name": "tag", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "{locale, messages: {msgid: text}}"},
                      "304": {"description": "unchanged"}, **_errors(404)}}})
    return spec.to_dict()


@bp.get("/openapi.json")
def spec():
    cached = current_app.extensions.get("willay_openapi")
    if cached is None:
        cached = current_app.extensions["willay_openapi"] = build_spec("1")
    return jsonify(cached)
