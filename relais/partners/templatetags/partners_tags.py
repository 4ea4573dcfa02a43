from django import template

from relais.partners import enums
from relais.www.jinja2 import fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def case_referrals_section(context, case):
    """The referrals of a case, for the case page: one query, scoped to the reader."""
    from relais.cases.contents import holds
    from relais.partners.views import case_referrals_section_context

    # The case page already knows whether the reader may write in the case, and whether
    # the case has any referral.
    # Jinja2 (relais/www/jinja2.py): templates/jinja2/partners/case_referrals_section.html.
    return fragment(
        "partners/case_referrals_section.html",
        case_referrals_section_context(
            context["request"],
            case,
            can_edit=context.get("can_edit"),
            any_rows=holds(context, "referrals"),
        ),
    )


@register.filter
def status_badge(status: str) -> str:
    return {
        enums.ReferralStatus.GRANTED: "badge--ok",
        enums.ReferralStatus.REFUSED: "badge--urgent",
    }.get(status, "")
