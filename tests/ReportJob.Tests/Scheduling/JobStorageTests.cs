using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Cli;
using ReportJob.Hosting;
using ReportJob.Scheduling;
using ReportJob.Storage;

namespace ReportJob.Tests.Scheduling;

public sealed class JobStorageTests
{
    /// <summary>
    /// The job server's SQL Server path, built as `reportjob run` builds it, runs up to connecting: Hangfire.SqlServer
    /// opens a connection through Microsoft.Data.SqlClient 7.1.2, whose first TDS packet (PRELOGIN, type 0x12) reaches
    /// the configured server; this one hangs up after it, and the error is SqlClient's.
    /// </summary>
    [Fact]
    public async Task SqlServerStorage_Started_ConnectsThroughSqlClient7()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var packets = new System.Collections.Concurrent.ConcurrentQueue<byte>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var header = new byte[8];
                await client.GetStream().ReadExactlyAsync(header, stop.Token);
                packets.Enqueue(header[0]);
            }
        });
        var configuration = AppConfiguration.Build(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "SqlServer",
            ["Storage:ConnectionString"] = $"Server=127.0.0.1,{port};Database=reportjob;User ID=reportjob;Password=not-a-secret;Encrypt=false;Connect Timeout=10",
            ["Logging:LogLevel:Default"] = "None",
        });
        var builder = AppHost.CreateBuilder(configuration);
        RunCommand.AddJobServer(builder.Services, configuration);
        using var host = builder.Build();

        // Hangfire.SqlServer tries to install its schema when the storage is made (and logs the failure); the first use fails.
        var storage = host.Services.GetRequiredService<JobStorage>();
        Assert.IsType<Hangfire.SqlServer.SqlServerStorage>(storage);
        Assert.Throws<SqlException>(() => storage.GetMonitoringApi().GetStatistics());
        await stop.CancelAsync();
        Assert.NotEmpty(packets);
        Assert.All(packets, p => Assert.Equal(0x12, p));
        Assert.StartsWith("7.1.2", typeof(SqlConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, StringComparison.Ordinal);
    }

    /// <summary>SQLite: Hangfire's storage is a file of its own beside the data store, polled every second or faster.</summary>
    [Fact]
    public void SqliteStorage_Default_OwnFileBesideTheStoreAndOneSecondPolling()
    {
        var dir = Path.Combine(Path.GetTempPath(), "reportjob-tests", Guid.NewGuid().ToString("N"));
        var storage = new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dir, "reportjob.db")}" };
        var scheduling = new SchedulingOptions();
        try
        {
            Assert.Equal(Path.Combine(dir, "reportjob.hangfire.db"), JobStorageFactory.SqlitePath(storage));
            using var sqlite = (SQLiteStorage)JobStorageFactory.Create(storage, scheduling);
            Assert.True(File.Exists(Path.Combine(dir, "reportjob.hangfire.db")));
            Assert.True(scheduling.PollInterval <= TimeSpan.FromSeconds(1));
            Assert.Contains("reportjob.hangfire.db", sqlite.ToString(), StringComparison.Ordinal);
            var queue = (SQLiteStorageOptions)typeof(SQLiteStorage).GetField("_storageOptions", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(sqlite)!;
            Assert.Equal(TimeSpan.FromSeconds(1), queue.QueuePollInterval);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
