"""Beat runs the referral timers and the retention purge: the schedule names real tasks."""

from django.conf import settings

from alliance.celery import app


def test_the_beat_schedule_runs_the_timers_and_the_purge() -> None:
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    ours = {"referrals.tasks.run_referral_timers", "referrals.tasks.purge_closed_referrals"}
    assert ours <= tasks
    assert tasks <= set(app.tasks)
