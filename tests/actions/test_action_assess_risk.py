"""Sensitive requests are recorded with their tier so the handoff policy brings in a person."""

from conftest import make_tracker, slot_events

from actions.action_assess_risk import ActionAssessRisk


async def run(dispatcher, intent, text):
    tracker = make_tracker(intent=intent, text=text)
    return slot_events(await ActionAssessRisk().run(dispatcher, tracker, {}))


async def test_a_chargeback_is_escalated(dispatcher, shop_db):
    slots = await run(dispatcher, "chargeback", "I'm filing a chargeback")
    assert slots["risk_tier"] == "escalation"
    assert slots["risk_reasons"] == [
        "chargeback needs a person (the rules also found 'chargeback')"
    ]


async def test_a_case_the_classifier_missed_is_escalated_by_the_rules(dispatcher, shop_db):
    text = "someone used my card without my permission, this is fraud"
    slots = await run(dispatcher, "nlu_fallback", text)
    assert slots["risk_tier"] == "escalation"
    assert slots["risk_reasons"] == [
        "fraud or unauthorised use needs a person (the rules found 'fraud')"
    ]


async def test_classifier_and_rules_each_add_their_own_case(dispatcher, shop_db):
    slots = await run(dispatcher, "payment_dispute", "I was overcharged, my lawyer will call")
    assert slots["risk_reasons"] == [
        "payment dispute needs a person (the rules also found 'overcharged')",
        "legal request needs a person (the rules found 'my lawyer')",
    ]


async def test_a_message_without_a_case_is_not_escalated_by_the_rules(dispatcher, shop_db):
    slots = await run(dispatcher, "nlu_fallback", "I'm not going to sue, I just want my refund")
    assert slots["risk_tier"] == "automation"


async def test_a_complaint_gets_a_draft_reply_for_an_agent_to_approve(dispatcher, shop_db):
    slots = await run(dispatcher, "complaint", "the delivery driver was rude")
    assert slots["risk_tier"] == "assistance"
    assert slots["draft"]["action"]["complaint"] == "the delivery driver was rude"
