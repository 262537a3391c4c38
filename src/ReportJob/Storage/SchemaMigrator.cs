using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace ReportJob.Storage;

/// <summary>
/// Applies the missing numbered scripts, each in its own transaction together with the data migrations of its number
/// (<see cref="ISchemaDataMigration"/>), and records them in <c>schema_version</c>.
/// </summary>
internal sealed partial class SchemaMigrator(IDbConnectionFactory factory, IEnumerable<ISchemaDataMigration> dataMigrations, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    public Task<IReadOnlyList<SchemaScript>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the missing scripts numbered up to <paramref name="upToVersion"/> (a store as an older version left it, for tests of what comes after).</summary>
    public async Task<IReadOnlyList<SchemaScript>> MigrateAsync(int upToVersion, CancellationToken cancellationToken)
    {
        var scripts = SchemaScript.Load(factory.Provider).Where(s => s.Version <= upToVersion).ToList();
        var applied = new List<SchemaScript>();
        var watch = Stopwatch.StartNew();
        await using var connection = await factory.OpenAsync(cancellationToken);
        await EnsureVersionTableAsync(connection, cancellationToken);

        foreach (var script in scripts)
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            // Serialise concurrent migrators (two job servers starting at once) inside the transaction.
            await LockAsync(connection, tx, cancellationToken);
            var done = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_version WHERE version = @v", new { v = script.Version }, tx, cancellationToken: cancellationToken));
            if (done > 0)
            {
                await tx.RollbackAsync(cancellationToken);
                continue;
            }

            foreach (var batch in Batches(script.Sql))
            {
                await connection.ExecuteAsync(new CommandDefinition(batch, transaction: tx, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
            }

            foreach (var step in dataMigrations.Where(m => m.Version == script.Version))
            {
                await step.RunAsync(connection, tx, cancellationToken);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)",
                new { v = script.Version, n = script.Name, t = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: cancellationToken));
            await tx.CommitAsync(cancellationToken);
            applied.Add(script);
            Log.ScriptApplied(logger, factory.Provider, script.Version, script.Name);
        }

        Log.Migrated(logger, factory.Provider, applied.Count, scripts.Count, watch.Elapsed.TotalSeconds);
        return applied;
    }

    public async Task<IReadOnlyList<int>> AppliedVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await EnsureVersionTableAsync(connection, cancellationToken);
        var versions = await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_version ORDER BY version", cancellationToken: cancellationToken));
        return versions.AsList();
    }

    private Task EnsureVersionTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = factory.Provider switch
        {
            StorageProvider.SqlServer => """
                IF OBJECT_ID(N'schema_version', N'U') IS NULL
                CREATE TABLE schema_version (version int NOT NULL PRIMARY KEY, name nvarchar(200) NOT NULL, applied_at datetime2 NOT NULL);
                """,
            StorageProvider.Postgres => "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL);",
            _ => "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);",
        };
        return connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    private Task LockAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken) => factory.Provider switch
    {
        StorageProvider.Postgres => connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(727272)", transaction: tx, cancellationToken: cancellationToken)),
        StorageProvider.SqlServer => connection.ExecuteAsync(new CommandDefinition(
            "EXEC sp_getapplock @Resource = 'reportjob-migrate', @LockMode = 'Exclusive', @LockOwner = 'Transaction'", transaction: tx, cancellationToken: cancellationToken)),
        // SQLite: the first write in the transaction takes the database lock; busy_timeout waits for it.
        _ => Task.CompletedTask,
    };

    /// <summary>SQL Server scripts may separate batches with a line holding only GO.</summary>
    private IEnumerable<string> Batches(string sql) => factory.Provider == StorageProvider.SqlServer
        ? GoLine().Split(sql).Where(b => !string.IsNullOrWhiteSpace(b))
        : [sql];

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();
}
