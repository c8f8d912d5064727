"""Documents: a user's therapeutic material, from upload to searchable passages.

Owns the pipeline's stages in order (``extract`` with its worker process, ``chunking``,
``embeddings``, ``index``), the ingest service that runs them (``ingest.DocumentService``), the
dataset records (``datasets``) and the library of what a user may see and link to personas
(``library.Library``). Names resolve lazily (see ``luna_core.exports``).
"""

from luna_core.exports import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    "ACCESS_LEVELS": "datasets", "Dataset": "datasets", "all_vectors": "datasets", "index_state": "datasets",
    "Chunk": "chunking", "chunk_pages": "chunking",
    "BUNDLED_MODEL": "embeddings", "Embedder": "embeddings", "HashingEmbedder": "embeddings",
    "SentenceTransformerEmbedder": "embeddings",
    "IndexState": "index", "VectorIndex": "index",
    "DocumentService": "ingest", "IngestResult": "ingest",
    "Library": "library",
})
