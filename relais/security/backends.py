"""Login throttling: django-axes in front of the model backend."""

from axes.backends import AxesStandaloneBackend


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
