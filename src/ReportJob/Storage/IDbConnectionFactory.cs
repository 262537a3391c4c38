using System.Data.Common;

namespace ReportJob.Storage;

/// <summary>The I/O seam to the database: opens connections of the configured provider.</summary>
public interface IDbConnectionFactory
{
    StorageProvider Provider { get; }

    /// <summary>The command timeout in seconds for Dapper calls.</summary>
    int CommandTimeoutSeconds { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
