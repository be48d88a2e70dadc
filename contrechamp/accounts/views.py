from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contrechamp.accounts.forms import SignupForm
from contrechamp.accounts.services import user_create


def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            user = user_create(**form.cleaned_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! You can now add and edit deployments."))
            return redirect("home")
    else:
        form = SignupForm()
    return render(
        request,
        "registration/signup.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
