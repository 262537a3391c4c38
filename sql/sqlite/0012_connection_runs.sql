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
    id       INTEGER PRIMARY KEY,
    name     TEXT    NOT NULL UNIQUE,
    -- A new random number with every change of the server's runs: a writer keeps the open runs in memory while the
    -- number it wrote last is still there.
    version  INTEGER NOT NULL,
    -- The number the server's next run gets.
    next_seq INTEGER NOT NULL,
    -- The server's latest ok snapshot, and the runs still open at it (NULL: none).
    open_at   INTEGER NULL,
    open_runs BLOB    NULL
);

CREATE TABLE connection_run (
    first_at       INTEGER NOT NULL,
    server_id      INTEGER NOT NULL REFERENCES snapshot_server (id),
    -- Numbers the server's runs (snapshot_server.next_seq is the next): with last_at and server_id, the key.
    seq            INTEGER NOT NULL,
    remote_address BLOB    NOT NULL,
    remote_port    INTEGER NOT NULL,
    local_address  BLOB    NOT NULL,
    local_port     INTEGER NOT NULL,
    -- The run's last snapshot.
    last_at        INTEGER NOT NULL,
    state          INTEGER NOT NULL,
    -- NULL: the source gives no creation time (Linux).
    created_at     INTEGER NULL,
    -- When the connection (its addresses and ports, in any state) was first seen in an unbroken chain of snapshots at
    -- most 30 minutes apart; NULL: the run's first snapshot.
    first_seen     INTEGER NULL,
    PRIMARY KEY (last_at, server_id, seq)
) WITHOUT ROWID;

-- Runs go with their snapshots: once the retention job has deleted every snapshot of a server up to the end of a UTC
-- day, the server's runs of that day and before go too.
CREATE TRIGGER snapshot_runs_purge AFTER DELETE ON snapshot
WHEN NOT EXISTS (SELECT 1 FROM snapshot WHERE server = OLD.server AND taken_at < date(OLD.taken_at, '+1 day'))
BEGIN
    DELETE FROM connection_run
    WHERE last_at < CAST(strftime('%s', date(OLD.taken_at, '+1 day')) AS INTEGER) * 1000
      AND server_id = (SELECT id FROM snapshot_server WHERE name = OLD.server);
    UPDATE snapshot_server SET open_at = NULL, open_runs = NULL
    WHERE name = OLD.server AND open_at < CAST(strftime('%s', date(OLD.taken_at, '+1 day')) AS INTEGER) * 1000;
END;

-- Daily roll-ups (src/ReportJob/Snapshots/Days), kept longer than the runs (Scheduling:Retention:Tables, which
-- deletes by rowid: no WITHOUT ROWID here): per calendar day of the zone named in time_zone. A round is one
-- collection run across the servers; averages are per round of the day.
CREATE TABLE connection_day (
    day          TEXT    NOT NULL PRIMARY KEY,
    time_zone    TEXT    NOT NULL,
    rounds       INTEGER NOT NULL,
    -- The day's snapshots (ok and failed) when it was rolled up: a day that has more now is rolled up again.
    snapshots    INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    clients      INTEGER NOT NULL,
    peak         INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    rolled_up_at TEXT    NOT NULL
);

CREATE TABLE connection_day_server (
    day            TEXT    NOT NULL,
    server         TEXT    NOT NULL,
    rounds         INTEGER NOT NULL,
    peak           INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    max_deviation  REAL    NOT NULL,
    rounds_flagged INTEGER NOT NULL,
    PRIMARY KEY (day, server)
);

CREATE TABLE connection_day_site (
    day     TEXT    NOT NULL,
    site    TEXT    NOT NULL,
    clients INTEGER NOT NULL,
    rounds  INTEGER NOT NULL,
    peak    INTEGER NOT NULL,
    total   INTEGER NOT NULL,
    PRIMARY KEY (day, site)
);

CREATE TABLE connection_day_client (
    day    TEXT    NOT NULL,
    client BLOB    NOT NULL,
    rounds INTEGER NOT NULL,
    peak   INTEGER NOT NULL,
    total  INTEGER NOT NULL,
    PRIMARY KEY (day, client)
);
