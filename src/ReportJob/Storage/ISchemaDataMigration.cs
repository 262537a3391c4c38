using System.Data.Common;

namespace ReportJob.Storage;

/// <summary>
/// What a schema script cannot do in SQL alone, such as turning stored text into binary values: it runs right after the
/// script numbered <see cref="Version"/>, in the same transaction, so that the step is applied whole or not at all.
/// The feature that owns the data implements it and registers it with the service collection.
/// </summary>
public interface ISchemaDataMigration
{
    int Version { get; }

    Task RunAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}
