"""An application to the demo's open program reviewed, decided and paid, in a real
browser: the department's admin assigns two officers; each scores it on the review page
beside the application, blind to the other until their own review is saved; the admin
asks for more information, the college edits an answer and the budget and resubmits;
the admin compares the versions, decides on the decision page (the reviews side by side,
the ranking, the budget remaining) and awards less than asked; the college revises its
budget to the award, the admin accepts it and releases an advance. Screenshots in
English and in Chinese."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from funding.demo import OPEN_TITLE
from funding.models import FundProgram

from .conftest import sign_in

TITLE = "Welding practice base with Huaxin"
QUESTION_STUDENTS = "Number of students benefiting each year"
OFFICER_COMMENT = "Sound plan; the equipment line looks generous for one workshop."
REVIEWER_COMMENT = "Placements are concrete; trainers well costed."
INFO_QUESTIONS = "How many students a year, counting the evening classes? Show the mentors' time."


def queue_row(page, title: str):
    """The row of the signed-in officer's assigned reviews for ``title``, reached from
    the navigation."""
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Awaiting my review"
    ).click()
    return page.get_by_test_id("assigned-queue").locator("tr", has_text=title)


def at_top(page):
    """Scrolled to the top (a redirect to an anchor scrolls down), so that the header,
    which sticks to the top of the window, is drawn at the top of a full-page shot."""
    page.evaluate("window.scrollTo(0, 0)")
    return page


def score(page, marks: tuple[str, str, str], recommendation: str, comment: str) -> None:
    form = page.get_by_test_id("review-form")
    for criterion, mark in zip(
        ("Benefit to students", "Enterprise involvement", "Feasibility and cost"),
        marks,
        strict=True,
    ):
        form.get_by_label(criterion, exact=True).fill(mark)
    form.get_by_label(recommendation, exact=True).check()
    form.get_by_label("Comment").fill(comment)


def test_an_application_is_assigned_reviewed_blind_revised_decided_and_paid(new_page, screenshot):
    today = timezone.localdate()
    due = (today + timedelta(days=7)).isoformat()

    # Setup, by the college through the pages: an application to the demo's open
    # program, its questions answered, its budget lines adding up to the request.
    college = new_page()
    sign_in(college, "college")
    college.goto("/funding/programs/")
    college.get_by_role("link", name=OPEN_TITLE).click()
    college.get_by_role("link", name="Apply").click()
    college.locator("#id_title").fill(TITLE)
    college.locator("#id_summary").fill("A welding workshop run with Huaxin's engineers.")
    college.locator("#id_requested_amount").fill("300000")
    college.get_by_label("Goals: what will students and teachers gain?").fill(
        "Certified welders: 40 students a year pass the national welding certificate."
    )
    college.get_by_label(QUESTION_STUDENTS).fill("40")
    college.get_by_label("Matching funds from the partners (yuan)").fill("80000")
    college.get_by_label("Planned start date").fill((today + timedelta(days=30)).isoformat())
    college.get_by_label("Main kind of cooperation").select_option("Practice base")
    college.get_by_role("button", name="Save draft").click()
    for category, description, amount in [
        ("equipment", "Six welding stations", "240000"),
        ("training", "Enterprise trainers, one term", "60000"),
    ]:
        college.locator("#id_category").select_option(category)
        college.locator("#id_description").fill(description)
        college.locator("#id_amount").fill(amount)
        college.get_by_role("button", name="Add line").click()
        expect(college.get_by_test_id("budget-lines")).to_contain_text(description)
    college.get_by_role("button", name="Submit application").click()
    expect(college.get_by_test_id("application-status")).to_contain_text("Submitted")
    application_url = college.url.split("?")[0]
    application_id = re.search(r"/applications/(\d+)/", application_url).group(1)

    # officer2, the department's admin, assigns officer and reviewer, then starts the
    # review (not being assigned, officer2 is not sent to score it).
    admin = new_page()
    sign_in(admin, "officer2")
    admin.goto(application_url + "?tab=reviews")
    admin.get_by_role("link", name="Assign reviewers").click()
    card = admin.locator(f"#application-{application_id}")
    for name in ("Liu Yang", "Zhang Li"):
        card.get_by_label("Reviewer").select_option(label=name)
        card.get_by_label("Review due by").fill(due)
        card.get_by_role("button", name="Assign").click()
        expect(admin.get_by_text(f"{name} is to review")).to_be_visible()
    expect(card).to_contain_text(f"Liu Yang due {due}")
    expect(card).to_contain_text(f"Zhang Li due {due}")
    screenshot(at_top(admin), "funding-assignments-en")
    admin.goto(application_url)
    admin.get_by_role("button", name="Start review").click()
    expect(admin.get_by_test_id("application-status")).to_contain_text("Under review")

    # officer: the assignment in their queue with its due date; the review page shows
    # the application beside the scoring form; no recommendation chosen for them.
    officer = new_page()
    sign_in(officer, "officer")
    row = queue_row(officer, TITLE)
    expect(row).to_contain_text(due)
    screenshot(officer, "funding-review-queue-en")
    row.get_by_role("link", name="Score").click()
    expect(officer.get_by_test_id("assignment")).to_contain_text(f"due by {due}")
    side = officer.get_by_test_id("application-side")
    form = officer.get_by_test_id("review-form")
    expect(side.get_by_test_id("answers")).to_contain_text("Certified welders")
    expect(side.get_by_test_id("answers")).to_contain_text("80,000.00 yuan")
    expect(side.get_by_test_id("budget-lines")).to_contain_text("Six welding stations")
    expect(side.get_by_test_id("budget-lines").locator("tfoot")).to_contain_text("300,000.00")
    expect(side).to_be_in_viewport()
    expect(form).to_be_in_viewport()
    side_box, form_box = side.bounding_box(), form.bounding_box()
    assert form_box["x"] >= side_box["x"] + side_box["width"] - 1, "form is beside, not below"
    assert form_box["y"] < side_box["y"] + side_box["height"]
    expect(form.locator("input[name='recommendation']")).to_have_count(3)
    expect(form.locator("input[name='recommendation']:checked")).to_have_count(0)
    score(officer, ("8", "7", "3"), "Fund a reduced amount", OFFICER_COMMENT)
    screenshot(officer, "funding-review-page-en")
    officer.get_by_role("button", name="Save review").click()
    expect(officer.get_by_text("Review saved.")).to_be_visible()

    # reviewer: blind to officer's review until their own is saved, then reads it.
    reviewer = new_page()
    sign_in(reviewer, "reviewer")
    queue_row(reviewer, TITLE).get_by_role("link", name="Score").click()
    expect(reviewer.get_by_test_id("review-form")).to_be_visible()
    main = reviewer.locator("main")
    expect(reviewer.get_by_test_id("other-reviews")).to_have_count(0)
    expect(main).not_to_contain_text(OFFICER_COMMENT)
    expect(main).not_to_contain_text("Liu Yang")
    score(reviewer, ("9", "8", "4"), "Fund", REVIEWER_COMMENT)
    reviewer.get_by_role("button", name="Save review").click()
    expect(reviewer.get_by_text("Review saved.")).to_be_visible()
    reviews = reviewer.get_by_test_id("reviews")
    expect(reviews).to_contain_text("Liu Yang")
    expect(reviews).to_contain_text(OFFICER_COMMENT)
    reviewer.get_by_role("link", name="Change my review").click()
    expect(reviewer.get_by_test_id("other-reviews")).to_contain_text(OFFICER_COMMENT)
    reviewer.get_by_role("button", name="简体中文").click()
    expect(reviewer.get_by_test_id("other-reviews")).to_contain_text("Liu Yang")
    expect(reviewer.locator("html")).to_have_attribute("lang", re.compile("zh"))
    screenshot(reviewer, "funding-review-page-zh")

    # officer2 asks for more information.
    admin.goto(application_url)
    admin.get_by_label("What the applicant should answer or change").fill(INFO_QUESTIONS)
    admin.get_by_role("button", name="Ask for more information").click()
    expect(admin.get_by_test_id("application-status")).to_contain_text("More information requested")

    # The college reads the request, changes an answer, the amount and the budget, and
    # resubmits.
    college.goto(application_url)
    expect(college.get_by_test_id("info-request")).to_contain_text(INFO_QUESTIONS)
    college.get_by_role("link", name="Edit", exact=True).click()
    college.get_by_label(QUESTION_STUDENTS).fill("60")
    college.locator("#id_requested_amount").fill("320000")
    college.get_by_role("button", name="Save changes").click()
    college.locator("#id_category").select_option("personnel")
    college.locator("#id_description").fill("Enterprise mentors' time")
    college.locator("#id_amount").fill("20000")
    college.get_by_role("button", name="Add line").click()
    expect(college.get_by_test_id("budget-lines")).to_contain_text("Enterprise mentors' time")
    college.get_by_role("button", name="Resubmit").click()
    expect(college.get_by_test_id("application-status")).to_contain_text("Under review")

    # officer2 compares the two versions.
    admin.goto(application_url)
    admin.get_by_role("link", name="Submitted versions").click()
    diff = admin.get_by_test_id("diff")
    expect(diff).to_contain_text("What changed from version 1 to version 2")
    expect(diff).to_contain_text(INFO_QUESTIONS)
    expect(diff.get_by_test_id("diff-lines").locator("tr[data-change='added']")).to_contain_text(
        "Enterprise mentors' time"
    )
    answer = diff.get_by_test_id("diff-answers").locator("tr", has_text=QUESTION_STUDENTS)
    expect(answer).to_have_attribute("data-change", "changed")
    expect(answer.locator("ins")).to_contain_text("60")
    expect(
        diff.get_by_test_id("diff-fields").locator("tr[data-field='requested_amount']")
    ).to_contain_text("320,000.00")
    screenshot(admin, "funding-versions-diff-en")

    # The decision page: scores side by side, the recommendations, the place in the
    # program and the budget remaining; screenshots in English and Chinese.
    remaining = FundProgram.objects.get(title=OPEN_TITLE).remaining
    admin.goto(application_url)
    admin.get_by_test_id("decide-button").click()
    figures = admin.get_by_test_id("decision-figures")
    expect(figures).to_contain_text("2 / 2")
    expect(figures).to_contain_text(f"{remaining:,.2f}")
    expect(admin.get_by_test_id("rank")).to_have_text(re.compile(r"^\d+ of \d+$"))
    table = admin.get_by_test_id("score-table")
    for text in ("Liu Yang", "Zhang Li", "Benefit to students", "earlier"):
        expect(table).to_contain_text(text)
    expect(admin.get_by_test_id("recommendations")).to_contain_text("Fund a reduced amount")
    expect(admin.get_by_test_id("earlier-version")).to_contain_text(
        "2 reviews were made on an earlier version: the application is now at version 2."
    )
    expect(admin.locator("main")).to_contain_text(OFFICER_COMMENT)
    screenshot(admin, "funding-decision-en")
    admin.get_by_role("button", name="简体中文").click()
    expect(admin.get_by_test_id("decision-form")).to_be_visible()
    expect(admin.locator("html")).to_have_attribute("lang", re.compile("zh"))
    screenshot(admin, "funding-decision-zh")
    admin.get_by_role("button", name="English").click()
    form = admin.get_by_test_id("decision-form")
    form.get_by_label("Approve and award").check()
    form.get_by_label("Amount to award (yuan)").fill("250000")
    form.get_by_label("Reasons").fill("Funded at 250,000: five welding stations suffice.")
    form.get_by_role("button", name="Record the decision").click()
    expect(admin.get_by_test_id("application-status")).to_contain_text("Approved")

    # The college revises its budget to the award; officer2 accepts it.
    college.goto(application_url + "?tab=award")
    revision = college.get_by_test_id("revision-form")
    revision.get_by_label("Amount (line 1)").fill("180000")
    revision.get_by_label("Amount (line 2)").fill("50000")
    revision.get_by_label("What changed and why").fill("Five welding stations instead of six.")
    revision.get_by_role("button", name="Send the revised budget").click()
    expect(college.get_by_text("Revised budget sent")).to_be_visible()

    admin.goto(application_url + "?tab=award")
    expect(admin.get_by_test_id("budget-revision")).to_contain_text("Five welding stations")
    admin.get_by_role("button", name="Accept: replace the budget lines").click()
    expect(admin.get_by_text("Revision accepted")).to_be_visible()

    # An advance (no evidence to wait for), released on the confirmation page.
    expect(admin.get_by_test_id("tranches")).to_contain_text("No tranches planned yet.")
    admin.locator("#id_tranche-amount").fill("100000")
    admin.locator("#id_tranche-due_date").fill(today.isoformat())
    admin.get_by_role("button", name="Plan tranche").click()
    admin.get_by_test_id("tranches").get_by_role("link", name="Release…").click()
    expect(admin.get_by_test_id("release-question")).to_have_text(
        "Release 100,000.00 yuan to Riverside Vocational College?"
    )
    admin.get_by_label("Voucher or transaction number").fill("JZ-2026-0420")
    admin.get_by_label("Payee's account").fill("6222 0210 0101 7777")
    admin.get_by_label("I confirm this payment was made as recorded here.").check()
    admin.get_by_role("button", name="Release 100,000.00 yuan").click()
    expect(admin.get_by_text("Tranche released:")).to_be_visible()
    expect(admin.get_by_test_id("award-figures")).to_contain_text("250,000.00")
    expect(admin.get_by_test_id("award-figures")).to_contain_text("100,000.00")
    tranches = admin.get_by_test_id("tranches")
    expect(tranches).to_contain_text("JZ-2026-0420")
    expect(tranches).to_contain_text("6222 0210 0101 7777")
    expect(tranches).to_contain_text("100,000.00 yuan paid on")
    screenshot(at_top(admin), "funding-award-en")
