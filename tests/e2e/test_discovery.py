"""Finding partners, in a real browser: Riverside finds Lanting in the directory, answers
a new offer of Lanting's, and the thread becomes a draft agreement.

``college`` (Riverside's admin) filters the Organizations directory by Lanting's
industry section and opens its profile: description, industry, public contact and the
cooperation record, but none of the tabs its own members see (``?tab=members`` is the
not-found page). The demo's internships offer of Lanting's already has Riverside's
thread, turned into a draft agreement, and takes one thread per organization: it shows
that thread and no answer form. So ``enterprise2`` (Lanting's admin) posts a new offer,
guest engineers for an MES course, and opens it; ``college`` finds it among the needs
and offers and answers it; ``enterprise2`` is told, opens the thread from its
notifications, replies and turns it into a draft agreement, whose page shows the offer's
title and both organizations as parties. Screenshots in English and in Chinese."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organization
from discovery.demo import INTERNSHIPS, LANTING, RIVERSIDE
from discovery.models import CooperationNeed, Interest, NeedStatus
from partnerships.models import AgreementStatus

from .conftest import sign_in

INDUSTRY_I = "I · Information transmission, software and information technology services"
INDUSTRY_I_ZH = "I · 信息传输、软件和信息技术服务业"
OFFER = "Guest engineers for a course on manufacturing execution systems (MES 课程兼职教师)"
OFFER_TEXT = (
    "Three of our engineers teach the practical half of a one-semester MES course for "
    "second-year students, on our own MES with a small manufacturer's data: two afternoons "
    "a week, from September."
)
ANSWER = (
    "Riverside would run the course for our Mechatronics and Software technology classes "
    "(about 60 students). Our course leader is Ms Zhao; the lab on the 3rd floor has 30 PCs."
)
REPLY = (
    "Sixty is fine in two groups. Let us put the schedule and the engineers' hours in an agreement."
)


def open_from_sidebar(page, name: str) -> None:
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name=name).click()


def accept_next_dialog(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())


def test_riverside_finds_lanting_and_answers_its_offer(new_page, screenshot):
    lanting = Organization.objects.get(name=LANTING)
    internships = CooperationNeed.objects.get(owner=lanting, title=INTERNSHIPS)

    # Riverside looks for a software enterprise in the directory.
    college = new_page()
    sign_in(college, "college")
    open_from_sidebar(college, "Organizations")
    expect(college.get_by_role("heading", name="Organizations")).to_be_visible()
    filters = college.locator("form.filters")
    filters.get_by_label("Industry section").select_option(label=INDUSTRY_I)
    filters.get_by_role("button", name="Filter").click()
    expect(filters.get_by_label("Industry section")).to_have_value("I")
    rows = college.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(LANTING)
    expect(rows.first).to_contain_text(INDUSTRY_I)
    expect(college.locator("table")).not_to_contain_text(RIVERSIDE)
    directory_url = college.url
    screenshot(college, "discovery-directory-en")

    # Lanting's profile, as someone of another organization sees it.
    college.get_by_role("link", name=LANTING).click()
    expect(college.get_by_role("heading", name=LANTING)).to_be_visible()
    profile = college.get_by_test_id("profile")
    expect(profile).to_contain_text("Industrial software and MES for small manufacturers")
    expect(profile).to_contain_text(INDUSTRY_I)
    expect(profile).to_contain_text("Software")
    expect(college.get_by_test_id("public-contact")).to_have_text(
        "campus@lanting.example.com · 0571-8600 4004"
    )
    record = college.get_by_test_id("cooperation-record")
    expect(record.get_by_role("heading", name="Cooperation record")).to_be_visible()
    expect(record.locator("li", has_text="Active agreements").locator(".badge")).to_have_text(
        re.compile(r"^\d+$")
    )
    expect(record.locator("li", has_text="Published placements").locator(".badge")).to_have_text(
        re.compile(r"^\d+$")
    )
    expect(record).to_contain_text("Counted among the records you can open.")
    expect(college.locator(".nav-tabs")).to_have_count(0)
    main = college.locator("#main")
    expect(main.get_by_role("link", name="Members", exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name="Edit profile and details")).to_have_count(0)
    expect(college.locator("body")).not_to_contain_text("enterprise2@example.org")
    profile_url = college.url.split("?")[0]
    screenshot(college, "discovery-profile-en")
    response = college.goto(f"{profile_url}?tab=members")
    assert response.status == 404
    expect(college.locator("body")).not_to_contain_text("Wang Fang")

    # The demo's internships offer: Riverside's thread is there already, now an agreement.
    college.goto(internships.get_absolute_url())
    expect(college.get_by_role("heading", name=INTERNSHIPS)).to_be_visible()
    thread = college.get_by_test_id("thread")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text(RIVERSIDE)
    expect(thread.get_by_test_id("thread-agreement")).to_be_visible()
    expect(college.get_by_role("heading", name="Express interest")).to_have_count(0)

    # Lanting posts a new offer and opens it to colleges.
    enterprise = new_page()
    sign_in(enterprise, "enterprise2")
    open_from_sidebar(enterprise, "Needs and offers")
    enterprise.get_by_role("link", name="Post a need or offer").click()
    expect(enterprise.get_by_role("heading", name="Post a need or offer")).to_be_visible()
    expect(enterprise.locator("#id_owner option:checked")).to_have_text(LANTING)
    enterprise.locator("#id_direction").select_option(label="Offer")
    enterprise.locator("#id_kind").select_option(label="Guest instructors")
    enterprise.locator("#id_title").fill(OFFER)
    enterprise.locator("#id_description").fill(OFFER_TEXT)
    enterprise.locator("#id_specialties").fill("Mechatronics, Software technology")
    enterprise.locator("#id_region").fill("Hangzhou")
    enterprise.locator("#id_headcount").fill("3")
    valid_until = timezone.localdate() + timedelta(days=45)
    enterprise.locator("#id_valid_until").fill(valid_until.isoformat())
    enterprise.locator("input[name=audience][value=college]").check()
    enterprise.get_by_role("button", name="Save").click()
    expect(
        enterprise.get_by_text("Draft saved: only your organization sees it until you open it.")
    ).to_be_visible()
    expect(enterprise.get_by_role("heading", name=OFFER)).to_contain_text("Draft")
    enterprise.get_by_role("button", name="Open it to answers").click()
    expect(
        enterprise.get_by_text("Open: its audience sees it and may answer it now.")
    ).to_be_visible()
    expect(enterprise.get_by_role("heading", name=OFFER)).to_contain_text("Open")
    expect(enterprise.get_by_test_id("no-threads")).to_be_visible()
    offer = CooperationNeed.objects.get(owner=lanting, title=OFFER)
    assert offer.status == NeedStatus.OPEN

    # Riverside finds it among Lanting's open offers and answers it.
    open_from_sidebar(college, "Needs and offers")
    filters = college.locator("form.filters")
    filters.get_by_label("Search").fill("Lanting")
    filters.get_by_label("Need or offer").select_option(label="Offer")
    filters.get_by_label("Status").select_option(label="Open")
    filters.get_by_role("button", name="Filter").click()
    needs = college.get_by_test_id("needs-table")
    expect(needs.locator("tbody tr")).to_have_count(2)
    expect(needs).to_contain_text(INTERNSHIPS)
    needs.get_by_role("link", name=OFFER).click()
    expect(college.get_by_role("heading", name=OFFER)).to_be_visible()
    expect(college.get_by_test_id("no-threads")).to_be_visible()
    expect(college.get_by_role("heading", name="Express interest")).to_be_visible()
    expect(college.locator("#id_organization option:checked")).to_have_text(RIVERSIDE)
    college.get_by_label("Message").fill(ANSWER)
    college.get_by_role("button", name="Send").click()
    expect(college.get_by_text("Sent: the owner's admins and staff are told.")).to_be_visible()
    thread = college.get_by_test_id("thread")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text(ANSWER)
    expect(college.get_by_role("heading", name="Express interest")).to_have_count(0)
    # An admin of either side may turn the thread into an agreement; Lanting does here.
    expect(thread.get_by_role("button", name="Turn into a draft agreement")).to_be_visible()

    # Lanting is told, opens the thread, replies and drafts the agreement.
    enterprise.goto("/notifications/")
    told = enterprise.locator("li", has_text=f"{RIVERSIDE} answered “{OFFER}”")
    expect(told).to_contain_text("Ms Zhao")
    told.get_by_role("button", name="Open").click()
    expect(enterprise.get_by_role("heading", name=OFFER)).to_be_visible()
    thread = enterprise.get_by_test_id("thread")
    expect(thread).to_contain_text(ANSWER)
    expect(enterprise.get_by_test_id("answer-summary")).to_contain_text("1 organization answered")
    thread.get_by_label("Reply").fill(REPLY)
    thread.get_by_role("button", name="Send").click()
    thread = enterprise.get_by_test_id("thread")
    expect(thread.locator("li.list-group-item")).to_have_count(2)
    expect(thread.locator("li.list-group-item").last).to_contain_text(REPLY)
    expect(thread.locator("li.list-group-item").last).to_contain_text(LANTING)
    # Taken from the top of the page (the notification's link scrolls to the thread).
    offer_url = enterprise.url.split("#")[0]
    enterprise.goto(offer_url)
    thread = enterprise.get_by_test_id("thread")
    expect(thread.locator("li.list-group-item")).to_have_count(2)
    screenshot(enterprise, "discovery-offer-thread-en")
    accept_next_dialog(enterprise)
    thread.get_by_role("button", name="Turn into a draft agreement").click()
    expect(
        enterprise.get_by_text(
            "Draft agreement created with both organizations as parties: check its terms "
            "and send it for signature."
        )
    ).to_be_visible()
    expect(enterprise.get_by_role("heading", name=OFFER)).to_be_visible()
    expect(enterprise.get_by_test_id("agreement-status")).to_contain_text("Draft")
    parties = enterprise.get_by_test_id("parties")
    expect(parties.locator("tbody tr")).to_have_count(2)
    # While the terms may change, each role is a field its party's staff can correct.
    for party, role in ((LANTING, "Offering party"), (RIVERSIDE, "Receiving party")):
        expect(parties.locator(f'tr[data-party="{party}"]').get_by_role("textbox")).to_have_value(
            role
        )
    screenshot(enterprise, "discovery-agreement-en")
    interest = Interest.objects.select_related("agreement").get(need=offer)
    assert interest.agreement.status == AgreementStatus.DRAFT
    assert interest.agreement.title == OFFER

    # Riverside sees the thread lead to the agreement, and opens it.
    college.goto(offer_url)
    thread = college.get_by_test_id("thread")
    expect(thread.get_by_test_id("thread-agreement")).to_have_text(interest.agreement.reference)
    expect(thread.get_by_role("button", name="Turn into a draft agreement")).to_have_count(0)
    expect(college.get_by_test_id("answer-summary")).to_contain_text("1 led to an agreement")
    thread.get_by_test_id("thread-agreement").click()
    expect(college.get_by_role("heading", name=OFFER)).to_be_visible()
    expect(college.get_by_test_id("parties")).to_contain_text(RIVERSIDE)
    expect(college.get_by_test_id("parties")).to_contain_text(LANTING)

    # The same walk's pages in Chinese, as Riverside sees them: the directory filtered by
    # the section's Chinese name, Lanting's profile, the thread and the agreement.
    college.goto(directory_url.split("?")[0])
    college.get_by_role("button", name="简体中文").click()
    expect(college.get_by_role("heading", name="组织机构")).to_be_visible()
    filters = college.locator("form.filters")
    filters.get_by_label("行业门类").select_option(label=INDUSTRY_I_ZH)
    filters.get_by_role("button", name="筛选").click()
    expect(filters.get_by_label("行业门类")).to_have_value("I")
    rows = college.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(LANTING)
    expect(rows.first).to_contain_text(INDUSTRY_I_ZH)
    screenshot(college, "discovery-directory-zh")
    college.get_by_role("link", name=LANTING).click()
    profile = college.get_by_test_id("profile")
    expect(profile).to_contain_text(INDUSTRY_I_ZH)
    expect(profile).to_contain_text("为中小制造企业提供工业软件与制造执行系统")
    expect(profile.locator("dt", has_text="联系方式")).to_be_visible()
    record = college.get_by_test_id("cooperation-record")
    expect(record.get_by_role("heading", name="合作记录")).to_be_visible()
    expect(record).to_contain_text("生效中的协议")
    expect(college.locator("#main .nav-tabs")).to_have_count(0)
    screenshot(college, "discovery-profile-zh")
    college.goto(offer_url)
    expect(college.get_by_role("heading", name=OFFER)).to_be_visible()
    expect(college.get_by_role("heading", name="意向")).to_be_visible()
    expect(college.locator("dl")).to_contain_text("面向对象")
    thread = college.get_by_test_id("thread")
    expect(thread).to_contain_text(REPLY)
    expect(thread.get_by_test_id("thread-agreement")).to_have_text(interest.agreement.reference)
    expect(college.get_by_test_id("answer-summary")).to_contain_text("1 家已达成协议")
    screenshot(college, "discovery-offer-thread-zh")
    thread.get_by_test_id("thread-agreement").click()
    expect(college.get_by_role("heading", name="当事方与签署")).to_be_visible()
    parties = college.get_by_test_id("parties")
    expect(parties.locator("thead")).to_contain_text("协议中的身份")
    expect(parties).to_contain_text(RIVERSIDE)
    expect(parties).to_contain_text(LANTING)
    expect(college.get_by_test_id("agreement-status")).to_contain_text("草稿")
    screenshot(college, "discovery-agreement-zh")
