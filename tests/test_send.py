"""`bookmaker send`: a real SMTP conversation with a local aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from test_opds import make_epub, make_pdf

from bookmaker.send import check_language


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data == LoginPassword(
        b"me@example.com", "pässword".encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_require_tls=False,  # loopback test server without a certificate
    )
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def project_for(make_project, port: int, username: str = "") -> object:
    return make_project(
        {
            "bookmaker.toml": f"""
                [book]
                title = "Shan Zhong"
                [send]
                smtp_host = "127.0.0.1"
                smtp_port = {port}
                starttls = false
                sender = "me@example.com"
                username = "{username}"
                password_env = "TEST_SMTP_PASSWORD"
            """
        }
    )


def test_sends_the_epub_as_an_attachment_with_its_title(make_project, run_cli, smtp):
    port, inbox = smtp
    project = project_for(make_project, port)
    book = make_epub(project / "build" / "shan-zhong.epub")
    status, _, err = run_cli(project, "send", "--to", "reader@kindle.com")
    assert status == 0, err
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "me@example.com"
    assert envelope.rcpt_tos == ["reader@kindle.com"]
    msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    (part,) = list(msg.iter_attachments())
    assert part.get_content_type() == "application/epub+zip"
    assert part.get_filename() == "山中来信.epub"
    # RFC 2231: the name travels as UTF-8, percent-encoded, not as a raw 8-bit header.
    unfolded = re.sub(rb"\r?\n[ \t]+", b" ", envelope.original_content)
    assert b"filename*=utf-8''%E5%B1%B1%E4%B8%AD%E6%9D%A5%E4%BF%A1.epub" in unfolded
    assert max(envelope.original_content) < 128  # 7-bit clean: any mail server passes it
    assert part.get_content() == book.read_bytes()
    assert msg["Subject"] == "山中来信"


def test_logs_in_with_the_password_from_the_environment(make_project, run_cli, smtp, monkeypatch):
    port, inbox = smtp
    project = project_for(make_project, port, username="me@example.com")
    book = make_epub(project / "elsewhere" / "x.epub", title="Plain Title")
    monkeypatch.delenv("TEST_SMTP_PASSWORD", raising=False)
    status, _, err = run_cli(project, "send", "--to", "r@kindle.com", str(book))
    assert status == 2 and "TEST_SMTP_PASSWORD" in err and not inbox.envelopes

    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    status, _, err = run_cli(project, "send", "--to", "r@kindle.com", str(book))
    assert status == 2 and "refused the user name or password" in err

    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pässword")
    status, _, err = run_cli(project, "send", "--to", "r@kindle.com", str(book))
    assert status == 0, err
    msg = email.message_from_bytes(inbox.envelopes[0].original_content, policy=email.policy.default)
    assert next(msg.iter_attachments()).get_filename() == "Plain Title.epub"


def test_refuses_books_over_50_mb_with_advice(make_project, run_cli, smtp):
    port, inbox = smtp
    project = project_for(make_project, port)
    big = project / "build" / "big.epub"
    big.parent.mkdir(parents=True)
    with open(big, "wb") as f:
        f.truncate(51 * 1000 * 1000)  # sparse: the size is what counts, nothing is read
    status, _, err = run_cli(project, "send", "--to", "r@kindle.com", str(big))
    assert status == 2 and "50 MB" in err and "--grayscale" in err
    assert not inbox.envelopes


@pytest.mark.parametrize("lang", ["", "chinese", "zh_CN", "en-", "tlh"])
def test_refuses_a_language_tag_kindle_rejects(make_project, run_cli, smtp, lang):
    port, inbox = smtp
    project = project_for(make_project, port)
    book = make_epub(project / "b.epub", lang=lang)
    status, _, err = run_cli(project, "send", "--to", "r@kindle.com", str(book))
    assert status == 2 and "E999" in err and "language" in err
    assert not inbox.envelopes


@pytest.mark.parametrize("tag", ["zh-CN", "zh-Hant-TW", "ja", "en-US", "de-CH-1996", "pt-BR"])
def test_accepts_real_language_tags(tmp_path, tag):
    check_language(tmp_path / "b.epub", tag)  # raises when refused


def test_pdf_can_be_sent_too(make_project, run_cli, smtp):
    port, inbox = smtp
    project = project_for(make_project, port)
    pdf = make_pdf(project / "build" / "print.pdf")
    assert run_cli(project, "send", "--to", "r@kindle.com", str(pdf))[0] == 0
    msg = email.message_from_bytes(inbox.envelopes[0].original_content, policy=email.policy.default)
    assert next(msg.iter_attachments()).get_content_type() == "application/pdf"


def test_needs_a_recipient_and_a_server(make_project, run_cli):
    project = make_project({})
    make_epub(project / "build" / "x.epub")
    status, _, err = run_cli(project, "send", str(project / "build" / "x.epub"))
    assert status == 2 and "--to" in err
    status, _, err = run_cli(
        project, "send", "--to", "a@kindle.com", str(project / "build" / "x.epub")
    )
    assert status == 2 and "smtp_host" in err


def test_missing_book_names_the_file(make_project, run_cli):
    status, _, err = run_cli(make_project({}), "send", "--to", "a@kindle.com", "nope.epub")
    assert status == 2 and "nope.epub" in err
