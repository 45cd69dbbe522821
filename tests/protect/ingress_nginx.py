"""What the ingress-nginx controller makes of the files ``protect edge --target
ingress-nginx`` writes, as plain nginx configuration, so real nginx can check and run it.

The translation follows kubernetes/ingress-nginx v1.15.1:

* ``internal/ingress/annotations/ratelimit/main.go``: a zone per Ingress named
  ``<namespace>_<name>_<uid>_rps`` (``_rpm``), 5 MB, burst = limit x
  ``limit-burst-multiplier`` (5 when absent);
* ``internal/ingress/controller/template/template.go``: ``buildRateLimitZones``
  (``limit_req_zone <key> zone=…:5m rate=Nr/s;``, the key being
  ``limit-conn-zone-variable``, ``$binary_remote_addr`` by default),
  ``buildRateLimit`` (``limit_req zone=… burst=N nodelay;``, rpm before rps as the
  controller orders them), ``buildLocation`` (``= "path"`` for Exact, ``"path"`` for
  ImplementationSpecific, ``~* "^path"`` for every path of the host when one uses
  ``use-regex``; ``\\`` and ``"`` escaped by ``sanitizeQuotedRegex``);
* ``rootfs/etc/nginx/template/nginx.tmpl``: ``limit_req_status`` from
  ``limit-req-status-code``, and the realip module from ``use-forwarded-headers``,
  ``forwarded-for-header`` and ``proxy-real-ip-cidr``.

The result uses the nginx target's file names (``nginx-http.conf``,
``nginx-server.conf``), so :mod:`tests.protect.servers` wraps and runs it unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from tests.conftest import REPO_ROOT
from tests.protect.servers import nginx_check

SCHEMA = REPO_ROOT / "tests" / "data" / "kubernetes-validate-1.37.0-ingress-networking-v1.json"
"""The strict Ingress networking.k8s.io/v1 schema (source and version in
tests/data/README.md)."""
STRICT_PATH = re.compile(r"(?i)^/[a-z0-9._\-/]*$")
"""The paths the controller accepts with pathType Exact (internal/ingress/inspector/
rules.go, ``validPathType``)."""
PREFIX = "nginx.ingress.kubernetes.io/"
DEFAULT_MULTIPLIER = 5
UPSTREAM = "cg_ingress_upstream"


def documents(files: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The Ingresses of the annotations file and the ConfigMap's ``data``."""
    ingresses = [
        d for d in yaml.safe_load_all(files["ingress-nginx-annotations.yaml"]) if d is not None
    ]
    configmap = yaml.safe_load(files["ingress-nginx-configmap.yaml"])
    return ingresses, dict(configmap["data"])


def _quoted(path: str) -> str:
    return path.replace("\\", "\\\\").replace('"', '\\"')


def _http(data: dict[str, str], zones: list[str]) -> str:
    lines = [f"limit_req_status {data.get('limit-req-status-code', '503')};"]
    if data.get("use-forwarded-headers") == "true":
        lines.append(f"real_ip_header {data.get('forwarded-for-header', 'X-Forwarded-For')};")
        lines.append("real_ip_recursive on;")
        for cidr in data.get("proxy-real-ip-cidr", "0.0.0.0/0").split(","):
            lines.append(f"set_real_ip_from {cidr.strip()};")
    return "\n".join([*lines, *zones, ""])


def nginx_files(files: dict[str, str]) -> dict[str, str]:
    """The nginx ``http {}`` and ``server {}`` parts the controller would write."""
    ingresses, data = documents(files)
    regex = any(
        (i["metadata"].get("annotations") or {}).get(f"{PREFIX}use-regex") == "true"
        for i in ingresses
    )
    zones: list[str] = []
    locations: list[str] = []
    for index, ingress in enumerate(ingresses):
        annotations = ingress["metadata"].get("annotations") or {}
        zone = f"default_{ingress['metadata']['name']}_uid{index}"
        multiplier = int(annotations.get(f"{PREFIX}limit-burst-multiplier", DEFAULT_MULTIPLIER))
        limits = []
        for unit, per in (("rpm", "m"), ("rps", "s")):
            value = int(annotations.get(f"{PREFIX}limit-{unit}", 0))
            if value > 0:
                zones.append(
                    f"limit_req_zone $binary_remote_addr zone={zone}_{unit}:5m rate={value}r/{per};"
                )
                limits.append(f"limit_req zone={zone}_{unit} burst={value * multiplier} nodelay;")
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                quoted = _quoted(path["path"])
                if regex:
                    where = f'~* "^{quoted}"'
                elif path["pathType"] == "Exact":
                    where = f'= "{quoted}"'
                else:
                    where = f'"{quoted}"'
                body = "".join(f"    {line}\n" for line in limits)
                locations.append(
                    f"location {where} {{\n{body}    proxy_pass http://{UPSTREAM};\n}}\n"
                )
    return {"nginx-http.conf": _http(data, zones), "nginx-server.conf": "".join(locations)}


def schema_errors(ingress: dict[str, Any]) -> list[str]:
    """What the Ingress schema finds wrong with ``ingress``."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return [error.message for error in Draft202012Validator(schema).iter_errors(ingress)]


def check_ingresses(files: dict[str, str]) -> list[dict[str, Any]]:
    """The Ingresses of ``files``, each asserted valid against the schema and with a
    path the controller takes."""
    ingresses, _ = documents(files)
    for ingress in ingresses:
        assert schema_errors(ingress) == []
        assert ingress["kind"] == "Ingress"
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["path"].startswith("/")
                if path["pathType"] == "Exact":
                    assert STRICT_PATH.match(path["path"]), path
    return ingresses


def ingress_check(files: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    """The Ingresses checked against the schema, then ``nginx -t`` on what the controller
    would make of them."""
    check_ingresses(files)
    return nginx_check(nginx_files(files), folder)
