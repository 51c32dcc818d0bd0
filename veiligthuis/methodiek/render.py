"""Markdown to safe HTML for method texts: raw HTML is shown as text, links stay harmless."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

_SAFE_HREF = re.compile(r"^(https?:|mailto:|tel:|#|/(?!/)|[A-Za-z0-9_.-]+(?:/|$|\.|#))", re.I)


class _SafeLinks(Treeprocessor):
    """Drop link targets with odd schemes (javascript:) and images from elsewhere."""

    def run(self, root: Element) -> None:
        """Clean the links and images in the rendered tree."""
        for element in root.iter():
            href = element.get("href")
            if href is not None and not _SAFE_HREF.match(href.strip()):
                element.set("href", "#")
            if element.tag == "a" and href is not None and href.startswith(("http:", "https:")):
                element.set("rel", "noopener noreferrer")
            src = element.get("src")
            if src is not None and (not src.startswith("/") or src.startswith("//")):
                element.attrib.pop("src", None)


class _EscapeHtml(Extension):
    """Treat raw HTML in the source as text: it is escaped on output."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        """Switch off raw HTML and add the link cleaner."""
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)


def render_markdown(text: str) -> Markup:
    """``text`` (Markdown) as HTML that is safe to put on a staff page."""
    md = markdown.Markdown(extensions=[_EscapeHtml(), "sane_lists", "tables"], output_format="html")
    return Markup(md.convert(text or ""))
