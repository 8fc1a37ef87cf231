"""Form plumbing shared by every app's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


def style_fields(form: forms.BaseForm, size: str = "") -> None:
    """Give a form's widgets Bootstrap's classes, and mark invalid fields for screen
    readers. ``size`` is "" or "sm"."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select" + (f" form-select-{size}" if size else "")
        else:
            css = "form-control" + (f" form-control-{size}" if size else "")
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{form.prefix or 'id'}_{name}_errors"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledFormMixin:
    """Forms whose widgets carry Bootstrap's classes (see ``style_fields``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, PNG or JPG."))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
