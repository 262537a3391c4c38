-- NetFlow/IPFIX aggregates. Times are UTC in Microsoft.Data.Sqlite's text form.
-- bucket_start is the flow's END time floored to NetFlow:BucketLength (default 5 minutes).
-- The tables are insert-only: each ingested file (or each flush of a very large file) adds rows, and queries
-- SUM over the rows of a key, so two files that cover the same bucket simply add up.
-- flows/packets/bytes are scaled by the sampling interval in effect; flow_exporter also keeps the raw counters.
-- A host or conversation row with address '(other)' holds what fell outside the top N of its bucket; a
-- flow_port row with port -1 holds the other ports of its protocol (so protocol totals stay exact).

CREATE TABLE flow_exporter (
    bucket_start  TEXT    NOT NULL,
    exporter      TEXT    NOT NULL,
    flows         INTEGER NOT NULL,
    packets       INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    raw_packets   INTEGER NOT NULL,
    raw_bytes     INTEGER NOT NULL,
    sampled_flows INTEGER NOT NULL,
    skipped_flows INTEGER NOT NULL
);
CREATE INDEX ix_flow_exporter_bucket ON flow_exporter (bucket_start);

-- role: 0 = the host as source, 1 = the host as destination.
CREATE TABLE flow_host (
    bucket_start TEXT    NOT NULL,
    role         INTEGER NOT NULL,
    address      TEXT    NOT NULL,
    flows        INTEGER NOT NULL,
    packets      INTEGER NOT NULL,
    bytes        INTEGER NOT NULL
);
CREATE INDEX ix_flow_host_bucket ON flow_host (bucket_start, role);

CREATE TABLE flow_conversation (
    bucket_start     TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    destination      TEXT    NOT NULL,
    protocol         INTEGER NOT NULL,
    destination_port INTEGER NOT NULL,
    flows            INTEGER NOT NULL,
    packets          INTEGER NOT NULL,
    bytes            INTEGER NOT NULL
);
CREATE INDEX ix_flow_conversation_bucket ON flow_conversation (bucket_start);

CREATE TABLE flow_port (
    bucket_start TEXT    NOT NULL,
    protocol     INTEGER NOT NULL,
    port         INTEGER NOT NULL,
    flows        INTEGER NOT NULL,
    packets      INTEGER NOT NULL,
    bytes        INTEGER NOT NULL
);
CREATE INDEX ix_flow_port_bucket ON flow_port (bucket_start);

-- in = traffic whose destination is in the site, out = traffic whose source is in the site (site mapping at ingest time).
CREATE TABLE flow_site (
    bucket_start TEXT    NOT NULL,
    site         TEXT    NOT NULL,
    flows_in     INTEGER NOT NULL,
    packets_in   INTEGER NOT NULL,
    bytes_in     INTEGER NOT NULL,
    flows_out    INTEGER NOT NULL,
    packets_out  INTEGER NOT NULL,
    bytes_out    INTEGER NOT NULL
);
CREATE INDEX ix_flow_site_bucket ON flow_site (bucket_start);

-- Scan evidence: per source and hour, up to NetFlow:Scan:EvidenceLimit distinct targets touched with tiny flows.
-- kind: 0 = a destination host (target is an address), 1 = a destination port (target is "protocol/port").
CREATE TABLE flow_scan_target (
    hour_start TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    kind       INTEGER NOT NULL,
    target     TEXT    NOT NULL,
    flows      INTEGER NOT NULL,
    first_seen TEXT    NOT NULL,
    last_seen  TEXT    NOT NULL
);
CREATE INDEX ix_flow_scan_target_hour ON flow_scan_target (hour_start, source);

-- Per ingested file and (exporter, version, observation domain): what was decoded and what was lost.
CREATE TABLE flow_quality (
    file_sha256           TEXT    NOT NULL,
    file_name             TEXT    NOT NULL,
    exporter              TEXT    NOT NULL,
    version               INTEGER NOT NULL,
    observation_domain    INTEGER NOT NULL,
    first_export          TEXT    NULL,
    last_export           TEXT    NULL,
    datagrams             INTEGER NOT NULL,
    flow_records          INTEGER NOT NULL,
    options_records       INTEGER NOT NULL,
    sequence_gaps         INTEGER NOT NULL,
    sequence_lost         INTEGER NOT NULL,
    missing_template_sets INTEGER NOT NULL,
    undecodable_sets      INTEGER NOT NULL,
    sampling_min          INTEGER NOT NULL,
    sampling_max          INTEGER NOT NULL,
    direction_policy      TEXT    NOT NULL,
    skipped_flows         INTEGER NOT NULL
);
CREATE INDEX ix_flow_quality_export ON flow_quality (last_export);

-- The decoder's template cache per exporter (FlowDecoder.ExportTemplates format), seeded before each file.
CREATE TABLE flow_template (
    exporter   TEXT NOT NULL PRIMARY KEY,
    snapshot   BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
