"""Chat: one conversation turn with a persona, grounded in its documents.

Owns retrieval (``retrieval``: dense + BM25 + rerank + threshold), the prompt (``prompt``), the
``ollama`` client and host checks (``llm``), stored conversations and ratings (``conversations``)
and the service that runs a turn in order (``service.ChatService``: assess, retrieve, prompt,
stream, check, store). Crisis safety itself lives in ``luna_core.safety``.
"""

from luna_core.chat.conversations import Conversation, ConversationStore, Message
from luna_core.chat.llm import HostStatus, OllamaChat, check_host
from luna_core.chat.retrieval import Passage, Retriever, page_label
from luna_core.chat.service import Answer, ChatService, Turn

__all__ = ["Answer", "ChatService", "Conversation", "ConversationStore", "HostStatus", "Message", "OllamaChat",
           "Passage", "Retriever", "Turn", "check_host", "page_label"]
