namespace ReportJob.NetFlow;

/// <summary>The two sides a host is counted on (<c>flow_host.role</c> 0 and 1), as the findings name them.</summary>
public static class FlowRoles
{
    public const string Source = "source";

    public const string Destination = "destination";
}
