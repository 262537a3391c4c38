namespace ReportJob.Storage;

/// <summary>The database engines ReportJob stores into.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}
