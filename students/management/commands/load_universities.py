from django.core.management.base import BaseCommand

from students.register import universities_load


class Command(BaseCommand):
    help = (
        "Load the national register of universities (students/data/universities.csv): create "
        "missing institutions, update the register's fields, keep what provincial staff added "
        "or renamed (idempotent)."
    )

    def handle(self, *args, **options):
        result = universities_load()
        self.stdout.write(
            f"全国高校名单 {result.total} 所：新增 {result.created} 所，更新 {result.updated} 所，"
            f"未变 {result.kept} 所；保留省级团委修改的名称 {result.renamed_kept} 所，"
            f"名单外由省级团委补充的 {result.added_by_province} 所保持不变。"
        )
        for conflict in result.conflicts:
            self.stderr.write(f"未能载入 {conflict}")
