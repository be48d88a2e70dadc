"""Password policy: refuse what an attacker tries first.

Django's CommonPasswordValidator knows 20,000 passwords but not their variants
(`12345678x`). zxcvbn (Dropbox's estimator, pinned) matches against its frequency lists
(30,000 common passwords, names, words) and also catches keyboard rows (`azertyuiop1`),
sequences, repeats, dates and l33t substitutions, and estimates how many guesses a
password takes. Its lists are English: a few dozen French favourites are added here, with
the person's own address and display name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# The French passwords that top the leaked lists and that zxcvbn's English lists miss,
# and the site's own words.
FRENCH_WORDS = [
    "motdepasse", "azerty", "azertyuiop", "qsdfghjklm", "wxcvbn", "soleil", "bonjour",
    "doudou", "chouchou", "loulou", "marseille", "paris", "toulouse", "lyon", "nantes",
    "france", "amour", "jetaime", "chocolat", "coucou", "doudoune", "bisous", "nicolas",
    "julien", "camille", "olivier", "isabelle", "nathalie", "celine", "princesse", "poussin",
    "chaton", "chienne", "chatnoir", "football", "olympique", "psg", "om", "motdepass",
    "secret", "mdp", "contrechamp", "technopolice", "surveillance", "camera", "cameras",
    "videosurveillance", "videoprotection", "police", "mairie", "commune",
]  # fmt: skip


class GuessabilityValidator:
    """Refuse a password an attacker would find in fewer than 10**min_guesses_log10
    guesses (10**9 by default: a day and more of a slow hash on one machine)."""

    def __init__(self, min_guesses_log10: float = 9.0) -> None:
        self.min_guesses_log10 = min_guesses_log10

    def _user_inputs(self, user: Any) -> list[str]:
        if user is None:
            return []
        inputs = []
        email = getattr(user, "email", "") or ""
        inputs += [email, *email.split("@")]
        inputs.append(getattr(user, "username", "") or "")
        public_name = getattr(user, "_public_name", "") or getattr(
            getattr(user, "profile", None), "public_name", ""
        )
        inputs += [public_name, *public_name.split(), public_name.replace(" ", "")]
        return [i.lower() for i in inputs if i]

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password, user_inputs=FRENCH_WORDS + self._user_inputs(user))
        if result["guesses_log10"] < self.min_guesses_log10:
            raise ValidationError(self.get_help_text(), code="password_too_guessable")

    def get_help_text(self) -> str:
        return _(
            "This password is too easy to guess: common passwords and their variants, a "
            "word followed by a few digits, keyboard rows, sequences, your name or address "
            "are tried first. A few unrelated words make a strong password that is easy to "
            "remember."
        )
