-- IIS W3C logs aggregated per UTC day and client address (src/ReportJob/IisLogs).
-- Counts are added by upserts as files are imported; iis_log_file remembers how far each log was read so a
-- log that grew since (today's file, still written by IIS) is continued, never counted twice.
-- Text keys use a binary collation: user agents that differ only in case are different agents, as on the
-- other providers. user_agent is at most 400 characters (IisLogs:MaxUserAgentLength) so that the key fits
-- SQL Server's 900-byte index key limit.
CREATE TABLE iis_client_day (
    day            date        NOT NULL,
    client         varchar(64) NOT NULL,
    requests       bigint      NOT NULL,
    status_401     bigint      NOT NULL,
    status_403     bigint      NOT NULL,
    status_5xx     bigint      NOT NULL,
    bytes_sent     bigint      NULL,
    bytes_received bigint      NULL,
    agents_other   bigint      NOT NULL,
    users_other    bigint      NOT NULL,
    PRIMARY KEY (day, client)
);

CREATE TABLE iis_client_protocol_day (
    day      date        NOT NULL,
    client   varchar(64) NOT NULL,
    protocol varchar(32) NOT NULL,
    requests bigint      NOT NULL,
    PRIMARY KEY (day, client, protocol)
);

CREATE TABLE iis_client_agent_day (
    day        date                                          NOT NULL,
    client     varchar(64)                                   NOT NULL,
    user_agent nvarchar(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
    requests   bigint                                        NOT NULL,
    PRIMARY KEY (day, client, user_agent)
);

CREATE TABLE iis_client_user_day (
    day       date                                          NOT NULL,
    client    varchar(64)                                   NOT NULL,
    user_name nvarchar(256) COLLATE Latin1_General_100_BIN2 NOT NULL,
    requests  bigint                                        NOT NULL,
    PRIMARY KEY (day, client, user_name)
);

CREATE TABLE iis_log_file (
    file_key       varchar(64)    NOT NULL PRIMARY KEY,
    file_name      nvarchar(1024) NOT NULL,
    content_length bigint         NOT NULL,
    content_sha256 varchar(64)    NOT NULL,
    header         nvarchar(max)  NOT NULL,
    imported_at    datetime2      NOT NULL
);
