"""A newcomer's first minutes: ``make run PORT=8010`` serves that port and the emails'
links follow it; ``seed_demo`` says in one line what it loaded and sends no email; the
README says what waits for each demo account."""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from accounts.demo import ACCOUNTS
from portal.models import Notification

ROOT = Path(settings.BASE_DIR)


def make_dry_run(*arguments: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


class TestMakeRun(SimpleTestCase):
    def setUp(self):
        if shutil.which("make") is None:
            self.skipTest("make is not installed")

    def test_it_serves_port_8000_by_default(self):
        commands = make_dry_run()
        self.assertIn("runserver 127.0.0.1:8000", commands)
        self.assertIn("SITE_URL=http://127.0.0.1:8000", commands)

    def test_port_chooses_the_port_and_the_links_in_emails(self):
        commands = make_dry_run("PORT=8010")
        self.assertIn("runserver 127.0.0.1:8010", commands)
        for line in commands.splitlines():
            if "manage.py" in line:  # migrate, seed_demo and runserver alike
                self.assertIn("SITE_URL=http://127.0.0.1:8010", line)

    def test_the_settings_take_the_site_url_from_the_environment(self):
        code = "import django; django.setup(); from django.conf import settings; "
        code += "print(settings.SITE_URL)"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SITE_URL": "http://127.0.0.1:8010/",
        }
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        self.assertEqual(result.stdout.strip().splitlines()[-1], "http://127.0.0.1:8010")


class TestSeedDemo(TestCase):
    def test_it_says_in_one_line_what_it_loaded_and_sends_no_email(self):
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            call_command("seed_demo", stdout=out)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], r"^Demo data loaded: 6 organizations, \d+ users, ")
        self.assertIn("agreements", lines[0])
        self.assertIn("demo-pass-2026", lines[0])
        # The demo's notifications are in the bell, and none is emailed.
        self.assertTrue(Notification.objects.exists())
        self.assertFalse(Notification.objects.filter(email_pending=True).exists())
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])

        again = StringIO()
        call_command("seed_demo", stdout=again)
        self.assertIn("nothing new", again.getvalue())
        self.assertEqual(len(again.getvalue().strip().splitlines()), 1)

    def test_verbosity_2_lists_each_record(self):
        out = StringIO()
        call_command("seed_demo", stdout=out, verbosity=2)
        self.assertIn("created user college", out.getvalue())

    def test_notifications_outside_the_seed_are_still_emailed(self):
        from portal.notifications import notify
        from tests.factories import OrganizationFactory, member

        person = member(OrganizationFactory())
        call_command("seed_demo", stdout=mock.MagicMock())
        with self.captureOnCommitCallbacks(execute=True):
            notify(recipients=[person], title="After the seed")
        self.assertEqual([m.subject for m in mail.outbox], ["After the seed"])


class TestReadme(SimpleTestCase):
    def test_the_demo_table_says_what_waits_for_each_account(self):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        table = readme[readme.index("## Demo accounts") :].split("\n\n")[2]
        header, _rule, *rows = table.strip().splitlines()
        self.assertIn("waiting", header.casefold())
        cells = {}
        for row in rows:
            name, *rest = [cell.strip() for cell in row.strip("|").split("|")]
            cells[name.strip("`")] = rest
        for username, *_rest in [*ACCOUNTS, ("admin",)]:
            self.assertIn(username, cells)
            self.assertTrue(re.search(r"\w", cells[username][-1]), username)
