"""The part of JQL the fake Jira understands, parsed and evaluated as Jira does.

Enough for the queries campaign-guard builds (and for a reviewer's extra JQL in tests):
``AND``, ``OR``, ``NOT`` and parentheses; clauses on ``project``, ``labels``, ``status``,
``statusCategory``, ``assignee``, ``duedate``, ``created``, ``updated``, ``key`` and
``priority`` with ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, ``in``, ``not in``,
``is [not] EMPTY``; ``currentUser()``; ``ORDER BY`` those fields ``ASC``/``DESC``.

Anything else is Jira's 400, as the real parser answers it (Atlassian, "JQL: the most
flexible way to search Jira": an unknown field is "Field 'x' does not exist or you do
not have permission to view it."; an unknown value of a field with fixed values is
"The value 'x' does not exist for the field 'status'.").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')'
    r"|(?P<op>!=|>=|<=|!~|[=<>~(),])"
    r"|(?P<word>[A-Za-z0-9_.\-:]+))"
)
_UNESCAPE = {"n": "\n", "r": "\r", "t": "\t"}
FIELDS = frozenset(
    {
        "project",
        "labels",
        "status",
        "statuscategory",
        "assignee",
        "duedate",
        "created",
        "updated",
        "key",
        "priority",
    }
)


class JqlError(ValueError):
    """Jira's 400 answer to a query: the message it gives."""


@dataclass(frozen=True)
class Value:
    text: str
    function: bool = False
    """``currentUser()`` and the like."""


@dataclass(frozen=True)
class Clause:
    field: str
    op: str  # =, !=, >, >=, <, <=, in, not in, is, is not
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Node:
    op: str  # and, or, not
    children: tuple[Node | Clause, ...]


@dataclass(frozen=True)
class Query:
    where: Node | Clause | None
    order: tuple[tuple[str, bool], ...]
    """(field, descending) pairs."""


def tokens(jql: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: string, op or word; a JqlError for what is not JQL."""
    found: list[tuple[str, str]] = []
    at = 0
    while at < len(jql):
        if jql[at:].strip() == "":
            break
        match = _TOKEN.match(jql, at)
        if match is None or match.end() == at:
            raise JqlError(
                f"Error in the JQL Query: the character '{jql[at]}' is a reserved JQL character."
            )
        kind = match.lastgroup or "word"
        text = match.group(kind)
        if kind == "string":
            text = _unquote(text)
        found.append((kind, text))
        at = match.end()
    return found


def _unquote(text: str) -> str:
    body, out, escaped = text[1:-1], [], False
    for char in body:
        if escaped:
            out.append(_UNESCAPE.get(char, char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


class _Parser:
    def __init__(self, jql: str) -> None:
        self.items = tokens(jql)
        self.at = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        at = self.at + offset
        return self.items[at] if at < len(self.items) else None

    def keyword(self, *words: str) -> bool:
        for offset, word in enumerate(words):
            item = self.peek(offset)
            if item is None or item[0] != "word" or item[1].lower() != word:
                return False
        return True

    def take(self) -> tuple[str, str]:
        item = self.peek()
        if item is None:
            raise JqlError("Error in the JQL Query: Expecting more of the query.")
        self.at += 1
        return item

    def query(self) -> Query:
        where = None if self.keyword("order", "by") or self.peek() is None else self.disjunction()
        order: list[tuple[str, bool]] = []
        if self.keyword("order", "by"):
            self.at += 2
            while True:
                kind, name = self.take()
                if kind != "word" or name.lower() not in FIELDS:
                    raise JqlError(f"Not able to sort using field '{name}'.")
                descending = False
                if self.keyword("asc") or self.keyword("desc"):
                    descending = self.take()[1].lower() == "desc"
                order.append((name.lower(), descending))
                if self.peek() != ("op", ","):
                    break
                self.at += 1
        if self.peek() is not None:
            raise JqlError(f"Error in the JQL Query: unexpected '{self.peek()[1]}'.")  # type: ignore[index]
        return Query(where, tuple(order))

    def disjunction(self) -> Node | Clause:
        parts = [self.conjunction()]
        while self.keyword("or"):
            self.at += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts))

    def conjunction(self) -> Node | Clause:
        parts = [self.unary()]
        while self.keyword("and"):
            self.at += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def unary(self) -> Node | Clause:
        if self.keyword("not") and not self.keyword("not", "in"):
            self.at += 1
            return Node("not", (self.unary(),))
        if self.peek() == ("op", "("):
            self.at += 1
            inner = self.disjunction()
            if self.take() != ("op", ")"):
                raise JqlError("Error in the JQL Query: Expecting ')'.")
            return inner
        return self.clause()

    def clause(self) -> Clause:
        kind, name = self.take()
        field = name.lower()
        if kind not in ("word", "string") or field not in FIELDS:
            raise JqlError(
                f"Field '{name}' does not exist or you do not have permission to view it."
            )
        if self.keyword("not", "in"):
            self.at += 2
            return Clause(field, "not in", self.values())
        if self.keyword("in"):
            self.at += 1
            return Clause(field, "in", self.values())
        if self.keyword("is", "not"):
            self.at += 2
            return Clause(field, "is not", (self.empty(),))
        if self.keyword("is"):
            self.at += 1
            return Clause(field, "is", (self.empty(),))
        op_kind, op = self.take()
        if op_kind != "op" or op not in ("=", "!=", ">", ">=", "<", "<="):
            raise JqlError(f"Error in the JQL Query: unsupported operator '{op}'.")
        return Clause(field, op, (self.value(),))

    def empty(self) -> Value:
        kind, word = self.take()
        if kind != "word" or word.lower() not in ("empty", "null"):
            raise JqlError("Error in the JQL Query: Expecting EMPTY or NULL after IS.")
        return Value("")

    def values(self) -> tuple[Value, ...]:
        if self.take() != ("op", "("):
            raise JqlError("Error in the JQL Query: Expecting '(' after IN.")
        found = [self.value()]
        while self.peek() == ("op", ","):
            self.at += 1
            found.append(self.value())
        if self.take() != ("op", ")"):
            raise JqlError("Error in the JQL Query: Expecting ')'.")
        return tuple(found)

    def value(self) -> Value:
        kind, text = self.take()
        if kind == "op":
            raise JqlError(f"Error in the JQL Query: Expecting a value, not '{text}'.")
        if kind == "word" and self.peek() == ("op", "("):
            self.at += 1
            if self.take() != ("op", ")"):
                raise JqlError("Error in the JQL Query: Expecting ')'.")
            return Value(text.lower(), function=True)
        return Value(text)


def parse(jql: str) -> Query:
    """The query, or a :class:`JqlError` with Jira's message."""
    return _Parser(jql).query()


Lookup = Callable[[Mapping[str, Any], str], list[str]]
"""An issue's values of a field (empty: the field is empty)."""


def matches(where: Node | Clause | None, issue: Mapping[str, Any], lookup: Lookup) -> bool:
    if where is None:
        return True
    if isinstance(where, Clause):
        return _clause_matches(where, lookup(issue, where.field))
    results = (matches(child, issue, lookup) for child in where.children)
    if where.op == "and":
        return all(results)
    if where.op == "or":
        return any(results)
    return not next(results)


def _clause_matches(clause: Clause, have: list[str]) -> bool:
    """Jira's rules: ``!=`` and ``not in`` never match an empty field."""
    wanted = [v.text for v in clause.values]
    if clause.field not in ("duedate", "created", "updated"):
        have, wanted = [h.casefold() for h in have], [w.casefold() for w in wanted]
    if clause.op in ("is", "is not"):
        return (not have) == (clause.op == "is")
    if clause.op in ("=", "in"):
        return any(w in have for w in wanted)
    if clause.op in ("!=", "not in"):
        return bool(have) and not any(w in have for w in wanted)
    return bool(have) and _compare(have[0][: len(wanted[0])], clause.op, wanted[0])


def _compare(have: str, op: str, wanted: str) -> bool:
    checks: dict[str, Callable[[str, str], bool]] = {
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
    }
    return checks[op](have, wanted)


def clauses(where: Node | Clause | None) -> Sequence[Clause]:
    """Every clause of the query, depth first."""
    if where is None:
        return []
    if isinstance(where, Clause):
        return [where]
    return [c for child in where.children for c in clauses(child)]


def bind(where: Node | Clause | None, functions: Mapping[str, str]) -> Node | Clause | None:
    """The query with each function call (``currentUser()``) replaced by its value."""
    if where is None:
        return None
    if isinstance(where, Node):
        children = tuple(bind(child, functions) for child in where.children)
        return Node(where.op, tuple(c for c in children if c is not None))
    values = []
    for value in where.values:
        if value.function:
            if value.text not in functions:
                raise JqlError(f"Unable to find JQL function '{value.text}()'.")
            values.append(Value(functions[value.text]))
        else:
            values.append(value)
    return Clause(where.field, where.op, tuple(values))
