using Microsoft.Extensions.Options;
using ReportJob.NetFlow.Decoding;
using ReportJob.Storage;

namespace ReportJob.NetFlow;

internal sealed partial class FlowIngestor
{
    private const int WarmUpRecords = 3000;

    private static readonly Lazy<Task<long>> WarmUp = new(() => Task.Run(WarmUpIngestPathAsync));

    /// <summary>
    /// Compiles the ingest's path on a pool thread, once per process, by decoding, aggregating and making the rows of a
    /// small generated v9 capture in memory, and writing them into an in-memory SQLite database (nothing is stored). A
    /// command that is about to ingest calls this first: the JIT's work then overlaps the start of the host
    /// (configuration, database, migrations) instead of delaying the first file. Returns the records counted.
    /// </summary>
    public static Task<long> WarmUpInBackground() => WarmUp.Value;

    private static async Task<long> WarmUpIngestPathAsync()
    {
        using var capture = new MemoryStream();
        SampleCapture.Write(capture, WarmUpRecords);
        capture.Position = 0;
        var settings = new IngestSettings(new NetFlowOptions());
        var aggregator = new FlowAggregator(settings);
        var decoding = new CaptureDecoding(new FlowDecoder(), aggregator);
        using (var reader = CaptureReader.Open(capture, leaveOpen: true))
        {
            decoding.DecodeUntilOverBudget(reader, int.MaxValue, new FileProgress(), CancellationToken.None);
            decoding.Finish(reader);
        }

        var batch = aggregator.TakeAll().ToBatch(new SiteResolver(Sites.SiteMap.Empty), settings.TopN, new BucketTotals());
        // Then what a file's transaction does around its rows, on an in-memory SQLite database: in a first file, the
        // bulk insert of each flow row type took 0.03-0.04 s more in its first write than in its later ones, and the
        // templates, quality rows and ledger 0.02-0.03 s more than in a later file.
        using var factory = new DbConnectionFactory(Options.Create(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = "Data Source=:memory:" }));
        await using var connection = await factory.OpenAsync(CancellationToken.None);
        foreach (var script in SchemaScript.Load(StorageProvider.Sqlite))
        {
            await using var create = connection.CreateCommand();
            create.CommandText = script.Sql;
            await create.ExecuteNonQueryAsync();
        }

        await using var tx = await connection.BeginTransactionAsync();
        var store = new FlowStore(new BulkInserter(factory));
        await FlowStore.LoadTemplatesAsync(connection, tx, CancellationToken.None);
        await store.WriteAsync(connection, tx, batch, CancellationToken.None);
        var hash = new string('0', 64);
        await IngestLedger.FindAsync(connection, tx, hash, CancellationToken.None);
        await WriteFileRecordAsync(store, connection, tx, hash, "warm-up", capture.Length, decoding, settings, aggregator.FlowRecords,
            TimeProvider.System.GetUtcNow().UtcDateTime, CancellationToken.None);
        // The pool would keep the connection, and with it the in-memory database, open for the rest of the process.
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool((Microsoft.Data.Sqlite.SqliteConnection)connection);
        return aggregator.FlowRecords;
    }
}
