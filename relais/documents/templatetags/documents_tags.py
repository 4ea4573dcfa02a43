from django import template

from relais.policy import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def case_documents(context, case):
    """The documents of a case the current user may see (for the case page)."""
    from relais.cases.contents import holds
    from relais.documents.selectors import documents_of_case

    user = context["request"].user
    if not rules.has_role(user, rules.CONTENT_ROLES):
        return None
    can_upload = context.get("can_edit")
    if can_upload is None:
        can_upload = rules.can_file_document(user, case.person, case)
    # The case page already knows whether the case has any document.
    documents = documents_of_case(user, case) if holds(context, "documents") else []
    return {"documents": documents, "can_upload": can_upload}
