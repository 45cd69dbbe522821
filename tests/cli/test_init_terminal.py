"""``campaign-guard init`` on a terminal: each answer checked as it is given, and Ctrl-C
or Ctrl-D at any question exits with 130 and writes nothing.

The in-process runs pretend stdin is a terminal (the ``tty`` runner of tests/conftest.py);
the last tests drive the installed script through a real pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from campaign_guard.spec.channels import CHANNELS
from campaign_guard.spec.load import load_spec
from tests.conftest import CliRun, RunCli, console_script, run_command
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
CHICAGO = {"TZ": "America/Chicago"}
"""This machine's time zone, as the tests set it."""
GOOD = [
    "Winter Push",  # name
    "sam@example.com",  # owner
    "2027-12-07 09:00",  # launch
    "",  # time zone: this machine's
    "36h",  # duration
    "",  # channel: email
    "120k",  # list size
    "https://example.com/winter",  # landing page
]
STOPPED = "error: stopped; nothing was written\n"


def answered(*answers: str) -> str:
    return "".join(f"{answer}\n" for answer in answers)


def transcript(run: CliRun) -> str:
    return f"exit code {run.exit_code}\n--- stdout\n{run.stdout}--- stderr\n{run.stderr}"


def test_a_wrong_answer_is_asked_again_and_the_others_are_kept(cli: RunCli, workdir: Path) -> None:
    conversation = answered(
        "Winter Push",
        "sam",  # no email address
        "sam@example.com",
        "2027-12-07",  # a date alone would be midnight
        "2027-12-07 09:00",
        "Mars/Olympus",
        "",  # this machine's zone
        "forever",
        "",  # 7d
        "emial",
        "tv_radio",
        "lots",
        "300k",
        "example.com/winter",
        "https://example.com/winter",
    )
    run = cli("init", input=conversation, tty=True, env=CHICAGO)
    assert run.exit_code == 0, run.stderr
    assert_golden(transcript(run), GOLDEN / "init-terminal.txt")
    # The marketer typed no option, so no message names one.
    assert "--" not in run.stdout

    spec = load_spec(workdir / "campaigns" / "winter-push.yaml")
    assert spec.problems == []
    assert spec.value is not None
    assert (spec.value.name, spec.value.owner) == ("Winter Push", "sam@example.com")
    assert spec.value.launch.start.isoformat() == "2027-12-07T09:00:00-06:00"
    assert spec.value.launch.timezone == "America/Chicago"
    assert [(c.channel, getattr(c, "viewers", None)) for c in spec.value.traffic] == [
        ("tv_radio", 300_000)
    ]


def test_the_answers_make_the_spec(cli: RunCli, workdir: Path) -> None:
    run = cli("init", input=answered(*GOOD), tty=True, env=CHICAGO)
    assert run.exit_code == 0, run.stderr
    for question in (
        "Campaign name:",
        "Your email:",
        "Launch date and time (YYYY-MM-DD HH:MM):",
        "Time zone of that time (default: this machine's zone) [America/Chicago]:",
        "How long it runs (e.g. 7d, 36h) [7d]:",
        "List size: how many people receive the email:",
        "Landing page address (https://...):",
    ):
        assert question in run.stdout
    assert "Wrote campaigns/winter-push.yaml" in run.stderr
    # The channel question lists every channel.
    before, question, _ = run.stdout.partition("Main channel [email]:")
    assert question, run.stdout
    listed = before.rsplit("Channels: ", 1)[1].replace("\n", " ")
    assert [name.strip() for name in listed.split(",")] == list(CHANNELS)

    spec = load_spec(workdir / "campaigns" / "winter-push.yaml")
    assert spec.value is not None
    assert (spec.value.name, spec.value.id) == ("Winter Push", "winter-push")
    assert spec.value.launch.timezone == "America/Chicago"
    assert spec.value.launch.ends.isoformat() == "2027-12-08T21:00:00-06:00"
    assert [c.channel for c in spec.value.traffic] == ["email"]
    assert spec.value.landing_pages == ["https://example.com/winter"]


def test_only_what_the_options_leave_out_is_asked(cli: RunCli, workdir: Path) -> None:
    options = ["--name", "Spring Sale 2027", "--launch", "2027-03-02 09:00", "--channel", "sms"]
    run = cli("init", *options, input=answered("kim@example.com", "", "", "2000",
              "https://example.com/spring"), tty=True, env=CHICAGO)  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert "Your email:" in run.stdout
    assert "Recipients: how many people receive the SMS: 2000" in run.stdout
    assert "Campaign name" not in run.stdout
    assert "Main channel" not in run.stdout
    spec = load_spec(workdir / "campaigns" / "spring-sale-2027.yaml")
    assert spec.value is not None
    assert spec.value.owner == "kim@example.com"


def test_the_time_zone_offered_is_this_machines_and_says_so(cli: RunCli, workdir: Path) -> None:
    run = cli("init", input=answered(*GOOD), tty=True, env={"TZ": "Asia/Kolkata"})
    assert run.exit_code == 0, run.stderr
    assert "Time zone of that time (default: this machine's zone) [Asia/Kolkata]: \n" in run.stdout
    spec = load_spec(workdir / "campaigns" / "winter-push.yaml")
    assert spec.value is not None
    assert spec.value.launch.start.isoformat() == "2027-12-07T09:00:00+05:30"


def test_without_a_known_machine_zone_the_zone_must_be_typed(cli: RunCli, workdir: Path) -> None:
    answers = [*GOOD[:3], "", "Europe/Paris", *GOOD[4:]]  # Enter alone is asked again
    run = cli("init", input=answered(*answers), tty=True, env={"TZ": "Nowhere/Atlantis"})
    assert run.exit_code == 0, run.stderr
    question = "Time zone of that time, e.g. America/New_York: "
    assert run.stdout.count(question) == 2
    assert "UTC" not in run.stdout
    spec = load_spec(workdir / "campaigns" / "winter-push.yaml")
    assert spec.value is not None
    assert spec.value.launch.timezone == "Europe/Paris"


def test_a_bad_option_is_named_and_then_asked_for(cli: RunCli, workdir: Path) -> None:
    run = cli(
        "init", "--owner", "sam", "--timezone", "Mars/Olympus",
        input=answered("Winter Push", "sam@example.com", "2027-12-07 09:00", "Europe/Paris",
                       *GOOD[4:]),
        tty=True,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert "--owner: must be an email address like jane@example.com\nYour email: " in run.stdout
    assert "--timezone: unknown time zone 'Mars/Olympus';" in run.stdout


@pytest.mark.parametrize("given", range(len(GOOD)))
def test_end_of_input_at_any_question_exits_130_and_writes_nothing(
    cli: RunCli, workdir: Path, given: int
) -> None:
    run = cli("init", input=answered(*GOOD[:given]), tty=True, env=CHICAGO)
    assert (run.exit_code, run.stderr) == (130, STOPPED)
    assert run.stdout.endswith(": \n"), "the error must not start on the question's line"
    assert list(workdir.iterdir()) == []


def test_ctrl_c_at_a_question_exits_130_and_writes_nothing(cli: RunCli, workdir: Path) -> None:
    run = cli("init", input=answered("Winter Push", "^C"), tty=True, env=CHICAGO)
    assert (run.exit_code, run.stderr) == (130, STOPPED)
    assert run.stdout.startswith("Campaign name: Winter Push\nYour email: ")
    assert list(workdir.iterdir()) == []


# --- a real pseudo-terminal ---------------------------------------------------------------

# Runs the installed script on a new pseudo-terminal (in a process of its own, so that
# the test run never forks), answers each question when it shows, then sends the last
# keys; prints the exit code and everything the terminal showed, as JSON.
_DRIVER = r"""
import json, os, pty, select, sys, time

script, keys = sys.argv[1], json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execv(script, [script, "init"])
shown = b""
deadline = time.monotonic() + 30

def read(asked_after=None):
    # Until the script ends, or shows a new question after the answer at ``asked_after``.
    global shown
    while time.monotonic() < deadline:
        if asked_after is not None:
            new = shown[asked_after:]
            if new.endswith(b": ") and (asked_after == 0 or b"\n" in new):
                return
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the script ended
            return
        if not chunk:
            return
        shown += chunk

def asleep(pid):
    try:  # Linux; elsewhere the pause above has to do
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "S"
    except OSError:
        return True

mark = 0
for key in keys:
    read(asked_after=mark)  # the next question is on screen
    if key == "\x03":
        # As a person would: once the script waits in its read. A SIGINT that lands
        # just before input() starts to read is seen only when the read returns.
        time.sleep(0.2)
        while not asleep(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    mark = len(shown)
    os.write(fd, key.encode())
read()
if time.monotonic() >= deadline:  # still waiting for an answer: stop it
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "shown": shown.decode()}))
"""


def on_a_terminal(workdir: Path, *keys: str) -> tuple[int, str]:
    """Exit code and screen of ``campaign-guard init`` typed ``keys`` on a real terminal."""
    if not hasattr(os, "openpty"):
        pytest.fail("this platform has no pseudo-terminals (os.openpty)")
    environ = {**os.environ, "TZ": "America/Chicago", "TERM": "dumb"}
    command = [sys.executable, "-c", _DRIVER, str(console_script()), json.dumps(keys)]
    done = run_command(command, workdir, env=environ)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    return result["code"], result["shown"].replace("\r\n", "\n")


@pytest.mark.parametrize(("key", "name"), [("\x04", "Ctrl-D"), ("\x03", "Ctrl-C")])
def test_on_a_real_terminal_ctrl_c_or_ctrl_d_exits_130(workdir: Path, key: str, name: str) -> None:
    code, shown = on_a_terminal(workdir, "Winter Push\n", "sam@example.com\n", key)
    assert code == 130, f"{name}: {shown}"
    question, _, after = shown.rpartition("Launch date and time (YYYY-MM-DD HH:MM): ")
    assert question, shown
    assert after in (f"\n{STOPPED}", f"^C\n{STOPPED}"), after  # the terminal may echo ^C
    assert list(workdir.iterdir()) == []


def test_on_a_real_terminal_the_answers_make_the_spec(workdir: Path) -> None:
    code, shown = on_a_terminal(workdir, *(f"{answer}\n" for answer in GOOD))
    assert code == 0, shown
    assert "[America/Chicago]" in shown
    assert shown.endswith(
        "Wrote campaigns/winter-push.yaml and campaigns/campaign-spec.schema.json (lets editors "
        "check the spec as you type). Edit it, then run: campaign-guard lint "
        "campaigns/winter-push.yaml\n"
    )
    spec = load_spec(workdir / "campaigns" / "winter-push.yaml")
    assert spec.problems == []
