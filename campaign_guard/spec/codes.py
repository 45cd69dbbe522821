"""The finding codes of the problems found while reading a file, declared once.

Reading a file (its bytes, its YAML, its schema) is :mod:`campaign_guard.spec`'s work,
and it names each problem it finds with one of these codes; ``lint`` reports them, and
:mod:`campaign_guard.lint.rules` documents each one. They are declared here so the
loader can name them without importing ``lint``. The codes are stable: CI
configurations and SARIF dashboards refer to them.

A problem of any of these kinds stops the file from being read, so it is always an
error: none of them can be turned off or lowered.
"""

from __future__ import annotations

from typing import Final

# Reading the file
UNREADABLE: Final = "unreadable"
ENCODING: Final = "encoding"
TOO_LARGE: Final = "too-large"
TOO_DEEP: Final = "too-deep"

# Its YAML
YAML_SYNTAX: Final = "yaml-syntax"
TABS: Final = "tabs"
DUPLICATE_KEY: Final = "duplicate-key"
YAML_FEATURE: Final = "yaml-feature"
DOCUMENT_SHAPE: Final = "document-shape"
LOOKALIKE_CHARACTER: Final = "lookalike-character"

# Its schema
MISSING_FIELD: Final = "missing-field"
UNKNOWN_FIELD: Final = "unknown-field"
UNKNOWN_CHANNEL: Final = "unknown-channel"
INVALID_VALUE: Final = "invalid-value"
OUT_OF_RANGE: Final = "out-of-range"
ENDPOINT_FORMAT: Final = "endpoint-format"
TIMEZONE: Final = "timezone"
MISSING_TIME: Final = "missing-time"
UNKNOWN_REFERENCE: Final = "unknown-reference"
TOO_MANY_PROBLEMS: Final = "too-many-problems"

READING_CODES: Final = (
    UNREADABLE,
    ENCODING,
    TOO_LARGE,
    TOO_DEEP,
    YAML_SYNTAX,
    TABS,
    DUPLICATE_KEY,
    YAML_FEATURE,
    DOCUMENT_SHAPE,
    LOOKALIKE_CHARACTER,
    MISSING_FIELD,
    UNKNOWN_FIELD,
    UNKNOWN_CHANNEL,
    INVALID_VALUE,
    OUT_OF_RANGE,
    ENDPOINT_FORMAT,
    TIMEZONE,
    MISSING_TIME,
    UNKNOWN_REFERENCE,
    TOO_MANY_PROBLEMS,
)
"""Every code of this module: the problems that stop a file from being read."""
