using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Scheduling;

/// <summary>
/// At most one run of a job at a time, across every job server on the database. The lock belongs to a connection (a
/// PostgreSQL advisory lock, a SQL Server session app lock) or to an open file (SQLite, one job server), so a job server
/// that dies mid-job releases it with its process: Hangfire's own storage locks would instead stay taken until they expire.
/// </summary>
internal sealed class JobRunLock(IDbConnectionFactory factory, IOptions<StorageOptions> storage, TimeProvider time)
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    /// <summary>The lock of <paramref name="job"/>, or null when a run of it holds the lock now.</summary>
    public async Task<IAsyncDisposable?> TryTakeAsync(string job, CancellationToken cancellationToken)
    {
        if (factory.Provider == StorageProvider.Sqlite)
        {
            return TryLockFile(job);
        }

        var connection = await factory.OpenAsync(cancellationToken);
        try
        {
            var taken = factory.Provider == StorageProvider.Postgres
                ? await connection.ExecuteScalarAsync<bool>(new CommandDefinition(PostgresTake, new { key = PostgresKey(job) }, cancellationToken: cancellationToken))
                : await connection.ExecuteScalarAsync<int>(new CommandDefinition(SqlServerTake, new { resource = SqlServerResource(job) }, cancellationToken: cancellationToken)) >= 0;
            if (taken)
            {
                return new ConnectionLock(connection, job, this);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Waits until the lock of <paramref name="job"/> is free and takes it.</summary>
    public async Task<IAsyncDisposable> TakeAsync(string job, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryTakeAsync(job, cancellationToken) is { } held)
            {
                return held;
            }

            await Task.Delay(RetryEvery, time, cancellationToken);
        }
    }

    /// <summary>Session-level: released by <see cref="PostgresRelease"/>, or by the server when the connection goes.</summary>
    internal const string PostgresTake = "SELECT pg_try_advisory_lock(@key)";

    internal const string PostgresRelease = "SELECT pg_advisory_unlock(@key)";

    /// <summary>Owned by the session: released by <see cref="SqlServerRelease"/>, or by the server when the session ends. 0 or 1: taken.</summary>
    internal const string SqlServerTake = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = @resource, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;
        SELECT @result;
        """;

    internal const string SqlServerRelease = "EXEC sp_releaseapplock @Resource = @resource, @LockOwner = 'Session';";

    /// <summary>A stable 64-bit key per job (advisory lock keys are numbers).</summary>
    private static long PostgresKey(string job) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("reportjob.job." + job)), 0);

    private static string SqlServerResource(string job) => "reportjob.job." + job;

    private FileLock? TryLockFile(string job)
    {
        var path = JobStorageFactory.SqlitePath(storage.Value) + "." + job + ".lock";
        try
        {
            // FileShare.None takes an exclusive lock on the open file (flock on Unix), which the OS drops with the process.
            return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    private async Task ReleaseAsync(DbConnection connection, string job)
    {
        // The release has to reach the server even when the job was cancelled; closing the connection releases it anyway.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (factory.Provider == StorageProvider.Postgres)
            {
                await connection.ExecuteAsync(new CommandDefinition(PostgresRelease, new { key = PostgresKey(job) }, cancellationToken: cts.Token));
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(SqlServerRelease, new { resource = SqlServerResource(job) }, cancellationToken: cts.Token));
            }
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private sealed class ConnectionLock(DbConnection connection, string job, JobRunLock owner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(owner.ReleaseAsync(connection, job));
    }

    private sealed class FileLock(FileStream file) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => file.DisposeAsync();
    }
}
