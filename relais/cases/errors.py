"""What the domain refuses, and the two checks every service starts with."""

from relais.policy import rules


class ActionRefused(Exception):
    """A write the domain refuses: an impossible transition or inconsistent data.

    Its message is French and addressed to the user: views show it as it is.
    """


def acting_organisation_id(by) -> int:
    """The organisation a write is made in: the acting user's own."""
    organisation_id = rules.organisation_id(by)
    if organisation_id is None:
        raise ActionRefused("Votre compte n'est rattaché à aucun service.")
    return organisation_id


def check_same_organisation(organisation_id: int, *objects) -> None:
    """Refuse a write that would tie together objects of another organisation."""
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation_id:
            raise ActionRefused("Cet élément n'appartient pas à votre service.")
