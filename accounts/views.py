from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services
from accounts.access import capabilities_for
from accounts.audit import Action, audit_record
from accounts.exporters import AuditExporter
from accounts.forms import AccountForm, AuditFilterForm, LoginForm
from accounts.lockout import password_failed, password_lockout
from accounts.models import Notice
from accounts.scoping import require_write
from accounts.services import scope_region
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import add_service_errors
from fanjiaxiang.todo import Todo
from fanjiaxiang.views import paginate
from positions.selectors import drafts_todo, host_units_for_user, posts_for_user, region_children
from reports.selectors import todos_for_reports
from schedule.selectors import home_standing, todos_for_committee, todos_for_university_calendar
from students.todos import (
    student_next_step,
    todos_for_placements,
    todos_for_selection,
    todos_for_university,
)
from summary.selectors import todos_for_city, todos_for_five, todos_for_reviewer


def _require_account_manager(user) -> None:
    if not capabilities_for(user).can_manage_accounts:
        raise Http404


@login_required
@require_GET
def account_list(request):
    _require_account_manager(request.user)
    accounts = selectors.accounts_for_user(request.user).order_by("role", "username")
    page = paginate(request, accounts, 30)
    return render(request, "accounts/account_list.html", {"page": page})


@login_required
def account_create(request):
    _require_account_manager(request.user)
    form = AccountForm(request.POST or None, creator=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            form.add_error("role", _("无权开通该角色的账号。"))
        else:
            messages.success(
                request, _("已开通账号：%(username)s") % {"username": account.username}
            )
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "accounts/account_form.html", {"form": form})


@login_required
@require_GET
def account_detail(request, pk: int):
    _require_account_manager(request.user)
    account, access = selectors.get_account_for_user(request.user, pk)
    return render(request, "accounts/account_detail.html", {"account": account, "access": access})


@login_required
@require_POST
def account_set_active(request, pk: int):
    _require_account_manager(request.user)
    account, access = selectors.get_account_for_user(request.user, pk)
    require_write(access.can_write)
    active = request.POST.get("active") == "1"
    services.account_set_active(account=account, active=active, actor=request.user)
    messages.success(request, _("账号已启用。") if active else _("账号已停用，该用户将无法登录。"))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_GET
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    events = selectors.audit_events_filtered(request.user, **filters)
    if request.GET.get("export"):
        exporter = AuditExporter(request.user, **filters)
        fmt = "csv" if request.GET["export"] == "csv" else "xlsx"
        return export_response(exporter, fmt=fmt, region=request.user.region)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": paginate(request, events, 50),
            "query": query.urlencode(),
            "chains": selectors.audit_chains_for_user(request.user),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        },
    )


@login_required
@require_GET
def mail_failures(request):
    mails = selectors.failed_mails_for_user(request.user)
    return render(request, "accounts/mail_failures.html", {"page": paginate(request, mails, 50)})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """A wrong current password counts as a failed sign-in (django-axes), as on the erase form:
    the same 5 tries from that address, then the same pause, so a borrowed session cannot be
    used to guess the password."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def post(self, request, *args, **kwargs):
        return password_lockout(request) or super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            password_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        audit_record(Action.PASSWORD_CHANGE, actor=user, target=user, region=scope_region(user))
        messages.success(self.request, _("密码已修改。"))
        return response


def _todos(user, now) -> list[Todo]:
    """The signed-in staff user's to-do list (工作台): each app's items for the user's scope, in
    the order the work comes in the year; an app returns nothing for a role it has none for."""
    today = timezone.localdate(now)
    return [
        *todos_for_committee(user, today),
        *todos_for_university_calendar(user, today),
        *drafts_todo(user, today),
        *todos_for_selection(user, now),
        *todos_for_placements(user, today),
        *todos_for_university(user, today),
        *todos_for_five(user, today),
        *todos_for_reviewer(user),
        *todos_for_city(user, today),
        *todos_for_reports(user),
    ]


@require_GET
def home(request):
    """Anyone: the post search. Staff: their to-do list; a student: their next step."""
    user = request.user
    caps = capabilities_for(user)
    context: dict = {"provinces": region_children(None)}
    if not user.is_authenticated:
        return render(request, "home.html", context)
    now = timezone.now()
    context["today"] = timezone.localdate(now)
    if caps.is_student:
        context["next_step"] = student_next_step(user, now)
        return render(request, "home.html", context)
    if caps.can_read_positions:
        context["post_counts"] = posts_for_user(user).aggregate(
            **{s: Count("pk", filter=Q(status=s)) for s in ("draft", "published", "closed")}
        )
        context["host_unit_count"] = host_units_for_user(user).count()
    context["todos"] = _todos(user, now) if user.role else None
    context["standing"] = home_standing(user)
    return render(request, "home.html", context)


@login_required
@require_GET
def notice_list(request):
    """Everyone's in-portal notices, unread ones highlighted until marked read (a POST)."""
    notices = list(Notice.objects.filter(user=request.user)[:50])
    unread = any(notice.read_at is None for notice in notices)
    return render(request, "accounts/notice_list.html", {"notices": notices, "unread": unread})


@login_required
@require_POST
def notices_read(request):
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("accounts:notice_list")
