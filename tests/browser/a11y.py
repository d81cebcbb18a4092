"""Accessibility checks in a real browser: axe-core's WCAG 2.1 A/AA rules, and the focus ring.

axe.min.js (vendor/, axe-core, MPL-2.0) is evaluated through the DevTools protocol rather
than added as a <script>: the pages' Content-Security-Policy admits only the app's own
scripts, and evaluation from the protocol is outside its reach.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: What fails a test: axe's two highest impacts.
BLOCKING = ("serious", "critical")
#: WCAG 2.1 non-text contrast (1.4.11), which a focus ring is held to.
FOCUS_RING_CONTRAST = 3.0


@cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe's violations on the page as it is now, under the WCAG 2.1 A and AA rules."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        }).then(results => results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(node => ({
                target: node.target.join(" "),
                summary: node.failureSummary,
            })),
        })))""",
        WCAG_21_AA,
    )


def blocking_findings(page, where: str) -> list[str]:
    """One line per element with a serious or critical violation: rule, impact, selector, page."""
    lines = []
    for violation in axe_violations(page):
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) at {node['target']}"
                f" — {violation['help']}. {summary}"
            )
    return lines


# Focuses every control the keyboard reaches and measures its ring against the background it
# is drawn on: the outline sits outside the element (outline-offset), on its parent's colour.
_FOCUS_RINGS = """() => {
  const parse = (colour) => {
    const m = colour.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [255, 255, 255, 0];
    const [r, g, b, a] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a === undefined ? 1 : a];
  };
  const over = (top, below) => top.slice(0, 3).map(
    (c, i) => c * top[3] + below[i] * (1 - top[3])).concat([1]);
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reduceRight((below, top) => over(top, below), [255, 255, 255, 1]);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "")
    + " “" + (e.getAttribute("aria-label") || e.textContent || e.value || "").trim().slice(0, 40) + "”";
  const selector = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),"
    + " select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  const results = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.getClientRects().length || getComputedStyle(element).visibility === "hidden") {
      continue;
    }
    element.focus({preventScroll: true});
    if (document.activeElement !== element) continue;
    const style = getComputedStyle(element);
    const width = parseFloat(style.outlineWidth) || 0;
    const ring = parse(style.outlineColor);
    const drawnOn = background(element.parentElement || element);
    const ratio = style.outlineStyle === "none" || width === 0 || ring[3] === 0
      ? 0 : contrast(over(ring, drawnOn), drawnOn);
    results.push({element: describe(element), width: width, ratio: ratio});
  }
  document.activeElement && document.activeElement.blur();
  return results;
}"""


def faint_focus_rings(page, where: str) -> list[str]:
    """The controls whose keyboard focus ring is missing, thinner than 2 px or under 3:1.

    A key press first puts Chromium in keyboard mode, so :focus-visible matches as it does
    for someone pressing Tab.
    """
    page.keyboard.press("Shift")
    lines = []
    for ring in page.evaluate(_FOCUS_RINGS):
        if ring["width"] < 2 or ring["ratio"] < FOCUS_RING_CONTRAST:
            lines.append(
                f"{where}: focus ring of {ring['element']} is {ring['width']:g}px at "
                f"{ring['ratio']:.2f}:1 against its background (at least 2px and "
                f"{FOCUS_RING_CONTRAST:g}:1 asked)"
            )
    return lines
