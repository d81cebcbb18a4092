from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Path:
    return FIXTURES / name


def teams_docx(path: Path) -> Path:
    """A Teams transcript .docx as Teams writes it: title, date, duration, then for each
    entry a paragraph "Name   0:03" and a paragraph with what they said."""
    from docx import Document

    document = Document()
    document.add_paragraph("Weekly 1:1-20250305_100000-Meeting Recording")
    document.add_paragraph("March 5, 2025, 10:00AM")
    document.add_paragraph("12m 4s")
    document.add_paragraph("Alice Moreau started transcription")
    for name, time, text in (
        ("Alice Moreau", "0:03", "Shall we go through your agenda first?"),
        ("Bob Okafor", "0:07", "Yes. I want to talk about the promotion criteria."),
        ("Alice Moreau", "0:12", "Okay, what would you like to know?"),
        ("Bob Okafor", "0:15", "What the expectations are for the next level."),
    ):
        document.add_paragraph(f"{name}   {time}")
        document.add_paragraph(text)
    document.save(str(path))
    return path
