from __future__ import annotations

import pytest

from tete.conversation import Segment, Targets, Transcript, analyze, balance_verdict
from tete.conversation.balance import command_line_message


def report_with(shares: dict[str, float]):
    segments, start = [], 0.0
    for name, share in shares.items():
        segments.append(Segment(name, start, start + share * 100, "words here"))
        start += share * 100
    return analyze(Transcript("t", "webvtt", tuple(segments), "cues"))


def test_a_report_talking_half_the_time_is_balanced():
    verdict = balance_verdict(
        report_with({"Ann": 0.5, "Ben": 0.5}), "manager_report", {"Ben": "report"}
    )
    assert verdict.status == "balanced"


def test_a_manager_doing_the_talking_is_unbalanced():
    verdict = balance_verdict(
        report_with({"Ann": 0.7, "Ben": 0.3}), roles={"Ann": "manager", "Ben": "report"}
    )
    assert verdict.kind == "manager_report"
    assert verdict.status == "unbalanced"
    assert "Ben (report) talked 30%" in verdict.message


@pytest.mark.parametrize(("kind", "role"), [("mentoring", "mentee"), ("coaching", "client")])
def test_the_mentee_or_client_should_lead(kind: str, role: str):
    report = report_with({"Ann": 0.45, "Ben": 0.55})
    assert balance_verdict(report, kind, {"ben": role}).status == "balanced"
    assert balance_verdict(report, kind, {"Ann": role}).status == "unbalanced"


def test_peers_each_talk_forty_to_sixty_percent():
    assert balance_verdict(report_with({"Ann": 0.58, "Ben": 0.42}), "peer").status == "balanced"
    assert balance_verdict(report_with({"Ann": 0.65, "Ben": 0.35}), "peer").status == "unbalanced"


def test_thresholds_are_configurable():
    report = report_with({"Ann": 0.65, "Ben": 0.35})
    wide = Targets(peer_min_share=0.3, peer_max_share=0.7)
    assert balance_verdict(report, "personal", targets=wide).status == "balanced"
    strict = Targets(led_min_share=0.6)
    assert balance_verdict(report, "coaching", {"Ann": "client"}, strict).status == "balanced"
    assert (
        balance_verdict(report, "coaching", {"Ann": "client"}, Targets(0.7)).status == "unbalanced"
    )


def test_without_the_led_role_the_verdict_is_unknown():
    verdict = balance_verdict(report_with({"Ann": 0.5, "Ben": 0.5}), "manager_report", {})
    assert verdict.status == "unknown"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        balance_verdict(report_with({"Ann": 0.5, "Ben": 0.5}), "friendly")


def test_an_unknown_verdict_names_the_missing_role_but_no_command_line_option():
    # The app shows this message on report pages, where there is no --speakers option.
    verdict = balance_verdict(report_with({"Ann": 0.5, "Ben": 0.5}), "manager_report", {})
    assert verdict.missing_role == "report"
    assert "report" in verdict.message
    assert "--speakers" not in verdict.message
    assert "--speakers 'Name=report'" in command_line_message(verdict)
