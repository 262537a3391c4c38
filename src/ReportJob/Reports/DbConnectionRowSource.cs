using System.Data.Common;
using System.Data.SqlTypes;
using Microsoft.Data.Sqlite;
using ReportJob.Storage;

namespace ReportJob.Reports;

/// <summary>
/// A snapshot's connection rows through ADO.NET: PostgreSQL and SQL Server (typed times), and SQLite when its bundled
/// library is not the one in use (times as text). A string per address and state, as the providers hand them out.
/// </summary>
internal sealed class DbConnectionRowSource : IConnectionRowSource
{
    // The columns of ConnectionDayReader.RowsQuery.
    private static readonly string[] Columns = ["remote_address", "remote_port", "state", "created_at", "first_seen"];

    private readonly ConnectionDayAggregator _aggregator;
    private readonly DbCommand _command;
    private readonly DbParameter _id;
    // SQLite: times are text, and a column may hold any type.
    private readonly bool _sqlite;
    private DbDataReader? _reader;
    private SnapshotInfo? _snapshot;
    private long _row;

    public DbConnectionRowSource(DbConnection connection, int commandTimeoutSeconds, ConnectionDayAggregator aggregator)
    {
        _aggregator = aggregator;
        _sqlite = connection is SqliteConnection;
        _command = connection.CreateCommand();
        _command.CommandText = ConnectionDayReader.RowsQuery;
        _command.CommandTimeout = commandTimeoutSeconds;
        _id = _command.CreateParameter();
        _id.ParameterName = "@id";
        _command.Parameters.Add(_id);
    }

    public async Task StartAsync(SnapshotInfo snapshot, CancellationToken cancellationToken)
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }

        _id.Value = snapshot.Id;
        _reader = await _command.ExecuteReaderAsync(cancellationToken);
        _snapshot = snapshot;
        _row = 0;
    }

    public int Read(Span<ConnectionRow> rows)
    {
        var reader = _reader ?? throw new InvalidOperationException("StartAsync first");
        var n = 0;
        while (n < rows.Length && reader.Read())
        {
            _row++;
            try
            {
                var client = _aggregator.ClientIndex(reader.GetString(0));
                var state = _aggregator.StateIndex(reader.GetString(2));
                rows[n++] = new ConnectionRow(client, state, Port(reader), reader.IsDBNull(3) ? ConnectionRow.NoCreationTime : Time(reader, 3, "created_at"), Time(reader, 4, "first_seen"));
            }
            catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or SqlNullValueException && NullColumn(reader) is { } column)
            {
                // Each provider's Get methods check for NULL (and say so in words of their own): which column it was is
                // looked up only once one failed.
                throw Bad(column + " is NULL", ex);
            }
        }

        return n;
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }

        await _command.DisposeAsync();
    }

    private static string? NullColumn(DbDataReader reader) =>
        Columns.Where((_, ordinal) => ordinal != 3 && reader.IsDBNull(ordinal)).FirstOrDefault();

    private int Port(DbDataReader reader)
    {
        var port = _sqlite ? reader.GetInt64(1) : reader.GetInt32(1);
        // SQLite reads text that is no number as 0: a 0 must be a stored 0.
        if (port == 0 && _sqlite && reader.GetFieldType(1) != typeof(long))
        {
            throw Bad("remote_port " + IConnectionRowSource.Quote(reader.GetString(1)) + " is not a number");
        }

        return port is >= 0 and <= 65535 ? (int)port : throw Bad(FormattableString.Invariant($"remote_port {port} is not a port"));
    }

    private long Time(DbDataReader reader, int ordinal, string name)
    {
        if (!_sqlite)
        {
            return DbTime.Utc(reader.GetDateTime(ordinal)).Ticks;
        }

        // Not GetDateTime: its general parser would cost more than the rest of the row.
        var text = reader.GetString(ordinal);
        try
        {
            return DbTimeText.ParseUtc(text).Ticks;
        }
        catch (FormatException ex)
        {
            throw Bad(name + " " + IConnectionRowSource.Quote(text) + " is not a time", ex);
        }
    }

    private InvalidDataException Bad(string problem, Exception? inner = null) => IConnectionRowSource.BadRow(_snapshot!, _row, problem, inner);
}
