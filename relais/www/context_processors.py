from relais.policy import rules


def membership(request):
    user = getattr(request, "user", None)
    m = rules.membership(user)
    return {
        "membership": m,
        "organisation": m.organisation if m else None,
        "role": m.role if m else None,
    }
