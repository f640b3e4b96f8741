from django.core.management.base import BaseCommand, CommandError

from fanjiaxiang.exporters import export_file
from schedule.models import ProgrammeYear
from students.exporters import CreditsExporter
from students.models import University

SEASONS = ("summer", "winter")


class Command(BaseCommand):
    help = (
        "Export second-classroom credits (第二课堂学分): every completed placement of one "
        "university's students, or of every university's, with the credits of each university's "
        "rule, to an Excel file its 第二课堂成绩单 system imports. No ID numbers or phones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--university", help="the university's 10-digit 学校标识码 (default: every university)"
        )
        parser.add_argument("--year", help="programme year, YYYY (default: every year)")
        parser.add_argument("--season", help="summer|winter (default: both)")
        parser.add_argument("--output", required=True, help="FILE.xlsx")

    def handle(self, *args, **options):
        university = None
        if options["university"]:
            university = (
                University.objects.filter(code=options["university"].strip())
                .select_related("province")
                .first()
            )
            if university is None:
                raise CommandError(f"没有学校标识码为 {options['university']} 的高校。")
        year = options["year"]
        if year is not None:
            if not (year.isascii() and year.isdigit() and len(year) == 4):
                raise CommandError(f"年度应为 4 位数字，如 2026，而不是 {year}。")
            year = int(year)
            if not ProgrammeYear.objects.filter(year=year).exists():
                raise CommandError(f"没有 {year} 年度的返家乡活动。")
        season = options["season"]
        if season is not None and season not in SEASONS:
            raise CommandError(f"实践季只能是 summer（暑假）或 winter（寒假），而不是 {season}。")
        exporter = CreditsExporter.unscoped(university=university, year=year, season=season)
        region = university.province if university is not None else None
        try:
            count = export_file(exporter, options["output"], region=region)
        except OSError as error:
            raise CommandError(f"无法写入 {options['output']}：{error.strerror}") from error
        self.stdout.write(f"已导出 {count} 条学分记录到 {options['output']}")
