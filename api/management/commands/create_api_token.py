from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from accounts.models import User
from api import services


class Command(BaseCommand):
    help = (
        "Create an API token (接口令牌) on behalf of a staff account, as the 接口令牌 page does, and "
        "print its secret once. The account must manage the unit: its own, or one below it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help="the staff account's username")
        parser.add_argument(
            "--scope",
            required=True,
            help="county:CODE, province:CODE or university:学校标识码 (e.g. county:440104)",
        )
        parser.add_argument("--name", required=True, help="用途, e.g. 第二课堂系统每晚同步")
        parser.add_argument("--days", type=int, default=90, help="1–365 (default 90)")
        parser.add_argument("--write", action="store_true", help="county tokens: publish/close")

    def handle(self, *args, **options):
        actor = User.objects.filter(username__iexact=options["by"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有启用的账号 {options['by']}。")
        try:
            token, secret = services.token_create(
                actor=actor,
                scope_key=options["scope"],
                name=options["name"],
                days=options["days"],
                can_write=options["write"],
            )
        except Http404 as error:
            raise CommandError(f"账号 {actor.username} 不能创建接口令牌。") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"已创建令牌“{token.name}”，有效期至 {token.expires_at:%Y-%m-%d}。")
        self.stdout.write("令牌只显示这一次，请立即保存：")
        self.stdout.write(secret)
