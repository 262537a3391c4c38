using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ReportJob.Hosting;
using ReportJob.Storage;

namespace ReportJob.Tests.TestSupport;

/// <summary>A fresh, migrated database of one provider (a temp SQLite file, or a new database on the test server) and the app's services over it.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<Task> _drop;

    private readonly Dictionary<string, string?> _settings;

    private TestDatabase(StorageProvider provider, string connectionString, string directory, IHost host, Func<Task> drop, Dictionary<string, string?> settings)
    {
        _settings = settings;
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        Host = host;
        _drop = drop;
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A temp folder of the test's own (drop folders, exports).</summary>
    public string Directory { get; }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        string connectionString;
        Func<Task> drop;
        var name = "rj_" + Guid.NewGuid().ToString("N")[..16];
        switch (provider)
        {
            case StorageProvider.Sqlite:
                connectionString = $"Data Source={Path.Combine(dir, "reportjob.db")}";
                drop = () => Task.CompletedTask;
                break;
            case StorageProvider.Postgres:
            {
                var admin = Environment.GetEnvironmentVariable(ProviderDataAttribute.PostgresVariable)
                    ?? throw new InvalidOperationException($"{ProviderDataAttribute.PostgresVariable} is not set: start PostgreSQL with ./test.sh");
                await using (var c = new NpgsqlConnection(admin))
                {
                    await c.OpenAsync();
                    await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
                    await cmd.ExecuteNonQueryAsync();
                }

                connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
                drop = async () =>
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var c = new NpgsqlConnection(admin);
                    await c.OpenAsync();
                    await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
                    await cmd.ExecuteNonQueryAsync();
                };
                break;
            }

            case StorageProvider.SqlServer:
            {
                var admin = Environment.GetEnvironmentVariable(ProviderDataAttribute.SqlServerVariable)!;
                await using (var c = new SqlConnection(admin))
                {
                    await c.OpenAsync();
                    await using var cmd = new SqlCommand($"CREATE DATABASE {name}", c);
                    await cmd.ExecuteNonQueryAsync();
                }

                connectionString = new SqlConnectionStringBuilder(admin) { InitialCatalog = name }.ConnectionString;
                drop = async () =>
                {
                    SqlConnection.ClearAllPools();
                    await using var c = new SqlConnection(admin);
                    await c.OpenAsync();
                    await using var cmd = new SqlCommand($"ALTER DATABASE {name} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {name}", c);
                    await cmd.ExecuteNonQueryAsync();
                };
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider));
        }

        var all = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider.ToString(),
            ["Storage:ConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var kv in settings ?? new Dictionary<string, string?>())
        {
            all[kv.Key] = kv.Value;
        }

        var builder = AppHost.CreateBuilder(AppConfiguration.Build(null, all));
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await AppHost.StartAsync(host.Services, migrate: true, CancellationToken.None);
        return new TestDatabase(provider, connectionString, dir, host, drop, all);
    }

    /// <summary>The app's services over the same database and settings in a host of their own, as another process would have them; dispose it before this.</summary>
    public IHost SecondHost() => AppHost.CreateBuilder(AppConfiguration.Build(null, _settings)).Build();

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        if (Provider == StorageProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        await _drop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
