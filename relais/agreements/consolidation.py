"""The agreement's text as signed, split by article, and as amended at a date (Art. 8.2).

The text is the one imported from the partner's document (or drafted from the previous
agreement's): nothing here rewrites it. A signed amendment that gives an article a new wording
(``AmendmentArticle``) replaces that article's body from the amendment's effective date, and
the consolidated version says which amendment changed which article.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from .importing.text import fold

# "Article 6 – Durée de la Convention", "1.2 Modalités …", "7.1 : Résiliation pour faute",
# "3.4. Modalités de suivi".
ARTICLE = re.compile(r"^\s*(?:\*\*)?article\s+(\d+)\b", re.IGNORECASE)
SUB_ARTICLE = re.compile(r"^\s*(\d+\.\d+)\.?\s*(?::\s*)?[A-ZÀ-ÝÉ]")
SIGNATURES = re.compile(r"^\s*(?:fait en\s+\S+\s+exemplaires|a\s+[a-z][a-z' -]+,\s*le\b)")


@dataclass
class Block:
    """A piece of the text: before the articles (number ""), an article or a sub-article."""

    number: str
    heading: str
    lines: list[str]
    amended_by: list = field(default_factory=list)  # Amendment objects, oldest first

    @property
    def body(self) -> str:
        return "\n".join(self.lines).strip()


def split_articles(text: str) -> list[Block]:
    """The text in blocks: head (title, parties, preamble), articles and sub-articles, then the
    signatures (number "", heading "")."""
    blocks = [Block("", "", [])]
    in_signatures = False
    for line in text.split("\n"):
        plain = line.replace("**", "")
        article = ARTICLE.match(plain)
        sub = SUB_ARTICLE.match(plain)
        if not in_signatures and SIGNATURES.match(fold(plain)):
            in_signatures = True
            blocks.append(Block("", "", [line]))
        elif not in_signatures and article:
            blocks.append(Block(article.group(1), line, []))
        elif not in_signatures and sub and blocks[-1].number and len(blocks) > 1:
            blocks.append(Block(sub.group(1), line, []))
        else:
            blocks[-1].lines.append(line)
    return blocks


def consolidated(agreement, on: date) -> list[Block]:
    """The agreement's text in force on ``on``: each article as last reworded by a signed
    amendment effective by then, with the amendments that changed it."""
    blocks = split_articles(agreement.text)
    by_number = {b.number: b for b in blocks if b.number}
    amendments = [
        a
        for a in agreement.amendments.prefetch_related("articles").order_by("effective_from")
        if a.is_signed and a.effective_from <= on
    ]
    for amendment in amendments:
        for change in amendment.articles.all():
            block = by_number.get(change.article.strip().rstrip("."))
            if block is None:
                # A new article: added at the end of the articles, before the signatures.
                block = Block(change.article, f"Article {change.article}", [])
                position = next(
                    (i for i, b in enumerate(blocks) if i and not b.number and not b.heading),
                    len(blocks),
                )
                blocks.insert(position, block)
                by_number[change.article] = block
            block.lines = change.text.split("\n")
            block.amended_by.append(amendment)
    return blocks


def consolidated_text(agreement, on: date) -> str:
    """The consolidated text as plain text, each changed article followed by its note."""
    out = []
    for block in consolidated(agreement, on):
        if block.heading:
            out.append(block.heading)
        out += block.lines
        for amendment in block.amended_by:
            out.append(amendment_note(block, amendment))
    return "\n".join(out)


def amendment_note(block: Block, amendment) -> str:
    return (
        f"[Article {block.number} modifié par l'avenant n° {amendment.number} du "
        f"{amendment.dated_on:%d/%m/%Y}, en vigueur le {amendment.effective_from:%d/%m/%Y}.]"
    )
