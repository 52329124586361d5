"""Receivers: every new account gets its Member row, so moderators find it in the admin's
Members list (to ban) without waiting for the member's first action; newly ingested papers of
verified authors join their organisations, and updated papers keep the links their verified
authors set."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from dailypapers.catalog.signals import papers_ingested
from dailypapers.community.claims import reapply_author_links
from dailypapers.community.models import Member
from dailypapers.community.orgs import tag_new_papers_of_verified_authors


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="community.member_for_new_user")
def member_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Member.objects.get_or_create(user=instance)


@receiver(papers_ingested, dispatch_uid="community.new_papers_join_organisations")
def new_papers_join_organisations(sender, created_ids=(), updated_ids=(), **kwargs):
    if created_ids:
        tag_new_papers_of_verified_authors(list(created_ids))


@receiver(papers_ingested, dispatch_uid="community.author_links_outlive_new_versions")
def author_links_outlive_new_versions(sender, created_ids=(), updated_ids=(), **kwargs):
    if updated_ids:
        reapply_author_links(list(updated_ids))
