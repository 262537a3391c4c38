-- NetFlow: evidence of DoS targets and mail fan-out, the deviations sloppy exporters are decoded despite, and the
-- service port as the key of conversations and ports. See sql/sqlite/0008_netflow_detection.sql for the layout.
CREATE TABLE flow_peer_evidence (
    kind       text        NOT NULL,
    hour_start timestamptz NOT NULL,
    address    text        NOT NULL,
    flows      bigint      NOT NULL,
    packets    bigint      NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    peers      integer     NOT NULL,
    peer_list  bytea       NOT NULL
);
CREATE INDEX ix_flow_peer_evidence_hour ON flow_peer_evidence (kind, hour_start, address);

ALTER TABLE flow_quality ADD COLUMN trailing_bytes   bigint NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN zero_export_time bigint NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN short_counters   bigint NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN unpadded_sets    bigint NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN capture_cut_at   bigint NULL;

ALTER TABLE flow_conversation RENAME COLUMN destination_port TO service_port;
