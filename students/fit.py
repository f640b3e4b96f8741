"""专业对口: how well a student fits a post, and why.

Seed 000 describes 企业实践 as matching a student's major with a company's needs. A post says
what it wants in three free-text fields (专业要求 `majors`, 能力要求 `skills`, 年级要求 `grade`);
a student has a major, 特长/技能 and a year of entry. The pure functions below read the one
against the other and give a score (0–100) with the reasons in Chinese; the two reads at the
end use them: the posts suggested to a student, and each applicant's fit on a post's list.

The score weighs the major most for 企业实践 (the notice's "专业对口") and more evenly for the
other categories, where willingness and skills count as much. It ranks, it never decides: no
service refuses anything because of it, and stable_match does not read it.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from positions.models import Post
from schedule.selectors import stage_due_expression
from students.models import Application, Student
from students.selectors import seats_left

# Majors ----------------------------------------------------------------------------------------

# 专业类 and their 学科门类 (《普通高等学校本科专业目录》), each with the words by which a major's
# name or a post's 专业要求 names it. A short list of what posts ask for, not the whole register:
# the first class one of whose words the name contains wins, so narrower classes come first
# (电子信息工程 is 电子信息类, not 计算机类 through "信息").
MAJOR_CLASSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("电子信息类", "工学", ("电子", "通信", "光电", "集成电路")),
    ("自动化类", "工学", ("自动化", "机器人")),
    ("电气类", "工学", ("电气", "电力")),
    ("机械类", "工学", ("机械", "车辆", "机电")),
    ("土木类", "工学", ("土木", "给排水", "道路桥梁")),
    ("建筑类", "工学", ("建筑", "城乡规划", "风景园林")),
    ("环境科学与工程类", "工学", ("环境",)),
    ("食品科学与工程类", "工学", ("食品",)),
    ("管理科学与工程类", "管理学", ("工程管理", "工程造价", "信息管理", "管理科学")),
    (
        "计算机类",
        "工学",
        (
            "计算机",
            "软件",
            "网络工程",
            "网络空间",
            "数据科学",
            "大数据",
            "人工智能",
            "物联网",
            "信息",
        ),
    ),
    ("农业经济管理类", "管理学", ("农林经济", "农村区域", "农业经济")),
    ("植物生产类", "农学", ("农学", "园艺", "植物保护", "茶学", "种子", "农业")),
    ("动物生产类", "农学", ("动物科学", "畜牧", "水产", "动物医学")),
    ("林学类", "农学", ("林学", "园林", "森林")),
    ("护理学类", "医学", ("护理",)),
    ("药学类", "医学", ("药学", "药物", "中药")),
    ("公共卫生与预防医学类", "医学", ("公共卫生", "预防医学")),
    ("临床医学类", "医学", ("临床", "医学", "中医")),
    ("金融学类", "经济学", ("金融", "保险", "投资")),
    ("财政学类", "经济学", ("财政", "税收")),
    ("经济与贸易类", "经济学", ("国际贸易", "经济与贸易", "贸易")),
    ("经济学类", "经济学", ("经济",)),
    ("旅游管理类", "管理学", ("旅游", "酒店", "会展")),
    ("电子商务类", "管理学", ("电子商务", "电商")),
    ("物流管理与工程类", "管理学", ("物流", "供应链")),
    ("公共管理类", "管理学", ("行政管理", "公共管理", "公共事业", "土地资源", "社会保障")),
    (
        "工商管理类",
        "管理学",
        ("工商管理", "市场营销", "会计", "财务", "审计", "人力资源", "企业管理"),
    ),
    ("新闻传播学类", "文学", ("新闻", "传播", "广告", "编辑", "新媒体", "传媒")),
    ("外国语言文学类", "文学", ("英语", "日语", "俄语", "法语", "外语", "翻译", "外国语")),
    ("中国语言文学类", "文学", ("中文", "汉语言", "中国语言", "文学", "秘书")),
    ("法学类", "法学", ("法学", "法律")),
    ("马克思主义理论类", "法学", ("思想政治", "马克思")),
    ("社会学类", "法学", ("社会学", "社会工作")),
    ("政治学类", "法学", ("政治", "国际关系")),
    ("体育学类", "教育学", ("体育", "运动")),
    ("教育学类", "教育学", ("教育", "师范", "心理")),
    ("历史学类", "历史学", ("历史", "考古", "文物")),
    ("哲学类", "哲学", ("哲学",)),
    ("统计学类", "理学", ("统计",)),
    ("数学类", "理学", ("数学",)),
    ("化学类", "理学", ("化学",)),
    ("生物科学类", "理学", ("生物",)),
    ("地理科学类", "理学", ("地理", "测绘")),
    ("物理学类", "理学", ("物理",)),
    ("设计学类", "艺术学", ("设计", "视觉传达", "动画", "数字媒体艺术")),
    ("音乐与舞蹈学类", "艺术学", ("音乐", "舞蹈")),
    ("戏剧与影视学类", "艺术学", ("影视", "戏剧", "播音", "主持", "摄影")),
    ("美术学类", "艺术学", ("美术", "绘画", "书法")),
)

# Words a post uses for whole 学科门类 ("理工科优先", "经管类专业").
DISCIPLINE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("理工", ("理学", "工学")),
    ("工科", ("工学",)),
    ("理科", ("理学",)),
    ("文科", ("文学", "法学", "历史学", "哲学", "教育学")),
    ("经管", ("经济学", "管理学")),
    ("医科", ("医学",)),
    ("农林", ("农学",)),
    ("艺术", ("艺术学",)),
)

ANY_WORDS = ("不限", "无要求", "均可", "所有专业", "各专业")
_SEPARATORS = re.compile(r"[、，,；;/|\s（）()]+|及|和|或|与相关")
_FILLER = re.compile(r"(等相关专业|相关专业|等专业|专业|相关|优先|等|方向)")


@dataclass(frozen=True)
class MajorClass:
    name: str  # 专业类
    discipline: str  # 学科门类


def major_class(name: str) -> MajorClass | None:
    """The 专业类 a major's name (or a word of a post's 专业要求) belongs to, if the table
    knows it."""
    for class_name, discipline, words in MAJOR_CLASSES:
        if class_name == name or any(word in name for word in words):
            return MajorClass(class_name, discipline)
    return None


def _major_terms(text: str) -> list[str]:
    terms = (_FILLER.sub("", part) for part in _SEPARATORS.split(text))
    return [term for term in terms if term]


def _plain(major: str) -> str:
    """会计学 and 会计, 汉语言文学专业 and 汉语言文学, are the same major."""
    major = _FILLER.sub("", major.strip())
    return major[:-1] if len(major) > 2 and major.endswith("学") else major


@dataclass(frozen=True)
class Part:
    """One of the three things a fit is read on: how well (0–1) and why."""

    value: float
    reason: str
    good: bool | None  # met, not met, or neither (no requirement, or nothing to read)
    about: str = ""  # "grade" for the 年级要求, which alone can rule a student out


def major_fit(required: str, major: str) -> Part:
    required, major = required.strip(), major.strip()
    if not required or any(word in required for word in ANY_WORDS):
        return Part(0.4, _("专业不限"), None)
    terms = _major_terms(required)
    if not major:
        return Part(0.2, _("未填写专业"), None)
    if any(_plain(term) == _plain(major) for term in terms):
        return Part(1.0, _("专业对口：%(major)s 正是岗位要求的专业") % {"major": major}, True)
    mine = major_class(major)
    if mine is not None:
        classes = {c.name for c in map(major_class, terms) if c is not None}
        if mine.name in classes:
            return Part(
                0.85,
                _("专业对口：%(major)s 符合 %(cls)s") % {"major": major, "cls": mine.name},
                True,
            )
        disciplines = {c.discipline for c in map(major_class, terms) if c is not None}
        disciplines |= {d for word, ds in DISCIPLINE_WORDS if word in required for d in ds}
        if mine.discipline in disciplines:
            return Part(
                0.5,
                _("专业相近：%(major)s 属于%(discipline)s门类")
                % {"major": major, "discipline": mine.discipline},
                None,
            )
    return Part(0.0, _("专业不对口：岗位要求 %(required)s") % {"required": required}, False)


# Skills ----------------------------------------------------------------------------------------

# Words that mean the same skill, so "拍照" finds "摄影" and "Excel" finds "办公软件".
SKILL_GROUPS: tuple[tuple[str, ...], ...] = (
    ("写作", "文字", "文案", "公文", "撰稿", "新闻稿", "笔头"),
    ("摄影", "拍照", "拍摄", "摄像"),
    ("剪辑", "视频", "短视频", "Premiere", "Pr"),
    ("设计", "PS", "Photoshop", "海报", "美工", "平面"),
    ("办公软件", "Office", "Excel", "Word", "PPT", "WPS"),
    ("编程", "Python", "Java", "程序", "开发", "代码"),
    ("数据分析", "统计", "SPSS", "数据"),
    ("普通话", "播音", "主持"),
    ("外语", "英语", "日语", "翻译", "CET", "四级", "六级"),
    ("讲解", "演讲", "宣讲", "口才", "表达"),
    ("组织", "协调", "策划", "活动"),
    ("新媒体", "公众号", "运营", "直播"),
    ("调研", "调查", "走访", "访谈", "问卷"),
    ("驾驶", "驾照"),
    ("粤语", "客家话", "潮汕话", "方言"),
)
_SKILL_SEPARATORS = re.compile(r"[、，,；;/|\s]+")


def _mentions(text: str, word: str) -> bool:
    if word.isascii():  # "PS" is not the "ps" in "tips"
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text, re.IGNORECASE) is not None
    return word in text


def skill_tags(text: str) -> list[str]:
    return [tag for tag in _SKILL_SEPARATORS.split(text.strip()) if tag][:20]


def _skill_met(tag: str, required: str) -> bool:
    if len(tag) >= 2 and _mentions(required, tag):
        return True
    return any(
        any(_mentions(tag, w) for w in group) and any(_mentions(required, w) for w in group)
        for group in SKILL_GROUPS
    )


def skills_fit(required: str, skills: str) -> Part | None:
    """None when the post asks for no particular skill."""
    required = required.strip()
    if not required:
        return None
    met = [tag for tag in skill_tags(skills) if _skill_met(tag, required)]
    if met:
        return Part(
            min(1.0, 0.6 + 0.2 * (len(met) - 1)),
            _("技能相符：%(skills)s") % {"skills": "、".join(met[:4])},
            True,
        )
    if not skills.strip():
        return Part(0.3, _("未填写特长/技能"), None)
    return Part(0.1, _("能力要求：%(required)s") % {"required": required}, None)


# Grade (年级) ----------------------------------------------------------------------------------

NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5} | {str(n): n for n in range(1, 6)}
UNDERGRADUATE = frozenset({"junior", "bachelor"})
GRADUATE = frozenset({"master", "doctor"})
_YEAR = re.compile(r"(?:大|本科|专科)([一二三四五1-5])(?:年级)?|([一二三四五1-5])年级")
_GRADUATE_YEAR = re.compile(r"研([一二三1-3])")
_ENTRY = re.compile(r"(20\d\d|\d\d)级")
_UP_TO_GRADUATE = re.compile(r"[至到~～—-]\s*(研究生|硕士|博士)")
_DEGREE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("研究生", GRADUATE),
    ("硕士", frozenset({"master"})),
    ("博士", frozenset({"doctor"})),
    ("本科", frozenset({"bachelor"})),
    ("专科", frozenset({"junior"})),
    ("大专", frozenset({"junior"})),
    ("高职", frozenset({"junior"})),
)
_DEGREE_ORDER = ("junior", "bachelor", "master", "doctor")


@dataclass(frozen=True)
class GradeRule:
    """A post's 年级要求, read: which degrees and which years of study; None means any."""

    degrees: frozenset[str] | None = None
    years: frozenset[int] | None = None  # of study, within the degree
    entry_years: frozenset[int] | None = None  # 2023级
    graduates: bool = False  # 大二至研究生: every graduate student, whatever the years say

    def admits(self, *, degree: str, year: int, entry_year: int) -> bool:
        if self.graduates and degree in GRADUATE:
            return True
        return (
            (self.degrees is None or degree in self.degrees)
            and (self.years is None or year in self.years)
            and (self.entry_years is None or entry_year in self.entry_years)
        )


def _degrees(text: str) -> frozenset[str] | None:
    found: set[str] = set()
    for word, degrees in _DEGREE_WORDS:
        if word in text:
            found |= degrees
            if re.search(rf"{word}(及)?以上", text):  # 本科及以上: and every degree above
                lowest = min(_DEGREE_ORDER.index(d) for d in degrees)
                found |= set(_DEGREE_ORDER[lowest:])
    return frozenset(found) or None


def _years(text: str) -> frozenset[int] | None:
    numbers = [NUMERALS[a or b] for a, b in _YEAR.findall(text)]
    numbers += [NUMERALS[n] for n in _GRADUATE_YEAR.findall(text)]
    if "高年级" in text:
        return frozenset({3, 4, 5})
    if "低年级" in text:
        return frozenset({1, 2})
    if not numbers:
        return None
    if re.search(r"(及)?以上", text):
        return frozenset(range(min(numbers), 7))
    if re.search(r"(及)?以下", text):
        return frozenset(range(1, max(numbers) + 1))
    if len(numbers) == 2 and re.search(r"[至到~～—-]", text):
        return frozenset(range(min(numbers), max(numbers) + 1))
    return frozenset(numbers)


def parse_grade(text: str) -> GradeRule | None:
    """大二及以上, 本科三年级, 研究生, 2023级, 大二至大四, 不限 … None when the text says
    nothing this reads (the reason then asks the reader to check it)."""
    text = text.strip()
    if not text or any(word in text for word in ANY_WORDS):
        return GradeRule()
    entries = {int(y) if len(y) == 4 else 2000 + int(y) for y in _ENTRY.findall(text)}
    if _UP_TO_GRADUATE.search(text):  # 大一至研究生: undergraduates from that year, and graduates
        return GradeRule(years=frozenset(range(min(_years(text) or {1}), 7)), graduates=True)
    degrees = _degrees(text)
    if _GRADUATE_YEAR.search(text) and degrees is None:
        degrees = GRADUATE
    rule = GradeRule(
        degrees=degrees, years=_years(text), entry_years=frozenset(entries) if entries else None
    )
    return None if rule == GradeRule() else rule


def year_of_study(entry_year: int, on: datetime.date) -> int:
    """The year of study on a day: a school year begins in September, so in the summer after
    the first year (entered 2024, July 2025) a student is still 大一, in the winter 大二."""
    school_year = on.year if on.month >= 9 else on.year - 1
    return max(1, school_year - entry_year + 1)


def grade_label(degree: str, year: int) -> str:
    word = "一二三四五六七八"[min(year, 8) - 1]
    if degree == "master":
        return _("研%(n)s") % {"n": word}
    if degree == "doctor":
        return _("博%(n)s") % {"n": word}
    return _("大%(n)s") % {"n": word}


def grade_fit(required: str, *, degree: str, entry_year: int, on: datetime.date) -> Part:
    rule = parse_grade(required)
    year = year_of_study(entry_year, on)
    now = grade_label(degree, year)
    if rule is None:
        return Part(0.6, _("年级要求：%(required)s（请自行核对）") % {"required": required}, None)
    if rule == GradeRule():
        return Part(0.8, _("年级不限"), None)
    if rule.admits(degree=degree, year=year, entry_year=entry_year):
        return Part(1.0, _("年级符合：%(now)s") % {"now": now}, True)
    return Part(
        0.0,
        _("年级不符：要求%(required)s，现为%(now)s") % {"required": required, "now": now},
        False,
        about="grade",
    )


# The fit -------------------------------------------------------------------------------------

# Weights of major, skills and grade: 企业实践 is the notice's 专业对口 category.
WEIGHTS = {Post.Category.ENTERPRISE: (0.6, 0.25, 0.15)}
DEFAULT_WEIGHTS = (0.4, 0.35, 0.25)
NO_SKILLS_ASKED = 0.6  # a post that asks for no skill neither helps nor hurts


@dataclass(frozen=True)
class Fit:
    score: int  # 0–100
    parts: tuple[Part, ...]

    @property
    def reasons(self) -> list[str]:
        return [part.reason for part in self.parts]

    @property
    def grade_refused(self) -> bool:
        """The post's 年级要求 (or degree) rules the student out."""
        return any(part.about == "grade" and part.good is False for part in self.parts)

    @property
    def label(self) -> str:
        if self.score >= 75:
            return _("很对口")
        if self.score >= 50:
            return _("较对口")
        return _("一般")


def post_fit(post: Any, student: Any) -> Fit:
    """How well `student` (major, skills, degree, grade) fits `post` (majors, skills, grade,
    category, starts_on): any objects with those attributes."""
    major = major_fit(post.majors, student.major)
    skills = skills_fit(post.skills, student.skills)
    grade = grade_fit(
        post.grade, degree=student.degree, entry_year=student.grade, on=post.starts_on
    )
    w_major, w_skills, w_grade = WEIGHTS.get(post.category, DEFAULT_WEIGHTS)
    value = w_major * major.value + w_grade * grade.value
    value += w_skills * (skills.value if skills else NO_SKILLS_ASKED)
    parts = [major, *([skills] if skills else []), grade]
    if post.category == Post.Category.ENTERPRISE and major.good:
        parts.append(Part(0, _("企业实践岗位看重专业对口"), None))
    return Fit(round(100 * value), tuple(parts))


# Reads -----------------------------------------------------------------------------------------

SUGGESTIONS = 5
MIN_SCORE = 35  # below it a post is open to them but fits nothing they told us: not suggested
CANDIDATES = 200  # open posts scored in Python: the home county's first, then the newest


@dataclass(frozen=True)
class Suggestion:
    post: Post
    fit: Fit


def _open_to(student: Student) -> Q:
    """面向对象 as a filter (Post.is_open_to): the hometown's posts, a residence county's posts
    opened to residents, and every post opened to anyone."""
    scope = Q(host_unit__county=student.hometown_id) | Q(audience=Post.Audience.ANYONE)
    if student.residence_id:
        scope |= Q(host_unit__county=student.residence_id, audience=Post.Audience.RESIDENTS)
    return scope


@dataclass(frozen=True)
class Suggestions:
    student: Student
    posts: list[Suggestion]


def suggested_posts(user, *, today: datetime.date | None = None) -> Suggestions | None:
    """For a student only (anyone else gets None): the posts they can apply to now that best
    fit their major, skills and grade, best first, home county first among equals. Two
    queries (the student, the posts).

    Can apply to: published by an active host unit, open to them, not yet chosen, seats
    left, not over, the selection not locked (a province's hard lock), and no confirmed place
    in that practice period yet. A post whose 年级要求 rules them out, or that scores below
    MIN_SCORE, is not suggested."""
    if not user.is_authenticated or user.role != Role.STUDENT:
        return None
    student = Student.objects.filter(user=user).first()
    if student is None:  # a student account whose profile is gone: nothing to suggest from
        return None
    today = today or timezone.localdate()
    chosen = Application.objects.filter(student=student, post=OuterRef("pk"))
    placed = Exists(
        Application.objects.filter(
            student=student,
            status=Application.Status.CONFIRMED,
            season__programme_year__year=OuterRef("season__programme_year__year"),
            season__kind=OuterRef("season__kind"),
        )
    )
    candidates = (
        Post.objects.filter(
            _open_to(student),
            status=Post.Status.PUBLISHED,
            host_unit__is_active=True,
            ends_on__gte=today,
        )
        .annotate(
            seats_left=seats_left(),
            locked_after=stage_due_expression(
                "match", county="host_unit__county", locked_only=True
            ),
        )
        .filter(Q(locked_after__isnull=True) | Q(locked_after__gte=today), seats_left__gt=0)
        .exclude(Exists(chosen))
        .exclude(placed)
        .select_related("host_unit__county__parent", "season__programme_year")
        # The home county's posts are never crowded out by posts open to anyone elsewhere.
        .annotate(away=Case(When(host_unit__county=student.hometown_id, then=0), default=1))
        .order_by("away", "-published_at", "-id")[:CANDIDATES]
    )
    return Suggestions(student, _best(student, list(candidates)))


def _best(student: Student, posts: list[Post]) -> list[Suggestion]:
    scored = [Suggestion(post, post_fit(post, student)) for post in posts]
    scored = [s for s in scored if s.fit.score >= MIN_SCORE and not s.fit.grade_refused]
    # Stable sort: among equal scores, the home county's first, then the newest.
    scored.sort(key=lambda s: s.post.host_unit.county_id != student.hometown_id)
    scored.sort(key=lambda s: -s.fit.score)
    return scored[:SUGGESTIONS]


def applicants_with_fit(applications: list[Application]) -> list[Application]:
    """Each application (its post and student loaded) with `fit`: no query."""
    for application in applications:
        application.fit = post_fit(application.post, application.student)  # type: ignore[attr-defined]
    return applications
