"""``protect edge --target aws-waf``: the CloudFormation template passes cfn-lint, the
``aws wafv2`` rules fit botocore's model of CreateRuleGroup (vendored under tests/data,
source and version in its README), and the numbers, keys, actions and findings are the
ones worked out by hand here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import campaign_guard.api as cg
from campaign_guard.protect.waf import MAX_LIMIT, Counted, capacity, counted, rule_name
from campaign_guard.protect.waf_files import CFN_FILE, README_FILE, RULES_FILE
from campaign_guard.protecting import EdgeResult
from tests.botocore_shapes import check_shape, load_model
from tests.ci.external import missing
from tests.conftest import RunCli
from tests.protect.conftest import Files
from tests.protect.test_real_configs import hostile_edge

TARGET = "aws-waf"
MODEL = load_model("botocore-wafv2-create-rule-group-1.43.107.json")
LB = "  in_front: lb\n  trusted_proxies: [10.0.0.0/8]\n"
# 1 person x 0.1 requests in 10 s = 0.01/s: 6 in 600 s, under AWS WAF's minimum of 10
TINY = {
    "nodes: 2\n": "nodes: 2\n  clients_per_address: 1\n",
    "requests_per_submission: 2": "requests_per_submission: 0.1",
}


def cfn_lint(*templates: Path) -> subprocess.CompletedProcess[str]:
    """cfn-lint (a test dependency) on ``templates``, offline (its schemas are bundled)."""
    __tracebackhide__ = True
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    if found is None:
        missing("cfn-lint is not installed (pip install -e '.[test]')")
    return subprocess.run(
        [found, "--format", "parseable", *map(str, templates)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def waf_check(files: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    """The files ``protect edge --target aws-waf`` wrote into ``folder``: the rules fit
    botocore's ``Rules`` shape, and cfn-lint's result on the template."""
    check_shape(json.loads(files[RULES_FILE]), MODEL, "Rules")
    return cfn_lint(folder / CFN_FILE)


def _edge(files: Files, *, enforce: bool = False, **replace: dict[str, str]) -> EdgeResult:
    spec, profile = files(**replace)
    return cg.protect_edge([spec], capacity=profile, target=TARGET, enforce=enforce)


def _rules(result: EdgeResult) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = json.loads(result.files[RULES_FILE])
    return rules


def _checked(result: EdgeResult, folder: Path) -> list[dict[str, Any]]:
    """The rules, after checking both files: the JSON against botocore's ``Rules`` shape
    and as the same rules as the template's, which passes cfn-lint."""
    rules = _rules(result)
    check_shape(rules, MODEL, "Rules")
    template = yaml.safe_load(result.files[CFN_FILE])
    group = template["Resources"]["RateLimits"]["Properties"]
    assert group["Rules"] == rules
    assert group["Capacity"] == capacity(rules)
    check_shape(group["Capacity"], MODEL, "CapacityUnit")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CFN_FILE).write_text(result.files[CFN_FILE], encoding="utf-8")
    linted = cfn_lint(folder / CFN_FILE)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    for rule in rules:
        # the metric's documented characters: A-Z, a-z, 0-9, - and _, 1 to 128
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,128}", rule["VisibilityConfig"]["MetricName"])
    return rules


@pytest.mark.parametrize(
    ("per_second", "written"),
    [
        (12.8, (768, 60, False)),  # 12.8 x 60 = 768
        (1000.0, (60_000, 60, False)),
        (0.16, (19, 120, False)),  # 9.6 in 60 s is under 10; 19.2 in 120 s
        (0.1, (12, 120, False)),  # 6 in 60 s; 12 in 120 s
        (0.01, (10, 600, True)),  # 6 in 600 s: the minimum, looser than sized
        (1e9, (MAX_LIMIT, 60, False)),
    ],
)
def test_the_shortest_window_whose_limit_is_at_least_10(
    per_second: float, written: tuple[int, int, bool]
) -> None:
    found = counted(per_second)
    assert (found.limit, found.window, found.looser) == written


def test_a_third_of_a_request_a_minute_takes_300_seconds() -> None:
    # 0.03/s: 1.8 in 60 s, 3.6 in 120 s, 9 in 300 s (under 10), 18 in 600 s
    assert counted(0.03) == Counted(18, 600, 0.03, looser=False)
    # 0.04/s: 2.4, 4.8, then 12 in 300 s
    assert counted(0.04) == Counted(12, 300, 0.04, looser=False)


def _statement(path: dict[str, Any]) -> dict[str, Any]:
    method = {
        "ByteMatchStatement": {
            "SearchString": "POST",
            "FieldToMatch": {"Method": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "EXACTLY",
        }
    }
    scope = {"AndStatement": {"Statements": [method, path]}}
    return {"Statement": {"RateBasedStatement": {"ScopeDownStatement": scope}}}


def test_capacity_is_the_sum_of_the_documented_costs() -> None:
    literal = {
        "ByteMatchStatement": {
            "SearchString": "/a",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "EXACTLY",
        }
    }
    pattern = {
        "RegexMatchStatement": {
            "RegexString": "^/a/[^/]+/?$",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        }
    }
    lowered = {
        "RegexMatchStatement": {
            **pattern["RegexMatchStatement"],
            "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
        }
    }
    # rate-based 2 + method EXACTLY 2 + path EXACTLY 2 = 6; a pattern 3 instead: 7;
    # a LOWERCASE transformation adds 10
    assert capacity([_statement(literal)]) == 6
    assert capacity([_statement(pattern)]) == 7
    assert capacity([_statement(lowered)]) == 17
    assert capacity([_statement(literal), _statement(pattern)]) == 13
    contains = {"ByteMatchStatement": {**literal["ByteMatchStatement"]}}
    contains["ByteMatchStatement"]["PositionalConstraint"] = "CONTAINS"
    with pytest.raises(ValueError, match="no documented cost"):
        capacity([_statement(contains)])


@pytest.mark.parametrize("enforce", [False, True], ids=["dry-run", "enforce"])
def test_the_template_passes_cfn_lint_and_the_rules_botocore_s_model(
    files: Files, tmp_path: Path, enforce: bool
) -> None:
    result = _edge(files, enforce=enforce)
    assert list(result.files) == [CFN_FILE, RULES_FILE, README_FILE]
    rules = _checked(result, tmp_path)
    assert [r["Name"] for r in rules] == [
        "cg_post_api_signup_ce5073_ip",
        "cg_post_api_signup_ce5073_all",
    ]
    assert [r["Priority"] for r in rules] == [0, 1]
    template = yaml.safe_load(result.files[CFN_FILE])
    assert template["Resources"]["RateLimits"]["Properties"]["Capacity"] == 12
    assert template["Parameters"]["Scope"]["AllowedValues"] == ["REGIONAL", "CLOUDFRONT"]


def test_a_broken_template_is_caught_by_cfn_lint(files: Files, tmp_path: Path) -> None:
    """The check can fail: a limit of 5 and a window of 90 s are refused."""
    result = _edge(files, enforce=True)
    text = result.files[CFN_FILE].replace("Limit: 768\n", "Limit: 5\n", 1)
    text = text.replace("EvaluationWindowSec: 60\n", "EvaluationWindowSec: 90\n", 1)
    assert text.count("Limit: 5\n") == 1
    broken = tmp_path / "broken.cfn.yaml"
    broken.write_text(text, encoding="utf-8")
    linted = cfn_lint(broken)
    assert linted.returncode != 0
    assert "E3034:5 is less than the minimum of 10" in linted.stdout
    assert "E3030:90 is not one of [60, 120, 300, 600]" in linted.stdout


def test_a_broken_rule_does_not_fit_botocore_s_model(files: Files) -> None:
    rules = _rules(_edge(files, enforce=True))
    rules[0]["Statement"]["RateBasedStatement"]["Limit"] = 5
    with pytest.raises(AssertionError, match="RateLimit"):
        check_shape(rules, MODEL, "Rules")
    rules = _rules(_edge(files, enforce=True))
    rules[0]["Name"] = "cg signup"
    with pytest.raises(AssertionError, match="EntityName"):
        check_shape(rules, MODEL, "Rules")


def _statement_of(rule: dict[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = rule["Statement"]["RateBasedStatement"]
    return statement


def test_the_numbers_by_hand_and_the_endpoint_cap_is_not_divided_by_nodes(files: Files) -> None:
    result = _edge(files, enforce=True, profile={"nodes: 2": "nodes: 5"})
    (signup,) = result.plan.endpoints
    # nginx divides: (1,050 - 50) x 100 % / 5 proxies = 200/s; AWS WAF counts for the whole
    # web ACL: 1,000/s x 60 s = 60,000 in 60 s
    assert signup.whole.rate.text == "200r/s"
    client, whole = (_statement_of(r) for r in _rules(result))
    assert (whole["Limit"], whole["EvaluationWindowSec"]) == (60_000, 60)
    # 64 people x 2 requests in 10 s = 12.8/s x 60 s = 768
    assert (client["Limit"], client["EvaluationWindowSec"]) == (768, 60)
    text = result.files[README_FILE]
    assert "NOT divided by the 5 proxies (edge.nodes)" in text
    assert "= 768 requests per 60 s (rounded down)" in text
    assert "= 60,000 requests per 60 s (rounded down)" in text
    assert "minus 50: the baseline at" in text


@pytest.mark.parametrize(
    ("profile", "key"),
    [
        (
            {},
            {
                "AggregateKeyType": "FORWARDED_IP",
                "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"},
            },
        ),
        (
            {LB: "  in_front: cloudflare\n  trusted_proxies: [173.245.48.0/20]\n"},
            {
                "AggregateKeyType": "FORWARDED_IP",
                "ForwardedIPConfig": {
                    "HeaderName": "CF-Connecting-IP",
                    "FallbackBehavior": "MATCH",
                },
            },
        ),
        (
            {LB: "  in_front: cloudfront\n  trusted_proxies: [130.176.0.0/16]\n"},
            {
                "AggregateKeyType": "FORWARDED_IP",
                "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"},
            },
        ),
        ({LB: "  in_front: none\n"}, {"AggregateKeyType": "IP"}),
        ({LB: ""}, {"AggregateKeyType": "IP"}),
    ],
    ids=["lb", "cloudflare", "cloudfront", "none", "unknown"],
)
def test_the_client_s_address_comes_from_the_front(
    files: Files, tmp_path: Path, profile: dict[str, str], key: dict[str, Any]
) -> None:
    result = _edge(files, profile=profile)
    client, whole = (_statement_of(r) for r in _checked(result, tmp_path))
    assert {k: v for k, v in client.items() if k in {"AggregateKeyType", "ForwardedIPConfig"}} == (
        key
    )
    assert whole["AggregateKeyType"] == "CONSTANT"
    assert "ForwardedIPConfig" not in whole
    codes = {f.code for f in result.findings}
    forgeable = key.get("ForwardedIPConfig", {}).get("HeaderName") == "X-Forwarded-For"
    assert ("waf-forwarded-ip" in codes) is forgeable
    assert ("edge-front-unknown" in codes) is (profile == {LB: ""})


def test_forwarded_for_is_said_to_be_forgeable(files: Files) -> None:
    result = _edge(files)
    (found,) = [f for f in result.findings if f.code == "waf-forwarded-ip"]
    assert "FIRST address in X-Forwarded-For, which a visitor can make up" in found.message
    assert str(found.level) == "warning"
    text = result.files[README_FILE]
    assert "A client that\n!!! sends its own X-Forwarded-For picks the address" in text


def test_dry_run_counts_and_enforce_blocks_with_429_and_retry_after(files: Files) -> None:
    for rule in _rules(_edge(files)):
        assert rule["Action"] == {"Count": {}}
    for rule in _rules(_edge(files, enforce=True)):
        assert rule["Action"] == {
            "Block": {
                "CustomResponse": {
                    "ResponseCode": 429,
                    "ResponseHeaders": [{"Name": "Retry-After", "Value": "60"}],
                }
            }
        }
    assert "DRY RUN (the default rollout): nothing is refused." in _edge(files).files[README_FILE]


def test_the_scope_down_is_the_method_and_the_exact_path(files: Files) -> None:
    client = _statement_of(_rules(_edge(files))[0])
    method, path = client["ScopeDownStatement"]["AndStatement"]["Statements"]
    assert method["ByteMatchStatement"]["FieldToMatch"] == {"Method": {}}
    assert method["ByteMatchStatement"]["SearchString"] == "POST"
    assert path["ByteMatchStatement"] == {
        "SearchString": "/api/signup",
        "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
        "PositionalConstraint": "EXACTLY",
    }


def test_a_limit_under_10_in_600_seconds_is_written_10_and_a_finding(
    files: Files, tmp_path: Path
) -> None:
    result = _edge(files, enforce=True, profile=TINY)
    client, whole = (_statement_of(r) for r in _checked(result, tmp_path))
    assert (client["Limit"], client["EvaluationWindowSec"]) == (10, 600)
    assert (whole["Limit"], whole["EvaluationWindowSec"]) == (60_000, 60)
    (found,) = [f for f in result.findings if f.code == "waf-limit-looser"]
    assert found.message == (
        "AWS WAF cannot limit below 10 requests in 10 minutes, so these limits are looser "
        "than sized (sized requests in 10 minutes): POST /api/signup (per visitor: 6)"
    )
    assert (
        "x 600 s = 6, under AWS WAF's minimum of 10: written 10 per 600 s, LOOSER"
        in (result.files[README_FILE])
    )
    assert not result.failed


@pytest.mark.parametrize("enforce", [False, True], ids=["dry-run", "enforce"])
def test_hostile_names_stay_valid_json_yaml_and_names(
    files: Files, tmp_path: Path, enforce: bool
) -> None:
    result = hostile_edge(files, TARGET, enforce=enforce)
    rules = _checked(result, tmp_path)
    # one literal path (6 per rule) and two with {param} segments, as patterns (7)
    assert capacity(rules) == 6 * 2 + 7 * 4
    for rule in rules:
        assert re.fullmatch(r"[\w\-]{1,128}", rule["Name"])
    paths = [_statement_of(r)["ScopeDownStatement"]["AndStatement"]["Statements"][1] for r in rules]
    searched = {p["ByteMatchStatement"]["SearchString"] for p in paths if "ByteMatchStatement" in p}
    assert searched == {"/a;b'c$d(e)!*+,=:@&~"}
    patterns = {
        p["RegexMatchStatement"]["RegexString"] for p in paths if "RegexMatchStatement" in p
    }
    assert patterns == {
        "^/api/items/[^/]+/?$",
        "^/api/it\\'s\\;\\}[^/]+\\$y\\(z\\)\\!\\*\\+\\,\\=\\:\\@\\&\\~\\%41/?$",
    }
    for pattern, sent in zip(
        sorted(patterns), ("/api/it's;}42$y(z)!*+,=:@&~%41", "/api/items/42"), strict=True
    ):
        assert re.fullmatch(pattern, sent)
        assert not re.fullmatch(pattern, sent + "x/y")
    # the service name's line break and quotes stay inside one comment line
    for name in (CFN_FILE, README_FILE):
        lines = result.files[name].splitlines()
        assert not any("evil" in line and not line.startswith(("#", " ", "cg_")) for line in lines)
    assert yaml.safe_load(result.files[CFN_FILE])["AWSTemplateFormatVersion"] == "2010-09-09"


def test_rule_names_keep_only_the_documented_characters() -> None:
    assert rule_name("cg_a-b") == "cg_a-b"
    assert rule_name("a b;\n{é}") == "a_b_____"  # " ;\\n{é}" each become _
    assert rule_name("") == "x"
    assert len(rule_name("x" * 300)) == 128


def test_the_cli_writes_the_three_files_and_warns(
    cli: RunCli, files: Files, tmp_path: Path
) -> None:
    spec, profile = files()
    out_dir = tmp_path / "edge"
    code, out, err = cli(
        "protect", "edge", str(spec), "-c", str(profile), "-t", TARGET, "-o", str(out_dir)
    )
    assert (code, out) == (0, "")
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([CFN_FILE, RULES_FILE, README_FILE])
    assert f"wrote {out_dir / CFN_FILE}\n" in err
    assert "[waf-forwarded-ip]" in err
    linted = cfn_lint(out_dir / CFN_FILE)
    assert linted.returncode == 0, linted.stdout


def test_json_has_every_number_and_the_files(cli: RunCli, files: Files) -> None:
    spec, profile = files()
    code, out, _ = cli("protect", "edge", str(spec), "-c", str(profile), "-t", TARGET, "--json")
    assert code == 0
    document = json.loads(out)
    assert set(document["files"]) == {CFN_FILE, RULES_FILE, README_FILE}
    assert document["endpoints"][0]["numbers"]["endpoint_cap"] == pytest.approx(1000)
    assert {f["code"] for f in document["findings"]} == {"waf-forwarded-ip"}
    rules = json.loads(document["files"][RULES_FILE])
    assert rules[1]["Statement"]["RateBasedStatement"]["Limit"] == 60_000


def test_rules_beyond_one_rule_group_s_capacity_are_a_finding(files: Files) -> None:
    """A rule group holds 5,000 WCUs (AWS WAF Developer Guide, "Rule group capacity"):
    one more, and the finding says to split the campaigns."""
    from campaign_guard.protect.waf import MAX_RULE_GROUP_WCU, waf_findings, waf_rules

    plan = _edge(files).plan
    rules = waf_rules(plan)
    codes = {f.code for f in waf_findings(plan, rules, MAX_RULE_GROUP_WCU)}
    assert "waf-capacity" not in codes
    over = [
        f for f in waf_findings(plan, rules, MAX_RULE_GROUP_WCU + 1) if f.code == "waf-capacity"
    ]
    assert len(over) == 1
    assert "5,001 WCUs, more than the 5,000 one AWS WAF rule group holds" in over[0].message
