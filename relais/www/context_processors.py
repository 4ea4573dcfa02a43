from django.utils.functional import SimpleLazyObject

from relais.policy import rules
from relais.www.navigation import navigation


def membership(request):
    user = getattr(request, "user", None)
    m = rules.membership(user)
    role = m.role if m else None
    return {
        "membership": m,
        "organisation": m.organisation if m else None,
        "role": role,
        # Built only by the pages that show the menu.
        "navigation": SimpleLazyObject(lambda: navigation(role=role, path=request.path)),
    }
