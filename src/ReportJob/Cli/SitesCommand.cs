using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Sites;

namespace ReportJob.Cli;

/// <summary><c>reportjob sites import FILE</c> and <c>reportjob sites lookup ADDRESS...</c>.</summary>
internal static class SitesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("file")
        {
            Description = "subnet,site CSV (CIDR, bare addresses or the shorthand 10.2.1; a header may name the columns subnet/SubnetB/CIDR/Network and site/Sitename).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ldap = new Option<bool>("--ldap")
        {
            Description = "Read the subnets of AD Sites and Services from the domain controller of Sites:Ldap instead of a file.",
        };
        var import = new Command("import", "Replace the stored subnet → site mapping of a source: a file's rows, or AD's subnets (--ldap). For the same subnet the file's site wins.") { file, ldap };
        import.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var store = services.GetRequiredService<SiteStore>();
            if (parse.GetValue(ldap))
            {
                if (parse.GetValue(file) is not null)
                {
                    throw new UsageException("Give a FILE or --ldap, not both.");
                }

                if (!services.GetRequiredService<IOptions<SitesOptions>>().Value.Ldap.Enabled)
                {
                    throw new UsageException("--ldap: Sites:Ldap:Server is not set (and Sites:Ldap:UserName, with the password in the variable Sites:Ldap:PasswordVariable names).");
                }

                var result = await store.ImportLdapAsync(token);
                Console.WriteLine($"Imported {result.Subnets} subnets from {result.Origin}{(result.Skipped > 0 ? $" ({result.Skipped} left out: no site or not a prefix)" : "")}.");
                return ExitCodes.Ok;
            }

            var path = parse.GetValue(file)?.FullName ?? throw new UsageException("Give a subnet,site CSV FILE, or --ldap.");
            if (!File.Exists(path))
            {
                throw new UsageException($"Site mapping file not found: {path}");
            }

            var count = await store.ImportAsync(path, token);
            Console.WriteLine($"Imported {count} subnets from {path}.");
            return ExitCodes.Ok;
        }));

        var addresses = new Argument<string[]>("address") { Description = "IPv4 or IPv6 addresses.", Arity = ArgumentArity.OneOrMore };
        var format = OutputWriter.CreateOption();
        var lookup = new Command("lookup", "Show the subnet and site of addresses (longest prefix match; (unknown) when none).") { addresses, format };
        lookup.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var parsed = new List<(string Text, IPAddress Address)>();
            foreach (var a in parse.GetValue(addresses) ?? [])
            {
                parsed.Add(IPAddress.TryParse(a.Trim(), out var ip) ? (a, ip) : throw new UsageException($"'{a}' is not an IP address"));
            }

            var map = await services.GetRequiredService<SiteStore>().LoadAsync(token);
            var rows = parsed.Select(p => map.TryLookup(p.Address, out var m)
                ? new object?[] { p.Text, m.Subnet.ToString(), m.Site }
                : new object?[] { p.Text, SiteMap.Unknown, SiteMap.Unknown }).ToList();
            OutputWriter.Write(Console.Out, new OutputTable(["Address", "Subnet", "Site"], rows), parse.GetValue(format));
            return ExitCodes.Ok;
        }));

        return new Command("sites", "Subnet → site mapping.") { import, lookup };
    }
}
