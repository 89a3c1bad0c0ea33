"""CI never fails by chance: ``.ci/run`` selects a hypothesis profile that draws the same examples
on every run; a plain local ``pytest`` keeps exploring (tests/conftest.py registers both)."""

from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_ci_profile_is_reproducible_and_selected_by_the_ci_script():
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None and ci.print_blob
    assert not settings.get_profile("default").derandomize
    assert "pytest --hypothesis-profile=ci" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
