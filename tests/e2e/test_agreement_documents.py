"""The agreement as a document and its obligations, in a real browser (demo data): the
printable page in English and Chinese, printing without the portal around it; "Our
obligations" with its agreement picker; fulfilment with evidence, disputed, confirmed."""

import re

from playwright.sync_api import expect

from partnerships.models import Agreement, Clause

from .conftest import sign_in

FRAMEWORK = "Framework agreement on the Huaxin Intelligent Manufacturing Industry College"


def test_the_printable_agreement_in_english_and_chinese(new_page, screenshot):
    agreement = Agreement.objects.get(title=FRAMEWORK)
    page = new_page()
    sign_in(page, "enterprise")
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Print / save as PDF").click()
    document = page.get_by_test_id("agreement-document")
    expect(document).to_contain_text(agreement.reference)
    expect(document).to_contain_text("Unified social credit code")
    expect(document).to_contain_text("Chen Hua")
    expect(document).to_contain_text("General Manager")
    expect(page.get_by_test_id("terms-hash")).to_have_text(agreement.terms_hash())
    screenshot(page, "agreement-print-en")

    # On paper: the document only.
    page.emulate_media(media="print")
    expect(page.locator("header.navbar")).to_be_hidden()
    expect(page.locator("nav.sidebar")).to_be_hidden()
    expect(page.locator(".print-toolbar")).to_be_hidden()
    expect(document).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name="权利与义务")).to_be_visible()
    family = document.evaluate("element => getComputedStyle(element).fontFamily")
    assert "Noto Serif CJK SC" in family
    screenshot(page, "agreement-print-zh")


def test_obligations_fulfilled_with_evidence_disputed_and_confirmed(new_page, screenshot):
    placements = Clause.objects.get(text__startswith="Provide 40 paid placements")
    assessment = Clause.objects.get(text__startswith="Assess every placement jointly")
    enterprise = new_page()
    sign_in(enterprise, "enterprise")

    # What Huaxin owes: overdue first; the picker narrows to one agreement as you type.
    enterprise.get_by_role("link", name="Our obligations").first.click()
    rows = enterprise.get_by_test_id("obligations").locator("tbody tr")
    expect(rows.first).to_contain_text("Provide 40 paid placements")
    # The script turns the select into a box with a list of the agreements to pick.
    expect(enterprise.locator("#id_agreement-search")).to_be_visible()
    expect(enterprise.locator("#id_agreement")).to_be_hidden()
    picker = enterprise.get_by_label("Agreement")
    picker.fill(placements.agreement.reference)
    enterprise.get_by_role("button", name="Filter").click()
    expect(enterprise).to_have_url(re.compile(rf"[?&]agreement={placements.agreement_id}(&|$)"))
    expect(enterprise.locator("#id_agreement-search")).to_have_value(
        re.compile(re.escape(placements.agreement.reference))
    )
    screenshot(enterprise, "obligations-en")

    # Huaxin confirms the college's assessment, recorded with evidence in the demo.
    enterprise.goto(placements.agreement.get_absolute_url())
    clause = enterprise.locator(f"#clause-{assessment.pk}")
    expect(clause.get_by_test_id("evidence")).to_contain_text("Joint assessment report")
    enterprise.once("dialog", lambda dialog: dialog.accept())
    clause.get_by_role("button", name="Confirm fulfilment").click()
    expect(enterprise.locator(f"#clause-{assessment.pk}")).to_contain_text("Fulfilled")

    # Huaxin records its placements done, with evidence.
    mine = enterprise.locator(f"#clause-{placements.pk}")
    mine.locator("summary", has_text="Mark fulfilled").click()
    mine.get_by_label("Evidence").first.fill("40 students placed; register RVC-2026-PL.")
    mine.get_by_role("button", name="Record as fulfilled").click()
    expect(enterprise.locator(f"#clause-{placements.pk}")).to_contain_text("Awaiting confirmation")

    # The college disputes it: open again, with the reason, and Huaxin is told.
    college = new_page()
    sign_in(college, "college")
    college.goto(placements.agreement.get_absolute_url())
    theirs = college.locator(f"#clause-{placements.pk}")
    theirs.locator("summary", has_text="Dispute").click()
    theirs.get_by_label("Why you dispute it").fill("Only 12 students were placed.")
    theirs.get_by_role("button", name="Dispute").click()
    expect(college.locator(f"#clause-{placements.pk}")).to_contain_text("disputed")
    enterprise.goto("/notifications/")
    expect(enterprise.get_by_text("is disputed").first).to_be_visible()
