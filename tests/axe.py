"""axe-core, vendored from the npm registry (tests/vendor/axe-core-<version>/), run by
Playwright on a page: WCAG 2.0, 2.1 and 2.2 A and AA rules.

Pages run under a strict Content-Security-Policy (scripts from the workbench only), so
axe is not added as a <script> tag: its source is evaluated through the DevTools
protocol with `page.evaluate`, which the page's CSP does not govern. Nothing is served to
the browser from tests/vendor."""

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")
# Left out of the check: the API reference drawn by the vendored Swagger UI, whose markup
# (buttons inside buttons, its own colours) is the library's, not the workbench's; the
# page around it is checked.
EXCLUDE = [["#swagger-ui"]]

_source = None


def axe_violations(page):
    """The page's violations of the WCAG A and AA rules, as axe reports them."""
    global _source
    if _source is None:
        _source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {_source}\n}}")
        # axe.min.js defines `axe` with var inside the function above; keep it.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(_source + "\n;window.axe = axe;")
    return page.evaluate(
        """([tags, exclude]) => window.axe.run({include: [['html']], exclude: exclude},
                                       {runOnly: {type: 'tag', values: tags},
                                       resultTypes: ['violations']})
              .then(result => result.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                             summary: n.failureSummary}))})))""",
        [TAGS, EXCLUDE],
    )


def describe(violations, url=""):
    """A readable account of the violations: rule, impact, where, and why."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} on {url}")
        for node in violation["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def serious_violations(page):
    return [v for v in axe_violations(page) if v["impact"] in SERIOUS]


def assert_accessible(page):
    """Fail with a readable message on any serious or critical violation."""
    found = serious_violations(page)
    assert not found, "axe-core found serious or critical WCAG 2.2 AA violations:\n" + describe(
        found, page.url
    )
