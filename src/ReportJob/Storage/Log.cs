using Microsoft.Extensions.Logging;

namespace ReportJob.Storage;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Applied schema script {Version:0000}_{Name} on {Provider}")]
    public static partial void ScriptApplied(ILogger logger, StorageProvider provider, int version, string name);

    [LoggerMessage(1002, LogLevel.Information, "Schema of {Provider} up to date: {Applied} of {Total} scripts applied now in {Seconds:0.00} s")]
    public static partial void Migrated(ILogger logger, StorageProvider provider, int applied, int total, double seconds);
}
