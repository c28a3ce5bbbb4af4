from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    # pg_trgm gives the typo-tolerant fallback ("mediaton" still finds mediation).
    operations = [TrigramExtension()]
