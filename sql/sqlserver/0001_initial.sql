-- Times are UTC (datetime2).
CREATE TABLE ingest_ledger (
    sha256       varchar(64)    NOT NULL PRIMARY KEY,
    kind         nvarchar(32)   NOT NULL,
    file_name    nvarchar(1024) NOT NULL,
    size_bytes   bigint         NOT NULL,
    row_count    bigint         NOT NULL,
    ingested_at  datetime2      NOT NULL
);

CREATE TABLE snapshot (
    id               bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    server           nvarchar(256)  NOT NULL,
    source           nvarchar(32)   NOT NULL,
    taken_at         datetime2      NOT NULL,
    status           nvarchar(16)   NOT NULL,
    error            nvarchar(max)  NULL,
    connection_count int            NOT NULL,
    duration_ms      bigint         NOT NULL
);
CREATE INDEX ix_snapshot_taken_at ON snapshot (taken_at);
CREATE INDEX ix_snapshot_server_taken_at ON snapshot (server, taken_at);

CREATE TABLE connection (
    snapshot_id    bigint        NOT NULL REFERENCES snapshot (id) ON DELETE CASCADE,
    local_address  varchar(64)   NOT NULL,
    local_port     int           NOT NULL,
    remote_address varchar(64)   NOT NULL,
    remote_port    int           NOT NULL,
    state          varchar(16)   NOT NULL,
    created_at     datetime2     NULL,
    first_seen     datetime2     NOT NULL,
    process_id     int           NULL,
    is_loopback    bit           NOT NULL
);
CREATE INDEX ix_connection_snapshot ON connection (snapshot_id);

CREATE TABLE site_subnet (
    network       varchar(64)   NOT NULL PRIMARY KEY,
    prefix_length int           NOT NULL,
    site          nvarchar(256) NOT NULL
);
