"""Jira's own OpenAPI description as a contract for every request campaign-guard sends.

``tests/data/jira-platform-v3.json`` is Atlassian's OpenAPI 3.0.1 description of the Jira
Cloud platform REST API (v3). REST API v2 has the same operations and schemas except that
rich-text fields are wiki-markup strings instead of ADF documents, so a v2 path is
checked against its v3 twin with ``description``/``body``/``environment`` relaxed to also
accept a string. ``/rest/api/2/search`` (Data Center's search) is checked against the
v3 ``/rest/api/3/search`` description, narrowed to the query parameters Data Center
documents for it (no ``properties``, no ``fieldsByKeys``, no ``failFast``: Jira DC REST
API 9.x reference); on Cloud that search answers 410, so it is a problem when
``cloud=True`` (and ``/rest/api/3/search`` always is).

* :func:`check_request` returns the problems of one request (empty: it is valid);
* :func:`assert_all_calls_valid` checks every call ``responses`` recorded;
* :func:`recording` / the ``jira_contract`` fixture: a ``responses.RequestsMock`` whose
  calls are all checked when it closes.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses
from jsonschema import Draft4Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "jira-platform-v3.json"
"""Atlassian's OpenAPI file, copied into the repository as test data."""

_BASE = "urn:jira-platform-v3"
_RICH_TEXT = ("description", "body", "environment")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_GONE_ON_CLOUD = "/rest/api/3/search"
_DC_SEARCH = "/rest/api/2/search"
_DC_SEARCH_PARAMETERS = frozenset(
    {"jql", "startAt", "maxResults", "validateQuery", "fields", "expand"}
)
"""What Data Center's search reads; it silently ignores anything else (``properties``)."""
_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Template:
    path: str
    pattern: re.Pattern[str]
    variables: int


def _load() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    _nullable_to_json_schema(data.get("components", {}))
    return data


_SPEC: dict[str, Any] | None = None


def spec() -> dict[str, Any]:
    """The OpenAPI document, loaded once per process (it is about 2.4 MB)."""
    global _SPEC  # noqa: PLW0603 - the module-level cache the file size calls for
    with _LOCK:
        if _SPEC is None:
            _SPEC = _load()
        return _SPEC


def _nullable_to_json_schema(node: object) -> None:
    """OpenAPI 3.0's ``nullable: true`` as a JSON Schema type list, in place."""
    if isinstance(node, dict):
        kind = node.get("type")
        if node.get("nullable") is True and isinstance(kind, str):
            node["type"] = [kind, "null"]
        for value in node.values():
            _nullable_to_json_schema(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_to_json_schema(value)


def _relax_rich_text(node: object) -> None:
    """Let every ``description``/``body``/``environment`` property also be a string."""
    if isinstance(node, dict):
        for value in node.values():
            _relax_rich_text(value)
        props = node.get("properties")
        if isinstance(props, dict):
            for name in _RICH_TEXT:
                sub = props.get(name)
                if isinstance(sub, dict):
                    props[name] = {"anyOf": [{"type": "string"}, sub]}
    elif isinstance(node, list):
        for value in node:
            _relax_rich_text(value)


@cache
def _registry(v2: bool) -> Registry[Any]:
    document = spec()
    if v2:
        document = {"components": copy.deepcopy(document["components"])}
        _relax_rich_text(document["components"])
    else:
        document = {"components": document["components"]}
    resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT4)
    registry: Registry[Any] = Registry().with_resource(_BASE, resource)
    return registry


@cache
def _validator(schema_json: str, v2: bool) -> Draft4Validator:
    schema = _absolute_refs(json.loads(schema_json))
    return Draft4Validator(schema, registry=_registry(v2))


def _absolute_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                _BASE + v
                if k == "$ref" and isinstance(v, str) and v.startswith("#")
                else _absolute_refs(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(v) for v in node]
    return node


@cache
def _templates() -> tuple[_Template, ...]:
    found: list[_Template] = []
    for path in spec()["paths"]:
        parts = path.split("/")
        regex = "/".join(
            "[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
        )
        variables = sum(1 for p in parts if p.startswith("{"))
        found.append(_Template(path, re.compile(regex + r"\Z"), variables))
    # literal segments win over templated ones: /issue/createmeta before /issue/{id}
    found.sort(key=lambda t: (t.variables, t.path))
    return tuple(found)


def _match(path: str) -> str | None:
    for template in _templates():
        if template.pattern.match(path):
            return template.path
    return None


def _parameters(path_item: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for declared in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        if "$ref" in declared:
            name = declared["$ref"].rsplit("/", 1)[-1]
            declared = spec()["components"]["parameters"][name]  # noqa: PLW2901
        params.append(declared)
    return params


def check_request(
    method: str,
    url: str,
    body: bytes | str | None,
    content_type: str | None,
    *,
    cloud: bool | None = None,
) -> list[str]:
    """The ways this request differs from Jira's OpenAPI description (empty: none).

    ``url`` may be a full URL or a path (a context path before ``/rest/`` is ignored).
    ``cloud`` says which deployment the request is for, when known.
    """
    parts = urlsplit(url)
    path = parts.path
    at = path.find("/rest/")
    if at < 0:
        return [f"{method} {path}: not a Jira REST path"]
    path = path[at:]
    where = f"{method.upper()} {path}"
    problems: list[str] = []
    v2 = path.startswith("/rest/api/2/")
    if path == _DC_SEARCH:
        if cloud:
            problems.append(f"{where}: answers 410 on Jira Cloud; use /rest/api/3/search/jql")
    elif path == _GONE_ON_CLOUD:
        problems.append(f"{where}: answers 410 on Jira Cloud; use /rest/api/3/search/jql")
    v3_path = "/rest/api/3/" + path.removeprefix("/rest/api/2/") if v2 else path
    template = _match(v3_path)
    if template is None:
        return [*problems, f"{where}: no such path in Jira's REST API"]
    path_item: dict[str, Any] = spec()["paths"][template]
    operation = path_item.get(method.lower())
    if method.lower() not in _METHODS or not isinstance(operation, dict):
        allowed = sorted(m.upper() for m in path_item if m in _METHODS)
        return [*problems, f"{where}: method not allowed on {template} (allowed: {allowed})"]
    params = _parameters(path_item, operation)
    declared = {p["name"] for p in params if p.get("in") == "query"}
    if path == _DC_SEARCH and cloud is False:
        declared &= _DC_SEARCH_PARAMETERS
    for name, _ in parse_qsl(parts.query, keep_blank_values=True):
        if name not in declared:
            owner = "Data Center's search" if path == _DC_SEARCH and cloud is False else template
            problems.append(f"{where}: query parameter {name!r} is not declared for {owner}")
    problems += _check_body(where, operation, body, content_type, v2)
    return problems


def _check_body(
    where: str,
    operation: dict[str, Any],
    body: bytes | str | None,
    content_type: str | None,
    v2: bool,
) -> list[str]:
    request_body = operation.get("requestBody")
    has_body = body is not None and len(body) > 0
    if not isinstance(request_body, dict):
        return [f"{where}: sends a body but the operation takes none"] if has_body else []
    if not has_body:
        if request_body.get("required"):
            return [f"{where}: the operation requires a body"]
        return []
    media = (content_type or "").split(";", 1)[0].strip().lower()
    content: dict[str, Any] = request_body.get("content", {})
    if media not in content:
        return [f"{where}: content type {media or 'none'!r} not accepted ({sorted(content)})"]
    if media != "application/json" or body is None:
        return []  # multipart uploads: path and method only
    return _check_json(where, content[media].get("schema", {}), body, v2)


def _check_json(where: str, schema: dict[str, Any], body: bytes | str, v2: bool) -> list[str]:
    try:
        document = json.loads(body)
    except ValueError:
        return [f"{where}: the body is not JSON"]
    validator = _validator(json.dumps(schema, sort_keys=True), v2)
    return [
        f"{where}: body{''.join(f'[{p!r}]' for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: str(list(e.path)))
    ]


def _prepared_problems(request: Any, cloud: bool | None) -> list[str]:
    body = request.body
    if hasattr(body, "read"):
        body = None  # a stream: nothing we can re-read
    content_type = request.headers.get("Content-Type")
    return check_request(request.method or "", request.url or "", body, content_type, cloud=cloud)


def problems_in_calls(calls: Iterable[Any], *, cloud: bool | None = None) -> list[str]:
    """The contract problems of every call ``responses`` recorded."""
    problems: list[str] = []
    for call in calls:
        problems += _prepared_problems(call.request, cloud)
    return problems


def assert_all_calls_valid(calls: Iterable[Any], *, cloud: bool | None = None) -> None:
    """Fail the test if any recorded call breaks Jira's contract."""
    problems = problems_in_calls(calls, cloud=cloud)
    assert not problems, "requests Jira would not accept:\n" + "\n".join(problems)


@contextlib.contextmanager
def recording(*, cloud: bool | None = None) -> Iterator[responses.RequestsMock]:
    """A ``responses`` mock whose calls are all checked against the contract at exit."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        calls = list(mock.calls)
    assert_all_calls_valid(calls, cloud=cloud)


@pytest.fixture
def jira_contract() -> Iterator[responses.RequestsMock]:
    """``responses`` mock; after the test, every recorded call must match the contract."""
    with recording() as mock:
        yield mock
