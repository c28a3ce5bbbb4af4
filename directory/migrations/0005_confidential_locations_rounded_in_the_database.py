"""A confidential location's exact point can no longer be stored, by any write path.

Decision 0006. In order: round what is already stored (live rows and their history), then a
trigger that rounds every insert and update of a confidential row (and of any history row of
a confidential location), then CHECK constraints that refuse an unrounded confidential row if
the triggers are ever off. Two decimal places is `CONFIDENTIAL_COORDINATE_PLACES`, written out
here so that this migration keeps meaning what it meant when it ran.
"""

import django.db.models.functions.math
from django.db import migrations, models

ROUND_EXISTING = """
UPDATE directory_location
   SET latitude = round(latitude::numeric, 2)::double precision,
       longitude = round(longitude::numeric, 2)::double precision
 WHERE confidential;

-- Older versions of a location that is confidential now: it may have been entered with its
-- exact point before someone ticked "confidential".
UPDATE directory_historicallocation AS h
   SET latitude = round(h.latitude::numeric, 2)::double precision,
       longitude = round(h.longitude::numeric, 2)::double precision
 WHERE h.confidential
    OR EXISTS (SELECT 1 FROM directory_location AS l WHERE l.id = h.id AND l.confidential);
"""

TRIGGERS = """
CREATE FUNCTION directory_location_round_confidential() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.confidential THEN
        NEW.latitude := round(NEW.latitude::numeric, 2)::double precision;
        NEW.longitude := round(NEW.longitude::numeric, 2)::double precision;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER directory_location_round_confidential
BEFORE INSERT OR UPDATE ON directory_location
FOR EACH ROW EXECUTE FUNCTION directory_location_round_confidential();

-- When a location becomes confidential, its earlier versions lose their exact point too.
CREATE FUNCTION directory_location_round_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE directory_historicallocation
       SET latitude = round(latitude::numeric, 2)::double precision,
           longitude = round(longitude::numeric, 2)::double precision
     WHERE id = NEW.id
       AND (latitude <> round(latitude::numeric, 2)::double precision
            OR longitude <> round(longitude::numeric, 2)::double precision);
    RETURN NULL;
END
$$;

CREATE TRIGGER directory_location_round_history
AFTER UPDATE OF confidential ON directory_location
FOR EACH ROW WHEN (NEW.confidential AND NOT OLD.confidential)
EXECUTE FUNCTION directory_location_round_history();

-- A history row is rounded when it says confidential, or when its location is confidential now.
CREATE FUNCTION directory_historicallocation_round_confidential() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.confidential
       OR EXISTS (SELECT 1 FROM directory_location WHERE id = NEW.id AND confidential) THEN
        NEW.latitude := round(NEW.latitude::numeric, 2)::double precision;
        NEW.longitude := round(NEW.longitude::numeric, 2)::double precision;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER directory_historicallocation_round_confidential
BEFORE INSERT OR UPDATE ON directory_historicallocation
FOR EACH ROW EXECUTE FUNCTION directory_historicallocation_round_confidential();
"""

DROP_TRIGGERS = """
DROP TRIGGER directory_historicallocation_round_confidential ON directory_historicallocation;
DROP FUNCTION directory_historicallocation_round_confidential();
DROP TRIGGER directory_location_round_history ON directory_location;
DROP FUNCTION directory_location_round_history();
DROP TRIGGER directory_location_round_confidential ON directory_location;
DROP FUNCTION directory_location_round_confidential();
"""

# simple_history's model is generated, so this check lives in SQL rather than in its Meta.
HISTORY_CHECK = """
ALTER TABLE directory_historicallocation
  ADD CONSTRAINT historicallocation_confidential_rounded CHECK (
      NOT confidential OR (
          latitude = round(latitude::numeric, 2)::double precision
          AND longitude = round(longitude::numeric, 2)::double precision
      )
  );
"""

DROP_HISTORY_CHECK = """
ALTER TABLE directory_historicallocation DROP CONSTRAINT historicallocation_confidential_rounded;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_category_code_and_safe_default"),
    ]

    operations = [
        migrations.RunSQL(ROUND_EXISTING, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.AddConstraint(
            model_name="location",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("confidential", False),
                    models.Q(
                        ("latitude", django.db.models.functions.math.Round("latitude", 2)),
                        ("longitude", django.db.models.functions.math.Round("longitude", 2)),
                    ),
                    _connector="OR",
                ),
                name="location_confidential_rounded",
                violation_error_message=(
                    "A confidential location's coordinates must be rounded to 2 decimal places."
                ),
            ),
        ),
        migrations.RunSQL(HISTORY_CHECK, DROP_HISTORY_CHECK),
    ]
