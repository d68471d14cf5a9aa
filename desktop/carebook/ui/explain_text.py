"""The Explain panel's texts: the facts with their sources, and what became of the model's
version (shown when it passed every check; otherwise why not)."""

from __future__ import annotations

import html

from carebook.assistant.explain import Explanation


def facts_html(explanation: Explanation) -> str:
    """Each result's facts with its sources; record sources are links to the report page.
    The first sentence (the test, its value and date) is bold so the list can be scanned."""
    parts = []
    for item in explanation.items:
        sources = " · ".join(_source_link(c) for c in item["citations"])
        head, _, rest = item["text"].partition(". ")
        lead = f"<b>{html.escape(head)}.</b> " if rest else html.escape(head)
        parts.append(f"<p>{lead}{html.escape(rest)}<br>"
                     f"<small style='color:gray'>Sources: {sources}</small></p>")
    return "".join(parts)


def _source_link(citation: dict) -> str:
    text = html.escape(citation["label"])
    if citation["kind"] == "record":
        return f"<a href='{html.escape(citation['ref'])}'>{text}</a>"
    return text


def model_html(explanation: Explanation) -> str:
    """The model's version when it passed every check; otherwise why it is not shown."""
    if explanation.rewrite_shown:
        paragraphs = [p for p in explanation.model_text.split("\n") if p.strip()]
        return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if explanation.stopped:
        return "<p><i>Stopped. The facts above are complete without it.</i></p>"
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in explanation.failed_checks())
    return ("<p>The model's version is not shown because it failed Carebook's checks. "
            f"The facts above are complete without it.</p><ul>{reasons}</ul>")


def model_status(explanation: Explanation) -> str:
    """One line on what happened to the model's version."""
    if explanation.stopped:
        return "Stopped."
    if explanation.rewrite_shown:
        grade = explanation.report.grade
        return (f"Checked: every number matches your records, every flagged result is "
                f"named, no diagnosis or medicine advice, reading grade {grade:.1f}.")
    return "Not shown: it failed a check."

