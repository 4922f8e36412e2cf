"""Find requests for a person in every customer message and put the finding on the parse data.

The wordings are the lists in ``contract/person_request.py`` (the handoff service reads the
same ones). Each token's NORM is set to the contract's canonical form, so plurals and typos
("represenative", "HUMAAAN") match the vocabulary; a spaCy ``PhraseMatcher`` over NORM finds
the words that can make a request, and the contract's clause rules (request cues, negation,
the identity question) decide. The finding lands in ``parse_data["person_request"]`` as
``{"matched", "callback"}`` or None; the handoff policy hands off when it is set.
"""

from __future__ import annotations

# Rasa inspects these signatures while building its graph: keep Rasa's own typing style.
# ruff: noqa: UP006, UP035, UP045
import dataclasses
import functools
from typing import Any, Dict, List, Optional

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from contract import person_request as wordings

PERSON_REQUEST = "person_request"


def vocabulary() -> List[str]:
    """Every canonical word or phrase that can make a clause a request for a person."""
    phrases = [" ".join(p for p in pair if p) for pair in wordings.PERSON_PHRASES]
    return sorted(
        {
            *wordings.PERSON_WORDS,
            *wordings.SOMEONE_WORDS,
            *wordings.CALL_WORDS,
            *wordings.ESCALATE_WORDS,
            *phrases,
            *(" ".join(p) for p in wordings.CALL_PHRASES),
            *(" ".join(p) for p in wordings.HANDOVER_PHRASES),
            " ".join(wordings.IN_CHARGE),
        }
    )


@functools.lru_cache(maxsize=1)
def _blank() -> Language:
    return spacy.blank("en")


def _matcher(nlp: Language) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    matcher.add("PERSON_REQUEST", [nlp.make_doc(text) for text in vocabulary()])
    return matcher


def set_norms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = wordings.canonical(token.lower_)
    return doc


class PersonRequestFinder:
    """The spaCy engine over the contract's lists; ``find(doc)`` is ``detect`` for a Doc."""

    def __init__(self, nlp: Optional[Language] = None) -> None:
        self.nlp = nlp or _blank()
        self.matcher = _matcher(self.nlp)

    def find(self, doc: Doc) -> Optional[wordings.PersonRequest]:
        set_norms(doc)
        if not self.matcher(doc):
            return None
        return wordings.detect(doc.text)

    def find_text(self, text: str) -> Optional[wordings.PersonRequest]:
        return self.find(self.nlp.make_doc(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class PersonRequestDetector(GraphComponent):
    """Adds ``person_request`` to every message; adds no features and learns nothing."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PersonRequestDetector:
        return cls()

    def __init__(self) -> None:
        self.finder = PersonRequestFinder()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            doc = message.get(SPACY_DOCS[TEXT])
            if text.startswith("/"):
                found = None
            elif isinstance(doc, Doc):
                found = self.finder.find(doc)
            else:
                found = self.finder.find_text(text)
            value = dataclasses.asdict(found) if found else None
            message.set(PERSON_REQUEST, value, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
