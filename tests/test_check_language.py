"""The grader speaks Chinese on the Chinese edition's sheets: check.language("zh").

Every English text of descent.check (a mistake's name and advice, a verdict,
a hint; found in the source, so a new text without Chinese fails here) has a
translation that keeps its placeholders, and every verdict the grader gives
on the catalogue of wrong solutions, on the reference solutions and on the
untouched stubs reads as Chinese, with no English sentence left.
"""

from __future__ import annotations

import importlib
import re
import sys

import pytest

from book import ROOT
from descent import check
from descent.check import feedback
from descent.check.language import Template, split_template, translate
from test_exercises import EXERCISES, function_name, read_notebook, solution_module, stub_cells
from wrong_implementations import CATALOGUE

sys.path.insert(0, str(ROOT / "tools"))
import check_strings  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
MODULES = [m for m in check_strings.modules() if any(check_strings.texts(m))]


@pytest.fixture
def chinese():
    check.language("zh")
    yield
    check.language("en")


def catalogue(module):
    return importlib.import_module(f"descent.check.zh.{module}")


@pytest.mark.parametrize("module", MODULES)
def test_every_text_of_a_module_is_translated(module):
    missing = check_strings.missing(module)
    count = sum(map(len, missing.values()))
    assert not count, (f"{count} texts of descent.check.{module} have no Chinese in "
                       f"lib/descent/check/zh/{module}.py; `python tools/check_strings.py --missing "
                       f"{module}` lists them: {missing}")


@pytest.mark.parametrize("module", MODULES)
def test_a_catalogue_translates_only_texts_that_exist_and_into_chinese(module):
    messages, templates = check_strings.texts(module)
    zh = catalogue(module)
    assert not [t for t in getattr(zh, "MESSAGES", {}) if t not in messages], \
        "translations of texts that are no longer in the module"
    assert not [t for t in getattr(zh, "TEMPLATES", {}) if t not in templates], \
        "translations of templates that are no longer in the module"
    entries = {**getattr(zh, "MESSAGES", {}), **getattr(zh, "TEMPLATES", {})}
    untranslated = [english for english, chinese in entries.items()
                    if check_strings.PROSE.search(english) and not CJK.search(chinese)]
    assert not untranslated, untranslated[:3]


def placeholders(template):
    return [text for text, is_placeholder in split_template(template) if is_placeholder]


@pytest.mark.parametrize("module", MODULES)
def test_a_template_keeps_its_placeholders(module):
    for english, chinese in getattr(catalogue(module), "TEMPLATES", {}).items():
        ours, theirs = placeholders(english), placeholders(chinese)
        assert set(ours) == set(theirs), (english, chinese)
        # A value at either end of the English is found up to the verdict's start or end:
        # the Chinese keeps it there.
        english_parts, chinese_parts = split_template(english), split_template(chinese)
        for end in (0, -1):
            if english_parts[end][1]:
                assert chinese_parts[end] == english_parts[end], (english, chinese)


def test_the_same_text_has_one_translation():
    seen = {}
    for module in MODULES:
        zh = catalogue(module)
        for english, chinese in {**getattr(zh, "MESSAGES", {}), **getattr(zh, "TEMPLATES", {})}.items():
            assert seen.setdefault(english, chinese) == chinese, (module, english)


def test_the_language_is_english_unless_asked_and_checked():
    assert check.language() == "en"
    with pytest.raises(ValueError, match="speaks en and zh, not 'fr'"):
        check.language("fr")
    assert check.language() == "en"


def test_a_verdict_made_in_english_is_shown_in_chinese_after_the_switch(chinese):
    check.language("en")                 # e.g. made in a process that spoke English
    result = check.mse_loss(lambda input, target: None)
    assert result.message.startswith("❌ mse_loss returned None")
    check.language("zh")
    assert CJK.search(repr(result)) and "returned None" not in repr(result)
    assert CJK.search(check.mse_loss(lambda input, target: None).message)


def test_english_is_left_alone_in_english():
    message = "❌ adam_step: bias correction missing."
    assert translate(message) == message


def test_a_template_puts_the_values_where_the_chinese_wants_them():
    template = Template.compile("{name} returned shape {got}; expected {expected}.",
                                "{name} 应返回形状 {expected}，却返回了 {got}。")
    assert (template.apply("❌ mse_loss returned shape (3,); expected (3, 1). Look.")
            == "❌ mse_loss 应返回形状 (3, 1)，却返回了 (3,)。 Look.")
    repeated = Template.compile("keeps `{alias}` itself; store `{alias}.clone()`.",
                                "保存了 `{alias}` 本身；请保存 `{alias}.clone()`。")
    assert repeated.apply("x keeps `grad` itself; store `grad.clone()`.") == \
        "x 保存了 `grad` 本身；请保存 `grad.clone()`。"
    number = Template.compile("the test loss is {loss:.3f}.", "测试损失为 {loss:.3f}。")
    assert number.apply("Done: the test loss is 1.222.") == "Done: 测试损失为 1.222。"
    value = Template.compile("{name} is {x}.", "{name} 是 {x}。")   # a period ends at a sentence
    assert value.apply("❌ f is 2.5.") == "❌ f 是 2.5。"
    assert value.apply("❌ f is torch.float32. Next.") == "❌ f 是 torch.float32。 Next."
    assert split_template("a {{b}} {c[{0: 1}[0]]:.2f}") == [("a {b} ", False),
                                                           ("{c[{0: 1}[0]]:.2f}", True)]


# ---------------------------------------------------------------------------
# Every verdict in Chinese
# ---------------------------------------------------------------------------

# Code, math and quoted values (an answer the learner returns, such as 'test rises').
CODE = re.compile(r"`[^`]*`|\$[^$]*\$|(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])")
# English words (3 letters or more) in a row, outside code: a sentence left untranslated.
ENGLISH = re.compile(r"\b[A-Za-z]{3,}(?:[ ,;:'-]+[A-Za-z]{2,}){2,}\b")
# What a verdict quotes as it is: the error the learner's code raised (Python's or torch's words).
RAISED = re.compile(r"引发了 \w+：.*?(?=（位于|$)", re.S)


def english_left(message):
    return ENGLISH.findall(RAISED.sub(" ", CODE.sub(" ", message)))


@pytest.fixture(scope="module")
def verdicts():
    """The grader's verdict in Chinese on every catalogued wrong solution, every reference
    solution and every untouched stub."""
    from descent.check import distributed
    found = []
    check.language("zh")
    saved, feedback.SECONDS = feedback.SECONDS, 1.0
    try:
        together = [f for c, _, f in CATALOGUE if c == "average_gradients"]
        graded = dict(zip(together, distributed.grade_average(together)))
        for check_name, mistake, function in CATALOGUE:
            result = graded[function] if function in graded else getattr(check, check_name)(function)
            assert repr(result) == result.message
            found.append((f"{check_name}-{function.__name__}", result.message))
        for path, name in EXERCISES:
            found.append((f"{name}-solution", getattr(check, name)(
                getattr(solution_module(path), name)).message))
            cell = next(c for c in stub_cells(read_notebook(path))
                        if function_name(c["source"]) == name)
            namespace = {}
            exec("".join(cell["source"]), namespace)
            found.append((f"{name}-stub", getattr(check, name)(namespace[name]).message))
    finally:
        feedback.SECONDS = saved
        check.language("en")
    return found


def test_every_verdict_reads_as_chinese(verdicts):
    english = [(case, english_left(message), message) for case, message in verdicts
               if english_left(message) or not CJK.search(message)]
    assert not english, "\n\n".join(f"{case}: {words}\n{message}" for case, words, message in english[:10]) \
        + f"\n\n({len(english)} verdicts with English left)"
