using Microsoft.Extensions.Logging;

namespace ReportJob.Sites;

internal static partial class Log
{
    [LoggerMessage(2601, LogLevel.Information, "Read {Subnets} subnets of AD Sites and Services from {Origin} ({Skipped} skipped) in {Seconds:0.00} s")]
    public static partial void LdapRead(ILogger logger, int subnets, string origin, int skipped, double seconds);

    [LoggerMessage(2602, LogLevel.Warning, "AD subnet {Subnet}: {Reason}; left out")]
    public static partial void LdapSubnetSkipped(ILogger logger, string subnet, string reason);

    [LoggerMessage(2603, LogLevel.Warning, "Could not refresh the subnets from {Origin} (the stored copy of {RefreshedAt:u} is used): {Error}")]
    public static partial void LdapRefreshFailed(ILogger logger, string origin, DateTime? refreshedAt, string error);
}
