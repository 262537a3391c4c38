using Microsoft.Extensions.Logging;

namespace ReportJob.NetFlow;

internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Information, "Ingested {CaptureFile}: {Datagrams} datagrams, {Records} flow records ({Skipped} left out by the direction policy), {Rows} rows in {Seconds:0.00} s ({Rate:0} records/s)")]
    public static partial void FileIngested(ILogger logger, string captureFile, long datagrams, long records, long skipped, long rows, double seconds, double rate);

    [LoggerMessage(6002, LogLevel.Information, "Skipped {CaptureFile}: the same content was ingested on {IngestedAt:u} as {LedgerName}")]
    public static partial void AlreadyIngested(ILogger logger, string captureFile, DateTime ingestedAt, string ledgerName);

    [LoggerMessage(6009, LogLevel.Information, "Capture {CaptureFile}: recognised from the ledger after {Datagrams} datagrams; the rest was not decoded")]
    public static partial void DuplicateStoppedEarly(ILogger logger, string captureFile, long datagrams);

    [LoggerMessage(6010, LogLevel.Warning, "Capture {CaptureFile}: the ledger could not be asked beside the decoding (it is asked again at the end)")]
    public static partial void EarlyLedgerCheckFailed(ILogger logger, Exception exception, string captureFile);

    [LoggerMessage(6003, LogLevel.Error, "Capture {CaptureFile} failed and was rolled back: {Reason}")]
    public static partial void FileFailed(ILogger logger, Exception? exception, string captureFile, string reason);

    [LoggerMessage(6004, LogLevel.Warning, "Capture {CaptureFile}: {Lost} export units lost per sequence numbers, {MissingTemplate} data sets without template, {Undecodable} undecodable sets or datagrams")]
    public static partial void FileLosses(ILogger logger, string captureFile, long lost, long missingTemplate, long undecodable);

    [LoggerMessage(6019, LogLevel.Information, "Capture {CaptureFile}: decoded despite deviations from the RFCs, in datagrams: {TrailingBytes} with bytes after the message, {ZeroExportTime} with export time 0, {ShortCounters} with 1-3 byte counters, {UnpaddedSets} with an unpadded v9 FlowSet")]
    public static partial void FileDeviations(ILogger logger, string captureFile, long trailingBytes, long zeroExportTime, long shortCounters, long unpaddedSets);

    [LoggerMessage(6020, LogLevel.Warning, "Capture {CaptureFile} ends in the middle of its last record at byte offset {Offset} ({Reason}): ingested up to it")]
    public static partial void CaptureCut(ILogger logger, string captureFile, long offset, string reason);

    [LoggerMessage(6005, LogLevel.Warning, "A stored template snapshot could not be read and was ignored")]
    public static partial void TemplateSnapshotUnreadable(ILogger logger);

    [LoggerMessage(6006, LogLevel.Information, "Inbox {Inbox}: {Ingested} ingested, {Duplicates} already ingested, {Failed} failed")]
    public static partial void InboxDone(ILogger logger, string inbox, int ingested, int duplicates, int failed);

    [LoggerMessage(6007, LogLevel.Debug, "Capture {CaptureFile}: wrote {Rows} rows of {Buckets} buckets and {Hours} detection hours (top N {DrainSeconds:0.000} s, write {WriteSeconds:0.000} s)")]
    public static partial void Flushed(ILogger logger, string captureFile, int rows, int buckets, int hours, double drainSeconds, double writeSeconds);

    [LoggerMessage(6008, LogLevel.Debug, "Capture {CaptureFile}: decode + aggregate {Decode:0.000} s, waiting for the writer and the last rows {Wait:0.000} s, the rest (open, templates, quality, ledger, commit) {Finish:0.000} s; beside them the hash {Hash:0.000} s and the writer's work {Writer:0.000} s")]
    public static partial void Phases(ILogger logger, string captureFile, double hash, double decode, double wait, double writer, double finish);

    [LoggerMessage(6011, LogLevel.Information, "Listening for NetFlow/IPFIX on {Endpoint}; receive buffer asked {Asked} bytes, granted {Granted}; writing to {Folder}")]
    public static partial void Listening(ILogger logger, string endpoint, int asked, int granted, string folder);

    [LoggerMessage(6015, LogLevel.Warning, "The OS granted a receive buffer of {Granted} bytes of the {Asked} asked: a burst of exports larger than that is dropped. Raise net.core.rmem_max (sysctl) or run with CAP_NET_ADMIN")]
    public static partial void ReceiveBufferCapped(ILogger logger, int granted, int asked);

    [LoggerMessage(6016, LogLevel.Error, "Cannot write {CaptureFile} at offset {Offset}: {Reason}. Holding {Held} datagrams and trying again every second; datagrams that do not fit meanwhile are dropped")]
    public static partial void WriteFailed(ILogger logger, string captureFile, long offset, string reason, int held);

    [LoggerMessage(6017, LogLevel.Warning, "Writing again ({CaptureFile}); {Dropped} datagrams were dropped while the disk refused them")]
    public static partial void WriteResumed(ILogger logger, string captureFile, long dropped);

    [LoggerMessage(6018, LogLevel.Warning, "Completed {CaptureFile}, left unfinished by an earlier run: {Datagrams} datagrams, {Bytes} bytes (cut back to its last whole record)")]
    public static partial void LeftoverCompleted(ILogger logger, string captureFile, long datagrams, long bytes);

    [LoggerMessage(6021, LogLevel.Information, "Listening for NetFlow/IPFIX over {Transport} on {Endpoint}; writing to {Folder}")]
    public static partial void ListeningForConnections(ILogger logger, string transport, string endpoint, string folder);

    [LoggerMessage(6022, LogLevel.Information, "Exporter {Exporter} connected")]
    public static partial void ExporterConnected(ILogger logger, string exporter);

    [LoggerMessage(6023, LogLevel.Information, "Exporter {Exporter} disconnected after {Messages} messages")]
    public static partial void ExporterDisconnected(ILogger logger, string exporter, long messages);

    [LoggerMessage(6024, LogLevel.Error, "Exporter {Exporter}: the stream cannot be cut into messages at offset {Offset} ({Reason}); the connection is closed")]
    public static partial void StreamUnframeable(ILogger logger, string exporter, long offset, string reason);

    [LoggerMessage(6025, LogLevel.Warning, "Exporter {Exporter}: the connection ended in the middle of a message at stream offset {Offset} ({Held} bytes of it received); that message is lost")]
    public static partial void MessageIncomplete(ILogger logger, string exporter, long offset, int held);

    [LoggerMessage(6026, LogLevel.Error, "Exporter {Exporter}: the message at stream offset {Offset} ({Length} bytes) is too large for a capture record and was not written")]
    public static partial void MessageTooLarge(ILogger logger, string exporter, long offset, int length);

    [LoggerMessage(6027, LogLevel.Warning, "Exporter {Exporter}: the connection failed ({Error})")]
    public static partial void ConnectionFailed(ILogger logger, string exporter, string error);

    [LoggerMessage(6012, LogLevel.Information, "Capture file {CaptureFile} complete: {Datagrams} datagrams, {Bytes} bytes")]
    public static partial void CaptureRotated(ILogger logger, string captureFile, long datagrams, long bytes);

    [LoggerMessage(6013, LogLevel.Warning, "UDP receive failed ({Error}); dropped so far {Dropped}")]
    public static partial void ReceiveFailed(ILogger logger, string error, long dropped);

    [LoggerMessage(6014, LogLevel.Information, "Collector stopped: received {Received}, written {Written}, dropped {Dropped}, files {Files}")]
    public static partial void CollectorStopped(ILogger logger, long received, long written, long dropped, long files);
}
