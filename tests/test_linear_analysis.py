"""Every step of analysis is linear in the article's size: generated worst cases at two sizes.

Each case of tests/worstcase.py (long runs of lists, deep nesting, headings alike, huge
paragraphs, many links, words without spaces, bias-like lists…) is analysed at n and
4n, through the cleaner's lxml path and its BeautifulSoup path (a comment before the
content sends an article there). Linear work takes about 4 times as long at 4n; the
test allows 7.2 (1.8 times that, for a shared machine's noise: CPU time, the least of
three runs), and a quadratic step takes 16. 100,000 one-item lists took 310 s.
"""

from __future__ import annotations

import logging

import pytest

from worstcase import ARTICLE_CASES, analysis_seconds, through_soup

GROWTH = 4
ALLOWED = GROWTH * 1.8
# Sizes whose smaller run takes about 0.05-0.2 s here; the default for the rest.
SIZES = {"deep nesting": 5000, "deep then open tags": 5000, "long word": 100_000, "short sentences": 2000,
         "mixed scripts": 4000, "prompt lines": 2000, "flat comments": 3000, "empty links": 1000,
         "empty headings": 1500, "script residue": 2000, "consecutive lists": 1000, "nested lists": 1000}
DEFAULT_SIZE = 400


@pytest.fixture(autouse=True)
def _quiet():
    logging.disable(logging.WARNING)  # the depth cut warns once per run
    yield
    logging.disable(logging.NOTSET)


def _growth(generator) -> tuple[float, float]:
    size = SIZES.get(generator.__name__.replace("_", " "), DEFAULT_SIZE)
    return analysis_seconds(generator(size)), analysis_seconds(generator(GROWTH * size))


@pytest.mark.slow
@pytest.mark.parametrize("path", ["lxml", "soup"])
@pytest.mark.parametrize("name", sorted(ARTICLE_CASES))
def test_analysis_time_grows_linearly(name, path):
    generator = ARTICLE_CASES[name]
    case = generator if path == "lxml" else through_soup(generator)
    case.__name__ = generator.__name__
    small, large = _growth(case)
    if large / small > ALLOWED:  # a second look before failing: another process may have had the core
        small, large = _growth(case)
    assert large / small <= ALLOWED, f"{name} ({path}): {small:.3f} s at n, {large:.3f} s at {GROWTH}n"
