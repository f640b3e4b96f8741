from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import normalize_phone
from fanjiaxiang.forms import PortalForm
from fanjiaxiang.uploads import DOCUMENT, UploadValidator
from schedule.models import ProgrammeYear, ProgressRow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarForm(PortalForm):
    """A programme year's settings, practice windows and milestone dates on one page."""

    quota_per_county = forms.IntegerField(
        label=_("每个县（市、区）报到人数下限"), min_value=1, max_value=10000
    )
    max_preferences = forms.IntegerField(label=_("每人可填意向数"), min_value=1, max_value=10)
    offer_reply_days = forms.IntegerField(label=_("录用确认期限（天）"), min_value=1, max_value=30)

    def __init__(self, *args, programme_year: ProgrammeYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_year = programme_year
        for name in ("quota_per_county", "max_preferences", "offer_reply_days"):
            self.fields[name].initial = getattr(programme_year, name)
        self.seasons = list(programme_year.seasons.all())
        for season in self.seasons:
            for end, label in (("starts", _("%s实践开始")), ("ends", _("%s实践结束"))):
                self.fields[f"season_{season.pk}_{end}"] = forms.DateField(
                    label=label % season.get_kind_display(),
                    widget=DATE,
                    initial=getattr(season, f"practice_{end}"),
                )
        # The province's own milestones have their own form (CustomMilestoneForm).
        self.milestones = list(
            programme_year.milestones.exclude(code="custom").order_by("due", "id")
        )
        for milestone in self.milestones:
            self.fields[f"milestone_{milestone.pk}_due"] = forms.DateField(
                label=milestone.get_code_display(), widget=DATE, initial=milestone.due
            )
            self.fields[f"milestone_{milestone.pk}_applies"] = forms.BooleanField(
                label=_("本年度开展"), required=False, initial=milestone.applies
            )
            if milestone.lockable:
                self.fields[f"milestone_{milestone.pk}_hard_lock"] = forms.BooleanField(
                    label=_("截止后锁定"), required=False, initial=milestone.hard_lock
                )

    def settings_rows(self):
        return [self[name] for name in ("quota_per_county", "max_preferences", "offer_reply_days")]

    def milestone_rows(self):
        """(milestone, due, applies, hard_lock or None where the milestone cannot lock)."""
        return [
            (
                m,
                self[f"milestone_{m.pk}_due"],
                self[f"milestone_{m.pk}_applies"],
                self[f"milestone_{m.pk}_hard_lock"] if m.lockable else None,
            )
            for m in self.milestones
        ]

    def season_rows(self):
        return [
            (s, self[f"season_{s.pk}_starts"], self[f"season_{s.pk}_ends"]) for s in self.seasons
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "settings": {
                name: data[name]
                for name in ("quota_per_county", "max_preferences", "offer_reply_days")
            },
            "seasons": {
                s.pk: (data[f"season_{s.pk}_starts"], data[f"season_{s.pk}_ends"])
                for s in self.seasons
            },
            "milestones": {
                m.pk: (
                    data[f"milestone_{m.pk}_due"],
                    data[f"milestone_{m.pk}_applies"],
                    bool(data.get(f"milestone_{m.pk}_hard_lock")),
                )
                for m in self.milestones
            },
        }


class ProgrammeYearCreateForm(PortalForm):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)


class ExtensionForm(PortalForm):
    new_due = forms.DateField(label=_("延期至"), widget=DATE)
    reason = forms.CharField(
        label=_("延期原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExcuseForm(PortalForm):
    reason = forms.CharField(
        label=_("豁免原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanForm(PortalForm):
    document = forms.FileField(
        label=_("实施方案文件"),
        validators=[UploadValidator(DOCUMENT)],
        help_text=_("PDF、Word 或 WPS 文件，不超过 20 MB。"),
    )


class PlanReviewForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("通过")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OnboardingForm(PortalForm):
    contact_name = forms.CharField(label=_("联系人"), max_length=30)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("办公地址"), max_length=200, required=False)

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data["contact_phone"])


class CustomMilestoneForm(PortalForm):
    """A province's own milestone: title, date, the levels it applies to, a description."""

    title = forms.CharField(label=_("节点名称"), max_length=60)
    due = forms.DateField(label=_("截止日期"), widget=DATE)
    for_city = forms.BooleanField(label=_("市级团委"), required=False)
    for_county = forms.BooleanField(label=_("县级团委"), required=False)
    for_university = forms.BooleanField(label=_("高校团委"), required=False)
    description = forms.CharField(
        label=_("说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("做什么、怎样算完成。各单位完成后在工作日程中自行“标记完成”。"),
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("for_city", "for_county", "for_university")):
            self.add_error("for_city", _("请至少选择一个适用层级。"))
        return data


class UnitDoneForm(PortalForm):
    note = forms.CharField(
        label=_("完成说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.FileField(
        label=_("附件（可选）"),
        required=False,
        validators=[UploadValidator(DOCUMENT)],
        help_text=_("PDF、Word 或 WPS 文件，不超过 20 MB。"),
    )


class ProgressReportForm(PortalForm):
    contact = forms.CharField(label=_("填表人及联系方式"), max_length=100, required=False)
    note = forms.CharField(
        label=_("总体情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgressRowForm(PortalForm):
    """One line of the 项目推进表 in the seed's columns (序号 is the line's place)."""

    category = forms.ChoiceField(label=_("类别"), choices=ProgressRow.Category.choices)
    title = forms.CharField(label=_("项目名称"), max_length=100)
    content = forms.CharField(
        label=_("主要内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    progress = forms.CharField(
        label=_("推进情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    youth_covered = forms.IntegerField(
        label=_("覆盖青少年数"), min_value=0, max_value=10_000_000, initial=0
    )
    deadline = forms.CharField(
        label=_("完成时限"),
        max_length=30,
        required=False,
        help_text=_("如 2026年12月、长期"),
    )


def progress_rows(formset) -> list[dict]:
    """A valid row formset's filled-in lines, in order, without those ticked for removal or
    left empty."""
    return [
        {name: form.cleaned_data[name] for name in ProgressRowForm.base_fields}
        for form in formset.forms
        if form.has_changed() and not form.cleaned_data.get("DELETE")
    ]


ProgressRowFormSet = forms.formset_factory(
    ProgressRowForm,
    extra=0,
    can_delete=True,
    max_num=100,
    validate_max=True,
)
