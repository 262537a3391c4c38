using System.Globalization;

namespace ReportJob.Reports;

/// <summary>
/// The connection rows of one snapshot after another, in chunks, with client and state turned into the aggregator's
/// indexes. Two ways: SQLite stepped directly (<see cref="SqliteConnectionRowSource"/>), any provider through ADO.NET
/// (<see cref="DbConnectionRowSource"/>). A row that cannot be read (a NULL where the schema has none, a time that
/// is no time, a port out of range) stops the read with an error naming the snapshot and the row.
/// </summary>
internal interface IConnectionRowSource : IAsyncDisposable
{
    /// <summary>Starts on the rows of <paramref name="snapshot"/>; what was left of the previous one is dropped.</summary>
    Task StartAsync(SnapshotInfo snapshot, CancellationToken cancellationToken);

    /// <summary>Fills <paramref name="rows"/> with the snapshot's next rows; returns how many, 0 after the last.</summary>
    int Read(Span<ConnectionRow> rows);

    static InvalidDataException BadRow(SnapshotInfo snapshot, long row, string problem, Exception? inner = null) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Snapshot {snapshot.Id} of {snapshot.Server} taken {snapshot.TakenAtUtc:yyyy-MM-dd HH:mm:ss}Z, connection row {row}: {problem}"), inner);

    /// <summary>A stored value for an error message: cleaned of control characters and short.</summary>
    static string Quote(string value) => "'" + ReportText.Clean(value, 64) + "'";
}
