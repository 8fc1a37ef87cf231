"""What releasing money and reporting take in tests: a payment's details, a report's
values for every indicator and budget line, evidence on a tranche."""

from __future__ import annotations

from decimal import Decimal

from funding.models import PerformanceIndicator, ProgressReport, Tranche
from portal.models import Attachment

# A payment's details, as the service takes them.
PAID = {"voucher_number": "PV-2026-0001", "payee_account": "6222 0200 1234 5678"}


def release_form(**extra) -> dict:
    """The release page's POST: the payment and the confirmation."""
    return {**PAID, "paid_on": "2026-01-05", "confirm": "on", **extra}


def cancel_form(reason: str = "Milestone dropped from the plan.") -> dict:
    return {"reason": reason, "confirm": "on"}


def report_values(report: ProgressReport, *, value="10", spent="100") -> dict:
    """The service's keyword arguments: every indicator's value, every line's spend."""
    award = report.award
    indicators = PerformanceIndicator.objects.filter(program_id=award.program_id)
    lines = award.application.budget_lines.all()
    return {
        "indicator_values": [(i.pk, Decimal(value)) for i in indicators],
        "spend": [(line.pk, Decimal(spent)) for line in lines],
    }


def report_body(report: ProgressReport, *, narrative="Forty students placed.", **kwargs) -> dict:
    """The API's submit body (JSON)."""
    values = report_values(report, **kwargs)
    return {
        "narrative": narrative,
        "indicator_values": [
            {"indicator": pk, "value": str(value)} for pk, value in values["indicator_values"]
        ],
        "spend": [{"budget_line": pk, "amount": str(amount)} for pk, amount in values["spend"]],
    }


def report_form(report: ProgressReport, *, narrative="Forty students placed.", **kwargs) -> dict:
    """The award tab's submit form (POST data)."""
    values = report_values(report, **kwargs)
    prefix = f"report-{report.pk}"
    data = {f"{prefix}-narrative": narrative}
    data |= {f"{prefix}-indicator_{pk}": str(value) for pk, value in values["indicator_values"]}
    data |= {f"{prefix}-spend_{pk}": str(amount) for pk, amount in values["spend"]}
    return data


def attach_evidence(tranche: Tranche, uploaded_by, name="photos.pdf") -> Attachment:
    return Attachment.objects.create(
        record=tranche,
        original_name=name,
        media_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=uploaded_by,
        file="x.pdf",
    )


def approved_award(test, *, requested="100000.00", awarded=None, program=None):
    """An award to Riverside College (``test.college``): olivia and rita reviewed the
    application, gary decided it; ``awarded`` below ``requested`` needs a revision."""
    from funding import services
    from tests.factories import make_application, make_program, make_reviews

    program = program or make_program(test.bureau)
    application = make_application(program, test.college, amount=requested, status="under_review")
    make_reviews(application, test.olivia, test.rita)
    return services.application_approve(
        actor=test.gary, application=application, amount=Decimal(awarded or requested)
    )
