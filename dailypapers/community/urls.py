"""Community routes. Paper paths accept both arXiv id styles (hep-th/9901001 has a slash)."""

from django.urls import path, re_path

from dailypapers.catalog.arxiv_ids import URL_PATTERN
from dailypapers.community import claim_views, org_views, views

app_name = "community"
urlpatterns = [
    path("papers/trending", views.trending, name="trending"),
    path("papers/submit", views.submit, name="submit"),
    path("about/ranking", views.about_ranking, name="about_ranking"),
    re_path(rf"^papers/{URL_PATTERN}/upvote$", views.vote, {"up": True}, name="upvote"),
    re_path(rf"^papers/{URL_PATTERN}/unvote$", views.vote, {"up": False}, name="unvote"),
    re_path(rf"^papers/{URL_PATTERN}/comments$", views.discussion, name="discussion"),
    path("comments/<int:pk>/edit", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report", views.comment_report, name="comment_report"),
    path("members/<str:username>", views.profile, name="profile"),
    path("follow", views.follow_change, {"on": True}, name="follow"),
    path("unfollow", views.follow_change, {"on": False}, name="unfollow"),
    path("for-you", views.for_you_page, name="for_you"),
    path("authors/<slug:slug>/claim", claim_views.claim, name="claim_author"),
    re_path(rf"^papers/{URL_PATTERN}/links$", claim_views.paper_links, name="paper_links"),
    re_path(
        rf"^papers/{URL_PATTERN}/hide-from-profile$",
        claim_views.profile_visibility,
        {"hidden": True},
        name="profile_hide",
    ),
    re_path(
        rf"^papers/{URL_PATTERN}/show-on-profile$",
        claim_views.profile_visibility,
        {"hidden": False},
        name="profile_show",
    ),
    path("orgs/new", org_views.new, name="org_new"),
    path("orgs/<slug:slug>/join", org_views.join, name="org_join"),
    path("orgs/<slug:slug>/leave", org_views.leave, name="org_leave"),
    path("orgs/requests/<int:pk>/approve", org_views.decide, {"approve": True}, name="org_approve"),
    path("orgs/requests/<int:pk>/refuse", org_views.decide, {"approve": False}, name="org_refuse"),
    path("for-you/taste", views.taste_page, name="taste"),
    re_path(rf"^for-you/taste/{URL_PATTERN}/remove$", views.taste_change, {"use": False}, name="taste_remove"),
    re_path(rf"^for-you/taste/{URL_PATTERN}/restore$", views.taste_change, {"use": True}, name="taste_restore"),
    re_path(rf"^papers/{URL_PATTERN}/from-digest/(?P<token>[\w:.-]+)$", views.digest_open, name="digest_open"),
]
