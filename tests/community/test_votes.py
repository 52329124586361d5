"""Votes: one per member per paper, the count always equals the rows, every mutation a CSRF-checked POST."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from dailypapers.catalog.models import Paper
from dailypapers.community.members import NotAllowed, member_of
from dailypapers.community.models import Vote
from dailypapers.community.votes import cast_vote


def test_vote_is_idempotent_and_unvote_removes_it(make_user, make_paper):
    user, paper = make_user(), make_paper()
    for _ in range(3):
        assert cast_vote(user=user, paper_id=paper.pk, up=True)["upvotes"] == 1
    assert Vote.objects.filter(paper=paper).count() == 1
    assert cast_vote(user=user, paper_id=paper.pk, up=False)["upvotes"] == 0
    assert cast_vote(user=user, paper_id=paper.pk, up=False)["upvotes"] == 0
    paper.refresh_from_db()
    assert paper.upvotes == 0 == Vote.objects.filter(paper=paper).count()


def test_count_is_recounted_from_the_votes_table(make_user, make_paper):
    paper = make_paper()
    Paper.objects.filter(pk=paper.pk).update(upvotes=999)  # a drifted counter
    cast_vote(user=make_user(), paper_id=paper.pk)
    paper.refresh_from_db()
    assert paper.upvotes == 1


def test_banned_and_anonymous_members_cannot_vote(make_user, make_paper):
    from django.contrib.auth.models import AnonymousUser

    banned, paper = make_user(), make_paper()
    member = member_of(banned)
    member.banned = True
    member.save()
    with pytest.raises(NotAllowed, match="banned"):
        cast_vote(user=banned, paper_id=paper.pk)
    with pytest.raises(NotAllowed, match="log in"):
        cast_vote(user=AnonymousUser(), paper_id=paper.pk)
    assert not Vote.objects.exists()


def test_upvote_and_unvote_over_http_without_javascript(client, make_user, make_paper):
    user, paper = make_user(), make_paper(arxiv_id="2601.11111")
    client.force_login(user)
    response = client.post("/papers/2601.11111/upvote", {"next": "/papers/trending"})
    assert response.status_code == 302 and response["Location"] == "/papers/trending"
    assert Vote.objects.filter(user=user, paper=paper).count() == 1
    client.post("/papers/2601.11111/unvote")
    assert not Vote.objects.filter(user=user, paper=paper).exists()


def test_upvote_with_htmx_returns_the_button(client, make_user, make_paper):
    client.force_login(make_user())
    make_paper(arxiv_id="2601.22222")
    response = client.post("/papers/2601.22222/upvote", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in html and '<span class="vote-count">1</span>' in html
    assert "/papers/2601.22222/unvote" in html


def test_open_redirects_are_refused(client, make_user, make_paper):
    client.force_login(make_user())
    make_paper(arxiv_id="2601.33333")
    response = client.post("/papers/2601.33333/upvote", {"next": "https://evil.example/"})
    assert "evil.example" not in response["Location"]


def test_get_cannot_vote(client, make_user, make_paper):
    client.force_login(make_user())
    make_paper(arxiv_id="2601.44444")
    assert client.get("/papers/2601.44444/upvote").status_code == 405
    assert not Vote.objects.exists()


def test_csrf_token_is_required(make_user, make_paper):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    make_paper(arxiv_id="2601.55555")
    assert strict.post("/papers/2601.55555/upvote").status_code == 403
    assert not Vote.objects.exists()


def test_anonymous_vote_goes_to_login(client, make_paper):
    make_paper(arxiv_id="2601.66666")
    response = client.post("/papers/2601.66666/upvote")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    htmx = client.post("/papers/2601.66666/upvote", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 401 and htmx["HX-Redirect"].startswith("/accounts/login/")


def test_banned_member_vote_over_http_is_refused(client, make_user, make_paper):
    user = make_user()
    member = member_of(user)
    member.banned = True
    member.save()
    client.force_login(user)
    make_paper(arxiv_id="2601.77777")
    response = client.post("/papers/2601.77777/upvote")
    assert response.status_code == 403 and b"banned" in response.content


def test_hidden_and_unknown_papers_answer_404(client, make_user, make_paper):
    client.force_login(make_user())
    make_paper(arxiv_id="2601.88888", hidden=True)
    assert client.post("/papers/2601.88888/upvote").status_code == 404
    assert client.post("/papers/2601.99999/upvote").status_code == 404


def _race(target, args_list):
    """Run `target(*args)` in one thread per args, released together; each thread has its own connection."""
    barrier = threading.Barrier(len(args_list))
    errors = []

    def run(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # surfaced by the assert below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_clicks_by_one_member_are_one_vote(on_postgres, make_user, make_paper):
    if not on_postgres:
        pytest.skip("needs real concurrent PostgreSQL connections")
    user, paper = make_user(), make_paper()
    _race(lambda: cast_vote(user=user, paper_id=paper.pk, up=True), [()] * 20)
    paper.refresh_from_db()
    assert Vote.objects.filter(paper=paper).count() == 1 == paper.upvotes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_by_many_members_are_all_counted(on_postgres, make_user, make_paper):
    if not on_postgres:
        pytest.skip("needs real concurrent PostgreSQL connections")
    paper = make_paper()
    users = [make_user() for _ in range(30)]
    _race(lambda user: cast_vote(user=user, paper_id=paper.pk, up=True), [(u,) for u in users])
    paper.refresh_from_db()
    assert Vote.objects.filter(paper=paper).count() == 30 == paper.upvotes
    # Half of them take their vote back while the others vote again: still exact.
    _race(
        lambda user, up: cast_vote(user=user, paper_id=paper.pk, up=up), [(u, i % 2 == 0) for i, u in enumerate(users)]
    )
    paper.refresh_from_db()
    assert Vote.objects.filter(paper=paper).count() == 15 == paper.upvotes


def test_every_new_account_has_a_member_row_for_moderators(make_user):
    from dailypapers.community.models import Member

    user = make_user()
    assert Member.objects.filter(user=user, banned=False).count() == 1


def test_a_member_cannot_vote_as_another(client, make_user, make_paper):
    me, other = make_user(), make_user()
    make_paper(arxiv_id="2601.12121")
    client.force_login(me)
    client.post("/papers/2601.12121/upvote", {"user": other.pk, "user_id": other.pk, "username": other.username})
    assert list(Vote.objects.values_list("user_id", flat=True)) == [me.pk]
    # and cannot take back another member's vote
    cast_vote(user=other, paper_id=Paper.objects.get(arxiv_id="2601.12121").pk)
    client.post("/papers/2601.12121/unvote", {"user": other.pk})
    assert list(Vote.objects.values_list("user_id", flat=True)) == [other.pk]
