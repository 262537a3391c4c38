namespace ReportJob.Snapshots;

/// <summary>What happened to one CSV file.</summary>
public enum CsvImportStatus
{
    /// <summary>Its snapshots are stored (moved to done/).</summary>
    Imported,

    /// <summary>The same bytes were imported before (moved to done/).</summary>
    Skipped,

    /// <summary>Bad content (moved to failed/ with a .reason file), or the store failed (left in place for the next run).</summary>
    Failed,
}
