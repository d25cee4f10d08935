"""The strict grammar: what users type can never break or inject Asterisk configuration."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from centrex.core.validators import validate_extension, validate_pin, validate_safe_name
from centrex.pbx.confgen import syntax


@pytest.mark.parametrize("value", ["20", "201", "0123456789"])
def test_extensions_accepted(value):
    validate_extension(value)


@pytest.mark.parametrize(
    "value", ["", "1", "12345678901", "12a;Hangup", "201\n", " 201", "*97", "\uff12\uff10\uff11"]
)
def test_extensions_refused(value):
    with pytest.raises(ValidationError):
        validate_extension(value)


@pytest.mark.parametrize("value", ["1234", "00000000"])
def test_pins_accepted(value):
    validate_pin(value)


@pytest.mark.parametrize("value", ["123", "123456789", "12a4", "1234\n"])
def test_pins_refused(value):
    with pytest.raises(ValidationError):
        validate_pin(value)


@pytest.mark.parametrize("value", ["Alice Martin", "Élodie Le Gall-Durand", "O'Neil", "Zoë 2"])
def test_names_accepted(value):
    validate_safe_name(value)


@pytest.mark.parametrize(
    "value",
    ["Alice\nMartin", "Bob\r", "[evil]", "a;b", "a,b", 'a"b', "<x>", "a\\b", "tab\there",
     " leading", "trailing ", "x=y", "${SHELL}"],
)
def test_names_refused(value):
    with pytest.raises(ValidationError):
        validate_safe_name(value)


@given(st.text())
def test_an_accepted_name_is_a_safe_config_value(text):
    """Whatever the validator lets through, the renderer's grammar accepts it too."""
    try:
        validate_safe_name(text)
    except ValidationError:
        return
    syntax.field(text)
    assert "\n" not in syntax.quoted_callerid(text, "201")


@given(st.text())
def test_config_values_never_contain_line_breaks_or_comments(text):
    try:
        out = syntax.value(text)
    except syntax.ConfigSyntaxError:
        return
    assert "\n" not in out and "\r" not in out and ";" not in out


def test_section_refuses_bad_names_and_options():
    with pytest.raises(syntax.ConfigSyntaxError):
        syntax.section("a]\n[b", [])
    with pytest.raises(syntax.ConfigSyntaxError):
        syntax.section("ok", [("type\nx", "1")])
    with pytest.raises(syntax.ConfigSyntaxError):
        syntax.section("ok", [("callerid", "x\n[evil]")])


def test_dialplan_arguments_are_strict():
    assert syntax.arg("PJSIP/u123") == "PJSIP/u123"
    for bad in ["a,b", "a)b", "${X}", "a;b", "a|b", "x\n"]:
        with pytest.raises(syntax.ConfigSyntaxError):
            syntax.arg(bad)
