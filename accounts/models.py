from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE = "province", _("团省委")
    CITY = "city", _("市团委")
    COUNTY = "county", _("县级团委")
    HOST = "host", _("用人单位")
    UNIVERSITY = "university", _("高校团委")
    STUDENT = "student", _("学生")
    # 三权分立 (等保2.0): the superuser's work in three hands, none of which reads students'
    # personal data (accounts/access.py ADMIN_DUTIES; docs/security.md "Two-factor sign-in …").
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "secadmin", _("安全管理员")
    AUDIT_ADMIN = "auditadmin", _("审计管理员")


# Which roles an account of each role may create, and at which region level the new scope lies.
CHILD_ROLES: dict[str, tuple[str, ...]] = {
    Role.PROVINCE: (Role.CITY, Role.UNIVERSITY),
    Role.CITY: (Role.COUNTY,),
    Role.COUNTY: (Role.HOST,),
}
REGION_ROLES: dict[str, str] = {Role.PROVINCE: "province", Role.CITY: "city", Role.COUNTY: "county"}


class User(AbstractUser):
    """A person who signs in. Staff roles carry exactly the scope their role needs."""

    name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    host_unit = models.ForeignKey(
        "positions.HostUnit",
        verbose_name=_("所属用人单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    university = models.ForeignKey(
        "students.University",
        verbose_name=_("所属高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("开通人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when someone else chose the password (a temporary one from the level above, or the
    # county for a student): every page but the password change waits until the user picks
    # their own (accounts/password_reset.py PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # 'Yuexiu' and 'yuexiu' would be two officers no one can tell apart at sign-in.
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ignoring_case"),
            # A staff account without its scope would see either nothing or, worse, everything.
            models.CheckConstraint(
                condition=(
                    Q(role="")
                    | Q(role="student")
                    | Q(
                        role__in=["sysadmin", "secadmin", "auditadmin"],
                        region__isnull=True,
                        host_unit__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role__in=["province", "city", "county"],
                        region__isnull=False,
                        host_unit__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role="host",
                        host_unit__isnull=False,
                        region__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role="university",
                        university__isnull=False,
                        region__isnull=True,
                        host_unit__isnull=True,
                    )
                ),
                name="user_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def scope(self):
        return self.region or self.host_unit or self.university

    @property
    def scope_label(self) -> str:
        scope = self.scope
        if scope is None:
            return ""
        return scope.full_name if hasattr(scope, "full_name") else str(scope)


class Notice(models.Model):
    """An in-portal message to one user (a copy goes by e-mail when they have an address)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class Mail(models.Model):
    """One e-mail in the portal's one mail outbox (accounts/mail.py): written with the change it
    tells of, sent by a worker, never by a request. Claimed (pending → sending) by a conditional
    update just before it goes, so no two runs send it; a server that is down or a refusal that
    may pass is tried again every 10 minutes for two hours; a refusal for good (5xx, the address
    refused) ends it as failed, shown to the sender and to the province."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    to = models.EmailField(_("收件人"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    # Whose provincial staff see it when it fails for good (the recipient's or the sender's).
    province = models.ForeignKey(
        "positions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    next_try_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("邮件")
        verbose_name_plural = _("邮件")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_try_at"]),
            models.Index(fields=["province", "status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class AuditEventAction(models.TextChoices):
    ACCOUNT_CREATE = "account.create", _("开通账号")
    ACCOUNT_ACTIVATE = "account.activate", _("启用账号")
    ACCOUNT_DEACTIVATE = "account.deactivate", _("停用账号")
    ACCOUNT_UPDATE = "account.update", _("修改账号信息")
    PASSWORD_CHANGE = "account.password", _("修改密码")
    PASSWORD_RESET_MAIL = "account.password_reset_mail", _("发送找回密码邮件")
    PASSWORD_RESET = "account.password_reset", _("通过邮件链接重置密码")
    PASSWORD_TEMPORARY = "account.password_temporary", _("重置为临时密码")
    PROFILE_UPDATE = "student.profile", _("学生修改联系方式")
    IDENTITY_CORRECT = "student.identity", _("更正学生身份信息")
    LOGIN_LOCKED = "login.locked", _("登录被暂停")
    APPLICATION_WITHDRAW = "application.withdraw", _("学生撤回意向")
    OFFER_EXPIRE = "offer.expire", _("录用过期")
    APPLICATION_SHORTLIST = "application.shortlist", _("列入候选")
    APPLICATION_REJECT = "application.reject", _("不予录用")
    APPLICATION_OFFER = "application.offer", _("发出录用")
    OFFER_CONFIRM = "offer.confirm", _("学生确认录用")
    OFFER_DECLINE = "offer.decline", _("学生放弃录用")
    PLACEMENT_REPORT = "placement.report", _("报到")
    CHECKIN_REFUSE = "placement.checkin_refuse", _("报到码错误")
    PLACEMENT_EVALUATE = "placement.evaluate", _("期满鉴定")
    PLACEMENT_DROP = "placement.drop", _("中止实践")
    MATCHING_PUBLISH = "matching.publish", _("发布匹配结果")
    CLEARANCE_RECORD = "clearance.record", _("高校审核")
    PII_REVEAL = "pii.reveal", _("查看完整个人信息")
    EXPORT = "export", _("导出数据")
    DATA_DOWNLOAD = "subject.download", _("学生下载本人数据")
    ERASURE = "subject.erase", _("学生注销并删除个人信息")
    RETENTION = "retention.anonymise", _("超期个人信息匿名化")
    CALENDAR_UPDATE = "calendar.update", _("修改工作日程")
    EXTENSION_GRANT = "calendar.extend", _("批准节点延期")
    MILESTONE_EXCUSE = "calendar.excuse", _("豁免工作节点")
    SELECTION_CLOSE = "calendar.close", _("选拔截止关闭意向")
    CALENDAR_LOCK = "calendar.lock", _("设置截止后锁定")
    PLAN_SUBMIT = "plan.submit", _("提交实施方案")
    PLAN_APPROVE = "plan.approve", _("审核通过实施方案")
    PLAN_RETURN = "plan.return", _("退回实施方案")
    ONBOARDING_CONFIRM = "onboarding.confirm", _("确认入驻")
    SUMMARY_DONE = "summary.done", _("完成年度总结")
    MILESTONE_ADD = "calendar.milestone_add", _("新增省级自定节点")
    MILESTONE_CHANGE = "calendar.milestone_change", _("修改省级自定节点")
    MILESTONE_DELETE = "calendar.milestone_delete", _("删除省级自定节点")
    MILESTONE_DONE = "calendar.milestone_done", _("单位标记节点完成")
    PROGRESS_SAVE = "progress.save", _("保存项目推进表草稿")
    PROGRESS_SUBMIT = "progress.submit", _("报送项目推进表")
    LEDGER_CREATE = "ledger.create", _("登记台账人员")
    LEDGER_UPDATE = "ledger.update", _("修改台账人员")
    LEDGER_DELETE = "ledger.delete", _("删除台账人员")
    LEDGER_IMPORT = "ledger.import", _("导入联系台账")
    LEDGER_MERGE = "ledger.merge", _("合并重复人员")
    LEDGER_NOTICE = "ledger.notice", _("向台账人员发送通知")
    RETURN_VERIFY = "ledger.return_verify", _("核实返乡就业创业登记")
    EVENT_MATERIAL = "ledger.event_material", _("上传或删除集中交流照片、纪要")
    SCORE_RECOMPUTE = "summary.recompute", _("计算年度评分")
    SCORE_ADJUST = "summary.adjust", _("调整年度评分")
    COMMENDATION_CHOOSE = "summary.commend", _("选定表扬单位")
    COMMENDATION_PUBLISH = "summary.publish", _("公布表扬名单")
    SCORING_RULE_UPDATE = "summary.rule", _("修改评分规则")
    CITY_ACTIVITY_SAVE = "city_activity.save", _("登记或修改市级活动")
    CASE_SUBMIT = "case.submit", _("提交典型案例")
    CASE_UPDATE = "case.update", _("修改典型案例")
    CASE_APPROVE = "case.approve", _("典型案例审核通过")
    CASE_REJECT = "case.reject", _("典型案例审核未通过")
    BRIEFING_SAVE = "briefing.save", _("撰写或修改简报草稿")
    BRIEFING_PUBLISH = "briefing.publish", _("发布简报")
    CASE_RULE_SET = "case.rule", _("设置典型案例要求")
    REPORT_SUBMIT = "report.submit", _("上报简报简讯")
    REPORT_MARK = "report.mark", _("阅处上报的简报简讯")
    REPORT_COMPILE = "report.compile", _("汇编上报的简报简讯")
    CREDIT_RULE_UPDATE = "credit_rule.update", _("修改学分认定规则")
    UNIVERSITY_CREATE = "university.create", _("补充高校")
    UNIVERSITY_RENAME = "university.rename", _("修改高校名称")
    OUTCOME_SAVE = "outcome.save", _("提交或修改实践总结")
    OUTCOME_CONSENT = "outcome.consent", _("同意或撤回典型案例使用实践总结")
    OUTCOME_RULE_SET = "outcome.rule", _("设置实践总结要求")
    EMERGENCY_CONTACT_SAVE = "safety.contact", _("学生填写紧急联系人")
    INSURANCE_SAVE = "safety.insurance", _("登记意外伤害保险")
    SAFETY_RULE_SET = "safety.rule", _("设置行前安全教育要求")
    UNIVERSITY_NOTICE = "university.notice", _("高校向本校学生发送通知")
    RECOMMENDATION_SAVE = "university.recommend", _("高校填写或修改推荐意见")
    PERFORMANCE_ISSUE = "performance.issue", _("开具在校表现证明")
    PERFORMANCE_REVOKE = "performance.revoke", _("撤销在校表现证明")
    API_TOKEN_CREATE = "api_token.create", _("创建接口令牌")
    API_TOKEN_REVOKE = "api_token.revoke", _("撤销接口令牌")
    API_CALL = "api.call", _("调用开放接口")
    API_REFUSED = "api.refused", _("接口令牌被拒绝")
    AUDIT_PRUNE = "audit.prune", _("清理超过保存期限的审计日志")
    TWO_FACTOR_ENROL = "2fa.enrol", _("启用两步验证")
    TWO_FACTOR_FAIL = "2fa.fail", _("两步验证码错误")
    TWO_FACTOR_RECOVERY = "2fa.recovery", _("使用恢复码登录")
    TWO_FACTOR_RESET = "2fa.reset", _("重置两步验证")
    TWO_FACTOR_DISABLE = "2fa.disable", _("关闭两步验证")
    TWO_FACTOR_CODES = "2fa.codes", _("重新生成恢复码")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where (pretix's log_action, kept small).

    Written by services inside their transaction (an event exists exactly when the change does)
    and by views for reveals and exports. Details never hold the personal data itself: a reveal
    records *that* an ID number was shown, not the number.
    """

    # Stamped by the chain writer once it holds the chain's lock, so time follows chain order.
    created_at = models.DateTimeField(
        _("时间"), default=timezone.now, db_index=True, editable=False
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=12, blank=True)
    action = models.CharField(
        _("操作"), max_length=40, choices=AuditEventAction.choices, db_index=True
    )
    target_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    target_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    # The county, city or province the record belongs to; province is kept beside it so that
    # provincial staff read their province's events with one indexed filter.
    region = models.ForeignKey(
        "positions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    province = models.ForeignKey(
        "positions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    # The tamper-evident chain (accounts/auditchain.py): the event's place in its province's
    # chain (the national chain when province is empty) and the SHA-256 over its fields and the
    # previous event's hash. Empty only for a row written around audit_record: verify names it.
    chain_seq = models.BigIntegerField(_("链内序号"), null=True, blank=True, editable=False)
    chain_hash = models.CharField(_("链哈希"), max_length=64, blank=True, editable=False)
    # Personal fields removed later on purpose (an erased account's name, an address past its
    # keeping time): the keyed digest of what was there, so the chain still verifies.
    redacted = models.JSONField(_("已去除字段"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["province", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        constraints = [
            # One event per place in a chain: two writers that both read the same head (a fork)
            # cannot both commit. The index also serves verify_audit's walk.
            models.UniqueConstraint(
                fields=["province", "chain_seq"], name="audit_event_one_per_chain_place"
            ),
            models.UniqueConstraint(
                fields=["chain_seq"],
                condition=Q(province__isnull=True),
                name="audit_event_one_per_national_chain_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditChain(models.Model):
    """The head of one province's audit chain ("national" for events with no province).

    Writers lock this row to append (accounts/auditchain.py), so appends in one province are
    serialised; `head_signature` is an HMAC of the head, so a rewritten chain needs the key.
    The last verification's outcome is kept here for the audit log page."""

    code = models.CharField(_("链"), max_length=12, unique=True)
    province = models.OneToOneField(
        "positions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seq = models.BigIntegerField(_("最新序号"), default=0)
    head_hash = models.CharField(max_length=64, blank=True, default="")
    head_signature = models.CharField(max_length=64, blank=True, default="")
    verified_at = models.DateTimeField(_("校验时间"), null=True, blank=True)
    verified_seq = models.BigIntegerField(_("已校验至序号"), null=True, blank=True)
    verified_event_at = models.DateTimeField(_("已校验至记录时间"), null=True, blank=True)
    verified_count = models.BigIntegerField(_("校验条数"), null=True, blank=True)
    problem = models.CharField(_("校验发现的问题"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")

    def __str__(self) -> str:
        return self.code


class AuditCheckpoint(models.Model):
    """A signed record of one pruning: events up to `seq` are gone, the last of them hashed to
    `last_hash`; verification of the chain starts here."""

    chain = models.ForeignKey(AuditChain, on_delete=models.PROTECT, related_name="checkpoints")
    seq = models.BigIntegerField(_("清理至序号"))
    last_hash = models.CharField(max_length=64)
    pruned = models.BigIntegerField(_("本次清理条数"))
    total = models.BigIntegerField(_("累计清理条数"))
    cutoff = models.DateTimeField(_("清理早于"))
    created_at = models.DateTimeField(_("时间"))
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链检查点")
        verbose_name_plural = _("审计链检查点")
        constraints = [
            # Two prunes at once cannot both write a checkpoint for the same place.
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_checkpoint_one_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.chain_id}@{self.seq}"


class Throttle(models.Model):
    """How many attempts one client address (kept as a keyed digest) made at one thing
    (registration) in one fixed window of time (accounts/throttle.py). In the database, so
    every web process counts the same attempts; a window's rows are deleted once a later
    window of their scope begins."""

    scope = models.CharField(_("限制对象"), max_length=30)
    key = models.CharField(_("来源"), max_length=64)
    window_start = models.DateTimeField(_("时段开始"))
    hits = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("频率限制计数")
        verbose_name_plural = _("频率限制计数")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="throttle_one_row_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.window_start:%Y-%m-%d %H:%M} {self.hits}"


class RecoveryCode(models.Model):
    """One of the ten one-time codes a user is shown once when enrolling in two-factor sign-in,
    for a lost phone. Only a keyed digest is kept (accounts/twofactor.py); a code is spent by a
    conditional UPDATE of `used_at`, so two sign-ins with the same code cannot both pass."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(_("摘要"), max_length=64)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {'used' if self.used_at else 'unused'}"
