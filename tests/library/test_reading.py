"""Reading state: read / not interested, stored per member and paper; "not interested" papers
never come back in "for you"."""

from __future__ import annotations

import pytest

from dailypapers.community.follows import follow
from dailypapers.community.foryou import for_you
from dailypapers.library.collections import LibraryError
from dailypapers.library.models import ReadingState
from dailypapers.library.reading import clear_reading_state, hidden_paper_ids, reading_states, set_reading_state
from tests.factories import DEFAULT_DAY, make_paper

pytestmark = pytest.mark.django_db


def test_one_state_per_paper_and_clearing(make_member):
    member = make_member()
    paper = make_paper()
    set_reading_state(user=member, paper=paper, state="read")
    set_reading_state(user=member, paper=paper, state="not_interested")
    assert ReadingState.objects.filter(user=member).count() == 1
    assert reading_states(member) == {paper.pk: "not_interested"}
    assert hidden_paper_ids(member) == {paper.pk}
    clear_reading_state(user=member, paper=paper)
    assert reading_states(member) == {} and hidden_paper_ids(member) == set()
    with pytest.raises(LibraryError, match="state: 'skimmed' is not one of not_interested, read"):
        set_reading_state(user=member, paper=paper, state="skimmed")


def test_not_interested_and_read_papers_leave_for_you(make_member):
    """A read paper is a (weak) liked signal, and "for you" never recommends what the member
    already has; "not interested" is a negative signal and never comes back either."""
    member = make_member()
    wanted, unwanted, read = (make_paper(categories=("cs.CL",)) for _ in range(3))
    follow(user=member, kind="category", value="cs.CL")
    picked = {item["paper"].pk for item in for_you(user=member, today=DEFAULT_DAY)["items"]}
    assert {wanted.pk, unwanted.pk, read.pk} <= picked
    set_reading_state(user=member, paper=unwanted, state="not_interested")
    set_reading_state(user=member, paper=read, state="read")
    picked = {item["paper"].pk for item in for_you(user=member, today=DEFAULT_DAY)["items"]}
    assert wanted.pk in picked and unwanted.pk not in picked and read.pk not in picked
    other = make_member()  # one member's "not interested" is theirs alone
    follow(user=other, kind="category", value="cs.CL")
    assert unwanted.pk in {item["paper"].pk for item in for_you(user=other, today=DEFAULT_DAY)["items"]}
