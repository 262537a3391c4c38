using System.Globalization;
using System.Net;
using System.Text;

namespace ReportJob.Snapshots;

/// <summary>
/// Reads the CSV files of the existing PowerShell routine, <c>$result | select @{name="datetime";expression={$now}},
/// LocalAddress, RemoteAddress, RemotePort, State, CreationTime, @{name="duration";…} | export-csv -encoding unicode</c>,
/// and what similar scripts write: an optional <c>#TYPE</c> line, a header, then one row per connection; columns in any
/// order, extra columns ignored (LocalPort, OwningProcess and PSComputerName/ComputerName are used when present).
/// UTF-16 LE or BE, UTF-8 or ASCII, with or without BOM; CRLF or LF. <c>datetime</c> is the routine's run stamp
/// (<c>yyyyMMdd-HHmm</c>) or a date in the writer's locale; <c>CreationTime</c> is in the writer's locale. Each column's
/// format is detected per file; times are local to the given zone; a 1601 creation time (FILETIME 0) means none.
/// Without a server column the server is the row's LocalAddress (see <see cref="CsvReadSettings"/>).
/// A malformed file throws <see cref="InvalidDataException"/> naming the line.
/// </summary>
public static class CsvSnapshotReader
{
    /// <summary>
    /// <c>Get-Date</c> runs once per row, so one run's rows can differ by a second or more: distinct times of a file
    /// less than this apart from the first of them are one run, and each server's rows of a run one snapshot at the
    /// run's first time (so the servers of one file are one round).
    /// </summary>
    public static readonly TimeSpan SnapshotWindow = TimeSpan.FromSeconds(30);

    private static readonly string[] RequiredColumns = ["datetime", "LocalAddress", "RemoteAddress", "RemotePort", "State"];

    /// <summary>Opens a file as text: BOM when there is one, UTF-16 LE or BE when the first bytes say so (ASCII text), else strict UTF-8.</summary>
    public static StreamReader OpenText(Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        var n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        var bom = n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        Encoding encoding = !bom && n >= 2 && head[0] != 0 && head[1] == 0
            ? new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true)
            : !bom && n >= 2 && head[0] == 0 && head[1] != 0
                ? new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true)
                : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    public static CsvSnapshotFile Read(string path, CsvReadSettings settings, Action<long>? rowsRead, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (stream.Length == 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: the file is empty");
        }

        using var reader = OpenText(stream);
        return Read(reader, Path.GetFileName(path), settings, rowsRead, cancellationToken);
    }

    public static CsvSnapshotFile Read(TextReader text, string name, CsvReadSettings settings, Action<long>? rowsRead, CancellationToken cancellationToken)
    {
        var reader = new CsvRecordReader(text, name);
        try
        {
            return ReadRecords(reader, name, settings, rowsRead, cancellationToken);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{name}:{reader.Line + 1}: not UTF-8 or UTF-16 text (binary data?): {ex.Message}", ex);
        }
    }

    private static CsvSnapshotFile ReadRecords(CsvRecordReader reader, string name, CsvReadSettings settings, Action<long>? rowsRead, CancellationToken cancellationToken)
    {
        var header = reader.Read();
        if (header is not null && header.Count > 0 && header[0].StartsWith('#'))
        {
            header = reader.Read(); // #TYPE Selected.Microsoft.Management.Infrastructure.CimInstance
        }

        if (header is null)
        {
            throw new InvalidDataException($"{name}: no header line (expected \"{string.Join("\",\"", RequiredColumns)}\",...)");
        }

        var columns = MapColumns(header, name, reader.Line);
        var serverColumn = columns.GetValueOrDefault("PSComputerName", columns.GetValueOrDefault("ComputerName", -1));

        var cDate = columns["datetime"];
        var cLocal = columns["LocalAddress"];
        var cRemote = columns["RemoteAddress"];
        var cRemotePort = columns["RemotePort"];
        var cState = columns["State"];
        var cCreation = columns.GetValueOrDefault("CreationTime", -1);
        var cLocalPort = columns.GetValueOrDefault("LocalPort", -1);
        var cPid = columns.GetValueOrDefault("OwningProcess", -1);
        var filter = cLocalPort >= 0 ? settings.Filter : settings.FilterWithoutPort;

        var runTimes = new FormatDetector(CsvDateFormat.RunTimes, "datetime", name);
        var creationTimes = new FormatDetector(CsvDateFormat.Cultures, "CreationTime", name);
        var lastDate = "";
        string? lastCreation = null;
        var rows = new List<RawRow>();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal); // one string per distinct datetime/server
        long count = 0;
        while (reader.Read() is { } f)
        {
            count++;
            var line = reader.Line;
            if (f.Count != header.Count)
            {
                throw new InvalidDataException($"{name}:{line}: expected {header.Count} fields as in the header, found {f.Count} (truncated or damaged file?)");
            }

            foreach (var field in f)
            {
                if (field.Contains('\0', StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{name}:{line}: binary data, not a CSV of connections");
                }
            }

            var date = f[cDate];
            if (count == 1 || !string.Equals(date, lastDate, StringComparison.Ordinal))
            {
                runTimes.Check(date, line, required: true);
                lastDate = date;
                date = Intern(texts, date);
            }
            else
            {
                date = lastDate;
            }

            var creation = cCreation >= 0 ? f[cCreation] : null;
            if (!string.IsNullOrWhiteSpace(creation))
            {
                // Many rows share a creation time (1/1/1601 above all): check each distinct run once.
                if (!string.Equals(creation, lastCreation, StringComparison.Ordinal))
                {
                    creationTimes.Check(creation, line, required: false);
                    lastCreation = creation;
                }

                creation = lastCreation;
            }
            else
            {
                creation = null;
            }

            var local = ParseAddress(f[cLocal], "LocalAddress", name, line);
            var remote = ParseAddress(f[cRemote], "RemoteAddress", name, line);
            var remotePort = ParsePort(f[cRemotePort], "RemotePort", name, line);
            var localPort = cLocalPort >= 0 ? ParsePort(f[cLocalPort], "LocalPort", name, line) : settings.AssumedLocalPort;
            var state = ParseState(f[cState], name, line);
            int? pid = null;
            if (cPid >= 0 && !string.IsNullOrWhiteSpace(f[cPid]))
            {
                pid = int.TryParse(f[cPid], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p
                    : throw new InvalidDataException($"{name}:{line}: OwningProcess '{Shorten(f[cPid])}' is not a number");
            }

            string? server = null;
            if (serverColumn >= 0)
            {
                server = !string.IsNullOrWhiteSpace(f[serverColumn]) ? Intern(texts, f[serverColumn].Trim())
                    : settings.DefaultServer ?? throw new InvalidDataException($"{name}:{line}: empty {header[serverColumn]} and no server given for the file");
            }

            var connection = new TcpConnection(local, localPort, remote, remotePort, state, null, pid);
            if (filter.Keep(connection))
            {
                rows.Add(new RawRow(line, server, date, connection, creation));
            }

            if ((count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                rowsRead?.Invoke(count);
            }
        }

        rowsRead?.Invoke(count);
        if (serverColumn < 0)
        {
            NameServers(rows, settings);
        }

        var runFormat = count == 0 ? null : runTimes.Format;
        var creationFormat = creationTimes.Seen ? creationTimes.Format : null;
        return new CsvSnapshotFile(count == 0 ? [] : BuildSnapshots(rows, runFormat!, creationFormat, settings.TimeZone, name), count, rows.Count, runFormat, creationFormat);
    }

    /// <summary>
    /// The server of each row of a file without a server column (the routine collects every DAG member into one file
    /// and keeps only LocalAddress): the server whose <c>Addresses</c> list the row's LocalAddress; else, in a file of
    /// one local address, the file's default server (the drop folder's); else the address itself. Loopback rows
    /// belong to the file's one server; in a file of several servers nothing tells whose they are, and they keep
    /// their loopback address as server. With <see cref="CsvReadSettings.SplitByLocalAddress"/> false every row is the
    /// default server's.
    /// </summary>
    private static void NameServers(List<RawRow> rows, CsvReadSettings settings)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
        if (!settings.SplitByLocalAddress && settings.DefaultServer is { } only)
        {
            foreach (ref var r in span)
            {
                r = r with { Server = only };
            }

            return;
        }

        var locals = new HashSet<IPAddress>();
        foreach (ref readonly var r in span)
        {
            if (!IPAddress.IsLoopback(r.Connection.LocalAddress))
            {
                locals.Add(r.Connection.LocalAddress);
            }
        }

        var names = new Dictionary<IPAddress, string>();
        foreach (var a in locals)
        {
            names[a] = settings.Addresses.TryGetValue(a, out var n) ? n
                : locals.Count == 1 && settings.DefaultServer is { } d ? d
                : a.ToString();
        }

        var servers = names.Values.Distinct(StringComparer.Ordinal).ToList();
        var loopbackServer = servers.Count == 1 ? servers[0] : servers.Count == 0 ? settings.DefaultServer : null;
        foreach (ref var r in span)
        {
            var local = r.Connection.LocalAddress;
            if (!names.TryGetValue(local, out var server))
            {
                server = settings.Addresses.TryGetValue(local, out var n) ? n : loopbackServer ?? local.ToString();
                names[local] = server;
            }

            r = r with { Server = server };
        }
    }

    private static List<Snapshot> BuildSnapshots(List<RawRow> rows, CsvDateFormat format, CsvDateFormat? creationFormat, TimeZoneInfo zone, string name)
    {
        var times = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var creations = new Dictionary<string, DateTime?>(StringComparer.Ordinal);
        var byServerTime = new SortedDictionary<(string Server, DateTime Time), List<TcpConnection>>(Comparer<(string Server, DateTime Time)>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.Server, b.Server);
            return c != 0 ? c : a.Time.CompareTo(b.Time);
        }));
        foreach (var r in rows)
        {
            if (!times.TryGetValue(r.DateText, out var taken))
            {
                times[r.DateText] = taken = ToUtc(r.DateText, format, zone, "datetime", name, r.Line);
            }

            DateTime? created = null;
            if (r.CreationText is not null && !creations.TryGetValue(r.CreationText, out created))
            {
                creationFormat!.TryParse(r.CreationText, out var local);
                // 1/1/1601 (FILETIME 0, shown in the server's zone): Windows has no creation time for the connection.
                created = local.Year <= 1601 ? null : ToUtc(r.CreationText, creationFormat, zone, "CreationTime", name, r.Line);
                creations[r.CreationText] = created;
            }

            var key = (r.Server!, taken);
            if (!byServerTime.TryGetValue(key, out var list))
            {
                byServerTime[key] = list = [];
            }

            list.Add(r.Connection with { CreatedAtUtc = created });
        }

        // The times that lie within SnapshotWindow of the first of them are one run of the script, for every server.
        var runOf = new Dictionary<DateTime, DateTime>();
        var runStart = DateTime.MinValue;
        foreach (var t in times.Values.Distinct().Order())
        {
            if (runOf.Count == 0 || t - runStart >= SnapshotWindow)
            {
                runStart = t;
            }

            runOf[t] = runStart;
        }

        var merged = new List<(string Server, DateTime Time, List<TcpConnection> Connections)>();
        foreach (var ((server, time), list) in byServerTime)
        {
            var run = runOf[time];
            if (merged.Count > 0 && merged[^1].Server == server && merged[^1].Time == run)
            {
                merged[^1].Connections.AddRange(list);
            }
            else
            {
                merged.Add((server, run, list));
            }
        }

        return merged
            .OrderBy(m => m.Time).ThenBy(m => m.Server, StringComparer.Ordinal)
            .Select(m => new Snapshot(m.Server, "csv", m.Time, m.Connections, TimeSpan.Zero))
            .ToList();
    }

    private static DateTime ToUtc(string text, CsvDateFormat format, TimeZoneInfo zone, string column, string name, int line)
    {
        if (!format.TryParse(text, out var local))
        {
            throw new InvalidDataException($"{name}:{line}: {column} '{Shorten(text)}' is not a date in {format.Name}");
        }

        if (zone.IsInvalidTime(local))
        {
            throw new InvalidDataException($"{name}:{line}: {column} '{text}' does not exist in time zone {zone.Id} (skipped by a daylight-saving change): is the server's TimeZone set right?");
        }

        // An ambiguous time (the hour repeated when daylight saving ends) is taken as standard time.
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static Dictionary<string, int> MapColumns(IReadOnlyList<string> header, string name, int line)
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var column = header[i].Trim();
            if (column.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{name}:{line}: binary data, not a CSV of connections");
            }

            if (column.Length > 0 && !map.TryAdd(column, i))
            {
                throw new InvalidDataException($"{name}:{line}: column '{column}' appears twice in the header");
            }
        }

        var missing = RequiredColumns.Where(c => !map.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{name}:{line}: missing column(s) {string.Join(", ", missing)}; the header has {Shorten(string.Join(",", header))} (expected the Export-Csv of Get-NetTCPConnection with a datetime column)");
        }

        return map;
    }

    private static IPAddress ParseAddress(string text, string column, string name, int line) =>
        IPAddress.TryParse(text.Trim(), out var address)
            ? SnapshotStore.Normalize(address)
            : throw new InvalidDataException($"{name}:{line}: {column} '{Shorten(text)}' is not an IP address");

    private static int ParsePort(string text, string column, string name, int line) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new InvalidDataException($"{name}:{line}: {column} '{Shorten(text)}' is not a TCP port");

    private static TcpState ParseState(string text, string name, int line)
    {
        // Export-Csv writes the name (Established); ConvertTo-Json and some scripts the number (5). Windows spells DeleteTCB.
        var t = text.Trim();
        if (Enum.TryParse<TcpState>(t, ignoreCase: true, out var state) && Enum.IsDefined(state))
        {
            return state;
        }

        throw new InvalidDataException($"{name}:{line}: State '{Shorten(text)}' is not a TCP state (a name such as Established or a number 1-12, 100)");
    }

    private static string Intern(Dictionary<string, string> texts, string s)
    {
        if (texts.TryGetValue(s, out var existing))
        {
            return existing;
        }

        texts[s] = s;
        return s;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private readonly record struct RawRow(int Line, string? Server, string DateText, TcpConnection Connection, string? CreationText);

    /// <summary>Finds the one format of a column: each distinct value rules out the candidates that cannot read it.</summary>
    private sealed class FormatDetector(IReadOnlyList<CsvDateFormat> formats, string column, string name)
    {
        private readonly bool[] _alive = Enumerable.Repeat(true, formats.Count).ToArray();

        public bool Seen { get; private set; }

        public CsvDateFormat Format => formats[Array.IndexOf(_alive, true)];

        public void Check(string text, int line, bool required)
        {
            if (required && string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidDataException($"{name}:{line}: {column} is empty");
            }

            var first = !Seen;
            Seen = true;
            var left = 0;
            for (var i = 0; i < formats.Count; i++)
            {
                if (_alive[i] && !formats[i].TryParse(text, out _))
                {
                    _alive[i] = false;
                }

                left += _alive[i] ? 1 : 0;
            }

            if (left == 0)
            {
                var tried = first
                    ? "none of " + string.Join(", ", formats.Select(x => x.Name))
                    : "not in the format of the rows above";
                throw new InvalidDataException($"{name}:{line}: {column} '{Shorten(text)}' is not a date ({tried})");
            }
        }
    }
}
