"""The schema, as numbered migrations applied in order at start-up.

A migration is never edited once released: a change to the schema is a new entry at the end of
:data:`MIGRATIONS`, so every file, however old, reaches the same schema by the same steps.
"""

from __future__ import annotations

import aiosqlite

from .records import iso, utcnow

MIGRATIONS: tuple[str, ...] = (
    # 1: conversations, processed events, pictures, cases
    """
    CREATE TABLE sessions (
        user TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE events (
        key TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        replies TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE pictures (
        sha256 TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        unit TEXT NOT NULL,
        state TEXT NOT NULL,
        rank INTEGER,
        form TEXT NOT NULL,
        flags TEXT NOT NULL DEFAULT '[]',
        return_comment TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        submitted_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX cases_by_unit ON cases(unit, state, rank);
    CREATE INDEX cases_by_owner ON cases(owner);
    CREATE UNIQUE INDEX cases_rank_unique ON cases(unit, rank) WHERE rank IS NOT NULL;
    """,
    # 2: who belongs to which unit, and the invitations that bring them
    """
    CREATE TABLE members (
        user TEXT NOT NULL,
        unit TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('submitter', 'coordinator')),
        joined_at TEXT NOT NULL,
        PRIMARY KEY (user, unit, role)
    );
    CREATE TABLE invites (
        code TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE units (
        code TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        position INTEGER NOT NULL
    );
    """,
    # 3: the audit trail, deadline extensions and reminders already sent
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        unit TEXT,
        case_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    CREATE TABLE extensions (
        unit TEXT PRIMARY KEY,  -- '*' for everyone
        deadline TEXT NOT NULL
    );
    CREATE TABLE reminders (
        recipient TEXT NOT NULL,
        key TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (recipient, key)
    );
    """,
    # 4: what a case returned for revision keeps: its place and the fields to change
    """
    ALTER TABLE cases ADD COLUMN held_rank INTEGER;
    ALTER TABLE cases ADD COLUMN revise_fields TEXT NOT NULL DEFAULT '[]';
    """,
    # 5: an answer in the dialog (save the session, record the event) as one statement, so it costs
    #    one trip to aiosqlite's worker thread instead of two; a repeated key fails the whole statement
    """
    CREATE VIEW answers (user, state, key, replies, at) AS SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;
    CREATE TRIGGER answers_insert INSTEAD OF INSERT ON answers BEGIN
        INSERT INTO sessions (user, state, updated_at) VALUES (NEW.user, NEW.state, NEW.at)
            ON CONFLICT(user) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at;
        INSERT INTO events (key, user, replies, created_at) VALUES (NEW.key, NEW.user, NEW.replies, NEW.at);
    END;
    """,
    # 6: the outbox (work that must follow a commit: files to build, messages to send), the receipt of
    #    a submission until its author has been told, and album pieces kept as they arrive
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        done_at TEXT,
        failed_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox(due_at, id) WHERE done_at IS NULL AND failed_at IS NULL;
    CREATE TABLE receipts (
        user TEXT PRIMARY KEY,
        case_id INTEGER NOT NULL,
        event TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE album_parts (
        album TEXT NOT NULL,
        seq INTEGER NOT NULL,
        user TEXT NOT NULL,
        chat INTEGER NOT NULL,
        refusal TEXT,
        data BLOB,
        caption TEXT NOT NULL DEFAULT '',
        filename TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        PRIMARY KEY (album, seq)
    );
    """,
    # 7: a unit's own submitters' cut-off, and units taken off the list whose cases are kept
    """
    CREATE TABLE cutoffs (
        unit TEXT PRIMARY KEY,
        day TEXT NOT NULL,
        set_at TEXT NOT NULL
    );
    CREATE TABLE retired_units (
        code TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        retired_at TEXT NOT NULL
    );
    """,
    # 8: the unit's contact (联系人, 电话) as last set in the chat or on the command line, and the sealed
    #    scans a coordinator sends back: one set of pages per 推荐表 ('case:12') or 汇总表 ('summary:hefei')
    """
    CREATE TABLE unit_contacts (
        unit TEXT PRIMARY KEY,
        contact TEXT NOT NULL,
        phone TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
    );
    CREATE TABLE scans (
        target TEXT NOT NULL,
        page INTEGER NOT NULL,
        unit TEXT NOT NULL,
        scan_id TEXT NOT NULL,
        ext TEXT NOT NULL CHECK (ext IN ('pdf', 'jpg', 'png')),
        data BLOB NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        PRIMARY KEY (target, page)
    );
    CREATE INDEX scans_by_unit ON scans(unit);
    """,
    # 9: the inbox of acknowledged messages (WeCom), marked handled by the service's own transaction
    """
    CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        user TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at TEXT NOT NULL,
        handled_at TEXT,
        answered_at TEXT
    );
    CREATE INDEX inbox_unanswered ON inbox(id) WHERE answered_at IS NULL;
    CREATE TRIGGER inbox_handled AFTER INSERT ON events BEGIN
        UPDATE inbox SET handled_at = NEW.created_at WHERE key = NEW.key AND handled_at IS NULL;
    END;
    """,
    # 10: 公示 and 公布 — the approved list the panel's 报批审定 fills, the
    # 公示期, the list as published, objections (the objector's name and contact are personal data: the purge
    # blanks them), the admin's additions, the final list, publication texts, picture consents, who was told
    """
    CREATE TABLE approved_selection (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        position INTEGER NOT NULL,
        approved_by TEXT NOT NULL,
        approved_at TEXT NOT NULL
    );
    CREATE TABLE publicity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        start_day TEXT NOT NULL,
        days INTEGER NOT NULL,
        end_day TEXT NOT NULL,
        started_by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        final_by TEXT,
        final_at TEXT
    );
    CREATE TABLE publicity_list (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        position INTEGER NOT NULL
    );
    CREATE TABLE objections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        received_on TEXT NOT NULL,
        objector_name TEXT NOT NULL,
        objector_contact TEXT NOT NULL,
        content TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('received', 'checking', 'upheld', 'rejected')),
        notes TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT
    );
    CREATE INDEX objections_by_case ON objections(case_id);
    CREATE TABLE publicity_additions (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        reason TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE final_list (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        position INTEGER NOT NULL
    );
    CREATE TABLE publication_texts (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        parts TEXT NOT NULL,
        source TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE picture_consents (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        sha256 TEXT NOT NULL,
        consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
        given_by TEXT NOT NULL,
        given_at TEXT NOT NULL,
        PRIMARY KEY (case_id, sha256)
    );
    CREATE TABLE publicity_told (
        key TEXT PRIMARY KEY,
        stage TEXT NOT NULL CHECK (stage IN ('notice', 'final')),
        user TEXT NOT NULL,
        told_at TEXT NOT NULL
    );
    """,
    # 11: 评审 — experts with their invitation codes and
    #    their scoring conversation, the panel (one row), the 形式审查 marks and decisions, 回避, 承诺书 and
    #    no-conflict confirmations, scores (final ones; a half-entered one lives in the expert's conversation),
    #    the 复核 decisions, the 拟入选 selection
    """
    CREATE TABLE experts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        org TEXT NOT NULL,
        unit TEXT,
        grp TEXT,
        code TEXT NOT NULL UNIQUE,
        user TEXT UNIQUE,
        pledged_at TEXT,
        conversation TEXT NOT NULL DEFAULT '{}',
        replaced_by INTEGER REFERENCES experts(id),
        removed_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE panel (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'approved')),
        until TEXT NOT NULL,
        groups TEXT NOT NULL DEFAULT '[]',
        started_at TEXT NOT NULL,
        started_by TEXT NOT NULL,
        closed_at TEXT,
        approved_at TEXT,
        approved_by TEXT
    );
    CREATE TABLE panel_cases (
        case_id INTEGER PRIMARY KEY,
        grp TEXT
    );
    CREATE TABLE formal_checks (
        case_id INTEGER PRIMARY KEY,
        ticks TEXT NOT NULL DEFAULT '{}',
        paper_on TEXT,
        decision TEXT CHECK (decision IN ('pass', 'reject', 'amend')),
        note TEXT NOT NULL DEFAULT '',
        amend_until TEXT,
        decided_at TEXT,
        decided_by TEXT
    );
    CREATE TABLE recusals (
        expert INTEGER NOT NULL REFERENCES experts(id),
        case_id INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        declared_by TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (expert, case_id)
    );
    CREATE TABLE clearances (
        expert INTEGER NOT NULL REFERENCES experts(id),
        case_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (expert, case_id)
    );
    CREATE TABLE scores (
        expert INTEGER NOT NULL REFERENCES experts(id),
        case_id INTEGER NOT NULL,
        gates TEXT NOT NULL,
        points TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        entered_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (expert, case_id)
    );
    CREATE TABLE panel_reviews (
        case_id INTEGER PRIMARY KEY,
        excluded INTEGER NOT NULL,
        reason TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE panel_selection (
        case_id INTEGER PRIMARY KEY,
        position INTEGER NOT NULL
    );
    """,
    # 12: the invitation code each member joined with (NULL for members from before: 邀请码未记录), so a
    # leaked code's members can be found and removed after a reissue
    """
    ALTER TABLE members ADD COLUMN invite TEXT;
    """,
)


async def migrate(db: aiosqlite.Connection) -> None:
    """Apply the migrations the file lacks, each in its own transaction with its version number."""
    await db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    current = await schema_version(db)
    for version, script in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        await db.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_sql(script):
                await db.execute(statement)
            await db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, iso(utcnow())))
            await db.commit()
        except BaseException:
            await db.rollback()
            raise


async def schema_version(db: aiosqlite.Connection) -> int:
    rows = list(await db.execute_fetchall("SELECT MAX(version) FROM schema_migrations"))
    return int(rows[0][0] or 0) if rows else 0


def split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], []
    for line in script.splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and (
            not joined.upper().startswith("CREATE TRIGGER") or joined.upper().endswith("END;")
        ):
            statements.append(joined)
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        statements.append(rest)
    return statements
