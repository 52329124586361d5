"""The API reference page's data: the operations of the OpenAPI schema, grouped by path
prefix, read from the NinjaAPI itself so the page can never disagree with `/api/openapi.json`.

Why a page of our own: the Swagger UI bundle is 1.5 MB of JavaScript and showed "LOADING"
for 9.7 s on a slow phone in the trial; this page is server-rendered HTML of ~20 KB. The
interactive Swagger UI stays at /api/swagger for those who want to try requests.
"""

from __future__ import annotations

from functools import lru_cache

from dailypapers.api.ninja_api import api

GROUPS = (
    ("/api/v1/", "This site's API (/api/v1/)"),
    ("/api/", "Hugging Face–compatible endpoints"),
)


def _schema_type(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_schema_type(part) for part in schema["anyOf"] if part.get("type") != "null")
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_schema_type(schema.get('items', {}))}"
    return schema.get("format") or schema.get("type") or "value"


def _parameter(raw: dict) -> dict:
    schema = raw.get("schema", {})
    return {
        "name": raw["name"],
        "where": raw.get("in", ""),
        "required": raw.get("required", False),
        "type": _schema_type(schema),
        "description": raw.get("description") or schema.get("description", ""),
        "default": schema.get("default"),
    }


def _body(operation: dict) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    for media, body in content.items():
        return f"{media}: {_schema_type(body.get('schema', {}))}"
    return ""


@lru_cache(maxsize=1)
def api_operations() -> list[dict]:
    """[{"title", "operations": [{method, path, summary, description, parameters, body,
    statuses, needs_auth, anchor}]}], in the schema's order; built once per process."""
    schema = api.get_openapi_schema(path_prefix="/api/")
    groups = [{"title": title, "prefix": prefix, "operations": []} for prefix, title in GROUPS]
    for path, methods in schema["paths"].items():
        group = next(g for g in groups if path.startswith(g["prefix"]))
        for method, operation in methods.items():
            group["operations"].append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [_parameter(p) for p in operation.get("parameters", [])],
                    "body": _body(operation),
                    "statuses": sorted(str(code) for code in operation.get("responses", {})),
                    "needs_auth": bool(operation.get("security")),
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                }
            )
    return [group for group in groups if group["operations"]]
