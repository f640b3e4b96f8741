"""The API's rows for tests/security/test_access_matrix.py (which this app does not own).

Wired in there: `build(w)` at the end of `_build_world`; `routes(Protected, _pk)` and
`public(Public)` merged into PROTECTED and PUBLIC (the token page, the schema, the docs and the
public operations are walked like any page); `OPERATIONS` classifies the token operations,
which that module's `test_every_api_operation_*` walk with every token kind instead of a session.

The world's tokens (secrets by name in `w.api`): 越秀's county token that may publish and one
its city made read-only, 天河's, 中山大学's (its students include 越秀甲乙丙), 华南理工's,
北京大学's (one student placed in 越秀), 武汉大学's, 广东's and 广西's province tokens, and a
revoked and an expired one of 越秀's and 中山大学's.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone

from api import services
from api.models import ApiToken

TOKEN_NAMES = (
    "yx_county",
    "yx_county_readonly",
    "th_county",
    "zsu",
    "scut",
    "pku",
    "whu",
    "province",
    "gx_province",
    "revoked",
    "expired",
)


def build(w: SimpleNamespace) -> None:
    def make(name, actor, key, **extra):
        token, w.api[name] = services.token_create(
            actor=actor, scope_key=key, name=f"矩阵{name}", days=30, **extra
        )
        return token

    w.api = {}
    make("yx_county", w.yx_staff, "county:440104", can_write=True)
    make("yx_county_readonly", w.gz_staff, "county:440104")
    make("th_county", w.th_staff, "county:440106")
    make("zsu", w.uni_staff, f"university:{w.zsu.code}")
    make("scut", w.scut_staff, f"university:{w.scut.code}")
    make("pku", w.pku_staff, f"university:{w.pku.code}")
    make("whu", w.whu_staff, f"university:{w.whu.code}")
    make("province", w.province_staff, "province:440000")
    make("gx_province", w.gx_staff, "province:450000")
    revoked = make("revoked", w.yx_staff, "county:440104", can_write=True)
    services.token_revoke(token=revoked, actor=w.yx_staff)
    expired = make("expired", w.uni_staff, f"university:{w.zsu.code}")
    now = timezone.now()
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=now - datetime.timedelta(days=31), expires_at=now - datetime.timedelta(days=1)
    )


@dataclass(frozen=True)
class Operation:
    owner: str  # the token that reads or changes 越秀's object (the control request)
    kwargs: object = None  # w → path kwargs
    method: str = "get"
    shows: tuple[str, ...] = ()  # what the owner sees there
    readers: tuple[str, ...] = ()  # other tokens that legitimately read the same records


COUNTY_READERS = ("yx_county_readonly",)
OPERATIONS: dict[str, Operation] = {
    "api:credits": Operation("zsu", shows=("越秀丙生", "YXCERT000001")),
    "api:university_placements": Operation("zsu", shows=("越秀乙生", "越秀丙生")),
    "api:university_clearances": Operation("zsu", shows=("越秀乙生",)),
    "api:county_posts": Operation("yx_county", shows=("越秀草稿岗位",), readers=COUNTY_READERS),
    "api:county_applications": Operation("yx_county", shows=("越秀甲生",), readers=COUNTY_READERS),
    "api:county_placements": Operation("yx_county", shows=("越秀乙生",), readers=COUNTY_READERS),
    "api:county_post_publish": Operation(
        "yx_county", lambda w: {"pk": w.draft_yx.pk}, method="post"
    ),
    "api:county_post_close": Operation("yx_county", lambda w: {"pk": w.post_yx.pk}, method="post"),
    "api:province_dashboard": Operation("province", shows=("440000",)),
}


def routes(Protected, _pk) -> dict:  # noqa: N803 - the matrix's dataclass, passed in
    return {
        # Each manager lists the tokens of its own unit and those below; 越秀's: its county,
        # 广州市 and 广东省. The create form's scope list holds only the user's own units.
        "api:tokens": Protected(
            "yx_staff",
            page=True,
            data=lambda w, r: {"scope": "county:440104", "name": "越界令牌", "days": "30"},
            shows=("矩阵yx_county",),
        ),
        "api:token_revoke": Protected(
            "yx_staff", lambda w: {"pk": ApiToken.objects.get(name="矩阵yx_county").pk}
        ),
    }


def public(Public) -> dict:  # noqa: N803
    return {
        "api:schema": Public("the OpenAPI schema: the operations, no data"),
        "api:docs": Public("Swagger UI over the schema, its files from the portal itself"),
        "api:posts": Public("the public post search, as /posts/"),
        "api:post": Public("a published post, as /posts/<id>/", lambda w: {"pk": w.post_yx.pk}),
        "api:certificate": Public(
            "certificate check, as /verify/ (a code that names nothing here)",
            lambda w: {"code": "ZZZZZZZZZZZZ"},
        ),
    }
