using Dapper;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Storage;

public sealed class QuartzRemovalTests
{
    /// <summary>
    /// A database of the previous release (0005 as it was: job_run and Quartz.NET's 15 QRTZ_ tables, with rows in them)
    /// is migrated: 0007 drops those 16 tables, and the other tables and their rows stay (but connection, which 0012
    /// converts into connection_run). A new database never gets them.
    /// </summary>
    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Migrate_DatabaseOfThePreviousRelease_QuartzTablesAndRunHistoryDropped(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, new Dictionary<string, string?> { ["Storage:MigrateOnStart"] = "false" });
        var factory = db.Get<IDbConnectionFactory>();
        var old = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "quartz", $"0005_quartz.{SchemaScript.FolderOf(provider)}.sql"));
        await using (var c = await factory.OpenAsync(default))
        {
            await c.ExecuteAsync(provider == StorageProvider.Postgres
                ? "CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)"
                : "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            foreach (var script in SchemaScript.Load(provider).Where(s => s.Version <= 6))
            {
                await c.ExecuteAsync(script.Version == 5 ? old : script.Sql);
                await c.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)",
                    new { v = script.Version, n = script.Version == 5 ? "quartz" : script.Name, t = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc) });
            }

            await c.ExecuteAsync("INSERT INTO job_run (job, node, fire_instance_id, trigger_kind, scheduled_at, started_at, outcome, attempt) VALUES ('retention', 'n1', 'f1', 'schedule', @t, @t, 'ok', 0)",
                new { t = new DateTime(2026, 11, 1, 3, 30, 0, DateTimeKind.Utc) });
            await c.ExecuteAsync("INSERT INTO site_subnet (network, prefix_length, site) VALUES ('10.0.0.0', 8, 'HQ')");
        }

        var before = await TablesAsync(db, provider);
        Assert.Equal(16, before.Count(IsScheduling));

        var applied = await db.Get<SchemaMigrator>().MigrateAsync(default);

        Assert.Equal(SchemaScript.Load(provider).Where(s => s.Version > 6).Select(s => s.Version), applied.Select(s => s.Version));
        var after = await TablesAsync(db, provider);
        Assert.DoesNotContain(after, IsScheduling);
        Assert.Subset(after.ToHashSet(), before.Where(t => !IsScheduling(t) && t != "connection").ToHashSet());
        Assert.Contains("connection_run", after);
        await using var check = await factory.OpenAsync(default);
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM site_subnet"));

        await using var fresh = await TestDatabase.CreateAsync(provider);
        Assert.Equal(after, await TablesAsync(fresh, provider));
    }

    private static bool IsScheduling(string table) => table == "job_run" || table.StartsWith("qrtz_", StringComparison.Ordinal);

    private static async Task<List<string>> TablesAsync(TestDatabase db, StorageProvider provider)
    {
        await using var c = await db.Get<IDbConnectionFactory>().OpenAsync(default);
        var names = await c.QueryAsync<string>(provider == StorageProvider.Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        return names.Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
    }
}
