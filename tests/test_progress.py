"""The progress bar: on stderr only when it is a terminal, only for a stage that lasts, never with --quiet."""

from __future__ import annotations

import io
import sys

import pytest

from pipeline import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def stderr(monkeypatch):
    def use(stream: io.StringIO, delay: float = 0.0) -> io.StringIO:
        monkeypatch.setattr(sys, "stderr", stream)
        monkeypatch.setattr(progress, "DELAY", delay)
        monkeypatch.setattr(progress, "quiet", False)
        return stream
    return use


def test_a_terminal_sees_the_bar(stderr):
    stream = stderr(Terminal())
    assert list(progress.bar(range(5), 5, "checking files")) == [0, 1, 2, 3, 4]
    assert "checking files" in stream.getvalue() and "0/5" in stream.getvalue()  # drawn, then cleared (leave=False)


def test_a_stage_shorter_than_the_delay_draws_nothing(stderr):
    stream = stderr(Terminal(), delay=60)
    assert list(progress.bar(range(5), 5, "checking files")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_a_pipe_or_file_sees_nothing(stderr):
    stream = stderr(io.StringIO())
    assert list(progress.bar(range(5), 5, "checking files")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_quiet_silences_it(stderr, monkeypatch):
    stream = stderr(Terminal())
    monkeypatch.setattr(progress, "quiet", True)
    assert list(progress.bar(range(5), 5, "checking files")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def test_the_command_line_sets_quiet(project, run_build, monkeypatch):
    monkeypatch.setattr(progress, "quiet", False)
    code, _, err = run_build(project, "--quiet", "validate")
    assert code == 0, err
    assert progress.quiet is True
    code, _, err = run_build(project, "validate")
    assert code == 0 and progress.quiet is False
    assert "checking" not in err  # stderr is not a terminal here
