"""The county's Youth League committee (县级团委), named from its region and city.

Certificates, the verify page and the credit export name the issuer formally (共青团广州市越秀区
委员会); messages to students use the everyday short form (广州市越秀区团委). Both are derived the
same way, so a county is never called one thing on a certificate and another in a notice:

- a 区 or 县 carries its city, as the notice's "县（市、区）团委" are addressed: district names
  repeat from city to city (城区, 郊区, 新华区);
- a county-level city is a 市 in its own right and is named alone: 共青团台山市委员会, never
  "江门市台山市";
- the 镇街 of cities without counties (东莞, 中山, 儋州, 嘉峪关) carry their city, as the notice's
  "东莞、中山市镇街团组织" do: 共青团东莞市虎门镇委员会;
- a county a province governs directly (its "city" is the placeholder 省直辖县级行政区划) is named
  alone: 共青团仙桃市委员会.

There is no per-county override: the portal keeps no standing settings for a county (入驻 is a
yearly confirmation), and a derived name cannot drift from the region register.
"""

from django.utils.translation import gettext as _

DIRECTLY_GOVERNED = "直辖县级行政区划"  # 省直辖…, 自治区直辖…: a placeholder, not a city


def committee_place(city: str, county: str) -> str:
    """The place in the committee's name: 广州市越秀区, 台山市, 东莞市虎门镇."""
    if city.endswith(DIRECTLY_GOVERNED) or county.endswith("市"):
        return county
    return f"{city}{county}"


def committee_name(city: str, county: str) -> str:
    """The short name used in messages: 广州市越秀区团委."""
    return _("%(place)s团委") % {"place": committee_place(city, county)}


def committee_formal_name(city: str, county: str) -> str:
    """The formal name of the issuer of certificates and credits: 共青团广州市越秀区委员会."""
    return _("共青团%(place)s委员会") % {"place": committee_place(city, county)}
