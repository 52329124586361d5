"""Paper.is_replacement: old papers re-listed sort after new submissions at equal votes
(catalog/listings.py), and the feed-day index covers that order. Existing papers are flagged
by the same rule, 5,000 at a time (the shared corpus has 57 of 74,728)."""

from django.db import migrations, models

BATCH = 5000


def flag_replacements(apps, schema_editor):
    from dailypapers.catalog.listings import NEW, REPLACEMENT, is_replacement, listing_label

    Paper = apps.get_model("catalog", "Paper")
    flagged = [
        pk
        for pk, arxiv_id, listed in Paper.objects.values_list("pk", "arxiv_id", "listing_date").iterator(
            chunk_size=BATCH
        )
        if is_replacement(arxiv_id, listed)
    ]
    for start in range(0, len(flagged), BATCH):
        Paper.objects.filter(pk__in=flagged[start : start + BATCH]).update(is_replacement=True)
    # The ingest called them "New in cs.CE"; say what they are (a curator's reason is kept).
    for pk, arxiv_id, primary, reason in Paper.objects.filter(pk__in=flagged).values_list(
        "pk", "arxiv_id", "primary_category", "featured_reason"
    ):
        if reason == listing_label(NEW, arxiv_id=arxiv_id, primary_category=primary):
            label = listing_label(REPLACEMENT, arxiv_id=arxiv_id, primary_category=primary)
            Paper.objects.filter(pk=pk).update(featured_reason=label)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_drop_paper_fk_indexes_covered_by_unique"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="paper",
            name="paper_feed_day_votes",
        ),
        migrations.AddField(
            model_name="paper",
            name="is_replacement",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Listed as a new version of an older paper, not a new submission (catalog/listings.py).",
            ),
        ),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                fields=["featured_on", "-upvotes", "is_replacement", "arxiv_id"], name="paper_feed_day_order"
            ),
        ),
        migrations.RunPython(flag_replacements, migrations.RunPython.noop),
    ]
