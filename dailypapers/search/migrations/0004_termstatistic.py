"""Lexeme statistics for PostgreSQL's keyword ranking (term_statistics.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_embedding_queue'),
    ]

    operations = [
        migrations.CreateModel(
            name='TermStatistic',
            fields=[
                ('lexeme', models.TextField(primary_key=True, serialize=False)),
                ('papers', models.IntegerField()),
            ],
        ),
    ]
