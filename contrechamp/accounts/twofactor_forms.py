"""The forms of two-factor authentication: a code, and an administrator's reset."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.backends import account_of_address


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class ResetForm(forms.Form):
    """An administrator names the person whose devices go (a lost phone)."""

    username = forms.CharField(label=_("User name or e-mail address"), max_length=254)

    def clean_username(self) -> User:
        """The account of that user name, or of that address when one account has it (an
        administrator knows people by their address: a new user's walk)."""
        name = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=name).first()
        if user is None and "@" in name:
            user = account_of_address(name)
        if user is None:
            raise forms.ValidationError(_("No account has this user name or address."))
        return user
