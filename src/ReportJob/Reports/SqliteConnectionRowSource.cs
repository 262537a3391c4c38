using System.Text;
using Microsoft.Data.Sqlite;
using ReportJob.Storage;
using SQLitePCL;

namespace ReportJob.Reports;

/// <summary>
/// A snapshot's connection rows stepped straight out of SQLite (<see cref="SqliteStatement"/>): the address and state
/// are matched as the UTF-8 bytes in SQLite's buffer against the ones seen before (<see cref="Utf8KeyMap"/>), the times
/// parsed from the bytes. A string is made once per distinct client or state, for the aggregator, never per row.
/// </summary>
internal sealed class SqliteConnectionRowSource : IConnectionRowSource
{
    private readonly SqliteStatement _statement;
    private readonly ConnectionDayAggregator _aggregator;
    private readonly Utf8KeyMap _clients = new();
    private readonly Utf8KeyMap _states = new();
    private SnapshotInfo? _snapshot;
    private long _row;
    // Stepping a finished statement would run it again from the start.
    private bool _done = true;

    public SqliteConnectionRowSource(SqliteConnection connection, ConnectionDayAggregator aggregator)
    {
        _statement = new SqliteStatement(connection, ConnectionDayReader.RowsQuery);
        _aggregator = aggregator;
    }

    public Task StartAsync(SnapshotInfo snapshot, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _statement.Reset(1, snapshot.Id);
        _snapshot = snapshot;
        _row = 0;
        _done = false;
        return Task.CompletedTask;
    }

    public int Read(Span<ConnectionRow> rows)
    {
        var n = 0;
        while (n < rows.Length && !_done)
        {
            if (!_statement.Step())
            {
                _done = true;
                break;
            }

            _row++;
            var client = Index(_clients, 0, "remote_address");
            var state = Index(_states, 2, "state");
            var port = Port();
            var created = _statement.TryText(3, out var createdText) ? Time(createdText, "created_at") : ConnectionRow.NoCreationTime;
            var firstSeen = _statement.TryText(4, out var firstSeenText) ? Time(firstSeenText, "first_seen") : throw Bad("first_seen is NULL");
            rows[n++] = new ConnectionRow(client, state, port, created, firstSeen);
        }

        return n;
    }

    public ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The aggregator's index for the text in <paramref name="column"/>, asked for once per distinct text.</summary>
    private int Index(Utf8KeyMap seen, int column, string name)
    {
        if (!_statement.TryText(column, out var utf8))
        {
            throw Bad(name + " is NULL");
        }

        if (!seen.TryGetValue(utf8, out var index))
        {
            // Invalid UTF-8 becomes U+FFFD, as in Microsoft.Data.Sqlite's GetString.
            var text = Encoding.UTF8.GetString(utf8);
            index = column == 0 ? _aggregator.ClientIndex(text) : _aggregator.StateIndex(text);
            seen.Add(utf8, index);
        }

        return index;
    }

    private int Port()
    {
        var port = _statement.Int64(1);
        if (port is > 0 and <= 65535)
        {
            return (int)port;
        }

        // SQLite reads NULL, and text that is no number, as 0: a 0 must be a stored 0.
        var type = _statement.Type(1);
        if (type == raw.SQLITE_NULL)
        {
            throw Bad("remote_port is NULL");
        }

        if (port == 0 && type != raw.SQLITE_INTEGER)
        {
            _statement.TryText(1, out var text);
            throw Bad("remote_port " + IConnectionRowSource.Quote(Encoding.UTF8.GetString(text)) + " is not a number");
        }

        return port == 0 ? 0 : throw Bad(FormattableString.Invariant($"remote_port {port} is not a port"));
    }

    private long Time(ReadOnlySpan<byte> utf8, string name)
    {
        try
        {
            return DbTimeText.ParseUtcTicks(utf8);
        }
        catch (FormatException ex)
        {
            throw Bad(name + " " + IConnectionRowSource.Quote(Encoding.UTF8.GetString(utf8)) + " is not a time", ex);
        }
    }

    private InvalidDataException Bad(string problem, Exception? inner = null) => IConnectionRowSource.BadRow(_snapshot!, _row, problem, inner);
}
