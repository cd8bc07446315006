"""E-mail through an outbox: a page queues a mail, a sender delivers it beside the response.

A page never waits for, or fails on, the mail server: `queue` only adds a row in the page's own
transaction. Beside the response (or from `flask mail send`, run by cron or a worker) due mails
are claimed one by one with a conditional UPDATE, so two workers never send one mail twice;
a mail that fails is tried again later (backing off) and given up after MAX_ATTEMPTS. The
content is sealed while it waits and removed once sent: an invitation link is never readable
in the database. `MAIL_BACKEND = "console"` (used by `make run`) prints mails instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
import sys
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, current_app, g
from sqlalchemy import delete, or_, select, update

from scan.platform.account_models import OutboxMail
from scan.platform.extensions import db
from scan.platform.models import utcnow
from scan.platform.sealing import Unsealable, seal, unseal

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
CLAIM_SECONDS = 120
SMTP_TIMEOUT_SECONDS = 10
KEEP_DAYS = 7  # how long a sent mail's row (address, time, no content) stays for checking


def queue(recipient: str, subject: str, text: str, html: str) -> OutboxMail:
    """Add a mail to the outbox (committed with the caller's transaction)."""
    body = json.dumps({"subject": subject, "plain": text, "html": html})
    mail = OutboxMail(recipient=recipient, sealed_message=seal(body), last_error="")
    db.session.add(mail)
    g.mail_waiting = True
    return mail


def register(app: Flask) -> None:
    """Send what a request queued beside its response (MAIL_SEND_AFTER_RESPONSE).

    A short-lived thread sends, so the page never waits for the mail server. Not the
    response's close hook: the development server only runs that when the browser closes its
    keep-alive connection, which can be minutes later. The request's transaction is committed
    before after_request runs, so the thread sees the queued mail.
    """

    @app.after_request
    def _send_beside_response(response):
        if (
            g.get("mail_waiting")
            and app.config.get("MAIL_SEND_AFTER_RESPONSE", True)
            and _configured(app.config)
        ):
            threading.Thread(target=_send_in_context, args=(app,), daemon=True).start()
        return response


def _send_in_context(app: Flask) -> None:
    with app.app_context():
        try:
            send_due()
        except Exception:  # noqa: BLE001 - the mail stays queued; the next sender tries again
            log.exception("sending queued mail failed; it stays in the outbox")
        finally:
            db.session.remove()


def send_due(limit: int = 50) -> int:
    """Send up to `limit` due mails; return how many were sent."""
    if not _can_send():
        return 0
    now = utcnow()
    due = db.session.scalars(
        select(OutboxMail.id)
        .where(
            OutboxMail.sent_at.is_(None),
            OutboxMail.gave_up_at.is_(None),
            OutboxMail.next_attempt_at <= now,
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    sent = sum(_send_one(mail_id) for mail_id in due)
    _forget_old(now)
    return sent


def _forget_old(now: dt.datetime) -> None:
    """Delete mails sent or given up more than KEEP_DAYS ago: their addresses are not needed."""
    cutoff = now - dt.timedelta(days=KEEP_DAYS)
    db.session.execute(
        delete(OutboxMail).where(or_(OutboxMail.sent_at < cutoff, OutboxMail.gave_up_at < cutoff))
    )
    db.session.commit()


def _claim(mail_id: int) -> bool:
    """Take a mail for this sender; False when another sender has it or it was sent."""
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def _send_one(mail_id: int) -> bool:
    if not _claim(mail_id):
        return False
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None:  # deleted meanwhile
        return False
    try:
        deliver(mail.recipient, json.loads(unseal(mail.sealed_message)))
    except Unsealable:
        mail.gave_up_at, mail.last_error = utcnow(), "sealed with another SECRET_KEY"
        mail.sealed_message = ""
    except (OSError, smtplib.SMTPException) as error:
        _retry_later(mail, error)
    else:
        mail.sent_at, mail.sealed_message, mail.last_error = utcnow(), "", ""
    mail.claimed_until = None
    db.session.commit()
    return mail.sent_at is not None


def _retry_later(mail: OutboxMail, error: BaseException) -> None:
    """Count a failed attempt and wait longer each time: 1, 2, 4 ... 60 minutes."""
    mail.attempts += 1
    mail.last_error = type(error).__name__  # never the message: it may quote the address
    if mail.attempts >= MAX_ATTEMPTS:
        mail.gave_up_at = utcnow()
        mail.sealed_message = ""
        log.error("gave up on mail %s after %s attempts", mail.id, mail.attempts)
        return
    minutes = min(2 ** (mail.attempts - 1), 60)
    mail.next_attempt_at = utcnow() + dt.timedelta(minutes=minutes)
    log.warning("mail %s not sent (%s); trying again later", mail.id, mail.last_error)


def _configured(config) -> bool:
    return config.get("MAIL_BACKEND") == "console" or bool(config.get("MAIL_SERVER"))


def _can_send() -> bool:
    if _configured(current_app.config):
        return True
    log.warning("MAIL_SERVER is not set: mails wait in the outbox")
    return False


def build_message(recipient: str, content: dict) -> EmailMessage:
    """Return the mail as sent: Dutch plain text with a simple HTML alternative."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or "weerbaarheidsscan@localhost"
    message["To"] = recipient
    message["Subject"] = content["subject"]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=message["From"].rpartition("@")[2].strip(">"))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(content["plain"])
    message.add_alternative(content["html"], subtype="html")
    return message


def deliver(recipient: str, content: dict) -> None:
    """Hand one mail to the SMTP server (or print it with MAIL_BACKEND = "console")."""
    config = current_app.config
    message = build_message(recipient, content)
    if config.get("MAIL_BACKEND") == "console":  # readable: headers and the plain text only
        head = "".join(f"{name}: {message[name]}\n" for name in ("From", "To", "Subject"))
        body = (message.get_body(("plain",)) or message).get_content()
        sys.stdout.write(f"----- mail -----\n{head}\n{body}----- end of mail -----\n")
        sys.stdout.flush()
        return
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    connection: smtplib.SMTP
    if config.get("MAIL_USE_SSL"):
        connection = smtplib.SMTP_SSL(
            host, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
    with connection as smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
