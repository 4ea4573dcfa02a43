"""Lists that show persons by name read only their name (``only_person_name``)."""

import pytest

from relais.cases.models import Case
from relais.people.models import Person, only_person_name
from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("sex", ["f", "m"])
def test_a_name_read_alone_prints_in_full_without_another_query(
    organisation, django_assert_num_queries, sex
):
    person = factories.PersonFactory(
        organisation=organisation,
        first_name="Hélène",
        last_name="Dupont",
        birth_name="Lefèvre",
        sex=sex,
    )
    case = factories.CaseFactory(organisation=organisation, person=person)
    with django_assert_num_queries(1):
        listed = (
            Case.objects.filter(pk=case.pk)
            .select_related("person")
            .defer(*only_person_name("person"))
            .get()
        )
        assert listed.person.full_name == person.full_name
        assert str(listed.person) == person.full_name
        assert listed.person.public_id == person.public_id


def test_only_the_name_and_what_is_kept_are_read():
    deferred = {name.removeprefix("person__") for name in only_person_name("person")}
    kept = {field.name for field in Person._meta.concrete_fields} - deferred
    assert kept == {
        "id",
        "organisation",
        "public_id",
        "first_name",
        "last_name",
        "birth_name",
        "sex",
    }
    assert "employer" not in only_person_name("person", keep=("employer",))
