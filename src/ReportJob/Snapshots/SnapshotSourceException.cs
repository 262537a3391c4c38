namespace ReportJob.Snapshots;

/// <summary>A server's table could not be read (ssh failed, the command's output is not a table…); the message goes into the report.</summary>
public sealed class SnapshotSourceException : Exception
{
    public SnapshotSourceException(string message)
        : base(message)
    {
    }

    public SnapshotSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
