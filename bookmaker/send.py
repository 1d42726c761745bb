"""An EPUB -> an e-mail to a Send-to-Kindle address, through the user's own SMTP server.

Amazon rejects what it cannot read only after the mail has gone (error E999 for a bad
language tag, silence for an oversized file), so both are checked before sending.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from .catalog import download_name, human_size, read_epub
from .config import Config, SendConfig
from .errors import BookmakerError

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1000 * 1000  # Send to Kindle by e-mail: 50 MB per document
SMTP_TIMEOUT = 60

# RFC 5646 language tags (without the grandfathered irregular ones Kindle refuses anyway).
BCP47 = re.compile(
    r"^(?P<lang>[a-z]{2,3})(-[a-z]{3}){0,3}(-[a-z]{4})?(-([a-z]{2}|\d{3}))?"
    r"(-([a-z\d]{5,8}|\d[a-z\d]{3}))*(-[a-wyz\d](-[a-z\d]{2,8})+)*(-x(-[a-z\d]{1,8})+)?$",
    re.IGNORECASE,
)
# Languages Kindle documents support (ISO 639-1, or 639-2 where there is no 639-1 code).
KINDLE_LANGUAGES = frozenset(
    """af ar eu br ca zh co hr cs da nl en eo et fo fi fr fy gl de el gu he hi hu is ga it ja
    kn ko la lv lt lb ml gv mr nb nn no oc pl pt rm ro ru sa gd sr sk sl es sv ta te th tr uk
    cy yi bg bn id ms fa ur vi sw zu xh fil""".split()
)
MEDIA_TYPES = {".epub": ("application", "epub+zip"), ".pdf": ("application", "pdf")}


@dataclass(frozen=True)
class Outgoing:
    path: Path
    title: str
    suffix: str  # ".epub" | ".pdf"


def run(config: Config, args) -> int:
    """`bookmaker send [--to ADDRESS] [BOOK]`."""
    from .build import output_path

    book = args.book.resolve() if args.book else output_path(config, ".epub")
    to = args.to or config.send.to
    if not to or "@" not in to:
        raise BookmakerError(
            "no recipient: pass --to NAME@kindle.com or set `to` in [send] of bookmaker.toml"
        )
    outgoing = check(book)
    settings = config.send
    password = os.environ.get(settings.password_env, "") if settings.password_env else ""
    send(outgoing, to, settings, password)
    log.info("sent %s (%s) to %s", book.name, human_size(book.stat().st_size), to)
    return 0


def check(book: Path) -> Outgoing:
    """What Kindle would refuse, refused here with advice: missing, too big, bad language."""
    if not book.is_file():
        raise BookmakerError(f"{book}: no such book; run `bookmaker epub` first or name one")
    suffix = book.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise BookmakerError(f"{book}: Send to Kindle takes EPUB or PDF, not {suffix or 'this'}")
    size = book.stat().st_size
    if size > MAX_BYTES:
        raise BookmakerError(
            f"{book}: {human_size(size)} is more than the 50 MB Send to Kindle accepts by "
            "e-mail; make it smaller with `bookmaker epub --grayscale`, a lower [images] "
            "epub_max (e.g. 1000), or `--no-embed-fonts`"
        )
    if suffix == ".pdf":
        return Outgoing(book, book.stem, suffix)
    try:
        meta = read_epub(book)
    except Exception as exc:  # a broken zip or OPF: Kindle would not take it either
        raise BookmakerError(f"{book}: not a readable EPUB ({exc})") from None
    check_language(book, meta.get("language", ""))
    return Outgoing(book, meta.get("title") or book.stem, suffix)


def check_language(book: Path, tag: str) -> None:
    m = BCP47.match(tag or "")
    if not m:
        raise BookmakerError(
            f"{book}: the language tag {tag!r} is not valid BCP 47; Kindle answers such a "
            'book with error E999. Set [book] language (e.g. "zh-CN") and rebuild'
        )
    if m.group("lang").lower() not in KINDLE_LANGUAGES:
        raise BookmakerError(
            f"{book}: Kindle does not accept the language {tag!r} (error E999); "
            "set [book] language to one it supports and rebuild"
        )


def message(out: Outgoing, sender: str, to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = out.title
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Quoted-printable keeps the whole message 7-bit: no relay can mangle it.
    msg.set_content(f"{out.title}\n\nSent by bookmaker.\n", cte="quoted-printable")
    maintype, subtype = MEDIA_TYPES[out.suffix]
    # Non-ASCII names are RFC 2231-encoded by the email package (filename*=utf-8''…).
    filename = download_name(out.title, out.suffix, out.path.stem)
    data = out.path.read_bytes()
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def send(out: Outgoing, to: str, settings: SendConfig, password: str) -> None:
    if not settings.smtp_host:
        raise BookmakerError("set smtp_host (and username, sender) in [send] of bookmaker.toml")
    if settings.username and not password:
        raise BookmakerError(
            f"set the SMTP password in the environment variable {settings.password_env} "
            "(it is never read from bookmaker.toml)"
        )
    sender = settings.sender or (settings.username if "@" in settings.username else "")
    if not sender:
        raise BookmakerError(
            "set sender in [send]: Amazon only accepts mail from an approved address"
        )
    msg = message(out, sender, to)
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with _connect(settings) as smtp:
            if settings.username:
                _login(smtp, settings.username, password)
            smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError:
        raise BookmakerError(f"{where} refused the user name or password") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise BookmakerError(f"could not send through {where}: {exc}") from None


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    if (user + password).isascii():
        smtp.login(user, password)
        return
    # smtplib only encodes ASCII; RFC 4616 AUTH PLAIN carries UTF-8, which servers accept.
    smtp.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _connect(s: SendConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if s.smtp_port == 465:  # implicit TLS ("SMTPS")
        return smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT, context=context)
    smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT)
    if s.starttls:
        try:
            smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
    return smtp
