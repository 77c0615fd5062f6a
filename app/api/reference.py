"""A readable API reference at /api/v1/docs, rendered on the server from the OpenAPI document.

No Swagger UI and nothing from a CDN: the page is plain HTML built from ``app.openapi()``, so
it always describes the API the app serves. The document's text is English; the page marks it
``lang="en"`` and translates only its own frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from app.templating import render

router = APIRouter(prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


@dataclass
class Row:
    name: str
    where: str
    type: Markup
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: Markup
    parameters: list[Row]
    responses: list[tuple[str, str, Markup]]


@dataclass
class Section:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Schema:
    name: str
    description: str
    properties: list[Row]


def markdown(text: str) -> Markup:
    """The little Markdown the document uses: paragraphs, ``- `` lists, code, bold, italics."""
    html: list[Markup] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines()]
        if lines and lines[0].startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:
                    items[-1] += " " + line
            li = Markup("").join(Markup("<li>{0}</li>").format(_inline(i)) for i in items)
            html.append(Markup("<ul>{0}</ul>").format(li))
        elif lines:
            html.append(Markup("<p>{0}</p>").format(_inline(" ".join(lines))))
    return Markup("").join(html)


def _inline(text: str) -> Markup:
    out: list[Markup] = []
    last = 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[last : m.start()]))
        code, bold, em = m.groups()
        if code is not None:
            out.append(Markup("<code>{0}</code>").format(code))
        elif bold is not None:
            out.append(Markup("<strong>{0}</strong>").format(bold))
        else:
            out.append(Markup("<em>{0}</em>").format(em))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def type_of(schema: dict[str, Any]) -> Markup:
    """A schema in a few words, with a link to each named schema it refers to."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    if "anyOf" in schema:
        return Markup(" | ").join(type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return Markup("array of {0}").format(type_of(schema.get("items", {})))
    kind = str(schema.get("type", "any"))
    if "format" in schema:
        kind += f" ({schema['format']})"
    if "const" in schema:
        kind += f" = {schema['const']}"
    return Markup("{0}").format(kind)


def sections(doc: dict[str, Any]) -> list[Section]:
    """The operations grouped by tag, in the document's tag order."""
    by_tag = {t["name"]: Section(t["name"], t.get("description", "")) for t in doc.get("tags", [])}
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = _operation(method, path, item[method])
                tag = (item[method].get("tags") or ["other"])[0]
                by_tag.setdefault(tag, Section(tag, "")).operations.append(op)
    return [s for s in by_tag.values() if s.operations]


def _operation(method: str, path: str, op: dict[str, Any]) -> Operation:
    params = [
        Row(
            p["name"],
            p["in"],
            type_of(p.get("schema", {})),
            bool(p.get("required")),
            p.get("description", ""),
        )
        for p in op.get("parameters", [])
    ]
    responses = []
    for status, r in op.get("responses", {}).items():
        bodies: list[dict[str, Any]] = list(r.get("content", {}).values())
        schema = bodies[0].get("schema") if bodies else None
        responses.append(
            (status, r.get("description", ""), type_of(schema) if schema else Markup())
        )
    return Operation(
        method=method.upper(),
        path=path,
        anchor=op.get("operationId", f"{method}-{path}"),
        summary=op.get("summary", ""),
        description=markdown(op.get("description", "")),
        parameters=params,
        responses=responses,
    )


def schemas(doc: dict[str, Any]) -> list[Schema]:
    """Every named schema with its properties."""
    out = []
    for name, s in sorted(doc.get("components", {}).get("schemas", {}).items()):
        required = set(s.get("required", []))
        props = [
            Row(p, "", type_of(ps), p in required, ps.get("description", ""))
            for p, ps in s.get("properties", {}).items()
        ]
        out.append(Schema(name, s.get("description", ""), props))
    return out


@router.get(
    "/docs",
    response_class=HTMLResponse,
    include_in_schema=False,
    openapi_extra={"x-roles": "public"},
)
def api_reference(request: Request) -> Response:
    doc = request.app.openapi()
    ctx = {
        "info": doc["info"],
        "description": markdown(doc["info"].get("description", "")),
        "sections": sections(doc),
        "schemas": schemas(doc),
    }
    return render(request, "api/reference.html", ctx)
