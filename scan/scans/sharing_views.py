"""The entrepreneur's choice to share a submitted scan with a PVO, and to withdraw it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from scan.platform.errors import render_error
from scan.scans import retention, store
from scan.scans import sharing as shares
from scan.scans.tokens import current_scan_or_neutral, current_token

bp = Blueprint("sharing", __name__, template_folder="templates")


class ShareForm(FlaskForm):
    """Optional contact details and the required consent."""

    organisation = HiddenField(validators=[DataRequired()])
    name = StringField(lazy_gettext("Uw naam"), validators=[Optional(), Length(max=200)])
    company = StringField(
        lazy_gettext("Naam van uw bedrijf"), validators=[Optional(), Length(max=200)]
    )
    phone = TelField(
        lazy_gettext("Telefoonnummer"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^[0-9 +()\-]{6,40}$", message=lazy_gettext("Vul een geldig telefoonnummer in.")
            ),
        ],
    )
    email = EmailField(
        lazy_gettext("E-mailadres"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=lazy_gettext("Vul een geldig e-mailadres in."),
            ),
        ],
    )
    consent = BooleanField(
        lazy_gettext("Ik geef toestemming om mijn scan met deze organisatie te delen."),
        validators=[
            DataRequired(lazy_gettext("Geef toestemming, anders kunnen we de scan niet delen."))
        ],
    )


class WithdrawForm(FlaskForm):
    """Only the CSRF token: withdrawing needs a deliberate POST."""


def _not_submitted():
    return render_error(
        409,
        "U kunt een scan pas delen als u hem heeft afgerond. Maak de scan eerst af.",
    )


@bp.route("/scan/delen", methods=["GET", "POST"])
def share():
    """Pick a PVO, read what is shared and why, add contact details if wanted, and share."""
    scan = current_scan_or_neutral()
    if scan.submitted_at is None:
        return _not_submitted()
    active = shares.active_shares(scan)
    taken = {s.organisation_id for s in active}
    choices = [o for o in shares.pvo_organisations() if o.id not in taken]
    chosen_id = request.form.get("organisation") or request.args.get("organisatie")
    chosen = next((o for o in choices if str(o.id) == chosen_id), None)
    form = ShareForm(organisation=str(chosen.id) if chosen else "")
    status = 200
    if request.method == "POST":
        shared = next((s for s in active if str(s.organisation_id) == chosen_id), None)
        if shared is not None:  # a second click, or a page from before the first
            return render_error(
                400, f"U deelt uw scan al met {shared.organisation.name}. Er is niets veranderd."
            )
        if chosen is None:
            abort(400)
        if form.validate_on_submit():
            return _shared(scan, chosen, form)
        status = 400
    return render_template(
        "sharing/share.html",
        scan=scan,
        active=active,
        choices=choices,
        chosen=chosen,
        form=form,
        withdraw_form=WithdrawForm(),
        shared_days=current_app.config["SHARED_RETENTION_DAYS"],
        keep_until=retention.keep_until(scan) if active else None,
        ttl_days=current_app.config["SCAN_TTL_DAYS"],
    ), status


def _shared(scan, chosen, form: ShareForm):
    """Share the scan with the chosen PVO, say so and what happens next, and show the page."""
    contact = shares.Contact(
        name=form.name.data, company=form.company.data, phone=form.phone.data, email=form.email.data
    )
    new, _ = shares.share_scan(scan, current_token(), chosen, contact)
    later = (
        gettext("Een adviseur neemt contact met u op via de gegevens die u gaf.")
        if new.has_contact
        else gettext("Wilt u hulp? Neem zelf contact op en noem uw referentie.")
    )
    shared = gettext(
        "Uw scan is gedeeld met %(name)s. Uw referentie is %(reference)s. "
        "De adviseurs van %(name)s kunnen uw scan nu zien.",
        name=chosen.name,
        reference=new.reference,
    )
    flash(f"{shared} {later}", "success")
    return redirect(url_for("sharing.share"))


@bp.route("/scan/delen/<public_id>/intrekken", methods=["GET", "POST"])
def withdraw(public_id: str):
    """Ask to confirm, then stop sharing: advisers lose access; contact and notes are erased."""
    scan = current_scan_or_neutral()
    target = next((s for s in shares.active_shares(scan) if s.public_id == public_id), None)
    if target is None:
        abort(404)
    form = WithdrawForm()
    if request.method == "GET":
        return render_template("sharing/withdraw.html", share=target, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        shares.withdraw_share(target)
    except store.ScanBusy:
        return render_error(503, gettext("Dat lukte nu niet. Probeer het over een minuut opnieuw."))
    flash(
        gettext(
            "U deelt uw scan niet meer met %(name)s. De adviseurs zien hem niet meer; uw "
            "contactgegevens en hun notities zijn gewist. Uw scan zelf blijft bestaan.",
            name=target.organisation.name,
        ),
        "success",
    )
    return redirect(url_for("sharing.share"))
