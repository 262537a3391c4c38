using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>Runs read for an interval (<see cref="ConnectionRunStore.ScanAsync"/>): the ended ones as the rows come, then the open ones.</summary>
internal sealed class RunScan(RowCursor cursor, List<ConnectionRun> open) : IAsyncDisposable
{
    public IEnumerable<ConnectionRun> Runs()
    {
        long row = 0;
        while (cursor.Read())
        {
            yield return RunColumns.Read(cursor, ++row);
        }

        foreach (var run in open)
        {
            yield return run;
        }
    }

    public ValueTask DisposeAsync() => cursor.DisposeAsync();
}
