import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.audit_retention import audit_chains_verify
from accounts.auditchain import NATIONAL
from positions.models import Region


class Command(BaseCommand):
    help = (
        "Walk the tamper-evident audit chains (every province's and the national one, or one "
        "province's) from their signed checkpoints to their signed heads. Exits with status 1 "
        "naming the first event that was changed or removed; the outcome is shown on the audit "
        "log page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help='GB/T 2260 code of a province, or "national"')

    def handle(self, *args, **options):
        code = options["province"]
        if code and code != NATIONAL:
            if not Region.objects.filter(code=code, level="province").exists():
                raise CommandError(f"省份代码 {code} 不存在")
        started = time.perf_counter()
        reports = audit_chains_verify(code=code, now=timezone.now(), log_problems=False)
        for report in reports:
            where = f"{report.name}（{report.code}）"
            if report.ok:
                through = (
                    f"至第 {report.last_seq} 条（编号 {report.last_id}，"
                    f"{timezone.localtime(report.last_at):%Y-%m-%d %H:%M:%S}）"
                    if report.last_at
                    else "（无记录）"
                )
                self.stdout.write(f"{where}：完好，校验 {report.checked} 条{through}")
            else:
                self.stderr.write(f"{where}：{report.problem}")
        elapsed = time.perf_counter() - started
        checked = sum(report.checked for report in reports)
        self.stdout.write(f"{len(reports)} 条审计链，校验 {checked} 条记录，用时 {elapsed:.1f} 秒")
        if any(not report.ok for report in reports):
            sys.exit(1)
