-- IIS W3C logs aggregated per UTC day and client address (src/ReportJob/IisLogs). day is 'yyyy-MM-dd'.
-- Counts are added by upserts as files are imported; iis_log_file remembers how far each log was read so a
-- log that grew since (today's file, still written by IIS) is continued, never counted twice.
CREATE TABLE iis_client_day (
    day            TEXT    NOT NULL,
    client         TEXT    NOT NULL,
    requests       INTEGER NOT NULL,
    status_401     INTEGER NOT NULL,
    status_403     INTEGER NOT NULL,
    status_5xx     INTEGER NOT NULL,
    bytes_sent     INTEGER NULL,
    bytes_received INTEGER NULL,
    agents_other   INTEGER NOT NULL,
    users_other    INTEGER NOT NULL,
    PRIMARY KEY (day, client)
);

CREATE TABLE iis_client_protocol_day (
    day      TEXT    NOT NULL,
    client   TEXT    NOT NULL,
    protocol TEXT    NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (day, client, protocol)
);

CREATE TABLE iis_client_agent_day (
    day        TEXT    NOT NULL,
    client     TEXT    NOT NULL,
    user_agent TEXT    NOT NULL,
    requests   INTEGER NOT NULL,
    PRIMARY KEY (day, client, user_agent)
);

CREATE TABLE iis_client_user_day (
    day       TEXT    NOT NULL,
    client    TEXT    NOT NULL,
    user_name TEXT    NOT NULL,
    requests  INTEGER NOT NULL,
    PRIMARY KEY (day, client, user_name)
);

CREATE TABLE iis_log_file (
    file_key       TEXT    NOT NULL PRIMARY KEY,
    file_name      TEXT    NOT NULL,
    content_length INTEGER NOT NULL,
    content_sha256 TEXT    NOT NULL,
    header         TEXT    NOT NULL,
    imported_at    TEXT    NOT NULL
);
