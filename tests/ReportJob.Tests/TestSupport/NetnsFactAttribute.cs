namespace ReportJob.Tests.TestSupport;

/// <summary>
/// A fact that creates a network namespace with a veth pair to this host (a real non-loopback client): skipped with a
/// reason without ip, curl or the right to do so (CAP_SYS_ADMIN and CAP_NET_ADMIN, e.g. root), unless CI=true.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        Skip = ExternalTools.SkipReason("ip", "curl")
               ?? ((ExternalTools.HasCapability(21) && ExternalTools.HasCapability(12)) || ExternalTools.IsCi
                   ? null
                   : "needs the right to create a network namespace (CAP_SYS_ADMIN, CAP_NET_ADMIN, e.g. root); skipped because CI is not true");
    }
}
