from relais.demo.partners import create_demo_partners
from relais.partners import enums
from relais.partners.models import Contact, Partner, Referral
from tests import factories


def test_the_demo_directory_and_referrals_are_created_once(organisation, alice):
    factories.CaseFactory(organisation=organisation, referent=alice)
    factories.CaseFactory(organisation=organisation, referent=alice)

    create_demo_partners(organisation)
    create_demo_partners(organisation)

    assert (
        Partner.objects.filter(organisation=organisation, origin=enums.PartnerOrigin.LOCAL).count()
        == 3
    )
    assert Contact.objects.filter(organisation=organisation).count() == 2
    referrals = Referral.objects.filter(organisation=organisation)
    assert sorted(referrals.values_list("status", flat=True)) == ["granted", "sent"]
    assert all(r.consents.exists() for r in referrals)
