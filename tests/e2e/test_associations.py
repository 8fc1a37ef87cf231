"""The Bureau entrusts an evaluation to the Regional Manufacturing Industry Association
and certifies Huaxin as an industry–education integration enterprise, in a real browser.

``officer2`` entrusts a quality evaluation of Huaxin's agreements through the form;
``association`` accepts it, opens Huaxin's framework agreement through the new scope (a
Lanting agreement's address gives the not-found page) and publishes its assessment of
the agreement's fulfilment under the entrustment; the Bureau sees the reads on its
"Reads through the scope" tab (a read is logged under every open entrustment whose scope
grants it: the demo's evaluation of Huaxin logs it too).

Certification. The demo's application of Huaxin is under review, and an enterprise has
one live application or certificate at a time, so the path is the one the rules leave a
real applicant: ``enterprise`` fills in a new application and is told Huaxin already has
one under review; ``officer2`` refuses that one with reasons (the association's site
visit found the declared figures unsupported); ``enterprise`` saves the same form again,
now a draft with its investment rows, and submits it; ``officer2`` starts its review
under the demo's certification-review entrustment; ``association`` publishes an
assessment of it; ``officer2`` certifies it, and Huaxin's page carries the badge.
Screenshots in English and in Chinese."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organization
from associations.demo import (
    ASSOCIATION,
    BUREAU,
    CERTIFICATION_REVIEW,
    FRAMEWORK_AGREEMENT,
    HUAXIN,
)
from associations.models import CertificationApplication, CertificationStatus
from associations.services.certifications import default_validity
from partnerships.models import Agreement

from .conftest import sign_in

ENTRUSTED = "Evaluation of how Huaxin Precision Manufacturing keeps its agreements"
LANTING_AGREEMENT = "Practice base agreement for software testing"  # Eastlake and Lanting

# name, weight, score of 10, comment: 80.00 of 100.
EVALUATION_RUBRIC = [
    ("Responsibilities kept on time", "40", "8", "Insurance in force; spring placements late."),
    ("Rights respected", "30", "7", "Graduates offered employment first, no figures yet."),
    ("Records kept in the portal", "30", "9", "Clauses marked as fulfilled with evidence."),
]
# 88.50 of 100.
CERTIFICATION_RUBRIC = [
    ("Investment in education, declared and evidenced", "50", "9", "Seen at the practice base."),
    ("Practice base and training stations", "30", "8", "40 stations, shared with Riverside."),
    ("Interns hosted and their conditions", "20", "9.75", "Paid, insured and guided."),
]
STATEMENT = (
    "Huaxin Precision Manufacturing runs the Huaxin Intelligent Manufacturing Industry "
    "College with Riverside Vocational College: our engineers teach its practical courses, "
    "our CNC workshop is its practice base, and we host 40 paid interns a year."
)
REFUSAL = (
    "The association's site visit found no records behind the interns' pay declared for "
    "the year before last. Apply again with last year's investment, as the records show it."
)


def accept_next_dialog(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())


def fill_rubric(page, rubric) -> None:
    for row, (name, weight, score, comment) in enumerate(rubric):
        page.locator(f"#id_criteria-{row}-name").fill(name)
        page.locator(f"#id_criteria-{row}-weight").fill(weight)
        page.locator(f"#id_criteria-{row}-score").fill(score)
        page.locator(f"#id_criteria-{row}-comment").fill(comment)


def start_assessment_of_huaxin(page) -> None:
    """The first step of drafting an assessment: whom it is of."""
    page.goto("/assessments/")
    page.get_by_role("link", name="New assessment").click()
    page.locator("#id_organization").select_option(label=HUAXIN)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("assessment-parties")).to_contain_text(
        f"By {ASSOCIATION}, of {HUAXIN}."
    )


def publish_assessment(page) -> None:
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved: score every criterion, then publish it.")).to_be_visible()
    expect(page.get_by_test_id("assessment-status")).to_contain_text("Draft")
    accept_next_dialog(page)
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text(
            "Published: the score is fixed and the assessed organization has been told."
        )
    ).to_be_visible()
    expect(page.get_by_test_id("assessment-status")).to_contain_text("Published")


def test_the_bureau_entrusts_an_evaluation_and_certifies_huaxin(new_page, screenshot):
    today = timezone.localdate()
    huaxin = Organization.objects.get(name=HUAXIN)
    framework = Agreement.objects.get(title=FRAMEWORK_AGREEMENT)
    lanting_agreement = Agreement.objects.get(title=LANTING_AGREEMENT)
    demo_application = CertificationApplication.objects.get(enterprise=huaxin)

    # The Bureau entrusts the evaluation: Huaxin's agreements in scope, one deliverable.
    officer = new_page()
    sign_in(officer, "officer2")
    officer.goto("/entrustments/")
    officer.get_by_role("link", name="Entrust work").click()
    expect(officer.get_by_role("heading", name="Entrust work to an association")).to_be_visible()
    expect(officer.locator("#id_department option:checked")).to_have_text(BUREAU)
    officer.locator("#id_association").select_option(label=ASSOCIATION)
    officer.locator("#id_title").fill(ENTRUSTED)
    officer.locator("#id_kind").select_option(label="Quality evaluation of cooperation")
    officer.locator("#id_description").fill(
        "Evaluate how Huaxin keeps the responsibilities its agreements give it, and how "
        "the rights they give the colleges are respected, for the annual review."
    )
    officer.locator("#id_amount").fill("30000")
    officer.locator("#id_start_date").fill(today.isoformat())
    officer.locator("#id_end_date").fill((today + timedelta(days=120)).isoformat())
    officer.locator("#id_scope_organizations").select_option(label=HUAXIN)
    officer.get_by_label("Agreements", exact=True).check()
    due = today + timedelta(days=60)
    officer.locator("#id_deliverables").fill(
        f"{due.isoformat()} Evaluation report on the agreements"
    )
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_text("Entrusted: the association has been told.")).to_be_visible()
    expect(officer.get_by_test_id("entrustment-status")).to_contain_text("Proposed")
    expect(officer.get_by_test_id("scope-kinds")).to_have_text("Agreements")
    expect(officer.get_by_test_id("scope-organizations")).to_have_text(HUAXIN)
    entrustment_url = officer.url.split("?")[0]

    # The association accepts it from its home page.
    association = new_page()
    sign_in(association, "association")
    association.get_by_test_id("waiting-list").get_by_role("link", name=ENTRUSTED).click()
    accept_next_dialog(association)
    association.get_by_role("button", name="Accept").click()
    expect(association.get_by_text("Accepted: the department has been told.")).to_be_visible()
    expect(association.get_by_test_id("entrustment-status")).to_contain_text("Accepted")
    expect(association.get_by_test_id("reads-open")).to_have_text("Yes, now")

    # It reads Huaxin's framework agreement, and nothing of Lanting's.
    association.goto(framework.get_absolute_url())
    expect(association.get_by_role("heading", name=FRAMEWORK_AGREEMENT)).to_be_visible()
    expect(association.get_by_test_id("parties")).to_contain_text(HUAXIN)
    response = association.goto(lanting_agreement.get_absolute_url())
    assert response.status == 404
    expect(association.get_by_role("heading", name="We could not find that page")).to_be_visible()
    expect(association.locator("body")).not_to_contain_text(LANTING_AGREEMENT)

    # Its assessment of the agreement's fulfilment, under the new entrustment.
    start_assessment_of_huaxin(association)
    association.locator("#id_entrustment").select_option(label=ENTRUSTED)
    association.locator("#id_title").fill("Huaxin Precision Manufacturing: keeping its agreements")
    association.locator("#id_subject").select_option(label=str(framework))
    association.locator("#id_summary").fill(
        "Huaxin keeps the framework agreement's responsibilities, late only on this "
        "spring's placements, and records its fulfilment in the portal."
    )
    fill_rubric(association, EVALUATION_RUBRIC)
    expect(association.locator("[data-live-score]")).to_have_text("80.00")
    association.get_by_test_id("evidence-choices").get_by_label(str(framework)).check()
    publish_assessment(association)
    expect(association.get_by_test_id("assessment-score")).to_contain_text("80.00")
    expect(association.get_by_test_id("assessment-subject")).to_contain_text(
        f"Agreement's fulfilment: {framework}"
    )
    expect(association.locator("dl")).to_contain_text(f"under the entrustment {ENTRUSTED}")
    evaluation_assessment_url = association.url.split("?")[0]

    # The Bureau sees the reads through the scope on the new entrustment's tab (each
    # read is logged under every open entrustment that grants it).
    officer.goto(entrustment_url)
    expect(officer.get_by_test_id("entrustment-status")).to_contain_text("Accepted")
    screenshot(officer, "associations-entrustment-en")
    officer.get_by_role("link", name="Reads through the scope").click()
    expect(officer.locator(".nav-link.active")).to_have_text("Reads through the scope")
    reads = officer.get_by_test_id("reads")
    latest_read = reads.locator("tbody tr", has_text=FRAMEWORK_AGREEMENT).first
    expect(latest_read).to_contain_text(today.isoformat())
    expect(latest_read).to_contain_text("Sun Qing")
    expect(latest_read).to_contain_text("Agreements")
    expect(reads).not_to_contain_text(LANTING_AGREEMENT)
    reads_url = officer.url
    screenshot(officer, "associations-entrustment-reads-en")
    officer.goto(evaluation_assessment_url)
    expect(officer.get_by_test_id("assessment-status")).to_contain_text("Published")
    screenshot(officer, "associations-assessment-en")

    # Huaxin applies: refused while the demo's application is under review.
    enterprise = new_page()
    sign_in(enterprise, "enterprise")
    enterprise.goto("/certifications/")
    enterprise.get_by_role("link", name="Apply for certification").click()
    expect(enterprise.locator("#id_enterprise option:checked")).to_have_text(HUAXIN)
    enterprise.locator("#id_statement").fill(STATEMENT)
    last_year = today.year - 1
    investments = [
        ("equipment", "1200000", "A five-axis CNC machining centre for the practice base"),
        ("internships", "960000", "Pay of 40 on-the-job interns"),
        ("teachers", "260000", "Engineers' teaching time at the industry college"),
    ]
    for row, (kind, amount, description) in enumerate(investments):
        enterprise.locator(f"#id_investments-{row}-year").fill(str(last_year))
        enterprise.locator(f"#id_investments-{row}-kind").select_option(kind)
        enterprise.locator(f"#id_investments-{row}-amount").fill(amount)
        enterprise.locator(f"#id_investments-{row}-description").fill(description)
    enterprise.get_by_role("button", name="Save the draft").click()
    expect(enterprise.get_by_role("alert")).to_contain_text(
        f"{HUAXIN} already has {demo_application.number} (under review)"
    )

    # The Bureau refuses the demo's application, with reasons.
    officer.goto("/certifications/")
    officer.get_by_role("link", name=demo_application.number).click()
    expect(officer.get_by_test_id("certification-status")).to_contain_text("Under review")
    officer.locator("#id_reasons").fill(REFUSAL)
    accept_next_dialog(officer)
    officer.get_by_role("button", name="Refuse").click()
    expect(officer.get_by_text("Refused: the enterprise has been told.")).to_be_visible()
    expect(officer.get_by_test_id("certification-status")).to_contain_text("Refused")
    expect(officer.get_by_test_id("certification-reasons")).to_contain_text("site visit")

    # Huaxin saves the same form again: a draft with its rows; then submits it.
    expect(enterprise.locator("#id_investments-2-amount")).to_have_value("260000")
    enterprise.get_by_role("button", name="Save the draft").click()
    expect(enterprise.get_by_text(re.compile(r"Draft IEC-\S+ saved\."))).to_be_visible()
    expect(enterprise.get_by_test_id("certification-status")).to_contain_text("Draft")
    expect(enterprise.get_by_test_id("investments").locator("tbody tr")).to_have_count(3)
    expect(enterprise.get_by_test_id("qualifying-investment")).to_have_text("2,420,000.00")
    expect(enterprise.get_by_test_id("surtax-credit")).to_contain_text("¥726,000.00")
    accept_next_dialog(enterprise)
    enterprise.get_by_role("button", name="Submit").click()
    expect(enterprise.get_by_text("Submitted: government has been told.")).to_be_visible()
    expect(enterprise.get_by_test_id("certification-status")).to_contain_text("Submitted")
    application_url = enterprise.url.split("?")[0]
    application = CertificationApplication.objects.get(
        enterprise=huaxin, status=CertificationStatus.SUBMITTED
    )

    # The Bureau starts the review under the demo's certification-review entrustment.
    officer.goto(application_url)
    officer.locator("#id_entrustment").select_option(
        label=f"{CERTIFICATION_REVIEW} · {ASSOCIATION}"
    )
    officer.get_by_role("button", name="Start the review").click()
    expect(
        officer.get_by_text(
            "Review started: the association reads the application through its entrustment."
        )
    ).to_be_visible()
    expect(officer.get_by_test_id("certification-status")).to_contain_text("Under review")
    expect(officer.get_by_test_id("certification-reviewer")).to_contain_text(ASSOCIATION)

    # The association assesses the application under that entrustment and publishes it.
    start_assessment_of_huaxin(association)
    association.locator("#id_entrustment").select_option(label=CERTIFICATION_REVIEW)
    association.locator("#id_title").fill(
        f"{HUAXIN}: certification application {application.number}"
    )
    association.locator("#id_subject").select_option(label=str(application))
    association.locator("#id_summary").fill(
        "The investment declared for last year is borne out by the practice base and the "
        "placement records; the interns are paid, insured and guided."
    )
    fill_rubric(association, CERTIFICATION_RUBRIC)
    expect(association.locator("[data-live-score]")).to_have_text("88.50")
    association.get_by_test_id("evidence-choices").get_by_label(str(application)).check()
    association.get_by_test_id("evidence-choices").get_by_label(str(framework)).check()
    publish_assessment(association)
    expect(association.get_by_test_id("assessment-score")).to_contain_text("88.50")
    expect(association.get_by_test_id("assessment-subject")).to_contain_text(
        f"Certification application: {application}"
    )

    # The Bureau certifies it: the certificate, and the badge on Huaxin's page.
    officer.goto(application_url)
    expect(officer.get_by_test_id("certification-assessments")).to_contain_text("88.50")
    accept_next_dialog(officer)
    officer.get_by_role("button", name="Certify").click()
    expect(officer.get_by_text("Certified: the enterprise has been told.")).to_be_visible()
    expect(officer.get_by_test_id("certification-status")).to_contain_text("Certified")
    expect(officer.get_by_test_id("certification-validity")).to_have_text(
        f"{today.isoformat()} – {default_validity(today).isoformat()}"
    )
    officer.get_by_role("link", name="Evidence from the portal").click()
    expect(officer.get_by_test_id("evidence-agreements")).to_contain_text(FRAMEWORK_AGREEMENT)
    screenshot(officer, "associations-certification-evidence-en")
    officer.goto(application_url)
    officer.get_by_test_id("certificate-link").click()
    expect(officer.get_by_test_id("certificate-enterprise")).to_have_text(HUAXIN)
    expect(officer.get_by_test_id("certificate-number")).to_have_text(application.number)
    expect(officer.get_by_test_id("certificate-status")).to_have_text("In force")
    expect(officer.get_by_test_id("certificate-credit")).to_have_text("¥726,000.00")
    screenshot(officer, "associations-certificate-en")

    enterprise.goto(application_url)
    expect(enterprise.get_by_test_id("certification-status")).to_contain_text("Certified")
    enterprise.get_by_role("link", name=HUAXIN).first.click()
    expect(enterprise.get_by_role("heading", name=HUAXIN)).to_be_visible()
    expect(enterprise.get_by_test_id("certified-badge")).to_have_text(
        "★ 产教融合型企业 / Industry–education integration enterprise"
    )

    # The same pages in Chinese, as the Bureau sees them.
    officer.goto(entrustment_url)
    officer.get_by_role("button", name="简体中文").click()
    expect(officer.get_by_test_id("entrustment-status")).to_contain_text("已接受")
    expect(officer.get_by_role("heading", name="委托范围")).to_be_visible()
    expect(officer.get_by_test_id("scope-kinds")).to_have_text("合作协议")
    screenshot(officer, "associations-entrustment-zh")
    officer.goto(reads_url)
    expect(officer.get_by_role("link", name="委托范围内的查阅记录")).to_be_visible()
    expect(officer.get_by_test_id("reads").locator("thead")).to_contain_text("操作人")
    screenshot(officer, "associations-entrustment-reads-zh")
    officer.goto(evaluation_assessment_url)
    expect(officer.get_by_test_id("assessment-status")).to_contain_text("已发布")
    expect(officer.get_by_test_id("assessment-score")).to_contain_text("总分")
    screenshot(officer, "associations-assessment-zh")
    officer.goto(f"{application_url}?tab=evidence")
    expect(officer.get_by_test_id("certification-status")).to_contain_text("认证通过")
    expect(officer.get_by_test_id("evidence-agreements")).to_contain_text("已签署或生效中的协议")
    screenshot(officer, "associations-certification-evidence-zh")
    officer.goto(f"{application_url}certificate/")
    expect(officer.get_by_text("产教融合型企业证书")).to_be_visible()
    expect(officer.get_by_test_id("certificate-status")).to_have_text("现行有效")
    screenshot(officer, "associations-certificate-zh")
    officer.goto(huaxin.get_absolute_url())
    expect(officer.get_by_test_id("certified-badge")).to_have_text("★ 产教融合型企业")
