"""Word spellings for spelling correction (migration of WordSpelling, term_statistics.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0005_document_inline'),
    ]

    operations = [
        migrations.CreateModel(
            name='WordSpelling',
            fields=[
                ('word', models.TextField(primary_key=True, serialize=False)),
                ('papers', models.IntegerField()),
            ],
        ),
    ]
