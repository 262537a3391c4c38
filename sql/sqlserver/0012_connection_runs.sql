-- Connections as runs (src/ReportJob/Snapshots/Runs): a connection is kept once per unbroken run of its server's
-- snapshots in which it is seen in the same state, not once per snapshot. A run covers every ok snapshot of its
-- server from first_at to last_at: a failed snapshot does not end it, a snapshot without the connection (or with it
-- in another state, or another creation time) does, and so does a gap of more than 30 minutes or a UTC midnight (so
-- that a day's runs are read, and purged, as one range). ConnectionRunMigration converts the rows of `connection`
-- into runs right after this script, in the same transaction, and drops that table.
--
-- A run is written as a row of connection_run once, when it ends: the key (last_at, server_id, seq) makes each
-- snapshot's rows an append at the end of the table, and a day's runs one range of it. The runs still open at a
-- server's latest snapshot (open_at) are one value of its snapshot_server row (open_runs, OpenRuns.cs has its layout),
-- rewritten with each snapshot.
--
-- Times of snapshots are milliseconds since 1970-01-01 UTC, cut down (a snapshot's key: one snapshot per server and
-- millisecond); the exact time stays in snapshot.taken_at. created_at and first_seen are .NET ticks (100 ns since
-- 0001-01-01 UTC), exact. Addresses are binary in network order: 4 bytes IPv4, 16 bytes IPv6, 20 with an IPv6 scope
-- id (big-endian) after them. state is the MIB_TCP_STATE number (5 Established, 11 TimeWait, ...).
CREATE TABLE snapshot_server (
    id       int           IDENTITY(1,1) NOT NULL PRIMARY KEY,
    name     nvarchar(256) COLLATE Latin1_General_100_BIN2 NOT NULL UNIQUE,
    -- A new random number with every change of the server's runs: a writer keeps the open runs in memory while the
    -- number it wrote last is still there.
    version  bigint        NOT NULL,
    -- The number the server's next run gets.
    next_seq bigint        NOT NULL,
    -- The server's latest ok snapshot, and the runs still open at it (NULL: none).
    open_at   bigint         NULL,
    open_runs varbinary(max) NULL
);

CREATE TABLE connection_run (
    first_at       bigint        NOT NULL,
    server_id      int           NOT NULL REFERENCES snapshot_server (id),
    -- Numbers the server's runs (snapshot_server.next_seq is the next): with last_at and server_id, the key.
    seq            bigint        NOT NULL,
    remote_address varbinary(20) NOT NULL,
    remote_port    int           NOT NULL,
    local_address  varbinary(20) NOT NULL,
    local_port     int           NOT NULL,
    -- The run's last snapshot.
    last_at        bigint        NOT NULL,
    state          tinyint       NOT NULL,
    -- NULL: the source gives no creation time (Linux).
    created_at     bigint        NULL,
    -- When the connection (its addresses and ports, in any state) was first seen in an unbroken chain of snapshots at
    -- most 30 minutes apart; NULL: the run's first snapshot.
    first_seen     bigint        NULL,
    PRIMARY KEY CLUSTERED (last_at, server_id, seq)
);
GO

-- Runs go with their snapshots: once the retention job has deleted a server's snapshots of a UTC day and every day
-- before, the server's runs of those days go too.
CREATE TRIGGER snapshot_runs_purge ON snapshot AFTER DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @purge TABLE (id int PRIMARY KEY, kept bigint NOT NULL);
    INSERT INTO @purge (id, kept)
    SELECT s.id, COALESCE(DATEDIFF_BIG(millisecond, CAST('1970-01-01' AS datetime2), CAST(CAST(MIN(k.taken_at) AS date) AS datetime2)), 9223372036854775807)
    FROM snapshot_server s LEFT JOIN snapshot k ON k.server = s.name COLLATE Latin1_General_100_BIN2
    WHERE s.name IN (SELECT server COLLATE Latin1_General_100_BIN2 FROM deleted)
    GROUP BY s.id;
    DELETE r FROM connection_run r JOIN @purge x ON x.id = r.server_id WHERE r.last_at < x.kept;
    UPDATE s SET open_at = NULL, open_runs = NULL FROM snapshot_server s JOIN @purge x ON x.id = s.id WHERE s.open_at < x.kept;
END
GO

-- Daily roll-ups (src/ReportJob/Snapshots/Days), kept longer than the runs: per calendar day of the zone named in
-- time_zone. A round is one collection run across the servers; averages are per round of the day.
CREATE TABLE connection_day (
    day          date          NOT NULL PRIMARY KEY,
    time_zone    nvarchar(128) NOT NULL,
    rounds       int           NOT NULL,
    -- The day's snapshots (ok and failed) when it was rolled up: a day that has more now is rolled up again.
    snapshots    int           NOT NULL,
    failed       int           NOT NULL,
    clients      int           NOT NULL,
    peak         bigint        NOT NULL,
    total        bigint        NOT NULL,
    rolled_up_at datetime2     NOT NULL
);

CREATE TABLE connection_day_server (
    day            date          NOT NULL,
    server         nvarchar(256) NOT NULL,
    rounds         int           NOT NULL,
    peak           bigint        NOT NULL,
    total          bigint        NOT NULL,
    max_deviation  float         NOT NULL,
    rounds_flagged int           NOT NULL,
    PRIMARY KEY (day, server)
);

CREATE TABLE connection_day_site (
    day     date          NOT NULL,
    site    nvarchar(256) NOT NULL,
    clients int           NOT NULL,
    rounds  int           NOT NULL,
    peak    bigint        NOT NULL,
    total   bigint        NOT NULL,
    PRIMARY KEY (day, site)
);

CREATE TABLE connection_day_client (
    day    date          NOT NULL,
    client varbinary(20) NOT NULL,
    rounds int           NOT NULL,
    peak   bigint        NOT NULL,
    total  bigint        NOT NULL,
    PRIMARY KEY (day, client)
);
