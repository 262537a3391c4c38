using Dapper;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Sites;

/// <summary>The subnet → site mapping in the store.</summary>
public sealed class SiteStore(IDbConnectionFactory factory, BulkInserter bulk, IOptions<SitesOptions> options, TimeProvider time)
{
    private static readonly BulkColumn[] Columns = [new("network", BulkType.Text), new("prefix_length", BulkType.Int32), new("site", BulkType.Text)];

    /// <summary>Replaces the whole mapping with the file's rows, in one transaction.</summary>
    public async Task<int> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var rows = SiteCsv.Read(path);
        // A subnet listed twice keeps its last site, as SiteMap does.
        var distinct = rows.GroupBy(r => r.Subnet).Select(g => g.Last()).ToList();
        var hash = await IngestLedger.HashFileAsync(path, cancellationToken);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM site_subnet", transaction: tx, cancellationToken: cancellationToken));
        await bulk.InsertAsync(connection, tx, "site_subnet", Columns, distinct, static (in SiteSubnet r, BulkValues v) =>
        {
            v.Text(r.Subnet.Network.ToString());
            v.Int32(r.Subnet.PrefixLength);
            v.Text(r.Site);
        }, cancellationToken);
        if (await IngestLedger.FindAsync(connection, tx, hash, cancellationToken) is null)
        {
            await IngestLedger.RecordAsync(connection, tx, new LedgerEntry(hash, "sites", Path.GetFileName(path), new FileInfo(path).Length, distinct.Count, time.GetUtcNow().UtcDateTime), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return distinct.Count;
    }

    /// <summary>The mapping, after importing <see cref="SitesOptions.SubnetFile"/> if it changed.</summary>
    public async Task<SiteMap> LoadAsync(CancellationToken cancellationToken)
    {
        var file = options.Value.SubnetFile;
        if (!string.IsNullOrWhiteSpace(file))
        {
            var hash = await IngestLedger.HashFileAsync(file, cancellationToken);
            await using var c = await factory.OpenAsync(cancellationToken);
            if (await IngestLedger.FindAsync(c, null, hash, cancellationToken) is null)
            {
                await ImportAsync(file, cancellationToken);
            }
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Network, int PrefixLength, string Site)>(new CommandDefinition(
            "SELECT network, prefix_length, site FROM site_subnet", cancellationToken: cancellationToken));
        return new SiteMap(rows.Select(r => new SiteSubnet(Subnet.Create(System.Net.IPAddress.Parse(r.Network), r.PrefixLength), r.Site)));
    }
}
