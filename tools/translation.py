"""The Chinese edition (``zh/``): make, check and update translated pages.

A translated notebook is the English notebook with its markdown (and figure
captions and alt text) in Chinese: the same cells in the same order, the same
code, the same stored outputs. (An exercise sheet's setup cell also sets the
grader's language, and its checks' stored verdicts are the grader's Chinese for
the English ones: see ``chinese_code``.) Each translated markdown cell records the
SHA-256 of the English source it was translated from, and that source, in its
metadata (``translation``), so that a change to the English text is noticed
(``tests/test_translation.py``) and shown (``diff``). A markdown page
(``.md``) records the same for the whole page in ``zh/_sources/``.

Usage (from the repository root)::

    python tools/translation.py sync chapters/background.ipynb
        # create zh/chapters/background.ipynb, or bring its code, outputs and
        # cell structure up to date; translated cells whose English has not
        # changed are kept, the others keep their old translation, marked stale
    python tools/translation.py mark zh/chapters/background.ipynb
        # after translating or updating cells: record the English they now match
    python tools/translation.py status
        # every page: missing, untranslated or stale cells
    python tools/translation.py diff zh/chapters/background.ipynb
        # what changed in the English of each stale cell since its translation
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZH = ROOT / "zh"
SOURCES = ZH / "_sources"          # the English of each translated .md page, as translated
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Code-cell metadata that is translated: the figure's caption and alt text.
TRANSLATED_METADATA = (("mystnb", "figure", "caption"), ("mystnb", "image", "alt"))
#: What a Chinese exercise sheet adds to its setup cell: the grader answers in Chinese.
LANGUAGE_LINE = 'check.language("zh")  # 判题反馈用中文'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def english_of(zh_path: Path) -> Path:
    """``zh/chapters/x.ipynb`` → ``chapters/x.ipynb``."""
    return ROOT / Path(zh_path).resolve().relative_to(ZH)


def chinese_of(en_path: Path) -> Path:
    """``chapters/x.ipynb`` → ``zh/chapters/x.ipynb``."""
    return ZH / Path(en_path).resolve().relative_to(ROOT)


def get(mapping: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if not isinstance(mapping, dict) or key not in mapping:
            return None
        mapping = mapping[key]
    return mapping if isinstance(mapping, str) else None


def put(mapping: dict, keys: tuple[str, ...], value: str) -> None:
    for key in keys[:-1]:
        mapping = mapping.setdefault(key, {})
    mapping[keys[-1]] = value


def texts(cell: dict) -> dict[str, str]:
    """The translatable texts of a cell: ``{"source": ...}`` or its caption and alt text."""
    if cell["cell_type"] == "markdown":
        return {"source": source(cell)}
    found = {}
    for keys in TRANSLATED_METADATA:
        value = get(cell.get("metadata", {}), keys)
        if value is not None:
            found[".".join(keys)] = value
    return found


# --- what a translation must keep from the English ---------------------------------------

MARKUP = [
    re.compile(r"\$\$.*?\$\$", re.S),                                   # display math
    re.compile(r"(?<![$\\])\$(?!\$)(?:[^$\n]|\n(?![ \t]*\n))+?(?<!\\)\$(?!\$)"),  # inline math
    re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S),                  # amsmath environments
    re.compile(r"\{(?:glue:text|glue:math|glue|cite|cite:p|cite:t|eq|download)\}`[^`]*`"),
    re.compile(r"^\([\w.:-]+\)=[ \t]*$", re.M),                          # labels
    re.compile(r"(?<![}`])`[^`\n]+`(?!`)"),                                # inline code
]
#: Roles whose shown text may be translated: only the target must stay.
TITLED = re.compile(r"\{(term|doc|ref|numref)\}`([^`]*)`")
FENCE = re.compile(r"^(`{3,}|:{3,})(.*)$")
OPTION = re.compile(r"^\s*:([\w-]+):(.*)$")


def split_fences(text: str) -> tuple[list[str], str]:
    """Code blocks and directive labels (to keep), and the text without any fence.

    A directive's opening line (its name and argument, e.g. a
    ``literalinclude`` path, which moves in zh/) and its options are
    dropped, except ``:label:`` and ``:name:``; the prose inside stays.
    """
    kept, prose, lines, open_directives = [], [], text.split("\n"), []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i].strip())
        if fence is None:
            prose.append(lines[i])
            i += 1
            continue
        marker, rest = fence.group(1), fence.group(2).strip()
        if rest.startswith("{"):                                   # a directive opens
            open_directives.append(marker)
            i += 1
            while i < len(lines) and OPTION.match(lines[i]):
                key, value = OPTION.match(lines[i]).groups()
                if key in ("label", "name"):
                    kept.append(f":{key}: {value.strip()}")
                i += 1
        elif not rest and open_directives and marker == open_directives[-1]:
            open_directives.pop()                                  # it closes
            i += 1
        else:                                                      # a code block: kept whole
            end = i + 1
            while end < len(lines) and lines[end].strip() != marker:
                end += 1
            kept.append("\n".join(lines[i:end + 1]).strip())
            i = end + 1
    return kept, "\n".join(prose)


def markup_and_prose(text: str) -> tuple[list[str], str]:
    found, text = split_fences(text)
    for m in TITLED.finditer(text):
        target = re.search(r"<([^<>]+)>\s*$", m.group(2))
        found.append(f"{{{m.group(1)}}} " + (target.group(1) if target else m.group(2)).strip())
    text = TITLED.sub(" ", text)
    for pattern in MARKUP:
        found += [m.group(0).strip() for m in pattern.finditer(text)]
        text = pattern.sub(" ", text)
    return sorted(found), text


def markup(text: str) -> list[str]:
    """What a translation must keep as it is: math, code, roles' targets, labels (sorted).

    Roles that show text (``{term}``, ``{doc}``, ``{ref}``, ``{numref}``) may
    show Chinese, ``{term}`学习率 <learning rate>```: only their target must
    stay. A directive's argument may change (a path one folder deeper).
    """
    return markup_and_prose(text)[0]


def looks_translated(text: str) -> bool:
    """Chinese characters, or nothing to translate (only math, code, references, directives)."""
    return bool(CJK.search(text)) or not re.search(r"[A-Za-z]", markup_and_prose(text)[1])


def markup_difference(english: str, chinese: str) -> str | None:
    """None when the translation keeps the English's math, code and references; else what differs."""
    en, zh = markup(english), markup(chinese)
    if en == zh:
        return None
    missing = [x for x in en if en.count(x) > zh.count(x)]
    extra = [x for x in zh if zh.count(x) > en.count(x)]
    return f"missing {sorted(set(missing))[:3]}, extra {sorted(set(extra))[:3]}"


# --- what a translated notebook must keep from the English one ------------------------

def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def chinese_code(en: dict) -> tuple[str, list]:
    """The source and stored outputs the Chinese copy of the code cell ``en`` must have.

    The English ones, except on an exercise sheet: its setup cell also sets the
    grader's language (``LANGUAGE_LINE``), and each check's stored verdict is the
    grader's own Chinese for it (:func:`descent.check.language.translate`), which
    is what running the Chinese sheet prints.
    """
    code, outputs = source(en), copy.deepcopy(en.get("outputs", []))
    if "exercise-setup" in tags(en):
        code = code.rstrip("\n") + "\n\n" + LANGUAGE_LINE
    if "exercise-check" in tags(en):
        from descent.check.language import translate
        for output in outputs:
            for place, key in ((output.get("data", {}), "text/plain"), (output, "text")):
                if key in place:
                    text = "".join(place[key]) if isinstance(place[key], list) else place[key]
                    place[key] = translate(text, to="zh").splitlines(keepends=True)
    return code, outputs


def problems(zh_path: Path) -> list[str]:
    """Everything in ``zh_path`` that has drifted from its English notebook, one line each."""
    english, chinese = read(english_of(zh_path)), read(zh_path)
    name = Path(zh_path).resolve().relative_to(ROOT)
    en_cells, zh_cells = english["cells"], chinese["cells"]
    kinds = [c["cell_type"] for c in en_cells], [c["cell_type"] for c in zh_cells]
    if kinds[0] != kinds[1]:
        return [f"{name}: the cells differ in number, order or kind from the English "
                f"({len(en_cells)} cells there, {len(zh_cells)} here); run "
                f"`python tools/translation.py sync {english_of(zh_path).relative_to(ROOT)}`"]
    found = []
    for index, (en, zh) in enumerate(zip(en_cells, zh_cells)):
        where = f"{name}, cell {index}"
        if en["cell_type"] == "code":
            code, outputs = chinese_code(en)
            if code != source(zh):
                found.append(f"{where}: the code differs from the English")
            if outputs != zh.get("outputs"):
                found.append(f"{where}: the stored outputs differ from the English")
            if tags(en) != tags(zh):
                found.append(f"{where}: the tags differ from the English")
        record = zh.get("metadata", {}).get("translation", {})
        for key, text in texts(en).items():
            done = record.get(key)
            if done is None:
                found.append(f"{where}: {key} is not translated yet")
            elif done["sha256"] != sha256(text):
                found.append(f"{where}: the English {key} changed since it was translated; "
                             f"see `python tools/translation.py diff {name}`")
            else:
                differs = markup_difference(text, texts(zh).get(key, ""))
                if differs:
                    found.append(f"{where}: the {key}'s math, code or references differ from "
                                 f"the English: {differs}")
    return found


def page_problems(zh_page: Path) -> list[str]:
    """The same for a markdown page: translated, from the English as it is now, and with
    the English's math, code and references."""
    name = Path(zh_page).resolve().relative_to(ROOT)
    english = english_of(zh_page)
    recorded = SOURCES / english.relative_to(ROOT)
    if not recorded.exists():
        return [f"{name}: not translated yet (no {recorded.relative_to(ROOT)})"]
    text = english.read_text(encoding="utf-8")
    if recorded.read_text(encoding="utf-8") != text:
        return [f"{name}: the English changed since it was translated; "
                f"see `python tools/translation.py diff {name}`"]
    differs = markup_difference(text, Path(zh_page).read_text(encoding="utf-8"))
    if differs:
        return [f"{name}: the math, code or references differ from the English: {differs}"]
    return []


# --- the commands -----------------------------------------------------------------------

def sync(en_path: Path) -> Path:
    """Create or update the Chinese notebook of ``en_path``; return its path.

    Code cells are copied whole (source, outputs, metadata) except their
    translated caption and alt text. A Chinese cell is matched to an English
    one by its cell id; a cell with no Chinese counterpart gets the English
    text, untranslated. Translations are never thrown away: one whose English
    changed is kept, and ``problems`` reports it as stale.
    """
    en_path = Path(en_path).resolve()
    zh_path = chinese_of(en_path)
    english = read(en_path)
    old = {cell.get("id"): cell for cell in read(zh_path)["cells"]} if zh_path.exists() else {}
    cells = []
    for en in english["cells"]:
        zh = old.get(en.get("id"))
        if en["cell_type"] == "markdown":
            cell = copy.deepcopy(zh if zh is not None and zh["cell_type"] == "markdown" else en)
        else:
            cell = copy.deepcopy(en)
            code, cell["outputs"] = chinese_code(en)
            if code != source(en):
                cell["source"] = code.splitlines(keepends=True)
            if zh is not None:
                for keys in TRANSLATED_METADATA:
                    value = get(zh.get("metadata", {}), keys)
                    if value is not None and get(cell["metadata"], keys) is not None:
                        put(cell["metadata"], keys, value)
                if "translation" in zh.get("metadata", {}):
                    cell["metadata"]["translation"] = zh["metadata"]["translation"]
        cell["id"] = en.get("id", cell.get("id"))
        cells.append(cell)
    notebook = copy.deepcopy(english)
    notebook["cells"] = cells
    write(zh_path, notebook)
    return zh_path


def mark(zh_path: Path) -> list[int]:
    """Record, for every translated text of ``zh_path``, the English it now matches.

    A text counts as translated when it contains Chinese characters or has
    no letters at all (an equation). Returns the indices of the cells that
    still look untranslated.
    """
    zh_path = Path(zh_path).resolve()
    english, chinese = read(english_of(zh_path)), read(zh_path)
    untranslated = []
    for index, (en, zh) in enumerate(zip(english["cells"], chinese["cells"])):
        record = zh.setdefault("metadata", {}).setdefault("translation", {})
        for key, text in texts(en).items():
            translated = texts(zh).get(key, "")
            if looks_translated(translated):
                record[key] = {"sha256": sha256(text), "english": text}
            elif key not in record:
                untranslated.append(index)
        if not record:
            del zh["metadata"]["translation"]
    write(zh_path, chinese)
    return untranslated


def mark_page(zh_page: Path) -> None:
    """Record the English of a translated markdown page as it is now."""
    english = english_of(zh_page)
    recorded = SOURCES / english.relative_to(ROOT)
    recorded.parent.mkdir(parents=True, exist_ok=True)
    recorded.write_text(english.read_text(encoding="utf-8"), encoding="utf-8")


def diff(zh_path: Path) -> str:
    """What changed in the English since each stale text was translated, as unified diffs."""
    zh_path = Path(zh_path).resolve()
    english = english_of(zh_path)
    if zh_path.suffix == ".md":
        recorded = SOURCES / english.relative_to(ROOT)
        before = recorded.read_text(encoding="utf-8") if recorded.exists() else ""
        return "".join(difflib.unified_diff(
            before.splitlines(keepends=True), english.read_text(encoding="utf-8").splitlines(keepends=True),
            "English when translated", "English now"))
    out = []
    for index, (en, zh) in enumerate(zip(read(english)["cells"], read(zh_path)["cells"])):
        record = zh.get("metadata", {}).get("translation", {})
        for key, text in texts(en).items():
            done = record.get(key)
            if done is not None and done["sha256"] != sha256(text):
                out.append(f"=== cell {index}, {key}\n")
                out += difflib.unified_diff(done["english"].splitlines(keepends=True),
                                            text.splitlines(keepends=True),
                                            "English when translated", "English now")
                out.append("\n")
    return "".join(out)


def translated_pages() -> list[Path]:
    return sorted(p for p in ZH.rglob("*") if p.suffix in (".ipynb", ".md")
                  and "_build" not in p.parts and "_sources" not in p.parts
                  and ".ipynb_checkpoints" not in p.parts)


def status() -> list[str]:
    lines = []
    for page in translated_pages():
        if english_of(page).exists():
            lines += problems(page) if page.suffix == ".ipynb" else page_problems(page)
    return lines


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("sync", "mark", "status", "diff"):
        print(__doc__)
        return 2
    command, paths = argv[0], [Path(p) for p in argv[1:]]
    if command == "sync":
        for path in paths:
            print(sync(path).relative_to(ROOT))
    elif command == "mark":
        for path in paths:
            if path.suffix == ".md":
                mark_page(path)
            else:
                left = mark(path)
                if left:
                    print(f"{path}: cells {left} still look untranslated")
    elif command == "diff":
        for path in paths:
            print(diff(path), end="")
    else:
        lines = status()
        print("\n".join(lines) if lines else "every translated page is up to date")
        return 1 if lines else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
