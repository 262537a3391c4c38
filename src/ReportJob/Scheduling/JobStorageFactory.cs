using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using ReportJob.Storage;

namespace ReportJob.Scheduling;

/// <summary>
/// Hangfire's job storage for <c>Storage:Provider</c>, in the app's database: PostgreSQL schema <c>hangfire</c> or SQL
/// Server schema <c>HangFire</c> (each created and upgraded by its Hangfire package), and for SQLite a file of its own
/// beside the data store, so that a long ingest transaction on the data file never holds up the job server's polling.
/// Every provider honours <c>Storage:CommandTimeout</c>.
/// </summary>
internal static class JobStorageFactory
{
    /// <summary>The Hangfire SQLite file beside the data store: <c>./data/reportjob.db</c> → <c>./data/reportjob.hangfire.db</c>.</summary>
    public static string SqlitePath(StorageOptions storage)
    {
        var builder = new SqliteConnectionStringBuilder(storage.ConnectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new InvalidOperationException("Storage:ConnectionString: the job server needs a SQLite database file (not an in-memory database): its job storage is a file beside it.");
        }

        var full = Path.GetFullPath(builder.DataSource);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".hangfire.db");
    }

    public static JobStorage Create(StorageOptions storage, SchedulingOptions scheduling) => storage.Provider switch
    {
        StorageProvider.Postgres => CreatePostgres(storage, scheduling),
        StorageProvider.SqlServer => CreateSqlServer(storage, scheduling),
        _ => CreateSqlite(storage, scheduling),
    };

    private static SQLiteStorage CreateSqlite(StorageOptions storage, SchedulingOptions scheduling)
    {
        var path = SqlitePath(storage);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var factory = new SQLiteDbConnectionFactory(() => new SQLite.SQLiteConnection(
            path,
            SQLite.SQLiteOpenFlags.ReadWrite | SQLite.SQLiteOpenFlags.Create | SQLite.SQLiteOpenFlags.NoMutex,
            storeDateTimeAsTicks: true)
        {
            // SQLite has no command timeout; waiting for a locked file is where a command can hang.
            BusyTimeout = storage.CommandTimeout,
        });
        return new SQLiteStorage(factory, new SQLiteStorageOptions
        {
            // The package's default is 15 s: every job would start up to 15 s late.
            QueuePollInterval = scheduling.PollInterval,
        });
    }

    private static PostgreSqlStorage CreatePostgres(StorageOptions storage, SchedulingOptions scheduling)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = scheduling.PollInterval,
            InvisibilityTimeout = scheduling.InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
            // A job holds no storage lock while it runs (ScheduledJob uses a lock of its own, released when its
            // connection goes): Hangfire's short locks only need to survive a crashed holder for a moment.
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(DbConnectionFactory.ConnectionString(storage), options), options);
    }

    private static SqlServerStorage CreateSqlServer(StorageOptions storage, SchedulingOptions scheduling) =>
        new(DbConnectionFactory.ConnectionString(storage), new SqlServerStorageOptions
        {
            SqlClientFactory = Microsoft.Data.SqlClient.SqlClientFactory.Instance,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = scheduling.PollInterval,
            SlidingInvisibilityTimeout = scheduling.InvisibilityTimeout,
            CommandTimeout = storage.CommandTimeout,
            CommandBatchMaxTimeout = storage.CommandTimeout,
        });
}
