"""Each login's session is recorded (people/sessions.py); logging out forgets it."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .models import UserSession
from .sessions import record_session


@receiver(user_logged_in, dispatch_uid="people.record_session")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        record_session(request, user)


@receiver(user_logged_out, dispatch_uid="people.forget_session")
def on_logout(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
