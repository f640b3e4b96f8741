"""The demo's 专业对口: each demo post's 专业、能力和年级要求 (by its title, POST_TEMPLATES in
seed_demo) and each demo student's 特长/技能 (by major, demo/students.py MAJORS), so a student's
page suggests posts with reasons and a county's applicant list shows each applicant's fit.

Idempotent: only posts still carrying seed_demo's stock requirements (the same for every post)
and students with no skills are filled; what a user changed since is left alone."""

from django.db.models import Q

from positions.models import Post
from students.models import Student

STOCK_SKILLS, STOCK_GRADE = "沟通表达、办公软件", "大一至研究生"  # seed_demo's _posts
# title: (专业要求, 能力要求, 年级要求)
POST_NEEDS = {
    "政务服务窗口助理": (
        "行政管理、公共管理、法学等相关专业",
        "普通话标准，熟练使用办公软件",
        "大二及以上",
    ),
    "乡村振兴项目调研员": (
        "农学、经济学、社会学等相关专业",
        "能撰写调研报告，会数据分析",
        "本科三年级及以上",
    ),
    "企业运营实习生": (
        "计算机、软件、电子商务、市场营销等相关专业",
        "熟悉新媒体运营，会数据分析或编程",
        "大二及以上",
    ),
    "关爱儿童课业辅导志愿者": ("不限", "有耐心，普通话标准", "不限"),
    "社区治理助理": ("社会工作、公共管理等相关专业", "组织协调能力强，会粤语优先", ""),
    "镇街团委兼职副书记": ("", "有学生干部经历，组织策划能力强", "大三及以上"),
    "家乡文化宣传员": (
        "新闻学、汉语言文学、设计学等相关专业",
        "会拍摄剪辑短视频，文字功底好",
        "不限",
    ),
}
# major: 特长/技能
STUDENT_SKILLS = {
    "汉语言文学": "写作、普通话二级甲等、演讲",
    "公共管理": "办公软件、活动策划、粤语",
    "软件工程": "编程、数据分析、办公软件",
    "经济学": "Excel、数据分析、英语六级",
    "农学": "田野调研、驾驶、客家话",
    "新闻学": "摄影、视频剪辑、公众号运营",
}


def seed_fit() -> None:
    stock = Q(skills=STOCK_SKILLS, grade=STOCK_GRADE)
    for title, (majors, skills, grade) in POST_NEEDS.items():
        Post.objects.filter(stock, title=title).update(majors=majors, skills=skills, grade=grade)
    for major, skills in STUDENT_SKILLS.items():
        Student.objects.filter(major=major, skills="", anonymised_at__isnull=True).update(
            skills=skills
        )
