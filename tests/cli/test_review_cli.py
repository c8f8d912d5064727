"""The clinician review commands of ../shared/CLI.md through the real CLI entry point."""

from __future__ import annotations

import json

import pytest

from luna_core.cli.main import main


@pytest.fixture
def cli(tmp_path, capsys):
    data_dir = str(tmp_path / "data")

    def run(*args: str, user: str | None = None):
        code = main(["--data-dir", data_dir, *(["--user", user] if user else []), *args, "--json"])
        out, err = capsys.readouterr()
        return code, json.loads(out) if out.strip() else None, err

    run("users", "add", "dr-a", "--role", "clinician")
    run("users", "add", "dr-b", "--role", "clinician")
    return run


def test_edit_submit_gate_approve_and_the_log(cli, tmp_path):
    code, versions, _ = cli("templates", "versions", "cbt-therapist", user="dr-a")
    assert code == 0 and [(v["version"], v["status"]) for v in versions] == [(1, "approved")]
    assert set(versions[0]) == {"version", "status", "author", "reviewer", "prompt_sha256", "created_at", "note"}
    _, seed, _ = cli("templates", "list")
    prompt = tmp_path / "prompt.txt"
    prompt.write_text(next(t for t in seed if t["id"] == "cbt-therapist")["prompt_template"] + "\n\nOne more line.")
    code, draft, _ = cli("templates", "edit", "cbt-therapist", "--prompt-file", str(prompt), "--note", "n",
                         user="dr-a")
    assert code == 0 and (draft["version"], draft["status"], draft["note"]) == (2, "draft", "n")
    assert cli("templates", "submit", "cbt-therapist", "--version", "2", user="dr-a")[1]["status"] == "in_review"
    code, _, err = cli("templates", "approve", "cbt-therapist", "--version", "2", user="dr-b")
    assert code == 2 and "safety gate" in err
    code, gate, _ = cli("templates", "gate", "cbt-therapist", "--version", "2", user="dr-b")
    assert code == 0 and gate["passed"]
    code, _, err = cli("templates", "approve", "cbt-therapist", "--version", "2", user="dr-a")
    assert code == 2 and "You wrote this version" in err
    code, approved, _ = cli("templates", "approve", "cbt-therapist", "--version", "2", "--comment", "ok",
                            user="dr-b")
    assert code == 0 and approved["status"] == "approved"
    assert next(t for t in cli("templates", "list")[1] if t["id"] == "cbt-therapist")["version"] == 2
    assert cli("templates", "verify-log")[1]["intact"] is True


def test_testers_are_refused(cli):
    code, _, err = cli("templates", "request-changes", "cbt-therapist", "--version", "1", "--comment", "no",
                       user="tess")
    assert code == 2 and "Only" in err
