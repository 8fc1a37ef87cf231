"""Each role's first steps in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.demo import ACCOUNTS, ORGANIZATIONS

from .conftest import sign_in

ORGANIZATION_NAMES = {key: name for key, _kind, name, *_rest in ORGANIZATIONS}


@pytest.mark.parametrize(("username", "org_key"), [(a[0], a[3]) for a in ACCOUNTS])
def test_each_demo_account_signs_in_and_sees_its_dashboard(new_page, screenshot, username, org_key):
    page = new_page()
    sign_in(page, username)
    expect(page.get_by_role("heading", name="Waiting on you")).to_be_visible()
    expect(page.get_by_test_id("dashboard-organization")).to_contain_text(
        ORGANIZATION_NAMES[org_key]
    )
    screenshot(page, f"dashboard-{username}")
    page.get_by_role("button", name=re.compile(r"\w+ \w+")).last.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_superuser_signs_in(new_page, screenshot):
    page = new_page()
    sign_in(page, "admin")
    expect(page.get_by_role("heading", name="Waiting on you")).to_be_visible()
    screenshot(page, "dashboard-admin")


def test_an_admin_invites_a_person_who_sets_a_password_and_signs_in(new_page, screenshot):
    mail.outbox = []
    admin = new_page()
    sign_in(admin, "college")
    admin.get_by_test_id("current-organization").click()
    admin.get_by_role("link", name="Organization page").click()
    admin.get_by_role("link", name=re.compile(r"^Members\b")).click()
    admin.get_by_label("Email", exact=False).and_(admin.locator("#id_email")).fill(
        "new.teacher@example.org"
    )
    admin.get_by_label("Role", exact=False).and_(admin.locator("#id_role")).select_option("staff")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text("Invitation sent to new.teacher@example.org.")).to_be_visible()
    expect(admin.get_by_test_id("pending-invitations")).to_contain_text("new.teacher@example.org")
    screenshot(admin, "members-invited")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("/invitations/", 1)[1]

    newcomer = new_page()
    newcomer.goto(f"/invitations/{path}")
    expect(
        newcomer.get_by_role("heading", name="Join Riverside Vocational College")
    ).to_be_visible()
    newcomer.get_by_label("Username").fill("newteacher")
    newcomer.get_by_label("Given name").fill("Xia")
    newcomer.get_by_label("Family name").fill("Mei")
    newcomer.locator("#id_password1").fill("teaching-2026-spring")
    newcomer.get_by_label("Password again").fill("teaching-2026-spring")
    screenshot(newcomer, "invitation-accept")
    newcomer.get_by_role("button", name="Create my account").click()
    expect(newcomer.get_by_text("Your account is ready.")).to_be_visible()
    sign_in(newcomer, "newteacher", "teaching-2026-spring")
    expect(newcomer.get_by_test_id("dashboard-organization")).to_contain_text(
        "Riverside Vocational College"
    )
    screenshot(newcomer, "dashboard-newcomer")

    admin.reload()
    expect(admin.get_by_test_id("members-table")).to_contain_text("newteacher")


def test_the_language_switch_shows_chinese(new_page, screenshot):
    page = new_page()
    sign_in(page, "college")
    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name="等待您处理")).to_be_visible()
    expect(page.get_by_role("link", name="组织机构").first).to_be_visible()
    screenshot(page, "dashboard-college-zh")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Waiting on you")).to_be_visible()


def test_a_person_creates_an_api_token_and_sees_it_once(new_page, screenshot):
    page = new_page()
    sign_in(page, "enterprise")
    page.goto("/profile/")
    page.locator("#id_name").fill("HR system sync")
    page.get_by_role("button", name="Create token").click()
    key = page.get_by_test_id("new-token-key").inner_text()
    assert len(key) > 30
    screenshot(page, "profile-token")
    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    expect(page.get_by_text(key[:8] + "…")).to_be_visible()
