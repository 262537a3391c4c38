using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.IisLogs;

/// <summary>
/// Imports one IIS W3C log (plain or gzip'd, UTF-8 with or without BOM) in one streaming pass and one transaction:
/// the lines are parsed from a reused buffer, aggregated per (day, client) in bounded memory, and merged into the
/// store together with the log's read position and its ledger entry — so a file is counted once, or not at all.
/// </summary>
/// <remarks>
/// Logs that grow. IIS keeps appending to today's log, and a copy of it may be imported more than once. Rather
/// than refusing recent files (a quiet server at night can look "closed" and then grow), every log is identified by
/// the SHA-256 of its content up to the end of its first request line, which never changes as the file grows and is
/// the same for a .log and its .log.gz. <c>iis_log_file</c> records how many bytes of that log were counted and their
/// SHA-256. A later import of the same log checks that those bytes are unchanged, then counts only what follows;
/// an older, shorter copy counts nothing; a log whose counted part changed is refused. A last line without a line
/// feed may be one IIS is still writing: it waits for the next import, unless the file has not been written for
/// <see cref="IisLogsOptions.InboxSettleTime"/> (yesterday's log, a copy), when it is counted like the others.
/// </remarks>
internal sealed class IisLogImporter(
    IDbConnectionFactory factory,
    IisStore store,
    IOptions<IisLogsOptions> options,
    TimeProvider time,
    ILogger<IisLogImporter> logger)
{
    public const string LedgerKind = "iis";

    private const int BufferSize = 1 << 20;
    private const int HeadLimit = 16 << 20;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public async Task<IisImportResult> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var fileKey = await ReadFileKeyAsync(path, IsSettled(path), cancellationToken);
        if (fileKey is null)
        {
            Log.Skipped(logger, path, IisImportStatus.Empty);
            return new IisImportResult(path, IisImportStatus.Empty, 0, 0, [], 0, 0, 0, watch.Elapsed);
        }

        var o = options.Value;
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var state = await store.FindFileAsync(connection, tx, fileKey, cancellationToken);
        var session = new Session(path, o, o.ResolveLocalTimeZone(), logger);
        var resumeAt = state?.ContentLength ?? 0;
        if (state is not null)
        {
            foreach (var directive in state.Header.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                session.Parser.ParseLine(System.Text.Encoding.UTF8.GetBytes(directive), out _, out _);
            }
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long bufferOffset = 0; // content offset of buffer[0]
        int filled = 0, start = 0;
        var prefixChecked = resumeAt == 0;
        var lastProgress = watch.Elapsed;
        try
        {
            await using var content = OpenContent(path);
            while (true)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                    bufferOffset += start;
                    filled -= start;
                    start = 0;
                }

                if (filled == buffer.Length)
                {
                    // No line feed in a whole buffer: a line this long is not IIS's; it is counted bad once its end is found.
                    sha.AppendData(buffer, 0, filled);
                    bufferOffset += filled;
                    filled = 0;
                    session.Discarding = true;
                }

                var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                if (!prefixChecked)
                {
                    // The part counted before: hashed (to prove it is unchanged) and its lines counted, not parsed.
                    var take = (int)Math.Min(resumeAt - (bufferOffset + start), filled - start);
                    sha.AppendData(buffer, start, take);
                    session.Line += buffer.AsSpan(start, take).Count((byte)'\n');
                    start += take;
                    if (bufferOffset + start < resumeAt)
                    {
                        continue;
                    }

                    if (!string.Equals(Convert.ToHexStringLower(sha.GetCurrentHash()), state!.ContentSha256, StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"{path}: the first {resumeAt} bytes of this log, counted before from {state.FileName}, have changed; it was not imported again");
                    }

                    prefixChecked = true;
                }

                var pending = buffer.AsSpan(start, filled - start);
                var lastLineFeed = pending.LastIndexOf((byte)'\n');
                if (lastLineFeed < 0)
                {
                    continue;
                }

                var block = pending[..(lastLineFeed + 1)];
                sha.AppendData(block);
                session.ProcessBlock(block);
                start += lastLineFeed + 1;
                if (session.Aggregator.ShouldFlush)
                {
                    await store.MergeAsync(connection, tx, session.Aggregator.TakeBatch(), cancellationToken);
                }

                if (watch.Elapsed - lastProgress >= ProgressInterval)
                {
                    lastProgress = watch.Elapsed;
                    Log.Progress(logger, path, (bufferOffset + start) / 1048576.0, session.Line);
                }
            }

            if (!prefixChecked)
            {
                // An older, shorter copy of a log counted further already.
                Log.Skipped(logger, path, IisImportStatus.UpToDate);
                return new IisImportResult(path, IisImportStatus.UpToDate, 0, 0, [], resumeAt, bufferOffset + filled, 0, watch.Elapsed);
            }

            long pendingBytes = filled - start;
            if (session.Discarding || (pendingBytes > 0 && IsSettled(path)))
            {
                // A line too long to hold (counted bad), or the last line of a file no longer written.
                sha.AppendData(buffer, start, filled - start);
                session.ProcessLastLine(buffer.AsSpan(start, filled - start));
                start = filled;
                pendingBytes = 0;
            }

            session.Finish();

            var consumed = bufferOffset + start;
            if (consumed == resumeAt)
            {
                Log.Skipped(logger, path, IisImportStatus.UpToDate);
                return new IisImportResult(path, IisImportStatus.UpToDate, 0, 0, [], resumeAt, consumed, pendingBytes, watch.Elapsed);
            }

            var contentSha = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (await IngestLedger.FindAsync(connection, tx, contentSha, cancellationToken) is not null)
            {
                Log.Skipped(logger, path, IisImportStatus.AlreadyImported);
                return new IisImportResult(path, IisImportStatus.AlreadyImported, 0, 0, [], resumeAt, consumed, pendingBytes, watch.Elapsed);
            }

            await store.MergeAsync(connection, tx, session.Aggregator.TakeBatch(), cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var fileName = Path.GetFileName(path);
            await store.SaveFileAsync(connection, tx, new IisLogFileState(fileKey, fileName, consumed, contentSha, session.Parser.Header), state?.ContentLength, now, cancellationToken);
            await IngestLedger.RecordAsync(connection, tx, new LedgerEntry(contentSha, LedgerKind, fileName, consumed, session.Records, now), cancellationToken);
            await tx.CommitAsync(cancellationToken);

            var elapsed = watch.Elapsed;
            var lines = session.Line - Math.Max(session.LinesBeforeResume, 0);
            Log.Imported(logger, path, session.Records, session.BadLines, (consumed - resumeAt) / 1048576.0, resumeAt, elapsed.TotalSeconds, lines / Math.Max(elapsed.TotalSeconds, 1e-6));
            return new IisImportResult(path, IisImportStatus.Imported, session.Records, session.BadLines, session.Samples, resumeAt, consumed, pendingBytes, elapsed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether the file has not been written for the settle time, read after its end was reached: then a last line
    /// without a line feed is complete (a writer adds whole lines; IIS, a copy job or an archiver that is still at it
    /// writes again within seconds).
    /// </summary>
    private bool IsSettled(string path) =>
        time.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(path) >= options.Value.InboxSettleTime;

    /// <summary>Opens the log's content: gunzipped when the file starts with the gzip magic bytes, whatever its name.</summary>
    internal static Stream OpenContent(string path)
    {
        // FileShare.ReadWrite|Delete: IIS (or a copy job) may still hold the file open for writing.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SHA-256 of the content up to the end of the first request line, its line end included (the log's identity), or
    /// null before there is one. When that line is the last one, has no line end yet and <paramref name="settled"/>
    /// says it is complete, the line end of the line before it is assumed, so that the key is the one the log will
    /// have if its writer goes on.
    /// </summary>
    internal static async Task<string?> ReadFileKeyAsync(string path, bool settled, CancellationToken cancellationToken)
    {
        await using var content = OpenContent(path);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var scanned = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= HeadLimit)
                {
                    throw new InvalidDataException($"{path}: no request line in the first {HeadLimit / 1048576} MB: not a W3C log");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                if (settled && IsRequestLine(buffer.AsSpan(scanned, filled - scanned)))
                {
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    sha.AppendData(buffer, 0, filled);
                    sha.AppendData(scanned > 1 && buffer[scanned - 2] == (byte)'\r' ? "\r\n"u8 : scanned > 0 ? "\n"u8 : "\r\n"u8);
                    return Convert.ToHexStringLower(sha.GetHashAndReset());
                }

                return null;
            }

            filled += read;
            while (true)
            {
                var lineFeed = buffer.AsSpan(scanned, filled - scanned).IndexOf((byte)'\n');
                if (lineFeed < 0)
                {
                    break;
                }

                var line = buffer.AsSpan(scanned, lineFeed);
                scanned += lineFeed + 1;
                if (IsRequestLine(line))
                {
                    return Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, scanned)));
                }
            }
        }
    }

    /// <summary>A line that is neither blank nor a directive (BOM, CR and surrounding blanks aside).</summary>
    private static bool IsRequestLine(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            line = line[3..];
        }

        line = line.Trim(" \t\r"u8);
        return !line.IsEmpty && line[0] != (byte)'#';
    }

    /// <summary>The per-file parsing state the import loop drives, kept out of the async method so that it can use spans.</summary>
    private sealed class Session(string path, IisLogsOptions options, TimeZoneInfo localTimeZone, ILogger logger)
    {
        private readonly List<IisBadLine> _samples = [];

        // Records with more fields than their #Fields lists, from the first record under it on: a header that lists
        // too few (cut by a tool) when nothing under it could be counted, said once; else ordinary bad lines.
        private readonly List<IisBadLine> _surplusSamples = [];
        private W3cLayout? _layoutSeen;
        private long _fieldsLine;
        private long _recordsAtLayout;
        private W3cLayout? _surplusLayout;
        private int _surplusFields;
        private long _surplusLines;
        private long _surplusFirstLine;
        private int _surplusAt = -1;

        public W3cParser Parser { get; } = new(options.ForwardedForField, localTimeZone);

        public IisAggregator Aggregator { get; } = new(options);

        /// <summary>Lines seen so far, from the start of the content (the number of the last line seen).</summary>
        public long Line { get; set; }

        /// <summary>Lines of the part counted before, known once parsing starts (-1 until then).</summary>
        public long LinesBeforeResume { get; private set; } = -1;

        public long Records { get; private set; }

        public long BadLines { get; private set; }

        public bool Discarding { get; set; }

        public IReadOnlyList<IisBadLine> Samples => [.. _samples.OrderBy(b => b.Line)];

        /// <summary>Parses and counts the complete lines of the block (it ends with a line feed).</summary>
        public void ProcessBlock(ReadOnlySpan<byte> block)
        {
            MarkResume();
            while (!block.IsEmpty)
            {
                var lineFeed = block.IndexOf((byte)'\n');
                CountLine(block[..lineFeed]);
                block = block[(lineFeed + 1)..];
            }
        }

        /// <summary>Counts the last line of the content, which has no line feed.</summary>
        public void ProcessLastLine(ReadOnlySpan<byte> line)
        {
            MarkResume();
            CountLine(line);
        }

        /// <summary>
        /// Ends the records of a layout with more fields than it lists: when none of the layout's records could be
        /// counted, its header lists too few and that is said once, at the #Fields line; otherwise they were lines
        /// of their own, reported as such.
        /// </summary>
        public void Finish()
        {
            if (_surplusLayout is null)
            {
                return;
            }

            if (Records == _recordsAtLayout)
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"#Fields lists {_surplusLayout.Count} fields, but the records under it carry {_surplusFields} (the first at line {_surplusFirstLine}): the header lists fewer fields than the lines, so which field is which is unknown; {_surplusLines} such lines were not counted");
                var note = new IisBadLine(path, _fieldsLine > 0 ? _fieldsLine : _surplusFirstLine, reason);
                _samples.Insert(_surplusAt, note);
                Log.ShortFieldsHeader(logger, path, note.Line, reason);
            }
            else
            {
                _samples.InsertRange(_surplusAt, _surplusSamples);
                foreach (var sample in _surplusSamples)
                {
                    Log.BadLine(logger, path, sample.Line, sample.Reason);
                }
            }

            _surplusSamples.Clear();
            _surplusLayout = null;
        }

        private void MarkResume()
        {
            if (LinesBeforeResume < 0)
            {
                LinesBeforeResume = Line;
            }
        }

        private void CountLine(ReadOnlySpan<byte> line)
        {
            Line++;
            if (Discarding)
            {
                Discarding = false;
                Bad($"line longer than {BufferSize / 1048576} MB");
                return;
            }

            ProcessLine(line);
        }

        private void ProcessLine(ReadOnlySpan<byte> line)
        {
            var status = Parser.ParseLine(line, out var record, out var error);
            switch (status)
            {
                case W3cLineStatus.Record:
                    error = Aggregator.Add(record);
                    if (error is null)
                    {
                        Records++;
                        return;
                    }

                    break;
                case W3cLineStatus.Directive:
                    if (!ReferenceEquals(Parser.Layout, _layoutSeen))
                    {
                        Finish();
                        _layoutSeen = Parser.Layout;
                        _fieldsLine = Line;
                        _recordsAtLayout = Records;
                    }

                    return;
                case W3cLineStatus.Bad when Parser.TooManyFields > 0 && IsHeldBack(Parser.TooManyFields, error!):
                    BadLines++;
                    return;
                case W3cLineStatus.Bad:
                    break;
                default:
                    return;
            }

            Bad(error!);
        }

        /// <summary>
        /// Holds back a record with more fields than its layout lists (and not one a surplus token explains) when the
        /// first record under the layout already had as many, until <see cref="Finish"/> knows what they were.
        /// </summary>
        private bool IsHeldBack(int fields, string reason)
        {
            if (!ReferenceEquals(Parser.Layout, _surplusLayout) || fields != _surplusFields)
            {
                if (Parser.RecordsUnderLayout != 1)
                {
                    return false;
                }

                Finish();
                _surplusLayout = Parser.Layout;
                _surplusFields = fields;
                _surplusLines = 0;
                _surplusFirstLine = Line;
                _surplusAt = _samples.Count;
            }

            _surplusLines++;
            if (_samples.Count + _surplusSamples.Count < options.BadLineSamples)
            {
                _surplusSamples.Add(new IisBadLine(path, Line, reason));
            }

            return true;
        }

        private void Bad(string reason)
        {
            BadLines++;
            if (_samples.Count + _surplusSamples.Count < options.BadLineSamples)
            {
                _samples.Add(new IisBadLine(path, Line, reason));
                Log.BadLine(logger, path, Line, reason);
            }
        }
    }
}
