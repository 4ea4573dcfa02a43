"""Login throttling (django-axes) in front of the model backend, whose read of the user
at every request is prepared."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from relais.policy import rules
from relais.scale.prepared import prepared


def normalised_login(request, credentials) -> str:
    """The login as django-axes counts it: ``Alice@X.org`` and ``alice@x.org`` are one account."""
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    return login.strip().lower()


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a login for an account and address that failed too often.

    Web logins always pass the request (Django's login form does). A call without a
    request (``Client.login`` in a test, a shell) is not a web attempt: nothing to count.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@prepared
def _user_by_pk(p):
    # With the membership every page asks for next (rules.membership): one query, not two.
    return (
        get_user_model()._default_manager.filter(pk=p.pk).select_related("membership__organisation")
    )


class AccountBackend(ModelBackend):
    """Django's model backend; the user of a session is read, with their membership, by
    a prepared query (``relais.scale.prepared``) instead of a queryset built for every
    request."""

    def get_user(self, user_id):
        found = _user_by_pk(pk=user_id) if user_id is not None else []
        if not found:
            return None
        user = found[0]
        if not self.user_can_authenticate(user):
            return None
        rules.remember_membership(user)
        return user
