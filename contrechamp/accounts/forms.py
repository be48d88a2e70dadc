from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Shown nowhere in public unless you choose it."),
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("Used only to reset your password."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password"):
            user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                validate_password(data["password"], user)
            except forms.ValidationError as e:
                self.add_error("password", e)
        return data
