"""How the audit log names the account and login events (Dutch, for administrators)."""

ACCOUNT_ACTION_LABELS = {
    "login_failed": "Inloggen mislukt",
    "login_confirmed": "Opnieuw bevestigd dat het de gebruiker is",
    "invitation_sent": "Uitnodiging gestuurd",
    "invitation_used": "Uitnodiging gebruikt",
    "password_reset_sent": "Link voor nieuw wachtwoord gestuurd",
    "password_reset_used": "Nieuw wachtwoord gekozen via link",
    "password_changed": "Wachtwoord gewijzigd",
    "user_reactivated": "Account weer aangezet",
    "second_factor_reset": "Tweede stap gewist door beheerder",
    "sessions_ended": "Account overal uitgelogd",
    "session_ended": "Eén sessie van een account beëindigd",
    "two_factor_required": "Tweede stap verplicht gesteld",
    "organisation_created": "Organisatie toegevoegd",
    "organisation_reactivated": "Organisatie weer aangezet",
    "app_added": "App voor codes toegevoegd",
    "app_removed": "App voor codes verwijderd",
    "passkey_added": "Passkey toegevoegd",
    "passkey_removed": "Passkey verwijderd",
    "recovery_codes_new": "Nieuwe herstelcodes gemaakt",
}
