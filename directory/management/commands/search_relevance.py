from django.core.management.base import BaseCommand, CommandParser

from directory.relevance import NEEDED, THRESHOLD, TOP, evaluate, score


class Command(BaseCommand):
    help = (
        "Run the search's relevance test set (directory/data/search-relevance.toml) against "
        "this directory and print which queries fail, e.g. after changing the search phrases."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="print passing queries too")

    def handle(self, *args: object, **options: object) -> None:
        outcomes = evaluate()
        for outcome in outcomes:
            if outcome.passed and not options["all"]:
                continue
            mark = "pass" if outcome.passed else "FAIL"
            self.stdout.write(f"{mark}  {outcome.q!r}")
            for line in outcome.top or ("(no results)",):
                self.stdout.write(f"        {line}")
            if outcome.danger_expected and not outcome.danger_found:
                self.stdout.write("        (the words were not recognised as suggesting danger)")
        passed = sum(o.passed for o in outcomes)
        self.stdout.write(
            f"{passed} of {len(outcomes)} queries ({score(outcomes):.0%}) have {NEEDED} of their "
            f"top {TOP} fitting; the tests require {THRESHOLD:.0%}."
        )
