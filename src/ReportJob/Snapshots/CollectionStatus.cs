namespace ReportJob.Snapshots;

/// <summary>How one server's collection ended.</summary>
public enum CollectionStatus
{
    Ok,
    Failed,
}
