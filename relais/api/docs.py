"""Turn the OpenAPI schema into what the documentation page shows.

The page is plain HTML rendered on the server: it works on an isolated network and
without JavaScript, unlike the usual Swagger UI loaded from a CDN.
"""

from collections import OrderedDict

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]
FORMATS = {
    "uuid": "UUID",
    "date": "date (AAAA-MM-JJ)",
    "date-time": "date-heure ISO 8601 avec fuseau",
    "email": "e-mail",
}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_parts(schema: dict | None) -> list[dict]:
    """A type as a list of segments: {"text": ...} or {"ref": SchemaName}."""
    if not schema:
        return [{"text": "—"}]
    if "$ref" in schema:
        return [{"ref": _ref_name(schema["$ref"])}]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            nullable = len(options) < len(schema[key])
            parts: list[dict] = []
            for index, option in enumerate(options):
                if index:
                    parts.append({"text": " ou "})
                parts.extend(type_parts(option))
            if nullable:
                parts.append({"text": " ou null"})
            return parts
    kind = schema.get("type")
    if "enum" in schema:
        return [{"text": "une valeur parmi : " + ", ".join(str(v) for v in schema["enum"])}]
    if kind == "array":
        return [{"text": "liste de "}, *type_parts(schema.get("items"))]
    if kind == "string":
        text = FORMATS.get(schema.get("format", ""), "texte")
        if "maxLength" in schema:
            text += f", {schema['maxLength']} caractères au plus"
        if "pattern" in schema:
            text += f", motif {schema['pattern']}"
        return [{"text": text}]
    if kind == "integer":
        bounds = []
        if "minimum" in schema:
            bounds.append(f"≥ {schema['minimum']}")
        if "maximum" in schema:
            bounds.append(f"≤ {schema['maximum']}")
        return [{"text": "entier" + (f" ({', '.join(bounds)})" if bounds else "")}]
    if kind == "boolean":
        return [{"text": "booléen (true / false)"}]
    if kind == "number":
        return [{"text": "nombre"}]
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return [{"text": "objet : nom → "}, *type_parts(extra)]
        return [{"text": "objet"}]
    return [{"text": kind or "valeur"}]


def _operation(path: str, method: str, op: dict) -> dict:
    params = [
        {
            "name": p["name"],
            "where": {"query": "requête", "path": "chemin", "header": "en-tête"}.get(
                p["in"], p["in"]
            ),
            "required": p.get("required", False),
            "type": type_parts(p.get("schema")),
            "default": p.get("schema", {}).get("default"),
            "description": p.get("description") or p.get("schema", {}).get("description", ""),
        }
        for p in op.get("parameters", [])
    ]
    body = None
    if "requestBody" in op:
        content = op["requestBody"].get("content", {})
        media = content.get("application/json") or next(iter(content.values()), {})
        body = type_parts(media.get("schema"))
    responses = []
    for code, response in sorted(op.get("responses", {}).items()):
        content = response.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        responses.append(
            {
                "code": code,
                "description": response.get("description", ""),
                "type": type_parts(media.get("schema")) if media else None,
            }
        )
    return {
        "anchor": op.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "params": params,
        "body": body,
        "responses": responses,
    }


def _schema(name: str, schema: dict) -> dict:
    required = set(schema.get("required", []))
    return {
        "name": name,
        "description": schema.get("description", ""),
        "enum": schema.get("enum"),
        "properties": [
            {
                "name": prop,
                "required": prop in required,
                "type": type_parts(spec),
                "description": spec.get("description", ""),
            }
            for prop, spec in schema.get("properties", {}).items()
        ],
    }


def describe(schema: dict) -> dict:
    tags: OrderedDict[str, list] = OrderedDict()
    for path, methods in schema.get("paths", {}).items():
        for method in sorted(methods, key=lambda m: METHOD_ORDER.index(m)):
            op = methods[method]
            tag = (op.get("tags") or ["Autres"])[0]
            tags.setdefault(tag, []).append(_operation(path, method, op))
    components = schema.get("components", {}).get("schemas", {})
    return {
        "info": schema.get("info", {}),
        "tags": [{"name": name, "operations": ops} for name, ops in tags.items()],
        "schemas": [_schema(name, components[name]) for name in sorted(components)],
        "openapi_version": schema.get("openapi", ""),
    }
