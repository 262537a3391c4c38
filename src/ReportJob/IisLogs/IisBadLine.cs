namespace ReportJob.IisLogs;

/// <summary>A line that was not counted, and why.</summary>
public sealed record IisBadLine(string File, long Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}
