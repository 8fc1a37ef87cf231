"""A tripartite agreement from draft to signed, in a real browser."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from .conftest import sign_in


def select_by_label(page, field_id: str, label: str) -> None:
    page.locator(f"#{field_id}").select_option(label=label)


def test_a_tripartite_agreement_is_drafted_sent_and_signed_by_every_party(new_page, screenshot):
    today = timezone.localdate()
    college = new_page()
    sign_in(college, "college")
    college.goto("/agreements/new/")
    college.locator("#id_title").fill("Tripartite agreement on the robotics practice base")
    college.locator("#id_kind").select_option("practice_base")
    college.locator("#id_effective_date").fill((today + timedelta(days=30)).isoformat())
    college.locator("#id_expiry_date").fill((today + timedelta(days=30 + 3 * 365)).isoformat())
    college.locator("#id_legal_basis").fill("Vocational Education Law of the PRC, art. 40")
    college.locator("#id_own_role").fill("Party A")
    college.locator("#id_other_parties").select_option(
        label=["Huaxin Precision Manufacturing", "Municipal Education Bureau"]
    )
    college.get_by_role("button", name="Create draft").click()
    expect(college.get_by_test_id("agreement-status")).to_contain_text("Draft")

    clauses = [
        (
            "Riverside Vocational College",
            "responsibility",
            "talent_training",
            "Send 30 robotics students to the base each term.",
        ),
        (
            "Huaxin Precision Manufacturing",
            "responsibility",
            "safety_insurance",
            "Insure every student at the base against work injury.",
        ),
        (
            "Huaxin Precision Manufacturing",
            "right",
            "employment",
            "Offer jobs first to students who trained at the base.",
        ),
        (
            "Municipal Education Bureau",
            "responsibility",
            "funding",
            "Fund 300,000 yuan of robot cells from the special fund.",
        ),
    ]
    for party, kind, category, text in clauses:
        select_by_label(college, "id_clause-party", party)
        college.locator("#id_clause-kind").select_option(kind)
        college.locator("#id_clause-category").select_option(category)
        college.locator("#id_clause-text").fill(text)
        college.get_by_role("button", name="Add clause").click()
        expect(college.get_by_text(text)).to_be_visible()

    # Sending waits for every party's role: the page says so, and each is set in place.
    expect(college.get_by_test_id("send-missing")).to_contain_text("Huaxin Precision")
    for organization, role in [
        ("Huaxin Precision Manufacturing", "Host enterprise"),
        ("Municipal Education Bureau", "Supervising department"),
    ]:
        row = college.locator(f'tr[data-party="{organization}"]')
        row.get_by_label(f"Role of {organization} in the agreement").fill(role)
        row.get_by_role("button", name="Save").click()
        expect(
            college.locator(f'tr[data-party="{organization}"] input[name="role"]')
        ).to_have_value(role)
    expect(college.get_by_test_id("send-missing")).to_have_count(0)

    college.once("dialog", lambda dialog: dialog.accept())
    college.get_by_role("button", name="Send for signature").click()
    expect(college.get_by_test_id("agreement-status")).to_contain_text("Negotiating")
    agreement_url = college.url.split("#")[0]

    signers = [(college, "Riverside Vocational College")]
    for username, organization in [
        ("enterprise", "Huaxin Precision Manufacturing"),
        ("officer2", "Municipal Education Bureau"),
    ]:
        page = new_page()
        sign_in(page, username)
        expect(page.get_by_test_id("waiting-list")).to_contain_text("Tripartite agreement")
        page.goto(agreement_url)
        signers.append((page, organization))

    for page, organization in signers:
        page.goto(agreement_url)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name=f"Sign for {organization}").click()
        expect(page.locator(f'tr[data-party="{organization}"]')).to_contain_text("signed")
        # The signatory, prefilled from the profile, and the place, from the organization.
        expect(page.locator(f'tr[data-party="{organization}"]')).to_contain_text("at Hangzhou")

    officer = signers[-1][0]
    expect(officer.get_by_test_id("agreement-status")).to_contain_text("Signed")
    expect(officer.get_by_text("Signed. Every party has now signed.")).to_be_visible()
    screenshot(officer, "agreement-signed-en")

    college.goto(agreement_url)
    college.get_by_role("button", name="简体中文").click()
    expect(college.get_by_test_id("agreement-status")).to_contain_text("已签署")
    expect(college.get_by_role("heading", name="权利与义务")).to_be_visible()
    screenshot(college, "agreement-signed-zh")
