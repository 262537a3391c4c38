namespace ReportJob.Snapshots;

/// <summary>Walks one server's runs through its snapshots in time order: at each snapshot, the runs that cover it.</summary>
internal sealed class RunSweep(IEnumerable<ConnectionRun> runs)
{
    private readonly ConnectionRun[] _runs = [.. runs.OrderBy(r => r.First)];
    private readonly List<ConnectionRun> _active = [];
    private int _next;

    /// <summary>The runs with First ≤ <paramref name="key"/> ≤ Last; keys must grow from call to call. Valid until the next call.</summary>
    public List<ConnectionRun> Covering(long key)
    {
        while (_next < _runs.Length && _runs[_next].First <= key)
        {
            _active.Add(_runs[_next++]);
        }

        _active.RemoveAll(r => r.Last < key);
        return _active;
    }
}
