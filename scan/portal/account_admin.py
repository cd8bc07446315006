"""Managing staff accounts in the browser: administrators for all, coordinators for their own.

An administrator manages every organisation and account and decides who must use two factors.
A coordinator (an adviser or branch administrator with `coordinator` set) manages the accounts
of their own organisation only. Nobody sets another person's password: new accounts and resets
get a one-time link by e-mail. Every change is audited and committed here; a change refused with
AccountError is rolled back here before the error reaches the page.

The command line (`scan/portal/commands.py`) makes its changes through these same functions, as
the actor `CLI_ACTOR` with an administrator's rights, so the browser and the CLI cannot drift.
"""

from __future__ import annotations

from sqlalchemy import func, select

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import Organisation, Share, User
from scan.portal import accounts, browser_sessions, invitations, notices, twofactor
from scan.portal.accounts import AccountError

ROLE_FOR_KIND = {"pvo": "adviser", "branche": "branch_admin"}
CLI_ACTOR = "cli"  # who the audit log names for a change made with `flask users ...`
Actor = User | str  # a logged-in account, or CLI_ACTOR
ACTIONS = ("uitzetten", "aanzetten", "wachtwoord", "tweede-stap", "sessies", "uitnodiging")


def administers(actor: Actor) -> bool:
    """Return whether the actor has an administrator's rights (the command line has them)."""
    return actor == CLI_ACTOR if isinstance(actor, str) else actor.role == "admin"


def _admins_only(actor: Actor, refused: str) -> None:
    """Raise AccountError with the Dutch sentence unless the actor is an administrator."""
    if not administers(actor):
        raise AccountError(refused)


def may_manage_accounts(actor: User) -> bool:
    """Return whether the account may open the accounts pages at all."""
    return actor.role == "admin" or (actor.coordinator and actor.organisation_id is not None)


def in_scope(actor: User, target: User) -> bool:
    """Return whether the actor may see and change this account."""
    if actor.role == "admin":
        return True
    return (
        may_manage_accounts(actor)
        and target.role != "admin"
        and target.organisation_id == actor.organisation_id
    )


def organisations_for(actor: User) -> list[Organisation]:
    """Return the organisations the actor manages."""
    query = select(Organisation).order_by(Organisation.name)
    if actor.role != "admin":
        query = query.where(Organisation.id == actor.organisation_id)
    return list(db.session.scalars(query))


def accounts_for(actor: User) -> list[User]:
    """Return the accounts the actor manages, by e-mail."""
    query = select(User).order_by(User.email)
    if actor.role != "admin":
        query = query.where(User.organisation_id == actor.organisation_id, User.role != "admin")
    return list(db.session.scalars(query))


def active_shares() -> dict[int, int]:
    """Return the number of active shares per organisation id."""
    rows = db.session.execute(
        select(Share.organisation_id, func.count())
        .where(Share.withdrawn_at.is_(None))
        .group_by(Share.organisation_id)
    )
    return dict(rows.all())


def organisation_by_id(actor: User, organisation_id: int | None) -> Organisation | None:
    """Return an organisation the actor manages, else None."""
    if organisation_id is None:
        return None
    return next((o for o in organisations_for(actor) if o.id == organisation_id), None)


@accounts.rolls_back()
def create_account(
    actor: User, email: str, organisation: Organisation | None, admin: bool, coordinator: bool
) -> User:
    """Create an account and mail it an invitation; raise AccountError (Dutch) if not allowed."""
    if admin and actor.role != "admin":
        raise AccountError("Alleen een beheerder kan een beheerder toevoegen.")
    if admin:
        role = "admin"
    elif organisation is None:
        raise AccountError("Kies de organisatie van het nieuwe account.")
    else:
        role = ROLE_FOR_KIND[organisation.kind]
    email = accounts.normalise_email(email)
    if db.session.scalar(select(User).filter_by(email=email)):
        raise AccountError("Er is al een account met dit e-mailadres.")
    user = accounts.create_user(email, None, role, None if admin else organisation)
    user.coordinator = coordinator and not admin
    db.session.flush()
    notices.invitation(user, invitations.create_link(user, "invite"))
    audit.record(actor, "user_created", None, f"{user.email} ({role})")
    db.session.commit()
    return user


@accounts.rolls_back()
def create_organisation(actor: User, name: str, kind: str) -> Organisation:
    """Create an organisation (administrators only); raise AccountError (Dutch) if not."""
    _admins_only(actor, "Alleen een beheerder kan een organisatie toevoegen.")
    if not name.strip():
        raise AccountError("Vul de naam van de organisatie in.")
    if accounts.get_organisation(name):
        raise AccountError("Er is al een organisatie met deze naam.")
    organisation = accounts.create_organisation(name, kind)
    audit.record(actor, "organisation_created", None, organisation.name)
    db.session.commit()
    return organisation


@accounts.rolls_back()
def set_organisation_active(actor: Actor, organisation: Organisation, active: bool) -> str:
    """Switch an organisation off (its staff are logged out at once) or on again (admins only)."""
    _admins_only(actor, "Alleen een beheerder kan een organisatie uitzetten.")
    organisation.active = active
    if not active:
        for user in db.session.scalars(select(User).filter_by(organisation_id=organisation.id)):
            accounts.end_sessions(user)
    event = "organisation_reactivated" if active else "organisation_deactivated"
    audit.record(actor, event, None, organisation.name)
    db.session.commit()
    if active:
        return f"{organisation.name} staat weer aan."
    return f"{organisation.name} staat uit. De accounts zijn uitgelogd en kunnen niet inloggen."


def require_two_factor(actor: Actor, organisation: Organisation | None, required: bool) -> None:
    """Require two factors for one organisation, or (organisation None) for all staff."""
    if organisation is None:
        twofactor.set_required_for_all(required)
        name = "alle medewerkers"
    else:
        organisation.require_two_factor = required
        name = organisation.name
    audit.record(actor, "two_factor_required", None, f"{name}: {'ja' if required else 'nee'}")
    db.session.commit()


@accounts.rolls_back()
def end_browser_session(actor: User, target: User, session_public_id: str) -> str:
    """End one browser session of an account; return a Dutch sentence saying what happened."""
    if not browser_sessions.end(target, session_public_id):
        raise AccountError("Deze sessie was al beëindigd.")
    audit.record(actor, "session_ended", None, target.email)
    db.session.commit()
    return "De sessie is beëindigd. Die browser is meteen uitgelogd."


@accounts.rolls_back()
def act(actor: Actor, target: User, action: str) -> str:
    """Carry out one account action; return a Dutch sentence saying what happened."""
    own = isinstance(actor, User) and target.id == actor.id
    if action in ("uitzetten", "tweede-stap", "sessies") and own:
        raise AccountError("Dit kunt u niet bij uw eigen account doen.")
    if action == "uitzetten":
        accounts.deactivate(target)
        done, event = "Het account is uitgezet. Het is meteen uitgelogd.", "user_deactivated"
    elif action == "aanzetten":
        accounts.reactivate(target)
        done, event = "Het account kan weer inloggen.", "user_reactivated"
    elif action == "wachtwoord":
        notices.password_reset(target, invitations.create_link(target, "reset"))
        done = "Er is een e-mail gestuurd om een nieuw wachtwoord te kiezen."
        event = "password_reset_sent"
    elif action == "tweede-stap":
        twofactor.remove_all(target)
        accounts.end_sessions(target)
        notices.security_change(target, "Uw tweede stap is gewist door een beheerder.")
        done = "De tweede stap is gewist en het account is uitgelogd."
        event = "second_factor_reset"
    elif action == "sessies":
        accounts.end_sessions(target)
        done, event = "Het account is overal uitgelogd.", "sessions_ended"
    elif action == "uitnodiging":
        if target.last_login_at is not None:  # an invitation logs in: never past a second factor
            raise AccountError(
                "Dit account is al in gebruik. Stuur een link voor een nieuw wachtwoord."
            )
        notices.invitation(target, invitations.create_link(target, "invite"))
        done, event = "Er is een nieuwe uitnodiging gestuurd.", "invitation_sent"
    else:
        raise AccountError("Deze actie bestaat niet.")
    audit.record(actor, event, None, target.email)
    db.session.commit()
    return done
