"""The adviser pages' forms: the caseload's filters, status, notes, assignment, next step."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    SearchField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from scan.platform.caseload_models import NEXT_ACTIONS
from scan.platform.models import SHARE_STATUSES
from scan.portal import caseload


def plausible_date(form, field) -> None:
    """Refuse dates outside 2000-2100: typing errors, and the year 9999 breaks date arithmetic."""
    if field.data is not None and not dt.date(2000, 1, 1) <= field.data <= dt.date(2100, 12, 31):
        raise ValidationError("Vul een datum in tussen 2000 en 2100.")


class DutchForm(FlaskForm):
    """A form whose built-in messages ("Ongeldige datum.") are Dutch, as every page is."""

    class Meta:
        def get_translations(self, form):
            return get_translations(["nl"])


def choices(everything: str, options: dict[str, str]) -> list[SelectChoice]:
    """Return select choices: first "everything" (empty value), then the options."""
    return [SelectChoice("", everything)] + [SelectChoice(k, v) for k, v in options.items()]


class CaseloadForm(Form):
    """Search, filters and order of the caseload (a GET form: no CSRF needed, nothing changes)."""

    class Meta:
        locales = ("nl",)

    zoek = SearchField(
        "Zoeken",
        validators=[Optional(), Length(max=200, message="Zoek met hoogstens 200 tekens.")],
    )
    toegewezen = SelectField("Toegewezen aan", validators=[Optional()])
    status = SelectField("Status", validators=[Optional()])
    sector = SelectField("Sector", validators=[Optional()])
    risico = SelectField("Risiconiveau", validators=[Optional()])
    rode_vlag = BooleanField("Alleen met rode vlag")
    te_laat = BooleanField("Alleen te laat")
    van = DateField("Gedeeld vanaf", validators=[Optional(), plausible_date])
    tot = DateField("Gedeeld t/m", validators=[Optional(), plausible_date])
    sorteer = SelectField(
        "Sorteren",
        choices=[SelectChoice(k, v) for k, v in caseload.SORTS.items()],
        validators=[Optional()],
    )

    def fill_choices(self, team: dict[int, str], statuses, sectors, risks) -> None:
        """Give the select fields their options."""
        people = {caseload.MINE: "Mijn scans", caseload.UNASSIGNED: "Niemand"}
        people |= {str(k): v for k, v in team.items()}
        self.toegewezen.choices = choices("Iedereen", people)
        self.status.choices = choices("Alle statussen", statuses)
        self.sector.choices = choices("Alle sectoren", sectors)
        self.risico.choices = choices("Alle niveaus", risks)

    def case_query(self) -> caseload.CaseQuery:
        """Return what the form asks of the caseload (call after validate())."""
        return caseload.CaseQuery(
            search=self.zoek.data or "",
            status=self.status.data or None,
            sector=self.sector.data or None,
            risk_level=self.risico.data or None,
            red_flag=bool(self.rode_vlag.data),
            assigned=self.toegewezen.data or None,
            overdue=bool(self.te_laat.data),
            since=self.van.data,
            until=self.tot.data,
            sort=self.sorteer.data or "prioriteit",
        )


class StatusForm(DutchForm):
    """Status and planned visit of a shared scan."""

    status = SelectField("Status", choices=[SelectChoice(k, v) for k, v in SHARE_STATUSES.items()])
    visit_date = DateField("Datum bezoek", validators=[Optional(), plausible_date])

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, and require a date when a visit is planned."""
        if not super().validate(extra_validators):
            return False
        if self.status.data == "bezoek_gepland" and not self.visit_date.data:
            self.visit_date.errors = [*self.visit_date.errors, "Vul de datum van het bezoek in."]
            return False
        return True


class NoteForm(DutchForm):
    """A new note."""

    text = TextAreaField(
        "Nieuwe notitie",
        validators=[
            DataRequired("Schrijf eerst een notitie."),
            Length(max=5000, message="Een notitie is hoogstens 5000 tekens."),
        ],
    )


class AssignForm(DutchForm):
    """Who of the team works on this scan."""

    adviseur = SelectField("Toegewezen aan")

    def fill_choices(self, team: dict[int, str]) -> None:
        """Offer nobody and every active adviser of the organisation."""
        self.adviseur.choices = choices("Niemand", {str(k): v for k, v in team.items()})

    @property
    def adviser_id(self) -> int | None:
        """Return the chosen adviser's id, or None for nobody."""
        return int(self.adviseur.data) if self.adviseur.data else None


class NextActionForm(DutchForm):
    """The next step with its date."""

    stap = SelectField("Volgende stap", choices=choices("Geen", NEXT_ACTIONS))
    stap_datum = DateField("Datum", validators=[Optional(), plausible_date])

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, and require a date with a step and a step with a date."""
        if not super().validate(extra_validators):
            return False
        if self.stap.data and not self.stap_datum.data:
            self.stap_datum.errors = [
                *self.stap_datum.errors,
                "Vul de datum van de volgende stap in.",
            ]
            return False
        if self.stap_datum.data and not self.stap.data:
            self.stap.errors = [*self.stap.errors, "Kies welke stap u op die datum zet."]
            return False
        return True
