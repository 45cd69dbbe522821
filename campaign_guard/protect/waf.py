"""The edge limits as AWS WAF rate-based rules, as data.

Per protected endpoint two rules, each a ``RateBasedStatement`` scoped down to the
endpoint's method and path: one counting per client address, one (``CONSTANT``)
counting every request to the endpoint. Sources, all of the AWS WAF Developer Guide:
"Rate-based rule high-level settings" (windows, minimum limit), "Rate-based rule
caveats" (approximate, delayed, reset on change), "Aggregating rate-based rules"
(``IP``, ``FORWARDED_IP``, ``CONSTANT``), "Using forwarded IP addresses in AWS WAF"
(the first address of the header), and the statement pages for their WCUs. The rules
are plain dicts in the shape both ``aws wafv2 create-rule-group --rules`` and
CloudFormation's ``AWS::WAFv2::RuleGroup`` take. Pure: no printing, no files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from campaign_guard.protect.edge import CLIENT_WINDOW_S, EdgePlan, Protected
from campaign_guard.protect.front import Front
from campaign_guard.protect.numbers import Finding, down, plain
from campaign_guard.protect.quoting import is_template, path_regex

WINDOWS = (60, 120, 300, 600)
"""Evaluation windows AWS WAF takes, in seconds ("Rate-based rule high-level settings":
"Valid settings are 60 (1 minute), 120 (2 minutes), 300 (5 minutes), and 600")."""
MIN_LIMIT = 10
"""The lowest limit ("Rate-based rule high-level settings": "The lowest limit setting
allowed is 10"; older pages still say 100)."""
MAX_LIMIT = 2_000_000_000
"""The highest limit (botocore 1.43.107, wafv2 service model, shape ``RateLimit``)."""
MAX_REGEX = 512
"""Longest ``RegexString`` (WAF API Reference, RegexMatchStatement: "Maximum length of
512")."""
WCU_RATE_BASED = 2
"""Rate-based statement: "2, as a base cost" plus its scope-down statement's ("Using
rate-based rule statements in AWS WAF", WCUs)."""
WCU_BYTE_MATCH_EXACTLY = 2
"""String match statement, "Exactly matches string – 2" ("String match rule statement")."""
WCU_REGEX_MATCH = 3
"""Regex match statement: "3 WCUs, as a base cost" ("Regex match rule statement")."""
WCU_TEXT_TRANSFORMATION = 10
"""Each text transformation applied adds 10 ("Using text transformations in AWS WAF").
``NONE`` applies none, so it adds nothing; the AND statement costs what its nested
statements cost ("Using logical rule statements in AWS WAF")."""
MAX_RULE_GROUP_WCU = 5000
"""Largest capacity of a rule group ("Web ACL capacity units (WCUs) in AWS WAF": "The
maximum capacity for a rule group is 5,000 WCUs")."""
FALLBACK = "MATCH"
"""A request whose header holds no valid address is counted as matching (the client
that garbles the header is the one limited); see "Using forwarded IP addresses"."""
_NAME_RE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Counted:
    """A rate as AWS WAF writes it: ``limit`` requests per ``window`` seconds."""

    limit: int
    window: int
    per_second: float
    looser: bool
    """Even 600 s at this rate is under :data:`MIN_LIMIT`: ``limit`` is the minimum,
    looser than sized."""


def counted(per_second: float) -> Counted:
    """``per_second`` in the shortest window whose limit is at least :data:`MIN_LIMIT`
    (the shortest reacts soonest), rounded down."""
    for window in WINDOWS:
        limit = down(per_second * window)
        if limit >= MIN_LIMIT:
            return Counted(min(limit, MAX_LIMIT), window, per_second, looser=False)
    return Counted(MIN_LIMIT, WINDOWS[-1], per_second, looser=True)


@dataclass(frozen=True)
class WafRule:
    """One rate-based rule: the endpoint, the count, and why."""

    name: str
    """The rule's and its metric's name: letters, digits, ``_`` and ``-``, at most 128."""
    endpoint: Protected
    count: Counted
    per_client: bool
    why: list[str]


def rule_name(text: str) -> str:
    """``text`` as a rule and metric name: the rule Name pattern ``^[\\w\\-]+$`` and the
    metric's "A-Z, a-z, 0-9, - (hyphen), and _ (underscore) ... one to 128 characters"
    (WAF API Reference, Rule and VisibilityConfig)."""
    return _NAME_RE.sub("_", text)[:128] or "x"


def waf_rules(plan: EdgePlan) -> list[WafRule]:
    """The two rules of every protected endpoint of ``plan``."""
    rules = []
    for endpoint in plan.endpoints:
        rules += [_client_rule(endpoint), _whole_rule(endpoint, plan.nodes)]
    return rules


def _counted_why(count: Counted, per_second: float) -> str:
    if count.looser:
        return (
            f"x {WINDOWS[-1]} s = {plain(per_second * WINDOWS[-1])}, under AWS WAF's minimum "
            f"of {MIN_LIMIT}: written {MIN_LIMIT} per {count.window} s, LOOSER than sized"
        )
    return (
        f"x {count.window} s (the shortest evaluation window whose limit is at least "
        f"{MIN_LIMIT}) = {count.limit:,} requests per {count.window} s (rounded down)"
    )


def _client_rule(endpoint: Protected) -> WafRule:
    numbers = endpoint.numbers
    people, per_person = numbers["clients_per_address"], numbers["requests_per_person"]
    wanted = people * per_person / CLIENT_WINDOW_S
    per_second = min(wanted, numbers["endpoint_cap"])
    count = counted(per_second)
    capped = " (capped at the endpoint-wide cap)" if wanted > per_second else ""
    why = [
        f"{plain(people)} people may share one address (edge.clients_per_address; "
        f"carrier-grade NAT) x {plain(per_person)} requests each in {CLIENT_WINDOW_S:.0f} s "
        f"= {plain(per_second)}/s{capped}",
        _counted_why(count, per_second),
    ]
    return WafRule(rule_name(endpoint.client.name), endpoint, count, True, why)


def _whole_rule(endpoint: Protected, nodes: int) -> WafRule:
    cap = endpoint.numbers["endpoint_cap"]
    count = counted(cap)
    # the plan's sentences up to its division among the proxies, which WAF does not need
    why = [
        *endpoint.whole.why["rate"][:-1],
        f"NOT divided by the {nodes} proxies (edge.nodes): AWS WAF keeps one count for "
        f"the whole web ACL, not one per proxy = {plain(cap)}/s",
        _counted_why(count, cap),
    ]
    return WafRule(rule_name(endpoint.whole.name), endpoint, count, False, why)


def aggregate_key(per_client: bool, front: Front) -> dict[str, Any]:
    """How a rule groups requests: all together, by the connection's address, or by the
    first address in the header the front sets."""
    if not per_client:
        return {"AggregateKeyType": "CONSTANT"}
    if front.header is None:
        return {"AggregateKeyType": "IP"}
    return {
        "AggregateKeyType": "FORWARDED_IP",
        "ForwardedIPConfig": {"HeaderName": front.header, "FallbackBehavior": FALLBACK},
    }


def _match(field: str, value: str) -> dict[str, Any]:
    return {
        "ByteMatchStatement": {
            "SearchString": value,
            "FieldToMatch": {field: {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "EXACTLY",
        }
    }


def scope_down(endpoint: Protected) -> dict[str, Any]:
    """The requests a rule counts: the endpoint's method AND its path, as sent (no text
    transformation); a ``{param}`` path as an anchored pattern, one segment a ``{}``."""
    if is_template(endpoint.path):
        path: dict[str, Any] = {
            "RegexMatchStatement": {
                "RegexString": path_regex(endpoint.path),
                "FieldToMatch": {"UriPath": {}},
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            }
        }
    else:
        path = _match("UriPath", endpoint.path)
    return {"AndStatement": {"Statements": [_match("Method", endpoint.method), path]}}


def rule_json(rule: WafRule, priority: int, front: Front, *, enforce: bool) -> dict[str, Any]:
    """``rule`` as AWS WAF takes it: Block with 429 and Retry-After, or Count."""
    action: dict[str, Any] = {"Count": {}}
    if enforce:
        retry = {"Name": "Retry-After", "Value": str(rule.count.window)}
        action = {"Block": {"CustomResponse": {"ResponseCode": 429, "ResponseHeaders": [retry]}}}
    return {
        "Name": rule.name,
        "Priority": priority,
        "Action": action,
        "Statement": {
            "RateBasedStatement": {
                "Limit": rule.count.limit,
                "EvaluationWindowSec": rule.count.window,
                **aggregate_key(rule.per_client, front),
                "ScopeDownStatement": scope_down(rule.endpoint),
            }
        },
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": rule.name,
        },
    }


def capacity(rules: list[dict[str, Any]]) -> int:
    """The WCUs of ``rules``: the sum of their statements' documented costs."""
    return sum(_cost(rule["Statement"]) for rule in rules)


def _cost(statement: dict[str, Any]) -> int:
    ((kind, body),) = statement.items()
    if kind == "RateBasedStatement":
        scope = body.get("ScopeDownStatement")
        return WCU_RATE_BASED + (_cost(scope) if scope is not None else 0)
    if kind == "AndStatement":
        return sum(_cost(nested) for nested in body["Statements"])
    transforms = sum(
        WCU_TEXT_TRANSFORMATION for t in body["TextTransformations"] if t["Type"] != "NONE"
    )
    if kind == "ByteMatchStatement" and body["PositionalConstraint"] == "EXACTLY":
        return WCU_BYTE_MATCH_EXACTLY + transforms
    if kind == "RegexMatchStatement":
        return WCU_REGEX_MATCH + transforms
    raise ValueError(f"no documented cost for {kind} here")


def waf_findings(plan: EdgePlan, rules: list[WafRule], wcus: int) -> list[Finding]:
    """What AWS WAF cannot do as the plan sized it: one finding each."""
    found = []
    looser = [r for r in rules if r.count.looser]
    if looser:
        named = ", ".join(
            f"{r.endpoint.endpoint} ({'per visitor' if r.per_client else 'all visitors'}: "
            f"{plain(r.count.per_second * 600)})"
            for r in looser[:5]
        )
        found.append(
            _finding(
                "waf-limit-looser",
                f"AWS WAF cannot limit below {MIN_LIMIT} requests in 10 minutes, so these "
                f"limits are looser than sized (sized requests in 10 minutes): {named}",
            )
        )
    if plan.endpoints and plan.front.header == "X-Forwarded-For":
        found.append(
            _finding(
                "waf-forwarded-ip",
                "AWS WAF counts each visitor by the FIRST address in X-Forwarded-For, which "
                f"a visitor can make up unless the {plan.front.in_front} replaces the header "
                "(CloudFront and AWS load balancers add to it); requests without the header "
                "are not counted per visitor at all. If the web ACL is attached to the "
                f"{plan.front.in_front} itself, run with edge.in_front: none",
            )
        )
    for endpoint in plan.endpoints:
        if is_template(endpoint.path) and len(path_regex(endpoint.path)) > MAX_REGEX:
            found.append(
                Finding(
                    None,
                    ("edge",),
                    "waf-path-too-long",
                    f"the pattern for {endpoint.endpoint[:80]} is longer than the "
                    f"{MAX_REGEX} characters AWS WAF takes, so AWS will refuse these rules",
                )
            )
    if wcus > MAX_RULE_GROUP_WCU:
        found.append(
            Finding(
                None,
                ("edge",),
                "waf-capacity",
                f"the rules need {wcus:,} WCUs, more than the {MAX_RULE_GROUP_WCU:,} one AWS "
                "WAF rule group holds: split the campaigns over two runs",
            )
        )
    return found


def _finding(code: str, message: str) -> Finding:
    return Finding(None, ("edge",), code, message, "warning")
