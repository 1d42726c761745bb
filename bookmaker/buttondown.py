"""A folder `buttondown pull` wrote -> the Site to read: its emails, titled as the newsletter.

Buttondown's command-line tool keeps a newsletter as `emails/*.md` (front matter `subject`,
`publish_date`, `status`), pictures in `media/`, reusable `snippets/*.md` that are no issues,
and the newsletter's own name and description in `newsletter.json` (older versions:
`newsletter/newsletter.json`), beside `.buttondown.json` or `.buttondown-sync.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Site

MARKERS = (".buttondown.json", ".buttondown-sync.json")
SETTINGS = ("newsletter.json", "newsletter/newsletter.json")
MAX_SETTINGS_BYTES = 1024 * 1024


def detect(base: Path) -> Site | None:
    emails = base / "emails"
    if not emails.is_dir() or not any((base / m).is_file() for m in MARKERS):
        return None
    name, description = _settings(base)
    return Site(
        "plain",
        base,
        (emails,),
        (base,),
        f"Buttondown newsletter ({emails})",
        title=name,
        description=description,
    )


def _settings(base: Path) -> tuple[str, str]:
    """The newsletter's `name` and `description`, or "" for what cannot be read."""
    for rel in SETTINGS:
        path = base / rel
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_SETTINGS_BYTES:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return "", ""
        if isinstance(data, dict):
            return _text(data.get("name")), _text(data.get("description"))
    return "", ""


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""
