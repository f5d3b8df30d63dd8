"""careerkit.pages: pictures that cannot be shown say why instead of raising."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerkit import pages


def test_a_picture_behind_a_folder_we_may_not_enter_is_a_reason_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(self: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_file", denied)
    problem = pages.image_problem(tmp_path / "locked" / "panel.png")
    assert problem == "cannot be read (Permission denied)"
    assert pages.data_uri(tmp_path / "locked" / "panel.png") is None


def test_a_real_png_is_inlined_and_a_renamed_text_file_is_not(tmp_path: Path) -> None:
    png = tmp_path / "ok.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    fake = tmp_path / "fake.png"
    fake.write_text("just text", encoding="utf-8")
    assert pages.image_problem(png) is None
    assert pages.data_uri(png).startswith("data:image/png;base64,")
    assert "is not a picture" in pages.image_problem(fake)
