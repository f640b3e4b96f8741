"""The outcomes' rows for tests/security/test_access_matrix.py (which this app does not own).

To wire them in, in that module: call `build(w)` at the end of `_build_world`, add `MARKERS` to
SCOPE_MARKERS, and merge `routes(Protected, _pk)` into PROTECTED. Not a test module itself.

The world: 越秀丙生 (中山大学, completed at 越秀社区服务岗) handed in a 实践总结 with a photo and a
report and agreed to its use in a typical case. The host unit, 越秀区, 广州市, 团省委 and 中山大学
read it; 越秀区 is offered it on its typical-case form.
"""

from types import SimpleNamespace

from django.core.files.base import ContentFile

from demo.summary import png
from outcomes import services

OUTCOME_TEXT = "越秀丙生的实践总结：在越秀社区服务岗协助开展居民服务"
MARKERS = (OUTCOME_TEXT,)


def build(w: SimpleNamespace) -> None:
    w.outcome_c = services.outcome_save(
        placement=w.placement_c,
        text=OUTCOME_TEXT * 20,
        add_photos=[ContentFile(png(), name="丙生实践.png")],
        report=ContentFile(b"%PDF-1.4\n%%EOF\n", name="丙生实践报告.pdf"),
        consent=True,
        actor=w.student_c.user,
    )
    w.outcome_photo = w.outcome_c.photos.get()


def routes(Protected, _pk) -> dict:  # noqa: N803 - the matrix's dataclass, passed in
    placement = _pk("placement_c")
    return {
        "outcomes:detail": Protected("yx_host", placement, shows=(OUTCOME_TEXT,)),
        # Locked by the 期满鉴定: the owner is sent to the summary, an edit is refused.
        "outcomes:edit": Protected(
            "student_c", placement, data=lambda w, r: {"text": "越界修改的实践总结" * 40}
        ),
        "outcomes:consent": Protected("student_c", placement),
        "outcomes:photo": Protected(
            "uni_staff", lambda w: {"pk": w.placement_c.pk, "photo_pk": w.outcome_photo.pk}
        ),
        "outcomes:report": Protected("yx_staff", placement),
        # Each reader's own province's year; a refused value changes nothing, for anyone.
        "outcomes:rule": Protected(
            "province_staff", page=True, data=lambda w, r: {"min_chars": "0"}, shows=("300",)
        ),
    }
