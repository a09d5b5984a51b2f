"""The language model's load: once per process, also when a background load is under way."""

from __future__ import annotations

import time

from summarizer.text import language

FRENCH = ("Le gouvernement a annoncé mardi une réforme des retraites qui sera présentée au parlement "
          "la semaine prochaine, malgré l'opposition des syndicats et de plusieurs partis de gauche.")


def test_a_caller_during_the_background_load_waits_for_it_instead_of_loading_again(monkeypatch):
    from py3langid.langid import LanguageIdentifier

    loads = []
    real = LanguageIdentifier.from_model_file.__func__

    def slow_load(cls, *args, **kwargs):
        loads.append(1)
        time.sleep(0.3)  # long enough for the caller below to arrive mid-load
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", classmethod(slow_load))
    language._load_identifier.cache_clear()
    try:
        language.load_in_background()
        assert language.detect_language(FRENCH) == "fr"
        assert language.detect_language(FRENCH) == "fr"
        assert len(loads) == 1
    finally:
        language._load_identifier.cache_clear()  # the next caller loads the unpatched model
