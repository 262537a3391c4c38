using Microsoft.Extensions.Logging;

namespace ReportJob.Snapshots;

// The CSV drop folder's messages; the feature's other messages live in the other parts of Log.
internal static partial class Log
{
    [LoggerMessage(2201, LogLevel.Information, "Imported {CsvFile}: {Snapshots} snapshots, {Rows} rows ({DateFormat}, {TimeZone})")]
    public static partial void CsvImported(ILogger logger, string csvFile, int snapshots, long rows, string dateFormat, string timeZone);

    [LoggerMessage(2202, LogLevel.Information, "Skipped {CsvFile}: the same content was imported on {IngestedAt:u} as {LedgerFile}")]
    public static partial void CsvSkipped(ILogger logger, string csvFile, DateTime ingestedAt, string ledgerFile);

    [LoggerMessage(2203, LogLevel.Error, "Failed to import {CsvFile}: {Error}")]
    public static partial void CsvFailed(ILogger logger, string csvFile, string error);

    [LoggerMessage(2204, LogLevel.Warning, "{CsvFile}: snapshot of {Server} at {TakenAt:u} is already stored; not stored again")]
    public static partial void CsvDuplicateSnapshot(ILogger logger, string csvFile, string server, DateTime takenAt);

    [LoggerMessage(2205, LogLevel.Information, "CSV import: {Files} files ({Imported} imported, {Skipped} skipped, {Failed} failed), {Snapshots} snapshots, {Rows} rows in {Seconds:0.00} s ({RowsPerSecond:0} rows/s)")]
    public static partial void CsvSummary(ILogger logger, int files, int imported, int skipped, int failed, int snapshots, long rows, double seconds, double rowsPerSecond);

    [LoggerMessage(2206, LogLevel.Error, "Drop folder {DropFolder} of {Server} does not exist")]
    public static partial void CsvDropFolderMissing(ILogger logger, string dropFolder, string server);

    [LoggerMessage(2207, LogLevel.Information, "Exported {CsvFile}: {Rows} rows")]
    public static partial void CsvExported(ILogger logger, string csvFile, int rows);
}
