"""The project schema, as numbered forward migrations.

Each migration runs once, in order, inside the transaction that opens the
project, and is recorded in `_migrations`. Later features add a migration at the
end of MIGRATIONS; they never edit an earlier one, so old project files upgrade
in place. `PRAGMA user_version` mirrors the count so a newer file is refused
by an older qual-coder instead of being misread.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "foundation",
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE stakeholder_types (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            sort INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            source_file TEXT NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'interview'
                CHECK (kind IN ('interview', 'focus_group')),
            site TEXT,
            date TEXT,
            words INTEGER NOT NULL,
            text TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            stakeholder_type TEXT REFERENCES stakeholder_types(key) ON UPDATE CASCADE,
            role TEXT
        );
        CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
            UNIQUE (transcript_id, label)
        );
        CREATE INDEX speakers_participant ON speakers(participant_id);
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            speaker_id INTEGER REFERENCES speakers(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            timestamp TEXT,
            UNIQUE (transcript_id, seq)
        );
        CREATE TABLE attributes (
            scope TEXT NOT NULL CHECK (scope IN ('participant', 'transcript')),
            owner_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT,
            PRIMARY KEY (scope, owner_id, name)
        );
        INSERT INTO stakeholder_types (key, label, is_interviewer, sort) VALUES
            ('school_staff', 'School staff', 0, 1),
            ('nhs_cypmhs', 'NHS CYPMHS', 0, 2),
            ('other_cypmhs', 'Other CYPMHS (voluntary sector, educational psychology)', 0, 3),
            ('commissioner', 'Commissioner', 0, 4),
            ('interviewer', 'Interviewer / facilitator', 1, 9);
        """,
    ),
    (
        "codebooks and codings",
        """
        CREATE TABLE codebooks (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            metadata TEXT NOT NULL DEFAULT '{}',
            source_file TEXT,
            guid TEXT NOT NULL UNIQUE,
            sort INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            codebook_id INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
            parent_id INTEGER REFERENCES codes(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            include TEXT NOT NULL DEFAULT '',
            exclude TEXT NOT NULL DEFAULT '',
            example TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '[]',
            patterns TEXT NOT NULL DEFAULT '[]',
            color TEXT,
            origin TEXT NOT NULL DEFAULT 'inductive' CHECK (origin IN ('deductive', 'inductive')),
            codable INTEGER NOT NULL DEFAULT 1,
            guid TEXT NOT NULL UNIQUE,
            sort INTEGER NOT NULL DEFAULT 0,
            created_by TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX codes_parent ON codes(parent_id);
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            coder TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'final' CHECK (status IN ('final', 'suggested')),
            source TEXT NOT NULL DEFAULT 'manual',
            guid TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        );
        CREATE INDEX codings_transcript ON codings(transcript_id, start);
        CREATE INDEX codings_code ON codings(code_id);
        CREATE TABLE code_history (
            id INTEGER PRIMARY KEY,
            code_key TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            coder TEXT,
            at TEXT NOT NULL
        );
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            scope TEXT NOT NULL CHECK (scope IN ('project', 'transcript', 'code', 'coding')),
            owner_id INTEGER,
            text TEXT NOT NULL,
            author TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (scope, owner_id)
        );
        """,
    ),
    (
        "undo log",
        """
        -- Coding actions as before/after snapshots of the codings they touched, so undo
        -- and redo work across restarts. undone = 1 marks the redo stack.
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            coder TEXT,
            at TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        );
        """,
    ),
    (
        "speaker index",
        """
        -- Turn counts per speaker and participant are read on every start-up.
        CREATE INDEX turns_speaker ON turns(speaker_id);
        """,
    ),
    (
        "framework summaries and full-text search",
        """
        -- The analyst's summary of one framework-matrix cell (Ritchie & Spencer charting).
        CREATE TABLE framework_cells (
            theme TEXT NOT NULL,
            cases TEXT NOT NULL CHECK (cases IN ('participant', 'transcript', 'site')),
            case_key TEXT NOT NULL,
            code TEXT NOT NULL,
            summary TEXT NOT NULL,
            author TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (theme, cases, case_key, code)
        );
        -- Words of every turn, for quote search; rowid is the turn's id. Filled on the
        -- first search after an import (turn_fts_done lists the transcripts indexed),
        -- so importing stays at full speed.
        CREATE VIRTUAL TABLE turn_fts USING fts5(text, content='', tokenize='unicode61');
        CREATE TABLE turn_fts_done (transcript_id INTEGER PRIMARY KEY);
        """,
    ),
    (
        "cascade ratings and surveys",
        """
        CREATE TABLE cascade_ratings (
            area TEXT NOT NULL,
            workshop TEXT NOT NULL,
            workshop_order INTEGER NOT NULL,
            domain TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 3),
            PRIMARY KEY (area, workshop, domain)
        );
        CREATE TABLE survey_items (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('numeric', 'likert', 'categorical')),
            levels TEXT NOT NULL DEFAULT '[]',
            groups TEXT NOT NULL DEFAULT '{}',
            sort INTEGER NOT NULL
        );
        CREATE TABLE survey_responses (
            respondent_id TEXT NOT NULL,
            wave TEXT NOT NULL,
            wave_order INTEGER NOT NULL,
            item TEXT NOT NULL REFERENCES survey_items(key) ON DELETE CASCADE,
            value TEXT,
            PRIMARY KEY (respondent_id, wave, item)
        );
        """,
    ),
    (
        "triangulation links",
        """
        -- Which codes speak to a CASCADE domain or a survey item (beyond the domain's own
        -- code and the links cascade.yaml declares).
        CREATE TABLE links (
            kind TEXT NOT NULL CHECK (kind IN ('cascade', 'survey')),
            source TEXT NOT NULL,
            code TEXT NOT NULL,
            PRIMARY KEY (kind, source, code)
        );
        """,
    ),
    (
        "unplaced codings",
        """
        -- Codings that could not be re-anchored when a corrected transcript was imported:
        -- kept, with the words they covered, for the analyst to place by hand.
        CREATE TABLE unplaced_codings (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            coder TEXT NOT NULL,
            quote TEXT NOT NULL,
            old_start INTEGER NOT NULL,
            old_end INTEGER NOT NULL,
            guid TEXT NOT NULL,
            created_at TEXT NOT NULL,
            unplaced_at TEXT NOT NULL
        );
        """,
    ),
    (
        "agreement resolutions",
        """
        -- Disagreements between coders settled as "keep both versions": remembered so
        -- the disagreement list stops showing them. (Keeping one version or merging
        -- changes the codings themselves, through the undo log.)
        CREATE TABLE agreement_resolutions (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            coders TEXT NOT NULL,
            decision TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            UNIQUE (transcript_id, code, start, "end")
        );
        """,
    ),
    (
        "nlp: sentence cache, learned model, suggestions",
        """
        -- Sentences within turns with their lemmas, made by the NLP pipeline; recomputed
        -- when a transcript's text or the pipeline changes (sentence_state).
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            turn_seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            lemmas TEXT NOT NULL
        );
        CREATE INDEX sentences_transcript ON sentences(transcript_id, start);
        CREATE TABLE sentence_state (
            transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
            text_sha TEXT NOT NULL,
            pipeline TEXT NOT NULL
        );
        -- The classifier learned from the project's coding (spaCy textcat_multilabel).
        CREATE TABLE nlp_models (
            name TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            labels TEXT NOT NULL,
            examples INTEGER NOT NULL,
            codings INTEGER NOT NULL,
            trained_at TEXT NOT NULL
        );
        -- Why a suggested coding was suggested (no foreign key: undo re-inserts codings).
        CREATE TABLE suggestion_reasons (
            coding_id INTEGER PRIMARY KEY,
            score REAL NOT NULL,
            engine TEXT NOT NULL,
            why TEXT NOT NULL
        );
        -- Every accept and reject, which the learned engine trains on.
        CREATE TABLE suggestion_decisions (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
            engine TEXT,
            score REAL,
            coder TEXT NOT NULL,
            decided_at TEXT NOT NULL
        );
        """,
    ),
    (
        "exchange identity",
        """
        -- A transcript imported from a REFI-QDA project keeps its source's GUID (exports
        -- write it back) and how that tool counted positions (UTF-16 units for NVivo).
        ALTER TABLE transcripts ADD COLUMN guid TEXT;
        ALTER TABLE transcripts ADD COLUMN positions TEXT;
        -- A colour qual-coder chose for display (the code had none) is not exported.
        ALTER TABLE codes ADD COLUMN color_assigned INTEGER NOT NULL DEFAULT 0;
        """,
    ),
    (
        "undo an in-vivo code",
        """
        -- An action that created its code (in-vivo coding) keeps the code's row, so undo
        -- removes the code with its coding and redo brings both back.
        ALTER TABLE actions ADD COLUMN created_code TEXT;
        """,
    ),
    (
        "presence",
        """
        -- Who has a workbench open on this project, and on which transcript: each
        -- workbench process keeps its row fresh while it runs and removes it on exit; a
        -- row not seen for a while belongs to a process that died.
        CREATE TABLE presence (
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            coder TEXT NOT NULL,
            transcript_id INTEGER,
            served INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (host, pid)
        );
        """,
    ),
    (
        "undo per coder",
        """
        -- Each coder undoes and redoes their own actions; the index finds a coder's
        -- newest action and clears their redo stack without reading the whole log.
        CREATE INDEX actions_coder_undone ON actions (coder, undone, id);
        -- A coding's number is never given again (AUTOINCREMENT): with several coders, an
        -- undone coding's number would otherwise go to the next coding anyone makes, and
        -- redo (or an undo log entry) would find another coder's coding in its place.
        CREATE TABLE codings_numbered (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            coder TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'final' CHECK (status IN ('final', 'suggested')),
            source TEXT NOT NULL DEFAULT 'manual',
            guid TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        );
        INSERT INTO codings_numbered (id, transcript_id, code_id, start, "end", coder, status,
                                      source, guid, created_at)
            SELECT id, transcript_id, code_id, start, "end", coder, status, source, guid,
                   created_at FROM codings;
        DROP TABLE codings;
        ALTER TABLE codings_numbered RENAME TO codings;
        CREATE INDEX codings_transcript ON codings(transcript_id, start);
        CREATE INDEX codings_code ON codings(code_id);
        -- Numbers the undo log remembers are taken too.
        INSERT INTO sqlite_sequence (name, seq) SELECT 'codings', 0
            WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'codings');
        UPDATE sqlite_sequence SET seq = (SELECT max(coalesce(n, 0)) FROM (
            SELECT max(id) AS n FROM codings
            UNION ALL SELECT max(json_extract(j.value, '$.id'))
                FROM actions, json_each(actions.before) j
            UNION ALL SELECT max(json_extract(j.value, '$.id'))
                FROM actions, json_each(actions.after) j))
            WHERE name = 'codings';
        """,
    ),
    (
        "saved queries",
        """
        -- Coding queries saved by name (`qual-coder query --save NAME`), re-run with @NAME.
        CREATE TABLE queries (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            expression TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            saved_by TEXT,
            saved_at TEXT NOT NULL
        );
        """,
    ),
    (
        "events for the audit trail",
        """
        -- What no other table remembers with who and when: imports, reimports, merges,
        -- .qdpx imports, coding CSV imports, ratings and survey files, pseudonymised copies.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        """,
    ),
    (
        "codings counted per code from the index",
        """
        -- The codebook's counts (final codings per code) read the index alone: with the
        -- status beside the code, 200,000 codings are counted without reading a row.
        CREATE INDEX codings_code_status ON codings(code_id, status);
        DROP INDEX codings_code;
        """,
    ),
    (
        "long codings found by their length",
        """
        -- What overlaps a span is looked for near it (codings starting up to 2,000
        -- characters before) and among the few longer codings, which this index finds
        -- without reading the transcript's others: a coding costs the same with 500
        -- codings on the transcript as with 8,000.
        CREATE INDEX codings_length ON codings(transcript_id, ("end" - start));
        """,
    ),
]

LATEST = len(MIGRATIONS)
