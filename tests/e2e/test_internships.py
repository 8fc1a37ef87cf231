"""An internship from posting to its first day, in a real browser: the enterprise posts a
岗位实习 placement paying below 80% and is stopped by the rule, fixes it and publishes;
the college nominates three students; the enterprise offers two; the college records
one acceptance, is shown every missing gate at once, supplies them and starts."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from internships import services
from internships.models import Nomination, Placement, Student

from .conftest import sign_in

PDF = {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}


def test_an_enterprise_posts_a_college_nominates_and_an_intern_starts(new_page, screenshot):
    start = timezone.localdate() + timedelta(days=90)
    end = start + timedelta(days=120)

    hr = new_page()
    sign_in(hr, "enterprise")
    hr.goto("/placements/new/")
    hr.locator("#id_title").fill("Assembly line technician")
    hr.locator("#id_internship_type").select_option("on_the_job")
    hr.locator("#id_slots").fill("4")
    hr.locator("#id_city").fill("Hangzhou")
    hr.locator("#id_address").fill("18 Binjiang Road")
    hr.locator("#id_start_date").fill(start.isoformat())
    hr.locator("#id_end_date").fill(end.isoformat())
    hr.locator("#id_monthly_pay").fill("3000")
    hr.locator("#id_regular_wage").fill("5000")
    hr.locator("#id_guide_name").fill("Chen Gang")
    hr.locator("#id_host_staff_count").fill("400")
    hr.locator("#id_same_post_staff_count").fill("40")
    hr.locator("#id_open_to").select_option("chosen")
    hr.locator("#id_open_to_colleges").select_option(label="Riverside Vocational College")
    hr.get_by_role("button", name="Save draft").click()
    hr.get_by_role("button", name="Publish").click()
    # Refused: the rule's message, with its article, next to the pay.
    expect(hr.locator("body")).to_contain_text("at least 80% of the probation wage")
    expect(hr.locator("body")).to_contain_text("第十七条")
    screenshot(hr, "internships-publish-refused")
    hr.locator("#id_monthly_pay").fill("4000")
    hr.get_by_role("button", name="Save draft").click()
    hr.get_by_role("button", name="Publish").click()
    expect(hr.locator("body")).to_contain_text("Published")
    placement = Placement.objects.get(title="Assembly line technician")
    assert placement.status == "published"

    # Three students the rules allow (second year or later, 16 or older, free then).
    eligible = [
        student
        for student in Student.objects.filter(
            college__name="Riverside Vocational College", status="enrolled"
        ).order_by("student_number")
        if not services.eligibility_errors(student, placement)
    ][:3]
    assert len(eligible) == 3

    college = new_page()
    sign_in(college, "college")
    college.goto(f"/placements/{placement.pk}/?tab=nominations")
    form = college.get_by_test_id("nominate-form")
    for student in eligible:
        form.locator(f"input[value='{student.pk}']").check()
    form.get_by_role("button", name="Nominate").click()
    expect(college.get_by_test_id("placement-nominations")).to_contain_text(eligible[2].name)
    screenshot(college, "internships-nominated")

    nominations = list(Nomination.objects.filter(placement=placement).order_by("student__pk"))
    assert len(nominations) == 3
    for nomination in nominations[:2]:
        hr.goto(f"/nominations/{nomination.pk}/")
        hr.get_by_role("button", name="Make an offer").click()
        expect(hr.locator("body")).to_contain_text("Offered")

    chosen = nominations[0]
    college.goto(f"/nominations/{chosen.pk}/")
    college.get_by_test_id("accept-form").locator("input[type=file]").set_input_files(PDF)
    college.get_by_role("button", name="Accept the offer").click()
    expect(college.locator("body")).to_contain_text("Accepted")
    college.get_by_role("button", name="Start the internship").click()
    # Every missing gate at once, each naming its article.
    body = college.locator("body")
    expect(body).to_contain_text("Not started")
    expect(body).to_contain_text("tripartite agreement")
    expect(body).to_contain_text("liability insurance policy")
    expect(body).to_contain_text("tracking teacher")
    screenshot(college, "internships-start-refused")

    college.get_by_role("link", name="Record the gates").first.click()
    college.locator("#id_tripartite_signed_on").fill((start - timedelta(days=20)).isoformat())
    college.locator("#id_tripartite_scan").set_input_files(PDF)
    if college.locator("#id_guardian_consent").count():
        college.locator("#id_guardian_consent").set_input_files(PDF)
    college.locator("#id_insurer").fill("PICC Property and Casualty")
    college.locator("#id_policy_number").fill("PICC-2027-0042")
    college.locator("#id_policy_start").fill(start.isoformat())
    college.locator("#id_policy_end").fill(end.isoformat())
    college.locator("#id_policy_paid_by").select_option("enterprise")
    college.locator("#id_tracking_teacher_name").fill("Zhou Min")
    college.get_by_role("button", name="Save").click()
    college.get_by_role("button", name="Start the internship").click()
    expect(college.locator("body")).to_contain_text("Started")
    chosen.refresh_from_db()
    assert chosen.status == "started"
    placement.refresh_from_db()
    assert placement.filled_slots == 1
    screenshot(college, "internships-started")

    college.get_by_role("button", name="简体中文").click()
    expect(college.get_by_role("heading", name="开始前的条件")).to_be_visible()
    expect(college.locator("body")).to_contain_text("已开始")
    screenshot(college, "internships-started-zh")
    college.goto(f"/placements/{placement.pk}/?tab=nominations")
    expect(college.get_by_test_id("slots-filled")).to_contain_text("1")
    screenshot(college, "internships-nominations-zh")
    college.get_by_role("button", name="English").click()
