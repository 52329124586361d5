"""Author.match_key, and match keys and slugs for the authors already stored, so author pages
work right after an upgrade; merging variants is `dailypapers authors rebuild`'s job."""

from django.db import migrations, models


def keys_and_slugs(apps, schema_editor):
    from dailypapers.catalog.authors import _free_slug, match_key, slug_base

    Author = apps.get_model("catalog", "Author")
    taken = set(Author.objects.exclude(slug=None).values_list("slug", flat=True))
    batch = []
    for author in Author.objects.order_by("id").only("id", "name", "slug").iterator(chunk_size=10_000):
        author.match_key = match_key(author.name)
        if author.slug is None:
            author.slug = _free_slug(slug_base(author.name) or f"author-{author.pk}", taken)
        batch.append(author)
        if len(batch) >= 5000:
            Author.objects.bulk_update(batch, ["match_key", "slug"])
            batch = []
    Author.objects.bulk_update(batch, ["match_key", "slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_paperkeyword"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="match_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                help_text="First initial and last name, folded (catalog/authors.py): the names that may be one person.",
                max_length=64,
            ),
        ),
        migrations.RunPython(keys_and_slugs, migrations.RunPython.noop, elidable=True),
    ]
