"""The FAQ answers agree with the shop the actions use."""

from pathlib import Path

import yaml

from actions.shop import RETURN_WINDOW_DAYS

ROOT = Path(__file__).resolve().parents[2]


def test_the_return_policy_answer_states_the_shops_return_window():
    responses = yaml.safe_load((ROOT / "data/responses/faq.yml").read_text())["responses"]
    [answer] = responses["utter_faq_return_policy"]
    assert f"within {RETURN_WINDOW_DAYS} days of delivery" in answer["text"]
