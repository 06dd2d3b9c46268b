"""Top-level elements -> pages (docs/xlsform.md, "Pages"):

- a top-level group is a page (its name the page id, its label the title, its relevant the
  page's relevance), whatever its appearance;
- a top-level repeat is a page of its own holding the repeat;
- questions outside any group: one page per run of them, or one page per question when the
  settings say `style` = `pages` (as Enketo shows such forms);
- calculations, hidden values and metadata outside groups are never shown, so they never
  make a page of their own: they join the nearest page of loose questions (never a group's
  page, whose relevance would change them), or a page of their own if there is none.
"""

from __future__ import annotations

from pyxform import constants

from .items import SHOWN_NEVER, Context, children, convert_item, is_generated
from .locations import Location
from .types import classify


class _Pages:
    def __init__(self, ctx: Context, taken: set[str]):
        self.ctx = ctx
        self.pages: list[dict] = []
        self.taken = taken
        self.counter = 0
        self.loose: dict | None = None  # the loose page questions are added to now
        self.pending: list[dict] = []  # never-shown items waiting for a loose page
        self.last_loose: dict | None = None

    def new_id(self) -> str:
        while True:
            self.counter += 1
            candidate = f"page_{self.counter}"
            if candidate.lower() not in self.taken:
                self.taken.add(candidate.lower())
                return candidate

    def add(self, page: dict) -> dict:
        self.pages.append(page)
        return page

    def path(self) -> str:
        return f"pages[{len(self.pages)}]"

    def container_page(self, e: dict) -> None:
        ctx = self.ctx
        self.loose = None
        row = ctx.row(str(e["name"]))
        if e["type"] == constants.GROUP:
            path = self.path()
            ctx.source.add(path, Location("survey", row, ctx.survey_fields))
            page: dict = {"id": e["name"]}
            title = ctx.texts(e.get("label"))
            if title:
                page["title"] = title
            relevant = (e.get("bind") or {}).get("relevant")
            if relevant:
                value = ctx.expression(relevant, row, "relevance")
                if value:
                    page["relevance"] = value
            page["questions"] = children(ctx, e.get("children") or [],
                                         f"{path}.questions")
            self.add(page)
        else:
            path = self.path()
            page = {"id": self.new_id()}
            ctx.source.add(path, Location("survey", row, ctx.survey_fields))
            title = ctx.texts(e.get("label"))
            if title:
                page["title"] = title
            item = convert_item(ctx, e, f"{path}.questions[0]")
            page["questions"] = [item] if item else []
            self.add(page)

    def loose_item(self, e: dict) -> None:
        ctx = self.ctx
        hidden = classify(str(e.get("type"))).willay in SHOWN_NEVER
        if hidden and self.loose is None:
            self.pending.append(e)
            return
        if self.loose is None or (ctx.style_pages and not hidden):
            self.loose = self.add({"id": self.new_id(), "questions": []})
            self.last_loose = self.loose
            waiting, self.pending = self.pending, []
            for w in waiting:
                self._append(w)
        self._append(e)

    def _append(self, e: dict) -> None:
        page = self.loose or self.last_loose
        assert page is not None
        index = self.pages.index(page)
        item = convert_item(self.ctx, e, f"pages[{index}].questions[{len(page['questions'])}]")
        if item is not None:
            page["questions"].append(item)

    def finish(self) -> list[dict]:
        if self.pending:
            if self.last_loose is None:
                self.last_loose = self.add({"id": self.new_id(), "questions": []})
            self.loose = self.last_loose
            waiting, self.pending = self.pending, []
            for w in waiting:
                self._append(w)
        return self.pages


def layout(ctx: Context, elements: list[dict], taken: set[str]) -> list[dict]:
    pages = _Pages(ctx, taken)
    for e in elements:
        if is_generated(ctx, e):
            # pyxform moves the audit row into its meta group: take it back out
            for child in e.get("children") or []:
                if ctx.row(str(child.get("name", ""))) is not None:
                    pages.loose_item(child)
            continue
        if e.get("type") in (constants.GROUP, constants.REPEAT):
            pages.container_page(e)
        else:
            pages.loose_item(e)
    return pages.finish()
