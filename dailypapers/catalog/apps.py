from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dailypapers.catalog"
    label = "catalog"
    verbose_name = "Catalogue"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import clock
        from .listings import set_replacement_flags
        from .models import Paper
        from .pagecache import papers_changed
        from .signals import papers_creating, papers_ingested

        # Saves through the ORM (the admin's forms, single edits); bulk writes call
        # papers_changed themselves (ingest, votes, comments, moderation actions).
        post_save.connect(papers_changed, sender=Paper, dispatch_uid="catalog.pagecache.save")
        post_delete.connect(papers_changed, sender=Paper, dispatch_uid="catalog.pagecache.delete")
        # A new listing day moves the site's "today" (catalog/clock.py) at once in this process.
        post_save.connect(clock.forget, sender=Paper, dispatch_uid="catalog.clock.save")
        post_delete.connect(clock.forget, sender=Paper, dispatch_uid="catalog.clock.delete")
        papers_ingested.connect(clock.forget, dispatch_uid="catalog.clock.ingested")
        papers_creating.connect(set_replacement_flags, dispatch_uid="catalog.listings.replacement")
