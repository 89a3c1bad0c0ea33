"""Test configuration: Qt runs offscreen and Keras on PyTorch, whoever runs pytest."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KERAS_BACKEND", "torch")

from hypothesis import HealthCheck, settings  # noqa: E402

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
# derandomize=False said outright: with CI set in the environment Hypothesis's own default turns
# derandomized, and a local run must keep exploring whatever the environment says
settings.register_profile("default", deadline=None, suppress_health_check=_QUIET, derandomize=False)
# CI (``.ci/run``): the same examples on every run, so a red build is never chance; a failure
# found locally by the default profile's exploration becomes an explicit ``@example``.
settings.register_profile("ci", deadline=None, suppress_health_check=_QUIET, derandomize=True,
                          print_blob=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


import gc  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_qt_test(request):
    """Collect a Qt test's wrappers when it ends, not at a random moment inside a later test's
    event dispatch (a wrapper whose C++ object is gone, collected mid-event, can crash Qt)."""
    yield
    if "qtbot" in request.fixturenames:
        gc.collect()


@pytest.fixture
def window(qtbot):
    """The real main window on an empty design, shown (Qt is imported only by tests that ask)."""
    from archcanvas.gui.document.document import Document
    from archcanvas.gui.main_window import MainWindow

    w = MainWindow(Document())
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w
