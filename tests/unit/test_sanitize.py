"""Hostile Markdown and HTML must come out inert.

Every output is parsed again the way a browser would (html5lib, the parser
bleach itself uses) and its tree is checked against the allowlist written out
here, independently of the implementation's own constants.
"""
from __future__ import annotations

import html as html_module
import re
from xml.etree.ElementTree import Element

import pytest
from bleach._vendor import (
    html5lib,  # bleach's own HTML5 parser: reads markup as browsers do
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.lessons.authoring import render_inline, render_markdown, sanitize_html

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "del", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {
    ("a", "href"), ("a", "title"), ("a", "rel"), ("th", "align"), ("td", "align"), ("ol", "start"),
    *((f"h{level}", "id") for level in range(2, 7)),
}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Browsers drop these anywhere in a URL (tab, newline) or around it (C0 controls, space).
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]")
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def parse_fragment(html: str) -> Element:
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def elements(html: str) -> list[Element]:
    root = parse_fragment(html)
    return [element for element in root.iter() if element is not root]


def browser_url(href: str) -> str:
    """The URL as a browser reads it: html5lib has already decoded the entities
    of the attribute; browsers also drop invisible characters, read `\\` as `/`."""
    return URL_NOISE.sub("", href).lower().replace("\\", "/")


def assert_safe(html: str) -> None:
    """Fail unless every element, attribute and URL of html is allowlisted."""
    for element in elements(html):
        assert isinstance(element.tag, str), f"comment or processing instruction in {html!r}"
        assert element.tag in ALLOWED_TAGS, f"<{element.tag}> in {html!r}"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name} in {html!r}"
            assert name.lower() != "style", f"style attribute in {html!r}"
            assert (element.tag, name) in ALLOWED_ATTRIBUTES, f"{name} on <{element.tag}> in {html!r}"
        assert_safe_values(element, html)


def assert_safe_values(element: Element, html: str) -> None:
    if element.get("id") is not None:
        assert re.fullmatch(r"s-[a-z0-9-]{1,80}", element.get("id")), f"heading id in {html!r}"
    if element.get("align") is not None:
        assert element.get("align") in {"left", "center", "right"}, html
    if element.get("start") is not None:
        assert element.get("start").isdigit(), html
    href = element.get("href")
    if href is None:
        return
    url = browser_url(href)
    scheme = SCHEME.match(url)
    assert scheme is None or scheme[1] in SAFE_SCHEMES, f"unsafe URL {href!r} in {html!r}"
    if url.startswith(("http:", "https:", "//")):
        assert {"noopener", "noreferrer"} <= set((element.get("rel") or "").split()), f"external link without rel in {html!r}"


def outputs(source: str) -> list[str]:
    """Every way a hostile text reaches a page."""
    return [sanitize_html(source), render_markdown(source)[0], render_inline(source)]


HOSTILE = [
    # scripts and event handlers
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math href="javascript:alert(1)">x</math>',
    "<a href=x onmouseover=alert(1)>x</a>",
    '<p onclick="alert(1)">x</p>',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<table><tr><td align=left onclick=alert(1)>x</td></tr></table>",
    # javascript: and friends, plain and disguised
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#10;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="jav\nascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    # attribute syntax (attr_list is not enabled: it must stay text)
    'Đoạn văn {: onclick="alert(1)" }',
    "## Tiêu đề {: #location onclick=alert(1) }",
    '{: style="color:red" }\n\nĐoạn',
    # elements that are never allowed
    "<iframe src=https://evil.example></iframe>",
    "<object data=x.swf></object>",
    "<embed src=x.swf>",
    "<form action=https://evil.example><input name=p><button formaction=javascript:alert(1)>x</button></form>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<p style="position:fixed;top:0">x</p>',
    "<div><span>x</span></div>",
    "<h1>Tiêu đề khác</h1>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    # parser confusion (mXSS)
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    '<a title="a"onmouseover="alert(1)" href="https://x">x</a>',
    # titles and ids
    '[a](http://x "t\\" onmouseover=\\"alert(1)")',
    "[a](http://x 't' onmouseover='alert(1)')",
    '<h2 id="location">x</h2>',
    '<h2 id="s-ok onclick=alert(1)">x</h2>',
    '<h2 id="s-ok\n">x</h2>',
    '<h3 id="' + "s-" + "a" * 81 + '">x</h3>',
    '<ol start="1 onclick=alert(1)"><li>x</li></ol>',
    '<table><tr><td align="justify">x</td></tr></table>',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_comes_out_safe(source):
    for output in outputs(source):
        assert_safe(output)


@pytest.mark.parametrize("bad", [
    "<script>alert(1)</script>",
    "<p onclick=x>x</p>",
    '<p style="x">x</p>',
    "<!-- note -->",
    "<svg></svg>",
    "<h1>x</h1>",
    '<h2 id="location">x</h2>',
    '<a href="jav&#9;ascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="https://e.example">x</a>',
    '<a href="//e.example" rel="noopener">x</a>',
    '<table><tr><td align="justify">x</td></tr></table>',
    '<ol start="x"><li>a</li></ol>',
])
def test_assert_safe_catches_unsafe_html(bad):
    """The checker itself is real: it fails on what it must reject."""
    with pytest.raises(AssertionError):
        assert_safe(bad)


def only_element(html: str, tag: str) -> Element:
    found = [element for element in elements(html) if element.tag == tag]
    assert len(found) == 1, html
    return found[0]


@pytest.mark.parametrize("source", [
    '<a href="&#106;avascript:alert(1)">x</a>', '<a href="jav\tascript:x">x</a>', '<a href="data:text/html,x">x</a>',
])
def test_unsafe_html_links_keep_their_text_but_lose_the_href(source):
    for output in outputs(source):
        link = only_element(output, "a")
        assert link.attrib == {} and link.text == "x"


@pytest.mark.parametrize("source", ["[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](vbscript:x)"])
def test_unsafe_markdown_links_keep_their_text_but_lose_the_href(source):
    for output in (render_markdown(source)[0], render_inline(source)):
        link = only_element(output, "a")
        assert link.attrib == {} and link.text == "x"


def test_attribute_syntax_stays_visible_text():
    html, sections = render_markdown('Đoạn văn {: onclick="alert(1)" }\n\n## Tiêu đề {: #location }')
    paragraph = only_element(html, "p")
    assert paragraph.attrib == {} and paragraph.text == 'Đoạn văn {: onclick="alert(1)" }'
    heading = only_element(html, "h2")
    assert heading.text == "Tiêu đề {: #location }"
    assert heading.get("id") == sections[0].anchor == "s-tieu-de-location"


def test_markdown_link_title_cannot_break_out():
    link = only_element(render_markdown('[a](http://x "t\\" onmouseover=\\"alert(1)")')[0], "a")
    assert set(link.attrib) == {"href", "title", "rel"}
    assert link.get("title") == 't\\" onmouseover=\\"alert(1)'


def test_disallowed_elements_keep_only_their_text():
    assert sanitize_html("<div><span>Nội dung</span></div>") == "Nội dung"
    assert sanitize_html("<h1>Tiêu đề</h1>") == "Tiêu đề"
    assert sanitize_html("<!-- ghi chú -->x") == "x"


def test_invalid_attribute_values_are_dropped():
    assert sanitize_html('<h2 id="location">x</h2>') == "<h2>x</h2>"
    assert sanitize_html('<h2 id="s-ok\n">x</h2>') == "<h2>x</h2>"
    assert sanitize_html('<ol start="2x"><li>a</li></ol>') == "<ol><li>a</li></ol>"
    assert sanitize_html('<table><tr><td align="justify">x</td></tr></table>') == (
        "<table><tbody><tr><td>x</td></tr></tbody></table>")


# -- what must survive ----------------------------------------------------------

def test_allowed_markup_is_kept():
    source = (
        '<h2 id="s-muc-tieu">Mục tiêu</h2><p><strong>a</strong> <em>b</em> <b>c</b> <i>d</i> <code>e</code> '
        "<sup>1</sup><sub>2</sub><del>f</del><br></p><hr><pre>g</pre><blockquote>h</blockquote>"
        '<ul><li>i</li></ul><ol start="3"><li>j</li></ol><dl><dt>k</dt><dd>l</dd></dl>'
        '<table><thead><tr><th align="center">m</th></tr></thead><tbody><tr><td align="right">n</td></tr></tbody></table>'
    )
    assert sanitize_html(source) == source


@pytest.mark.parametrize(("href", "rel"), [
    ("https://thuvienphapluat.vn/van-ban", "noopener noreferrer"),
    ("http://example.org", "noopener noreferrer"),
    ("HTTPS://EXAMPLE.ORG", "noopener noreferrer"),
    ("//example.org/x", "noopener noreferrer"),
    ("&#104;ttps://example.org", "noopener noreferrer"),
    ("#s-muc-tieu", None),
    ("mailto:banbientap@example.org", None),
    ("/bai-hoc/nghi-quyet-57", None),
])
def test_links(href, rel):
    link = only_element(sanitize_html(f'<a href="{href}" rel="opener" target="_blank">x</a>'), "a")
    assert link.get("href") == html_module.unescape(href)
    assert link.get("rel") == rel
    assert link.get("target") is None


def test_markdown_renders_with_the_fixed_extensions():
    html, sections = render_markdown(
        "## Mục tiêu\n\n| A | B |\n|:-:|--:|\n| 1 | 2 |\n\n3. ba\n4. bốn\n\n```python\nx = '<b>'\n```\n\n"
        "[TOC]\n\n[Nguồn](https://example.org \"Tiêu đề\")\n\n### Mục tiêu\n"
    )
    assert '<h2 id="s-muc-tieu">Mục tiêu</h2>' in html
    assert '<th align="center">A</th>' in html and '<td align="right">2</td>' in html
    assert '<ol start="3">' in html
    assert "<pre><code>x = '&lt;b&gt;'\n</code></pre>" in html
    assert "<p>[TOC]</p>" in html  # no table of contents marker
    assert '<a href="https://example.org" title="Tiêu đề" rel="noopener noreferrer">Nguồn</a>' in html
    assert '<h3 id="s-muc-tieu-2">Mục tiêu</h3>' in html  # unique ids without toc's "_1"
    assert [(s.anchor, s.title, s.level) for s in sections] == [("s-muc-tieu", "Mục tiêu", 2), ("s-muc-tieu-2", "Mục tiêu", 3)]


def test_section_ids_for_odd_headings_still_pass_the_sanitiser():
    html, sections = render_markdown("## ★★★\n\n## " + "Rất dài " * 30 + "\n\n## Ông & bà <em>x</em>")
    assert [s.anchor for s in sections] == [
        "s-muc", "s-" + ("rat-dai-" * 9)[:70].strip("-"), "s-ong-ba-x",
    ]
    assert [element.get("id") for element in elements(html) if element.tag == "h2"] == [s.anchor for s in sections]
    assert sections[2].title == "Ông & bà x"


def test_level_1_heading_is_not_a_section():
    html, sections = render_markdown("# Tiêu đề\n\n## Phần")
    assert [s.title for s in sections] == ["Phần"]
    assert "<h1" not in html


def test_inline_rendering_is_one_paragraph_without_block_syntax():
    assert render_inline("**Đúng** và `mã`") == "<strong>Đúng</strong> và <code>mã</code>"
    assert render_inline("1. Đúng") == "1. Đúng"
    assert render_inline("# không phải tiêu đề") == "# không phải tiêu đề"
    assert render_inline("- không phải danh sách") == "- không phải danh sách"
    assert render_inline("[r]: https://example.org") == "[r]: https://example.org"


def test_the_smaller_headings_are_kept_with_their_ids():
    source = '<h4 id="s-a">a</h4><h5 id="s-b">b</h5><h6 id="s-c">c</h6>'
    assert sanitize_html(source) == source


@pytest.mark.parametrize("attribute", ['onclick="alert(1)"', 'onmouseover="alert(1)"', 'style="color:red"',
                                       'class="x"', 'id="s-x"', 'target="_top"'])
def test_a_link_keeps_no_attribute_beyond_href_and_title(attribute):
    link = only_element(sanitize_html(f'<a href="https://example.org" title="t" {attribute}>x</a>'), "a")
    assert set(link.attrib) == {"href", "title", "rel"}


@pytest.mark.parametrize("href", ["\\\\example.org/x", "/\\example.org", "\x01https://example.org",
                                  " https://example.org", "ht\ttps://example.org", "&#x09;https://example.org"])
def test_a_disguised_external_link_still_gets_its_rel(href):
    """Browsers skip control characters and blanks before a URL's scheme and
    read backslashes as slashes: such a link leaves the site too."""
    html = sanitize_html(f'<a href="{href}">x</a>')
    link = only_element(html, "a")
    assert link.get("href") is not None and link.get("rel") == "noopener noreferrer", html


# -- by property: whatever goes in -------------------------------------------------


# Links are where the allowlist has the most to let through: half the tags drawn are <a>.
_TAGS = st.sampled_from(["a"] * 14 + ["A", "p", "h2", "h4", "h6", "script", "SCRIPT", "img", "svg", "math", "iframe",
                         "style", "table", "td", "ol", "li", "form", "button", "noscript", "template", "div",
                         "object", "details", "textarea", "xmp", "base", "meta", "h1"])
_ATTRIBUTE_NAMES = st.one_of(
    st.sampled_from(["href", "HREF", "title", "rel", "target", "style", "STYLE", "id", "align", "start", "src",
                     "xlink:href", "formaction", "srcdoc", "action", "data", "class"]),
    st.builds(lambda case, event: case("on" + event), st.sampled_from([str.lower, str.upper, str.title]),
              st.sampled_from(["click", "mouseover", "error", "load", "focus", "toggle", "animationstart"])))
_SCHEMES = ["javascript:", "JaVaScRiPt:", "&#106;avascript:", "jav&#x09;ascript:", "jav\tascript:", "data:",
            "vbscript:", "https:", "http:", "HTTPS:", "mailto:", "//", "\\\\", "/\\", "\x01", " ", "&colon;", ""]
_URL_VALUES = st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(_SCHEMES),
                        st.sampled_from(["alert(1)", "//evil.example/x", "evil.example", "#s-muc", "/bai-hoc",
                                         "x\" onclick=\"alert(1)", "a'b", "<script>"]))
_VALUES = st.one_of(_URL_VALUES, st.sampled_from(["s-ok", "location", "left", "justify", "3", "1 x", "noopener",
                                                  "_blank", "color:red", "alert(1)"]), st.text(max_size=12))
_QUOTES = st.sampled_from(['"', "'", ""])


@st.composite
def _element(draw) -> str:
    tag = draw(_TAGS)
    quote = draw(_QUOTES)
    attributes = "".join(f" {name}={quote}{value}{quote}" for name, value in
                         draw(st.lists(st.tuples(_ATTRIBUTE_NAMES, _VALUES), min_size=1, max_size=4)))
    inner = draw(st.text(alphabet="xyàễ <>&\"'/=`", max_size=8))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "/>"]))
    return f"<{tag}{attributes}>{inner}{closing}"


_MARKDOWN = st.builds(lambda text, url: f"[{text}]({url})", st.text(max_size=6), _URL_VALUES)
_FRAGMENTS = st.lists(st.one_of(_element(), _element(), _element(), _MARKDOWN, st.sampled_from(HOSTILE),
                                st.text(alphabet="<>&\"'!-[]()/=: \n#*`", max_size=10)), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRAGMENTS)
def test_whatever_goes_in_comes_out_safe(fragments):
    """No script, no event attribute, no style, no dangerous URL, every
    external link with its rel, on every way a text reaches a page; the
    seed is fresh on each run."""
    source = "".join(fragments)
    for html in outputs(source):
        assert_safe(html)
