"""What django-import-export's admin integration shares between apps: widgets that read and
write what staff see in a spreadsheet (a label, a province's name) rather than internal values."""

from django.utils.translation import gettext as _
from import_export import widgets


class ChoiceLabelWidget(widgets.Widget):
    """A choice field written as its Chinese label; either the label or the stored value is
    read back, anything else is a row error naming the allowed labels."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(str(value), str(label)) for value, label in choices]

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for stored, label in self.choices:
            if text in (stored, label):
                return stored
        allowed = "、".join(label for _stored, label in self.choices)
        raise ValueError(
            _("“%(value)s”不是可选的值，应为：%(allowed)s。") % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), value or "")


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a unique field of a narrowed queryset (a province by name, a
    county by code); a value that finds nothing is a row error saying so."""

    def __init__(self, model, field, queryset=None, label="", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.queryset = queryset
        self.label = label

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset if self.queryset is not None else super().get_queryset(value, row)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(
                _("找不到%(label)s“%(value)s”。") % {"label": self.label, "value": value}
            ) from error
