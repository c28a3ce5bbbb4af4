from resources.plan.models import *  # noqa: F403  (the parenting plan's models, issue 13)
