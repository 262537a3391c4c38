namespace ReportJob.NetFlow;

/// <summary>The configuration spelling of <see cref="DirectionPolicy"/>: <c>all</c>, <c>ingress-only</c>, <c>egress-only</c>.</summary>
internal static class DirectionPolicies
{
    public const string Allowed = "all, ingress-only, egress-only";

    public static bool TryParse(string? text, out DirectionPolicy policy)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "ALL":
                policy = DirectionPolicy.All;
                return true;
            case "INGRESS-ONLY":
                policy = DirectionPolicy.IngressOnly;
                return true;
            case "EGRESS-ONLY":
                policy = DirectionPolicy.EgressOnly;
                return true;
            default:
                policy = DirectionPolicy.All;
                return false;
        }
    }

    public static string Name(DirectionPolicy policy) => policy switch
    {
        DirectionPolicy.IngressOnly => "ingress-only",
        DirectionPolicy.EgressOnly => "egress-only",
        _ => "all",
    };
}
