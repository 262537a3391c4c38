namespace ReportJob.Snapshots;

/// <summary>
/// One connection over an unbroken run of its server's snapshots in one state: the row of <c>connection_run</c>.
/// <see cref="First"/> and <see cref="Last"/> are snapshot keys (<see cref="RunTime"/>), <see cref="Last"/> is
/// <see cref="RunTime.Open"/> while the run goes on; <see cref="FirstSeenTicks"/> is null when the connection was first
/// seen in the run's first snapshot. <see cref="Seq"/> numbers the server's runs (with the server and the last snapshot,
/// the row's key).
/// </summary>
internal readonly record struct ConnectionRun(
    int ServerId,
    long Seq,
    long First,
    long Last,
    ConnectionKey Key,
    TcpState State,
    long? CreatedTicks,
    long? FirstSeenTicks)
{
    public bool IsOpen => Last == RunTime.Open;
}
