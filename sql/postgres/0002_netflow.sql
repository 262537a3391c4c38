-- NetFlow/IPFIX aggregates. Times are UTC (timestamptz).
-- bucket_start is the flow's END time floored to NetFlow:BucketLength (default 5 minutes).
-- The tables are insert-only: each ingested file (or each flush of a very large file) adds rows, and queries
-- SUM over the rows of a key, so two files that cover the same bucket simply add up.
-- flows/packets/bytes are scaled by the sampling interval in effect; flow_exporter also keeps the raw counters.
-- A host or conversation row with address '(other)' holds what fell outside the top N of its bucket; a
-- flow_port row with port -1 holds the other ports of its protocol (so protocol totals stay exact).

CREATE TABLE flow_exporter (
    bucket_start  timestamptz    NOT NULL,
    exporter      text    NOT NULL,
    flows         bigint NOT NULL,
    packets       bigint NOT NULL,
    bytes         bigint NOT NULL,
    raw_packets   bigint NOT NULL,
    raw_bytes     bigint NOT NULL,
    sampled_flows bigint NOT NULL,
    skipped_flows bigint NOT NULL
);
CREATE INDEX ix_flow_exporter_bucket ON flow_exporter (bucket_start);

-- role: 0 = the host as source, 1 = the host as destination.
CREATE TABLE flow_host (
    bucket_start timestamptz    NOT NULL,
    role         integer NOT NULL,
    address      text    NOT NULL,
    flows        bigint NOT NULL,
    packets      bigint NOT NULL,
    bytes        bigint NOT NULL
);
CREATE INDEX ix_flow_host_bucket ON flow_host (bucket_start, role);

CREATE TABLE flow_conversation (
    bucket_start     timestamptz    NOT NULL,
    source           text    NOT NULL,
    destination      text    NOT NULL,
    protocol         integer NOT NULL,
    destination_port integer NOT NULL,
    flows            bigint NOT NULL,
    packets          bigint NOT NULL,
    bytes            bigint NOT NULL
);
CREATE INDEX ix_flow_conversation_bucket ON flow_conversation (bucket_start);

CREATE TABLE flow_port (
    bucket_start timestamptz    NOT NULL,
    protocol     integer NOT NULL,
    port         integer NOT NULL,
    flows        bigint NOT NULL,
    packets      bigint NOT NULL,
    bytes        bigint NOT NULL
);
CREATE INDEX ix_flow_port_bucket ON flow_port (bucket_start);

-- in = traffic whose destination is in the site, out = traffic whose source is in the site (site mapping at ingest time).
CREATE TABLE flow_site (
    bucket_start timestamptz    NOT NULL,
    site         text    NOT NULL,
    flows_in     bigint NOT NULL,
    packets_in   bigint NOT NULL,
    bytes_in     bigint NOT NULL,
    flows_out    bigint NOT NULL,
    packets_out  bigint NOT NULL,
    bytes_out    bigint NOT NULL
);
CREATE INDEX ix_flow_site_bucket ON flow_site (bucket_start);

-- Scan evidence: per source and hour, up to NetFlow:Scan:EvidenceLimit distinct targets touched with tiny flows.
-- kind: 0 = a destination host (target is an address), 1 = a destination port (target is "protocol/port").
CREATE TABLE flow_scan_target (
    hour_start timestamptz    NOT NULL,
    source     text    NOT NULL,
    kind       integer NOT NULL,
    target     text    NOT NULL,
    flows      bigint NOT NULL,
    first_seen timestamptz    NOT NULL,
    last_seen  timestamptz    NOT NULL
);
CREATE INDEX ix_flow_scan_target_hour ON flow_scan_target (hour_start, source);

-- Per ingested file and (exporter, version, observation domain): what was decoded and what was lost.
CREATE TABLE flow_quality (
    file_sha256           text    NOT NULL,
    file_name             text    NOT NULL,
    exporter              text    NOT NULL,
    version               integer NOT NULL,
    observation_domain    bigint NOT NULL,
    first_export          timestamptz    NULL,
    last_export           timestamptz    NULL,
    datagrams             bigint NOT NULL,
    flow_records          bigint NOT NULL,
    options_records       bigint NOT NULL,
    sequence_gaps         bigint NOT NULL,
    sequence_lost         bigint NOT NULL,
    missing_template_sets bigint NOT NULL,
    undecodable_sets      bigint NOT NULL,
    sampling_min          bigint NOT NULL,
    sampling_max          bigint NOT NULL,
    direction_policy      text    NOT NULL,
    skipped_flows         bigint NOT NULL
);
CREATE INDEX ix_flow_quality_export ON flow_quality (last_export);

-- The decoder's template cache per exporter (FlowDecoder.ExportTemplates format), seeded before each file.
CREATE TABLE flow_template (
    exporter   text NOT NULL PRIMARY KEY,
    snapshot   bytea NOT NULL,
    updated_at timestamptz NOT NULL
);
