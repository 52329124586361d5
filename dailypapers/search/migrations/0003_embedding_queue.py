"""The queue of papers waiting for an embedding, claimed newest listing day first (indexing.py)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_drop_paper_fk_indexes_covered_by_unique'),
        ('search', '0002_fts5_bulk_write_settings'),
    ]

    operations = [
        migrations.CreateModel(
            name='EmbeddingTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('model', models.CharField(max_length=64)),
                ('day', models.DateField(help_text="The paper's listing day (else featured day, else submission day): newest first.")),
                ('paper', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.paper')),
            ],
            options={
                'indexes': [models.Index(fields=['model', '-day', '-paper'], name='embeddingtask_claim_order')],
                'constraints': [models.UniqueConstraint(fields=('paper', 'model'), name='embeddingtask_unique_paper_model')],
            },
        ),
    ]
