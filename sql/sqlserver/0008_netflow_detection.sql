-- NetFlow: evidence of DoS targets and mail fan-out, the deviations sloppy exporters are decoded despite, and the
-- service port as the key of conversations and ports. See sql/sqlite/0008_netflow_detection.sql for the layout.
CREATE TABLE flow_peer_evidence (
    kind       varchar(16)    NOT NULL,
    hour_start datetime2      NOT NULL,
    address    varchar(64)    NOT NULL,
    flows      bigint         NOT NULL,
    packets    bigint         NOT NULL,
    first_seen datetime2      NOT NULL,
    last_seen  datetime2      NOT NULL,
    peers      int            NOT NULL,
    peer_list  varbinary(max) NOT NULL
);
CREATE INDEX ix_flow_peer_evidence_hour ON flow_peer_evidence (kind, hour_start, address);

ALTER TABLE flow_quality ADD
    trailing_bytes   bigint NOT NULL CONSTRAINT df_flow_quality_trailing_bytes DEFAULT 0,
    zero_export_time bigint NOT NULL CONSTRAINT df_flow_quality_zero_export_time DEFAULT 0,
    short_counters   bigint NOT NULL CONSTRAINT df_flow_quality_short_counters DEFAULT 0,
    unpadded_sets    bigint NOT NULL CONSTRAINT df_flow_quality_unpadded_sets DEFAULT 0,
    capture_cut_at   bigint NULL;

EXEC sp_rename N'flow_conversation.destination_port', N'service_port', N'COLUMN';
