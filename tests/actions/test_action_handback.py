"""After a hand back the assistant repeats the agent's outcome and says again it is an AI."""

from conftest import make_tracker, slot_events, texts

from actions.action_handback import ActionHandback


async def test_the_agents_outcome_is_repeated_and_the_bot_says_it_is_an_ai(dispatcher):
    tracker = make_tracker(
        slots={"agent_name": "Ana", "agent_outcome": "Refund issued"}, intent="handback"
    )
    events = await ActionHandback().run(dispatcher, tracker, {})
    [reply] = texts(dispatcher)
    assert reply.startswith("Ana has handed the conversation back")
    assert '"Refund issued"' in reply and "AI assistant" in reply and "not a person" in reply
    assert slot_events(events)["handoff_status"] is None
