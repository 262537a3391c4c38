using Microsoft.Extensions.Logging;

namespace ReportJob.Snapshots;

/// <summary>The Snapshots feature's log messages: collection from the sources (2100–2149).</summary>
internal static partial class Log
{
    [LoggerMessage(2101, LogLevel.Debug, "Server {Server} has a Csv source: its drop folder is imported, not collected")]
    public static partial void CsvServerSkipped(ILogger logger, string server);

    [LoggerMessage(2102, LogLevel.Information, "Collected {Server} ({Source}): {Rows} of {Read} connections kept in {Seconds:0.00} s")]
    public static partial void ServerCollected(ILogger logger, string server, string source, int rows, int read, double seconds);

    [LoggerMessage(2103, LogLevel.Warning, "Collecting {Server} ({Source}) failed after {Seconds:0.00} s: {Error}")]
    public static partial void ServerFailed(ILogger logger, string server, string source, double seconds, string error);

    [LoggerMessage(2104, LogLevel.Warning, "{Server}: {Malformed} malformed lines left out of the connection table; {Samples}")]
    public static partial void MalformedLines(ILogger logger, string server, int malformed, string samples);

    [LoggerMessage(2105, LogLevel.Information, "Collected {Servers} servers: {Ok} ok, {Failed} failed, {Rows} connections stored in {Seconds:0.00} s")]
    public static partial void CollectionSummary(ILogger logger, int servers, int ok, int failed, int rows, double seconds);

    [LoggerMessage(2106, LogLevel.Error, "Could not record the failure of {Server} in the database")]
    public static partial void FailureNotStored(ILogger logger, Exception exception, string server);

    [LoggerMessage(2107, LogLevel.Debug, "Running ssh {Arguments} <remote command>")]
    public static partial void SshStarting(ILogger logger, string arguments);
}
