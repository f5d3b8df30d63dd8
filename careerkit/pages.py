"""Standalone, printable HTML pages: escaping student text, the page shell, embedded pictures.

Storyboards and canvases render to one self-contained HTML file (pictures inlined as
``data:`` URIs) that a student can e-mail to an adviser or print in black and white.
Every piece of student text goes through :func:`esc`; nothing here runs scripts.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path

#: Pictures larger than this are refused (a phone photo is ~3 MB; the page must stay e-mailable).
IMAGE_MAX_BYTES = 5_000_000
IMAGE_KINDS = "PNG, JPEG, GIF, WebP or SVG"

BASE_CSS = """
.ck-root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; line-height: 1.4; }
.ck-root h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
.ck-root h2 { font-size: 1rem; margin: 0 0 .4rem; }
.ck-root .ck-muted { color: #555; font-size: .85em; }
@media print {
  @page { margin: 12mm; }
  .ck-root { color: #000; background: #fff; }
  .ck-root * { box-shadow: none !important; background: transparent !important; color: #000 !important; }
}
"""


def esc(text: object) -> str:
    """Student text made safe for HTML (quotes too, so it can sit in attributes)."""
    return html.escape(str(text), quote=True)


def esc_lines(text: str) -> str:
    """Escaped text whose line breaks show as ``<br>``."""
    return "<br>".join(esc(line) for line in text.splitlines())


def sniff_image(data: bytes) -> str | None:
    """The picture's MIME type from its first bytes (not its name), or None if it is not a picture we show."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    try:
        head = data[:4096].decode("utf-8-sig").lstrip().lower()
    except UnicodeDecodeError:
        return None
    if head.startswith(("<svg", "<?xml", "<!--", "<!doctype svg")) and "<svg" in head:
        return "image/svg+xml"
    return None


def image_problem(path: Path) -> str | None:
    """Why ``path`` cannot be shown as a picture (in plain words), or None when it can."""
    try:
        if not path.is_file():
            return "was not found" if not path.exists() else "is a folder, not a picture"
        size = path.stat().st_size
    except OSError as exc:  # a folder on the way that we may not enter, a name too long
        return f"cannot be read ({exc.strerror or exc})"
    if size > IMAGE_MAX_BYTES:
        return f"is {size / 1e6:.1f} MB; make it smaller than {IMAGE_MAX_BYTES / 1e6:.0f} MB (export at a lower resolution)"
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if sniff_image(head) is None:
        return f"is not a picture: its content is not {IMAGE_KINDS} (renaming a file does not change what is inside)"
    return None


def data_uri(path: str | os.PathLike[str]) -> str | None:
    """The picture as a ``data:`` URI to inline in a page, or None when it cannot be shown."""
    p = Path(path)
    if image_problem(p) is not None:
        return None
    data = p.read_bytes()
    mime = sniff_image(data[:4096])
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def fragment(body: str, css: str) -> str:
    """A piece of page for a notebook cell: styles scoped under ``.ck-root``."""
    return f'<div class="ck-root"><style>{BASE_CSS}{css}</style>{body}</div>'


def page(*, title: str, body: str, css: str) -> str:
    """A complete standalone HTML document (UTF-8, print-friendly)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f'<body>\n<div class="ck-root">\n{body}\n</div>\n</body>\n</html>\n'
    )
