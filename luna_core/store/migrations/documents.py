"""Migrations m012-m015: document datasets, chunks with vectors, persona links, conversations."""

from __future__ import annotations

import duckdb


def m012_create_datasets(con: duckdb.DuckDBPyConnection) -> None:
    """Uploaded documents (roadmap week 5), one row per file per user."""
    con.execute(
        """
        CREATE TABLE datasets (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            description VARCHAR,
            file_type VARCHAR NOT NULL,
            original_filename VARCHAR NOT NULL,
            file_path VARCHAR,
            file_size BIGINT,
            upload_date TIMESTAMP NOT NULL DEFAULT current_timestamp,
            processed_date TIMESTAMP,
            processing_status VARCHAR NOT NULL DEFAULT 'pending',
            error VARCHAR,
            chunk_count INTEGER NOT NULL DEFAULT 0,
            page_count INTEGER,
            embedding_model VARCHAR,
            created_by_user VARCHAR NOT NULL,
            is_global BOOLEAN NOT NULL DEFAULT FALSE,
            metadata VARCHAR NOT NULL DEFAULT '{}',
            content_hash VARCHAR NOT NULL,
            processing_pid INTEGER
        )
        """
    )


def m013_create_document_chunks(con: duckdb.DuckDBPyConnection) -> None:
    """Chunks with their all-MiniLM-L6-v2 embeddings (384 floats); metadata holds page, section
    path and character offsets."""
    con.execute("CREATE SEQUENCE chunk_id_seq")
    con.execute(
        """
        CREATE TABLE document_chunks (
            id BIGINT PRIMARY KEY DEFAULT nextval('chunk_id_seq'),
            dataset_id VARCHAR NOT NULL,
            chunk_index INTEGER NOT NULL,
            content VARCHAR NOT NULL,
            embedding FLOAT[384] NOT NULL,
            metadata VARCHAR NOT NULL DEFAULT '{}',
            chunk_type VARCHAR NOT NULL DEFAULT 'text',
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def m014_create_persona_datasets(con: duckdb.DuckDBPyConnection) -> None:
    """Which datasets a persona may draw on, how much, and how."""
    con.execute(
        """
        CREATE TABLE persona_datasets (
            persona_id VARCHAR NOT NULL,
            dataset_id VARCHAR NOT NULL,
            enabled BOOLEAN NOT NULL DEFAULT TRUE,
            weight DOUBLE NOT NULL DEFAULT 1.0,
            access_level VARCHAR NOT NULL DEFAULT 'full',
            last_used TIMESTAMP,
            PRIMARY KEY (persona_id, dataset_id)
        )
        """
    )


def m015_create_conversations(con: duckdb.DuckDBPyConnection) -> None:
    """Chats, per user and persona, and their messages with sources, timings, model and rating."""
    con.execute(
        """
        CREATE TABLE conversations (
            id VARCHAR PRIMARY KEY,
            user_id VARCHAR NOT NULL,
            persona_id VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )
    con.execute("CREATE SEQUENCE message_id_seq")
    con.execute(
        """
        CREATE TABLE messages (
            id BIGINT PRIMARY KEY DEFAULT nextval('message_id_seq'),
            conversation_id VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            content VARCHAR NOT NULL,
            sources VARCHAR NOT NULL DEFAULT '[]',
            context_used BOOLEAN NOT NULL DEFAULT FALSE,
            crisis_level VARCHAR,
            offline BOOLEAN NOT NULL DEFAULT FALSE,
            model VARCHAR,
            timings VARCHAR NOT NULL DEFAULT '{}',
            rating INTEGER,
            helpful BOOLEAN,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


STEPS = [m012_create_datasets, m013_create_document_chunks, m014_create_persona_datasets, m015_create_conversations]  # in order; the runner applies the parts in turn
