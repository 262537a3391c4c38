-- Times are UTC, stored in Microsoft.Data.Sqlite's text form (sorts like the time it holds).
CREATE TABLE ingest_ledger (
    sha256       TEXT    NOT NULL PRIMARY KEY,
    kind         TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    row_count    INTEGER NOT NULL,
    ingested_at  TEXT    NOT NULL
);

CREATE TABLE snapshot (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    server           TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    taken_at         TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    error            TEXT    NULL,
    connection_count INTEGER NOT NULL,
    duration_ms      INTEGER NOT NULL
);
CREATE INDEX ix_snapshot_taken_at ON snapshot (taken_at);
CREATE INDEX ix_snapshot_server_taken_at ON snapshot (server, taken_at);

CREATE TABLE connection (
    snapshot_id    INTEGER NOT NULL REFERENCES snapshot (id) ON DELETE CASCADE,
    local_address  TEXT    NOT NULL,
    local_port     INTEGER NOT NULL,
    remote_address TEXT    NOT NULL,
    remote_port    INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    created_at     TEXT    NULL,
    first_seen     TEXT    NOT NULL,
    process_id     INTEGER NULL,
    is_loopback    INTEGER NOT NULL
);
CREATE INDEX ix_connection_snapshot ON connection (snapshot_id);

CREATE TABLE site_subnet (
    network       TEXT    NOT NULL PRIMARY KEY,
    prefix_length INTEGER NOT NULL,
    site          TEXT    NOT NULL
);
