"""The table behind catalog/limits.py's atomic rate-limit counters: one row per (limit, client),
holding the current fixed window's start, its hit count and when it ends."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS dailypapers_counter (
    name varchar(120) NOT NULL PRIMARY KEY,
    window_start bigint NOT NULL,
    hits integer NOT NULL,
    expires bigint NOT NULL
)
"""


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_cache_table")]
    operations = [
        migrations.RunSQL(CREATE, "DROP TABLE IF EXISTS dailypapers_counter"),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dailypapers_counter_expires ON dailypapers_counter (expires)",
            migrations.RunSQL.noop,
        ),
    ]
