namespace ReportJob.Snapshots;

/// <summary>A line of a connection table that could not be read: where (file or command, 1-based line number) and why.</summary>
public readonly record struct MalformedLine(string Source, int LineNumber, string Reason)
{
    public override string ToString() => $"{Source} line {LineNumber}: {Reason}";
}
