from django.contrib.auth.models import User
from django.db import transaction

from contrechamp.accounts.models import Profile


@transaction.atomic
def user_create(*, username: str, email: str, password: str, role: str = "contributor") -> User:
    """Create an account with its role. Administrators also get Django's admin site."""
    user = User.objects.create_user(username=username, email=email, password=password)
    if role == "administrator":
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    Profile.objects.create(user=user, role=role)
    return user
