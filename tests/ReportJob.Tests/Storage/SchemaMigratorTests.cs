using Dapper;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Storage;

public sealed class SchemaMigratorTests
{
    [Fact]
    public void Scripts_EveryProvider_SameNumbersAndNames()
    {
        var sqlite = SchemaScript.Load(StorageProvider.Sqlite).Select(s => $"{s.Version:0000}_{s.Name}").ToArray();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, SchemaScript.Load(StorageProvider.Postgres).Select(s => $"{s.Version:0000}_{s.Name}"));
        Assert.Equal(sqlite, SchemaScript.Load(StorageProvider.SqlServer).Select(s => $"{s.Version:0000}_{s.Name}"));
        var onDisk = Enum.GetValues<StorageProvider>()
            .Select(p => Directory.GetFiles(Path.Combine(RepoPaths.Root, "sql", SchemaScript.FolderOf(p)), "*.sql").Select(Path.GetFileNameWithoutExtension).Order().ToArray());
        Assert.All(onDisk, files => Assert.Equal(sqlite, files));
    }

    [Theory]
    [ProviderData(StorageProvider.Sqlite)]
    [ProviderData(StorageProvider.Postgres)]
    [ProviderData(StorageProvider.SqlServer)]
    public async Task Migrate_SecondRun_AppliesNothingAndKeepsData(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var factory = db.Get<IDbConnectionFactory>();
        await using (var c = await factory.OpenAsync(default))
        {
            await c.ExecuteAsync("INSERT INTO site_subnet (source, network, prefix_length, site) VALUES ('file', '10.0.0.0', 8, 'HQ')");
        }

        var applied = await db.Get<SchemaMigrator>().MigrateAsync(default);

        Assert.Empty(applied);
        Assert.Equal(SchemaScript.Load(provider).Select(s => s.Version), await db.Get<SchemaMigrator>().AppliedVersionsAsync(default));
        await using var check = await factory.OpenAsync(default);
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM site_subnet"));
    }
}
