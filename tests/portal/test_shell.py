"""The portal's shared pages: dashboard, search, notifications, health, errors, headers."""

from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.demo import ACCOUNTS
from accounts.models import User
from portal.models import Notification
from portal.notifications import notify
from portal.workflow import InvalidTransition, check_transition
from tests.people import People


class TestDashboard(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=mock.MagicMock())

    def test_every_demo_account_lands_on_its_dashboard(self):
        for username, *_rest in [*ACCOUNTS, ("admin",)]:
            self.client.force_login(User.objects.get(username=username))
            response = self.client.get(reverse("home"))
            self.assertContains(response, "Waiting on you", msg_prefix=username)

    def test_seeding_twice_changes_nothing(self):
        counts = User.objects.count()
        call_command("seed_demo", stdout=mock.MagicMock())
        self.assertEqual(User.objects.count(), counts)

    def test_government_sees_the_organizations_chart(self):
        self.client.force_login(User.objects.get(username="officer2"))
        response = self.client.get(reverse("home"))
        self.assertContains(response, 'data-chart="chart-organizations-by-kind"')
        self.assertContains(response, 'id="chart-organizations-by-kind" type="application/json"')

    def test_the_dashboard_is_in_chinese_when_asked(self):
        self.client.force_login(User.objects.get(username="college"))
        self.client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})
        self.assertContains(self.client.get(reverse("home")), "等待您处理")
        self.assertEqual(User.objects.get(username="college").language, "zh-hans")


class TestSearch(People, TestCase):
    def test_it_finds_only_what_the_user_sees(self):
        # Organizations are in the directory: every active one is found by everyone
        # signed in; an inactive one only by government.
        from tests.factories import OrganizationFactory

        OrganizationFactory(name="Closed College", is_active=False)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("search"), {"q": "College"})
        self.assertContains(response, "Riverside College")
        self.assertContains(response, "Eastlake College")
        self.assertNotContains(response, "Closed College")
        self.client.force_login(self.olivia)
        response = self.client.get(reverse("search"), {"q": "College"})
        self.assertContains(response, "Closed College")

    def test_it_finds_colleagues_by_name(self):
        self.client.force_login(self.alice)
        self.assertContains(
            self.client.get(reverse("search"), {"q": "victor"}), "victor@example.org"
        )
        self.assertNotContains(self.client.get(reverse("search"), {"q": "charlie"}), "charlie@")


class TestNotifications(People, TestCase):
    def test_notify_records_and_emails_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks, transaction.atomic():
            notify(recipients=[self.alice, self.bob], title="Agreement sent", url="/")
            self.assertEqual(len(mail.outbox), 0)  # nothing leaves before the commit
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["alice@example.org", "bob@example.org"]
        )
        self.assertEqual(Notification.objects.filter(emailed_at__isnull=False).count(), 2)

    def test_the_bell_counts_unread_and_reading_clears_it(self):
        notify(recipients=[self.alice], title="Hello", url=reverse("profile"), email=False)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("home")), 'data-testid="unread-count">1<')
        note = Notification.objects.get()
        response = self.client.post(reverse("notification-read", args=[note.pk]))
        self.assertRedirects(response, reverse("profile"))
        self.assertNotContains(self.client.get(reverse("home")), 'data-testid="unread-count"')

    def test_nobody_reads_another_persons_notifications(self):
        notify(recipients=[self.alice], title="Private", email=False)
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(reverse("notifications")), "Private")
        note = Notification.objects.get()
        self.assertEqual(
            self.client.post(reverse("notification-read", args=[note.pk])).status_code, 404
        )

    def test_each_recipient_reads_it_in_their_language(self):
        from django.utils.text import format_lazy
        from django.utils.translation import gettext_lazy

        self.bob.language = "zh-hans"
        self.bob.save()
        notify(
            recipients=[self.alice, self.bob],
            title=format_lazy("{}", gettext_lazy("Dashboard")),
            email=False,
        )
        titles = dict(Notification.objects.values_list("recipient__username", "title"))
        self.assertEqual(titles, {"alice": "Dashboard", "bob": "首页"})


class TestWorkflowErrors(TestCase):
    def test_an_illegal_transition_answers_409_with_its_code(self):
        class Send(APIView):
            permission_classes = []
            authentication_classes = []

            def post(self, request):
                check_transition("signed", "draft", {"draft": {"negotiating"}}, label="Agreement")

        response = Send.as_view()(APIRequestFactory().post("/"))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.data["code"], "invalid_transition")
        self.assertIn("Agreement cannot move", response.data["detail"])

    def test_an_allowed_transition_passes(self):
        check_transition("draft", "negotiating", {"draft": {"negotiating"}}, label="Agreement")
        with self.assertRaises(InvalidTransition):
            check_transition("draft", "signed", {"draft": {"negotiating"}}, label="Agreement")


class TestHealthAndHeaders(People, TestCase):
    def test_healthz_answers_200_when_database_and_cache_work(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["checks"], {"database": "ok", "cache": "ok"})

    def test_healthz_answers_any_host_over_plain_http(self):
        with self.settings(ALLOWED_HOSTS=["portal.example.org"], SECURE_SSL_REDIRECT=True):
            response = self.client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
        self.assertEqual(response.status_code, 200)

    def test_healthz_answers_503_when_the_cache_is_down(self):
        with mock.patch("portal.views.cache.set", side_effect=ConnectionError("down")):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)

    def test_pages_carry_a_strict_content_security_policy(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("home"))
        policy = response["Content-Security-Policy"]
        script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        self.assertNotIn("unsafe-inline", script_src)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertNotIn(b"<script>", response.content)  # no inline scripts at all

    def test_the_api_docs_and_schema_are_served_locally(self):
        self.client.force_login(self.alice)
        docs = self.client.get(reverse("swagger-ui"))
        self.assertEqual(docs.status_code, 200)
        self.assertNotIn(b"cdn", docs.content.lower())
        self.assertEqual(self.client.get(reverse("schema")).status_code, 200)

    def test_unknown_pages_answer_a_friendly_404(self):
        self.client.force_login(self.alice)
        response = self.client.get("/no-such-page/")
        self.assertContains(response, "could not find that page", status_code=404)

    def test_the_history_api_reports_who_changed_what(self):
        from rest_framework.test import APIClient

        self.college.region = "Ningbo"
        self.college._history_user = self.alice
        self.college.save()
        api = APIClient()
        api.force_authenticate(self.alice)
        rows = api.get(reverse("api:organization-history", args=[self.college.pk])).json()
        self.assertEqual(rows[0]["who"], str(self.alice))
        self.assertIn({"field": "region", "old": "Hangzhou", "new": "Ningbo"}, rows[0]["changes"])


def test_money_is_grouped_by_thousands_in_chinese_too():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("zh-hans"):
        assert intcomma("4550000.00") == "4,550,000.00"
