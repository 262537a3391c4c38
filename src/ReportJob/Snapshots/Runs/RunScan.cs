using ReportJob.Storage;

namespace ReportJob.Snapshots;

/// <summary>Runs read for an interval (<see cref="ConnectionRunStore.ScanAsync"/>): the ended ones as the rows come, then the open ones.</summary>
internal sealed class RunScan(RowCursor cursor, List<ConnectionRun> open) : IAsyncDisposable
{
    private long _row;
    private int _open = -1;

    /// <summary>The next run; false after the last. The day's read takes a million runs this way, without an enumerator's copies.</summary>
    public bool Next(out ConnectionRun run)
    {
        if (_open < 0)
        {
            if (cursor.Read())
            {
                run = RunColumns.Read(cursor, ++_row);
                return true;
            }

            _open = 0;
        }

        if (_open < open.Count)
        {
            run = open[_open++];
            return true;
        }

        run = default;
        return false;
    }

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
