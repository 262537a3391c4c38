using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportJob.Storage;

namespace ReportJob.Cli;

internal static class DbCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply the missing schema scripts (sql/<provider>/NNNN_name.sql) in order.");
        migrate.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var applied = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(token);
            var provider = services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider;
            Console.WriteLine(applied.Count == 0
                ? $"{provider}: schema up to date."
                : $"{provider}: applied {string.Join(", ", applied.Select(s => $"{s.Version:0000}_{s.Name}"))}.");
            return ExitCodes.Ok;
        }, migrate: false));

        var status = new Command("status", "Show the provider and which schema scripts are applied.");
        status.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var provider = services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider;
            var applied = await services.GetRequiredService<SchemaMigrator>().AppliedVersionsAsync(token);
            foreach (var script in SchemaScript.Load(provider))
            {
                Console.WriteLine($"{script.Version:0000}_{script.Name}  {(applied.Contains(script.Version) ? "applied" : "pending")}");
            }

            return ExitCodes.Ok;
        }, migrate: false));

        return new Command("db", "Database schema.") { migrate, status };
    }
}
