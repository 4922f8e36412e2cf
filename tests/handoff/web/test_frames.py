"""Frames are parsed into one dataclass per type and built from one dataclass per type."""

from dataclasses import fields

import pytest

from handoff.frames import (
    AGENT,
    AGENT_FRAMES,
    CUSTOMER,
    CUSTOMER_FRAMES,
    Acked,
    AgentMessage,
    FrameError,
    Hello,
    Message,
    NoteAdded,
    QueueStatus,
    TypingShown,
    parse_agent,
    parse_customer,
)


@pytest.mark.parametrize(
    "specs, classes",
    [(CUSTOMER, CUSTOMER_FRAMES), (AGENT, AGENT_FRAMES)],
    ids=["customer", "agent"],
)
def test_every_frame_type_has_a_dataclass_with_exactly_its_fields(specs, classes):
    assert set(specs) == set(classes)
    for kind, spec in specs.items():
        assert [f.name for f in fields(classes[kind])] == list(spec), kind


def test_a_frame_is_parsed_into_its_dataclass_with_absent_optionals_as_none():
    assert parse_customer('{"type": "message", "client_id": "m1", "text": "hi"}') == Message(
        "m1", "hi"
    )
    assert parse_customer('{"type": "hello"}') == Hello(None, None, None, None)
    frame = parse_agent(
        '{"type": "message", "conversation_id": "c", "client_id": "m", "text": "x"}'
    )
    assert frame == AgentMessage("c", "m", "x", None)


def test_a_first_frame_of_another_type_is_an_unknown_type():
    with pytest.raises(FrameError) as caught:
        parse_customer('{"type": "message", "client_id": "m1", "text": "hi"}', only=Hello)
    assert (caught.value.code, caught.value.ref) == ("unknown_type", "m1")
    assert "['hello']" in caught.value.message


@pytest.mark.parametrize(
    "frame, expected",
    [
        (Acked("m1", 3), {"type": "ack", "client_id": "m1", "seq": 3}),
        (
            Acked("m1", None, "c1"),
            {"type": "ack", "conversation_id": "c1", "client_id": "m1", "seq": None},
        ),
        (TypingShown("bot", True), {"type": "typing", "sender": "bot", "on": True}),
        (
            TypingShown("customer", False, "c1"),
            {"type": "typing", "conversation_id": "c1", "sender": "customer", "on": False},
        ),
        (
            NoteAdded("c1", "Ana", "call back", 0.5),
            {
                "type": "note",
                "conversation_id": "c1",
                "author": "Ana",
                "text": "call back",
                "ts": "1970-01-01T00:00:00.500Z",
            },
        ),
        (
            QueueStatus(2, 120, 1, True),
            {
                "type": "queue",
                "position": 2,
                "estimated_wait_seconds": 120,
                "agents_online": 1,
                "business_hours": True,
            },
        ),
    ],
)
def test_server_frames_have_the_shapes_of_the_protocol(frame, expected):
    assert frame.to_json() == expected


def test_an_unchanged_queue_status_has_the_same_key():
    assert QueueStatus(2, 120, 1, True).key() == QueueStatus(2, 120, 1, True).key()
    assert QueueStatus(2, 120, 1, True).key() != QueueStatus(1, 60, 1, True).key()
