using System.Diagnostics;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;
using Npgsql;
using ReportJob.Storage;
using ReportJob.Tests.TestSupport;

namespace ReportJob.Tests.Storage;

public sealed class CommandTimeoutTests
{
    /// <summary>A command sent without a timeout of its own is stopped after Storage:CommandTimeout on a real PostgreSQL.</summary>
    [Theory]
    [ProviderData(StorageProvider.Postgres)]
    public async Task Command_WithoutItsOwnTimeout_StoppedAfterStorageCommandTimeout(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        using var factory = new DbConnectionFactory(Options.Create(new StorageOptions { Provider = provider, ConnectionString = db.ConnectionString, CommandTimeout = TimeSpan.FromSeconds(1) }));
        await using var c = await factory.OpenAsync(default);
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => c.ExecuteAsync("SELECT pg_sleep(5)"));
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 4);
    }

    /// <summary>Every provider's connections carry Storage:CommandTimeout as the default of each command made on them.</summary>
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    [InlineData(StorageProvider.SqlServer)]
    public void ConnectionString_EveryProvider_CarriesTheCommandTimeout(StorageProvider provider)
    {
        var options = new StorageOptions
        {
            Provider = provider,
            ConnectionString = provider switch
            {
                StorageProvider.Sqlite => "Data Source=" + Path.Combine(Path.GetTempPath(), "reportjob-tests", "timeout.db"),
                StorageProvider.Postgres => "Host=127.0.0.1;Database=reportjob;Username=rj",
                _ => "Server=db01;Database=reportjob;Integrated Security=true",
            },
            CommandTimeout = TimeSpan.FromSeconds(42),
        };
        var text = DbConnectionFactory.ConnectionString(options);
        var timeout = provider switch
        {
            StorageProvider.Sqlite => new Microsoft.Data.Sqlite.SqliteConnection(text).CreateCommand().CommandTimeout,
            StorageProvider.Postgres => new NpgsqlConnection(text).CreateCommand().CommandTimeout,
            _ => new SqlConnection(text).CreateCommand().CommandTimeout,
        };
        Assert.Equal(42, timeout);
    }
}
