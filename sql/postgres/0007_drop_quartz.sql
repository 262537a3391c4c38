-- The job server moved from Quartz.NET to Hangfire (its own tables in schema hangfire): Quartz's job store and our
-- run history go. Children before parents (foreign keys).
DROP TABLE IF EXISTS job_run;
DROP TABLE IF EXISTS qrtz_job_status;
DROP TABLE IF EXISTS qrtz_misfire_history;
DROP TABLE IF EXISTS qrtz_execution_history;
DROP TABLE IF EXISTS qrtz_locks;
DROP TABLE IF EXISTS qrtz_scheduler_state;
DROP TABLE IF EXISTS qrtz_fired_triggers;
DROP TABLE IF EXISTS qrtz_paused_job_grps;
DROP TABLE IF EXISTS qrtz_paused_trigger_grps;
DROP TABLE IF EXISTS qrtz_calendars;
DROP TABLE IF EXISTS qrtz_blob_triggers;
DROP TABLE IF EXISTS qrtz_simprop_triggers;
DROP TABLE IF EXISTS qrtz_cron_triggers;
DROP TABLE IF EXISTS qrtz_simple_triggers;
DROP TABLE IF EXISTS qrtz_triggers;
DROP TABLE IF EXISTS qrtz_job_details;
