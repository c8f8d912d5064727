"""Migrations m001-m011: personas, users, templates, feature flags and events."""

from __future__ import annotations

import json

import duckdb

DEFAULT_PROMPT_CLOUD = (
    "You are Luna, a warm and supportive companion for people working on their mental health. "
    "Listen carefully, reflect back what you hear, and offer practical, evidence-informed coping "
    "ideas in plain language. You are not a therapist: you never diagnose, never advise on "
    "medication and never replace professional care. If someone mentions suicidal thoughts, "
    "self-harm, harm to others or abuse, take it seriously, respond with care and encourage them "
    "to contact a crisis line or emergency services right away."
)
DEFAULT_PROMPT_LOCAL = (
    "You are Luna, a private companion that runs entirely on this computer, for people working on "
    "their mental health. Be warm, calm and curious; keep replies short and end with at most one "
    "gentle question. Offer simple, evidence-informed coping ideas when they are welcome. You are "
    "not a therapist: you never diagnose, never advise on medication and never replace "
    "professional care. If someone mentions suicidal thoughts, self-harm, harm to others or abuse, "
    "take it seriously, respond with care and encourage them to contact a crisis line or "
    "emergency services right away."
)


def m001_create_personas(con: duckdb.DuckDBPyConnection) -> None:
    """The two-persona schema Luna started from, with its two default personas."""
    con.execute(
        """
        CREATE TABLE personas (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            prompt VARCHAR NOT NULL,
            description VARCHAR,
            icon VARCHAR,
            category VARCHAR,
            model VARCHAR,
            temperature DOUBLE,
            max_tokens INTEGER,
            top_p DOUBLE,
            repeat_penalty DOUBLE,
            is_default BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )
    con.executemany(
        """
        INSERT INTO personas (id, name, prompt, description, icon, category, model,
                              temperature, max_tokens, top_p, repeat_penalty, is_default)
        VALUES (?, ?, ?, ?, ?, ?, ?, 0.7, 1024, 0.9, 1.1, TRUE)
        """,
        [
            ["default-cloud", "Luna (Cloud)", DEFAULT_PROMPT_CLOUD,
             "A general supportive companion running on a cloud model.", "☁️", "cloud",
             "gpt-oss:120b-cloud"],
            ["default-local", "Luna (Private)", DEFAULT_PROMPT_LOCAL,
             "A general supportive companion that stays on this computer.", "🏠", "local",
             "llama3.2"],
        ],
    )


def m002_add_persona_specialty(con: duckdb.DuckDBPyConnection) -> None:
    """Roadmap week 1: therapeutic specialty and where a persona came from."""
    con.execute("ALTER TABLE personas ADD COLUMN specialty VARCHAR")
    con.execute("ALTER TABLE personas ADD COLUMN therapeutic_focus VARCHAR")
    con.execute("ALTER TABLE personas ADD COLUMN template_id VARCHAR")
    # 'template' | 'scratch' | 'duplicate'; NULL for built-in and imported personas
    con.execute("ALTER TABLE personas ADD COLUMN created_from VARCHAR")


def m003_add_persona_appearance(con: duckdb.DuckDBPyConnection) -> None:
    """Colour theme and tags (JSON list) for the persona grid."""
    con.execute("ALTER TABLE personas ADD COLUMN color_theme VARCHAR")
    con.execute("ALTER TABLE personas ADD COLUMN tags VARCHAR DEFAULT '[]'")
    con.execute("UPDATE personas SET color_theme = '#5B7DB1' WHERE id = 'default-cloud'")
    con.execute("UPDATE personas SET color_theme = '#4E8A6E' WHERE id = 'default-local'")


def m004_add_builtin_data_access(con: duckdb.DuckDBPyConnection) -> None:
    """Which of the user's own Luna data (journal, mood, profile) a persona may read."""
    off = json.dumps({"journal_entries": False, "mood_data": False, "user_profile": False})
    con.execute(f"ALTER TABLE personas ADD COLUMN builtin_data_access VARCHAR DEFAULT '{off}'")


def m005_create_users(con: duckdb.DuckDBPyConnection) -> None:
    """Accounts, with the installation's local administrator."""
    con.execute(
        """
        CREATE TABLE users (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            role VARCHAR NOT NULL,
            password_hash VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )
    con.execute("INSERT INTO users (id, name, role) VALUES ('u-admin', 'admin', 'admin')")


def m006_add_persona_owner(con: duckdb.DuckDBPyConnection) -> None:
    """The user a persona belongs to; NULL marks a built-in persona every user sees."""
    con.execute("ALTER TABLE personas ADD COLUMN owner_id VARCHAR")


def m007_create_persona_user_state(con: duckdb.DuckDBPyConnection) -> None:
    """Favourite flag, chat count and last use, per user, so shared personas leak nothing."""
    con.execute(
        """
        CREATE TABLE persona_user_state (
            user_id VARCHAR NOT NULL,
            persona_id VARCHAR NOT NULL,
            is_favorite BOOLEAN NOT NULL DEFAULT FALSE,
            chat_count INTEGER NOT NULL DEFAULT 0,
            last_used TIMESTAMP,
            PRIMARY KEY (user_id, persona_id)
        )
        """
    )


def m008_create_persona_templates(con: duckdb.DuckDBPyConnection) -> None:
    """Clinically reviewed templates, loaded from data/templates/*.toml."""
    con.execute(
        """
        CREATE TABLE persona_templates (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            specialty VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            prompt_template VARCHAR NOT NULL,
            suggested_icon VARCHAR,
            color_theme VARCHAR,
            default_settings VARCHAR NOT NULL DEFAULT '{}',
            category VARCHAR NOT NULL DEFAULT 'therapy',
            tags VARCHAR NOT NULL DEFAULT '[]',
            key_features VARCHAR NOT NULL DEFAULT '[]',
            best_for VARCHAR,
            version INTEGER NOT NULL DEFAULT 1,
            review_status VARCHAR NOT NULL DEFAULT 'pending_review',
            content_hash VARCHAR,
            source_file VARCHAR,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def m009_add_persona_provenance(con: duckdb.DuckDBPyConnection) -> None:
    """Template version a persona was made from, and the original Luna fields legacy import keeps."""
    con.execute("ALTER TABLE personas ADD COLUMN template_version INTEGER")
    con.execute("ALTER TABLE personas ADD COLUMN suggested_models VARCHAR")
    con.execute("ALTER TABLE personas ADD COLUMN stop_sequences VARCHAR")
    con.execute("ALTER TABLE personas ADD COLUMN legacy_id VARCHAR")


def m010_create_feature_flags(con: duckdb.DuckDBPyConnection) -> None:
    """The roadmap's rollout flags, each on/off with a rollout percentage."""
    con.execute(
        """
        CREATE TABLE feature_flags (
            name VARCHAR PRIMARY KEY,
            enabled BOOLEAN NOT NULL,
            rollout_percent INTEGER NOT NULL DEFAULT 100,
            description VARCHAR NOT NULL DEFAULT '',
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_by VARCHAR
        )
        """
    )
    con.executemany(
        "INSERT INTO feature_flags (name, enabled, rollout_percent, description) VALUES (?, TRUE, 100, ?)",
        [
            ["ENHANCED_PERSONA_CREATION", "Create personas (wizard, from scratch)."],
            ["THERAPEUTIC_TEMPLATES", "Create personas from clinician-reviewed templates."],
            ["PERSONA_DUPLICATION", "Duplicate an existing persona."],
            ["RAG_DOCUMENT_PROCESSING", "Upload documents and ground answers in them."],
            ["PERSONA_IMPORT_EXPORT", "Export a persona as JSON and import one."],
        ],
    )


def m011_create_events(con: duckdb.DuckDBPyConnection) -> None:
    """Append-only usage events for the KPIs; properties never hold message text."""
    con.execute("CREATE SEQUENCE events_id_seq")
    con.execute(
        """
        CREATE TABLE events (
            id BIGINT PRIMARY KEY DEFAULT nextval('events_id_seq'),
            user_id VARCHAR,
            name VARCHAR NOT NULL,
            properties VARCHAR NOT NULL DEFAULT '{}',
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            duration_ms DOUBLE
        )
        """
    )


STEPS = [m001_create_personas, m002_add_persona_specialty, m003_add_persona_appearance, m004_add_builtin_data_access, m005_create_users, m006_add_persona_owner, m007_create_persona_user_state, m008_create_persona_templates, m009_add_persona_provenance, m010_create_feature_flags, m011_create_events]  # in order; the runner applies the parts in turn
