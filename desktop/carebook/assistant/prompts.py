"""What the model is told. The system prompt is one constant for every kind of request, so
the worker keeps its tokens cached between requests (only the user turn changes).

PROMPT_VERSION goes into every audit entry: change it whenever any text here changes.
"""

from __future__ import annotations

from carebook.assistant.grounding import Grounding

PROMPT_VERSION = "explain-2026-11-23.1"

SYSTEM_PROMPT = (
    "You help a patient understand their own health records. "
    "Use only the facts you are given. Keep every number exactly as written. "
    "Write short, plain sentences a 12-year-old can read. "
    "Do not diagnose. Do not tell anyone to start, stop or change a medicine. "
    "Never call a high or low result normal."
)

EXPLAIN_TASK = (
    "Rewrite these facts as a short explanation for the patient. Name every test that is "
    "high, low or abnormal, with its value. Do not repeat yourself.\n\nFacts:\n{facts}"
)

QUESTIONS_TASK = (
    "Here are facts from a patient's records and questions they plan to ask their "
    "clinician. Write up to {count} more short questions, one per line, each ending with "
    "a question mark. Do not answer them.\n\nFacts:\n{facts}\n\nQuestions so far:\n"
    "{questions}"
)

ASK_TASK = (
    "The patient asked: {question}\nAnswer in two or three short sentences using only these "
    "facts from their records. Keep every number and date exactly.\n\nFacts:\n{facts}"
)


def instructions_text() -> str:
    """Every instruction the model is given, without the facts: an answer must not echo it."""
    return "\n".join([SYSTEM_PROMPT, EXPLAIN_TASK, QUESTIONS_TASK, ASK_TASK])


def messages_for(task: str) -> list[dict]:
    """A chat with the fixed system prompt and one user turn."""
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": task}]


MAX_QUESTIONS_SHOWN = 10  # enough for the model to see what is already asked
MAX_FACTS_CHARS = 6000  # about 1,500 tokens: room for the answer in a 4,096-token context


def explain_messages(grounding: Grounding) -> list[dict]:
    """Ask for the plain-language version of grounded facts (abnormal results come first,
    so a long report loses only facts about normal results when it is cut)."""
    return messages_for(EXPLAIN_TASK.format(facts=_bullets(grounding.text, MAX_FACTS_CHARS)))


def questions_messages(grounding: Grounding, questions: list[str], count: int = 3
                       ) -> list[dict]:
    """Ask for a few more questions beside the ones code drafted."""
    return messages_for(QUESTIONS_TASK.format(
        count=count, facts=_bullets(grounding.text, MAX_FACTS_CHARS),
        questions=_bullets("\n".join(questions[:MAX_QUESTIONS_SHOWN]))))


def ask_messages(question: str, grounding: Grounding) -> list[dict]:
    """Ask for a short answer to the person's question from retrieved facts."""
    return messages_for(ASK_TASK.format(question=question.strip(),
                                        facts=_bullets(grounding.text, MAX_FACTS_CHARS)))


def shown_prompt(messages: list[dict]) -> str:
    """The exact prompt as the person can read it under "What the assistant was shown"."""
    return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in messages)


def _bullets(text: str, limit: int | None = None) -> str:
    lines, size = [], 0
    for line in (line for line in text.splitlines() if line.strip()):
        size += len(line) + 3
        if limit is not None and size > limit:
            break
        lines.append(f"- {line}")
    return "\n".join(lines)
