from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import password_reset as reset
from accounts import selectors, services, twofactor
from accounts.access import capabilities_for
from accounts.audit import Action
from accounts.exporters import AuditExporter
from accounts.forms import (
    AccountForm,
    AuditFilterForm,
    LoginForm,
    OwnPasswordChangeForm,
    PasswordResetRequestForm,
    PasswordResetSetForm,
    TwoFactorCodeForm,
    TwoFactorEnrolForm,
)
from accounts.lockout import password_failed, password_lockout
from accounts.models import Notice
from accounts.scoping import require_write
from fanjiaxiang.exporters import export_response
from fanjiaxiang.forms import add_service_errors
from fanjiaxiang.security import client_ip
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


def _require_account_reader(user) -> None:
    """The account managers, and the security administrator (who resets second factors)."""
    caps = capabilities_for(user)
    if not (caps.can_manage_accounts or caps.can_reset_two_factor):
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
    _require_account_reader(request.user)
    account, access = selectors.get_account_for_user(request.user, pk)
    return render(request, "accounts/account_detail.html", {"account": account, "access": access})


@login_required
@require_POST
def account_set_active(request, pk: int):
    _require_account_reader(request.user)
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

    # Why the last session ended (accounts/twofactor.py IdleLockMiddleware); others are ignored.
    ENDED = {
        "idle": _lazy("您已超过 %(minutes)s 分钟未操作，为保护数据安全已自动退出，请重新登录。"),
        "expired": _lazy("您已连续登录 8 小时，为保护数据安全已自动退出，请重新登录。"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ended = self.ENDED.get(self.request.GET.get("reason", ""))
        if ended:
            context["ended"] = str(ended) % {"minutes": settings.STAFF_IDLE_MINUTES}
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """A wrong current password counts as a failed sign-in (django-axes), as on the erase form:
    the same 5 tries from that address, then the same pause, so a borrowed session cannot be
    used to guess the password."""

    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("home")

    def post(self, request, *args, **kwargs):
        return password_lockout(request) or super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            password_failed(self.request)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = self.request.user.must_change_password
        return context

    def form_valid(self, form):
        user = reset.password_set(
            user=self.request.user,
            password=form.cleaned_data["new_password1"],
            action=Action.PASSWORD_CHANGE,
            actor=self.request.user,
        )
        update_session_auth_hash(self.request, user)  # this session stays, all others end
        messages.success(self.request, _("密码已修改。"))
        return redirect(self.get_success_url())


# --- forgotten passwords (accounts/password_reset.py) --------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """找回密码: the same answer (the "sent" page) for every username or address, known or not;
    only the client address's hourly limit is ever said."""
    form = PasswordResetRequestForm(request.POST or None)
    throttled = request.method == "POST" and not reset.reset_request_allowed(
        address=client_ip(request)
    )
    if request.method == "POST" and not throttled and form.is_valid():
        # The link names the address the request came to (a host ALLOWED_HOSTS admits), so it
        # opens where the user asked, whatever SITE_URL says.
        site = request.build_absolute_uri("/").rstrip("/")
        reset.password_reset_request(identifier=form.cleaned_data["identifier"], site=site)
        return redirect("accounts:password_reset_done")
    response = render(
        request,
        "accounts/password_reset_form.html",
        {"form": form, "throttled": throttled},
        status=429 if throttled else 200,
    )
    if throttled:
        response["Retry-After"] = "3600"  # the limit counts per hour
    return response


@require_GET
def password_reset_done(request):
    return render(
        request,
        "accounts/password_reset_done.html",
        {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page behind the e-mailed link (the token moves to the session, out of the
    address bar), with the portal's one way of setting a password. Nobody is signed in by it:
    the next sign-in asks for the password and, for staff, the second factor."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordResetSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        return reset.password_reset_account(uidb64)

    def form_valid(self, form):
        token = self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
        password = form.cleaned_data["new_password1"]
        if not reset.password_reset_finish(user=self.user, token=token, password=password):
            self.validlink = False  # spent meanwhile (the same link sent twice at once)
            return self.render_to_response(self.get_context_data())
        return redirect(self.success_url)


@require_GET
def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")


def temporary_password_page(request, *, account, password: str, back: str) -> HttpResponse:
    """The temporary password, shown in this one response: no cache may keep it."""
    response = render(
        request,
        "accounts/password_temporary.html",
        {"account": account, "password": password, "back": back},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_password_reset(request, pk: int):
    """The level above gives an account a temporary password (an officer without e-mail, or
    who cannot reach it); the account must change it at its next sign-in."""
    _require_account_reader(request.user)
    account, access = selectors.get_account_for_user(request.user, pk)
    require_write(access.can_reset_password)
    password = reset.password_temporary_set(account=account, actor=request.user)
    back = reverse("accounts:account_detail", args=[account.pk])
    return temporary_password_page(request, account=account, password=password, back=back)


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


# --- two-factor sign-in (accounts/twofactor.py) --------------------------------------------------


def _next_query(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    return f"?{urlencode({'next': target})}" if target else ""


@login_required
def two_factor_verify(request):
    """The second step of signing in: the authenticator's current code (or a recovery code)."""
    user = request.user
    if not twofactor.two_factor_pending(request):
        return redirect(twofactor.safe_next(request))
    if twofactor.confirmed_device(user) is None:
        return redirect(reverse("accounts:two_factor_setup") + _next_query(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            twofactor.verified(request, device)
            left = twofactor.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    _("恢复码仅剩 %(left)s 个，请在“两步验证”页面重新生成。") % {"left": left},
                )
            return redirect(twofactor.safe_next(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")},
    )


@login_required
def two_factor_setup(request):
    """Enrolment: scan the QR code, type the first code, see the recovery codes once."""
    response = _two_factor_setup(request)
    if response.status_code == 200:  # the secret or the recovery codes: no cache may keep them
        response["Cache-Control"] = "no-store"
    return response


def _two_factor_setup(request):
    user = request.user
    if twofactor.confirmed_device(user) is not None:
        pending = twofactor.two_factor_pending(request)
        target = "accounts:two_factor_verify" if pending else "accounts:two_factor"
        return redirect(reverse(target) + _next_query(request))
    device = twofactor.enrolment_device(request)
    form = TwoFactorEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.two_factor_enrol(
                user=user, key=device.key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(twofactor.ENROL_KEY, None)
            twofactor.verified(request, twofactor.confirmed_device(user))
            # Shown in this one response and never again: only their digests are kept.
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": twofactor.safe_next(request)},
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(device.config_url),
            "secret": twofactor.secret_text(device),
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "required": not twofactor.two_factor_optional(user),
        },
    )


@login_required
@require_GET
def two_factor(request):
    """The user's own two-factor settings: on or off, recovery codes left, turning it off."""
    user = request.user
    device = twofactor.confirmed_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "left": twofactor.recovery_codes_left(user) if device else 0,
            "optional": twofactor.two_factor_optional(user),
            "form": TwoFactorCodeForm(),
            "codes_form": TwoFactorCodeForm(prefix="codes"),
        },
    )


@login_required
@require_POST
def two_factor_codes(request):
    """New recovery codes, shown once: asks for a current code, like turning it off."""
    user = request.user
    if twofactor.confirmed_device(user) is None:
        raise PermissionDenied
    form = TwoFactorCodeForm(request.POST, prefix="codes")
    if form.is_valid():
        try:
            codes = twofactor.recovery_codes_renew(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": reverse("accounts:two_factor"), "renewed": True},
            )
            response["Cache-Control"] = "no-store"
            return response
    context = {"device": twofactor.confirmed_device(user), "form": TwoFactorCodeForm()}
    context["codes_form"] = form
    context["optional"] = twofactor.two_factor_optional(user)
    context["left"] = twofactor.recovery_codes_left(user)
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def two_factor_disable(request):
    """Turning it off asks for a current code, so a borrowed session cannot."""
    user = request.user
    if not twofactor.two_factor_optional(user) or twofactor.confirmed_device(user) is None:
        raise PermissionDenied
    form = TwoFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            twofactor.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            twofactor.two_factor_disable(user=user)
            request.session[twofactor.HAS_DEVICE] = False
            messages.success(request, _("两步验证已关闭。"))
            return redirect("accounts:two_factor")
    context = {"device": twofactor.confirmed_device(user), "optional": True, "form": form}
    context["codes_form"] = TwoFactorCodeForm(prefix="codes")
    context["left"] = twofactor.recovery_codes_left(user)
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def account_two_factor_reset(request, pk: int):
    """The level above (or the security administrator) clears a lost authenticator."""
    _require_account_reader(request.user)
    account, access = selectors.get_account_for_user(request.user, pk)
    require_write(access.can_reset_two_factor)
    twofactor.two_factor_reset(account=account, actor=request.user)
    messages.success(request, _("已重置该账号的两步验证，其下次登录时需重新绑定身份验证器。"))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_GET
def security_accounts(request):
    """账号安全: the security administrator's list of accounts and their second factor."""
    if not capabilities_for(request.user).can_reset_two_factor:
        raise Http404
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    accounts = (
        selectors.accounts_for_user(request.user)
        .annotate(has_device=Exists(devices))
        .order_by("role", "username")
    )
    page = paginate(request, accounts, 30)
    return render(request, "accounts/security_accounts.html", {"page": page})
