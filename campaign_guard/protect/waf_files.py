"""The AWS WAF rules as files: a CloudFormation template, the ``aws wafv2`` JSON, and the
text that explains every number in them.

JSON holds no comments, so ``aws-waf-README.txt`` says where each number comes from;
the CloudFormation template starts with the same text as comments. Both rule lists are
one list of dicts (:func:`~campaign_guard.protect.waf.rule_json`), dumped as JSON or
YAML, so every hostile string is quoted by the dumper. Pure: no printing, no files.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from campaign_guard.protect.edge import EdgePlan
from campaign_guard.protect.numbers import Finding
from campaign_guard.protect.quoting import comment
from campaign_guard.protect.waf import WafRule, capacity, rule_json, waf_findings, waf_rules

CFN_FILE = "aws-waf-rules.cfn.yaml"
RULES_FILE = "aws-waf-rules.json"
README_FILE = "aws-waf-README.txt"
GROUP = "campaign-guard-rate-limits"
"""The rule group's name and metric in the ``aws wafv2`` command."""
CANNOT_EXPRESS = (
    "Not precise: AWS WAF estimates the rate, giving recent requests more weight, and "
    'limits "near the limit that you set"; it is "not intended for precise '
    'request-rate limiting" (AWS WAF Developer Guide, "Rate-based rule caveats").',
    "Not at once: a rate over the limit is usually noticed within 30 seconds, but can "
    "go on for several minutes before AWS WAF limits it (same page). The first seconds "
    "of a launch spike get through.",
    "No burst and no queue: the limit counts requests over the whole evaluation window, "
    "so a client may send its whole window's allowance in one second. The window is "
    "the burst.",
    "Changing any rate setting of a rule in use (limit, window, aggregation, forwarded "
    "address, scope-down) resets its counts and can pause limiting for up to a minute "
    "(same page): do not change the rules during the launch.",
    "The path is compared as sent, with no decoding (TextTransformations NONE): "
    "/api/sign%75p is not counted as /api/signup.",
    "Retry-After is the evaluation window in seconds, fixed: AWS WAF keeps refusing "
    "until its estimate falls below the limit, which takes at most about one window.",
    "Limits are whole numbers of requests per 60, 120, 300 or 600 seconds, at least "
    "10: rates are rounded down.",
)


def render_waf(plan: EdgePlan) -> tuple[dict[str, str], list[Finding]]:
    """``plan`` as the three AWS WAF files, by name, and what AWS WAF cannot do of it."""
    rules = waf_rules(plan)
    listed = [
        rule_json(rule, index, plan.front, enforce=plan.enforce) for index, rule in enumerate(rules)
    ]
    wcus = capacity(listed)
    findings = waf_findings(plan, rules, wcus)
    text = readme(plan, rules, wcus, findings)
    files = {
        CFN_FILE: "".join(f"# {line}\n".replace("# \n", "#\n") for line in text.splitlines())
        + yaml.safe_dump(
            cfn_template(plan, listed, wcus), sort_keys=False, allow_unicode=False, width=88
        ),
        RULES_FILE: json.dumps(listed, indent=2, ensure_ascii=True) + "\n",
        README_FILE: text,
    }
    return files, findings


def cfn_template(plan: EdgePlan, rules: list[dict[str, Any]], wcus: int) -> dict[str, Any]:
    """A CloudFormation template with one ``AWS::WAFv2::RuleGroup`` holding ``rules``."""
    mode = "enforcing: Block with 429" if plan.enforce else "dry run: Count"
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            f"campaign-guard protect edge: rate-based rules for campaign endpoints ({mode}). "
            "Attach the rule group to your web ACL with a RuleGroupReferenceStatement "
            "(its ARN is the output RuleGroupArn)."
        ),
        "Parameters": {
            "Scope": {
                "Type": "String",
                "AllowedValues": ["REGIONAL", "CLOUDFRONT"],
                "Default": "REGIONAL",
                "Description": "REGIONAL for a load balancer or API Gateway; CLOUDFRONT for "
                "a CloudFront distribution (deploy the stack in us-east-1).",
            }
        },
        "Resources": {
            "RateLimits": {
                "Type": "AWS::WAFv2::RuleGroup",
                "Properties": {
                    "Scope": {"Ref": "Scope"},
                    "Capacity": wcus,
                    "Description": "campaign-guard rate limits for campaign endpoints",
                    "VisibilityConfig": {
                        "SampledRequestsEnabled": True,
                        "CloudWatchMetricsEnabled": True,
                        "MetricName": GROUP,
                    },
                    "Rules": rules,
                },
            }
        },
        "Outputs": {
            "RuleGroupArn": {
                "Description": "Reference it from the web ACL (RuleGroupReferenceStatement).",
                "Value": {"Fn::GetAtt": ["RateLimits", "Arn"]},
            }
        },
    }


def readme(plan: EdgePlan, rules: list[WafRule], wcus: int, findings: list[Finding]) -> str:
    """The text that explains every number of the rules, and how to deploy them."""
    from campaign_guard.protect.nginx import plan_context
    from campaign_guard.render import render

    context = {
        **plan_context(plan, CANNOT_EXPRESS),
        "findings": [comment(f"{f.code}: {f.message}") for f in [*plan.findings, *findings]],
        "rules": [_rule(rule, plan) for rule in rules],
        "wcus": wcus,
        "group": GROUP,
        "cfn": CFN_FILE,
        "json": RULES_FILE,
    }
    return render("protect/aws-waf-README.txt.j2", **context)


def _rule(rule: WafRule, plan: EdgePlan) -> dict[str, object]:
    if not rule.per_client:
        key = "all requests to the endpoint together (AggregateKeyType CONSTANT)"
    elif plan.front.header is None:
        key = "per client address: the connection's (AggregateKeyType IP)"
    else:
        key = f"per client address: the first in {plan.front.header} (FORWARDED_IP)"
    return {
        "name": rule.name,
        "title": comment(f"{rule.endpoint.endpoint} (service {rule.endpoint.service})"),
        "key": key,
        "limit": f"{rule.count.limit:,}",
        "window": rule.count.window,
        "why": [comment(line) for line in rule.why],
    }
