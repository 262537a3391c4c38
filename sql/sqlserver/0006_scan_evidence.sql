-- Scan evidence packed per source and hour (one row per source, hour and ingested file or flush, instead of one row
-- per target): writing a row per target was most of a NetFlow ingest's time. Evidence stored by 0002's
-- flow_scan_target is not carried over (it was written before the first release).
-- hosts: 24 bytes per target: the address (16 bytes, IPv6 or IPv4-mapped, network order), then the tiny flows to it
--        (int64, little-endian). ports: 12 bytes per target: protocol << 16 | port (int32, little-endian), then the
--        flows (int64, little-endian). Each list holds at most NetFlow:Scan:EvidenceLimit targets.
DROP TABLE flow_scan_target;

CREATE TABLE flow_scan_evidence (
    hour_start datetime2 NOT NULL,
    source     varchar(64) NOT NULL,
    flows      bigint NOT NULL,
    first_seen datetime2 NOT NULL,
    last_seen  datetime2 NOT NULL,
    hosts      varbinary(max) NOT NULL,
    ports      varbinary(max) NOT NULL
);
CREATE INDEX ix_flow_scan_evidence_hour ON flow_scan_evidence (hour_start, source);
