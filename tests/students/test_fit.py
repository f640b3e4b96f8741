"""专业对口 (students/fit.py): how a post's 专业、能力和年级要求 read against a student, and the
score and reasons a student and a county see. Pure functions: no database."""

import datetime
from types import SimpleNamespace

import pytest

from students.fit import (
    GradeRule,
    grade_fit,
    major_class,
    major_fit,
    parse_grade,
    post_fit,
    skills_fit,
    year_of_study,
)

JULY = datetime.date(2026, 7, 10)  # a summer practice
JANUARY = datetime.date(2027, 1, 15)  # the winter after


def _post(**fields):
    needs = {"majors": "", "skills": "", "grade": "", "category": "government", "starts_on": JULY}
    return SimpleNamespace(**(needs | fields))


def _student(**fields):
    profile = {"major": "计算机科学与技术", "skills": "", "degree": "bachelor", "grade": 2024}
    return SimpleNamespace(**(profile | fields))


@pytest.mark.parametrize(
    ("major", "cls", "discipline"),
    [
        ("计算机科学与技术", "计算机类", "工学"),
        ("软件工程", "计算机类", "工学"),
        ("信息安全", "计算机类", "工学"),
        ("电子信息工程", "电子信息类", "工学"),  # not 计算机类 through "信息"
        ("会计学", "工商管理类", "管理学"),
        ("汉语言文学", "中国语言文学类", "文学"),
        ("网络与新媒体", "新闻传播学类", "文学"),
        ("农学", "植物生产类", "农学"),
    ],
)
def test_a_major_is_read_as_its_class_and_discipline(major, cls, discipline):
    found = major_class(major)
    assert found is not None and (found.name, found.discipline) == (cls, discipline)


def test_a_major_the_table_does_not_know_has_no_class():
    assert major_class("航海技术") is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", GradeRule()),
        ("不限", GradeRule()),
        ("年级不限", GradeRule()),
        ("大二及以上", GradeRule(years=frozenset({2, 3, 4, 5, 6}))),
        ("本科三年级", GradeRule(degrees=frozenset({"bachelor"}), years=frozenset({3}))),
        ("研究生", GradeRule(degrees=frozenset({"master", "doctor"}))),
        ("大二至大四", GradeRule(years=frozenset({2, 3, 4}))),
        ("大三、大四", GradeRule(years=frozenset({3, 4}))),
        ("大二及以下", GradeRule(years=frozenset({1, 2}))),
        ("2023级", GradeRule(entry_years=frozenset({2023}))),
        ("本科及以上", GradeRule(degrees=frozenset({"bachelor", "master", "doctor"}))),
        ("高年级", GradeRule(years=frozenset({3, 4, 5}))),
        ("大一至研究生", GradeRule(years=frozenset(range(1, 7)), graduates=True)),
    ],
)
def test_the_usual_grade_requirements_are_parsed(text, rule):
    assert parse_grade(text) == rule


def test_a_grade_requirement_nothing_can_read_asks_the_reader_to_check():
    assert parse_grade("热爱家乡即可") is None
    part = grade_fit("热爱家乡即可", degree="bachelor", entry_year=2024, on=JULY)
    assert part.good is None and "请自行核对" in part.reason


def test_the_year_of_study_turns_in_september():
    assert year_of_study(2024, JULY) == 2  # the summer after the second year: still 大二
    assert year_of_study(2024, JANUARY) == 3
    assert year_of_study(2026, datetime.date(2026, 7, 1)) == 1  # not yet enrolled: 大一


def test_the_grade_reason_names_the_students_year():
    met = grade_fit("大二及以上", degree="bachelor", entry_year=2024, on=JULY)
    assert met.good and met.reason == "年级符合：大二"
    unmet = grade_fit("本科三年级", degree="bachelor", entry_year=2024, on=JULY)
    assert unmet.good is False and unmet.reason == "年级不符：要求本科三年级，现为大二"
    graduate = grade_fit("研究生", degree="master", entry_year=2025, on=JULY)
    assert graduate.good and graduate.reason == "年级符合：研一"
    assert not grade_fit("研究生", degree="bachelor", entry_year=2022, on=JULY).good
    assert grade_fit("大一至研究生", degree="doctor", entry_year=2020, on=JULY).good


def test_the_major_is_exact_same_class_related_or_off():
    exact = major_fit("会计、审计等相关专业", "会计学")
    assert exact.good and exact.reason == "专业对口：会计学 正是岗位要求的专业"
    same_class = major_fit("计算机、软件等相关专业", "计算机科学与技术")
    assert same_class.good and same_class.reason == "专业对口：计算机科学与技术 符合 计算机类"
    related = major_fit("理工科优先", "土木工程")
    assert related.good is None and related.reason == "专业相近：土木工程 属于工学门类"
    off = major_fit("汉语言文学", "软件工程")
    assert off.good is False and off.reason == "专业不对口：岗位要求 汉语言文学"
    assert exact.value > same_class.value > related.value > off.value


def test_no_major_requirement_neither_helps_nor_rules_out():
    for text in ("", "不限", "专业不限"):
        part = major_fit(text, "软件工程")
        assert part.good is None and part.reason == "专业不限"


def test_skills_are_matched_by_word_and_by_kind():
    part = skills_fit("会拍照，熟练使用办公软件", "摄影、Excel、钢琴")
    assert part is not None and part.good
    assert part.reason == "技能相符：摄影、Excel"
    assert skills_fit("", "摄影") is None  # the post asks for none
    missing = skills_fit("文字功底好", "")
    assert missing is not None and missing.reason == "未填写特长/技能"
    assert not skills_fit("文字功底好", "钢琴").good


def test_a_short_latin_skill_is_not_found_inside_another_word():
    assert skills_fit("有 tips 整理经验", "PS") is not None
    assert not skills_fit("有 tips 整理经验", "PS").good
    assert skills_fit("会用 PS 做海报", "ps").good


def test_a_fitting_student_scores_high_with_every_reason():
    fit = post_fit(
        _post(majors="计算机类", skills="会 Python", grade="大二及以上", category="enterprise"),
        _student(skills="Python、摄影"),
    )
    assert fit.score >= 75 and fit.label == "很对口"
    assert fit.reasons[:3] == [
        "专业对口：计算机科学与技术 符合 计算机类",
        "技能相符：Python",
        "年级符合：大二",
    ]
    assert "企业实践岗位看重专业对口" in fit.reasons


def test_enterprise_practice_weighs_the_major_more():
    off_major = _student(major="汉语言文学", skills="Python")
    needs = {"majors": "计算机类", "skills": "会 Python", "grade": "不限"}
    enterprise = post_fit(_post(category="enterprise", **needs), off_major)
    welfare = post_fit(_post(category="welfare", **needs), off_major)
    assert enterprise.score < welfare.score
    on_major = _student(skills="")
    assert (
        post_fit(_post(category="enterprise", **needs), on_major).score
        > post_fit(_post(category="welfare", **needs), on_major).score
    )


def test_a_grade_that_rules_the_student_out_is_marked():
    fit = post_fit(_post(grade="研究生"), _student())
    assert fit.grade_refused and "年级不符" in fit.reasons[-1]
    assert not post_fit(_post(grade="不限"), _student()).grade_refused


def test_the_year_is_read_on_the_posts_first_day():
    student = _student(grade=2024)
    assert post_fit(_post(grade="大三", starts_on=JULY), student).grade_refused
    assert not post_fit(_post(grade="大三", starts_on=JANUARY), student).grade_refused
