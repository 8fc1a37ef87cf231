"""Form plumbing shared by every app's forms."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def style_fields(form: forms.BaseForm, size: str = "") -> None:
    """Give a form's widgets Bootstrap's classes. ``size`` is "" or "sm".

    It must not touch ``form.errors``: that would validate the form before a subclass
    has finished setting its fields' querysets."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select" + (f" form-select-{size}" if size else "")
            if isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("data-filter-placeholder", _("Type to filter the list…"))
        else:
            css = "form-control" + (f" form-control-{size}" if size else "")
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def mark_invalid(form: forms.BaseForm) -> None:
    """Flag the fields that failed validation, for the eye and for screen readers."""
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        widget.attrs["aria-invalid"] = "true"
        widget.attrs["aria-describedby"] = f"{form[name].auto_id}_errors"


def form_errors(form: forms.BaseForm) -> ValidationError:
    """A form's errors as one ValidationError, for a page action to show as messages."""
    return ValidationError(
        [
            f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
            for name, errors in form.errors.items()
            for error in errors
        ]
    )


def known_fields(form, error: ValidationError) -> ValidationError:
    """A service's error with its fields as the form has them: an error on a field the
    form lacks joins the form's own (non-field) errors."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            (field if field in form.fields else NON_FIELD_ERRORS): messages
            for field, messages in error.error_dict.items()
        }
    )


class StyledFormMixin:
    """Forms whose widgets carry Bootstrap's classes (see ``style_fields``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        mark_invalid(self)


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, PNG or JPG."))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
