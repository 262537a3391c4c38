-- IIS W3C logs aggregated per UTC day and client address (src/ReportJob/IisLogs).
-- Counts are added by upserts as files are imported; iis_log_file remembers how far each log was read so a
-- log that grew since (today's file, still written by IIS) is continued, never counted twice.
CREATE TABLE iis_client_day (
    day            date   NOT NULL,
    client         text   NOT NULL,
    requests       bigint NOT NULL,
    status_401     bigint NOT NULL,
    status_403     bigint NOT NULL,
    status_5xx     bigint NOT NULL,
    bytes_sent     bigint NULL,
    bytes_received bigint NULL,
    agents_other   bigint NOT NULL,
    users_other    bigint NOT NULL,
    PRIMARY KEY (day, client)
);

CREATE TABLE iis_client_protocol_day (
    day      date   NOT NULL,
    client   text   NOT NULL,
    protocol text   NOT NULL,
    requests bigint NOT NULL,
    PRIMARY KEY (day, client, protocol)
);

CREATE TABLE iis_client_agent_day (
    day        date   NOT NULL,
    client     text   NOT NULL,
    user_agent text   NOT NULL,
    requests   bigint NOT NULL,
    PRIMARY KEY (day, client, user_agent)
);

CREATE TABLE iis_client_user_day (
    day       date   NOT NULL,
    client    text   NOT NULL,
    user_name text   NOT NULL,
    requests  bigint NOT NULL,
    PRIMARY KEY (day, client, user_name)
);

CREATE TABLE iis_log_file (
    file_key       text        NOT NULL PRIMARY KEY,
    file_name      text        NOT NULL,
    content_length bigint      NOT NULL,
    content_sha256 text        NOT NULL,
    header         text        NOT NULL,
    imported_at    timestamptz NOT NULL
);
