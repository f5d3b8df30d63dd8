"""Atomic writes keep the permissions a plain write would give."""

from __future__ import annotations

import os
import stat

from careerkit.files import atomic_write_text


def test_atomic_write_gives_a_new_file_the_umask_default_and_keeps_an_old_files_mode(tmp_path):
    """A new file is readable by others like open() would make it (not mkstemp's 0600); a replaced one keeps its mode."""
    mask = os.umask(0o022)
    try:
        new = atomic_write_text(tmp_path / "report.html", "<p>hi</p>")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        os.chmod(new, 0o600)
        again = atomic_write_text(new, "<p>again</p>")
        assert stat.S_IMODE(again.stat().st_mode) == 0o600 and again.read_text(encoding="utf-8") == "<p>again</p>"
    finally:
        os.umask(mask)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left behind
