using Microsoft.Extensions.Configuration;

namespace ReportJob.Hosting;

/// <summary>
/// appsettings.json (working directory, else beside the executable), then --config FILE, then
/// appsettings.Local.json (git-ignored), then REPORTJOB__Section__Key environment variables.
/// </summary>
internal static class AppConfiguration
{
    public const string EnvironmentPrefix = "REPORTJOB__";

    public static IConfigurationRoot Build(string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        var baseDir = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
            ? Directory.GetCurrentDirectory()
            : AppContext.BaseDirectory;
        builder.AddJsonFile(Path.Combine(baseDir, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ConfigurationFileMissingException(full);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddJsonFile(Path.Combine(baseDir, "appsettings.Local.json"), optional: true, reloadOnChange: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
