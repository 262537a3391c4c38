-- NetFlow: evidence of DoS targets and mail fan-out, the deviations sloppy exporters are decoded despite, and the
-- service port as the key of conversations and ports.
-- flow_peer_evidence: one row per address, kind, hour and ingested file (or flush). kind 'dos-target': a destination
--   of probe-shaped flows (tiny, or TCP SYN without ACK), peers = their sources; 'mail-sender': a source of flows to
--   the SMTP ports, peers = their destinations. flows/packets (sampling applied) and first/last seen are the address's
--   flows of that kind; peers = distinct peers seen; peer_list = the busiest NetFlow:Dos|MailFanOut:EvidenceLimit of
--   them, 24 bytes each: the address (16 bytes, IPv6 or IPv4-mapped, network order), then the flows (int64,
--   little-endian), as flow_scan_evidence.hosts.
CREATE TABLE flow_peer_evidence (
    kind       TEXT    NOT NULL,
    hour_start TEXT    NOT NULL,
    address    TEXT    NOT NULL,
    flows      INTEGER NOT NULL,
    packets    INTEGER NOT NULL,
    first_seen TEXT    NOT NULL,
    last_seen  TEXT    NOT NULL,
    peers      INTEGER NOT NULL,
    peer_list  BLOB    NOT NULL
);
CREATE INDEX ix_flow_peer_evidence_hour ON flow_peer_evidence (kind, hour_start, address);

-- Datagrams decoded despite a deviation from RFC 3954 / RFC 7011 (ExportDeviations), and the byte offset where a
-- capture ended in the middle of a record (the file was ingested up to it).
ALTER TABLE flow_quality ADD COLUMN trailing_bytes   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN zero_export_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN short_counters   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN unpadded_sets    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flow_quality ADD COLUMN capture_cut_at   INTEGER NULL;

-- Conversations are keyed by the service port (the lower-numbered port of TCP/UDP/SCTP), as flow_port has been by
-- the same rule since this version; rows ingested before hold the destination port.
ALTER TABLE flow_conversation RENAME COLUMN destination_port TO service_port;
