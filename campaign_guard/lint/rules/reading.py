"""The rules of reading a file at all: it can be opened, it is text, it is not huge."""

from __future__ import annotations

from campaign_guard.lint.findings import Level
from campaign_guard.lint.rule import CAMPAIGN, Rule, campaign
from campaign_guard.spec import codes

_E = Level.ERROR

RULES = (
    Rule(
        codes.UNREADABLE,
        _E,
        "The file cannot be read.",
        "campaign-guard could not open the file, or it is not a regular file: a link to a "
        "file that no longer exists, a file only another user may read, a named pipe or "
        "a device. Nothing in it can be checked. The message gives the system's reason; "
        "check the path and the file's permissions.",
        bad="# a link to a file that was deleted, or a file only another user may read\n",
        good=CAMPAIGN,
        fixed=True,
        example_is_a_file=False,
    ),
    Rule(
        codes.ENCODING,
        _E,
        "The file is not UTF-8 text, or holds control characters.",
        "A campaign file must be plain UTF-8 text. A file saved as UTF-16 or in an older "
        "encoding (Latin-1, Windows-1252), or holding an invisible control character "
        "pasted from another program, would be read wrongly, so it is not read at all. "
        "Save the file as UTF-8 in your editor, or delete the character the message "
        "names (shown here as `\\x08`).",
        bad=campaign(("name: Spring Sale", "name: Spring\x08Sale")),
        good=CAMPAIGN,
        fixed=True,
    ),
    Rule(
        codes.TOO_LARGE,
        _E,
        "The file is larger than a campaign spec can reasonably be.",
        "A campaign spec is about 1 KB; campaign-guard reads files under 256 KB only, so "
        "a wrong file (an export, a log, a data dump) cannot slow down every check. Check "
        "that the path names the campaign spec, and keep large data out of it.",
        bad="# 300 KB: a spreadsheet export pasted below the spec\n",
        good=CAMPAIGN,
        fixed=True,
        example_is_a_file=False,
    ),
    Rule(
        codes.TOO_DEEP,
        _E,
        "The file nests lists or sections too deeply.",
        "A campaign spec needs about five levels of sections and lists; campaign-guard "
        "refuses more than 20, which only a mistake or a hostile file would write. "
        "Write the value out flat.",
        bad=CAMPAIGN + "notes: " + "[" * 21 + "deep" + "]" * 21 + "\n",
        good=CAMPAIGN + "notes: deep\n",
        fixed=True,
    ),
)
