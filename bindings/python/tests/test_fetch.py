"""``fetch`` against real repositories built with the git CLI: a ``file://`` URL
(git upload-pack) and ``git daemon`` on 127.0.0.1."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

import fluxcd_core as fc

ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=master", *args],
        cwd=cwd,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "deploy").mkdir(parents=True)
    git(src, "init", "-q")
    (src / "deploy" / "app.yaml").write_text("kind: ConfigMap\n")
    (src / "README.md").write_text("# app\n")
    (src / "logo.png").write_bytes(b"\x89PNG")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "one")
    git(src, "tag", "-a", "v1.0.0", "-m", "release")
    (src / "deploy" / "app.yaml").write_text("kind: ConfigMap\nv: 2\n")
    git(src, "commit", "-q", "-am", "two")
    git(src, "branch", "staging")
    return src


def test_fetch_branch_writes_the_artifact(repo: Path, tmp_path: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    r = fc.fetch(f"file://{repo}", out_dir=tmp_path / "store", namespace="apps", name="app")
    assert r["revision"] == f"master@sha1:{head}"
    assert r["storagePath"] == f"gitrepository/apps/app/{head}.tar.gz"
    data = Path(r["path"]).read_bytes()
    assert r["digest"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert r["size"] == len(data)
    with tarfile.open(r["path"]) as t:
        names = t.getnames()
    # Default ignore rules: .git and *.png are out.
    assert "deploy/app.yaml" in names and "README.md" in names
    assert not any(n.startswith(".git") or n.endswith(".png") for n in names)
    assert r["files"] == 2


def test_fetch_tag_semver_and_ignore(repo: Path, tmp_path: Path) -> None:
    tagged = git(repo, "rev-parse", "v1.0.0^{commit}")
    r = fc.fetch(f"file://{repo}", out_dir=tmp_path / "s1", tag="v1.0.0")
    assert r["revision"] == f"v1.0.0@sha1:{tagged}"
    r = fc.fetch(f"file://{repo}", out_dir=tmp_path / "s2", semver="^1.0", ignore="*.md")
    assert r["revision"] == f"v1.0.0@sha1:{tagged}"
    with tarfile.open(r["path"]) as t:
        names = t.getnames()
    # A user pattern replaces the default exclusions: the .png is back, the .md is out.
    assert "logo.png" in names and "README.md" not in names


def test_fetch_errors_are_fetch_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(fc.FetchError) as info:
        fc.fetch(f"file://{repo}", out_dir=tmp_path / "s", branch="nope")
    assert info.value.code == "git.ref_not_found"
    assert "couldn't find remote ref 'refs/heads/nope'" in str(info.value)
    with pytest.raises(fc.FetchError) as info:
        fc.fetch(f"file://{repo}", out_dir=tmp_path / "s", semver=">=2.0.0")
    assert str(info.value) == "no match found for semver: >=2.0.0"
    with pytest.raises(fc.FluxError) as info:
        fc.fetch(f"file://{repo}", out_dir=tmp_path / "s", timeout=-1)
    assert info.value.code == "embed.invalid_argument"


def test_fetch_over_git_daemon(repo: Path, tmp_path: Path) -> None:
    srv = tmp_path / "srv"
    srv.mkdir()
    git(srv, "clone", "-q", "--bare", str(repo), "repo.git")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    daemon = subprocess.Popen(
        ["git", "daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}",
         f"--base-path={srv}", str(srv)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        r = fc.fetch(f"git://127.0.0.1:{port}/repo.git", out_dir=tmp_path / "s", branch="staging")
        assert r["revision"] == "staging@sha1:" + git(repo, "rev-parse", "staging")
        assert r["reference"] == "refs/heads/staging"
    finally:
        daemon.kill()
        daemon.wait()
