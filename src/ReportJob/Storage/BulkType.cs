namespace ReportJob.Storage;

/// <summary>Value types a bulk insert carries; each provider maps them to its own wire type.</summary>
public enum BulkType
{
    Int32,
    Int64,
    Double,
    Boolean,
    Text,

    /// <summary>A UTC <see cref="DateTime"/>.</summary>
    DateTime,

    /// <summary>A byte array (BLOB / bytea / varbinary).</summary>
    Binary,
}
