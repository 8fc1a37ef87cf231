"""Riverside's articles amended by its council, in a real browser: the college's admin
withdraws the stale draft, drafts a new version from the one in force, changes an
article and proposes it; schedules a council meeting, holds it and records attendance
(the three demo members present, holding the proxies of twelve outside members, who
have no portal account); drafts an amendment naming the version on the meeting's agenda
and opens the vote; college, enterprise and officer each vote for on the resolution
page, for their own seat and the proxies they hold; the college closes the vote. It
passes by two thirds of the seated members, the version is in force, and the diff marks
the change. Screenshots in English and in Chinese, the council's composition chart
among them."""

from django.utils import timezone
from playwright.sync_api import expect

from governance.demo import ARTICLES_TITLE, COUNCIL

from .conftest import sign_in

# The demo council seats 21; an amendment needs two thirds of them attending and voting
# for. Present, with the proxies each holds; the six other members send apologies.
PROXIES = {
    "Lin Wei": ["Zhao Guoqiang", "Qian Hong", "Chen Jing", "Yang Fan", "Wu Min"],  # college
    "Chen Hua": ["He Jian", "Xu Lei", "Ma Li", "Tang Bo"],  # enterprise
    "Liu Yang": ["Gao Ming", "Zheng Hao", "Feng Yu"],  # officer
}
ABSENT = ["Li Na", "Zhou Tao", "Deng Kai", "Lu Xin", "Xie Ping", "Han Mei"]

OLD_TEXT = "They teach at least a quarter of the practical courses of each specialty."
NEW_TEXT = (
    "The College appoints engineers and skilled workers from enterprises as part-time "
    "teachers. They teach at least a third of the practical courses of each specialty "
    "and take part in writing its curriculum."
)


def accept_next_dialog(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())


def wait_for_chart(page) -> None:
    """portal.js marks a canvas once Chart.js has drawn it (without animation)."""
    expect(page.locator("canvas[data-chart][data-drawn='1']")).to_have_count(1)


def vote_for_every_seat(page, resolution_url: str, name: str, proxies: list[str]) -> None:
    """Vote for on each seat the page offers: the member's own and each proxy they hold."""
    page.goto(resolution_url)
    forms = page.get_by_test_id("vote-forms").locator("form")
    expect(forms).to_have_count(1 + len(proxies))
    expect(page.get_by_test_id("vote-forms")).to_contain_text("Your own seat")
    for holder_of in proxies:
        expect(page.get_by_test_id("vote-forms")).to_contain_text(f"By proxy for {holder_of}")
    for left in range(len(proxies), -1, -1):
        forms.first.get_by_role("button", name="For", exact=True).click()
        expect(page.get_by_text("Vote recorded.")).to_be_visible()
        expect(forms).to_have_count(left)
    expect(page.get_by_test_id("vote-forms")).to_have_count(0)
    expect(page.get_by_test_id("votes")).to_contain_text(name)


def test_the_council_amends_riverside_articles_by_two_thirds(new_page, screenshot):
    college = new_page()
    sign_in(college, "college")

    # The articles: version 2 in force, a draft 3 that the secretary drops.
    college.goto("/articles/")
    college.get_by_role("link", name=ARTICLES_TITLE).click()
    versions = college.get_by_test_id("versions")
    expect(versions.locator("li", has_text="Version 2")).to_contain_text("In force")
    expect(versions.locator("li", has_text="Version 3")).to_contain_text("Draft")
    articles_url = college.url.split("?")[0]
    versions.get_by_role("link", name="Version 3").click()
    accept_next_dialog(college)
    college.get_by_role("button", name="Withdraw").click()
    expect(college.get_by_test_id("version-status")).to_contain_text("Withdrawn")

    # A new version, a copy of the one in force; article 14 changed, then proposed.
    college.goto(articles_url)
    college.get_by_role("button", name="Draft a new version").click()
    expect(college.get_by_text("Version 4 drafted.")).to_be_visible()
    expect(college.get_by_test_id("version-status")).to_contain_text("Draft")
    article = college.locator("#article-14")
    expect(article).to_contain_text(OLD_TEXT)
    article.get_by_text("Change or remove").click()
    article.locator("#text-14").fill(NEW_TEXT)
    article.get_by_role("button", name="Save the article").click()
    expect(college.get_by_text("Article saved.")).to_be_visible()
    expect(college.locator("#article-14")).to_contain_text("at least a third")
    college.get_by_role("button", name="Propose").click()
    expect(college.get_by_text("Proposed: a resolution can adopt it.")).to_be_visible()
    expect(college.get_by_test_id("version-status")).to_contain_text("Proposed")
    version_url = college.url.split("?")[0]
    screenshot(college, "governance-version-proposed-en")

    # The council: its seats and composition; a meeting now, held, with attendance.
    college.goto("/boards/")
    college.get_by_role("link", name=COUNCIL).click()
    expect(college.get_by_test_id("seats").locator("tfoot")).to_contain_text("21")
    wait_for_chart(college)
    board_url = college.url.split("?")[0]
    screenshot(college, "governance-board-en")

    college.get_by_role("link", name="Schedule a meeting").click()
    college.locator("#id_title").fill("Extraordinary session on version 4 of the articles")
    college.locator("#id_kind").select_option("extraordinary")
    college.locator("#id_starts_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    college.locator("#id_place").fill("Council room, Administration Building")
    college.locator("#id_agenda").fill("1. Version 4 of the Articles of Association (adoption)")
    college.get_by_role("button", name="Save").click()
    expect(college.get_by_text("Meeting scheduled: the members have been invited.")).to_be_visible()
    college.get_by_role("button", name="Mark as held").click()
    expect(college.get_by_test_id("meeting-status")).to_contain_text("Held")
    meeting_url = college.url.split("?")[0]

    college.get_by_role("link", name="Record attendance").click()
    form = college.get_by_test_id("attendance-form")
    for holder, members in PROXIES.items():
        form.get_by_label(f"Attendance of {holder}", exact=True).select_option("present")
        for member in members:
            form.get_by_label(f"Attendance of {member}", exact=True).select_option("proxy")
            form.get_by_label(f"Proxy held by (for {member})", exact=True).select_option(
                label=holder
            )
    for member in ABSENT:
        form.get_by_label(f"Attendance of {member}", exact=True).select_option("absent")
    form.get_by_role("button", name="Save attendance").click()
    expect(college.get_by_text("Attendance recorded.")).to_be_visible()
    quorum = college.get_by_test_id("quorum")
    expect(quorum).to_contain_text("15 of 21 seated members attend (3 present, 12 by proxy).")
    expect(quorum.locator("li", has_text="Amendments of the articles")).to_contain_text(
        "quorum met"
    )
    expect(college.get_by_test_id("attendance")).to_contain_text("held by Chen Hua")
    screenshot(college, "governance-meeting-en")

    # The amendment on the meeting's agenda, naming version 4; the vote opens.
    college.get_by_role("link", name="Draft a resolution").click()
    college.locator("#id_title").fill("Adopt version 4 of the Articles of Association")
    college.locator("#id_text").fill(
        "The council adopts version 4 of the College's Articles of Association: enterprise "
        "teachers teach a third of the practical courses and help write the curriculum."
    )
    college.locator("#id_kind").select_option("article_amendment")
    expect(college.locator("#id_meeting option:checked")).to_have_text(
        "Extraordinary session on version 4 of the articles"
    )
    college.locator("#id_article_version").select_option(label=f"{ARTICLES_TITLE} · v4")
    college.get_by_role("button", name="Save").click()
    expect(college.get_by_test_id("resolution-status")).to_contain_text("Draft")
    expect(college.get_by_test_id("article-version")).to_contain_text("version 4")
    college.get_by_role("button", name="Open voting").click()
    expect(college.get_by_test_id("resolution-status")).to_contain_text("Voting")
    expect(college.locator("body")).to_contain_text("Two thirds of the seated members")
    resolution_url = college.url.split("?")[0]

    # Each demo member votes for, in person and for the proxies they hold.
    vote_for_every_seat(college, resolution_url, "Lin Wei", PROXIES["Lin Wei"])
    for username, name in (("enterprise", "Chen Hua"), ("officer", "Liu Yang")):
        member = new_page()
        sign_in(member, username)
        vote_for_every_seat(member, resolution_url, name, PROXIES[name])
    expect(member.get_by_test_id("tally").get_by_test_id("figure-for")).to_have_text("15")
    screenshot(member, "governance-resolution-voting-en")

    # The college closes the vote: passed, and the version is in force.
    college.goto(resolution_url)
    accept_next_dialog(college)
    college.get_by_role("button", name="Close voting").click()
    expect(college.get_by_text("Voting closed: the result is recorded.")).to_be_visible()
    expect(college.get_by_test_id("resolution-status")).to_contain_text("Passed")
    figures = college.get_by_test_id("figures")
    expect(figures.get_by_test_id("figure-seated")).to_have_text("21")
    expect(figures.get_by_test_id("figure-attending")).to_have_text("15")
    expect(figures.get_by_test_id("figure-for")).to_have_text("15")
    expect(figures.get_by_test_id("figure-against")).to_have_text("0")
    expect(figures).to_contain_text("Quorum")
    expect(figures).not_to_contain_text("not met")
    expect(college.get_by_test_id("votes").locator("tbody tr")).to_have_count(15)
    screenshot(college, "governance-resolution-passed-en")

    college.get_by_test_id("article-version").click()
    expect(college.get_by_test_id("version-status")).to_contain_text("In force")
    expect(college.locator("body")).to_contain_text(
        "Adopted by the resolution “Adopt version 4 of the Articles of Association”"
    )
    college.goto(articles_url)
    versions = college.get_by_test_id("versions")
    expect(versions.locator("li", has_text="Version 4")).to_contain_text("In force")
    expect(versions.locator("li", has_text="Version 2")).to_contain_text("Superseded")
    expect(versions.locator("li", has_text="Version 3")).to_contain_text("Withdrawn")
    expect(college.locator("#article-14")).to_contain_text("at least a third")

    # The diff against the version it superseded marks the words changed.
    college.goto(version_url)
    college.get_by_role("link", name="Compare").click()
    expect(college.locator("#against option:checked")).to_contain_text("Version 2")
    diff = college.get_by_test_id("diff")
    changed = diff.locator("tr[data-change='changed']")
    expect(changed).to_have_count(1)
    expect(changed.locator("th")).to_contain_text("14")
    expect(changed.locator("th .badge")).to_have_text("changed")
    expect(changed.locator("del")).to_have_text("quarter")
    expect(changed.locator("ins").first).to_have_text("third")
    expect(changed).to_contain_text("take part in writing its curriculum")
    expect(diff.locator("tr[data-change='same']")).to_have_count(20)
    screenshot(college, "governance-diff-en")

    # The same pages in Chinese.
    college.get_by_role("button", name="简体中文").click()
    expect(college.get_by_role("heading", name="版本比较")).to_be_visible()
    expect(college.get_by_test_id("diff").locator("tr[data-change='changed'] .badge")).to_have_text(
        "修改"
    )
    screenshot(college, "governance-diff-zh")
    college.goto(board_url)
    expect(college.get_by_role("heading", name="席位占用情况")).to_be_visible()
    wait_for_chart(college)
    screenshot(college, "governance-board-zh")
    college.goto(meeting_url)
    expect(college.get_by_test_id("meeting-status")).to_contain_text("已召开")
    screenshot(college, "governance-meeting-zh")
    college.goto(resolution_url)
    expect(college.get_by_test_id("resolution-status")).to_contain_text("已通过")
    expect(college.get_by_role("heading", name="记名表决情况")).to_be_visible()
    expect(college.locator("body")).to_contain_text("全体在任成员三分之二以上")
    screenshot(college, "governance-resolution-passed-zh")
    college.goto(articles_url)
    versions = college.get_by_test_id("versions")
    expect(versions.locator("li", has_text="第4版")).to_contain_text("现行有效")
    expect(versions.locator("li", has_text="第2版")).to_contain_text("已被取代")
    screenshot(college, "governance-articles-zh")
