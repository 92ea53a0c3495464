"""The grader speaks Chinese on the Chinese edition's sheets: check.language("zh").

Every mistake's name and advice in descent.check has a Chinese translation
(found in the source, so a new mistake without one fails here), and a
verdict is shown in the language chosen.
"""

from __future__ import annotations

import importlib
import re
import sys

import pytest

from book import ROOT
from descent import check
from descent.check.language import translate

sys.path.insert(0, str(ROOT / "tools"))
import check_strings  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
MODULES = [m for m in check_strings.modules() if check_strings.mistake_texts(m)]


@pytest.fixture
def chinese():
    check.language("zh")
    yield
    check.language("en")


@pytest.mark.parametrize("module", MODULES)
def test_every_mistake_of_a_module_is_translated(module):
    texts = check_strings.mistake_texts(module)
    try:
        catalogue = importlib.import_module(f"descent.check.zh.{module}").MESSAGES
    except ModuleNotFoundError:
        pytest.fail(f"no lib/descent/check/zh/{module}.py for its {len(texts)} texts")
    missing = [t for t in texts if t not in catalogue]
    assert not missing, f"{len(missing)} texts of descent.check.{module} have no Chinese: {missing[:3]}"
    assert not [t for t in catalogue if t not in texts], "translations of texts that no longer exist"
    prose = re.compile(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}")      # English words, not a formula
    untranslated = [english for english, chinese in catalogue.items()
                    if prose.search(english) and not CJK.search(chinese)]
    assert not untranslated, untranslated[:3]


def test_the_language_is_english_unless_asked_and_checked():
    assert check.language() == "en"
    with pytest.raises(ValueError, match="speaks en and zh, not 'fr'"):
        check.language("fr")
    assert check.language() == "en"


def test_a_mistake_is_shown_in_chinese(chinese):
    english, chinese_text = next(iter(importlib.import_module("descent.check.zh.optimizers")
                                      .MESSAGES.items()))
    shown = translate(f"❌ adam_step: {english}. More.")
    assert chinese_text in shown and english not in shown


def test_english_is_left_alone_in_english():
    message = "❌ adam_step: bias correction missing."
    assert translate(message) == message
