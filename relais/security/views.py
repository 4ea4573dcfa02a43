"""Security pages: login with a second factor, break-glass reads, supervision."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.audit.log import client_ip, record_request_access
from relais.audit.models import AccessAction
from relais.cases.models import Case
from relais.policy import rules
from relais.security import selectors, services
from relais.security.forms import BreakGlassForm, SupervisionShareForm, TokenForm
from relais.security.links import case_page_url
from relais.security.middleware import SESSION_TWO_FACTOR_REQUIRED, two_factor_exempt
from relais.security.models import SupervisionShare
from relais.security.qr import qr_svg
from relais.www.forms import LoginForm

# --- Login and second factor ----------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login page; then, for accounts that need it, the second factor."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if rules.needs_two_factor(user) or user_has_device(user):
            self.request.session[SESSION_TWO_FACTOR_REQUIRED] = True
        return response


def _safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_safe_next(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('security:two_factor_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"Code de secours utilisé : il vous en reste {left}. "
                    "Renouvelez-les depuis « Mon compte » quand vous le pourrez.",
                )
            return redirect(_safe_next(request))
        form.add_error("token", _refusal_message(request.user))
    return render(
        request, "security/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


# django-otp doubles the wait after each wrong code (1 s, 2 s, 4 s…); from the third one the
# wait is long enough to be worth explaining.
THROTTLE_EXPLAINED_FROM = 3


def _refusal_message(user) -> str:
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and (data or {}).get("failure_count", 0) >= THROTTLE_EXPLAINED_FROM:
            return "Trop d'essais infructueux : patientez quelques secondes avant de réessayer."
    return "Code incorrect ou expiré. Saisissez le code affiché en ce moment par l'application."


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan a QR code, type the code shown: the second factor is on, backup codes shown once.

    Setting up again (new phone) is possible only once this session has proved the
    current factor."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('security:two_factor_verify')}?{request.GET.urlencode()}")
    device = services.totp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = services.two_factor_enable(user=request.user, device=device)
            otp_login(request, device)
            return render(
                request,
                "security/backup_codes.html",
                {"codes": codes, "next": _safe_next(request), "first_time": True},
            )
        form.add_error(
            "token",
            "Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est à jour "
            "et saisissez le code affiché en ce moment.",
        )
    return render(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_svg(device.config_url),
            "secret": _grouped_secret(device),
            "next": _safe_next(request),
            "required": rules.needs_two_factor(request.user),
        },
    )


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def account_security(request):
    user = request.user
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    backup = StaticDevice.objects.filter(user=user).first()
    return render(
        request,
        "security/account.html",
        {
            "totp": totp,
            "backup_left": backup.token_set.count() if backup else 0,
            "required": rules.needs_two_factor(user),
            "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@require_POST
def backup_codes_renew(request):
    if not request.user.is_verified():
        raise PermissionDenied
    codes = services.backup_codes_renew(user=request.user)
    return render(
        request,
        "security/backup_codes.html",
        {"codes": codes, "next": reverse("security:account"), "first_time": False},
    )


logout = two_factor_exempt(auth_views.LogoutView.as_view())


# --- Break-glass reads ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def break_glass(request, public_id):
    """A manager or colleague who cannot see a case states why they must read it today."""
    case = get_object_or_404(
        Case.objects.of_organisation(request.user).select_related("person"), public_id=public_id
    )
    if not rules.can_break_glass(request.user, case):
        raise PermissionDenied
    case_url = case_page_url(case)
    if rules.can_see_case(request.user, case):
        return redirect(case_url or "home")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.break_glass_open(
            by=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
        messages.warning(
            request,
            "Accès exceptionnel ouvert jusqu'à ce soir minuit. Il figure dans le journal des "
            "accès et la référente en est informée.",
        )
        return redirect(case_url or "home")
    referents = [link.user for link in case.referent_links.select_related("user")]
    return render(
        request,
        "security/break_glass.html",
        {"case": case, "person": case.person, "referents": referents, "form": form},
    )


# --- Supervision ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def supervision_share(request, public_id):
    """The referent brings a situation to supervision."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), public_id=public_id
    )
    if not rules.can_share_for_supervision(request.user, case):
        raise PermissionDenied
    form = SupervisionShareForm(
        request.POST or None, supervisors=selectors.supervisors_of(case.organisation_id)
    )
    if request.method == "POST" and form.is_valid():
        services.supervision_share_create(
            by=request.user,
            case=case,
            supervisor=form.cleaned_data["supervisor"],
            ends_on=form.cleaned_data["ends_on"],
            question=form.cleaned_data["question"],
        )
        messages.success(
            request,
            "Situation partagée pour supervision : le ou la superviseur·e la voit sans nom, "
            "sans coordonnées ni employeur.",
        )
        return redirect("security:supervision_share", public_id=case.public_id)
    return render(
        request,
        "security/supervision_share.html",
        {
            "case": case,
            "person": case.person,
            "form": form,
            "shares": selectors.supervision_shares_of_case(case=case),
            "case_url": case_page_url(case),
        },
    )


@require_POST
def supervision_revoke(request, public_id):
    share = get_object_or_404(
        SupervisionShare.objects.visible_to(request.user).select_related("case"),
        public_id=public_id,
    )
    if not rules.can_share_for_supervision(request.user, share.case):
        raise PermissionDenied
    if share.revoked_at is None:
        services.supervision_share_revoke(by=request.user, share=share)
        messages.success(request, "Partage pour supervision retiré.")
    return redirect("security:supervision_share", public_id=share.case.public_id)


def supervision_list(request):
    if not rules.can_list_supervised_cases(request.user):
        raise PermissionDenied
    shares = selectors.supervision_shares_for(user=request.user)
    rows = [
        {
            "share": share,
            "initials": selectors.initials(share.case.person),
            "age_band": selectors.age_band(share.case.person.age()),
        }
        for share in shares
    ]
    return render(request, "security/supervision_list.html", {"rows": rows})


def supervision_case(request, public_id):
    """The pseudonymised view of a shared situation; the read is logged for the referent."""
    if not rules.can_list_supervised_cases(request.user):
        raise PermissionDenied
    share = get_object_or_404(
        SupervisionShare.objects.visible_to(request.user).select_related(
            "case", "case__person", "shared_by"
        ),
        public_id=public_id,
    )
    view = selectors.supervision_view(share=share)
    record_request_access(request, share.case, action=AccessAction.SUPERVISION)
    return render(request, "security/supervision_case.html", {"view": view})
