using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Sites;

/// <summary>
/// The subnet → site mapping in the store, from two sources each replaced on its own: a CSV file (<c>sites import
/// FILE</c>, <c>Sites:SubnetFile</c>) and Active Directory over LDAP (<c>sites import --ldap</c>, <c>Sites:Ldap</c>).
/// For the same subnet the file's site wins: the file is where hand corrections go.
/// </summary>
public sealed class SiteStore(IDbConnectionFactory factory, BulkInserter bulk, IOptions<SitesOptions> options, TimeProvider time, ILogger<SiteStore> logger)
{
    public const string FileSource = "file";
    public const string LdapSource = "ldap";

    private static readonly BulkColumn[] Columns =
        [new("source", BulkType.Text), new("network", BulkType.Text), new("prefix_length", BulkType.Int32), new("site", BulkType.Text)];

    /// <summary>Replaces the file-sourced subnets with the file's rows, in one transaction.</summary>
    public async Task<int> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var rows = SiteCsv.Read(path);
        var hash = await IngestLedger.HashFileAsync(path, cancellationToken);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var count = await ReplaceAsync(connection, tx, FileSource, Path.GetFullPath(path), rows, cancellationToken);
        if (await IngestLedger.FindAsync(connection, tx, hash, cancellationToken) is null)
        {
            await IngestLedger.RecordAsync(connection, tx, new LedgerEntry(hash, "sites", Path.GetFileName(path), new FileInfo(path).Length, count, time.GetUtcNow().UtcDateTime), cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Replaces the AD-sourced subnets with what the domain controller of <c>Sites:Ldap</c> holds now.</summary>
    public async Task<LdapImportResult> ImportLdapAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Ldap;
        if (!o.Enabled)
        {
            throw new InvalidOperationException("Sites:Ldap:Server is not set");
        }

        var watch = Stopwatch.StartNew();
        var password = Environment.GetEnvironmentVariable(o.PasswordVariable);
        var origin = AdSubnetReader.Origin(o);
        // The LDAP calls block: keep them off the caller's thread.
        var (subnets, skipped) = await Task.Run(() => AdSubnetReader.Read(o, password, cancellationToken), cancellationToken);
        foreach (var (subnet, reason) in skipped)
        {
            Log.LdapSubnetSkipped(logger, subnet, reason);
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var count = await ReplaceAsync(connection, tx, LdapSource, origin, subnets, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        Log.LdapRead(logger, count, origin, skipped.Count, watch.Elapsed.TotalSeconds);
        return new LdapImportResult(origin, count, skipped.Count);
    }

    /// <summary>
    /// The mapping, after importing <see cref="SitesOptions.SubnetFile"/> if it changed and reading AD again when its
    /// copy is older than <see cref="LdapOptions.RefreshInterval"/> (a DC that does not answer leaves the stored copy
    /// in use, with a warning).
    /// </summary>
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

        var ldap = options.Value.Ldap;
        if (ldap.Enabled && ldap.RefreshInterval > TimeSpan.Zero)
        {
            var refreshed = await RefreshedAtAsync(LdapSource, cancellationToken);
            if (refreshed is null || time.GetUtcNow().UtcDateTime - refreshed.Value >= ldap.RefreshInterval)
            {
                try
                {
                    await ImportLdapAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or System.DirectoryServices.Protocols.DirectoryException or InvalidDataException or DllNotFoundException or TypeInitializationException)
                {
                    Log.LdapRefreshFailed(logger, AdSubnetReader.Origin(ldap), refreshed, ex.Message);
                }
            }
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Source, string Network, int PrefixLength, string Site)>(new CommandDefinition(
            "SELECT source, network, prefix_length, site FROM site_subnet", cancellationToken: cancellationToken));
        // AD first, the file after it: SiteMap keeps the last site given for a subnet.
        return new SiteMap(rows
            .OrderBy(r => r.Source == FileSource ? 1 : 0)
            .Select(r => new SiteSubnet(Subnet.Create(System.Net.IPAddress.Parse(r.Network), r.PrefixLength), r.Site)));
    }

    /// <summary>When a source last replaced its subnets, or null.</summary>
    public async Task<DateTime?> RefreshedAtAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var at = await connection.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT refreshed_at FROM site_refresh WHERE source = @source", new { source }, cancellationToken: cancellationToken));
        return at.Select(t => (DateTime?)DbTime.Utc(t)).FirstOrDefault();
    }

    private async Task<int> ReplaceAsync(DbConnection connection, DbTransaction tx, string source, string origin, IReadOnlyList<SiteSubnet> rows, CancellationToken cancellationToken)
    {
        // A subnet listed twice keeps its last site, as SiteMap does.
        var distinct = rows.GroupBy(r => r.Subnet).Select(g => g.Last()).ToList();
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM site_subnet WHERE source = @source", new { source }, tx, cancellationToken: cancellationToken));
        await bulk.InsertAsync(connection, tx, "site_subnet", Columns, distinct, (in SiteSubnet r, BulkValues v) =>
        {
            v.Text(source);
            v.Text(r.Subnet.Network.ToString());
            v.Int32(r.Subnet.PrefixLength);
            v.Text(r.Site);
        }, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM site_refresh WHERE source = @source", new { source }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO site_refresh (source, origin, refreshed_at, subnets) VALUES (@source, @origin, @at, @count)",
            new { source, origin, at = time.GetUtcNow().UtcDateTime, count = distinct.Count }, tx, cancellationToken: cancellationToken));
        return distinct.Count;
    }
}
