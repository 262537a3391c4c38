using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReportJob.Snapshots;

/// <summary>
/// Takes one snapshot of each configured server, at most Snapshots:MaxParallel at a time, each within
/// Snapshots:Timeout, filters it and stores it. A server that fails is recorded as a failed snapshot with its error
/// and never stops the others. Csv servers are left to the drop-folder importer.
/// </summary>
internal sealed class SnapshotCollector
{
    private readonly Dictionary<SnapshotSourceKind, ISnapshotSource> _sources;
    private readonly SnapshotStore _store;
    private readonly SnapshotsOptions _options;
    private readonly ConnectionFilter _filter;
    private readonly TimeProvider _time;
    private readonly ILogger<SnapshotCollector> _logger;

    public SnapshotCollector(IEnumerable<ISnapshotSource> sources, SnapshotStore store, IOptions<SnapshotsOptions> options, TimeProvider time, ILogger<SnapshotCollector> logger)
    {
        // The last registration of a kind wins, as with any DI service: a test can put a fake in front.
        _sources = new Dictionary<SnapshotSourceKind, ISnapshotSource>();
        foreach (var s in sources)
        {
            _sources[s.Kind] = s;
        }

        _store = store;
        _options = options.Value;
        _filter = ConnectionFilter.From(_options);
        _time = time;
        _logger = logger;
    }

    /// <summary>The configured names (case-insensitive) that <paramref name="names"/> does not match.</summary>
    public IReadOnlyList<string> UnknownNames(IEnumerable<string> names) =>
        names.Where(n => !_options.Servers.Exists(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Every enabled server when no name is given; otherwise the named ones, enabled or not.</summary>
    public IReadOnlyList<ServerOptions> Select(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
        {
            return _options.Servers.Where(s => s.Enabled).ToList();
        }

        var unknown = UnknownNames(names);
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown server(s): {string.Join(", ", unknown)}", nameof(names));
        }

        return _options.Servers.Where(s => names.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Collects the servers <see cref="Select"/> picks; one result per collected server, in configuration order.</summary>
    public async Task<IReadOnlyList<ServerCollection>> CollectAsync(IReadOnlyCollection<string> names, IProgress<ServerCollection>? progress, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var servers = new List<ServerOptions>();
        foreach (var s in Select(names))
        {
            if (s.Source == SnapshotSourceKind.Csv)
            {
                Log.CsvServerSkipped(_logger, s.Name);
            }
            else
            {
                servers.Add(s);
            }
        }

        var results = new ServerCollection[servers.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, servers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallel, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                results[i] = await CollectOneAsync(servers[i], token);
                progress?.Report(results[i]);
            });

        var ok = results.Count(r => r.Status == CollectionStatus.Ok);
        Log.CollectionSummary(_logger, results.Length, ok, results.Length - ok, results.Sum(r => r.Rows), _time.GetElapsedTime(start).TotalSeconds);
        return results;
    }

    private async Task<ServerCollection> CollectOneAsync(ServerOptions server, CancellationToken cancellationToken)
    {
        var source = SourceName(server.Source);
        var takenAt = _time.GetUtcNow().UtcDateTime;
        var start = _time.GetTimestamp();
        TcpTable? table = null;
        string? error = null;
        if (!_sources.TryGetValue(server.Source, out var reader))
        {
            error = $"no snapshot source is registered for {server.Source}";
        }
        else
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                table = await reader.ReadAsync(server, linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"no answer within {_options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (Snapshots:Timeout)";
            }
            catch (SnapshotSourceException ex)
            {
                error = ex.Message;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        var duration = _time.GetElapsedTime(start);
        if (table is not null)
        {
            var kept = new List<TcpConnection>();
            // /proc/net/tcp is not read atomically: while sockets come and go (the ssh session itself opens some), an
            // entry can be read twice. A connection is its 4-tuple, so the first of a repeated one is kept.
            var seen = new HashSet<(System.Net.IPAddress, int, System.Net.IPAddress, int)>();
            foreach (var c in table.Connections)
            {
                if (_filter.Keep(c) && seen.Add((c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort)))
                {
                    kept.Add(c);
                }
            }

            if (table.Report.MalformedLines > 0)
            {
                Log.MalformedLines(_logger, server.Name, table.Report.MalformedLines, string.Join("; ", table.Report.Samples));
            }

            try
            {
                await _store.SaveAsync(new Snapshot(server.Name, source, takenAt, kept, duration), cancellationToken);
                Log.ServerCollected(_logger, server.Name, source, kept.Count, table.Connections.Count, duration.TotalSeconds);
                return new ServerCollection(server.Name, source, CollectionStatus.Ok, takenAt, duration, kept, null, table.Report.MalformedLines);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = $"storing the snapshot failed: {ex.Message}";
            }
        }

        Log.ServerFailed(_logger, server.Name, source, duration.TotalSeconds, error!);
        try
        {
            await _store.SaveFailureAsync(new SnapshotFailure(server.Name, source, takenAt, error!, duration), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.FailureNotStored(_logger, ex, server.Name);
        }

        return new ServerCollection(server.Name, source, CollectionStatus.Failed, takenAt, duration, [], error);
    }

    /// <summary>The source as stored in snapshot.source and shown in reports.</summary>
    public static string SourceName(SnapshotSourceKind kind) => kind switch
    {
        SnapshotSourceKind.Local => "local",
        SnapshotSourceKind.Ssh => "ssh",
        SnapshotSourceKind.Csv => "csv",
        _ => kind.ToString(),
    };
}
