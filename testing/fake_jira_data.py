"""What the fake Jira knows, how it shows it, and how it checks a field value.

:class:`JiraData` is the part of :class:`~testing.fake_jira.FakeJira` that holds
no issues: the project, the issue types, a create screen per issue type, the users,
the components and the workflow's transitions (plain attributes a test may change),
the way a deployment shows them (Cloud: ``accountId``, ``issueTypes``/``fields`` pages;
Data Center 9: ``name``, ``values`` pages with ``isLast``), the read-only routes over
them (``project/{key}``, ``user/search``, ``issue/createmeta/…``) and Jira's checks of
the ``fields`` of a create or edit against the create screen.

The defaults: issue types ``Task`` (10001) and ``Marketing Campaign Launch`` (10050);
the latter's screen has the system fields and six custom fields (campaign name, launch
date, expected traffic, landing page, new data fields, load verdict); users Dana Ops
(``5b10ac8d82e05b22cc7d4ef5`` / ``dana``) and the Bot the credentials belong to.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlsplit

Query = Mapping[str, list[str]]

PROJECT_ID = "10000"
PROJECT_NAME = "Operations"
TASK = "10001"
CAMPAIGN_LAUNCH = "10050"
CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes:"
"""Prefix of the ``schema.custom`` of Jira's built-in custom field types."""
VERDICT_OPTIONS: tuple[dict[str, str], ...] = (
    {"id": "10100", "value": "OK"},
    {"id": "10101", "value": "Scale up"},
    {"id": "10102", "value": "Overload"},
)
STATUS_CATEGORIES: dict[str, dict[str, Any]] = {
    "new": {"id": 2, "key": "new", "name": "To Do", "colorName": "blue-gray"},
    "indeterminate": {
        "id": 4,
        "key": "indeterminate",
        "name": "In Progress",
        "colorName": "yellow",
    },
    "done": {"id": 3, "key": "done", "name": "Done", "colorName": "green"},
}
"""Jira's three status categories, as ``StatusDetails.statusCategory`` shows them."""


def status_view(ident: str, name: str, category: str) -> dict[str, Any]:
    """A status as Jira shows one (``StatusDetails``): with its category."""
    return {"id": ident, "name": name, "statusCategory": dict(STATUS_CATEGORIES[category])}


OPEN = status_view("1", "Open", "new")
"""The status of a new issue."""
IN_REVIEW = status_view("3", "In Review", "indeterminate")
APPROVED = status_view("10002", "Approved", "done")
REJECTED = status_view("10003", "Rejected", "done")
CHANGES_REQUESTED = status_view("10004", "Changes Requested", "new")
STATUSES = (OPEN, IN_REVIEW, APPROVED, REJECTED, CHANGES_REQUESTED)
DANA_ACCOUNT_ID = "5b10ac8d82e05b22cc7d4ef5"
BOT_ACCOUNT_ID = "712020:3f7c2a51-0b6e-4c1d-9a2e-0000000000b0"
NOT_ON_SCREEN = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."

_SHORT_TEXT = 255
_LONG_TEXT = 32_767
_PROPERTY_LIMIT = 32_768
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME = re.compile(
    r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})T"
    r"(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(?P<zone>Z|[+-][0-9]{2}:?[0-9]{2})\Z"
)


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    """One request as a route handler sees it (``key``/``issue`` on ``/issue/{key}/…``)."""

    match: re.Match[str]
    query: Query
    body: Any
    key: str = ""
    issue: dict[str, Any] = field(default_factory=dict)


def invalid(errors: Mapping[str, str]) -> Answer:
    """Jira's 400 for fields: ``errors`` by field id."""
    return Answer(400, {"errorMessages": [], "errors": dict(errors)})


def error(status: int, message: str) -> Answer:
    return Answer(status, {"errorMessages": [message], "errors": {}})


def first(query: Query, name: str) -> str:
    return (query.get(name) or [""])[0]


# --- defaults -------------------------------------------------------------------------


def default_issue_types() -> list[dict[str, Any]]:
    return [
        {"id": TASK, "name": "Task", "description": "A small, distinct piece of work."},
        {
            "id": CAMPAIGN_LAUNCH,
            "name": "Marketing Campaign Launch",
            "description": "A capacity review of a marketing campaign before it launches.",
        },
    ]


def default_users() -> list[dict[str, str]]:
    """Every user, with both their Cloud and Data Center identities."""
    return [
        _person(DANA_ACCOUNT_ID, "dana", "JIRAUSER10100", "Dana Ops", "dana@example.com"),
        _person(BOT_ACCOUNT_ID, "bot", "JIRAUSER10000", "Bot", "bot@example.com"),
    ]


def _person(account_id: str, name: str, key: str, display: str, email: str) -> dict[str, str]:
    return {
        "accountId": account_id,
        "name": name,
        "key": key,
        "displayName": display,
        "emailAddress": email,
    }


def default_transitions() -> list[dict[str, Any]]:
    """The campaign review workflow.

    A transition may name the statuses it leaves (``from``; absent: any status, a global
    transition) and its screen (``fields``: field id → the ``FieldMetadata`` that
    ``expand=transitions.fields`` lists). Jira lists only the transitions open from the
    issue's status, and a POST of another one is a 400 ("Transition id 'x' is not valid
    for this issue": Atlassian's REST reference, "Transition issue", 400 "the request is
    invalid").
    """
    return [
        {"id": "11", "name": "Start review", "to": dict(IN_REVIEW), "from": ["Open"]},
        {"id": "21", "name": "Approve", "to": dict(APPROVED), "from": ["Open", "In Review"]},
        {"id": "31", "name": "Reject", "to": dict(REJECTED), "from": ["Open", "In Review"]},
    ]


def request_changes(*, required: bool = True) -> dict[str, Any]:
    """A "Request changes" transition (41) with a screen asking for a resolution (and an
    optional risk field), for tests of transition screens."""
    return {
        "id": "41",
        "name": "Request changes",
        "to": dict(CHANGES_REQUESTED),
        "from": ["Open", "In Review"],
        "fields": {
            "resolution": screen_field("resolution", "Resolution", "resolution", required=required),
            "customfield_10070": screen_field("customfield_10070", "Risk", "string"),
        },
    }


def system_field(
    field_id: str,
    name: str,
    kind: str,
    *,
    required: bool = False,
    items: str | None = None,
    allowed: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """A system field's create-screen entry (``schema.system`` is its id)."""
    schema: dict[str, Any] = {"type": kind, "system": field_id}
    if items is not None:
        schema["items"] = items
    return _field(field_id, name, schema, required, allowed)


def custom_field(
    number: int,
    name: str,
    kind: str,
    custom: str,
    *,
    required: bool = False,
    allowed: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """``customfield_<number>``'s entry; ``custom`` is the type after :data:`CUSTOM`."""
    schema: dict[str, Any] = {"type": kind, "custom": CUSTOM + custom, "customId": number}
    return _field(f"customfield_{number}", name, schema, required, allowed)


def _field(
    field_id: str,
    name: str,
    schema: dict[str, Any],
    required: bool,
    allowed: Sequence[Mapping[str, Any]] | None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"fieldId": field_id, "key": field_id, "name": name}
    entry.update(required=required, schema=schema, hasDefaultValue=False, operations=["set"])
    if allowed is not None:
        entry["allowedValues"] = [dict(value) for value in allowed]
    return entry


def default_screens(
    project: Mapping[str, str],
    issue_types: Sequence[Mapping[str, Any]],
    components: Sequence[Mapping[str, str]],
) -> dict[str, list[dict[str, Any]]]:
    """The create screen of each issue type, by issue type id."""
    screens: dict[str, list[dict[str, Any]]] = {}
    for issue_type in issue_types:
        kind = {"id": issue_type["id"], "name": issue_type["name"], "subtask": False}
        screen = [
            system_field("project", "Project", "project", required=True, allowed=[project]),
            system_field("issuetype", "Issue Type", "issuetype", required=True, allowed=[kind]),
            system_field("summary", "Summary", "string", required=True),
            system_field("description", "Description", "string"),
            system_field("labels", "Labels", "array", items="string"),
            system_field("duedate", "Due date", "date"),
            system_field("assignee", "Assignee", "user"),
            system_field(
                "components", "Components", "array", items="component", allowed=components
            ),
        ]
        if issue_type["id"] == CAMPAIGN_LAUNCH:
            screen += [
                custom_field(10052, "Campaign name", "string", "textfield"),
                custom_field(10050, "Launch date", "datetime", "datetime"),
                custom_field(10051, "Expected traffic", "number", "float"),
                custom_field(10053, "Landing page", "string", "url"),
                custom_field(10054, "New data fields", "string", "textarea"),
                custom_field(10055, "Load verdict", "option", "select", allowed=VERDICT_OPTIONS),
            ]
        screens[str(issue_type["id"])] = screen
    return screens


# --- the data and its read-only routes --------------------------------------------------


class JiraData:
    """Project, issue types, screens, users, components and transitions, as Jira shows them."""

    def __init__(self, *, cloud: bool, project: str) -> None:
        self.cloud = cloud
        self.project = project
        self.project_id = PROJECT_ID
        self.project_name = PROJECT_NAME
        self.issue_types = default_issue_types()
        self.components = [{"id": "10200", "name": "Web"}, {"id": "10201", "name": "API"}]
        self.users = default_users()
        self.bot = self.users[-1]
        """The user the credentials belong to (``GET myself``)."""
        self.transitions = default_transitions()
        self.screens = default_screens(self.project_ref(), self.issue_types, self.components)
        """The create screen (a list of field entries) of each issue type, by its id."""

    @property
    def base(self) -> str:
        """The site's address, for ``self`` links."""
        return "http://127.0.0.1"

    def project_ref(self) -> dict[str, str]:
        return {"id": self.project_id, "key": self.project, "name": self.project_name}

    def user_view(self, user: Mapping[str, str]) -> dict[str, Any]:
        """A user as this deployment shows one: by accountId (Cloud) or name (DC)."""
        if self.cloud:
            ident = {"accountId": user["accountId"], "accountType": "atlassian"}
            link = f"{self.base}/rest/api/2/user?accountId={quote(user['accountId'])}"
        else:
            ident = {"name": user["name"], "key": user["key"]}
            link = f"{self.base}/rest/api/2/user?username={quote(user['name'])}"
        shown = {"displayName": user["displayName"], "emailAddress": user["emailAddress"]}
        return {"self": link, **ident, **shown, "active": True}

    def find_user(self, ref: Any) -> Checked:
        """``(user view, None)``, or ``(None, Jira's message)`` for an unknown user."""
        wanted = "accountId" if self.cloud else "name"
        if not isinstance(ref, dict) or wanted not in ref:
            where = "Jira Cloud" if self.cloud else "Jira Data Center"
            return None, f"Specify the user by '{wanted}' on {where}."
        for user in self.users:
            if user[wanted] == ref[wanted]:
                return self.user_view(user), None
        return None, f"User '{str(ref[wanted])[:100]}' does not exist."

    def type_view(self, issue_type: Mapping[str, Any]) -> dict[str, Any]:
        view = {
            "self": f"{self.base}/rest/api/2/issuetype/{issue_type['id']}",
            "id": issue_type["id"],
            "name": issue_type["name"],
            "description": issue_type.get("description", ""),
            "iconUrl": f"{self.base}/images/icons/issuetypes/task.svg",
            "subtask": False,
        }
        return {**view, "hierarchyLevel": 0} if self.cloud else view

    def issue_type(self, ref: Any) -> dict[str, Any] | None:
        """The issue type ``{"id": …}`` or ``{"name": …}`` refers to, if it exists."""
        if not isinstance(ref, dict):
            return None
        for issue_type in self.issue_types:
            if ref.get("id", None) == issue_type["id"] or (
                "id" not in ref and ref.get("name") == issue_type["name"]
            ):
                return issue_type
        return None

    def check_fields(
        self, issue_type: Mapping[str, Any], fields: Mapping[str, Any], *, create: bool
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """What ``fields`` store, and Jira's errors by field id (none: they are valid).

        ``issuetype`` (and ``project`` on create) chose the screen: the caller checks them.
        """
        screen = {f["fieldId"]: f for f in self.screens.get(str(issue_type["id"]), [])}
        stored: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field_id, value in fields.items():
            if field_id == "issuetype" or (create and field_id == "project"):
                continue
            entry = screen.get(field_id)
            if entry is None or field_id == "project":
                errors[field_id] = NOT_ON_SCREEN.format(field_id[:100])
                continue
            shown, problem = check_value(entry, value, self)
            if problem is not None:
                errors[field_id] = problem
            else:
                stored[field_id] = shown
        if create:
            for field_id, entry in screen.items():
                if entry["required"] and field_id not in fields:
                    errors[field_id] = f"{entry['name']} is required."
        return stored, errors

    def is_project(self, key_or_id: str) -> bool:
        return key_or_id in (self.project, self.project_id)

    def no_project(self, key_or_id: str) -> Answer:
        return error(404, f"No project could be found with key '{key_or_id[:100]}'.")

    def get_project(self, call: Call) -> Answer:
        if not self.is_project(call.match["project"]):
            return self.no_project(call.match["project"])
        link = f"{self.base}/rest/api/2/project/{self.project_id}"
        return Answer(200, {"self": link, **self.project_ref(), "projectTypeKey": "software"})

    def user_search(self, call: Call) -> Answer:
        """Cloud: ``query=`` (``username=`` is gone); DC: ``username=``. Prefix matches."""
        name = "query" if self.cloud else "username"
        if self.cloud and "username" in call.query:
            return error(400, "The query parameter 'username' is not supported in GDPR mode.")
        text = first(call.query, name).strip().lower()
        page = paging(call.query)
        if not text or isinstance(page, Answer):
            return page if isinstance(page, Answer) else error(400, f"'{name}' is missing")
        found = [self.user_view(u) for u in self.users if self._matches(u, text)]
        return Answer(200, found[page[0] : page[0] + page[1]])

    def _matches(self, user: Mapping[str, str], text: str) -> bool:
        names = [user["displayName"], *user["displayName"].split(), user["emailAddress"]]
        if not self.cloud:
            names.append(user["name"])
        return any(name.lower().startswith(text) for name in names)

    def createmeta_types(self, call: Call) -> Answer:
        if not self.is_project(call.match["project"]):
            return self.no_project(call.match["project"])
        types = [self.type_view(t) for t in self.issue_types]
        return self._paged(types, call.query, "issueTypes")

    def createmeta_fields(self, call: Call) -> Answer:
        project, wanted = call.match["project"], call.match["type"]
        if not self.is_project(project):
            return self.no_project(project)
        if not any(t["id"] == wanted for t in self.issue_types):
            return error(404, f"The issue type with id '{wanted[:40]}' does not exist.")
        return self._paged(copy.deepcopy(self.screens.get(wanted, [])), call.query, "fields")

    def _paged(self, items: list[Any], query: Query, cloud_key: str) -> Answer:
        page = paging(query)
        if isinstance(page, Answer):
            return page
        start, size = page
        chunk = items[start : start + size]
        body: dict[str, Any] = {"startAt": start, "maxResults": size, "total": len(items)}
        if self.cloud:
            return Answer(200, {cloud_key: chunk, **body})
        return Answer(200, {"values": chunk, **body, "isLast": start + len(chunk) >= len(items)})


def paging(query: Query) -> tuple[int, int] | Answer:
    """``startAt`` and ``maxResults`` (default 50, at most 200), or Jira's 400."""
    try:
        start = int(first(query, "startAt") or 0)
        size = int(first(query, "maxResults") or 50)
    except ValueError:
        return error(400, "startAt and maxResults must be whole numbers")
    if start < 0 or size < 0:
        return error(400, "startAt and maxResults cannot be negative")
    return start, min(size, 200)


def unpack(body: Any) -> tuple[dict[str, Any], dict[str, Any]] | Answer:
    """The ``fields`` and the ``properties`` (by key) of a create or edit body."""
    if not isinstance(body, dict):
        return error(400, "Can not deserialize the request body: not a JSON object")
    if body.get("update"):
        return error(400, "the fake Jira sets fields with 'fields' only, not 'update'")
    fields, listed = body.get("fields", {}), body.get("properties", [])
    if not isinstance(fields, dict) or not isinstance(listed, list):
        return error(400, "'fields' must be an object and 'properties' a list")
    properties: dict[str, Any] = {}
    for item in listed:
        name = item.get("key") if isinstance(item, dict) else None
        if not isinstance(name, str) or "value" not in item:
            return error(400, "every property needs a 'key' and a 'value'")
        problem = property_problem(name, item["value"])
        if problem is not None:
            return error(400, problem)
        properties[name] = item["value"]
    return fields, properties


def property_problem(name: str, value: Any) -> str | None:
    """Why Jira refuses this entity property, if it does."""
    if not name or len(name) > 255:
        return "The property key must be 1 to 255 characters long."
    if value is None:
        return "The property value must be a non-empty JSON value."
    if len(json.dumps(value).encode()) > _PROPERTY_LIMIT:
        return f"The property value is longer than {_PROPERTY_LIMIT} bytes."
    return None


# --- checking a value -----------------------------------------------------------------

Checked = tuple[Any, str | None]
"""``(what Jira stores, None)`` or ``(None, the message Jira gives in errors)``."""


def screen_field(
    field_id: str, name: str, kind: str, *, required: bool = False, default: bool = False
) -> dict[str, Any]:
    """A field of a transition screen, as ``expand=transitions.fields`` lists it
    (``FieldMetadata``)."""
    entry: dict[str, Any] = {"key": field_id, "name": name, "required": required}
    entry.update(schema={"type": kind, "system" if "_" not in field_id else "custom": field_id})
    return {**entry, "hasDefaultValue": default, "operations": ["set"]}


def is_empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def check_value(entry: Mapping[str, Any], value: Any, data: JiraData) -> Checked:
    """What Jira stores for ``value`` in a field (its create-screen ``entry``), or its error."""
    if is_empty(value):
        if entry.get("required"):
            return None, f"{entry['name']} is required."
        return value, None
    kind = str(entry["schema"].get("type"))
    if kind == "array":
        kind += ":" + str(entry["schema"].get("items"))
    check = _CHECKS.get(kind)
    return (value, None) if check is None else check(entry, value, data)


def _string(field: Mapping[str, Any], value: Any, _d: JiraData) -> Checked:
    if not isinstance(value, str):
        return None, f"Operation value must be a string ({field['name']})"
    custom = str(field["schema"].get("custom", ""))
    if field["fieldId"] == "summary" and len(value) > _SHORT_TEXT:
        return None, "Summary must be less than 255 characters."
    limit = _SHORT_TEXT if custom.endswith(":textfield") else _LONG_TEXT
    if len(value) > limit:
        return None, (
            f"The entered text is too long. It exceeds the allowed limit of {limit:,} characters."
        )
    if custom.endswith(":url"):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return None, f"Not a valid URL: {value[:100]}"
    return value, None


def _number(_field: Mapping[str, Any], value: Any, _d: JiraData) -> Checked:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, "Operation value must be a number"
    return value, None


def _date(_field: Mapping[str, Any], value: Any, _d: JiraData) -> Checked:
    if isinstance(value, str) and _DATE.match(value):
        with contextlib.suppress(ValueError):
            date.fromisoformat(value)
            return value, None
    return None, f"Error parsing date string: {str(value)[:100]}"


def _datetime(_field: Mapping[str, Any], value: Any, _d: JiraData) -> Checked:
    found = _DATETIME.match(value) if isinstance(value, str) else None
    if found is not None:
        zone = found["zone"].replace("Z", "+00:00")
        if ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        with contextlib.suppress(ValueError):
            datetime.fromisoformat(f"{found['day']}T{found['time']}{zone}")
            return value, None
    return None, (
        f"Invalid date format: {str(value)[:100]}; use ISO-8601 with an offset, like "
        "2027-12-07T09:00:00.000-0500"
    )


def _option(field: Mapping[str, Any], value: Any, _d: JiraData) -> Checked:
    allowed: list[dict[str, Any]] = field.get("allowedValues", [])
    if not isinstance(value, dict) or not ({"id", "value"} & set(value)):
        return None, f"Could not find valid 'id' or 'value' in the option of {field['name']}"
    for option in allowed:
        if ("id" in value and value["id"] == option["id"]) or (
            "id" not in value and value.get("value") == option["value"]
        ):
            return dict(option), None
    shown = value.get("value", value.get("id"))
    return None, f"Option value '{str(shown)[:100]}' is not valid"


def _user(_field: Mapping[str, Any], value: Any, data: JiraData) -> Checked:
    return data.find_user(value)


def _labels(field: Mapping[str, Any], value: Any, _d: JiraData) -> Checked:
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        return None, f"Operation value must be an array of strings ({field['name']})"
    for label in value:
        if any(ch.isspace() for ch in label):
            return None, f"The label '{label[:100]}' contains spaces which is invalid."
        if len(label) > _SHORT_TEXT:
            return None, "The label is too long: at most 255 characters."
    return list(value), None


def _components(field: Mapping[str, Any], value: Any, data: JiraData) -> Checked:
    if not isinstance(value, list):
        return None, f"Operation value must be an array ({field['name']})"
    found: list[dict[str, str]] = []
    for item in value:
        ref = item if isinstance(item, dict) else {"name": item}
        match = [
            dict(c)
            for c in data.components
            if ref.get("id") == c["id"] or ("id" not in ref and ref.get("name") == c["name"])
        ]
        if not match:
            shown = ref.get("name", ref.get("id"))
            return None, f"Component name '{str(shown)[:100]}' is not valid"
        found.append(match[0])
    return found, None


_CHECKS: dict[str, Callable[[Mapping[str, Any], Any, JiraData], Checked]] = {
    "string": _string,
    "number": _number,
    "date": _date,
    "datetime": _datetime,
    "option": _option,
    "user": _user,
    "array:string": _labels,
    "array:component": _components,
}
