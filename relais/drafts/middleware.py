from relais.drafts.services import drafts_clear


class ClearDraftsOnSuccessMiddleware:
    """A form sent successfully (a page POST answered by a redirect) no longer needs the
    drafts of its fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code in (302, 303)
            and request.user.is_authenticated
            and not request.path.startswith(("/api/", "/brouillons/"))
        ):
            drafts_clear(user=request.user, path=request.path)
        return response
