"""A fund program from opening to the first tranche released, in a real browser."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import sign_in


def test_an_officer_opens_a_program_a_college_applies_officers_review_and_money_is_released(
    new_page, screenshot
):
    today = timezone.localdate()
    admin = new_page()
    sign_in(admin, "officer2")
    admin.goto("/funding/programs/new/")
    admin.locator("#id_title").fill("Robotics practice base fund")
    admin.locator("#id_funding_source").select_option("special_fund")
    admin.locator("#id_total_budget").fill("2000000")
    admin.locator("#id_max_award").fill("500000")
    admin.get_by_label("College").check()
    admin.locator("#id_opens_on").fill((today - timedelta(days=1)).isoformat())
    admin.locator("#id_closes_on").fill((today + timedelta(days=60)).isoformat())
    admin.get_by_role("button", name="Save").click()
    for name, weight, max_score in [
        ("Benefit to students", "60", "10"),
        ("Feasibility", "40", "5"),
    ]:
        admin.locator("#id_name").fill(name)
        admin.locator("#id_weight").fill(weight)
        admin.locator("#id_max_score").fill(max_score)
        admin.locator("form[action$='/criteria/']").get_by_role("button", name="Add").click()
    admin.get_by_role("button", name="Open for applications").click()
    expect(admin.get_by_test_id("program-status")).to_contain_text("Open")
    program_url = admin.url.split("?")[0]

    college = new_page()
    sign_in(college, "college")
    college.goto(program_url)
    college.get_by_role("link", name="Apply").click()
    college.locator("#id_title").fill("Robot cell for the industry college")
    college.locator("#id_requested_amount").fill("300000")
    college.get_by_role("button", name="Save draft").click()
    for category, description, amount in [
        ("equipment", "Two six-axis robot cells", "240000"),
        ("training", "Enterprise trainers, one term", "60000"),
    ]:
        college.locator("#id_category").select_option(category)
        college.locator("#id_description").fill(description)
        college.locator("#id_amount").fill(amount)
        college.get_by_role("button", name="Add line").click()
    college.get_by_role("button", name="Submit application").click()
    expect(college.get_by_test_id("application-status")).to_contain_text("Submitted")
    application_url = college.url.split("?")[0]

    for username, marks in [("officer", ("9", "4")), ("reviewer", ("8", "5"))]:
        officer = new_page()
        sign_in(officer, username)
        officer.goto(application_url)
        start = officer.get_by_role("button", name="Start review")
        if start.count():
            start.click()
        officer.goto("/funding/reviews/")
        officer.get_by_test_id("review-queue").get_by_role("link", name="Score").click()
        officer.get_by_label("Benefit to students").fill(marks[0])
        officer.get_by_label("Feasibility").fill(marks[1])
        officer.get_by_label("Fund", exact=True).check()
        officer.get_by_role("button", name="Save review").click()
        expect(officer.get_by_text("Review saved.")).to_be_visible()

    admin.goto(program_url + "?tab=ranking")
    expect(admin.get_by_test_id("ranking")).to_contain_text("Robot cell for the industry college")
    screenshot(admin, "funding-ranking")

    admin.goto(application_url)
    admin.get_by_test_id("decide-button").click()
    expect(admin.get_by_test_id("score-table")).to_contain_text("Benefit to students")
    screenshot(admin, "funding-decision")
    admin.get_by_label("Approve and award").check()
    admin.locator("#id_amount").fill("280000")
    admin.locator("#id_reasons").fill("Strong enterprise involvement; trainer costs trimmed.")
    admin.get_by_role("button", name="Record the decision").click()
    expect(admin.get_by_test_id("application-status")).to_contain_text("Approved")

    # 280,000 of the 300,000 requested: the college revises its budget to the award,
    # the department accepts it, and only then is money released.
    college.goto(application_url + "?tab=award")
    college.locator("#id_lines-0-amount").fill("220000")
    college.get_by_role("button", name="Send the revised budget").click()
    expect(college.get_by_text("Revised budget sent")).to_be_visible()

    admin.goto(application_url + "?tab=award")
    admin.get_by_role("button", name="Accept: replace the budget lines").click()
    expect(admin.get_by_text("Revision accepted")).to_be_visible()
    admin.locator("#id_tranche-amount").fill("100000")
    admin.locator("#id_tranche-due_date").fill(today.isoformat())
    admin.get_by_role("button", name="Plan tranche").click()
    admin.get_by_role("link", name="Release…").click()
    expect(admin.get_by_test_id("release-question")).to_contain_text(
        "Release 100,000.00 yuan to Riverside Vocational College?"
    )
    admin.locator("#id_voucher_number").fill("JZ-2026-0001")
    admin.locator("#id_payee_account").fill("6222 0210 0101 8888")
    admin.get_by_label("I confirm this payment was made as recorded here.").check()
    admin.get_by_role("button", name="Release 100,000.00 yuan").click()
    expect(admin.get_by_text("Tranche released:")).to_be_visible()
    expect(admin.get_by_test_id("award-figures")).to_contain_text("100,000.00")
    expect(admin.get_by_test_id("tranches")).to_contain_text("JZ-2026-0001")

    admin.goto(program_url)
    expect(admin.get_by_test_id("budget-figures")).to_contain_text("280,000.00")
    admin.wait_for_timeout(300)  # let Chart.js draw before the screenshot
    screenshot(admin, "funding-program-budget")

    college.goto(application_url)
    expect(college.get_by_text("Strong enterprise involvement")).to_be_visible()
    expect(college.get_by_role("link", name="Reviews")).to_have_count(0)
