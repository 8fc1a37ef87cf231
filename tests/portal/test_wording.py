"""Chinese reads as Chinese: full-width punctuation in the catalogue, lists joined with
"、", money grouped by thousands in both languages."""

import gettext
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from discovery.models import CooperationNeed
from portal.management.commands.zh_punctuation import fix_catalogue, full_width
from portal.money import format_money, money_lazy
from portal.wording import join_words, joined_later

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
HALF_WIDTH_AFTER_HAN = re.compile(rf"[{HAN}](, |: |; )")


class TestChinesePunctuation(SimpleTestCase):
    def test_the_compiled_catalogue_has_no_half_width_punctuation_after_chinese(self):
        with (CATALOGUE / "django.mo").open("rb") as mo:
            catalogue = gettext.GNUTranslations(mo)._catalog
        offending = [
            text
            for text in catalogue.values()
            if isinstance(text, str) and HALF_WIDTH_AFTER_HAN.search(text)
        ]
        self.assertEqual(offending, [])
        self.assertGreater(len(catalogue), 1000)  # the real catalogue, not an empty one

    def test_the_catalogue_source_needs_no_fixing(self):
        out = StringIO()
        call_command("zh_punctuation", "--check", stdout=out)
        self.assertIn("full-width", out.getvalue())

    def test_the_fix_changes_only_punctuation_next_to_chinese(self):
        self.assertEqual(full_width("院校, 企业"), "院校，企业")
        self.assertEqual(full_width("截止日期: %(date)s"), "截止日期：%(date)s")
        self.assertEqual(full_width("%(name)s: 已签署"), "%(name)s：已签署")
        self.assertEqual(full_width("甲方; 乙方"), "甲方；乙方")
        self.assertEqual(full_width("{date} 14:30, {place}"), "{date} 14:30, {place}")

    def test_the_fix_leaves_msgids_and_yesno_arguments_alone(self):
        source = "\n".join(
            [
                'msgid "Colleges, enterprises"',
                'msgstr "院校, 企业"',
                "",
                'msgid "Yes,No"',
                'msgstr "是,否"',
                "",
                'msgid ""',
                '"Long: "',
                '"text"',
                'msgstr ""',
                '"第一行: "',
                '"第二行"',
                "",
            ]
        )
        fixed, changed = fix_catalogue(source)
        self.assertEqual(changed, 2)
        self.assertIn('msgid "Colleges, enterprises"\nmsgstr "院校，企业"', fixed)
        self.assertIn('msgstr "是,否"', fixed)
        self.assertIn('"Long: "', fixed)
        self.assertIn('"第一行："', fixed)


class TestListsAndMoney(SimpleTestCase):
    def test_a_list_reads_with_the_languages_separator(self):
        with translation.override("en"):
            self.assertEqual(join_words(["College", "Enterprise"]), "College, Enterprise")
        with translation.override("zh-hans"):
            self.assertEqual(join_words(["院校", "企业"]), "院校、企业")

    def test_a_lazy_list_is_joined_in_the_readers_language(self):
        from accounts.models import OrganizationKind

        names = joined_later([OrganizationKind.COLLEGE.label, OrganizationKind.ENTERPRISE.label])
        with translation.override("zh-hans"):
            self.assertEqual(str(names), "院校、企业")
        with translation.override("en"):
            self.assertEqual(str(names), "College, Enterprise")

    def test_a_needs_audience_reads_院校_企业_in_chinese(self):
        need = CooperationNeed(audience_kinds=",college,enterprise,")
        with translation.override("zh-hans"):
            self.assertEqual(need.audience_label, "院校、企业")

    def test_the_join_list_filter(self):
        template = Template("{% load portal_wording %}{{ items|join_list }}")
        with translation.override("zh-hans"):
            html = template.render(Context({"items": ["数控加工", "<b>焊接</b>"]}))
        self.assertEqual(html, "数控加工、&lt;b&gt;焊接&lt;/b&gt;")

    def test_money_is_grouped_in_english_and_in_chinese(self):
        for language in ("en", "zh-hans"):
            with translation.override(language):
                self.assertEqual(format_money(Decimal("300000")), "300,000.00")
                self.assertEqual(format_money("1234567.5"), "1,234,567.50")
                self.assertEqual(format_money(None), "")
        lazy = money_lazy(Decimal("300000"))
        with translation.override("zh-hans"):
            self.assertEqual(str(lazy), "300,000.00")
