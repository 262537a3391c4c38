using System.ComponentModel.DataAnnotations;

namespace ReportJob.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Which database: <c>Sqlite</c> (embedded file, the default), <c>Postgres</c> or <c>SqlServer</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. SQLite: <c>Data Source=./data/reportjob.db</c> (relative paths are taken from the
    /// working directory; the folder is created). Keep passwords out of the committed file: use
    /// <c>REPORTJOB__Storage__ConnectionString</c> or appsettings.Local.json.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=./data/reportjob.db";

    /// <summary>Apply missing schema scripts when the program starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Timeout of one SQL command.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
