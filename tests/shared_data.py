"""The project's development data, ``../shared/data`` beside the clone: real articles and the
MultiLing clusters, which the project may not bundle.

CI always has the folder, and there the tests that read it must run (a missing folder fails
them). A user's clone has no such folder; there those tests are skipped with this reason, and the
rest of the suite runs on the bundled example.
"""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
KABUL = SHARED_DATA / "kabul-2021"
MULTILING = SHARED_DATA / "multiling2011-en" / "clusters.jsonl"

needs_shared_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir() and not os.environ.get("CI"),
    reason=f"needs the development data in {SHARED_DATA} (beside the clone in CI; not part of a user's clone)",
)
MULTILING_LANGUAGES = {code: SHARED_DATA / f"multiling2011-{code}" / "clusters.jsonl" for code in ("en", "fr", "ar", "hi")}
