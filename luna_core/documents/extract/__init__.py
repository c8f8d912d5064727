"""Extraction, the pipeline's first stage: uploaded bytes in, readable pages out.

``reader`` recognises the file type by content and dispatches to ``pdf``, ``docx`` and ``text``
(``quality`` judges garbled text and repeated page furniture, ``dekern`` rejoins words a PDF's
kerning split); ``worker`` runs the same code in a
separate process with a time limit (``extract_with_timeout``). The worker imports the reader,
never the other way round.
"""

from luna_core.exports import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "DEFAULT_TIMEOUT": "reader", "SUPPORTED": "reader", "SUPPORTED_SENTENCE": "reader",
    "ExtractedDocument": "reader", "Page": "reader", "detect_file_type": "reader", "extract": "reader",
    "extract_with_timeout": "worker",
})
