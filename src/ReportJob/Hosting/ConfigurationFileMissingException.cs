namespace ReportJob.Hosting;

/// <summary>The file given with --config does not exist.</summary>
public sealed class ConfigurationFileMissingException(string path) : Exception($"Configuration file not found: {path}")
{
    public string Path { get; } = path;
}
