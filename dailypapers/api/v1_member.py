"""A member's own settings through /api/v1/: follows (authors, categories, topics that feed
"for you") and email digest subscriptions. Token or session with CSRF, like every write.

Subscribing goes through the digest app's double opt-in: the API records the request and the
member confirms from the email, exactly as with the web form.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from dailypapers.api.params import ONE_LINE_NON_BLANK
from dailypapers.api.schemas import answers
from dailypapers.api.security import WRITE_AUTH
from dailypapers.api.tools import ForYouRecord

router = Router(tags=["member"], auth=WRITE_AUTH)

# The digest app's own category check (dailypapers.digest.subscriptions._CATEGORY).
DIGEST_CATEGORY = r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$"


class FollowIn(Schema):
    kind: Literal["author", "category", "topic", "org", "keyword"]
    value: str = Field(
        max_length=200,
        pattern=ONE_LINE_NON_BLANK,
        description="Author name, arXiv category, topic query, organisation slug or keyword (/topics/<keyword>).",
    )


class FollowOut(Schema):
    kind: str
    value: str
    following: bool


class Follows(Schema):
    author: list[str]
    category: list[str]
    topic: list[str]
    org: list[str] = Field(description="Organisation slugs (/orgs/<slug>).")
    keyword: list[str]


class PlainDigest(Schema):
    kind: Literal["trending", "foryou"]
    frequency: Literal["daily", "weekly"] = "daily"


class TextDigest(Schema):
    kind: Literal["topic", "author", "org"]
    frequency: Literal["daily", "weekly"] = "daily"
    value: str = Field(
        max_length=200, pattern=ONE_LINE_NON_BLANK, description="The search query, author name or organisation slug."
    )


class CategoryDigest(Schema):
    kind: Literal["category"]
    frequency: Literal["daily", "weekly"] = "daily"
    value: str = Field(max_length=200, pattern=DIGEST_CATEGORY, description="arXiv category, e.g. cs.CL.")


SubscriptionIn = Annotated[PlainDigest | TextDigest | CategoryDigest, Field(discriminator="kind")]


class SubscriptionOut(Schema):
    id: int
    kind: str
    value: str
    frequency: str
    status: str = Field(description="unconfirmed (until the emailed link is followed), active or unsubscribed")
    description: str


class Message(Schema):
    message: str


@router.get("/for-you", response=answers(list[ForYouRecord], 400, 401), summary="Your “for you” feed, with reasons")
def for_you(request, limit: int = Query(20, ge=1, le=100)):
    """The papers recommended to you (the /for-you page's ranking), each with why."""
    from dailypapers.api.tools import for_you as ranked

    return ranked(user=request.auth, limit=limit)


@router.get("/follows", response=answers(Follows, 401), summary="What you follow")
def follows(request):
    from dailypapers.community.follows import follows_of

    return follows_of(request.auth)


@router.post(
    "/follows",
    response=answers(FollowOut, 400, 401, 403, 404),
    summary="Follow an author, category, topic or organisation (404: no such organisation)",
)
def add_follow(request, body: FollowIn):
    from dailypapers.community.follows import follow

    follow(user=request.auth, kind=body.kind, value=body.value)
    return {"kind": body.kind, "value": " ".join(body.value.split()), "following": True}


@router.post("/follows/remove", response=answers(FollowOut, 400, 401, 403), summary="Stop following")
def remove_follow(request, body: FollowIn):
    from dailypapers.community.follows import unfollow

    unfollow(user=request.auth, kind=body.kind, value=body.value)
    return {"kind": body.kind, "value": " ".join(body.value.split()), "following": False}


def _subscription_dict(subscription) -> dict:
    return {
        "id": subscription.pk,
        "kind": subscription.kind,
        "value": subscription.value,
        "frequency": subscription.frequency,
        "status": subscription.status,
        "description": subscription.description,
    }


@router.get("/subscriptions", response=answers(list[SubscriptionOut], 401), summary="Your email digests")
def subscriptions(request):
    from dailypapers.digest.models import Subscription

    return [_subscription_dict(s) for s in Subscription.objects.filter(user=request.auth).order_by("pk")]


@router.post(
    "/subscriptions",
    response=answers(Message, 400, 401, 503, ok_status=202),
    summary="Subscribe to an email digest (double opt-in)",
)
def subscribe(request, body: SubscriptionIn):
    from dailypapers.catalog.clients import client_ip
    from dailypapers.digest.subscriptions import MailLimitReached, SubscriptionError, request_subscription

    if not request.auth.email:
        raise HttpError(400, "email: your account has no email address; add one in your account settings first")
    try:
        request_subscription(
            email=request.auth.email,
            frequency=body.frequency,
            kind=body.kind,
            value=getattr(body, "value", ""),
            user=request.auth,
            client=client_ip(request),
            request=request,
        )
    except SubscriptionError as exc:
        raise HttpError(400, str(exc)) from None
    except MailLimitReached as exc:
        raise HttpError(exc.status, str(exc)) from None
    return Status(202, {"message": f"check {request.auth.email} for a link that confirms the subscription"})


@router.delete(
    "/subscriptions/{anytext:subscription_id}", response=answers(SubscriptionOut, 400, 401, 404), summary="Unsubscribe"
)
def unsubscribe(request, subscription_id: int):
    from dailypapers.digest.models import Subscription
    from dailypapers.digest.subscriptions import unsubscribe as stop

    subscription = Subscription.objects.filter(pk=subscription_id, user=request.auth).first()
    if subscription is None:
        raise HttpError(404, f"subscription_id: you have no subscription {subscription_id}")
    stop(subscription)
    subscription.refresh_from_db()
    return _subscription_dict(subscription)
