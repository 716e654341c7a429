"""textmend as a pre-commit hook, the way another repository uses it.

`pre-commit try-repo ROOT HOOK --all-files` runs the hooks of `.pre-commit-hooks.yaml`
in a scratch git repository, after pre-commit has installed textmend from this
repository into a fresh virtualenv with pip. That needs the package registries: when
pip cannot reach them the tests skip, saying so. Each try-repo run installs anew
(it keeps its store in a temporary folder), a few seconds each: the tests are marked
`slow`, so `-m "not slow"` leaves them out.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent

# what the scratch repository holds, and what each file must hold once `textmend fix`
# has run (the doubled word needs an unsafe fix: the hook leaves it)
DOUBLED = "It was the the harshest winter in years.\n"
QUOTE = "NATO called it a “serious threat“for Europe.\n"
QUOTE_FIXED = "NATO called it a “serious threat” for Europe.\n"
SPACES = "Trailing white space here.   \nAnd a second line.\n"
SPACES_FIXED = "Trailing white space here.\nAnd a second line.\n"
CLEAN = "The ministers met in Brussels on Tuesday.\n"
RECORD = {"id": "r1", "text": "A record with trailing space.  "}
RECORD_FIXED = {"id": "r1", "text": "A record with trailing space."}
# not a file the hooks take: textmend would report its trailing space if given it
IGNORED = "x = 'the the'   \n"

FINDINGS = (
    "doubled.txt:1:8: D101",
    "quote.md:1:33: P101",
    "quote.md:1:33: P102",
    "spaces.txt:1:27: U104",
    "records.jsonl.gz[1:r1]:1:30: U104",
)
MODIFIED = "files were modified by this hook"

# how pip says that it could not reach an index (rather than that a package is broken)
UNREACHABLE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name"
    r"|Name or service not known|Network is unreachable|Connection refused"
    r"|ConnectTimeoutError|timed out|ProxyError|SSLError|Could not fetch URL"
    r"|connection broken by",
    re.IGNORECASE,
)
# git variables that a calling git hook may have set, which would point git elsewhere
GIT_KEEP = {"GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_NO_VERIFY"}


def _environment(pre_commit_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in GIT_KEEP}
    env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    env["NO_COLOR"] = "1"
    return env


def _git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of every command: a pre-commit cache of this session only."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    return _environment(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="session")
def hook_repo(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The repository to give try-repo: the project's root.

    try-repo takes HEAD plus the changes to tracked files, but leaves out files that
    git does not track yet (such as a new `.pre-commit-hooks.yaml`). When there are
    any, it gets a snapshot of the working tree as it is on disk instead, in a
    repository of its own, committed.
    """
    inside = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if inside.returncode != 0 or Path(inside.stdout.strip()).resolve() != ROOT:
        pytest.skip(f"{ROOT} is not the top of a git repository: try-repo needs one")
    untracked = _git("ls-files", "-z", "--others", "--exclude-standard", cwd=ROOT, env=env)
    if not untracked.strip("\0"):
        return str(ROOT)
    snapshot = tmp_path_factory.mktemp("textmend-snapshot")
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=env)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not os.path.lexists(source):  # deleted, not yet committed
            continue
        (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, snapshot / name, follow_symlinks=False)
    _git("init", "-q", cwd=snapshot, env=env)
    _git("add", "-A", cwd=snapshot, env=env)
    identity = ["-c", "user.name=textmend tests", "-c", "user.email=tests@textmend.invalid"]
    identity += ["-c", "commit.gpgsign=false"]
    _git(*identity, "commit", "-q", "--no-verify", "-m", "working tree", cwd=snapshot, env=env)
    return str(snapshot)


@pytest.fixture(scope="session")
def registries(hook_repo: str, env: dict[str, str]) -> None:
    """Skip unless pip can get what try-repo's pip will install: textmend's build
    requirements and dependencies (a dry run, which resolves them against the
    configured indexes but installs nothing)."""
    if importlib.util.find_spec("pip") is None:
        return  # nothing to ask; try-repo seeds its own pip and will say what failed
    project = tomllib.loads((Path(hook_repo) / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    probe_env = dict(env, PIP_RETRIES="1", PIP_TIMEOUT="20", PIP_DEFAULT_TIMEOUT="20")
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q", *wanted],
        env=probe_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if probe.returncode == 0:
        return
    output = probe.stdout + probe.stderr
    reason = next((line.strip() for line in output.splitlines() if UNREACHABLE.search(line)), "")
    if reason:
        pytest.skip(f"pip cannot reach the package registries try-repo installs from: {reason}")
    pytest.fail(f"pip cannot resolve textmend's requirements {wanted}:\n{output}")


@pytest.fixture
def scratch(tmp_path: Path, env: dict[str, str]) -> Path:
    """A git repository with a few defective text files, a clean one, and a Python file
    (which the hooks must not take)."""
    repo = tmp_path / "corpus"
    repo.mkdir()
    (repo / "doubled.txt").write_text(DOUBLED, encoding="utf-8")
    (repo / "quote.md").write_text(QUOTE, encoding="utf-8")
    (repo / "spaces.txt").write_text(SPACES, encoding="utf-8")
    (repo / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (repo / "records.jsonl.gz").write_bytes(gzip.compress(json.dumps(RECORD).encode() + b"\n"))
    (repo / "ignored.py").write_text(IGNORED, encoding="utf-8")
    _git("init", "-q", cwd=repo, env=env)
    _git("config", "user.name", "textmend tests", cwd=repo, env=env)
    _git("config", "user.email", "tests@textmend.invalid", cwd=repo, env=env)
    _git("add", "-A", cwd=repo, env=env)
    _git(
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "--no-verify",
        "-m",
        "corpus",
        cwd=repo,
        env=env,
    )
    return repo


def try_repo(hook_repo: str, hook: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """`pre-commit try-repo HOOK_REPO HOOK --all-files` in cwd: its exit status and output."""
    command = [sys.executable, "-m", "pre_commit", "try-repo", hook_repo, hook]
    options = ["--all-files", "--color", "never"]
    result = subprocess.run(
        [*command, *options], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    output = result.stdout + result.stderr
    print(f"--- try-repo {hook} (exit {result.returncode}) ---\n{output}")
    return result.returncode, output


def contents(repo: Path) -> dict[str, str]:
    """Each file's text, the gzipped one's decompressed."""
    return {
        path.name: (
            gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        ).decode("utf-8")
        for path in repo.iterdir()
        if path.is_file()
    }


def record(text: str) -> dict[str, str]:
    loaded: dict[str, str] = json.loads(text)
    return loaded


@pytest.mark.usefixtures("registries")
def test_check_hook_reports_and_writes_nothing(
    hook_repo: str, scratch: Path, env: dict[str, str]
) -> None:
    before = contents(scratch)
    status, output = try_repo(hook_repo, "textmend", scratch, env)
    assert status == 1, output
    assert re.search(r"^textmend\.+Failed$", output, re.MULTILINE), output
    for finding in FINDINGS:
        assert finding in output
    assert "clean.txt" not in output
    assert "ignored.py" not in output  # `files` keeps what textmend does not read out
    assert MODIFIED not in output
    assert contents(scratch) == before

    # once the defects are mended, the hook passes
    (scratch / "doubled.txt").write_text(DOUBLED.replace("the the", "the"), encoding="utf-8")
    (scratch / "quote.md").write_text(QUOTE_FIXED, encoding="utf-8")
    (scratch / "spaces.txt").write_text(SPACES_FIXED, encoding="utf-8")
    (scratch / "records.jsonl.gz").write_bytes(
        gzip.compress(json.dumps(RECORD_FIXED).encode() + b"\n")
    )
    status, output = try_repo(hook_repo, "textmend", scratch, env)
    assert status == 0, output
    assert re.search(r"^textmend\.+Passed$", output, re.MULTILINE), output


@pytest.mark.usefixtures("registries")
def test_fix_hook_applies_safe_fixes(hook_repo: str, scratch: Path, env: dict[str, str]) -> None:
    status, output = try_repo(hook_repo, "textmend-fix", scratch, env)
    assert status == 1, output
    assert re.search(r"^textmend \(fix\)\.+Failed$", output, re.MULTILINE), output
    assert MODIFIED in output
    fixed = contents(scratch)
    assert fixed["quote.md"] == QUOTE_FIXED  # P101 + P102, safe
    assert fixed["spaces.txt"] == SPACES_FIXED  # U104, safe
    assert record(fixed["records.jsonl.gz"]) == RECORD_FIXED  # U104 inside a record
    assert fixed["doubled.txt"] == DOUBLED  # D101 needs --unsafe-fixes: kept, and reported
    assert fixed["clean.txt"] == CLEAN
    assert fixed["ignored.py"] == IGNORED
    assert "doubled.txt:1:8: D101" in output

    # a second run changes nothing; it still fails, on the finding left to a person
    status, output = try_repo(hook_repo, "textmend-fix", scratch, env)
    assert status == 1, output
    assert MODIFIED not in output
    assert "doubled.txt:1:8: D101" in output
    assert not any(f in output for f in FINDINGS if "D101" not in f)
    assert contents(scratch) == fixed

    # mend that by hand, and the hook passes
    (scratch / "doubled.txt").write_text(DOUBLED.replace("the the", "the"), encoding="utf-8")
    status, output = try_repo(hook_repo, "textmend-fix", scratch, env)
    assert status == 0, output
    assert re.search(r"^textmend \(fix\)\.+Passed$", output, re.MULTILINE), output
