namespace ReportJob.Storage;

/// <summary>
/// Calendar-day columns in SQL (<c>date</c> on PostgreSQL and SQL Server, <c>yyyy-MM-dd</c> text on SQLite): read back
/// as <c>yyyy-MM-dd</c> text, and a <c>yyyy-MM-dd</c> text parameter or column taken as the provider's day, so that the
/// same statement and the same parameter values serve every provider.
/// </summary>
internal static class SqlDay
{
    /// <summary>The day column as <c>yyyy-MM-dd</c> text.</summary>
    public static string Text(StorageProvider provider, string column = "day") => provider switch
    {
        StorageProvider.Postgres => $"to_char({column}, 'YYYY-MM-DD')",
        StorageProvider.SqlServer => $"CONVERT(char(10), {column}, 23)",
        _ => column,
    };

    /// <summary>A <c>yyyy-MM-dd</c> text (a parameter such as <c>@day</c>, or a staged column) as the provider's day.</summary>
    public static string Value(StorageProvider provider, string text) => provider switch
    {
        StorageProvider.Postgres => $"CAST({text} AS date)",
        StorageProvider.SqlServer => $"CONVERT(date, {text}, 23)",
        _ => text,
    };
}
