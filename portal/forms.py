"""Form plumbing shared by every app's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StyledFormMixin:
    """Gives widgets Bootstrap's classes, and marks invalid fields for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self.prefix or 'id'}_{name}_errors"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, PNG or JPG."))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
