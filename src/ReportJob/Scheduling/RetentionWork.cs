using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Scheduling;

/// <summary>
/// The <c>retention</c> job: purges every table of <c>Scheduling:Retention:Tables</c> by age, in
/// batches (each committed on its own, so an interrupted purge simply continues next time), then old files.
/// </summary>
internal sealed class RetentionWork(IDbConnectionFactory factory, IOptions<SchedulingOptions> options, TimeProvider time, ILogger<RetentionWork> logger) : IScheduledWork
{
    public string JobName => JobNames.Retention;

    public async Task<WorkResult> RunAsync(DateTimeOffset scheduledFireTimeUtc, CancellationToken cancellationToken)
    {
        var o = options.Value.Retention;
        var now = time.GetUtcNow().UtcDateTime;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var rule in o.Tables)
        {
            var cutoff = now.AddDays(-rule.Days);
            var deleted = await PurgeAsync(rule.Table, rule.TimeColumn, cutoff, o.BatchSize, cancellationToken);
            counts[rule.Table] = counts.GetValueOrDefault(rule.Table) + deleted;
            Log.RetentionRows(logger, rule.Table, deleted, cutoff);
        }

        foreach (var rule in o.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cutoff = now.AddDays(-rule.Days);
            var folder = Path.GetFullPath(rule.Folder);
            var files = 0;
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, rule.Pattern, SearchOption.TopDirectoryOnly))
                {
                    if (File.GetLastWriteTimeUtc(file) < cutoff)
                    {
                        File.Delete(file);
                        files++;
                    }
                }
            }

            counts["files"] = counts.GetValueOrDefault("files") + files;
            Log.RetentionFiles(logger, folder, files, cutoff);
        }

        return new WorkResult($"purged {counts.Values.Sum()} row(s)/file(s)") { Counts = counts };
    }

    private async Task<long> PurgeAsync(string table, string column, DateTime cutoff, int batch, CancellationToken cancellationToken)
    {
        // Table and column names are validated identifiers (SchedulingOptions); the values are parameters.
        var sql = factory.Provider switch
        {
            StorageProvider.SqlServer => $"DELETE TOP (@batch) FROM {table} WHERE {column} < @cutoff",
            StorageProvider.Postgres => $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE {column} < @cutoff LIMIT @batch)",
            _ => $"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {column} < @cutoff LIMIT @batch)",
        };
        long total = 0;
        await using var connection = await factory.OpenAsync(cancellationToken);
        while (true)
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff, batch }, commandTimeout: factory.CommandTimeoutSeconds, cancellationToken: cancellationToken));
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }
}
