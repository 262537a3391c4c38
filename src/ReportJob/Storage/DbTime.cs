namespace ReportJob.Storage;

/// <summary>Times read back from any provider are UTC; SQLite and SQL Server hand them back unspecified.</summary>
public static class DbTime
{
    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTime? Utc(DateTime? value) => value is null ? null : Utc(value.Value);
}
