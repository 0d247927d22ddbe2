"""Text formatting the way the Bot API server does it (HTML, MarkdownV2, Markdown).

Why: a bot that sends a stray ``<`` with ``parse_mode=HTML`` or an unescaped ``.``
with MarkdownV2 works against a lenient fake but fails against Telegram. These parsers
follow tdlib's ``parse_html`` / ``parse_markdown_v2`` / ``parse_markdown`` closely
enough to produce the same accept/reject decisions and error texts, plus the plain
text and entities (offsets in UTF-16 code units) that Telegram stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Entity = dict[str, object]

HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\r\n\v\f"
MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_URL_RE = re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}'。，；：！？）]")


class ParseError(ValueError):
    """A formatting error; ``str(err)`` is tdlib's text (without the Bot API prefix)."""


def utf16_len(text: str) -> int:
    """Telegram measures entity offsets in UTF-16 code units (emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def byte_offset(text: str, index: int) -> int:
    """tdlib reports error positions as UTF-8 byte offsets."""
    return len(text[:index].encode("utf-8"))


@dataclass
class _Builder:
    """Accumulates plain text and keeps a running UTF-16 length for entity offsets."""

    parts: list[str] = field(default_factory=list)
    pos16: int = 0
    length: int = 0
    entities: list[Entity] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.pos16 += utf16_len(text)
            self.length += len(text)

    def entity(self, kind: str, start16: int, **extra: object) -> None:
        if self.pos16 > start16:
            self.entities.append({"type": kind, "offset": start16, "length": self.pos16 - start16, **extra})

    def text(self) -> str:
        return "".join(self.parts)


def parse_text(text: str, parse_mode: str | None, entities: list[Entity] | None = None) -> tuple[str, list[Entity]]:
    """Return (plain text, entities) for a message text/caption, trimmed like Telegram does.

    Raises ParseError with tdlib's description when Telegram would reject the markup.
    """
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, ents = parse_html(text)
    elif mode == "markdownv2":
        plain, ents = parse_markdown_v2(text)
    elif mode == "markdown":
        plain, ents = parse_markdown(text)
    elif mode:
        raise ParseError("Unsupported parse_mode")
    else:
        plain, ents = text, [dict(e) for e in (entities or [])]
    return _trim(plain, ents)


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Telegram strips leading/trailing whitespace and clips entities to what remains."""
    stripped = text.strip(_SPACE)
    if stripped == text:
        return text, _sorted(entities)
    shift = utf16_len(text) - utf16_len(text.lstrip(_SPACE))
    total = utf16_len(stripped)
    out: list[Entity] = []
    for ent in entities:
        start = max(int(ent["offset"]) - shift, 0)  # type: ignore[call-overload]
        end = min(int(ent["offset"]) + int(ent["length"]) - shift, total)  # type: ignore[call-overload]
        if end > start:
            out.append({**ent, "offset": start, "length": end - start})
    return stripped, _sorted(out)


def _sorted(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -int(e["length"])))  # type: ignore[call-overload]


def _decode_html_entity(src: str, i: int) -> tuple[str, int] | None:
    """Decode ``&lt;``-style or numeric entity at src[i]; None means a literal '&'."""
    end = src.find(";", i + 1, i + 12)
    if end < 0:
        return None
    name = src[i + 1 : end]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], end + 1
    try:
        if name[:2] in ("#x", "#X"):
            code = int(name[2:], 16)
        elif name[:1] == "#":
            code = int(name[1:], 10)
        else:
            return None
        return chr(code), end + 1
    except (ValueError, OverflowError):
        return None


@dataclass
class _OpenTag:
    name: str
    start16: int
    byte_pos: int
    attrs: dict[str, str]
    text_len: int = 0
    language: str | None = None


def parse_html(src: str) -> tuple[str, list[Entity]]:
    """tdlib-compatible HTML parser: strict about tags, lenient about '&' and '>'."""
    out = _Builder()
    stack: list[_OpenTag] = []
    i, n = 0, len(src)
    while i < n:
        nxt = _next_special(src, i)
        if nxt > i:
            out.add(src[i:nxt])
            i = nxt
            continue
        if src[i] == "&":
            decoded = _decode_html_entity(src, i)
            out.add(decoded[0] if decoded else "&")
            i = decoded[1] if decoded else i + 1
        elif i + 1 < n and src[i + 1] == "/":
            i = _close_tag(src, i, stack, out)
        else:
            i = _open_tag(src, i, stack, out)
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return out.text(), out.entities


def _next_special(src: str, i: int) -> int:
    """Index of the next '<' or '&' at or after i (len(src) if none)."""
    lt, amp = src.find("<", i), src.find("&", i)
    candidates = [p for p in (lt, amp) if p >= 0]
    return min(candidates) if candidates else len(src)


def _open_tag(src: str, i: int, stack: list[_OpenTag], out: _Builder) -> int:
    begin, n = byte_offset(src, i), len(src)
    j = i + 1
    while j < n and src[j] not in _SPACE and src[j] != ">":
        j += 1
    if j >= n:
        raise ParseError(f"Unclosed start tag at byte offset {begin}")
    name = src[i + 1 : j].lower()
    if name not in HTML_TAGS:
        raise ParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
    attrs, j = _read_attrs(src, j, name, begin)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    stack.append(_OpenTag(name, out.pos16, begin, attrs, out.length))
    return j + 1


def _read_attrs(src: str, j: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Parse attributes up to the closing '>' of a start tag; returns (attrs, index of '>')."""
    attrs: dict[str, str] = {}
    n = len(src)
    while True:
        while j < n and src[j] in _SPACE:
            j += 1
        if j >= n:
            raise ParseError(f"Unclosed start tag at byte offset {begin}")
        if src[j] == ">":
            return attrs, j
        k = j
        while k < n and src[k] not in _SPACE and src[k] not in "=>":
            k += 1
        attr = src[j:k].lower()
        if not attr:
            raise ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while k < n and src[k] in _SPACE:
            k += 1
        if k >= n or src[k] != "=":
            attrs[attr] = ""  # boolean attribute such as <blockquote expandable>
            j = k
            continue
        value, j = _read_attr_value(src, k + 1, begin)
        attrs[attr] = value


def _read_attr_value(src: str, k: int, begin: int) -> tuple[str, int]:
    n = len(src)
    while k < n and src[k] in _SPACE:
        k += 1
    if k >= n:
        raise ParseError(f"Unclosed start tag at byte offset {begin}")
    if src[k] not in "'\"":
        start = k
        while k < n and (src[k].isalnum() or src[k] in ".-"):
            k += 1
        if k >= n or (src[k] not in _SPACE and src[k] != ">"):
            raise ParseError(f"Unexpected end of name token at byte offset {byte_offset(src, start)}")
        return src[start:k].lower(), k
    quote, k = src[k], k + 1
    end = src.find(quote, k)
    if end < 0:
        raise ParseError(f"Unclosed start tag at byte offset {begin}")
    raw = src[k:end]
    return _unescape_attr(raw), end + 1


def _unescape_attr(raw: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&" and (dec := _decode_html_entity(raw, i)):
            out.append(dec[0])
            i = dec[1]
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _close_tag(src: str, i: int, stack: list[_OpenTag], out: _Builder) -> int:
    begin, n = byte_offset(src, i), len(src)
    if not stack:
        raise ParseError(f"Unexpected end tag at byte offset {begin}")
    j = i + 2
    while j < n and src[j] not in _SPACE and src[j] != ">":
        j += 1
    name = src[i + 2 : j].lower()
    while j < n and src[j] in _SPACE:
        j += 1
    if j >= n or src[j] != ">":
        raise ParseError(f"Unclosed end tag at byte offset {begin}")
    top = stack.pop()
    if name != top.name:
        raise ParseError(f'Unmatched end tag at byte offset {begin}, expected "</{top.name}>", found "</{name}>"')
    _finish_tag(top, stack, out)
    return j + 1


def _finish_tag(tag: _OpenTag, stack: list[_OpenTag], out: _Builder) -> None:
    """Turn a closed tag into an entity; <pre><code class="language-x"> becomes one pre."""
    kind = _TAG_ENTITY[tag.name]
    if tag.name == "code" and stack and stack[-1].name == "pre" and stack[-1].start16 == tag.start16:
        cls = tag.attrs.get("class", "")
        if cls.startswith("language-") and len(cls) > 9:
            stack[-1].language = cls[9:]
        return
    if tag.name == "pre" and tag.language:
        out.entity("pre", tag.start16, language=tag.language)
    elif tag.name == "a":
        url = tag.attrs.get("href") or out.text()[tag.text_len :]
        if url and ("." in url or ":" in url):
            out.entity("text_link", tag.start16, url=url)
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        out.entity("expandable_blockquote", tag.start16)
    elif tag.name == "tg-emoji":
        if tag.attrs.get("emoji-id"):
            out.entity("custom_emoji", tag.start16, custom_emoji_id=tag.attrs["emoji-id"])
    else:
        out.entity(kind, tag.start16)


@dataclass
class _OpenMd:
    kind: str
    start16: int
    byte_pos: int
    text_len: int
    language: str | None = None


def _mdv2_closes(kind: str, src: str, i: int) -> bool:
    c, nxt = src[i], src[i + 1 : i + 2]
    return {
        "bold": c == "*",
        "italic": c == "_" and nxt != "_",
        "underline": c == "_" and nxt == "_",
        "strikethrough": c == "~",
        "spoiler": c == "|" and nxt == "|",
        "code": c == "`",
        "pre": src.startswith("```", i),
        "text_link": c == "]",
        "custom_emoji": c == "]",
    }[kind]


def parse_markdown_v2(src: str) -> tuple[str, list[Entity]]:
    """tdlib-compatible MarkdownV2: every reserved character outside markup must be escaped."""
    out = _Builder()
    stack: list[_OpenMd] = []
    quote_start: int | None = None
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if not stack and (i == 0 or src[i - 1] == "\n"):
            quote_start, i = _mdv2_line_start(src, i, out, quote_start)
            if i >= n:
                break
            c = src[i]
        if c == "\\" and i + 1 < n and 0 < ord(src[i + 1]) <= 126:
            out.add(src[i + 1])
            i += 2
            continue
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        reserved = "`" if in_code else MDV2_RESERVED
        if c not in reserved:
            out.add(c)
            i += 1
        elif stack and _mdv2_closes(stack[-1].kind, src, i):
            i = _mdv2_close(src, i, stack.pop(), out)
        else:
            i = _mdv2_open(src, i, stack, out)
    if quote_start is not None:
        _end_quote(out, quote_start)
    if stack:
        top = stack[-1]
        raise ParseError(f"Can't find end of {_MDV2_NAMES[top.kind]} entity at byte offset {top.byte_pos}")
    return out.text(), out.entities


def _mdv2_line_start(src: str, i: int, out: _Builder, quote_start: int | None) -> tuple[int | None, int]:
    """Handle '>' / '**>' blockquote markers at the beginning of a line."""
    marker = 3 if src.startswith("**>", i) else 1 if src.startswith(">", i) else 0
    if marker:
        if quote_start is None:
            quote_start = out.pos16
        return quote_start, i + marker
    if quote_start is not None:
        _end_quote(out, quote_start)
    return None, i


def _end_quote(out: _Builder, start16: int) -> None:
    text = out.text()
    trailing = len(text) - len(text.rstrip("\n"))
    end16 = out.pos16 - trailing
    if end16 > start16:
        out.entities.append({"type": "blockquote", "offset": start16, "length": end16 - start16})


def _mdv2_open(src: str, i: int, stack: list[_OpenMd], out: _Builder) -> int:
    c, nxt, begin = src[i], src[i + 1 : i + 2], byte_offset(src, i)
    simple = {"*": "bold", "~": "strikethrough", "[": "text_link"}
    if c in simple:
        kind, step = simple[c], 1
    elif c == "_":
        kind, step = ("underline", 2) if nxt == "_" else ("italic", 1)
    elif c == "|" and nxt == "|":
        kind, step = "spoiler", 2
    elif c == "!" and nxt == "[":
        kind, step = "custom_emoji", 2
    elif c == "`" and src.startswith("```", i):
        return _mdv2_open_pre(src, i, stack, out)
    elif c == "`":
        kind, step = "code", 1
    else:
        raise ParseError(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
    stack.append(_OpenMd(kind, out.pos16, begin, out.length))
    return i + step


def _mdv2_open_pre(src: str, i: int, stack: list[_OpenMd], out: _Builder) -> int:
    begin, n = byte_offset(src, i), len(src)
    i += 3
    end = i
    while end < n and src[end] not in _SPACE and src[end] != "`":
        end += 1
    language = None
    if end > i and end < n and src[end] != "`":
        language, i = src[i:end], end
    if i < n and src[i] in "\r\n":
        i += 2 if i + 1 < n and src[i + 1] in "\r\n" and src[i + 1] != src[i] else 1
    stack.append(_OpenMd("pre", out.pos16, begin, out.length, language))
    return i


def _mdv2_close(src: str, i: int, top: _OpenMd, out: _Builder) -> int:
    if top.kind in ("underline", "spoiler"):
        step = 2
    elif top.kind == "pre":
        step = 3
    elif top.kind in ("text_link", "custom_emoji"):
        return _mdv2_close_link(src, i, top, out)
    else:
        step = 1
    extra = {"language": top.language} if top.kind == "pre" and top.language else {}
    out.entity(top.kind, top.start16, **extra)
    return i + step


def _mdv2_close_link(src: str, i: int, top: _OpenMd, out: _Builder) -> int:
    n = len(src)
    if i + 1 >= n or src[i + 1] != "(":
        url = out.text()[top.text_len :]
        j = i + 1
    else:
        j = i + 2
        url_begin, chars = j, []
        while j < n and src[j] != ")":
            if src[j] == "\\" and j + 1 < n and 0 < ord(src[j + 1]) <= 126:
                chars.append(src[j + 1])
                j += 2
                continue
            chars.append(src[j])
            j += 1
        if j >= n:
            raise ParseError(f"Can't find end of a URL at byte offset {byte_offset(src, url_begin)}")
        url, j = "".join(chars), j + 1
    if top.kind == "custom_emoji":
        if not url.startswith("tg://emoji?id="):
            raise ParseError("Custom emoji entity must contain a tg://emoji URL")
        out.entity("custom_emoji", top.start16, custom_emoji_id=url.split("=", 1)[1])
    elif url and ("." in url or ":" in url):
        out.entity("text_link", top.start16, url=url)
    return j


def parse_markdown(src: str) -> tuple[str, list[Entity]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = _Builder()
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and src[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.add(src[i + 1])
            i += 2
        elif c not in "_*`[":
            out.add(c)
            i += 1
        else:
            i = _md_entity(src, i, out)
    return out.text(), out.entities


def _md_entity(src: str, i: int, out: _Builder) -> int:
    begin, n, c = i, len(src), src[i]
    end_char = "]" if c == "[" else c
    is_pre = c == "`" and src.startswith("```", i)
    i += 3 if is_pre else 1
    language = None
    if is_pre:
        end = i
        while end < n and src[end] not in _SPACE and src[end] != "`":
            end += 1
        if end > i and end < n and src[end] != "`":
            language, i = src[i:end], end
        if i < n and src[i] in "\r\n":
            i += 1
    start16 = out.pos16
    close = src.find("```" if is_pre else end_char, i)
    if close < 0:
        raise ParseError(f"Can't find end of the entity starting at byte offset {byte_offset(src, begin)}")
    inner = src[i:close]
    out.add(inner)
    i = close + (3 if is_pre else 1)
    if c == "[":
        url = inner
        if src[i : i + 1] == "(":
            url_end = src.find(")", i)
            if url_end >= 0:
                url, i = src[i + 1 : url_end], url_end + 1
        if "." in url or ":" in url:
            out.entity("text_link", start16, url=url)
    elif is_pre:
        out.entity("pre", start16, **({"language": language} if language else {}))
    else:
        out.entity({"_": "italic", "*": "bold", "`": "code"}[c], start16)
    return i


def detect_entities(text: str) -> list[Entity]:
    """Entities Telegram adds to a user's plain text: bot commands and URLs."""
    found: list[Entity] = []
    for regex, kind in ((_COMMAND_RE, "bot_command"), (_URL_RE, "url")):
        for m in regex.finditer(text):
            found.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
    return _sorted(found)
