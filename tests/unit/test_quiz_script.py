"""The quiz page's script, run in Node against a stand-in browser whose tabs,
storage events, timers and replies the tests order at will (tests/js): the
orders a real browser cannot be made to produce, such as a frozen tab waking
to a late reply."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = sorted((Path(__file__).resolve().parents[1] / "js").glob("*.test.js"))


@pytest.mark.parametrize("js_tests", JS_TESTS, ids=lambda path: path.name)
def test_the_quiz_script_in_node(js_tests):
    """quiz_tabs: two tabs of one attempt never lose or revert an answer;
    quiz_unanswered: submitting with questions unanswered asks first."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node.js is missing on CI: .ci/run must install Debian's nodejs package")
        pytest.skip("Node.js is not installed (apt-get install nodejs); the quiz script's tests skipped")
    result = subprocess.run([node, "--test", str(js_tests)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.M)
    assert passed and int(passed.group(1)) > 0 and "# fail 0" in result.stdout, result.stdout[-2000:]
