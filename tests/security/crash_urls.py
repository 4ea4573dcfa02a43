"""The project's URLs plus a page that fails, to look at what a failure shows and logs."""

from django.urls import path

from relais.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def crash(request):
    raise ValueError(f"Erreur sur la fiche de {request.GET.get('nom')} : {request.POST}")


urlpatterns = [*urlpatterns, path("plante/", crash, name="crash")]
