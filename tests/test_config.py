"""Config loading: shipped configs validate, errors name the file, the key and the allowed values."""

import pytest
from pydantic import ValidationError

from summarizer.config import CONFIG_DIR, LENGTH_PRESETS, list_configs, load_config
from summarizer.errors import ConfigError

REQUIRED = {"default", "bart-large-cnn", "pegasus-multi_news", "flan-t5-base", "extractive"}


def test_shipped_configs_all_validate_and_include_the_required_ones():
    names = {name for name, _ in list_configs()}
    assert REQUIRED <= names


def test_default_config_selects_distilbart_with_an_announced_fallback():
    config = load_config("default")
    assert config.model.name == "sshleifer/distilbart-cnn-12-6"
    assert config.model.on_load_failure == "extractive"


def test_t5_config_carries_its_task_prefix():
    assert load_config("flan-t5-base").model.prefix == "summarize: "


def test_presets_resolve_and_explicit_limits_override_them():
    config = load_config("default", ["length.preset=short"])
    assert config.length.resolved_max_new_tokens == LENGTH_PRESETS["short"]["max_new_tokens"]
    config = load_config("default", ["length.min_new_tokens=5", "length.max_new_tokens=9"])
    assert (config.length.resolved_min_new_tokens, config.length.resolved_max_new_tokens) == (5, 9)


def test_overrides_are_parsed_as_yaml_scalars():
    config = load_config("extractive", ["fusion.threshold=0.6", "fusion.max_words=100", "model.revision=null"])
    assert config.fusion.threshold == 0.6 and config.fusion.max_words == 100 and config.model.revision is None


def test_config_is_frozen():
    config = load_config("default")
    with pytest.raises(ValidationError, match="frozen"):
        config.model.name = "other"  # type: ignore[misc]


def test_unknown_key_names_file_key_and_suggests(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("model:\n  nmae: facebook/bart-large-cnn\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and "model.nmae" in message and "Did you mean 'name'" in message


def test_bad_value_lists_allowed_values(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("length:\n  preset: huge\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "length.preset" in str(err.value) and "'short'" in str(err.value) and "'long'" in str(err.value)


def test_min_above_max_is_rejected():
    with pytest.raises(ConfigError, match="min_new_tokens"):
        load_config("default", ["length.min_new_tokens=200", "length.max_new_tokens=50"])


def test_malformed_yaml_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("model:\n  name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"line \d+, column \d+"):
        load_config(path)


def test_unknown_config_name_suggests_a_shipped_one():
    with pytest.raises(ConfigError, match="Did you mean 'extractive'"):
        load_config("extractiv")


def test_bad_override_syntax():
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        load_config("default", ["length.preset"])


def test_config_dir_is_the_repository_configs_folder():
    assert (CONFIG_DIR / "default.yaml").is_file()
