# Money in yuan reads best grouped by thousands with commas, as in Chinese financial
# documents (Django's own zh-Hans formats use no separator). Everything else follows
# Django's zh-Hans formats.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
