"""A paper the member marked "not interested" stays out of their personal ("for you") digest,
as received over SMTP; the same paper still reaches another member who follows its category."""

from __future__ import annotations

from dailypapers.community.follows import follow
from dailypapers.digest.models import Subscription
from dailypapers.digest.sending import send_edition
from dailypapers.library.reading import set_reading_state
from tests.digest.conftest import MONDAY


def _plain(smtp, address: str) -> str:
    return smtp.to(address)[0].get_body(preferencelist=("plain",)).get_content()


def test_not_interested_stays_out_of_the_personal_digest(smtp, papers, django_user_model):
    picky = django_user_model.objects.create_user("picky", "picky@example.org", "pw")
    other = django_user_model.objects.create_user("other", "other@example.org", "pw")
    for member in (picky, other):
        follow(user=member, kind="category", value="cs.CL")
        Subscription.objects.create(email=member.email, kind="foryou", user=member, status=Subscription.ACTIVE)
    unwanted, kept = papers[0], papers[1]
    set_reading_state(user=picky, paper=unwanted, state="not_interested")
    assert send_edition(kind="daily", date=MONDAY)["sent"] == 2
    picky_mail, other_mail = _plain(smtp, "picky@example.org"), _plain(smtp, "other@example.org")
    assert unwanted.title not in picky_mail and kept.title in picky_mail
    assert unwanted.title in other_mail
