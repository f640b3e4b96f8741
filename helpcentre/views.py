"""The 帮助中心: public pages (a visitor about to register needs them as much as staff do);
the guides hold no personal data, only the demo's."""

from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static

from helpcentre.context_processors import role_of
from helpcentre.guides import Guide, guides, questions


def _guide(role: str) -> Guide:
    guide = guides().get(role)
    if guide is None:
        raise Http404
    return guide


def _steps(guide: Guide, request) -> list[dict]:
    """Each step with its picture and, for a reader who can do it there, its 去办理 link: a
    visitor's step for anyone, the others for the guide's own role (another role's reader, or
    a visitor, would be refused on the page)."""
    own = request.user.is_authenticated and role_of(request.user) == guide.role
    return [
        {"step": step, "shot": static(step.shot), "url": step.url() if own or step.visitor else ""}
        for step in guide.steps
    ]


def index(request):
    """Every guide, the reader's own marked (decided here, not compared in the template)."""
    own = role_of(request.user) if request.user.is_authenticated else ""
    listed = [{"guide": guide, "own": guide.role == own} for guide in guides().values()]
    return render(request, "helpcentre/index.html", {"guides": listed, "questions": questions()})


def guide(request, role: str):
    guide = _guide(role)
    faq = [question for question in questions() if role in question.roles]
    context = {"guide": guide, "steps": _steps(guide, request), "questions": faq}
    return render(request, "helpcentre/guide.html", context)


def manual(request, role: str):
    """The same guide as one printable page (the notice's 使用说明 附件 for training)."""
    guide = _guide(role)
    faq = [question for question in questions() if role in question.roles]
    context = {"guide": guide, "steps": _steps(guide, request), "questions": faq}
    return render(request, "helpcentre/manual.html", context)
