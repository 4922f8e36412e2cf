"""Sensitive requests are recorded with their tier so the handoff policy brings in a person."""

from conftest import make_tracker, slot_events

from actions.action_assess_risk import ActionAssessRisk


async def run(dispatcher, intent, text):
    tracker = make_tracker(intent=intent, text=text)
    return slot_events(await ActionAssessRisk().run(dispatcher, tracker, {}))


async def test_a_chargeback_is_escalated(dispatcher, shop_db):
    slots = await run(dispatcher, "chargeback", "I'm filing a chargeback")
    assert slots["risk_tier"] == "escalation"
    assert slots["risk_reasons"] == ["chargeback needs a person"]


async def test_a_complaint_gets_a_draft_reply_for_an_agent_to_approve(dispatcher, shop_db):
    slots = await run(dispatcher, "complaint", "the delivery driver was rude")
    assert slots["risk_tier"] == "assistance"
    assert slots["draft"]["action"]["complaint"] == "the delivery driver was rude"
