"""The one module that makes HTML safe to show. Nothing else imports bleach.

Lesson HTML is sanitised once, at publishing, and stored; pages show it as is.
So this allowlist is the whole of what an author (or an attacker who got an
author's account) can put on a member's screen. Keep it small.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from bleach.html5lib_shim import Filter, convert_entities
from bleach.sanitizer import Cleaner

# h1 is the lesson title, drawn by the page itself; a body never carries one.
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "del", "dl", "dt", "dd",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
EXTERNAL_LINK_REL = "noopener noreferrer"

# Heading ids carry a prefix so that no id can shadow a global the page's
# scripts use (DOM clobbering: <h2 id="location">).
HEADING_ID = re.compile(r"s-[a-z0-9-]{1,80}")  # whole value: used with fullmatch
_OL_START = re.compile(r"[0-9]{1,6}")
_ALIGNMENT = re.compile(r"left|center|right")
# What browsers ignore inside a URL before reading its scheme, as bleach strips it.
_URL_NOISE = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+")


def _any_value(_value: str) -> bool:
    return True  # bleach itself checks the scheme of href against ALLOWED_PROTOCOLS


def _whole(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


_ATTRIBUTE_RULES: dict[tuple[str, str], Callable[[str], bool]] = {
    ("a", "href"): _any_value,
    ("a", "title"): _any_value,
    ("th", "align"): _whole(_ALIGNMENT),
    ("td", "align"): _whole(_ALIGNMENT),
    ("ol", "start"): _whole(_OL_START),
    **{(f"h{level}", "id"): _whole(HEADING_ID) for level in range(2, 7)},
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    rule = _ATTRIBUTE_RULES.get((tag, name))
    return rule is not None and rule(value)


def is_external_url(href: str) -> bool:
    """True for http(s) URLs and protocol-relative ones (`//host`, which
    browsers also accept written with backslashes)."""
    url = _URL_NOISE.sub("", convert_entities(href)).lower().replace("\\", "/")
    return url.startswith(("http:", "https:", "//"))


class ExternalLinkFilter(Filter):
    """Adds rel="noopener noreferrer" to links that leave the site, so the page
    they open can neither script this tab nor learn which lesson linked it."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                href = token["data"].get((None, "href"))
                if href is not None and is_external_url(href):
                    token["data"][(None, "rel")] = EXTERNAL_LINK_REL
            yield token


def sanitize_html(html: str) -> str:
    """Keep only the allowlisted tags and attributes; drop the rest, keeping
    the text of dropped elements as plain (escaped) text."""
    # A Cleaner holds parser state and is not thread-safe; one costs ~0.1 ms.
    cleaner = Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[ExternalLinkFilter],
    )
    return cleaner.clean(html)
